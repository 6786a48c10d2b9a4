"""Which stack goes to which account and region.

The landing zone is one stack per (account role, region): the management account holds the
organisation, identity and the member-account baseline StackSets (home region only, as
Organizations and IAM Identity Center are managed from there); the log archive holds the
central evidence store (home region); the security, network and shared-services accounts get
one stack in every allowed region because their services (GuardDuty, Security Hub, VPCs) are
regional.

This module only defines the stacks. The composition root (:mod:`landing_zone.assembly`) creates
them with :func:`create_stacks` and :class:`MemberBaseline` and hands the components a read-only
:class:`~landing_zone.core.contracts.Placement`; it imports no component.
"""

from __future__ import annotations

from collections.abc import Iterable

import aws_cdk as cdk
from constructs import Construct

from bio2_aspects.synthesizer import Bio2BootstraplessSynthesizer
from landing_zone.config import LandingZoneConfig
from landing_zone.core.contracts import StackKey
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
        #: "" for the role's main stack, else the extra stack's suffix (``spokes-2``)
        self.part = part
        self.region_name = region
        self.account_id = account_id
        account = next(a for a in config.organization.accounts if a.id == account_id)
        self.account_name = account.name


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


def create_stacks(
    scope: Construct, config: LandingZoneConfig, extra: Iterable[StackKey] = ()
) -> dict[StackKey, LandingZoneStack]:
    """One :class:`LandingZoneStack` per configured role and region (see :data:`ROLE_REGIONS`), in the
    order the app lists them: role by role, the home region first; then the ``extra`` stacks (a
    ``part`` of a role's account and region, e.g. the network's spoke stacks), each depending on its
    role's main stack in that region (it imports the main stack's exports)."""
    stacks: dict[StackKey, LandingZoneStack] = {}
    accounts = {a.role: a for a in config.organization.accounts}
    for role, regional in ROLE_REGIONS.items():
        account = accounts.get(role)
        if account is None:  # optional roles (shared-services)
            continue
        regions = config.regions.allowed if regional else [config.regions.home]
        for region in sorted(regions, key=lambda r: (r != config.regions.home, r)):
            stacks[StackKey(role, region)] = LandingZoneStack(
                scope, config=config, role=role, account_id=account.id, region=region
            )
    for key in extra:
        main = stacks.get(StackKey(key.role, key.region))
        if main is None or not key.part or key in stacks:
            continue
        stack = LandingZoneStack(
            scope, config=config, role=key.role, account_id=main.account_id, region=key.region, part=key.part
        )
        stack.add_stack_dependency(main, f"{key.part} of {main.stack_name}")
        stacks[key] = stack
    return stacks
