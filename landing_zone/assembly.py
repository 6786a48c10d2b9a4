"""The composition root: creates the landing zone's stacks and runs the components in order.

:class:`LandingZone` is the only place that knows every component. It

1. creates the stacks (:func:`landing_zone.stacks.create_stacks`) and the member baseline, and wraps
   them in a read-only :class:`~landing_zone.core.contracts.Placement`;
2. calls the components in dependency order, passing each the typed outputs it declares in its
   signature (``security.build(config, placement, logging=...)``);
3. collects the organization policies every component returned and hands them to the organization
   component, which runs last (it turns the finished baseline into the StackSet);
4. leaves out the stacks nothing was added to (an empty template is not a valid stack).

The contracts are in :mod:`landing_zone.core.contracts`; docs/architecture.md has the overview.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import aws_cdk as cdk

from landing_zone import backup, classification, identity, logging, network, organization, security
from landing_zone.config import LandingZoneConfig
from landing_zone.core.contracts import (
    BackupOutputs,
    BaselinePlacement,
    ClassificationOutputs,
    ComponentOutputs,
    IdentityOutputs,
    LoggingOutputs,
    NetworkOutputs,
    OrganizationOutputs,
    OrgPolicySpec,
    Placement,
    SecurityOutputs,
    StackKey,
)
from landing_zone.stacks import LandingZoneStack, MemberBaseline, create_stacks

#: The built-in components, in build order (organization last).
COMPONENTS: tuple[str, ...] = (
    "classification",
    "logging",
    "security",
    "identity",
    "network",
    "backup",
    "organization",
)

#: A component of your own: runs after the built-in ones and before the organization component, may
#: add constructs to the placement's stacks and return organization policies to deploy.
Extension = Callable[[LandingZoneConfig, Placement], ComponentOutputs | None]


@dataclass(frozen=True)
class LandingZoneOutputs:
    """Every component's outputs (the empty default of a component that was not built)."""

    classification: ClassificationOutputs
    logging: LoggingOutputs
    security: SecurityOutputs
    identity: IdentityOutputs
    network: NetworkOutputs
    backup: BackupOutputs
    organization: OrganizationOutputs
    extensions: tuple[ComponentOutputs, ...] = ()


class LandingZone:
    """Builds every stack of the landing zone from one configuration.

    ``components``: the names of the built-in components to build (default: all of
    :data:`COMPONENTS`, always in that order); tests build a subset. ``extensions``: components of
    your own (see :data:`Extension`).
    """

    def __init__(
        self,
        scope: cdk.Stage,
        config: LandingZoneConfig,
        *,
        components: Collection[str] | None = None,
        extensions: Sequence[Extension] = (),
    ) -> None:
        wanted = frozenset(COMPONENTS if components is None else components)
        unknown = sorted(wanted - set(COMPONENTS))
        if unknown:
            raise ValueError(f"unknown components {unknown}: choose from {', '.join(COMPONENTS)}")
        #: The root the landing zone is built into: the LandingZoneStage (tests may pass a CDK App).
        self.root = scope
        self.config = config
        self.stacks: dict[StackKey, LandingZoneStack] = create_stacks(
            scope, config, extra=network.extra_stacks(config) if "network" in wanted else ()
        )
        self.baseline = MemberBaseline(scope, config)
        self.placement = Placement(
            root=scope,
            home_region=config.regions.home,
            allowed_regions=tuple(config.regions.allowed),
            baseline=BaselinePlacement(stage=self.baseline.stage, stack=self.baseline.stack),
            # a live read-only view: stacks the root leaves out disappear from it
            stacks=MappingProxyType(self.stacks),  # type: ignore[arg-type]
        )
        placement = self.placement

        def built(name: str) -> bool:
            return name in wanted

        classified = (
            classification.build(config, placement) if built("classification") else ClassificationOutputs()
        )
        logs = logging.build(config, placement) if built("logging") else LoggingOutputs()
        secured = security.build(config, placement, logging=logs) if built("security") else SecurityOutputs()
        identities = (
            identity.build(config, placement, security=secured) if built("identity") else IdentityOutputs()
        )
        networks = network.build(config, placement) if built("network") else NetworkOutputs()
        backups = backup.build(config, placement) if built("backup") else BackupOutputs()
        extended = tuple(extension(config, placement) or ComponentOutputs() for extension in extensions)
        #: Organization policies the components returned, in build order (see OrgPolicySpec).
        self.org_policies: tuple[OrgPolicySpec, ...] = tuple(
            policy
            for outputs in (classified, logs, secured, identities, networks, backups, *extended)
            for policy in outputs.org_policies
        )
        organized = (
            # last: turns the finished member baseline into the StackSet and attaches the policies
            organization.build(config, placement, org_policies=self.org_policies)
            if built("organization")
            else OrganizationOutputs()
        )
        self.outputs = LandingZoneOutputs(
            classification=classified,
            logging=logs,
            security=secured,
            identity=identities,
            network=networks,
            backup=backups,
            organization=organized,
            extensions=extended,
        )
        self._drop_empty_stacks()

    def _drop_empty_stacks(self) -> None:
        """A stack with no resources is not a valid template: leave it out of the app.

        The root created these stacks, so it may look inside them (no component does).
        """
        for key, stack in list(self.stacks.items()):
            if not any(isinstance(c, cdk.CfnResource) for c in stack.node.find_all()):
                self.root.node.try_remove_child(stack.node.id)
                del self.stacks[key]

    @property
    def home_region(self) -> str:
        return self.config.regions.home

    def stack(self, role: str, region: str | None = None) -> LandingZoneStack:
        """The stack of ``role`` in ``region`` (default: the home region)."""
        return self.placement.stack(role, region)  # type: ignore[return-value]

    def has_stack(self, role: str, region: str | None = None) -> bool:
        return self.placement.has_stack(role, region)

    def stacks_of(self, role: str) -> Iterator[LandingZoneStack]:
        for _, stack in self.placement.stacks_of(role):
            yield stack  # type: ignore[misc]
