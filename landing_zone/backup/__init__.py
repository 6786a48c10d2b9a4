"""Backup component: locked vaults, plans per availability level, copies and restore tests (BIO2 8.13).

Everything lives in the member-account baseline, so every member account gets it in every allowed
region through the StackSet:

* a backup vault (:data:`VAULT_NAME`) with its own KMS key (rotation on, both retained) under
  Vault Lock in compliance mode;
* the AWS Backup service role (AWS managed service policies only);
* per availability level a backup plan whose schedule follows the tier's RPO, selecting every
  resource tagged ``bio2:availability=<level>``; levels with ``cross_region_copy`` copy every
  recovery point to the vault of the same name in the copy region (and from the copy region back
  to the home region);
* restore testing for the configured levels (default: high).

With ``backup.plan_mechanism: organization_policy`` the plans come from AWS Organizations backup
policies instead (returned in the component's ``org_policies``) and the baseline has no plans of its own:
never both, or every resource would be backed up twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from landing_zone.backup.plans import (
    BackupServiceRole,
    RestoreTestingPlan,
    TierBackupPlan,
    copy_region_mapping,
    levels_in_order,
)
from landing_zone.backup.policy import backup_policy_content, backup_policy_description
from landing_zone.backup.vault import KEY_ALIAS, VAULT_NAME, LockedBackupVault
from landing_zone.core.contracts import BackupOutputs, OrgPolicySpec, Placement

if TYPE_CHECKING:
    from landing_zone.config import LandingZoneConfig

__all__ = [
    "KEY_ALIAS",
    "VAULT_NAME",
    "BackupServiceRole",
    "LockedBackupVault",
    "RestoreTestingPlan",
    "TierBackupPlan",
    "backup_policy_content",
    "build",
    "isolated_vault_arn",
]


def isolated_vault_arn(settings, level: str) -> str | None:
    """The isolated copy vault of ``level`` (``backup.isolated_copy``), or None."""
    isolated = settings.isolated_copy
    return isolated.vault_arn if isolated is not None and level in isolated.levels else None


def build(config: LandingZoneConfig, placement: Placement) -> BackupOutputs:
    """Add the vault, the plans and restore testing to the member baseline; with
    ``plan_mechanism: organization_policy`` return the backup policies instead of the plans."""
    settings = config.backup
    stack = placement.baseline.stack
    tiers = settings.tiers.by_level()

    vault = LockedBackupVault(stack, "BackupVault", lock=settings.vault_lock)
    role = BackupServiceRole(stack, "BackupServiceRole")
    targets = settings.copy_targets(config.regions)
    mapping = copy_region_mapping(stack, "BackupCopyRegion", targets) if targets else None

    policies: list[OrgPolicySpec] = []
    if settings.plan_mechanism == "baseline":
        for level, tier in tiers.items():
            copy_to = None
            if tier.cross_region_copy and mapping is not None:
                copy_to = mapping.find_in_map(stack.region, "Target")
            TierBackupPlan(
                stack,
                f"BackupPlan{level.capitalize()}",
                level=level,
                tier=tier,
                vault_name=vault.vault_name,
                role=role,
                copy_to_region=copy_to,
                isolated_vault_arn=isolated_vault_arn(settings, level),
            )
    else:
        for level, tier in tiers.items():
            measures = ("8.13.01", "8.13.03") if tier.cross_region_copy else ("8.13.01",)
            policies.append(
                OrgPolicySpec(
                    name=f"lz-backup-{level}",
                    policy_type="BACKUP_POLICY",
                    content=backup_policy_content(config, level),
                    # where the baseline (and so the vault and the role) is deployed
                    targets=tuple(config.organization.baseline.targets),
                    description=backup_policy_description(config, level),
                    measures=measures,
                    evidence=(
                        f"AWS Organizations backup policy: every member account backs up the resources "
                        f"classified availability {level} every {tier.interval_hours} h into the locked "
                        f"{VAULT_NAME} vault and keeps them {tier.retention_days} days"
                        + (", with a copy in a second region" if tier.cross_region_copy else "")
                        + "; member accounts cannot change or delete these plans."
                    ),
                )
            )

    for level in levels_in_order(settings.restore_testing.levels):
        RestoreTestingPlan(
            stack,
            f"RestoreTesting{level.capitalize()}",
            level=level,
            settings=settings.restore_testing,
            vault_arn=vault.vault_arn,
            role=role,
            retention_days=tiers[level].retention_days,
        )
    return BackupOutputs(org_policies=tuple(policies), vault_name=vault.vault_name, vault_arn=vault.vault_arn)
