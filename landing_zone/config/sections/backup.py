"""``backup``: AWS Backup plans per availability level, with cross-region copies.

A tier's schedule follows from its RPO. A recovery point is taken when a backup job *starts*, and
AWS Backup may start a job up to a start window after its scheduled time (60 minutes is the
shortest start window AWS Backup accepts). With backups every ``n`` hours the most data that can
be lost is therefore ``n`` hours plus the start window: the schedule picks the longest interval
(a divisor of 24 hours, so the backups are evenly spread over the day) for which that sum stays
within the RPO. Hourly backups are the most frequent schedule, so an RPO under two hours cannot be
met by scheduled backups at all.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from landing_zone.config.base import ConfigModel, Hint
from landing_zone.config.errors import Problem
from landing_zone.config.sections.classification import Level
from landing_zone.config.sections.regions import Region, unlisted_region

if TYPE_CHECKING:
    from landing_zone.config.model import LandingZoneConfig
    from landing_zone.config.sections.regions import RegionsSection

#: The shortest start window AWS Backup accepts: a job may start this long after its scheduled time.
START_WINDOW_MINUTES = 60
#: Backup intervals that spread evenly over a day (hours); AWS Backup runs at most hourly.
_INTERVALS = (1, 2, 3, 4, 6, 8, 12, 24)
#: The shortest RPO that scheduled backups can meet: hourly backups plus the start window.
MIN_RPO_HOURS = _INTERVALS[0] + START_WINDOW_MINUTES // 60

RpoHours = Annotated[
    int,
    Field(ge=MIN_RPO_HOURS),
    Hint(
        expected=f"a whole number of hours, at least {MIN_RPO_HOURS}",
        fix=(
            f"set rpo_hours to {MIN_RPO_HOURS} or more: AWS Backup schedules run at most once an hour and "
            f"a job may start up to {START_WINDOW_MINUTES} minutes late (the shortest start window), so "
            "scheduled backups can lose up to two hours of data; a shorter RPO needs replication or "
            "continuous backup of the application itself"
        ),
    ),
]

#: Resource types AWS Backup restore testing can restore (``ProtectedResourceType`` values).
RestoreTestType = Literal[
    "Aurora", "DocumentDB", "DynamoDB", "EBS", "EC2", "EFS", "FSx", "Neptune", "RDS", "S3"
]


class BackupTier(ConfigModel):
    """Backup targets for one availability level; give all four keys when you override a level."""

    rpo_hours: RpoHours = Field(
        description=(
            "Recovery point objective: most data, in hours, that may be lost. The schedule is derived "
            "from it (interval plus the 60-minute start window stays within the RPO)."
        )
    )
    rto_hours: int = Field(ge=1, description="Recovery time objective: longest time, in hours, to restore.")
    retention_days: int = Field(ge=1, le=36500, description="Days each recovery point is kept.")
    cross_region_copy: bool = Field(description="Copy every recovery point to the copy region.")

    @property
    def interval_hours(self) -> int:
        """Hours between scheduled backups: the longest even interval that meets the RPO."""
        budget = self.rpo_hours - START_WINDOW_MINUTES / 60
        return max(hours for hours in _INTERVALS if hours <= budget)

    @property
    def worst_case_data_loss_hours(self) -> float:
        """The most data, in hours, a failure just before the next backup starts can lose."""
        return self.interval_hours + START_WINDOW_MINUTES / 60

    @property
    def schedule_expression(self) -> str:
        """AWS Backup cron expression (UTC) for :attr:`interval_hours`."""
        hours = self.interval_hours
        if hours == 24:
            return "cron(0 0 * * ? *)"
        if hours == 1:
            return "cron(0 * * * ? *)"
        return f"cron(0 0/{hours} * * ? *)"


class BackupTiers(ConfigModel):
    """One backup tier per availability level of the classification (BIV: beschikbaarheid)."""

    low: BackupTier = Field(
        default=BackupTier(rpo_hours=24, rto_hours=72, retention_days=35, cross_region_copy=False),
        description="Availability low: at most a day of data lost (backups every 12 hours).",
    )
    medium: BackupTier = Field(
        default=BackupTier(rpo_hours=12, rto_hours=24, retention_days=90, cross_region_copy=False),
        description="Availability medium: at most 12 hours of data lost (backups every 8 hours).",
    )
    high: BackupTier = Field(
        default=BackupTier(rpo_hours=2, rto_hours=4, retention_days=180, cross_region_copy=True),
        description="Availability high: hourly backups (at most 2 hours lost), copied to a second region.",
    )

    def by_level(self) -> dict[Level, BackupTier]:
        """The tiers keyed by availability level, lowest first."""
        return {"low": self.low, "medium": self.medium, "high": self.high}


class VaultLock(ConfigModel):
    """AWS Backup Vault Lock in compliance mode on every backup vault of the landing zone."""

    changeable_for_days: int = Field(
        default=3,
        ge=3,
        le=36500,
        description=(
            "Grace period in days after deployment during which the lock can still be changed or "
            "removed; afterwards nobody, the root user and AWS included, can (compliance mode). "
            "AWS requires at least 3."
        ),
    )
    min_retention_days: int = Field(
        default=35,
        ge=1,
        le=36500,
        description=(
            "No recovery point can be deleted before it is this many days old. Every tier's "
            "retention_days must be at least this."
        ),
    )
    max_retention_days: int = Field(
        default=3650,
        ge=1,
        le=36500,
        description="Longest retention a backup job may ask for; every tier's retention_days must fit.",
    )


class RestoreTesting(ConfigModel):
    """AWS Backup restore testing: restores recent recovery points on a schedule and checks they work."""

    levels: list[Level] = Field(
        default=["high"],
        description=(
            "Availability levels whose resources are restore-tested; an empty list turns restore "
            "testing off (then the restore procedure must be tested by hand, BIO2 8.13.04)."
        ),
    )
    schedule: Literal["weekly", "monthly", "quarterly"] = Field(
        default="monthly", description="How often a restore test runs (BIO2 asks for at least yearly)."
    )
    resource_types: list[RestoreTestType] = Field(
        default=["Aurora", "DynamoDB", "EBS", "EC2", "EFS", "RDS", "S3"],
        min_length=1,
        description="Resource types to restore-test (one restore testing selection each).",
    )
    validation_window_hours: int = Field(
        default=4,
        ge=0,
        le=168,
        description="Hours a restored resource is kept for validation before AWS Backup deletes it.",
    )

    @property
    def schedule_expression(self) -> str:
        """Cron expression (UTC) for :attr:`schedule`, at 03:00 on a Sunday or the first of a month."""
        return {
            "weekly": "cron(0 3 ? * SUN *)",
            "monthly": "cron(0 3 1 * ? *)",
            "quarterly": "cron(0 3 1 1,4,7,10 ? *)",
        }[self.schedule]


IsolatedVaultArn = Annotated[
    str,
    Field(pattern=r"^arn:aws:backup:[a-z0-9-]+:\d{12}:backup-vault:[A-Za-z0-9_.-]{2,50}$"),
    Hint(
        expected="the ARN of a backup vault: arn:aws:backup:<region>:<12-digit account>:backup-vault:<name>",
        example="arn:aws:backup:eu-central-1:888888888888:backup-vault:lz-isolated",
    ),
]


class IsolatedCopy(ConfigModel):
    """A copy of every recovery point outside the account and its administrators: a vault in a
    separate backup account, or a logically air-gapped vault shared with the organization."""

    vault_arn: IsolatedVaultArn = Field(
        description=(
            "Destination vault (in another account than the workloads; a logically air-gapped vault or a "
            "locked vault in a dedicated backup account). Its access policy must admit "
            "`backup:CopyIntoBackupVault` from the organization, and cross-account backup must be on."
        )
    )
    levels: tuple[Level, ...] = Field(
        default=("high",),
        min_length=1,
        description="Availability levels whose recovery points are also copied there (default: high).",
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
    plan_mechanism: Literal["baseline", "organization_policy"] = Field(
        default="baseline",
        description=(
            "Where the backup plans come from. `baseline`: CloudFormation backup plans in the member "
            "account baseline (checked by the BIO2 rules). `organization_policy`: AWS Organizations "
            "backup policies (member accounts cannot change them; the baseline then has no plans). "
            "Never both: every resource would be backed up twice."
        ),
    )
    vault_lock: VaultLock = Field(default=VaultLock(), description="Vault Lock of every backup vault.")
    isolated_copy: IsolatedCopy | None = Field(
        default=None,
        description=(
            "Copy recovery points to a vault outside the workload accounts (separate backup account or "
            "logically air-gapped vault), so that an administrator of the account cannot reach every copy. "
            "Once set, it covers availability high unless `levels` says otherwise."
        ),
    )
    restore_testing: RestoreTesting = Field(
        default=RestoreTesting(), description="Automatic restore tests (BIO2 8.13.04)."
    )

    def resolved_copy_region(self, regions: RegionsSection) -> str | None:
        """``copy_region``, or else the first allowed region other than home (None if there is none)."""
        if self.copy_region is not None:
            return self.copy_region
        return next((region for region in regions.allowed if region != regions.home), None)

    def copy_targets(self, regions: RegionsSection) -> dict[str, str]:
        """Per allowed region, the region its copies go to: the copy region, and from there home.

        Empty when there is no copy region.
        """
        copy_region = self.resolved_copy_region(regions)
        if copy_region is None:
            return {}
        return {
            region: (regions.home if region == copy_region else copy_region)
            for region in sorted(regions.allowed)
        }


def check(cfg: LandingZoneConfig) -> list[Problem]:
    """Backup checks:

    - `copy_region` is an allowed region and not the home region.
    - When a tier copies across regions, there is a copy region (set, or a second allowed region).
    - A higher availability level never has a longer RPO or RTO than a lower one.
    - Every tier's retention lies within the vault lock's minimum and maximum retention, and the
      minimum is not above the maximum.
    - Restore testing names each availability level once.
    - The isolated copy vault is in an allowed region, not in a workload account of the organization.
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
    levels = list(backup.tiers.by_level().items())
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
    isolated = backup.isolated_copy
    if isolated is not None:
        _, _, _, vault_region, vault_account, _ = isolated.vault_arn.split(":", 5)
        problems += unlisted_region(cfg, vault_region, "backup.isolated_copy.vault_arn")
        owner = next((a for a in cfg.organization.accounts if a.id == vault_account), None)
        if owner is not None and owner.role in ("workload", "sandbox", "management"):
            problems.append(
                Problem(
                    "backup.isolated_copy.vault_arn",
                    f"the isolated copy vault is in account {owner.name} ({owner.role}), whose "
                    "administrators are the ones the copy must be out of reach of",
                    "use a vault in a dedicated backup account or a logically air-gapped vault",
                )
            )
    lock = backup.vault_lock
    if lock.min_retention_days > lock.max_retention_days:
        problems.append(
            Problem(
                "backup.vault_lock.min_retention_days",
                f"the minimum retention ({lock.min_retention_days} days) is above the maximum "
                f"({lock.max_retention_days} days)",
                "make min_retention_days at most max_retention_days",
            )
        )
    else:
        for level, tier in levels:
            if not lock.min_retention_days <= tier.retention_days <= lock.max_retention_days:
                problems.append(
                    Problem(
                        f"backup.tiers.{level}.retention_days",
                        f"retention of {tier.retention_days} days is outside the vault lock's range "
                        f"({lock.min_retention_days} to {lock.max_retention_days} days): AWS Backup "
                        "would refuse every backup job of this tier",
                        "choose a retention within backup.vault_lock.min_retention_days and "
                        "max_retention_days, or change those bounds",
                    )
                )
    seen: set[str] = set()
    for index, level in enumerate(backup.restore_testing.levels):
        if level in seen:
            problems.append(
                Problem(
                    f"backup.restore_testing.levels[{index}]",
                    f"availability level {level} is listed twice",
                    "list each level once",
                )
            )
        seen.add(level)
    seen = set()
    for index, resource_type in enumerate(backup.restore_testing.resource_types):
        if resource_type in seen:
            problems.append(
                Problem(
                    f"backup.restore_testing.resource_types[{index}]",
                    f"resource type {resource_type} is listed twice",
                    "list each resource type once",
                )
            )
        seen.add(resource_type)
    return problems
