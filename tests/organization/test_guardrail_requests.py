"""What the deployed guardrails deny and allow, request by request (evaluated with IAM semantics).

The policies are the ones the default configuration deploys, after packing: for each account, the
SCPs attached to Root, its OUs and itself, next to ``FullAWSAccess``; for resources, the RCPs next
to ``RCPFullAWSAccess``. Every request states its context keys explicitly.
"""

from __future__ import annotations

import pytest

from landing_zone.organization.evaluator import Request, evaluate_rcps, evaluate_scps
from landing_zone.organization.policies import RCP, SCP
from tests.organization.org_testkit import config_with, effective, planned_policies

APP = "666666666666"  # app-prod, in Workloads/Prod
LOG_ARCHIVE = "222222222222"
DEV = f"arn:aws:iam::{APP}:role/AWSReservedSSO_Developer_0123456789abcdef"
PLATFORM = f"arn:aws:iam::{APP}:role/lz-cdk-cfn-exec-eu-central-1"  # the platform pipeline (contract 1)
STACKSETS = f"arn:aws:iam::{APP}:role/stacksets-exec-0123456789abcdef0123456789abcdef"
ROOT_USER = f"arn:aws:iam::{APP}:root"
LOG_BUCKET = f"lz-logs-{LOG_ARCHIVE}-eu-central-1"


def ctx(principal=DEV, region="eu-central-1", **extra):
    return {"aws:PrincipalArn": principal, "aws:RequestedRegion": region, **extra}


def scp_decision(policies, config, account, action, resource="*", **context):
    scps = effective(policies, config, account, SCP)
    return evaluate_scps(scps, Request(action, resource, context))


CASES = [
    # (description, account, action, resource, context, allowed)
    (
        "s3:PutObject in us-east-1 (outside the allowed regions)",
        "app-prod",
        "s3:PutObject",
        "arn:aws:s3:::app-data/k",
        ctx(region="us-east-1"),
        False,
    ),
    (
        "s3:PutObject in eu-west-1 (allowed region)",
        "app-prod",
        "s3:PutObject",
        "arn:aws:s3:::app-data/k",
        ctx(region="eu-west-1"),
        True,
    ),
    (
        "the region restriction applies to the platform role too",
        "app-prod",
        "ec2:RunInstances",
        "arn:aws:ec2:us-east-1:666666666666:instance/*",
        ctx(PLATFORM, "us-east-1", **{"ec2:MetadataHttpTokens": "required"}),
        False,
    ),
    ("global service (IAM) from any region", "app-prod", "iam:ListRoles", "*", ctx(region="us-east-1"), True),
    (
        "iam:CreateRole by the platform role",
        "app-prod",
        "iam:CreateRole",
        f"arn:aws:iam::{APP}:role/lz-platform-automation",
        ctx(PLATFORM, "us-east-1"),
        True,
    ),
    (
        "iam:CreateRole of a platform role by a developer",
        "app-prod",
        "iam:CreateRole",
        f"arn:aws:iam::{APP}:role/lz-platform-automation",
        ctx(DEV, "us-east-1"),
        False,
    ),
    (
        "iam:CreateRole of an application role by a developer",
        "app-prod",
        "iam:CreateRole",
        f"arn:aws:iam::{APP}:role/app-task-role",
        ctx(DEV, "us-east-1"),
        True,
    ),
    (
        "organizations:LeaveOrganization, even by the platform role",
        "app-prod",
        "organizations:LeaveOrganization",
        "*",
        ctx(PLATFORM, "us-east-1"),
        False,
    ),
    ("root user: any action", "app-prod", "s3:ListAllMyBuckets", "*", ctx(ROOT_USER), False),
    (
        "ec2:RunInstances without IMDSv2",
        "app-prod",
        "ec2:RunInstances",
        f"arn:aws:ec2:eu-central-1:{APP}:instance/*",
        ctx(**{"ec2:MetadataHttpTokens": "optional"}),
        False,
    ),
    (
        "ec2:RunInstances with IMDSv2 required",
        "app-prod",
        "ec2:RunInstances",
        f"arn:aws:ec2:eu-central-1:{APP}:instance/*",
        ctx(**{"ec2:MetadataHttpTokens": "required"}),
        True,
    ),
    (
        "any request with credentials delivered through IMDSv1",
        "app-prod",
        "s3:GetObject",
        "arn:aws:s3:::app-data/k",
        ctx(**{"ec2:RoleDelivery": "1.0"}),
        False,
    ),
    (
        "a request with credentials delivered through IMDSv2",
        "app-prod",
        "s3:GetObject",
        "arn:aws:s3:::app-data/k",
        ctx(**{"ec2:RoleDelivery": "2.0"}),
        True,
    ),
    ("cloudtrail:StopLogging by a developer", "app-prod", "cloudtrail:StopLogging", "*", ctx(), False),
    (
        "cloudtrail:StopLogging by the StackSets execution role",
        "app-prod",
        "cloudtrail:StopLogging",
        "*",
        ctx(STACKSETS),
        True,
    ),
    (
        "s3:DeleteObject in the log archive bucket",
        "log-archive",
        "s3:DeleteObject",
        f"arn:aws:s3:::{LOG_BUCKET}/AWSLogs/x.json.gz",
        ctx(f"arn:aws:iam::{LOG_ARCHIVE}:role/Admin"),
        False,
    ),
    (
        "s3:PutBucketPolicy on the log archive bucket",
        "log-archive",
        "s3:PutBucketPolicy",
        f"arn:aws:s3:::{LOG_BUCKET}",
        ctx(f"arn:aws:iam::{LOG_ARCHIVE}:role/Admin"),
        False,
    ),
    (
        "s3:DeleteObject in an application bucket",
        "app-prod",
        "s3:DeleteObject",
        "arn:aws:s3:::app-data/k",
        ctx(),
        True,
    ),
    (
        "kms:ScheduleKeyDeletion of a log archive key",
        "log-archive",
        "kms:ScheduleKeyDeletion",
        f"arn:aws:kms:eu-central-1:{LOG_ARCHIVE}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        ctx(f"arn:aws:iam::{LOG_ARCHIVE}:role/Admin"),
        False,
    ),
    (
        "kms:ScheduleKeyDeletion of an application key",
        "app-prod",
        "kms:ScheduleKeyDeletion",
        f"arn:aws:kms:eu-central-1:{APP}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        ctx(),
        True,
    ),
    ("config:StopConfigurationRecorder", "app-prod", "config:StopConfigurationRecorder", "*", ctx(), False),
    ("guardduty:DeleteDetector", "app-prod", "guardduty:DeleteDetector", "*", ctx(), False),
    ("guardduty:CreateFilter (suppression rule)", "app-prod", "guardduty:CreateFilter", "*", ctx(), False),
    ("securityhub:DisableSecurityHub", "app-prod", "securityhub:DisableSecurityHub", "*", ctx(), False),
    ("access-analyzer:DeleteAnalyzer", "app-prod", "access-analyzer:DeleteAnalyzer", "*", ctx(), False),
    (
        "backup:DeleteRecoveryPoint by a developer",
        "app-prod",
        "backup:DeleteRecoveryPoint",
        "*",
        ctx(),
        False,
    ),
    (
        "backup:DeleteRecoveryPoint by the platform role",
        "app-prod",
        "backup:DeleteRecoveryPoint",
        "*",
        ctx(PLATFORM),
        True,
    ),
    (
        "iam:CreateUser",
        "app-prod",
        "iam:CreateUser",
        f"arn:aws:iam::{APP}:user/someone",
        ctx(region="us-east-1"),
        False,
    ),
    (
        "iam:CreateAccessKey",
        "app-prod",
        "iam:CreateAccessKey",
        f"arn:aws:iam::{APP}:user/someone",
        ctx(region="us-east-1"),
        False,
    ),
    (
        "ec2:DisableEbsEncryptionByDefault, even by the platform role",
        "app-prod",
        "ec2:DisableEbsEncryptionByDefault",
        "*",
        ctx(PLATFORM),
        False,
    ),
    (
        "s3:PutAccountPublicAccessBlock by a developer",
        "app-prod",
        "s3:PutAccountPublicAccessBlock",
        "*",
        ctx(),
        False,
    ),
    (
        "s3:PutAccountPublicAccessBlock by the baseline's AccountDefaults role",
        "app-prod",
        "s3:PutAccountPublicAccessBlock",
        "*",
        ctx(f"arn:aws:iam::{APP}:role/lz-baseline-account-defaults-eu-central-1"),
        True,
    ),
    ("an approved service in a workload account", "app-prod", "lambda:InvokeFunction", "*", ctx(), True),
    (
        "a service that is not approved, in a workload account",
        "app-prod",
        "sagemaker:CreateNotebookInstance",
        "*",
        ctx(),
        False,
    ),
    (
        "a service that is not approved, by the platform role",
        "app-prod",
        "sagemaker:CreateNotebookInstance",
        "*",
        ctx(PLATFORM),
        False,
    ),
    (
        "the allow-list is not attached to the Infrastructure OU",
        "network",
        "sagemaker:CreateNotebookInstance",
        "*",
        ctx("arn:aws:iam::444444444444:role/Admin"),
        True,
    ),
]


@pytest.mark.parametrize(
    ("account", "action", "resource", "context", "allowed"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_service_control_policies(policies, config, account, action, resource, context, allowed):
    result = scp_decision(policies, config, account, action, resource, **context)
    assert result.allowed is allowed, result


def test_exception_role_may_create_iam_users_but_nobody_gets_a_console_password():
    config = config_with(guardrails={"iam_user_exception_role": "smtp-credentials-admin"})
    policies = planned_policies(config)
    exception = ctx(f"arn:aws:iam::{APP}:role/smtp-credentials-admin", "us-east-1")
    user = f"arn:aws:iam::{APP}:user/ses-smtp"
    assert scp_decision(policies, config, "app-prod", "iam:CreateUser", user, **exception).allowed
    assert scp_decision(policies, config, "app-prod", "iam:CreateAccessKey", user, **exception).allowed
    assert not scp_decision(policies, config, "app-prod", "iam:CreateLoginProfile", user, **exception).allowed
    assert not scp_decision(
        policies, config, "app-prod", "iam:CreateUser", user, **ctx(DEV, "us-east-1")
    ).allowed
    # the exception names one exact role: nobody but the platform may create or re-trust a role of
    # that name (or anyone could give themselves the exception)
    exception_role = f"arn:aws:iam::{APP}:role/smtp-credentials-admin"
    for action in ("iam:CreateRole", "iam:UpdateAssumeRolePolicy"):
        assert not scp_decision(
            policies, config, "app-prod", action, exception_role, **ctx(DEV, "us-east-1")
        ).allowed
        assert scp_decision(
            policies, config, "app-prod", action, exception_role, **ctx(PLATFORM, "us-east-1")
        ).allowed


RESOURCE = {"aws:ResourceOrgID": "o-voorbeeld001"}
RCP_CASES = [
    (
        "principal of the organization",
        "s3:GetObject",
        {**RESOURCE, "aws:PrincipalOrgID": "o-voorbeeld001", "aws:PrincipalIsAWSService": False},
        True,
    ),
    (
        "principal of another organization",
        "s3:GetObject",
        {**RESOURCE, "aws:PrincipalOrgID": "o-elsewhere99", "aws:PrincipalIsAWSService": False},
        False,
    ),
    (
        "principal outside any organization",
        "kms:Decrypt",
        {**RESOURCE, "aws:PrincipalIsAWSService": False},
        False,
    ),
    ("anonymous request", "s3:GetObject", RESOURCE, False),
    (
        "AWS service principal (CloudTrail writing logs)",
        "s3:PutObject",
        {**RESOURCE, "aws:PrincipalIsAWSService": True},
        True,
    ),
    (
        "role assumption from outside",
        "sts:AssumeRole",
        {**RESOURCE, "aws:PrincipalOrgID": "o-elsewhere99", "aws:PrincipalIsAWSService": False},
        False,
    ),
    ("SAML federation (outside the perimeter's actions)", "sts:AssumeRoleWithSAML", RESOURCE, True),
    (
        "a service the perimeter does not cover",
        "dynamodb:GetItem",
        {**RESOURCE, "aws:PrincipalOrgID": "o-elsewhere99", "aws:PrincipalIsAWSService": False},
        True,
    ),
]


@pytest.mark.parametrize(
    ("action", "context", "allowed"), [case[1:] for case in RCP_CASES], ids=[case[0] for case in RCP_CASES]
)
def test_data_perimeter_resource_control_policy(policies, config, action, context, allowed):
    rcps = effective(policies, config, "app-prod", RCP)
    assert rcps, "the data perimeter RCP applies to app-prod"
    result = evaluate_rcps(rcps, Request(action, "*", context))
    assert result.allowed is allowed, result


def test_removing_a_guardrail_from_the_configuration_lifts_its_denial():
    config = config_with(
        guardrails={"attach": {"deny_outside_regions": []}},
        # without this recorded opt-in the whole-model checks refuse the weaker configuration
        scope_decisions=[
            {
                "name": "guardrail-partial-coverage",
                "items": ["deny_outside_regions"],
                "reason": "test: the region guardrail is deliberately left out",
                "approved_by": "CISO",
            }
        ],
    )
    policies = planned_policies(config)
    result = scp_decision(
        policies, config, "app-prod", "s3:PutObject", "arn:aws:s3:::b/k", **ctx(region="us-east-1")
    )
    assert result.allowed
