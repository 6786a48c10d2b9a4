"""Names, prefixes and policy statements of central logging (pure: no constructs, no AWS calls).

Everything another account or feature needs to deliver to the log archive is derived from the
configuration here, so the log archive (which admits the deliveries) and the senders (the trail in
the management account, AWS Config recorders, VPC flow logs and Network Firewall logs in the other
accounts) agree without cross-account references.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import aws_cdk.aws_iam as iam
import aws_cdk.aws_kms as kms
from constructs import IConstruct

from landing_zone import naming
from landing_zone.config import LandingZoneConfig
from landing_zone.core.keys import platform_key

#: Name of the organization trail in the management account.
TRAIL_NAME = f"{naming.PREFIX}-organization-trail"
#: CloudWatch Logs group of the organization trail (when ``logging.cloudwatch_delivery`` is on).
TRAIL_LOG_GROUP_NAME = f"/{naming.PREFIX}/cloudtrail/organization"

#: Key prefixes in the log archive bucket, one per kind of log. Senders must use exactly these:
#: the bucket policy admits each service only under its own prefix.
CLOUDTRAIL_PREFIX = "cloudtrail"
CONFIG_PREFIX = "config"
FLOW_LOGS_PREFIX = "flow-logs"
NETWORK_FIREWALL_PREFIX = "network-firewall"
#: Prefix of the log archive bucket's server access logs in the access-log bucket.
ACCESS_LOGS_PREFIX = "s3-access/"

#: KMS alias of the key that encrypts the SIEM notification queue (log-archive account).
SIEM_QUEUE_KEY_ALIAS = f"alias/{naming.PREFIX}-siem-queue"
#: KMS alias of the key of the trail's CloudWatch Logs group and Firehose stream (management account).
TRAIL_LOGS_KEY_ALIAS = f"alias/{naming.PREFIX}-trail-logs"

CLOUDTRAIL = "cloudtrail.amazonaws.com"
CONFIG = "config.amazonaws.com"
LOG_DELIVERY = "delivery.logs.amazonaws.com"
S3_SERVER_ACCESS_LOGGING = "logging.s3.amazonaws.com"

#: S3 actions that change how the log archive protects, keeps or exposes its logs. Only the
#: platform's own deployment roles may call them (see :func:`deny_configuration_changes`).
PROTECTED_BUCKET_ACTIONS: tuple[str, ...] = (
    "s3:DeleteBucket",
    "s3:DeleteBucketPolicy",
    "s3:PutBucketAcl",
    "s3:PutBucketLogging",
    "s3:PutBucketNotification",
    "s3:PutBucketObjectLockConfiguration",
    "s3:PutBucketOwnershipControls",
    "s3:PutBucketPolicy",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutBucketVersioning",
    "s3:PutEncryptionConfiguration",
    "s3:PutLifecycleConfiguration",
)
#: KMS actions that would make the archive unreadable or its key policy weaker.
PROTECTED_KEY_ACTIONS: tuple[str, ...] = (
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:PutKeyPolicy",
    "kms:ScheduleKeyDeletion",
)


def trail_arn(config: LandingZoneConfig) -> str:
    """ARN of the organization trail (home region, management account)."""
    return (
        f"arn:aws:cloudtrail:{config.regions.home}:{naming.management_account_id(config)}:trail/{TRAIL_NAME}"
    )


def log_archive_bucket_arn(config: LandingZoneConfig) -> str:
    return f"arn:aws:s3:::{naming.log_archive_bucket_name(config)}"


def access_log_bucket_arn(config: LandingZoneConfig) -> str:
    return f"arn:aws:s3:::{naming.access_log_bucket_name(config)}"


def organization_accounts(config: LandingZoneConfig) -> list[str]:
    """Every account ID of the configuration, sorted."""
    return sorted({a.id for a in config.organization.accounts})


def source_condition(config: LandingZoneConfig) -> dict[str, dict[str, Any]]:
    """Condition that admits a service acting for any account of the organization.

    With ``logging.organization_id``: ``aws:SourceOrgID`` (every account, also ones created later).
    Without: ``aws:SourceAccount`` with the accounts of the configuration.
    """
    org_id = config.logging.organization_id
    if org_id:
        return {"StringEquals": {"aws:SourceOrgID": org_id}}
    return {"StringEquals": {"aws:SourceAccount": organization_accounts(config)}}


def log_delivery_source_arns(config: LandingZoneConfig) -> list[str]:
    """``aws:SourceArn`` patterns of vended-log deliveries: CloudWatch Logs in the allowed regions only."""
    return [f"arn:aws:logs:{region}:*:*" for region in sorted(config.regions.allowed)]


def merge_conditions(*conditions: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Merge condition blocks (operators and keys); a key given twice is an error."""
    out: dict[str, dict[str, Any]] = {}
    for block in conditions:
        for operator, clauses in block.items():
            target = out.setdefault(operator, {})
            for key, value in clauses.items():
                if key in target:
                    raise ValueError(f"condition {operator}.{key} given twice")
                target[key] = value
    return out


def platform_principal_patterns(config: LandingZoneConfig, account_id: str) -> list[str]:
    """The platform's exempt roles (``naming.exempt_principal_arns``) in one account: exact names,
    plus the protected StackSets execution role pattern."""
    return sorted(naming.exempt_principal_arns(config.regions.allowed, account_id))


def not_platform_condition(config: LandingZoneConfig, account_id: str) -> dict[str, dict[str, Any]]:
    return {"ArnNotLike": {"aws:PrincipalArn": platform_principal_patterns(config, account_id)}}


def reader_account(arn: str) -> iam.ArnPrincipal:
    """The account of a (SIEM reader) role ARN as the statement's principal: an account principal is
    valid even before the role exists, and the grant no longer reads as ``Principal: *``."""
    return iam.ArnPrincipal(f"arn:aws:iam::{arn.split(':')[4]}:root")


def principal_is(arn: str) -> dict[str, dict[str, Any]]:
    """Condition that narrows ``Principal: *`` to one IAM role.

    Used instead of naming the role as principal: a bucket, key or queue policy that names a role
    which does not exist (yet) is rejected, and the SIEM's role lives in another account.
    """
    return {"ArnEquals": {"aws:PrincipalArn": arn}}


# --------------------------------------------------------------------------- bucket policy


def _service(name: str) -> iam.ServicePrincipal:
    return iam.ServicePrincipal(name)


def deny_configuration_changes(
    config: LandingZoneConfig, resource_arn: str, account_id: str
) -> iam.PolicyStatement:
    """Only the platform's deployment roles may change the protection of a log bucket."""
    return iam.PolicyStatement(
        sid="DenyConfigurationChangesOutsideThePlatform",
        effect=iam.Effect.DENY,
        principals=[iam.AnyPrincipal()],
        actions=list(PROTECTED_BUCKET_ACTIONS),
        resources=[resource_arn],
        conditions=not_platform_condition(config, account_id),
    )


def log_bucket_statements(config: LandingZoneConfig) -> list[iam.PolicyStatement]:
    """Bucket policy statements of the log archive bucket (besides the TLS-only statements).

    Each AWS service is admitted only under its own prefix and only for this organization, in the
    forms AWS documents for organization trails, AWS Config delivery and vended logs (VPC flow logs,
    Network Firewall), including the confused-deputy conditions.
    """
    account = naming.log_archive_account_id(config)
    bucket = log_archive_bucket_arn(config)
    trail = {"StringEquals": {"aws:SourceArn": trail_arn(config)}}
    owner_acl = {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}
    org = source_condition(config)
    logs_arn = {"ArnLike": {"aws:SourceArn": log_delivery_source_arns(config)}}
    management = naming.management_account_id(config)
    org_id = config.logging.organization_id
    trail_paths = [f"{bucket}/{CLOUDTRAIL_PREFIX}/AWSLogs/{management}/*"]
    trail_paths.append(
        f"{bucket}/{CLOUDTRAIL_PREFIX}/AWSLogs/{org_id}/*"
        if org_id
        else f"{bucket}/{CLOUDTRAIL_PREFIX}/AWSLogs/*"
    )
    statements = [
        deny_configuration_changes(config, bucket, account),
        iam.PolicyStatement(
            sid="CloudTrailAclCheck",
            principals=[_service(CLOUDTRAIL)],
            actions=["s3:GetBucketAcl"],
            resources=[bucket],
            conditions=trail,
        ),
        iam.PolicyStatement(
            sid="CloudTrailOrganizationWrite",
            principals=[_service(CLOUDTRAIL)],
            actions=["s3:PutObject"],
            resources=sorted(set(trail_paths)),
            conditions=merge_conditions(owner_acl, trail),
        ),
        iam.PolicyStatement(
            sid="ConfigBucketCheck",
            principals=[_service(CONFIG)],
            actions=["s3:GetBucketAcl", "s3:ListBucket"],
            resources=[bucket],
            conditions=org,
        ),
        iam.PolicyStatement(
            sid="ConfigDelivery",
            principals=[_service(CONFIG)],
            actions=["s3:PutObject"],
            resources=[f"{bucket}/{CONFIG_PREFIX}/AWSLogs/*/Config/*"],
            conditions=merge_conditions(owner_acl, org),
        ),
        iam.PolicyStatement(
            sid="LogDeliveryBucketCheck",
            principals=[_service(LOG_DELIVERY)],
            actions=["s3:GetBucketAcl", "s3:ListBucket"],
            resources=[bucket],
            conditions=merge_conditions(org, logs_arn),
        ),
        iam.PolicyStatement(
            sid="LogDeliveryWrite",
            principals=[_service(LOG_DELIVERY)],
            actions=["s3:PutObject"],
            resources=[
                f"{bucket}/{FLOW_LOGS_PREFIX}/AWSLogs/*",
                f"{bucket}/{NETWORK_FIREWALL_PREFIX}/AWSLogs/*",
            ],
            conditions=merge_conditions(owner_acl, org, logs_arn),
        ),
    ]
    siem = config.logging.siem
    if siem is not None and siem.type == "sqs" and siem.reader_arn:
        statements += [
            iam.PolicyStatement(
                sid="SiemList",
                principals=[reader_account(siem.reader_arn)],
                actions=["s3:ListBucket"],
                resources=[bucket],
                conditions=principal_is(siem.reader_arn),
            ),
            iam.PolicyStatement(
                sid="SiemRead",
                principals=[reader_account(siem.reader_arn)],
                actions=["s3:GetObject"],
                resources=[f"{bucket}/*"],
                conditions=principal_is(siem.reader_arn),
            ),
        ]
    return statements


def access_log_bucket_statements(config: LandingZoneConfig) -> list[iam.PolicyStatement]:
    """Bucket policy statements of the access-log bucket (besides the TLS-only statements).

    S3 server access logging cannot deliver to a bucket with Object Lock, so deletion is denied to
    every principal instead (the lifecycle rule still expires files after the retention term).
    """
    account = naming.log_archive_account_id(config)
    bucket = access_log_bucket_arn(config)
    return [
        deny_configuration_changes(config, bucket, account),
        iam.PolicyStatement(
            sid="DenyDeletingAccessLogs",
            effect=iam.Effect.DENY,
            principals=[iam.AnyPrincipal()],
            actions=["s3:DeleteObject", "s3:DeleteObjectVersion"],
            resources=[f"{bucket}/*"],
        ),
        iam.PolicyStatement(
            sid="S3ServerAccessLogsDelivery",
            principals=[_service(S3_SERVER_ACCESS_LOGGING)],
            actions=["s3:PutObject"],
            resources=[f"{bucket}/{ACCESS_LOGS_PREFIX}*"],
            conditions={
                "ArnLike": {"aws:SourceArn": log_archive_bucket_arn(config)},
                "StringEquals": {"aws:SourceAccount": account},
            },
        ),
    ]


# --------------------------------------------------------------------------- key policies


def log_key(
    scope: IConstruct,
    construct_id: str,
    *,
    alias: str,
    description: str,
    account: str,
    statements: list[iam.PolicyStatement],
) -> kms.Key:
    """A key of the logging set-up: :func:`landing_zone.core.keys.platform_key` (rotated, retained,
    administered by ``account`` through IAM, disabled or deleted only by break-glass, re-policied only
    by the platform's deployment roles, no grants but for AWS services) with the service ``statements``."""
    return platform_key(
        scope, construct_id, alias=alias, description=description, account=account, statements=statements
    )


def log_archive_key_statements(config: LandingZoneConfig) -> list[iam.PolicyStatement]:
    """Service statements of the log archive key (see :func:`log_key`): only CloudTrail (the
    organization trail), AWS Config, the log delivery service and S3 server access logging of this
    organization may encrypt with it."""
    account = naming.log_archive_account_id(config)
    management = naming.management_account_id(config)
    trail = {"StringEquals": {"aws:SourceArn": trail_arn(config)}}
    org = source_condition(config)
    home = config.regions.home
    any_trail_of_management = f"arn:aws:cloudtrail:*:{management}:trail/*"
    trail_context = {"StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": any_trail_of_management}}
    statements = [
        iam.PolicyStatement(
            sid="CloudTrailEncrypt",
            principals=[_service(CLOUDTRAIL)],
            actions=["kms:GenerateDataKey*"],
            resources=["*"],
            conditions=merge_conditions(trail, trail_context),
        ),
        iam.PolicyStatement(
            sid="CloudTrailDescribeKey",
            principals=[_service(CLOUDTRAIL)],
            actions=["kms:DescribeKey"],
            resources=["*"],
            conditions=trail,
        ),
        iam.PolicyStatement(
            sid="ConfigDelivery",
            principals=[_service(CONFIG)],
            actions=["kms:Decrypt", "kms:GenerateDataKey"],
            resources=["*"],
            conditions=org,
        ),
        iam.PolicyStatement(
            sid="LogDelivery",
            principals=[_service(LOG_DELIVERY)],
            actions=[
                "kms:Decrypt",
                "kms:DescribeKey",
                "kms:Encrypt",
                "kms:GenerateDataKey*",
                "kms:ReEncrypt*",
            ],
            resources=["*"],
            conditions=merge_conditions(
                org, {"ArnLike": {"aws:SourceArn": log_delivery_source_arns(config)}}
            ),
        ),
        iam.PolicyStatement(
            sid="S3ServerAccessLogs",
            principals=[_service(S3_SERVER_ACCESS_LOGGING)],
            actions=["kms:Decrypt", "kms:GenerateDataKey*"],
            resources=["*"],
            conditions={"StringEquals": {"aws:SourceAccount": account}},
        ),
    ]
    siem = config.logging.siem
    if siem is not None and siem.type == "sqs" and siem.reader_arn:
        statements.append(
            iam.PolicyStatement(
                sid="SiemReadsLogObjects",
                principals=[reader_account(siem.reader_arn)],
                actions=["kms:Decrypt"],
                resources=["*"],
                conditions=merge_conditions(
                    principal_is(siem.reader_arn),
                    {"StringEquals": {"kms:ViaService": f"s3.{home}.amazonaws.com"}},
                ),
            )
        )
    return statements


def acknowledge_nag(scope: IConstruct, pack: str, finding: str, reason: str) -> None:
    """Accept a cdk-nag finding (``finding`` as the pack reports it, granular part included) on
    ``scope``. cdk-nag 3 packs are validation plugins: CDK matches ``<pack>::<finding>``."""
    cdk.Validations.of(scope).acknowledge(cdk.Acknowledgment(id=f"{pack}::{finding}", reason=reason))
