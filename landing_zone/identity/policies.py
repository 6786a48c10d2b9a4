"""IAM policy documents of the identity component, as plain data (no CDK).

- :func:`protection_statements`: the deny statements every permission set gets unless
  ``protect_landing_zone: false``: people signing in through Identity Center cannot create
  long-lived credentials, change or leave the organization, switch off logging and security
  services, or tamper with the landing zone's own roles, policies, alerts and stacks.
- :func:`workload_iam_statements`: lets a developer create IAM roles for applications, but only
  under ``/workload/`` and only with the workload permissions boundary attached.
- :func:`workload_boundary_document`: that boundary: PowerUserAccess-like, plus the same IAM and
  protection statements, so a role made by a developer can never do more than the developer.

The documents must work in every account, so ARNs use ``*`` for the account.
"""

from __future__ import annotations

from typing import Any

from landing_zone.identity.names import ALERT_TOPIC_NAME, WORKLOAD_BOUNDARY_POLICY, WORKLOAD_PATH
from landing_zone.naming import PREFIX

Statement = dict[str, Any]

VERSION = "2012-10-17"

_WORKLOAD = WORKLOAD_PATH.strip("/")
WORKLOAD_BOUNDARY_ARN_PATTERN = f"arn:aws:iam::*:policy/{WORKLOAD_BOUNDARY_POLICY}"

#: Ways to get long-lived, MFA-less credentials: IAM users, passwords, access keys.
_LONG_LIVED_CREDENTIALS = [
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:CreateServiceSpecificCredential",
    "iam:CreateUser",
    "iam:UpdateAccessKey",
    "iam:UpdateLoginProfile",
    "iam:UploadSSHPublicKey",
    "iam:UploadSigningCertificate",
]

#: Changing the organization, leaving it, or changing the account's own settings.
_ORGANIZATION_CHANGES = [
    "account:CloseAccount",
    "account:Delete*",
    "account:Disable*",
    "account:Enable*",
    "account:Put*",
    "organizations:Accept*",
    "organizations:Attach*",
    "organizations:Close*",
    "organizations:Create*",
    "organizations:Decline*",
    "organizations:Delete*",
    "organizations:Deregister*",
    "organizations:Detach*",
    "organizations:Disable*",
    "organizations:Enable*",
    "organizations:Invite*",
    "organizations:LeaveOrganization",
    "organizations:Move*",
    "organizations:Put*",
    "organizations:Register*",
    "organizations:Remove*",
    "organizations:Update*",
]

#: Switching off, or detaching from central management, the logging and security services.
#: Tuning (GuardDuty filters, Security Hub automation rules) stays possible for security staff.
_DISABLE_LOGGING_AND_SECURITY = [
    "access-analyzer:DeleteAnalyzer",
    "cloudtrail:DeleteEventDataStore",
    "cloudtrail:DeleteTrail",
    "cloudtrail:PutEventSelectors",
    "cloudtrail:StopEventDataStoreIngestion",
    "cloudtrail:StopLogging",
    "cloudtrail:UpdateTrail",
    "config:DeleteConfigurationRecorder",
    "config:DeleteDeliveryChannel",
    "config:DeleteRetentionConfiguration",
    "config:PutConfigurationRecorder",
    "config:PutDeliveryChannel",
    "config:StopConfigurationRecorder",
    "ec2:DeleteFlowLogs",
    "guardduty:DeleteDetector",
    "guardduty:DeleteMembers",
    "guardduty:DisassociateFromAdministratorAccount",
    "guardduty:DisassociateFromMasterAccount",
    "guardduty:DisassociateMembers",
    "guardduty:StopMonitoringMembers",
    "guardduty:UpdateDetector",
    "inspector2:Disable",
    "inspector2:DisassociateMember",
    "macie2:DisableMacie",
    "macie2:DisassociateFromAdministratorAccount",
    "macie2:DisassociateFromMasterAccount",
    "securityhub:BatchDisableStandards",
    "securityhub:DeleteMembers",
    "securityhub:DisableSecurityHub",
    "securityhub:DisassociateFromAdministratorAccount",
    "securityhub:DisassociateFromMasterAccount",
    "securityhub:DisassociateMembers",
]

#: Every IAM action that changes something.
_IAM_WRITES = [
    "iam:Add*",
    "iam:Attach*",
    "iam:Create*",
    "iam:Delete*",
    "iam:Detach*",
    "iam:PassRole",
    "iam:Put*",
    "iam:Remove*",
    "iam:Set*",
    "iam:Tag*",
    "iam:Untag*",
    "iam:Update*",
    "iam:Upload*",
]

#: The landing zone's own IAM resources, and those of the services that deploy it.
_PLATFORM_IAM_RESOURCES = [
    f"arn:aws:iam::*:policy/{PREFIX}-*",
    f"arn:aws:iam::*:role/{PREFIX}-*",
    "arn:aws:iam::*:role/AWSControlTowerExecution",
    "arn:aws:iam::*:role/OrganizationAccountAccessRole",
    "arn:aws:iam::*:role/stacksets-exec-*",
    "arn:aws:iam::*:saml-provider/*",
]


def protection_statements() -> list[Statement]:
    """The landing zone's protective deny statements (see the module documentation)."""
    return [
        {
            "Sid": "DenyLongLivedCredentials",
            "Effect": "Deny",
            "Action": _LONG_LIVED_CREDENTIALS,
            "Resource": "*",
        },
        {
            "Sid": "DenyOrganizationChanges",
            "Effect": "Deny",
            "Action": _ORGANIZATION_CHANGES,
            "Resource": "*",
        },
        {
            "Sid": "DenyDisablingLoggingAndSecurity",
            "Effect": "Deny",
            "Action": _DISABLE_LOGGING_AND_SECURITY,
            "Resource": "*",
        },
        {
            "Sid": "DenyPlatformIamChanges",
            "Effect": "Deny",
            "Action": _IAM_WRITES,
            "Resource": _PLATFORM_IAM_RESOURCES,
        },
        {
            "Sid": "DenyPermissionsBoundaryRemoval",
            "Effect": "Deny",
            "Action": ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"],
            "Resource": "*",
        },
        {
            "Sid": "DenyPlatformAlertAndStackChanges",
            "Effect": "Deny",
            "Action": [
                "cloudformation:CancelUpdateStack",
                "cloudformation:ContinueUpdateRollback",
                "cloudformation:CreateChangeSet",
                "cloudformation:DeleteStack",
                "cloudformation:ExecuteChangeSet",
                "cloudformation:SetStackPolicy",
                "cloudformation:UpdateStack",
                "cloudformation:UpdateTerminationProtection",
                "events:DeleteRule",
                "events:DisableRule",
                "events:PutRule",
                "events:PutTargets",
                "events:RemoveTargets",
                "sns:AddPermission",
                "sns:DeleteTopic",
                "sns:RemovePermission",
                "sns:SetTopicAttributes",
            ],
            "Resource": [
                f"arn:aws:cloudformation:*:*:stack/{PREFIX}-*",
                "arn:aws:cloudformation:*:*:stack/StackSet-*",
                f"arn:aws:events:*:*:rule/{PREFIX}-*",
                f"arn:aws:events:*:*:rule/{PREFIX}-*/*",
                f"arn:aws:sns:*:*:{ALERT_TOPIC_NAME}",
            ],
        },
    ]


#: Identity Center and identity store writes: a permission set change reaches every account.
_IDENTITY_CENTER_WRITES = [
    "identitystore:Create*",
    "identitystore:Delete*",
    "identitystore:Update*",
    "sso:Associate*",
    "sso:Attach*",
    "sso:Create*",
    "sso:Delete*",
    "sso:Detach*",
    "sso:Disassociate*",
    "sso:Import*",
    "sso:Provision*",
    "sso:Put*",
    "sso:Tag*",
    "sso:Untag*",
    "sso:Update*",
    "sso-directory:*",
]

#: StackSet writes: a StackSet pushes a template into every member account with administrator rights.
_STACKSET_WRITES = [
    "cloudformation:ActivateOrganizationsAccess",
    "cloudformation:CreateStackInstances",
    "cloudformation:CreateStackSet",
    "cloudformation:DeactivateOrganizationsAccess",
    "cloudformation:DeleteStackInstances",
    "cloudformation:DeleteStackSet",
    "cloudformation:ImportStacksToStackSet",
    "cloudformation:StopStackSetOperation",
    "cloudformation:TagResource",
    "cloudformation:UntagResource",
    "cloudformation:UpdateStackInstances",
    "cloudformation:UpdateStackSet",
]

#: The organization-wide monitoring in the management account: the trail's log group, its metric
#: filters, the alarms on them and the rules that forward events.
_MONITORING_WRITES = [
    "cloudwatch:DeleteAlarms",
    "cloudwatch:DisableAlarmActions",
    "cloudwatch:PutMetricAlarm",
    "cloudwatch:SetAlarmState",
    "logs:DeleteLogGroup",
    "logs:DeleteMetricFilter",
    "logs:DeleteRetentionPolicy",
    "logs:DeleteSubscriptionFilter",
    "logs:DisassociateKmsKey",
    "logs:PutMetricFilter",
    "logs:PutRetentionPolicy",
    "logs:PutSubscriptionFilter",
]


def management_statements(management_account_id: str) -> list[Statement]:
    """Deny statements for sessions in the management account, where no SCP applies.

    People (permission sets) there change nothing in IAM, Identity Center or StackSets, and cannot
    silence the organization-wide monitoring: those changes go through the platform pipeline (its
    cfn-exec role is not a permission set, so these statements do not reach it) or break-glass.
    """
    in_management = {"StringEquals": {"aws:PrincipalAccount": management_account_id}}
    return [
        {
            "Sid": "DenyManagementIamWrites",
            "Effect": "Deny",
            "Action": _IAM_WRITES,
            "Resource": "*",
            "Condition": in_management,
        },
        {
            "Sid": "DenyManagementIdentityCenterWrites",
            "Effect": "Deny",
            "Action": _IDENTITY_CENTER_WRITES,
            "Resource": "*",
            "Condition": in_management,
        },
        {
            "Sid": "DenyManagementStackSetWrites",
            "Effect": "Deny",
            "Action": _STACKSET_WRITES,
            "Resource": "*",
            "Condition": in_management,
        },
        {
            "Sid": "DenyManagementMonitoringChanges",
            "Effect": "Deny",
            "Action": _MONITORING_WRITES,
            "Resource": [
                f"arn:aws:logs:*:*:log-group:/{PREFIX}/*",
                f"arn:aws:cloudwatch:*:*:alarm:{PREFIX}-*",
            ],
            "Condition": in_management,
        },
    ]


def workload_iam_statements() -> list[Statement]:
    """IAM for application roles: only under ``/workload/``, only with the workload boundary."""
    return [
        {
            "Sid": "AllowIamRead",
            "Effect": "Allow",
            "Action": ["iam:Get*", "iam:List*"],
            "Resource": "*",
        },
        {
            "Sid": "AllowServiceLinkedRoles",
            "Effect": "Allow",
            "Action": [
                "iam:CreateServiceLinkedRole",
                "iam:DeleteServiceLinkedRole",
                "iam:GetServiceLinkedRoleDeletionStatus",
            ],
            "Resource": "*",
        },
        {
            "Sid": "AllowWorkloadRolesWithBoundary",
            "Effect": "Allow",
            "Action": [
                "iam:AttachRolePolicy",
                "iam:CreateRole",
                "iam:DeleteRolePolicy",
                "iam:DetachRolePolicy",
                "iam:PutRolePermissionsBoundary",
                "iam:PutRolePolicy",
            ],
            "Resource": f"arn:aws:iam::*:role/{_WORKLOAD}/*",
            "Condition": {"StringLike": {"iam:PermissionsBoundary": WORKLOAD_BOUNDARY_ARN_PATTERN}},
        },
        {
            "Sid": "AllowWorkloadRoleUpkeep",
            "Effect": "Allow",
            "Action": [
                "iam:DeleteRole",
                "iam:PassRole",
                "iam:TagRole",
                "iam:UntagRole",
                "iam:UpdateAssumeRolePolicy",
                "iam:UpdateRole",
                "iam:UpdateRoleDescription",
            ],
            "Resource": f"arn:aws:iam::*:role/{_WORKLOAD}/*",
        },
        {
            "Sid": "AllowWorkloadPoliciesAndInstanceProfiles",
            "Effect": "Allow",
            "Action": [
                "iam:AddRoleToInstanceProfile",
                "iam:CreateInstanceProfile",
                "iam:CreatePolicy",
                "iam:CreatePolicyVersion",
                "iam:DeleteInstanceProfile",
                "iam:DeletePolicy",
                "iam:DeletePolicyVersion",
                "iam:RemoveRoleFromInstanceProfile",
                "iam:SetDefaultPolicyVersion",
                "iam:TagInstanceProfile",
                "iam:TagPolicy",
                "iam:UntagInstanceProfile",
                "iam:UntagPolicy",
            ],
            "Resource": [
                f"arn:aws:iam::*:instance-profile/{_WORKLOAD}/*",
                f"arn:aws:iam::*:policy/{_WORKLOAD}/*",
            ],
        },
    ]


def permission_set_inline_policy(
    *,
    protect: bool,
    workload_iam: bool,
    extra: dict[str, Any] | None,
    management_account_id: str | None = None,
) -> dict[str, Any] | None:
    """The inline policy of a permission set: the landing zone's statements (with
    :func:`management_statements` when the management account is given), then the configured ones."""
    statements: list[Any] = []
    if workload_iam:
        statements += workload_iam_statements()
    if protect:
        statements += protection_statements()
        if management_account_id:
            statements += management_statements(management_account_id)
    if extra:
        own = extra.get("Statement")
        statements += [own] if isinstance(own, dict) else list(own or [])
    if not statements:
        return None
    return {"Version": VERSION, "Statement": statements}


def workload_boundary_document() -> dict[str, Any]:
    """The workload permissions boundary (customer managed policy in every account)."""
    return {
        "Version": VERSION,
        "Statement": [
            {
                "Sid": "AllowServicesExceptIdentityAndOrganization",
                "Effect": "Allow",
                "NotAction": ["account:*", "iam:*", "organizations:*"],
                "Resource": "*",
            },
            {
                "Sid": "AllowAccountInformation",
                "Effect": "Allow",
                "Action": [
                    "account:GetAccountInformation",
                    "account:ListRegions",
                    "organizations:DescribeOrganization",
                ],
                "Resource": "*",
            },
            *workload_iam_statements(),
            *protection_statements(),
        ],
    }
