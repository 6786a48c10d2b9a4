"""The contracts between the landing zone's components and the composition root.

A *component* (classification, logging, security, identity, network, backup, organization) is a
function ``build(config, placement, *, <outputs of earlier components>) -> <its outputs>``:

* ``config`` is the validated configuration;
* ``placement`` (:class:`Placement`) says which stack serves an account role in a region and where
  the member-account baseline is; it is read-only, the composition root
  (:mod:`landing_zone.assembly`) creates the stacks;
* keyword arguments are the typed outputs of the components it needs, so its signature documents
  its dependencies; it returns its own outputs (frozen dataclasses below), including the AWS
  Organizations policies it wants deployed (:class:`OrgPolicySpec`) instead of appending them to
  shared state.

No component looks up another component's resources in the construct tree or by construct ID: a
resource passed between components is a field here. Components import this module, never
:mod:`landing_zone.stacks` nor the composition root (``tests/architecture`` checks it).

This module imports no CDK at runtime (the configuration and the light component packages import
it without starting the jsii runtime); the CDK types are for type checkers only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import aws_cdk as cdk
    from aws_cdk import aws_cloudtrail as cloudtrail
    from aws_cdk import aws_events as events
    from aws_cdk import aws_kms as kms
    from aws_cdk import aws_s3 as s3
    from aws_cdk import aws_sns as sns
    from constructs import Construct


# ------------------------------------------------------------------------------------- placement


@dataclass(frozen=True)
class StackKey:
    """An account role and a region: the key of a landing-zone stack."""

    role: str
    region: str
    #: "" for the role's main stack; else the suffix of an extra stack of the same account and region
    #: (the network's spoke stacks, ``spokes-2``), which the composition root creates up front
    part: str = ""


@dataclass(frozen=True)
class BaselinePlacement:
    """The member-account baseline: an ordinary stack in its own Stage, deployed by a StackSet.

    Components add constructs to :attr:`stack`; the organization component turns the synthesized
    template into the StackSet (it reads :attr:`stage` for the template's location).
    """

    stage: cdk.Stage
    stack: cdk.Stack


@dataclass(frozen=True)
class Placement:
    """Read-only view of where the landing zone's resources go.

    ``stacks`` is a read-only mapping owned by the composition root; the stacks themselves are
    ordinary CDK stacks that components add constructs to. A role that is not configured (the
    optional ``shared-services``) has no stack.
    """

    #: The Stage (or, in tests, the App) the landing zone is built in.
    root: cdk.Stage
    home_region: str
    allowed_regions: tuple[str, ...]
    baseline: BaselinePlacement
    #: the stacks by (role, region), home region first per role
    stacks: Mapping[StackKey, cdk.Stack] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        if not isinstance(self.stacks, MappingProxyType):
            object.__setattr__(self, "stacks", MappingProxyType(dict(self.stacks)))

    def stack(self, role: str, region: str | None = None, part: str = "") -> cdk.Stack:
        """The stack of ``role`` in ``region`` (default: the home region), or its extra stack ``part``;
        KeyError when there is none."""
        key = StackKey(role, region or self.home_region, part)
        try:
            return self.stacks[key]
        except KeyError:
            what = f"{role} stack" + (f" {part}" if part else "")
            raise KeyError(f"the landing zone has no {what} in {key.region}") from None

    def has_stack(self, role: str, region: str | None = None, part: str = "") -> bool:
        return StackKey(role, region or self.home_region, part) in self.stacks

    def regions_of(self, role: str) -> tuple[str, ...]:
        """The regions where ``role`` has its main stack, home region first."""
        return tuple(key.region for key in self.stacks if key.role == role and not key.part)

    def stacks_of(self, role: str) -> Iterator[tuple[str, cdk.Stack]]:
        """(region, stack) of the main stack of ``role`` in every region, home region first (extra
        stacks are reached with :meth:`stack` and their ``part``)."""
        for key, stack in self.stacks.items():
            if key.role == role and not key.part:
                yield key.region, stack


# ------------------------------------------------------------------------- organization policies


@dataclass(frozen=True)
class OrgPolicySpec:
    """An AWS Organizations policy that a component asks the organization component to deploy.

    Components run before the organization component (which creates the OUs), so they return
    policies in their outputs (``org_policies``); the composition root hands all of them to the
    organization component, which creates one ``AWS::Organizations::Policy`` per spec, attaches it to
    ``targets`` and declares it as preventive evidence for ``measures``.
    """

    name: str
    #: SERVICE_CONTROL_POLICY, RESOURCE_CONTROL_POLICY, TAG_POLICY, BACKUP_POLICY,
    #: AISERVICES_OPT_OUT_POLICY...
    policy_type: str
    content: dict[str, Any]
    #: "Root", OU paths ("Workloads/Prod") or account names
    targets: tuple[str, ...]
    description: str
    measures: tuple[str, ...] = ()
    evidence: str = ""


# ----------------------------------------------------------------------------- component outputs


@dataclass(frozen=True, kw_only=True)
class ComponentOutputs:
    """What every component returns: the organization policies it wants deployed (may be none)."""

    org_policies: tuple[OrgPolicySpec, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ClassificationOutputs(ComponentOutputs):
    """The classification taggers (on the landing zone's root and on the baseline's Stage)."""

    taggers: tuple[cdk.IAspect, ...] = ()


@dataclass(frozen=True, kw_only=True)
class LoggingOutputs(ComponentOutputs):
    """The log archive and the organization trail. Empty (the default) when logging is not built.

    Other accounts deliver to the log archive by name (:mod:`landing_zone.naming`): a bucket in
    another account cannot be referenced by token. These fields are for resources in the same
    stack and for the wiring between components in the management account.
    """

    #: the write-once log archive bucket and its KMS key (log-archive account, home region)
    log_bucket: s3.IBucket | None = None
    log_key: kms.IKey | None = None
    #: the organization trail (management account, home region); None under Control Tower
    trail: cloudtrail.CfnTrail | None = None
    #: the name of the trail's CloudWatch Logs group (a token that depends on the group), None
    #: without ``logging.cloudwatch_delivery`` or without an organization trail
    trail_log_group_name: str | None = None
    #: the KMS key of the trail's CloudWatch Logs group
    trail_logs_key: kms.IKey | None = None


@dataclass(frozen=True, kw_only=True)
class SecurityOutputs(ComponentOutputs):
    """The security alerting and the member baseline's home-region condition."""

    #: the alert bus (security account, home region), None when not built
    alert_bus: events.CfnEventBus | None = None
    #: the alert topics by owner (security account, home region)
    alert_topics: Mapping[str, sns.ITopic] = field(default_factory=lambda: MappingProxyType({}))
    #: alert kinds raised by metric alarms on the organization trail's log group
    trail_alarms: frozenset[str] = frozenset()
    #: the baseline's "this is the home region" condition (global resources such as IAM and the
    #: Config recorder's global resource types exist in the home region only); None when the
    #: security component made none (Control Tower owns the recorder)
    baseline_home_region: cdk.CfnCondition | None = None


@dataclass(frozen=True, kw_only=True)
class IdentityOutputs(ComponentOutputs):
    """The identity alert topics (security account) by region."""

    alert_topics: Mapping[str, Construct] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, kw_only=True)
class NetworkOutputs(ComponentOutputs):
    """The regional networks (network account) by region."""

    networks: Mapping[str, Construct] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, kw_only=True)
class BackupOutputs(ComponentOutputs):
    """The baseline's backup vault (name and ARN as the member accounts resolve them)."""

    vault_name: str | None = None
    vault_arn: str | None = None


@dataclass(frozen=True, kw_only=True)
class OrganizationOutputs(ComponentOutputs):
    """The OUs and the member-baseline StackSet (management account, home region)."""

    #: OU ID (token) by OU path
    ou_ids: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    stack_set: cdk.CfnStackSet | None = None
