"""organization component of the landing zone: OUs, guardrails (organization policies) and the
member-baseline StackSet, in the management stack. See docs/guardrails.md.

The package stays light to import: the configuration validation uses :mod:`.policies` and
:mod:`.service_prefixes` without loading the CDK.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from landing_zone.config import LandingZoneConfig
    from landing_zone.core.contracts import OrganizationOutputs, OrgPolicySpec, Placement


def build(
    config: LandingZoneConfig, placement: Placement, *, org_policies: Sequence[OrgPolicySpec] = ()
) -> OrganizationOutputs:
    """Add the organization resources to the landing zone: runs after every other component, with
    the organization policies they returned (``org_policies``), when the member baseline is complete."""
    from landing_zone.organization.component import build as build_organization

    return build_organization(config, placement, org_policies=org_policies)
