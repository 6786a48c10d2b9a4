"""AWS Backup rules.

Measures: (strength, facet and rationale per rule in bio2_aspects/mappings/data/rules.json)
8.13.01 (backups are made, kept and shielded from ransomware: Vault Lock),
8.13.03 (a copy in a second vault), 8.24.02 (the vault's KMS key is an inventoried key),
5.33.01 (backup copies get an explicit retention).
"""

from __future__ import annotations

from bio2_aspects.messages import msg

from ._helpers import customer_managed_key, is_set, items, lookup, synth_time, to_int
from .base import Level, Outcome, Resource, Result, rule

VAULT = "AWS::Backup::BackupVault"
PLAN = "AWS::Backup::BackupPlan"

#: Shortest retention, in days, that counts as keeping a backup (vault-lock minimum, plan
#: lifecycle, copy lifecycle): a week, so that an incident noticed after a weekend or a holiday
#: can still be recovered from (the same floor as the RDS automated-backup rule).
MIN_BACKUP_RETENTION_DAYS = 7
#: Longest Vault Lock grace period (ChangeableForDays) that still counts as a lock: during the grace
#: period the lock can be removed, so a lock "changeable for" 100 years is no lock. AWS requires at
#: least 3 days; a month is ample to test the settings before the lock becomes immutable.
MIN_CHANGEABLE_DAYS = 3
MAX_CHANGEABLE_DAYS = 30


def _plan_rules(res: Resource) -> list[object]:
    return items(lookup(res.properties, "BackupPlan", "BackupPlanRule"), "BackupPlan.BackupPlanRule")


@rule(
    "BIO2-Backup-VaultLock",
    types=[VAULT],
    finding="Backup vault has no Vault Lock in compliance mode",
    fix="Set LockConfiguration with MinRetentionDays and ChangeableForDays (compliance mode: after the "
    "grace period nobody, including root, can delete recovery points early or remove the lock)",
)
@synth_time
def backup_vault_lock(res: Resource) -> Outcome:
    """Vault Lock in compliance mode (ChangeableForDays set) with a minimum retention.

    Governance mode (no ChangeableForDays) can be removed by privileged users and does not
    protect backups against a compromised administrator.
    """
    lock = lookup(res.properties, "LockConfiguration")
    if lock is None:
        return Result.NON_COMPLIANT, msg("rule.not_set", where="LockConfiguration")
    min_days = to_int(
        lookup(lock, "MinRetentionDays", where="LockConfiguration"), "LockConfiguration.MinRetentionDays"
    )
    if min_days is None or min_days < 1:
        return Result.NON_COMPLIANT, msg("rule.not_set", where="LockConfiguration.MinRetentionDays")
    if min_days < MIN_BACKUP_RETENTION_DAYS:
        return (
            Result.NON_COMPLIANT,
            msg(
                "rule.below",
                where="LockConfiguration.MinRetentionDays",
                value=min_days,
                minimum=MIN_BACKUP_RETENTION_DAYS,
            ),
        )
    changeable = to_int(
        lookup(lock, "ChangeableForDays", where="LockConfiguration"), "LockConfiguration.ChangeableForDays"
    )
    if changeable is None:
        return Result.NON_COMPLIANT, msg("rule.backup.governance")
    if not MIN_CHANGEABLE_DAYS <= changeable <= MAX_CHANGEABLE_DAYS:
        return (
            Result.NON_COMPLIANT,
            msg("rule.backup.changeable", days=changeable, low=MIN_CHANGEABLE_DAYS, high=MAX_CHANGEABLE_DAYS),
        )
    max_days = to_int(
        lookup(lock, "MaxRetentionDays", where="LockConfiguration"), "LockConfiguration.MaxRetentionDays"
    )
    if max_days is not None and max_days < min_days:
        return (
            Result.NON_COMPLIANT,
            msg("rule.backup.max_below_min", days=max_days),
        )
    return Result.COMPLIANT


@rule(
    "BIO2-Backup-VaultKms",
    types=[VAULT],
    finding="Backup vault does not use a customer managed KMS key",
    fix="Set EncryptionKeyArn to a customer managed KMS key",
)
@synth_time
def backup_vault_kms(res: Resource) -> Outcome:
    """EncryptionKeyArn names a customer managed key (absent: the AWS-managed aws/backup key)."""
    ok, why = customer_managed_key(res.properties.get("EncryptionKeyArn"), res, "EncryptionKeyArn")
    if ok:
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, why


@rule(
    "BIO2-Backup-PlanHasRules",
    types=[PLAN],
    finding="Backup plan has no scheduled rule that writes to a vault",
    fix="Add BackupPlanRule entries with a TargetBackupVault and a ScheduleExpression matching the RPO",
)
@synth_time
def backup_plan_has_rules(res: Resource) -> Outcome:
    """The plan has at least one rule; each names a target vault and a schedule."""
    rules = _plan_rules(res)
    if not rules:
        return Result.NON_COMPLIANT, msg("rule.empty", where="BackupPlan.BackupPlanRule")
    for i, r in enumerate(rules):
        where = f"BackupPlan.BackupPlanRule[{i}]"
        if not is_set(lookup(r, "TargetBackupVault", where=where), f"{where}.TargetBackupVault"):
            return Result.NON_COMPLIANT, msg("rule.has_no", where=where, what="TargetBackupVault")
        if not is_set(lookup(r, "ScheduleExpression", where=where), f"{where}.ScheduleExpression"):
            return Result.NON_COMPLIANT, msg("rule.has_no", where=where, what="ScheduleExpression")
    return Result.COMPLIANT


@rule(
    "BIO2-Backup-PlanCopy",
    types=[PLAN],
    level=Level.WARNING,
    finding="Backup plan keeps no copy in another vault (region or account)",
    fix="Add CopyActions to a vault in another region or the backup account",
)
@synth_time
def backup_plan_copy(res: Resource) -> Outcome:
    """At least one rule copies recovery points to another vault."""
    for i, r in enumerate(_plan_rules(res)):
        where = f"BackupPlan.BackupPlanRule[{i}]"
        for j, action in enumerate(items(lookup(r, "CopyActions", where=where), f"{where}.CopyActions")):
            dest = lookup(action, "DestinationBackupVaultArn", where=f"{where}.CopyActions[{j}]")
            if is_set(dest, f"{where}.CopyActions[{j}].DestinationBackupVaultArn"):
                return Result.COMPLIANT
    return Result.NON_COMPLIANT, msg("rule.backup.no_copy")


@rule(
    "BIO2-Backup-PlanRetention",
    types=[PLAN],
    level=Level.WARNING,
    finding="Backup plan rule has no defined retention (Lifecycle.DeleteAfterDays)",
    fix="Set Lifecycle.DeleteAfterDays on every rule to the agreed retention period",
)
@synth_time
def backup_plan_retention(res: Resource) -> Outcome:
    """Every rule states how long recovery points (and their copies) are kept: at least a week."""
    rules = _plan_rules(res)
    if not rules:
        return Result.NON_COMPLIANT, msg("rule.empty", where="BackupPlan.BackupPlanRule")
    for i, r in enumerate(rules):
        rwhere = f"BackupPlan.BackupPlanRule[{i}]"
        where = f"{rwhere}.Lifecycle.DeleteAfterDays"
        days = to_int(lookup(r, "Lifecycle", "DeleteAfterDays", where=rwhere), where)
        if days is None:
            return Result.NON_COMPLIANT, msg("rule.not_set", where=where)
        if days < MIN_BACKUP_RETENTION_DAYS:
            return Result.NON_COMPLIANT, msg(
                "rule.below", where=where, value=days, minimum=MIN_BACKUP_RETENTION_DAYS
            )
        for j, action in enumerate(items(lookup(r, "CopyActions", where=rwhere), f"{rwhere}.CopyActions")):
            cwhere = f"{rwhere}.CopyActions[{j}].Lifecycle.DeleteAfterDays"
            copy_days = to_int(
                lookup(action, "Lifecycle", "DeleteAfterDays", where=f"{rwhere}.CopyActions[{j}]"), cwhere
            )
            if copy_days is not None and copy_days < MIN_BACKUP_RETENTION_DAYS:
                return Result.NON_COMPLIANT, msg(
                    "rule.below", where=cwhere, value=copy_days, minimum=MIN_BACKUP_RETENTION_DAYS
                )
    return Result.COMPLIANT
