"""The organization conformance pack: AWS managed Config rules and the BIO2 measures they watch.

:data:`MANAGED_RULES` is the single source of the rule -> measure table: the pack's template body,
the detective evidence declared on the pack, and the table in docs/security-monitoring.md (a test
keeps the two in step) are all built from it.

A rule is mapped only to measures whose *technical* part it watches at run time. A managed rule
evaluates the state of resources, so it is detective evidence: it reports a non-compliant resource
after the fact, it does not prevent it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from aws_cdk import aws_config as config_
from constructs import Construct

from bio2_aspects.claims import ConfigRulesInPack
from landing_zone.claims import make_claim
from landing_zone.security import names

#: The classification tags every resource carries (see landing_zone.classification).
_CLASSIFICATION_VALUES = "low,medium,high"


@dataclass(frozen=True)
class ManagedRule:
    """One AWS managed Config rule in the pack."""

    #: The rule's name in the pack (the managed rule's documented name).
    name: str
    #: The managed rule's source identifier.
    identifier: str
    #: BIO2 measures whose technical part the rule watches.
    measures: tuple[str, ...]
    #: What the rule checks, in one line (docs and evidence).
    checks: str
    #: Input parameters of the managed rule, as (name, value) pairs.
    parameters: tuple[tuple[str, str], ...] = ()
    #: The rule checks account-wide or IAM (global) state: run it in the home region only, once.
    home_region_only: bool = False
    #: Regions where AWS does not offer the managed rule.
    unavailable_in: frozenset[str] = frozenset()


MANAGED_RULES: tuple[ManagedRule, ...] = (
    # --- inventory and classification ---------------------------------------------------------
    ManagedRule(
        "required-tags",
        "REQUIRED_TAGS",
        ("5.09.01", "5.12.01"),
        "supported resources carry the three BIV classification tags with a valid level",
        (
            ("tag1Key", "bio2:confidentiality"),
            ("tag1Value", _CLASSIFICATION_VALUES),
            ("tag2Key", "bio2:integrity"),
            ("tag2Value", _CLASSIFICATION_VALUES),
            ("tag3Key", "bio2:availability"),
            ("tag3Value", _CLASSIFICATION_VALUES),
        ),
    ),
    # --- identities and privileged access -------------------------------------------------------
    ManagedRule(
        "root-account-mfa-enabled",
        "ROOT_ACCOUNT_MFA_ENABLED",
        ("5.17.01",),
        "the root user signs in with MFA",
        home_region_only=True,
    ),
    ManagedRule(
        "root-account-hardware-mfa-enabled",
        "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED",
        ("5.17.01",),
        "the root user's MFA is a hardware device",
        home_region_only=True,
    ),
    ManagedRule(
        "iam-root-access-key-check",
        "IAM_ROOT_ACCESS_KEY_CHECK",
        ("5.17.01",),
        "the root user has no access keys (which would bypass MFA)",
        home_region_only=True,
    ),
    ManagedRule(
        "mfa-enabled-for-iam-console-access",
        "MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS",
        ("5.17.01",),
        "every IAM user with a console password has MFA",
        home_region_only=True,
    ),
    ManagedRule(
        "iam-password-policy",
        "IAM_PASSWORD_POLICY",
        (),  # claims no measure (re-mapped, see landing_zone/claims.json)
        "the account password policy enforces length, complexity, reuse and age requirements",
        (
            ("RequireUppercaseCharacters", "true"),
            ("RequireLowercaseCharacters", "true"),
            ("RequireSymbols", "true"),
            ("RequireNumbers", "true"),
            ("MinimumPasswordLength", "14"),
            ("PasswordReusePrevention", "24"),
            ("MaxPasswordAge", "90"),
        ),
        home_region_only=True,
    ),
    ManagedRule(
        "iam-policy-no-statements-with-admin-access",
        "IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS",
        ("5.18.01",),
        "no customer managed policy is created or changed to grant full administrator rights",
        home_region_only=True,
    ),
    # --- logging ------------------------------------------------------------------------------
    ManagedRule(
        "multi-region-cloudtrail-enabled",
        "MULTI_REGION_CLOUD_TRAIL_ENABLED",
        ("8.15.01",),
        "a multi-region trail records the account's API activity",
        home_region_only=True,
    ),
    ManagedRule(
        "cloudtrail-security-trail-enabled",
        "CLOUDTRAIL_SECURITY_TRAIL_ENABLED",
        ("8.15.01",),
        "a trail records management events of every region, global services, with file validation and KMS",
        home_region_only=True,
    ),
    ManagedRule(
        "cloud-trail-log-file-validation-enabled",
        "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED",
        ("8.15.06",),  # re-mapped: see landing_zone/claims.json
        "trails write digest files, so changed or deleted log files can be detected",
    ),
    ManagedRule(
        "vpc-flow-logs-enabled",
        "VPC_FLOW_LOGS_ENABLED",
        ("8.16.04",),
        "every VPC logs its network traffic (flow logs)",
    ),
    # --- vulnerabilities and hardening ----------------------------------------------------------
    ManagedRule(
        "ec2-managedinstance-patch-compliance-status-check",
        "EC2_MANAGEDINSTANCE_PATCH_COMPLIANCE_STATUS_CHECK",
        ("8.08.01",),
        "EC2 instances managed by Systems Manager have every approved patch installed",
        unavailable_in=frozenset({"eu-south-1"}),
    ),
    ManagedRule(
        "ec2-imdsv2-check",
        "EC2_IMDSV2_CHECK",
        (),  # claims no measure (re-mapped, see landing_zone/claims.json)
        "EC2 instances require session tokens (IMDSv2) for their instance metadata",
    ),
    ManagedRule(
        "restricted-ssh",
        "INCOMING_SSH_DISABLED",
        ("8.20.02",),
        "no security group admits SSH (port 22) from the whole internet",
    ),
    # --- isolation of information ---------------------------------------------------------------
    ManagedRule(
        "s3-account-level-public-access-blocks-periodic",
        "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC",
        ("8.03.02",),
        "S3 Block Public Access is on for the whole account",
        home_region_only=True,
    ),
    ManagedRule(
        "s3-bucket-public-read-prohibited",
        "S3_BUCKET_PUBLIC_READ_PROHIBITED",
        ("8.03.02",),
        "no S3 bucket allows public read access",
    ),
    ManagedRule(
        "s3-bucket-public-write-prohibited",
        "S3_BUCKET_PUBLIC_WRITE_PROHIBITED",
        ("8.03.02",),
        "no S3 bucket allows public write access",
    ),
    ManagedRule(
        "rds-instance-public-access-check",
        "RDS_INSTANCE_PUBLIC_ACCESS_CHECK",
        ("5.15.01",),
        "no RDS instance is publicly accessible",
    ),
    # --- encryption -----------------------------------------------------------------------------
    ManagedRule(
        "s3-bucket-ssl-requests-only",
        "S3_BUCKET_SSL_REQUESTS_ONLY",
        ("8.21.04",),
        "S3 bucket policies deny requests without TLS",
    ),
    ManagedRule(
        "s3-bucket-server-side-encryption-enabled",
        "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED",
        (),  # claims no measure (re-mapped, see landing_zone/claims.json)
        "S3 buckets encrypt objects at rest by default",
    ),
    ManagedRule(
        "encrypted-volumes",
        "ENCRYPTED_VOLUMES",
        (),  # claims no measure (re-mapped, see landing_zone/claims.json)
        "attached EBS volumes are encrypted",
    ),
    ManagedRule(
        "rds-storage-encrypted",
        "RDS_STORAGE_ENCRYPTED",
        (),  # claims no measure (re-mapped, see landing_zone/claims.json)
        "RDS instances encrypt their storage",
    ),
    ManagedRule(
        "cloud-trail-encryption-enabled",
        "CLOUD_TRAIL_ENCRYPTION_ENABLED",
        (),  # claims no measure (re-mapped, see landing_zone/claims.json)
        "trails encrypt their log files with a KMS key",
        home_region_only=True,
    ),
    ManagedRule(
        "cmk-backing-key-rotation-enabled",
        "CMK_BACKING_KEY_ROTATION_ENABLED",
        ("8.24.02",),
        "customer managed KMS keys rotate their key material yearly",
    ),
    # --- backup ---------------------------------------------------------------------------------
    ManagedRule(
        "s3-bucket-versioning-enabled",
        "S3_BUCKET_VERSIONING_ENABLED",
        (),  # claims no measure (re-mapped, see landing_zone/claims.json)
        "S3 buckets keep object versions",
    ),
    ManagedRule(
        "db-instance-backup-enabled",
        "DB_INSTANCE_BACKUP_ENABLED",
        ("8.13.01",),
        "RDS instances have automated backups",
    ),
    ManagedRule(
        "dynamodb-pitr-enabled",
        "DYNAMODB_PITR_ENABLED",
        ("8.13.01",),
        "DynamoDB tables have point-in-time recovery",
    ),
    # --- the monitors themselves ----------------------------------------------------------------
    ManagedRule(
        "guardduty-enabled-centralized",
        "GUARDDUTY_ENABLED_CENTRALIZED",
        (),  # claims no measure (re-mapped, see landing_zone/claims.json)
        "GuardDuty runs in the account and region",
    ),
    ManagedRule(
        "securityhub-enabled",
        "SECURITYHUB_ENABLED",
        (),  # claims no measure (re-mapped, see landing_zone/claims.json)
        "Security Hub runs in the account and region",
    ),
)


def rules_for(region: str, home_region: str) -> tuple[ManagedRule, ...]:
    """The rules the pack holds in ``region``."""
    return tuple(
        rule
        for rule in MANAGED_RULES
        if region not in rule.unavailable_in and (region == home_region or not rule.home_region_only)
    )


def _logical_id(rule: ManagedRule) -> str:
    return "".join(part.capitalize() for part in rule.name.split("-"))


def template_body(rules: tuple[ManagedRule, ...]) -> str:
    """The conformance pack's CloudFormation template: one AWS::Config::ConfigRule per managed rule.

    Compact, key-sorted JSON: the same rules always give the same bytes.
    """
    resources: dict[str, dict] = {}
    for rule in rules:
        properties: dict = {
            "ConfigRuleName": rule.name,
            "Description": f"BIO2 {', '.join(rule.measures) or 'monitor'}: {rule.checks}.",
            "Source": {"Owner": "AWS", "SourceIdentifier": rule.identifier},
        }
        if rule.parameters:
            properties["InputParameters"] = dict(rule.parameters)
        resources[_logical_id(rule)] = {"Type": "AWS::Config::ConfigRule", "Properties": properties}
    return json.dumps({"Resources": resources}, sort_keys=True, separators=(",", ":"))


class OrganizationConformancePack(Construct):
    """The pack, deployed from the security account (delegated administrator) to every member
    account in one region, with each rule declared as detective evidence for its measures."""

    def __init__(self, scope: Construct, construct_id: str, *, region: str, home_region: str) -> None:
        super().__init__(scope, construct_id)
        self.rules = rules_for(region, home_region)
        self.resource = config_.CfnOrganizationConformancePack(
            self,
            "Resource",
            organization_conformance_pack_name=names.CONFORMANCE_PACK_NAME,
            template_body=template_body(self.rules),
        )
        for rule in self.rules:
            # the claim ID and its measures come from landing_zone/claims.json, not rule.measures
            make_claim(
                self.resource,
                f"LZ-ConfigRule-{_logical_id(rule)}",
                ConfigRulesInPack(identifiers=(rule.identifier,)),
                detail=(
                    f"AWS Config managed rule {rule.name} ({rule.identifier}) in the organization "
                    f"conformance pack, evaluated in every member account in {region}: checks that "
                    f"{rule.checks}."
                ),
            )


def rule_table_markdown() -> str:
    """The rule -> measure table of docs/security-monitoring.md (a test keeps the docs in step)."""
    lines = [
        "| Managed rule | Identifier | BIO2 measures | Watches that | Regions |",
        "|---|---|---|---|---|",
    ]
    for rule in MANAGED_RULES:
        regions = "home region" if rule.home_region_only else "every allowed region"
        if rule.unavailable_in:
            regions += f" (not offered in {', '.join(sorted(rule.unavailable_in))})"
        lines.append(
            f"| `{rule.name}` | `{rule.identifier}` | {', '.join(rule.measures) or 'none'} | {rule.checks} | "
            f"{regions} |"
        )
    return "\n".join(lines) + "\n"
