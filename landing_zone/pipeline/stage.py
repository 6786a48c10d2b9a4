"""One Stage that builds the whole landing zone, and the order in which its stacks are deployed.

Waves (each behind a manual approval in the pipeline, each depending on the one before):

1. ``log-archive``: the evidence store. It comes first because the management stack's
   organization trail and the member-baseline StackSet deliver to its bucket (CloudTrail and
   Config check the bucket when they are created).
2. ``organization``: the management account (OUs, guardrails, Identity Center, the organization
   trail, the member-baseline StackSet, the Security Hub delegated administrator).
3. ``security``: the security (audit) account, every region.
4. ``network``: the network account, every region.
5. ``rest``: every other landing-zone stack (shared services).

The dependencies are CDK stack dependencies (assembly metadata, not template content), so
``cdk deploy`` follows the same order as the pipeline.
"""

from __future__ import annotations

import itertools

import aws_cdk as cdk
from constructs import Construct

from landing_zone.assembly import LandingZone
from landing_zone.config import LandingZoneConfig
from landing_zone.stacks import LandingZoneStack

STAGE_ID = "LandingZone"

#: (wave name, account roles in it); roles not listed go to the last wave.
WAVES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("log-archive", ("log-archive",)),
    ("organization", ("management",)),
    ("security", ("security",)),
    ("network", ("network",)),
    ("rest", ()),
)


def waves(lz: LandingZone) -> list[tuple[str, list[LandingZoneStack]]]:
    """The landing zone's stacks grouped in deployment waves, in order; empty waves left out."""
    named = {role for _, roles in WAVES for role in roles}
    out = []
    for name, roles in WAVES:
        stacks = [s for s in lz.stacks.values() if (s.role in roles if roles else s.role not in named)]
        if stacks:
            out.append((name, stacks))
    return out


def order_stacks(lz: LandingZone) -> list[tuple[str, list[LandingZoneStack]]]:
    """Make every stack depend on every stack of the wave before it; returns the waves."""
    grouped = waves(lz)
    for (_, before), (_, after) in itertools.pairwise(grouped):
        for stack in after:
            for dependency in before:
                stack.add_stack_dependency(
                    dependency, "deployment wave order (landing_zone/pipeline/stage.py)"
                )
    return grouped


class LandingZoneStage(cdk.Stage):
    """The whole landing zone in one Stage (stack names stay ``lz-<role>-<region>``)."""

    def __init__(self, scope: Construct, config: LandingZoneConfig, construct_id: str = STAGE_ID) -> None:
        super().__init__(scope, construct_id)
        self.landing_zone = LandingZone(self, config)
        self.waves = order_stacks(self.landing_zone)
