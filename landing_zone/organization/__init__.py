"""organization component of the landing zone (being built).

DEVELOPER NOTE (remove when done): the "$(COMMON)" part of your brief is in /tmp/briefs/common.md:
read it now; it holds the project context, hard requirements, test fixtures and rules of work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from landing_zone.stacks import LandingZone


def build(lz: LandingZone) -> None:
    """Add the organization resources to the landing zone."""
