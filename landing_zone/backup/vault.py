"""The locked backup vault of a member account and region, with its own KMS key."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_backup as backup
from constructs import Construct

from bio2_aspects import claims
from landing_zone.claims import make_claim
from landing_zone.config.sections.backup import VaultLock
from landing_zone.core.keys import platform_key
from landing_zone.naming import deployer_principal_arns

#: Name of the landing zone's backup vault, the same in every member account and region: copy
#: actions in one region address the vault of another region by this name.
VAULT_NAME = "lz-backup"
KEY_ALIAS = "alias/lz-backup"

#: Vault actions nobody but the platform's own roles may take: deleting or shortening recovery
#: points, or replacing the vault access policy that says so.
PROTECTED_VAULT_ACTIONS = (
    "backup:DeleteBackupVaultAccessPolicy",
    "backup:DeleteRecoveryPoint",
    "backup:PutBackupVaultAccessPolicy",
    "backup:UpdateRecoveryPointLifecycle",
)


def vault_arn(region: str, vault_name: str = VAULT_NAME) -> str:
    """ARN of the landing zone vault in ``region`` of the deploying account (a CloudFormation Sub string)."""
    return f"arn:${{AWS::Partition}}:backup:{region}:${{AWS::AccountId}}:backup-vault:{vault_name}"


class LockedBackupVault(Construct):
    """A backup vault encrypted with its own customer managed key, under Vault Lock.

    ``lock`` (default: compliance mode) is a :class:`VaultLock`; ``compliance=False`` leaves out
    ``ChangeableForDays`` (governance mode: privileged users can remove the lock) and ``lock=None``
    leaves the vault unlocked. Only compliance mode is declared as preventive evidence: only then
    can nobody, the root user included, delete a recovery point before its minimum retention.

    The key and the vault are retained when the stack is deleted or the resource replaced: the
    recovery points outlive the stack. The vault access policy denies deleting recovery points,
    shortening their lifecycle and replacing the policy to everyone except the platform's own roles.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        lock: VaultLock | None,
        compliance: bool = True,
        vault_name: str = VAULT_NAME,
        key_alias: str = KEY_ALIAS,
    ) -> None:
        super().__init__(scope, construct_id)
        # The shared key builder: disabling or deleting the key (which would make every recovery point
        # unreadable) only by break-glass, no grants but for AWS services, key policy changes only by
        # the platform's deployment roles; the protect_backup SCP denies the same in every account.
        self.key = platform_key(
            self,
            "Key",
            description=f"Encrypts the recovery points in the {vault_name} backup vault",
            alias=key_alias,
        )
        stack = cdk.Stack.of(self)
        lock_configuration = None
        if lock is not None:
            lock_configuration = backup.CfnBackupVault.LockConfigurationTypeProperty(
                min_retention_days=lock.min_retention_days,
                max_retention_days=lock.max_retention_days,
                changeable_for_days=lock.changeable_for_days if compliance else None,
            )
        self.vault = backup.CfnBackupVault(
            self,
            "Vault",
            backup_vault_name=vault_name,
            encryption_key_arn=self.key.key_arn,
            lock_configuration=lock_configuration,
            access_policy={
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "ProtectRecoveryPoints",
                        "Effect": "Deny",
                        "Principal": {"AWS": "*"},
                        "Action": list(PROTECTED_VAULT_ACTIONS),
                        "Resource": "*",
                        "Condition": {
                            "ArnNotLike": {
                                "aws:PrincipalArn": list(deployer_principal_arns(stack.account, stack.region))
                            }
                        },
                    }
                ],
            },
        )
        self.vault.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
        self.vault_name = vault_name
        if lock is not None and compliance:
            make_claim(
                self.vault,
                "LZ-Backup-VaultLock",
                claims.VaultLock(
                    min_retention_days=lock.min_retention_days, max_grace_days=lock.changeable_for_days
                ),
                detail=(
                    f"AWS Backup Vault Lock in compliance mode on {vault_name}: after a grace period of "
                    f"{lock.changeable_for_days} days nobody, the root user and AWS included, can delete a "
                    f"recovery point younger than {lock.min_retention_days} days or change or remove "
                    "the lock, so ransomware with administrator rights cannot destroy the backups."
                ),
            )

    @property
    def vault_arn(self) -> str:
        return self.vault.attr_backup_vault_arn
