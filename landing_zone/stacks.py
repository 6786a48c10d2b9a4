"""Which stack goes to which account and region.

The landing zone is one stack per (account role, region): the management account holds the
organisation, identity and the member-account baseline StackSets (home region only, as
Organizations and IAM Identity Center are managed from there); the log archive holds the
central evidence store (home region); the security, network and shared-services accounts get
one stack in every allowed region because their services (GuardDuty, Security Hub, VPCs) are
regional.

Feature modules add their resources through *components*: a component is a function
``build(lz: LandingZone) -> None`` listed in :data:`COMPONENTS`. It asks the landing zone for the
stack it needs (``lz.stack("log-archive")``) and adds constructs to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import aws_cdk as cdk
from constructs import Construct

from bio2_aspects.synthesizer import Bio2BootstraplessSynthesizer
from landing_zone.config import LandingZoneConfig
from landing_zone.pipeline.bootstrap import platform_synthesizer

#: Account roles that get a stack of their own, and whether it is deployed in every allowed
#: region (True) or only in the home region (False).
ROLE_REGIONS: dict[str, bool] = {
    "management": True,
    "log-archive": False,
    "security": True,
    "network": True,
    "shared-services": True,
}

STACK_PREFIX = "lz"


def stack_name(role: str, region: str, part: str = "") -> str:
    """Stable CloudFormation stack name, e.g. ``lz-log-archive-eu-central-1``; an extra stack of the
    same account and region carries its ``part`` (``lz-network-eu-central-1-spokes-2``)."""
    return f"{STACK_PREFIX}-{role}-{region}" + (f"-{part}" if part else "")


@dataclass(frozen=True)
class StackKey:
    role: str
    region: str
    #: "" for the role's main stack; the suffix of an extra stack (see LandingZone.extra_stack)
    part: str = ""


class LandingZoneStack(cdk.Stack):
    """A stack of the landing zone in one account and region."""

    def __init__(
        self,
        scope: Construct,
        *,
        config: LandingZoneConfig,
        role: str,
        account_id: str,
        region: str,
        part: str = "",
    ) -> None:
        name = stack_name(role, region, part)
        super().__init__(
            scope,
            name,
            stack_name=name,
            env=cdk.Environment(account=account_id, region=region),
            description=f"BIO2 landing zone for {config.organization.name}: {role} account, {region}"
            + (f" ({part})" if part else ""),
            termination_protection=True,
            # No look-ups and no context queries at synth time: the templates depend only on the
            # configuration. Deploying needs the platform bootstrap (qualifier lzbio2, exact role
            # names; python -m landing_zone.pipeline bootstrap, docs/deploy.md).
            synthesizer=platform_synthesizer(region),
            analytics_reporting=False,
        )
        self.config = config
        self.role = role
        self.part = part
        self.region_name = region
        self.account_id = account_id
        account = next(a for a in config.organization.accounts if a.id == account_id)
        self.account_name = account.name
        apply_classification(self, config.classification.rating_for(account.name, account.ou))


def apply_classification(scope: Construct, rating: object) -> None:
    """Tag every taggable resource below ``scope`` with its BIV classification.

    ``rating`` has ``confidentiality``, ``integrity`` and ``availability`` levels. A resource or
    construct further down can override these tags (a workload with its own rating, through
    :func:`landing_zone.classification.classify`). The classification component's tagger completes
    what CDK's ``Tags`` cannot reach (plain ``CfnResource`` objects, other stages).
    """
    from landing_zone.classification.tagging import classify

    classify(
        scope,
        confidentiality=rating.confidentiality,  # type: ignore[attr-defined]
        integrity=rating.integrity,  # type: ignore[attr-defined]
        availability=rating.availability,  # type: ignore[attr-defined]
    )


class MemberBaseline:
    """What every member account gets, deployed through a service-managed StackSet.

    The baseline is an ordinary CDK stack inside its own Stage (``member-baseline``, nested in the
    ``LandingZone`` Stage): components add constructs to :attr:`stack` as they would to any stack,
    the BIO2 engine checks it like every other template, and ``cdk deploy 'LandingZone/*'`` leaves it
    alone (it is not deployed directly). The
    organization component turns the synthesized template into the StackSet in the management
    account. It must stay free of assets (no bootstrap in member accounts): the synthesizer refuses
    them.
    """

    STAGE_ID = "member-baseline"
    STACK_ID = "lz-member-baseline"

    def __init__(self, app: Construct, config: LandingZoneConfig):
        self.stage = cdk.Stage(app, self.STAGE_ID)
        self.stack = cdk.Stack(
            self.stage,
            self.STACK_ID,
            stack_name=self.STACK_ID,
            description=f"BIO2 landing zone member-account baseline for {config.organization.name}",
            synthesizer=Bio2BootstraplessSynthesizer(),
            analytics_reporting=False,
        )


@dataclass(frozen=True)
class OrgPolicySpec:
    """An AWS Organizations policy that a component asks the organization component to deploy.

    Components run before the organization component (which creates the OUs), so they register
    policies here; the organization component creates one ``AWS::Organizations::Policy`` per spec,
    attaches it to ``targets`` and declares it as preventive evidence for ``measures``.
    """

    name: str
    #: SERVICE_CONTROL_POLICY, RESOURCE_CONTROL_POLICY, TAG_POLICY, BACKUP_POLICY,
    #: AISERVICES_OPT_OUT_POLICY...
    policy_type: str
    content: dict
    #: "Root", OU paths ("Workloads/Prod") or account names
    targets: tuple[str, ...]
    description: str
    measures: tuple[str, ...] = ()
    evidence: str = ""


Component = Callable[["LandingZone"], None]


class LandingZone:
    """Builds every stack of the landing zone from one configuration."""

    def __init__(
        self, app: Construct, config: LandingZoneConfig, components: list[Component] | None = None
    ) -> None:
        #: The root the landing zone is built into: the LandingZoneStage (tests may pass a CDK App).
        self.app = app
        self.config = config
        self.stacks: dict[StackKey, LandingZoneStack] = {}
        self.baseline = MemberBaseline(app, config)
        #: Organization policies registered by components (see OrgPolicySpec).
        self.org_policies: list[OrgPolicySpec] = []
        accounts = {a.role: a for a in config.organization.accounts}
        for role, regional in ROLE_REGIONS.items():
            account = accounts.get(role)
            if account is None:  # optional roles (shared-services)
                continue
            regions = config.regions.allowed if regional else [config.regions.home]
            for region in sorted(regions, key=lambda r: (r != config.regions.home, r)):
                self.stacks[StackKey(role, region)] = LandingZoneStack(
                    app, config=config, role=role, account_id=account.id, region=region
                )
        for component in components if components is not None else default_components():
            component(self)
        self._drop_empty_stacks()

    def _drop_empty_stacks(self) -> None:
        """A stack with no resources is not a valid template: leave it out of the app."""
        for key, stack in list(self.stacks.items()):
            if not any(isinstance(c, cdk.CfnResource) for c in stack.node.find_all()):
                self.app.node.try_remove_child(stack.node.id)
                del self.stacks[key]

    @property
    def home_region(self) -> str:
        return self.config.regions.home

    def stack(self, role: str, region: str | None = None) -> LandingZoneStack:
        """The stack of ``role`` in ``region`` (default: the home region)."""
        key = StackKey(role, region or self.home_region)
        try:
            return self.stacks[key]
        except KeyError:
            raise KeyError(f"the landing zone has no {role} stack in {key.region}") from None

    # -- network split hook (issue #16): extra stacks of one account role and region ---------------
    def extra_stack(self, role: str, region: str, part: str) -> LandingZoneStack:
        """An additional stack ``lz-<role>-<region>-<part>`` in the same account and region as the
        role's main stack (created on first use; left out of the app if it stays empty). It is
        deployed in the role's wave, and depends on the main stack."""
        key = StackKey(role, region, part)
        if key not in self.stacks:
            main = self.stack(role, region)
            extra = LandingZoneStack(
                self.app, config=self.config, role=role, account_id=main.account_id, region=region, part=part
            )
            extra.add_stack_dependency(main, f"{part} of {main.stack_name}")
            self.stacks[key] = extra
        return self.stacks[key]

    def has_stack(self, role: str, region: str | None = None) -> bool:
        return StackKey(role, region or self.home_region) in self.stacks

    def stacks_of(self, role: str) -> Iterator[LandingZoneStack]:
        for key, stack in self.stacks.items():
            if key.role == role:
                yield stack


def default_components() -> list[Component]:
    """The feature components, in build order."""
    from landing_zone import backup, classification, identity, logging, network, organization, security

    return [
        classification.build,
        logging.build,
        security.build,
        identity.build,
        network.build,
        backup.build,
        # last: turns the finished member baseline into the StackSet and attaches the policies
        organization.build,
    ]
