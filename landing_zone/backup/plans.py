"""Backup plans per availability level, the AWS Backup service role, and restore testing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import aws_cdk as cdk
from aws_cdk import aws_backup as backup
from aws_cdk import aws_iam as iam
from constructs import Construct

from bio2_aspects.claims import RestoreTestingSelects
from bio2_aspects.rules.tagging import AVAILABILITY_TAG
from landing_zone.acknowledgements import acknowledge
from landing_zone.backup.vault import vault_arn
from landing_zone.claims import make_claim
from landing_zone.config.sections.backup import START_WINDOW_MINUTES, BackupTier, RestoreTesting
from landing_zone.nag import acknowledge_nag
from landing_zone.naming import PLATFORM_TAG

#: The service role AWS Backup uses in a member account, one per region (IAM names are global per
#: account and the baseline is deployed once per region): ``lz-backup-eu-central-1``.
ROLE_NAME_PREFIX = "lz-backup-"
#: AWS managed policies of the service role: backups and restores (S3 has policies of its own).
SERVICE_ROLE_POLICIES = (
    "service-role/AWSBackupServiceRolePolicyForBackup",
    "service-role/AWSBackupServiceRolePolicyForRestores",
    "AWSBackupServiceRolePolicyForS3Backup",
    "AWSBackupServiceRolePolicyForS3Restore",
)
#: Days back from which restore testing picks the latest recovery point.
RESTORE_SELECTION_WINDOW_DAYS = 7
#: Hours after its scheduled time within which a restore test must start.
RESTORE_START_WINDOW_HOURS = 24


def plan_name(level: str) -> str:
    return f"lz-{level}"


def restore_testing_plan_name(level: str) -> str:
    # Restore testing names allow letters, digits and underscores only.
    return f"lz_{level}_restore_test"


def completion_window_minutes(tier: BackupTier) -> int:
    """A job must finish within the backup interval (at least two hours), or it overlaps the next one."""
    return max(tier.interval_hours, 2) * 60


class BackupServiceRole(Construct):
    """The IAM role AWS Backup assumes for backups, copies and restores in this account and region."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.role = iam.Role(
            self,
            "Role",
            role_name=cdk.Fn.sub(f"{ROLE_NAME_PREFIX}${{AWS::Region}}"),
            description="AWS Backup service role of the landing zone: backups, copies and restore tests",
            assumed_by=iam.ServicePrincipal("backup.amazonaws.com"),
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name(n) for n in SERVICE_ROLE_POLICIES
            ],
        )
        acknowledge_nag(
            self.role,
            "AwsSolutions-IAM4",
            "These four are AWS's documented policies for an AWS Backup service role (backup and restore, "
            "plus the S3 backup and restore policies); AWS keeps them current as AWS Backup supports new "
            "resource types, which a copied customer managed policy would miss.",
            findings=[f"Policy::arn:<AWS::Partition>:iam::aws:policy/{n}" for n in SERVICE_ROLE_POLICIES],
        )

    @property
    def role_arn(self) -> str:
        return self.role.role_arn


class TierBackupPlan(Construct):
    """The backup plan of one availability level, and the selection of the resources classified so.

    The schedule follows the tier's RPO (see :mod:`landing_zone.config.sections.backup`); every
    recovery point is kept ``retention_days``. With ``copy_to_region`` (a region name, or a token
    such as ``Fn::FindInMap`` that gives one) every recovery point is also copied to the vault of
    the same name in that region. The selection picks every resource whose ``bio2:availability``
    tag is ``level``: classifying a resource is all it takes to back it up.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        level: str,
        tier: BackupTier,
        vault_name: str,
        role: BackupServiceRole,
        copy_to_region: str | None,
        isolated_vault_arn: str | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        lifecycle = backup.CfnBackupPlan.LifecycleResourceTypeProperty(delete_after_days=tier.retention_days)
        copy_actions = None
        if copy_to_region is not None:
            copy_actions = [
                backup.CfnBackupPlan.CopyActionResourceTypeProperty(
                    destination_backup_vault_arn=cdk.Fn.sub(
                        vault_arn("${CopyRegion}", vault_name), {"CopyRegion": copy_to_region}
                    ),
                    lifecycle=lifecycle,
                )
            ]
        if isolated_vault_arn is not None:
            # a copy outside the account: its administrators cannot delete every copy of a backup
            copy_actions = [
                *(copy_actions or []),
                backup.CfnBackupPlan.CopyActionResourceTypeProperty(
                    destination_backup_vault_arn=isolated_vault_arn, lifecycle=lifecycle
                ),
            ]
        self.plan = backup.CfnBackupPlan(
            self,
            "Plan",
            backup_plan=backup.CfnBackupPlan.BackupPlanResourceTypeProperty(
                backup_plan_name=plan_name(level),
                backup_plan_rule=[
                    backup.CfnBackupPlan.BackupRuleResourceTypeProperty(
                        rule_name=f"every-{tier.interval_hours}h",
                        target_backup_vault=vault_name,
                        schedule_expression=tier.schedule_expression,
                        start_window_minutes=START_WINDOW_MINUTES,
                        completion_window_minutes=completion_window_minutes(tier),
                        lifecycle=lifecycle,
                        copy_actions=copy_actions,
                        recovery_point_tags={AVAILABILITY_TAG: level},
                    )
                ],
            ),
            # the protect_backup SCP denies changing or deleting plans (and selections) with this tag
            backup_plan_tags=dict([PLATFORM_TAG]),
        )
        self.selection = backup.CfnBackupSelection(
            self,
            "Selection",
            backup_plan_id=self.plan.attr_backup_plan_id,
            backup_selection=backup.CfnBackupSelection.BackupSelectionResourceTypeProperty(
                selection_name=f"lz-{level}-by-classification",
                iam_role_arn=role.role_arn,
                list_of_tags=[
                    backup.CfnBackupSelection.ConditionResourceTypeProperty(
                        condition_type="STRINGEQUALS", condition_key=AVAILABILITY_TAG, condition_value=level
                    )
                ],
            ),
        )
        if copy_to_region is None:
            acknowledge(
                self.plan,
                "BIO2-Backup-PlanCopy",
                f"backup.tiers.{level}.cross_region_copy is false: the organisation decided that "
                f"availability {level} (RPO {tier.rpo_hours} h, RTO {tier.rto_hours} h) needs no copy "
                "outside the region; the recovery points stay in the locked vault of the account.",
            )


class RestoreTestingPlan(Construct):
    """AWS Backup restore testing for the resources of one availability level.

    On the configured schedule AWS Backup restores the latest recovery point (of the last
    :data:`RESTORE_SELECTION_WINDOW_DAYS` days) of each resource classified ``level``, of each
    configured resource type, keeps the restored resource for the validation window and deletes
    it. Failed restore jobs show in AWS Backup's job reports and events.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        level: str,
        settings: RestoreTesting,
        vault_arn: str,
        role: BackupServiceRole,
        retention_days: int,
    ) -> None:
        super().__init__(scope, construct_id)
        name = restore_testing_plan_name(level)
        self.plan = backup.CfnRestoreTestingPlan(
            self,
            "Plan",
            restore_testing_plan_name=name,
            schedule_expression=settings.schedule_expression,
            start_window_hours=RESTORE_START_WINDOW_HOURS,
            recovery_point_selection=backup.CfnRestoreTestingPlan.RestoreTestingRecoveryPointSelectionProperty(
                algorithm="LATEST_WITHIN_WINDOW",
                include_vaults=[vault_arn],
                recovery_point_types=["SNAPSHOT"],
                selection_window_days=min(RESTORE_SELECTION_WINDOW_DAYS, retention_days),
            ),
        )
        self.selections: list[backup.CfnRestoreTestingSelection] = []
        for resource_type in settings.resource_types:
            selection = backup.CfnRestoreTestingSelection(
                self,
                f"Select{resource_type}",
                restore_testing_plan_name=name,
                restore_testing_selection_name=f"lz_{level}_{resource_type.lower()}",
                protected_resource_type=resource_type,
                iam_role_arn=role.role_arn,
                protected_resource_arns=["*"],
                protected_resource_conditions=backup.CfnRestoreTestingSelection.ProtectedResourceConditionsProperty(
                    string_equals=[
                        backup.CfnRestoreTestingSelection.KeyValueProperty(
                            key=f"aws:ResourceTag/{AVAILABILITY_TAG}", value=level
                        )
                    ]
                ),
                validation_window_hours=settings.validation_window_hours,
            )
            selection.add_resource_dependency(self.plan)
            self.selections.append(selection)
        make_claim(
            self.plan,
            "LZ-Backup-RestoreTesting",
            RestoreTestingSelects(resource_types=tuple(settings.resource_types)),
            detail=(
                f"AWS Backup restore testing ({settings.schedule}) in every member account and region "
                f"restores the latest recovery point of each resource classified availability {level} "
                f"({', '.join(settings.resource_types)}), validates it and deletes it; failed restores "
                "show in AWS Backup's restore job reports. This tests that the restore procedure works; "
                "testing after major changes stays with the process owner."
            ),
        )


def copy_region_mapping(scope: Construct, construct_id: str, targets: Mapping[str, str]) -> cdk.CfnMapping:
    """A template mapping region -> region its copies go to (the baseline is region-agnostic)."""
    return cdk.CfnMapping(
        scope,
        construct_id,
        mapping={region: {"Target": target} for region, target in sorted(targets.items())},
    )


def levels_in_order(levels: Iterable[str]) -> list[str]:
    order = ("low", "medium", "high")
    return sorted(set(levels), key=order.index)
