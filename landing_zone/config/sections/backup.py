"""``backup``: AWS Backup plans per availability level, with cross-region copies."""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from landing_zone.config.base import ConfigModel, Hint
from landing_zone.config.errors import Problem
from landing_zone.config.sections.regions import Region, unlisted_region

if TYPE_CHECKING:
    from landing_zone.config.model import LandingZoneConfig
    from landing_zone.config.sections.regions import RegionsSection

RpoHours = Annotated[
    int,
    Field(ge=1),
    Hint(
        expected="a whole number of hours, at least 1",
        fix=(
            "set rpo_hours to 1 or more: AWS Backup schedules run at most once an hour, so a shorter "
            "RPO cannot be met by backups (it needs replication or continuous backup instead)"
        ),
    ),
]


class BackupTier(ConfigModel):
    """Backup targets for one availability level; give all four keys when you override a level."""

    rpo_hours: RpoHours = Field(
        description="Recovery point objective: most data, in hours, that may be lost."
    )
    rto_hours: int = Field(ge=1, description="Recovery time objective: longest time, in hours, to restore.")
    retention_days: int = Field(ge=1, description="Days each recovery point is kept.")
    cross_region_copy: bool = Field(description="Copy every recovery point to the copy region.")


class BackupTiers(ConfigModel):
    """One backup tier per availability level of the classification (BIV: beschikbaarheid)."""

    low: BackupTier = Field(
        default=BackupTier(rpo_hours=24, rto_hours=72, retention_days=35, cross_region_copy=False),
        description="Availability low: a daily backup is enough.",
    )
    medium: BackupTier = Field(
        default=BackupTier(rpo_hours=12, rto_hours=24, retention_days=90, cross_region_copy=False),
        description="Availability medium: backups twice a day.",
    )
    high: BackupTier = Field(
        default=BackupTier(rpo_hours=1, rto_hours=4, retention_days=180, cross_region_copy=True),
        description="Availability high: hourly backups, copied to a second region.",
    )


class BackupSection(ConfigModel):
    """Backup plans; resources join a plan through their availability classification."""

    tiers: BackupTiers = Field(default=BackupTiers(), description="Backup targets per availability level.")
    copy_region: Region | None = Field(
        default=None,
        description=(
            "Region for cross-region copies; an allowed region other than the home region. Default: "
            "the first allowed region that is not the home region."
        ),
    )

    def resolved_copy_region(self, regions: RegionsSection) -> str | None:
        """``copy_region``, or else the first allowed region other than home (None if there is none)."""
        if self.copy_region is not None:
            return self.copy_region
        return next((region for region in regions.allowed if region != regions.home), None)


def check(cfg: LandingZoneConfig) -> list[Problem]:
    """Backup checks:

    - `copy_region` is an allowed region and not the home region.
    - When a tier copies across regions, there is a copy region (set, or a second allowed region).
    - A higher availability level never has a longer RPO or RTO than a lower one.
    """
    backup, regions = cfg.backup, cfg.regions
    problems: list[Problem] = []
    if backup.copy_region is not None:
        problems += unlisted_region(cfg, backup.copy_region, "backup.copy_region")
        if backup.copy_region == regions.home:
            problems.append(
                Problem(
                    "backup.copy_region",
                    f"copy region {backup.copy_region} is the home region, so a copy would not survive "
                    "a regional outage",
                    "choose another allowed region",
                )
            )
    levels = [("low", backup.tiers.low), ("medium", backup.tiers.medium), ("high", backup.tiers.high)]
    copying = [level for level, tier in levels if tier.cross_region_copy]
    if copying and backup.resolved_copy_region(regions) is None:
        problems.append(
            Problem(
                f"backup.tiers.{copying[0]}.cross_region_copy",
                "cross-region copy is on, but there is no region to copy to",
                "add a second region to regions.allowed (and optionally set backup.copy_region), "
                "or set cross_region_copy: false",
            )
        )
    for (lower, low_tier), (higher, high_tier) in pairwise(levels):
        for objective in ("rpo_hours", "rto_hours"):
            if getattr(high_tier, objective) > getattr(low_tier, objective):
                problems.append(
                    Problem(
                        f"backup.tiers.{higher}.{objective}",
                        f"{objective} of availability {higher} ({getattr(high_tier, objective)}) is longer "
                        f"than that of {lower} ({getattr(low_tier, objective)})",
                        f"a higher availability level needs an equal or shorter {objective}",
                    )
                )
    return problems
