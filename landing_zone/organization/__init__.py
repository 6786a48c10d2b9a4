"""organization component of the landing zone: OUs, guardrails (organization policies) and the
member-baseline StackSet, in the management stack. See docs/guardrails.md.

The package stays light to import: the configuration validation uses :mod:`.policies` and
:mod:`.service_prefixes` without loading the CDK.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from landing_zone.stacks import LandingZone


def build(lz: LandingZone) -> None:
    """Add the organization resources to the landing zone (runs after every other component)."""
    from landing_zone.organization.component import build as build_organization

    build_organization(lz)
