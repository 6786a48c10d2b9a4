"""identity component of the landing zone (being built)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from landing_zone.stacks import LandingZone


def build(lz: LandingZone) -> None:
    """Add the identity resources to the landing zone."""
