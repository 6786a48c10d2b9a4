"""The attack suite: what an attacker inside an account would try, request by request.

Every request goes through the project's IAM evaluator (``landing_zone.organization.evaluator``)
against the policies the default landing zone deploys: the SCPs and RCPs (after packing, as attached
to the account's Root/OU chain), and the key, bucket, backup-vault and permission-set policies as
synthesized. Every attack is denied; for each one a matching legitimate request (the platform
pipeline's cfn-exec role, break-glass, the StackSets execution role, AWS services, or the same
action on the attacker's own resources) is still allowed, so the denial is not an accident of a
policy that denies everything.

The attacker is an account administrator of a member account (or a developer, or an application's
runtime role): they can create roles and deploy stacks with the shared default CDK bootstrap, whose
roles are named ``cdk-hnb659fds-*``; in the management account they hold a permission set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from landing_zone import naming
from landing_zone.config import load_config
from landing_zone.organization.evaluator import FULL_ACCESS, Decision, Request, evaluate, evaluate_rcps
from landing_zone.organization.policies import RCP, SCP
from tests.organization.attack_kit import find, resolve
from tests.organization.org_testkit import effective, planned_policies

CONFIG = load_config()
REGION = "eu-central-1"
MANAGEMENT = "111111111111"
LOG_ARCHIVE = "222222222222"
SECURITY = "333333333333"
NETWORK = "444444444444"
APP = "666666666666"
ORG_ID = CONFIG.logging.organization_id
FOREIGN = "999999999999"


def role(account: str, name: str) -> str:
    return f"arn:aws:iam::{account}:role/{name}"


# --- who -------------------------------------------------------------------------------------
DEV = role(APP, "AWSReservedSSO_workload-developer_0123456789abcdef")
ADMIN_LA = role(LOG_ARCHIVE, "AWSReservedSSO_platform-admin_0123456789abcdef")
#: the shared default CDK bootstrap's roles: any account admin can become them
DEFAULT_CFN_EXEC = role(APP, f"cdk-hnb659fds-cfn-exec-role-{APP}-{REGION}")
DEFAULT_DEPLOY = role(APP, f"cdk-hnb659fds-deploy-role-{APP}-{REGION}")
#: a role the attacker created under a name that used to be exempt
CDK_X = role(APP, "cdk-x")
CDK_X_LA = role(LOG_ARCHIVE, "cdk-x")
APP_RUNTIME = role(APP, "workload/orders-api-task")
#: the platform's own roles (contract 1) and the other exemptions
CFN_EXEC = role(APP, naming.platform_bootstrap_role_name("cfn-exec", REGION))
CFN_EXEC_LA = role(LOG_ARCHIVE, naming.platform_bootstrap_role_name("cfn-exec", REGION))
DEPLOY = role(APP, naming.platform_bootstrap_role_name("deploy", REGION))
STACKSETS = role(APP, "stacksets-exec-0123456789abcdef0123456789abcdef")
BREAK_GLASS = role(APP, naming.BREAK_GLASS_ROLE_NAME)
BREAK_GLASS_LA = role(LOG_ARCHIVE, naming.BREAK_GLASS_ROLE_NAME)
NETWORK_CFN_EXEC = role(NETWORK, naming.platform_bootstrap_role_name("cfn-exec", REGION))
MGMT_ADMIN = role(MANAGEMENT, "AWSReservedSSO_platform-admin_0123456789abcdef")
APP_ADMIN = role(APP, "AWSReservedSSO_platform-admin_0123456789abcdef")

# --- what ------------------------------------------------------------------------------------
LOG_KEY = f"arn:aws:kms:{REGION}:{LOG_ARCHIVE}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
APP_KEY = f"arn:aws:kms:{REGION}:{APP}:key/1234abcd-12ab-34cd-56ef-0000000000aa"
LOG_BUCKET = f"arn:aws:s3:::{naming.log_archive_bucket_name(CONFIG)}"
PLATFORM_TAG = {f"aws:ResourceTag/{naming.PLATFORM_TAG[0]}": naming.PLATFORM_TAG[1]}
PLAN = f"arn:aws:backup:{REGION}:{APP}:backup-plan:0a1b2c3d-plan"
STACKSET = f"arn:aws:cloudformation:{REGION}:{MANAGEMENT}:stackset/lz-member-baseline:0a1b2c3d"
BASELINE_STACK = f"arn:aws:cloudformation:{REGION}:{APP}:stack/StackSet-lz-member-baseline-0a1b2c3d/guid"
TRAIL_LOG_GROUP = f"arn:aws:logs:{REGION}:{MANAGEMENT}:log-group:/lz/cloudtrail/organization"


def ctx(principal: str, region: str = REGION, **extra: Any) -> dict[str, Any]:
    """The request context of a call by ``principal`` (an IAM role ARN)."""
    return {
        "aws:PrincipalArn": principal,
        "aws:PrincipalAccount": principal.split(":")[4],
        "aws:RequestedRegion": region,
        **extra,
    }


@dataclass(frozen=True)
class Case:
    """One attack and the matching legitimate request, both judged by the same policies."""

    id: str
    kind: str
    #: which policies decide: ("scp", account name) | ("rcp", account name) | ("key", which) |
    #: ("bucket", which) | ("vault",) | ("permset", name)
    where: tuple[str, ...]
    attack: Request
    legit: Request
    #: when set, the legitimate request is judged by these policies instead
    legit_where: tuple[str, ...] | None = None
    notes: str = field(default="", compare=False)


def R(action: str, resource: str, context: dict[str, Any]) -> Request:
    return Request(action, resource, context)


CASES: list[Case] = [
    # ------------------------------------------------------------------ deploy-role take-over
    Case(
        "default-bootstrap-exec-role-deletes-guardduty",
        "deploy-role take-over",
        ("scp", "app-prod"),
        R("guardduty:DeleteDetector", "*", ctx(DEFAULT_CFN_EXEC)),
        R("guardduty:DeleteDetector", "*", ctx(CFN_EXEC)),
    ),
    Case(
        "default-bootstrap-deploy-role-stops-the-trail",
        "deploy-role take-over",
        ("scp", "app-prod"),
        R("cloudtrail:StopLogging", "*", ctx(DEFAULT_DEPLOY)),
        R("cloudtrail:StopLogging", "*", ctx(STACKSETS)),
    ),
    Case(
        "role-named-cdk-x-deletes-recovery-points",
        "deploy-role take-over",
        ("scp", "app-prod"),
        R("backup:DeleteRecoveryPoint", "*", ctx(CDK_X)),
        R("backup:DeleteRecoveryPoint", "*", ctx(CFN_EXEC)),
    ),
    Case(
        "role-named-cdk-x-stops-config",
        "deploy-role take-over",
        ("scp", "app-prod"),
        R("config:StopConfigurationRecorder", "*", ctx(CDK_X)),
        R("config:StopConfigurationRecorder", "*", ctx(STACKSETS)),
    ),
    Case(
        "role-named-cdk-x-rewrites-the-break-glass-trust",
        "deploy-role take-over",
        ("scp", "app-prod"),
        R("iam:UpdateAssumeRolePolicy", BREAK_GLASS, ctx(CDK_X, "us-east-1")),
        R("iam:UpdateAssumeRolePolicy", BREAK_GLASS, ctx(CFN_EXEC, "us-east-1")),
    ),
    Case(
        "role-named-cdk-x-schedules-deletion-of-the-log-archive-key",
        "deploy-role take-over",
        ("scp", "log-archive"),
        R("kms:ScheduleKeyDeletion", LOG_KEY, ctx(CDK_X_LA)),
        R("kms:ScheduleKeyDeletion", LOG_KEY, ctx(BREAK_GLASS_LA)),
    ),
    Case(
        "role-named-cdk-x-changes-the-log-bucket-policy",
        "deploy-role take-over",
        ("bucket", "log-archive"),
        R("s3:PutBucketPolicy", LOG_BUCKET, ctx(CDK_X_LA)),
        R("s3:PutBucketPolicy", LOG_BUCKET, ctx(CFN_EXEC_LA)),
    ),
    Case(
        "role-named-cdk-x-removes-the-account-public-access-block",
        "deploy-role take-over",
        ("scp", "app-prod"),
        R("s3:PutAccountPublicAccessBlock", "*", ctx(CDK_X)),
        R("s3:PutAccountPublicAccessBlock", "*", ctx(role(APP, f"lz-baseline-account-defaults-{REGION}"))),
    ),
    # ------------------------------------------------------------------ renamed and look-alike roles
    Case(
        "admin-creates-a-role-named-like-the-platform-cfn-exec-role",
        "renamed role",
        ("scp", "app-prod"),
        R("iam:CreateRole", CFN_EXEC, ctx(DEV, "us-east-1")),
        R("iam:CreateRole", CFN_EXEC, ctx(STACKSETS, "us-east-1")),
        notes="the platform bootstrap in a new account runs as the StackSets execution role",
    ),
    Case(
        "admin-creates-a-role-named-like-the-stacksets-execution-role",
        "renamed role",
        ("scp", "app-prod"),
        R(
            "iam:CreateRole",
            role(APP, "stacksets-exec-ffffffffffffffffffffffffffffffff"),
            ctx(DEV, "us-east-1"),
        ),
        R("iam:CreateRole", role(APP, "workload/orders-api-task"), ctx(DEV, "us-east-1")),
    ),
    Case(
        "admin-creates-a-role-named-lz-break-glass",
        "renamed role",
        ("scp", "app-prod"),
        R("iam:CreateRole", BREAK_GLASS, ctx(DEFAULT_CFN_EXEC, "us-east-1")),
        R("iam:CreateRole", BREAK_GLASS, ctx(CFN_EXEC, "us-east-1")),
    ),
    Case(
        "admin-re-trusts-the-platform-deploy-role",
        "renamed role",
        ("scp", "app-prod"),
        R("iam:UpdateAssumeRolePolicy", DEPLOY, ctx(DEV, "us-east-1")),
        R("iam:UpdateAssumeRolePolicy", DEPLOY, ctx(CFN_EXEC, "us-east-1")),
    ),
    Case(
        "admin-attaches-a-policy-to-the-stacksets-execution-role",
        "renamed role",
        ("scp", "app-prod"),
        R("iam:PutRolePolicy", STACKSETS, ctx(DEV, "us-east-1")),
        R("iam:PutRolePolicy", APP_RUNTIME, ctx(DEV, "us-east-1")),
    ),
    Case(
        "admin-re-trusts-the-organization-access-role",
        "renamed role",
        ("scp", "app-prod"),
        R("iam:UpdateAssumeRolePolicy", role(APP, "OrganizationAccountAccessRole"), ctx(DEV, "us-east-1")),
        R(
            "iam:UpdateAssumeRolePolicy",
            role(APP, "OrganizationAccountAccessRole"),
            ctx(BREAK_GLASS, "us-east-1"),
        ),
    ),
    Case(
        "admin-creates-a-control-tower-execution-role",
        "renamed role",
        ("scp", "app-prod"),
        R("iam:CreateRole", role(APP, "AWSControlTowerExecution"), ctx(DEV, "us-east-1")),
        R("iam:CreateRole", role(APP, "AWSControlTowerExecution"), ctx(CFN_EXEC, "us-east-1")),
    ),
    Case(
        "developer-assumes-the-platform-cfn-exec-role",
        "renamed role",
        ("scp", "app-prod"),
        R("sts:AssumeRole", CFN_EXEC, ctx(DEV)),
        R("sts:AssumeRole", APP_RUNTIME, ctx(DEV)),
    ),
    Case(
        "developer-assumes-the-stacksets-execution-role",
        "renamed role",
        ("scp", "app-prod"),
        R("sts:AssumeRole", STACKSETS, ctx(DEV)),
        R("sts:AssumeRole", APP_RUNTIME, ctx(DEV)),
    ),
    Case(
        "developer-passes-the-cfn-exec-role-to-cloudformation",
        "renamed role",
        ("scp", "app-prod"),
        R("iam:PassRole", CFN_EXEC, ctx(DEV)),
        R("iam:PassRole", CFN_EXEC, ctx(DEPLOY)),
    ),
    Case(
        "developer-passes-a-baseline-role-to-a-new-function",
        "renamed role",
        ("scp", "app-prod"),
        R("iam:PassRole", role(APP, f"lz-baseline-account-defaults-{REGION}"), ctx(DEV)),
        R("iam:PassRole", APP_RUNTIME, ctx(DEV)),
    ),
    Case(
        "developer-replaces-the-code-of-a-baseline-function",
        "renamed role",
        ("scp", "app-prod"),
        R(
            "lambda:UpdateFunctionCode",
            f"arn:aws:lambda:{REGION}:{APP}:function:lz-baseline-account-defaults",
            ctx(DEV),
        ),
        R("lambda:UpdateFunctionCode", f"arn:aws:lambda:{REGION}:{APP}:function:orders-api", ctx(DEV)),
    ),
    Case(
        "developer-deletes-a-baseline-function-log-group",
        "detection tampering",
        ("scp", "app-prod"),
        R(
            "logs:DeleteLogGroup",
            f"arn:aws:logs:{REGION}:{APP}:log-group:/aws/lambda/lz-baseline-account-defaults",
            ctx(DEV),
        ),
        R("logs:DeleteLogGroup", f"arn:aws:logs:{REGION}:{APP}:log-group:/aws/lambda/orders-api", ctx(DEV)),
    ),
    # ------------------------------------------------------------------ management-account escalation
    Case(
        "management-admin-creates-a-role-under-any-name",
        "management-account escalation",
        ("permset", "platform-admin", MANAGEMENT),
        R("iam:CreateRole", role(MANAGEMENT, "totally-not-lz"), ctx(MGMT_ADMIN, "us-east-1")),
        R("iam:CreateRole", role(APP, "totally-not-lz"), ctx(APP_ADMIN, "us-east-1")),
        legit_where=("permset", "platform-admin", APP),
    ),
    Case(
        "management-admin-attaches-administrator-access-to-a-user",
        "management-account escalation",
        ("permset", "platform-admin", MANAGEMENT),
        R("iam:AttachRolePolicy", role(MANAGEMENT, "helper"), ctx(MGMT_ADMIN, "us-east-1")),
        R("iam:GetRole", role(MANAGEMENT, "helper"), ctx(MGMT_ADMIN, "us-east-1")),
    ),
    Case(
        "management-admin-strips-protections-from-a-permission-set",
        "management-account escalation",
        ("permset", "platform-admin", MANAGEMENT),
        R("sso:PutInlinePolicyToPermissionSet", "*", ctx(MGMT_ADMIN)),
        R("sso:DescribePermissionSet", "*", ctx(MGMT_ADMIN)),
    ),
    Case(
        "management-admin-assigns-themselves-an-account",
        "management-account escalation",
        ("permset", "platform-admin", MANAGEMENT),
        R("sso:CreateAccountAssignment", "*", ctx(MGMT_ADMIN)),
        R("sso:ListAccountAssignments", "*", ctx(MGMT_ADMIN)),
    ),
    Case(
        "management-admin-adds-a-user-to-the-identity-store",
        "management-account escalation",
        ("permset", "platform-admin", MANAGEMENT),
        R("identitystore:CreateGroupMembership", "*", ctx(MGMT_ADMIN)),
        R("identitystore:ListGroupMemberships", "*", ctx(MGMT_ADMIN)),
    ),
    Case(
        "management-admin-deletes-the-trail-log-group",
        "management-account escalation",
        ("permset", "platform-admin", MANAGEMENT),
        R("logs:DeleteLogGroup", TRAIL_LOG_GROUP, ctx(MGMT_ADMIN)),
        R("logs:FilterLogEvents", TRAIL_LOG_GROUP, ctx(MGMT_ADMIN)),
    ),
    Case(
        "management-admin-deletes-a-metric-filter",
        "management-account escalation",
        ("permset", "platform-admin", MANAGEMENT),
        R("logs:DeleteMetricFilter", TRAIL_LOG_GROUP, ctx(MGMT_ADMIN)),
        R("logs:DescribeMetricFilters", TRAIL_LOG_GROUP, ctx(MGMT_ADMIN)),
    ),
    Case(
        "management-admin-deletes-an-alarm",
        "management-account escalation",
        ("permset", "platform-admin", MANAGEMENT),
        R(
            "cloudwatch:DeleteAlarms",
            f"arn:aws:cloudwatch:{REGION}:{MANAGEMENT}:alarm:lz-alert-root-activity",
            ctx(MGMT_ADMIN),
        ),
        R(
            "cloudwatch:DescribeAlarms",
            f"arn:aws:cloudwatch:{REGION}:{MANAGEMENT}:alarm:lz-alert-root-activity",
            ctx(MGMT_ADMIN),
        ),
    ),
    Case(
        "management-admin-disables-the-alert-forwarder-rule",
        "management-account escalation",
        ("permset", "platform-admin", MANAGEMENT),
        R(
            "events:DisableRule",
            f"arn:aws:events:{REGION}:{MANAGEMENT}:rule/lz-security-alert-forwarder",
            ctx(MGMT_ADMIN),
        ),
        R(
            "events:DescribeRule",
            f"arn:aws:events:{REGION}:{MANAGEMENT}:rule/lz-security-alert-forwarder",
            ctx(MGMT_ADMIN),
        ),
    ),
    # ------------------------------------------------------------------ StackSet abuse
    Case(
        "management-admin-pushes-a-new-template-with-update-stack-set",
        "StackSet abuse",
        ("permset", "platform-admin", MANAGEMENT),
        R("cloudformation:UpdateStackSet", STACKSET, ctx(MGMT_ADMIN)),
        R("cloudformation:DescribeStackSet", STACKSET, ctx(MGMT_ADMIN)),
    ),
    Case(
        "management-admin-removes-the-baseline-with-delete-stack-instances",
        "StackSet abuse",
        ("permset", "platform-admin", MANAGEMENT),
        R("cloudformation:DeleteStackInstances", STACKSET, ctx(MGMT_ADMIN)),
        R("cloudformation:ListStackInstances", STACKSET, ctx(MGMT_ADMIN)),
    ),
    Case(
        "management-admin-creates-a-stack-set-of-their-own",
        "StackSet abuse",
        ("permset", "platform-admin", MANAGEMENT),
        R(
            "cloudformation:CreateStackSet",
            f"arn:aws:cloudformation:{REGION}:{MANAGEMENT}:stackset/evil:*",
            ctx(MGMT_ADMIN),
        ),
        R("cloudformation:ListStackSets", "*", ctx(MGMT_ADMIN)),
    ),
    Case(
        "member-admin-deletes-the-baseline-stack-instance",
        "StackSet abuse",
        ("scp", "app-prod"),
        R("cloudformation:DeleteStack", BASELINE_STACK, ctx(DEV)),
        R("cloudformation:DeleteStack", BASELINE_STACK, ctx(STACKSETS)),
    ),
    Case(
        "member-admin-creates-a-change-set-on-a-landing-zone-stack",
        "StackSet abuse",
        ("scp", "app-prod"),
        R(
            "cloudformation:CreateChangeSet",
            f"arn:aws:cloudformation:{REGION}:{APP}:stack/lz-network-{REGION}/guid",
            ctx(DEV),
        ),
        R(
            "cloudformation:CreateChangeSet",
            f"arn:aws:cloudformation:{REGION}:{APP}:stack/lz-network-{REGION}/guid",
            ctx(DEPLOY),
        ),
        notes="legit: the platform pipeline's deploy role",
    ),
    Case(
        "member-admin-updates-a-landing-zone-stack",
        "StackSet abuse",
        ("scp", "app-prod"),
        R(
            "cloudformation:UpdateStack",
            f"arn:aws:cloudformation:{REGION}:{APP}:stack/lz-network-{REGION}/guid",
            ctx(DEFAULT_CFN_EXEC),
        ),
        R(
            "cloudformation:UpdateStack",
            f"arn:aws:cloudformation:{REGION}:{APP}:stack/lz-network-{REGION}/guid",
            ctx(CFN_EXEC),
        ),
    ),
    # ------------------------------------------------------------------ key and backup destruction
    Case(
        "the-platform-pipeline-itself-cannot-delete-the-log-archive-key",
        "key and backup destruction",
        ("key", "log-archive"),
        R("kms:ScheduleKeyDeletion", LOG_KEY, ctx(CFN_EXEC_LA)),
        R("kms:ScheduleKeyDeletion", LOG_KEY, ctx(BREAK_GLASS_LA)),
    ),
    Case(
        "log-archive-admin-disables-the-log-archive-key",
        "key and backup destruction",
        ("key", "log-archive"),
        R("kms:DisableKey", LOG_KEY, ctx(ADMIN_LA)),
        R("kms:Decrypt", LOG_KEY, ctx(ADMIN_LA)),
    ),
    Case(
        "log-archive-admin-re-policies-the-log-archive-key",
        "key and backup destruction",
        ("key", "log-archive"),
        R("kms:PutKeyPolicy", LOG_KEY, ctx(ADMIN_LA)),
        R("kms:PutKeyPolicy", LOG_KEY, ctx(CFN_EXEC_LA)),
    ),
    Case(
        "log-archive-admin-grants-the-key-to-an-outsider",
        "key and backup destruction",
        ("key", "log-archive"),
        R("kms:CreateGrant", LOG_KEY, ctx(ADMIN_LA, **{"kms:GrantIsForAWSResource": False})),
        R("kms:CreateGrant", LOG_KEY, ctx(ADMIN_LA, **{"kms:GrantIsForAWSResource": True})),
    ),
    Case(
        "admin-schedules-deletion-of-the-backup-vault-key-by-scp",
        "key and backup destruction",
        ("scp", "app-prod"),
        R("kms:ScheduleKeyDeletion", APP_KEY, ctx(CFN_EXEC, **PLATFORM_TAG)),
        R("kms:ScheduleKeyDeletion", APP_KEY, ctx(DEV)),
        notes="legit: a developer deleting an untagged key of their own application",
    ),
    Case(
        "admin-untags-the-backup-vault-key-first",
        "key and backup destruction",
        ("scp", "app-prod"),
        R("kms:UntagResource", APP_KEY, ctx(DEV, **{"aws:TagKeys": [naming.PLATFORM_TAG[0]]})),
        R("kms:UntagResource", APP_KEY, ctx(DEV, **{"aws:TagKeys": ["team"]})),
    ),
    Case(
        "admin-disables-the-backup-vault-key-by-key-policy",
        "key and backup destruction",
        ("key", "backup"),
        R("kms:DisableKey", APP_KEY, ctx(DEFAULT_CFN_EXEC)),
        R("kms:DisableKey", APP_KEY, ctx(BREAK_GLASS)),
    ),
    Case(
        "admin-grants-the-backup-vault-key-to-an-outsider",
        "key and backup destruction",
        ("key", "backup"),
        R("kms:CreateGrant", APP_KEY, ctx(DEV, **{"kms:GrantIsForAWSResource": False})),
        R("kms:CreateGrant", APP_KEY, ctx(DEV, **{"kms:GrantIsForAWSResource": True})),
    ),
    Case(
        "admin-deletes-recovery-points-through-the-vault",
        "key and backup destruction",
        ("vault",),
        R("backup:DeleteRecoveryPoint", "*", ctx(CDK_X)),
        R("backup:DeleteRecoveryPoint", "*", ctx(CFN_EXEC)),
    ),
    Case(
        "admin-deletes-the-backup-plan",
        "key and backup destruction",
        ("scp", "app-prod"),
        R("backup:DeleteBackupPlan", PLAN, ctx(DEV, **PLATFORM_TAG)),
        R("backup:DeleteBackupPlan", PLAN, ctx(DEV)),
        notes="legit: a plan of the application's own (no platform tag)",
    ),
    Case(
        "admin-removes-the-selection-of-the-backup-plan",
        "key and backup destruction",
        ("scp", "app-prod"),
        R("backup:DeleteBackupSelection", PLAN, ctx(DEV, **PLATFORM_TAG)),
        R("backup:DeleteBackupSelection", PLAN, ctx(STACKSETS, **PLATFORM_TAG)),
    ),
    # ------------------------------------------------------------------ network escape
    *(
        Case(
            f"workload-admin-{action.split(':')[1].lower()}",
            "network escape",
            ("scp", "app-prod"),
            R(action, "*", ctx(CFN_EXEC)),
            R(action, "*", ctx(NETWORK_CFN_EXEC)),
            legit_where=("scp", "network"),
            notes="legit: the hub in the network account",
        )
        for action in (
            "ec2:CreateInternetGateway",
            "ec2:AttachInternetGateway",
            "ec2:CreateEgressOnlyInternetGateway",
            "ec2:CreateNatGateway",
            "ec2:CreateVpcPeeringConnection",
            "ec2:AcceptVpcPeeringConnection",
            "ec2:CreateVpnConnection",
            "ec2:CreateClientVpnEndpoint",
            "ec2:CreateTransitGateway",
            "globalaccelerator:CreateAccelerator",
        )
    ),
    Case(
        "workload-writes-logs-into-a-foreign-account-through-the-central-endpoint",
        "network escape",
        ("endpoint", "logs"),
        R(
            "logs:PutLogEvents",
            f"arn:aws:logs:{REGION}:{FOREIGN}:log-group:exfil",
            ctx(APP_RUNTIME, **{"aws:PrincipalOrgID": ORG_ID, "aws:ResourceOrgID": "o-foreign0001"}),
        ),
        R(
            "logs:PutLogEvents",
            f"arn:aws:logs:{REGION}:{APP}:log-group:orders",
            ctx(APP_RUNTIME, **{"aws:PrincipalOrgID": ORG_ID, "aws:ResourceOrgID": ORG_ID}),
        ),
    ),
    Case(
        "foreign-credentials-used-through-the-central-sts-endpoint",
        "network escape",
        ("endpoint", "sts"),
        R(
            "sts:AssumeRole",
            role(FOREIGN, "c2"),
            ctx(role(FOREIGN, "stolen"), **{"aws:PrincipalOrgID": "o-foreign0001"}),
        ),
        R("sts:GetCallerIdentity", "*", ctx(APP_RUNTIME, **{"aws:PrincipalOrgID": ORG_ID})),
    ),
    Case(
        "workload-admin-deletes-flow-logs",
        "network escape",
        ("scp", "app-prod"),
        R("ec2:DeleteFlowLogs", "*", ctx(DEV)),
        R("ec2:CreateTransitGatewayVpcAttachment", "*", ctx(DEV)),
        notes="legit: attaching the VPC to the central hub",
    ),
    # ------------------------------------------------------------------ detection tampering
    Case(
        "admin-disables-security-hub-standards",
        "detection tampering",
        ("scp", "security"),
        R("securityhub:BatchDisableStandards", "*", ctx(role(SECURITY, "cdk-x"))),
        R(
            "securityhub:BatchDisableStandards",
            "*",
            ctx(role(SECURITY, "stacksets-exec-0123456789abcdef0123456789abcdef")),
        ),
    ),
    Case(
        "security-admin-turns-off-guardduty-for-the-whole-organization",
        "detection tampering",
        ("scp", "security"),
        R(
            "guardduty:UpdateOrganizationConfiguration",
            "*",
            ctx(role(SECURITY, "AWSReservedSSO_security-audit_0a")),
        ),
        R(
            "guardduty:UpdateOrganizationConfiguration",
            "*",
            ctx(role(SECURITY, naming.platform_bootstrap_role_name("cfn-exec", REGION))),
        ),
    ),
    Case(
        "security-admin-deletes-the-organization-conformance-pack",
        "detection tampering",
        ("scp", "security"),
        R("config:DeleteOrganizationConformancePack", "*", ctx(role(SECURITY, "cdk-x"))),
        R("config:DescribeOrganizationConformancePacks", "*", ctx(role(SECURITY, "cdk-x"))),
    ),
    Case(
        "admin-adds-a-guardduty-suppression-filter",
        "detection tampering",
        ("scp", "app-prod"),
        R("guardduty:CreateFilter", "*", ctx(DEFAULT_DEPLOY)),
        R("guardduty:GetFindings", "*", ctx(DEFAULT_DEPLOY)),
    ),
    Case(
        "admin-deletes-the-member-alert-forwarder-rule",
        "detection tampering",
        ("scp", "app-prod"),
        R("events:DeleteRule", f"arn:aws:events:{REGION}:{APP}:rule/lz-security-alert-forwarder", ctx(DEV)),
        R("events:DeleteRule", f"arn:aws:events:{REGION}:{APP}:rule/orders-nightly", ctx(DEV)),
    ),
    Case(
        "admin-removes-a-rule-from-the-security-alert-bus",
        "detection tampering",
        ("scp", "security"),
        R(
            "events:DeleteRule",
            f"arn:aws:events:{REGION}:{SECURITY}:rule/lz-security-alerts/root-activity",
            ctx(role(SECURITY, "Admin")),
        ),
        R(
            "events:DeleteRule",
            f"arn:aws:events:{REGION}:{SECURITY}:rule/lz-security-alerts/root-activity",
            ctx(role(SECURITY, naming.platform_bootstrap_role_name("cfn-exec", REGION))),
        ),
    ),
    # ------------------------------------------------------------------ confused deputy (RCP)
    Case(
        "a-service-writes-to-our-bucket-on-behalf-of-a-foreign-account",
        "confused deputy",
        ("rcp", "app-prod"),
        R(
            "s3:PutObject",
            "arn:aws:s3:::orders-data/x",
            {
                "aws:PrincipalIsAWSService": True,
                "aws:SourceAccount": FOREIGN,
                "aws:SourceOrgID": "o-foreign0001",
            },
        ),
        R(
            "s3:PutObject",
            "arn:aws:s3:::orders-data/x",
            {"aws:PrincipalIsAWSService": True, "aws:SourceAccount": APP, "aws:SourceOrgID": ORG_ID},
        ),
    ),
    Case(
        "a-service-uses-our-key-for-an-account-outside-any-organization",
        "confused deputy",
        ("rcp", "app-prod"),
        R("kms:Decrypt", APP_KEY, {"aws:PrincipalIsAWSService": True, "aws:SourceAccount": FOREIGN}),
        R("kms:Decrypt", APP_KEY, {"aws:PrincipalIsAWSService": True}),
        notes="legit: a service acting without a source account (e.g. on the caller's own behalf)",
    ),
    Case(
        "an-outsider-assumes-a-role-it-was-trusted-by",
        "confused deputy",
        ("rcp", "app-prod"),
        R(
            "sts:AssumeRole",
            APP_RUNTIME,
            {
                "aws:PrincipalArn": role(FOREIGN, "x"),
                "aws:PrincipalOrgID": "o-foreign0001",
                "aws:PrincipalIsAWSService": False,
            },
        ),
        R(
            "sts:AssumeRole",
            APP_RUNTIME,
            {
                "aws:PrincipalArn": role(SECURITY, "x"),
                "aws:PrincipalOrgID": ORG_ID,
                "aws:PrincipalIsAWSService": False,
            },
        ),
    ),
    Case(
        "an-outsider-reads-a-secret-shared-by-mistake",
        "confused deputy",
        ("rcp", "app-prod"),
        R(
            "secretsmanager:GetSecretValue",
            "*",
            {"aws:PrincipalArn": role(FOREIGN, "x"), "aws:PrincipalIsAWSService": False},
        ),
        R(
            "secretsmanager:GetSecretValue",
            "*",
            {
                "aws:PrincipalArn": APP_RUNTIME,
                "aws:PrincipalOrgID": ORG_ID,
                "aws:PrincipalIsAWSService": False,
            },
        ),
    ),
]


# ---------------------------------------------------------------------------- the deciding policies


@pytest.fixture(scope="module")
def planned():
    return planned_policies(CONFIG)


@pytest.fixture(scope="module")
def decide(planned, default_synth):
    templates = default_synth.templates
    log_stack = f"lz-log-archive-{CONFIG.regions.home}"

    def key_policy(description_start: str, account: str) -> dict:
        keys = [
            p
            for p in find(templates, "AWS::KMS::Key")
            if str(p.get("Description", "")).startswith(description_start)
        ]
        assert keys, description_start
        return resolve(keys[0]["KeyPolicy"], account, REGION)

    def documents(where: tuple[str, ...]) -> tuple[list[dict], str]:
        kind = where[0]
        if kind == "scp":
            return [FULL_ACCESS, *effective(planned, CONFIG, where[1], SCP)], "scp"
        if kind == "rcp":
            return effective(planned, CONFIG, where[1], RCP), "rcp"
        if kind == "key" and where[1] == "log-archive":
            return [key_policy("Encrypts the log archive", LOG_ARCHIVE)], "resource"
        if kind == "key" and where[1] == "backup":
            return [key_policy("Encrypts the recovery points", APP)], "resource"
        if kind == "bucket":
            (policy,) = [
                p
                for p in find(templates, "AWS::S3::BucketPolicy", log_stack)
                if "lz-logs-" in str(p["PolicyDocument"])
                and "DenyConfigurationChangesOutsideThePlatform" in str(p)
                and "CloudTrailOrganizationWrite" in str(p)
            ]
            return [resolve(policy["PolicyDocument"], LOG_ARCHIVE, REGION)], "resource"
        if kind == "vault":
            vaults = find(templates, "AWS::Backup::BackupVault", BackupVaultName="lz-backup")
            assert vaults and all(v["AccessPolicy"] == vaults[0]["AccessPolicy"] for v in vaults)
            return [resolve(vaults[0]["AccessPolicy"], APP, REGION)], "resource"
        if kind == "endpoint":
            endpoints = [
                p
                for p in find(templates, "AWS::EC2::VPCEndpoint")
                if str(p.get("ServiceName", "")).endswith(f".{where[1]}") and p.get("PolicyDocument")
            ]
            assert endpoints, where
            return [resolve(endpoints[0]["PolicyDocument"], NETWORK, REGION)], "endpoint"
        if kind == "permset":
            (ps,) = find(templates, "AWS::SSO::PermissionSet", Name=where[1])
            # AdministratorAccess (or any Allow) next to the landing zone's inline deny statements
            return [FULL_ACCESS, resolve(ps["InlinePolicy"], where[2], REGION)], "identity"
        raise AssertionError(where)

    def run(where: tuple[str, ...], request: Request) -> tuple[Decision, str]:
        docs, mode = documents(where)
        if mode == "rcp":
            return evaluate_rcps(docs, request).decision, mode
        return evaluate(docs, request).decision, mode

    return run


def _allowed(decision: Decision, mode: str) -> bool:
    # a resource policy alone only has to stay out of the way: the caller's account grants through IAM
    return decision is not Decision.EXPLICIT_DENY if mode == "resource" else decision is Decision.ALLOW


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_attack_is_denied_and_the_legitimate_request_is_not(case: Case, decide) -> None:
    decision, mode = decide(case.where, case.attack)
    # an endpoint policy only allows: what it does not allow does not pass the endpoint
    refused = decision is not Decision.ALLOW if mode == "endpoint" else decision is Decision.EXPLICIT_DENY
    assert refused, f"{case.kind}: {case.id} was not denied ({decision})"
    legit_decision, mode = decide(case.legit_where or case.where, case.legit)
    assert _allowed(legit_decision, mode), f"{case.kind}: the legitimate twin of {case.id} is refused"


def test_the_suite_is_large_and_covers_every_kind_of_attack() -> None:
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)
    assert {c.kind for c in CASES} == {
        "deploy-role take-over",
        "renamed role",
        "management-account escalation",
        "StackSet abuse",
        "key and backup destruction",
        "network escape",
        "detection tampering",
        "confused deputy",
    }
