"""One KMS key builder with the same protective statements for every key of the landing zone.

Every customer managed key of the landing zone gets, next to its service statements:

* ``KeyAdministrationThroughIam``: the account administers the key through IAM (AWS's default);
* ``DenyKeyDestruction``: disabling, scheduling deletion of, or removing the key material or the
  rotation of the key is denied to every principal but break-glass (of the key's own account);
  without the key every ciphertext it protects (logs, recovery points, alerts) is unreadable for good;
* ``DenyKeyPolicyChanges``: only the platform's CloudFormation execution role of the key's region,
  the StackSets execution role (member baseline) and break-glass may replace the key policy;
* ``DenyGrantsToNonAwsServices``: ``kms:CreateGrant`` only for AWS services acting on a resource
  (``kms:GrantIsForAWSResource``) or by AWS services themselves: a grant is a second, invisible key
  policy (Control Tower proactive control CT.KMS.PR.3).

The exemptions name exact role ARNs in the key's own account; the one pattern, the StackSets
execution role, is protected by the ``protect_platform_roles`` SCP (see ``landing_zone.naming``).
"""

from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
import aws_cdk.aws_iam as iam
import aws_cdk.aws_kms as kms
from constructs import Construct

from landing_zone import naming

#: Actions that make the key's ciphertext unreadable: break-glass only.
KEY_DESTRUCTION_ACTIONS: tuple[str, ...] = (
    "kms:DeleteImportedKeyMaterial",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:ScheduleKeyDeletion",
)


def key_protection_statements(account: str, region: str) -> list[iam.PolicyStatement]:
    """The protective statements of a key in ``account`` and ``region`` (literals or CDK tokens)."""
    break_glass = naming.break_glass_arn(account)
    deployers = list(naming.deployer_principal_arns(account, region))
    return [
        iam.PolicyStatement(
            sid="DenyKeyDestruction",
            effect=iam.Effect.DENY,
            principals=[iam.AnyPrincipal()],
            actions=list(KEY_DESTRUCTION_ACTIONS),
            resources=["*"],
            conditions={"ArnNotEquals": {"aws:PrincipalArn": break_glass}},
        ),
        iam.PolicyStatement(
            sid="DenyKeyPolicyChanges",
            effect=iam.Effect.DENY,
            principals=[iam.AnyPrincipal()],
            actions=["kms:PutKeyPolicy"],
            resources=["*"],
            conditions={"ArnNotLike": {"aws:PrincipalArn": deployers}},
        ),
        iam.PolicyStatement(
            sid="DenyGrantsToNonAwsServices",
            effect=iam.Effect.DENY,
            principals=[iam.AnyPrincipal()],
            actions=["kms:CreateGrant"],
            resources=["*"],
            # both false: a grant neither for an AWS resource nor made by an AWS service (CT.KMS.PR.3)
            conditions={
                "BoolIfExists": {"kms:GrantIsForAWSResource": "false", "aws:PrincipalIsAWSService": "false"}
            },
        ),
    ]


#: Tag of every landing-zone key (``naming.PLATFORM_TAG``): the ``protect_backup`` SCP denies disabling
#: or deleting tagged keys in every account.
PLATFORM_TAG = naming.PLATFORM_TAG


def protect_key(key: kms.Key, *, account: str | None = None, region: str | None = None) -> kms.Key:
    """Add :func:`key_protection_statements` and :data:`PLATFORM_TAG` to ``key`` (its stack's account
    and region by default)."""
    stack = cdk.Stack.of(key)
    for statement in key_protection_statements(account or stack.account, region or stack.region):
        key.add_to_resource_policy(statement)
    cdk.Tags.of(key).add(*PLATFORM_TAG)
    return key


def platform_key(
    scope: Construct,
    construct_id: str,
    *,
    description: str,
    alias: str | None = None,
    account: str | None = None,
    region: str | None = None,
    statements: Sequence[iam.PolicyStatement] = (),
) -> kms.Key:
    """A key of the landing zone: rotated, retained, administered by its account through IAM, with
    :func:`key_protection_statements` and the service ``statements`` the caller adds."""
    stack = cdk.Stack.of(scope)
    account = account or stack.account
    region = region or stack.region
    administration = iam.PolicyStatement(
        sid="KeyAdministrationThroughIam",
        principals=[iam.ArnPrincipal(f"arn:aws:iam::{account}:root")],
        actions=["kms:*"],
        resources=["*"],
    )
    key = kms.Key(
        scope,
        construct_id,
        alias=alias,
        description=description,
        enable_key_rotation=True,
        pending_window=cdk.Duration.days(30),
        policy=iam.PolicyDocument(
            statements=[administration, *key_protection_statements(account, region), *statements]
        ),
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )
    cdk.Tags.of(key).add(*PLATFORM_TAG)
    return key


def allow_cloudwatch_logs(key: kms.Key) -> kms.Key:
    """Let CloudWatch Logs of the key's own account and region use ``key`` for its log groups (and
    nothing else: the encryption context must name a log group of this account)."""
    stack = cdk.Stack.of(key)
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid="CloudWatchLogsOfThisAccount",
            principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
            actions=[
                "kms:Encrypt*",
                "kms:Decrypt*",
                "kms:ReEncrypt*",
                "kms:GenerateDataKey*",
                "kms:Describe*",
            ],
            resources=["*"],
            conditions={
                "ArnLike": {
                    "kms:EncryptionContext:aws:logs:arn": (
                        f"arn:{stack.partition}:logs:{stack.region}:{stack.account}:log-group:*"
                    )
                }
            },
        )
    )
    return key
