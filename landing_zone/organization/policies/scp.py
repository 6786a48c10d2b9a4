"""Service control policies (SCPs): what no principal in a member account can do.

SCPs never grant anything: they cap what IAM policies in member accounts can grant. Every policy
here is a set of ``Deny`` statements that work together with the AWS-managed ``FullAWSAccess``
policy, which stays attached. SCPs do not apply to the management account, nor to service-linked
roles and AWS service principals.
"""

from __future__ import annotations

from landing_zone import naming
from landing_zone.organization.policies.common import (
    SCP,
    Guardrail,
    PolicyInputs,
    _one_or_list,
    platform_exemption,
    statement_document,
)

#: Actions of global services (and a few global reads) that the region restriction leaves alone:
#: their requests are made in us-east-1 (or without a region) whichever region the caller uses.
GLOBAL_SERVICE_ACTIONS: tuple[str, ...] = (
    # identity and the organization itself
    "iam:*",
    "organizations:*",
    "account:*",
    "sts:*",
    # edge services with a global control plane; CloudFront certificates live in us-east-1
    "cloudfront:*",
    "route53:*",
    "route53domains:*",
    "globalaccelerator:*",
    "shield:*",
    "waf:*",
    "wafv2:*",
    "acm:*",
    # support and health
    "support:*",
    "trustedadvisor:*",
    "health:*",
    # billing and cost management
    "aws-portal:*",
    "billing:*",
    "budgets:*",
    "ce:*",
    "cur:*",
    "pricing:*",
    "payments:*",
    "tax:*",
    "invoicing:*",
    "freetier:*",
    "consolidatedbilling:*",
    "purchase-orders:*",
    "savingsplans:*",
    # global reads that consoles and SDKs make before they pick a region
    "ec2:DescribeRegions",
    "s3:ListAllMyBuckets",
    "s3:GetBucketLocation",
    "s3:GetAccountPublicAccessBlock",
)


def deny_outside_regions(inputs: PolicyInputs) -> Guardrail:
    """Data residency: deny every request for a region outside ``regions.allowed``.

    Global services (IAM, Organizations, STS, CloudFront, Route 53, support, billing...) are exempt
    through ``NotAction``: their requests are not made in one of our regions. No role is exempt,
    the platform's own roles included.
    """
    statement = {
        "Sid": "DenyOutsideAllowedRegions",
        "Effect": "Deny",
        "NotAction": list(GLOBAL_SERVICE_ACTIONS),
        "Resource": "*",
        "Condition": {"StringNotEquals": {"aws:RequestedRegion": _one_or_list(inputs.allowed_regions)}},
    }
    regions = ", ".join(inputs.allowed_regions)
    return Guardrail(
        key="deny_outside_regions",
        title="Deny regions outside the allowed set",
        policy_type=SCP,
        document=statement_document([statement]),
        measures=(),
        evidence=(
            f"SCP denies every request for a region other than {regions} (data residency); global "
            "services (IAM, Organizations, STS, CloudFront, Route 53, support, billing) are exempt."
        ),
    )


def deny_leave_organization(inputs: PolicyInputs) -> Guardrail:
    """No member account can leave the organization (and so escape every other guardrail)."""
    statement = {
        "Sid": "DenyLeaveOrganization",
        "Effect": "Deny",
        "Action": "organizations:LeaveOrganization",
        "Resource": "*",
    }
    return Guardrail(
        key="deny_leave_organization",
        title="Deny leaving the organization",
        policy_type=SCP,
        document=statement_document([statement]),
        measures=(),
        evidence="SCP denies organizations:LeaveOrganization to every principal in member accounts.",
    )


CLOUDTRAIL_ACTIONS = (
    "cloudtrail:StopLogging",
    "cloudtrail:DeleteTrail",
    "cloudtrail:UpdateTrail",
    "cloudtrail:PutEventSelectors",
    "cloudtrail:DeleteEventDataStore",
    "cloudtrail:UpdateEventDataStore",
)
LOG_BUCKET_ACTIONS = (
    "s3:DeleteBucket*",
    "s3:PutBucket*",
    "s3:PutLifecycleConfiguration",
    "s3:PutEncryptionConfiguration",
    "s3:PutReplicationConfiguration",
    "s3:DeleteObject*",
    "s3:PutObjectRetention",
    "s3:PutObjectLegalHold",
    "s3:BypassGovernanceRetention",
    "s3:PutObjectAcl",
    "s3:PutObjectVersionAcl",
)
#: Actions that make a key's ciphertext unreadable (for good, or until someone turns it back on):
#: break-glass only, the platform's deployment roles included (CloudFormation never needs them: the
#: keys are retained).
KEY_DESTRUCTION_ACTIONS = (
    "kms:ScheduleKeyDeletion",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:DeleteImportedKeyMaterial",
)
#: Actions that change who may use or destroy a key: the platform's deployment roles (which update
#: key policies and aliases) and break-glass only.
KEY_CONFIGURATION_ACTIONS = (
    "kms:PutKeyPolicy",
    "kms:DeleteAlias",
    "kms:UpdateAlias",
)
LOG_KEY_ACTIONS = (*KEY_DESTRUCTION_ACTIONS, *KEY_CONFIGURATION_ACTIONS)


def protect_logging(inputs: PolicyInputs) -> Guardrail:
    """The organization trail, the log archive buckets and the log archive keys.

    Only the platform's own roles (``naming.exempt_principal_arns``: the cfn-exec roles, the StackSets
    execution role, break-glass) may stop or change trails, change or delete the log buckets and their
    objects, or re-policy the KMS keys of the log archive account. Disabling or deleting those keys is
    denied to everyone but break-glass: without them the object-locked logs are unreadable for good.
    """
    exempt = platform_exemption(inputs.platform_role_arns)
    buckets = [
        arn for name in inputs.log_bucket_names for arn in (f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*")
    ]
    account = inputs.log_archive_account_id
    statements = [
        {
            "Sid": "ProtectCloudTrail",
            "Effect": "Deny",
            "Action": list(CLOUDTRAIL_ACTIONS),
            "Resource": "*",
            "Condition": exempt,
        },
        {
            "Sid": "ProtectLogArchiveBuckets",
            "Effect": "Deny",
            "Action": list(LOG_BUCKET_ACTIONS),
            "Resource": buckets,
            "Condition": exempt,
        },
        {
            "Sid": "ProtectLogArchiveKeys",
            "Effect": "Deny",
            "Action": list(KEY_CONFIGURATION_ACTIONS),
            "Resource": [
                f"arn:aws:kms:*:{account}:key/*",
                f"arn:aws:kms:*:{account}:{inputs.log_archive_key_alias}",
            ],
            "Condition": exempt,
        },
        {
            "Sid": "DenyLogArchiveKeyDestruction",
            "Effect": "Deny",
            "Action": list(KEY_DESTRUCTION_ACTIONS),
            "Resource": f"arn:aws:kms:*:{account}:key/*",
            "Condition": platform_exemption(inputs.break_glass_arns),
        },
    ]
    return Guardrail(
        key="protect_logging",
        title="Protect CloudTrail and the log archive",
        policy_type=SCP,
        document=statement_document(statements),
        measures=("5.28.01", "8.15.04"),
        evidence=(
            "SCP denies stopping, changing or deleting CloudTrail trails, changing or deleting the log "
            f"archive buckets ({', '.join(inputs.log_bucket_names)}) and their objects, and disabling "
            f"or re-policying KMS keys of the log archive account {account}, to every principal in member "
            "accounts except the platform's own roles (by exact role name); disabling or deleting those "
            "keys to everyone but break-glass. It does not cover the management account, where SCPs do "
            "not apply."
        ),
    )


SECURITY_SERVICE_ACTIONS = (
    "config:DeleteConfigurationRecorder",
    "config:DeleteDeliveryChannel",
    "config:DeleteRetentionConfiguration",
    "config:PutConfigurationRecorder",
    "config:PutDeliveryChannel",
    "config:PutRetentionConfiguration",
    "config:StopConfigurationRecorder",
    "guardduty:DeleteDetector",
    "guardduty:UpdateDetector",
    "guardduty:Disassociate*",
    "guardduty:DeleteMembers",
    "guardduty:StopMonitoringMembers",
    "guardduty:CreateFilter",
    "guardduty:UpdateFilter",
    "guardduty:CreateIPSet",
    "guardduty:UpdateIPSet",
    "guardduty:DeletePublishingDestination",
    "guardduty:UpdatePublishingDestination",
    "securityhub:DisableSecurityHub",
    "securityhub:Disassociate*",
    "securityhub:DeleteMembers",
    "securityhub:BatchDisableStandards",
    "securityhub:DisableImportFindingsForProduct",
    "securityhub:UpdateStandardsControl",
    "access-analyzer:DeleteAnalyzer",
    "access-analyzer:CreateArchiveRule",
    "access-analyzer:UpdateArchiveRule",
    # organisation-wide switches of the delegated administrator (the security account)
    "guardduty:UpdateOrganizationConfiguration",
    "securityhub:UpdateOrganizationConfiguration",
    "config:DeleteOrganizationConformancePack",
    "config:DeleteOrganizationConfigRule",
    "config:DeleteConformancePack",
)


def protect_security_services(inputs: PolicyInputs) -> Guardrail:
    """AWS Config, GuardDuty, Security Hub and IAM Access Analyzer stay on and unfiltered."""
    statement = {
        "Sid": "ProtectSecurityServices",
        "Effect": "Deny",
        "Action": list(SECURITY_SERVICE_ACTIONS),
        "Resource": "*",
        "Condition": platform_exemption(inputs.platform_role_arns),
    }
    return Guardrail(
        key="protect_security_services",
        title="Protect AWS Config, GuardDuty, Security Hub and Access Analyzer",
        policy_type=SCP,
        document=statement_document([statement]),
        measures=("5.09.01", "8.21.02"),
        evidence=(
            "SCP denies stopping or reconfiguring the AWS Config recorder and delivery channel, "
            "deleting or detaching GuardDuty detectors and adding suppression filters or trusted IP "
            "sets, disabling Security Hub or its standards, and deleting Access Analyzer analyzers or "
            "adding archive rules, to every principal in member accounts except the platform's own roles."
        ),
    )


BACKUP_ACTIONS = (
    "backup:DeleteBackupVault",
    "backup:DeleteBackupVaultAccessPolicy",
    "backup:PutBackupVaultAccessPolicy",
    "backup:DeleteBackupVaultLockConfiguration",
    "backup:PutBackupVaultLockConfiguration",
    "backup:DeleteBackupVaultNotifications",
    "backup:DeleteRecoveryPoint",
    "backup:UpdateRecoveryPointLifecycle",
    "backup:DisassociateRecoveryPoint",
)


#: Backup plan actions denied on the landing zone's plans (tagged :data:`PLATFORM_TAG`).
BACKUP_PLAN_ACTIONS = (
    "backup:DeleteBackupPlan",
    "backup:UpdateBackupPlan",
    "backup:DeleteBackupSelection",
    "backup:CreateBackupSelection",
)
#: Tag every landing-zone KMS key and backup plan carries (key, value): the SCP finds them by it.
PLATFORM_TAG = naming.PLATFORM_TAG


def protect_backup(inputs: PolicyInputs) -> Guardrail:
    """Backup vaults, their access policies and locks, recovery points, the landing zone's backup
    plans and selections, and (in every account) the landing zone's KMS keys.

    A vault key scheduled for deletion makes every recovery point in the vault unreadable, so the
    landing zone's keys (tagged :data:`PLATFORM_TAG` by ``landing_zone.core.keys``) are protected in
    every account, not only in the log archive: only break-glass may disable or delete them, and only
    the platform's roles may remove the tag (which would otherwise take a key or plan out of reach of
    the condition).
    """
    exempt = platform_exemption(inputs.platform_role_arns)
    tag_key, tag_value = PLATFORM_TAG
    statements = [
        {
            "Sid": "ProtectBackupVaults",
            "Effect": "Deny",
            "Action": list(BACKUP_ACTIONS),
            "Resource": "*",
            "Condition": exempt,
        },
        {
            "Sid": "ProtectBackupPlans",
            "Effect": "Deny",
            "Action": list(BACKUP_PLAN_ACTIONS),
            "Resource": "*",
            "Condition": {**exempt, "StringEquals": {f"aws:ResourceTag/{tag_key}": tag_value}},
        },
        {
            "Sid": "DenyPlatformKeyDestruction",
            "Effect": "Deny",
            "Action": list(KEY_DESTRUCTION_ACTIONS),
            "Resource": "*",
            "Condition": {
                **platform_exemption(inputs.break_glass_arns),
                "StringEquals": {f"aws:ResourceTag/{tag_key}": tag_value},
            },
        },
        {
            "Sid": "ProtectPlatformTag",
            "Effect": "Deny",
            "Action": ["kms:UntagResource", "backup:UntagResource", "kms:TagResource", "backup:TagResource"],
            "Resource": "*",
            "Condition": {**exempt, "ForAnyValue:StringEquals": {"aws:TagKeys": tag_key}},
        },
    ]
    return Guardrail(
        key="protect_backup",
        title="Protect backup vaults and recovery points",
        policy_type=SCP,
        document=statement_document(statements),
        measures=("8.13.01",),
        evidence=(
            "SCP denies deleting backup vaults, changing their access policies, locks or notifications, "
            "deleting recovery points or shortening their lifecycle, and deleting or changing the landing "
            "zone's backup plans and selections (and removing their platform tag), to every principal in "
            "member accounts except the platform's own roles (by exact role name); and disabling or "
            "deleting the landing zone's KMS keys (tagged lz:platform, the backup vault keys included) to "
            "everyone but break-glass (ransomware "
            "cannot remove the backups nor make them unreadable)."
        ),
    )


PLATFORM_ROLE_ACTIONS = (
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:UpdateRole",
    "iam:UpdateRoleDescription",
    "iam:UpdateAssumeRolePolicy",
    "iam:AttachRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:DeleteRolePermissionsBoundary",
    "iam:TagRole",
    "iam:UntagRole",
)
#: Lambda actions that would replace or expose the code of a landing-zone function (``lz-*``).
PLATFORM_FUNCTION_ACTIONS = (
    "lambda:AddPermission",
    "lambda:CreateFunction",
    "lambda:DeleteFunction",
    "lambda:PublishVersion",
    "lambda:PutFunctionConcurrency",
    "lambda:RemovePermission",
    "lambda:UpdateFunctionCode",
    "lambda:UpdateFunctionConfiguration",
    "lambda:UpdateFunctionUrlConfig",
    "lambda:CreateFunctionUrlConfig",
)
#: CloudWatch Logs actions that would remove or silence a landing-zone log group.
PLATFORM_LOG_GROUP_ACTIONS = (
    "logs:DeleteLogGroup",
    "logs:DeleteLogStream",
    "logs:PutRetentionPolicy",
    "logs:DeleteRetentionPolicy",
    "logs:DisassociateKmsKey",
    "logs:DeleteSubscriptionFilter",
    "logs:PutSubscriptionFilter",
    "logs:DeleteMetricFilter",
    "logs:PutMetricFilter",
    "logs:DeleteDataProtectionPolicy",
)
#: Stack and EventBridge rule actions that would remove the member baseline (the StackSet's stack
#: instance in the account), a landing-zone stack, or an alert-forwarding rule.
PLATFORM_STACK_AND_RULE_ACTIONS = (
    "cloudformation:DeleteStack",
    "cloudformation:UpdateStack",
    "cloudformation:CreateChangeSet",
    "cloudformation:ExecuteChangeSet",
    "cloudformation:SetStackPolicy",
    "cloudformation:UpdateTerminationProtection",
    "events:DeleteRule",
    "events:DisableRule",
    "events:PutRule",
    "events:PutTargets",
    "events:RemoveTargets",
    "events:DeleteEventBus",
    "events:PutPermission",
    "events:RemovePermission",
)
PLATFORM_STACKS_AND_RULES = (
    "arn:aws:cloudformation:*:*:stack/StackSet-lz-*",
    "arn:aws:cloudformation:*:*:stack/lz-*",
    "arn:aws:events:*:*:rule/lz-*",
    "arn:aws:events:*:*:rule/lz-*/*",
    "arn:aws:events:*:*:event-bus/lz-*",
)
#: Log groups of the landing zone: its functions' and its own (flow logs, alerts...).
PLATFORM_LOG_GROUPS = ("arn:aws:logs:*:*:log-group:/aws/lambda/lz-*", "arn:aws:logs:*:*:log-group:/lz/*")


def protect_platform_roles(inputs: PolicyInputs) -> Guardrail:
    """The platform's roles cannot be created, changed, assumed, passed or taken over by anyone else.

    Every other guardrail exempts a few roles by exact name (and the StackSets execution role by its
    one pattern), so those names must be out of reach: no principal but the exempt roles may create
    or change a role named ``lz-*`` or ``stacksets-exec-*`` (or the access roles of the management
    account and Control Tower), pass it to a service, or assume the roles only AWS services assume
    (cfn-exec, the StackSets execution role). The landing zone's Lambda functions and log groups
    (``lz-*``) cannot be replaced or silenced either: their code runs with platform roles.
    """
    exempt = platform_exemption(inputs.platform_role_arns)
    statements = [
        {
            "Sid": "ProtectPlatformRoles",
            "Effect": "Deny",
            "Action": list(PLATFORM_ROLE_ACTIONS),
            "Resource": list(inputs.protected_role_arns),
            "Condition": exempt,
        },
        {
            "Sid": "DenyPassingPlatformRoles",
            "Effect": "Deny",
            "Action": "iam:PassRole",
            "Resource": list(inputs.protected_role_arns),
            "Condition": platform_exemption((*inputs.platform_role_arns, *inputs.deploy_role_arns)),
        },
        {
            "Sid": "DenyAssumingServiceOnlyRoles",
            "Effect": "Deny",
            "Action": "sts:AssumeRole",
            "Resource": list(inputs.unassumable_role_arns),
        },
        {
            "Sid": "ProtectPlatformFunctions",
            "Effect": "Deny",
            "Action": list(PLATFORM_FUNCTION_ACTIONS),
            "Resource": "arn:aws:lambda:*:*:function:lz-*",
            "Condition": exempt,
        },
        {
            "Sid": "ProtectPlatformLogGroups",
            "Effect": "Deny",
            "Action": list(PLATFORM_LOG_GROUP_ACTIONS),
            "Resource": list(PLATFORM_LOG_GROUPS),
            "Condition": exempt,
        },
        {
            "Sid": "ProtectPlatformStacksAndRules",
            "Effect": "Deny",
            "Action": list(PLATFORM_STACK_AND_RULE_ACTIONS),
            "Resource": list(PLATFORM_STACKS_AND_RULES),
            # the deploy roles create and execute the change sets that cfn-exec then carries out
            "Condition": platform_exemption((*inputs.platform_role_arns, *inputs.deploy_role_arns)),
        },
    ]
    return Guardrail(
        key="protect_platform_roles",
        title="Protect the platform's own roles",
        policy_type=SCP,
        document=statement_document(statements),
        measures=("8.18.01",),
        evidence=(
            "SCP denies creating, changing, re-trusting, deleting or passing the platform's roles "
            f"({', '.join(inputs.protected_role_arns)}) to every principal in member accounts except "
            "the platform's cfn-exec roles, the StackSets execution role and break-glass (passing also to "
            "the platform's deploy roles), denies assuming the roles only AWS services assume, and denies "
            "replacing the code or removing the log groups of the landing zone's functions and changing "
            "or deleting its stacks (the member baseline's StackSet instance included) and alert rules, "
            "so the exemptions of the other guardrails cannot be taken over."
        ),
    )


def deny_root_user(inputs: PolicyInputs) -> Guardrail:
    """The root user of a member account can do nothing."""
    statement = {
        "Sid": "DenyRootUser",
        "Effect": "Deny",
        "Action": "*",
        "Resource": "*",
        "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}},
    }
    return Guardrail(
        key="deny_root_user",
        title="Deny the root user",
        policy_type=SCP,
        document=statement_document([statement]),
        measures=("5.16.02", "8.18.01"),
        evidence=(
            "SCP denies every action to the root user (a shared, all-powerful credential) of every "
            "member account. The management account's root user is not affected (SCPs do not apply there)."
        ),
    )


USER_CREDENTIAL_ACTIONS = ("iam:CreateUser", "iam:CreateAccessKey")
CONSOLE_PASSWORD_ACTIONS = ("iam:CreateLoginProfile", "iam:UpdateLoginProfile")


def deny_iam_users(inputs: PolicyInputs) -> Guardrail:
    """Federation only: no IAM users, access keys or console passwords.

    ``organization.guardrails.iam_user_exception_role`` names the one role that may still create IAM
    users and access keys (for integrations that accept nothing else, such as SMTP credentials);
    console passwords stay denied to everyone, that role included.
    """
    users: dict = {
        "Sid": "DenyIamUsersAndAccessKeys",
        "Effect": "Deny",
        "Action": list(USER_CREDENTIAL_ACTIONS),
        "Resource": "arn:aws:iam::*:user/*",
    }
    exception = inputs.iam_user_exception_role
    if exception:
        users["Condition"] = {"ArnNotLike": {"aws:PrincipalArn": f"arn:aws:iam::*:role/{exception}"}}
    passwords = {
        "Sid": "DenyConsolePasswords",
        "Effect": "Deny",
        "Action": list(CONSOLE_PASSWORD_ACTIONS),
        "Resource": "arn:aws:iam::*:user/*",
    }
    but = f" except the role {exception}" if exception else ""
    return Guardrail(
        key="deny_iam_users",
        title="Deny IAM users and access keys (federation only)",
        policy_type=SCP,
        document=statement_document([users, passwords]),
        measures=("5.16.01", "5.17.01"),
        evidence=(
            f"SCP denies creating IAM users and access keys to every principal in member accounts{but}, "
            "and console passwords to all: people sign in through the identity provider (with MFA)."
        ),
    )


def approved_services(inputs: PolicyInputs) -> Guardrail:
    """Only the services in ``organization.guardrails.approved_services`` can be used at all."""
    statement = {
        "Sid": "DenyUnapprovedServices",
        "Effect": "Deny",
        "NotAction": [f"{prefix}:*" for prefix in sorted(set(inputs.approved_services))],
        "Resource": "*",
    }
    return Guardrail(
        key="approved_services",
        title="Allow only approved services",
        policy_type=SCP,
        document=statement_document([statement]),
        measures=("8.19.01",),
        evidence=(
            f"SCP denies every action of a service outside the {len(set(inputs.approved_services))} "
            "approved services (organization.guardrails.approved_services) to every principal, the "
            "platform's roles included: new services need an explicit approval."
        ),
    )


def require_imdsv2(inputs: PolicyInputs) -> Guardrail:
    """EC2 instances start with IMDSv2 only, and credentials delivered through IMDSv1 are useless."""
    statements = [
        {
            "Sid": "RequireImdsV2",
            "Effect": "Deny",
            "Action": "ec2:RunInstances",
            "Resource": "arn:aws:ec2:*:*:instance/*",
            "Condition": {"StringNotEquals": {"ec2:MetadataHttpTokens": "required"}},
        },
        {
            "Sid": "DenyImdsV1Credentials",
            "Effect": "Deny",
            "Action": "*",
            "Resource": "*",
            "Condition": {"NumericLessThan": {"ec2:RoleDelivery": "2.0"}},
        },
    ]
    return Guardrail(
        key="require_imdsv2",
        title="Require IMDSv2",
        policy_type=SCP,
        document=statement_document(statements),
        measures=("5.15.01",),
        evidence=(
            "SCP denies launching EC2 instances whose metadata service does not require session tokens "
            "(IMDSv2), and denies every request signed with instance credentials obtained through IMDSv1."
        ),
    )


def protect_account_defaults(inputs: PolicyInputs) -> Guardrail:
    """EBS encryption by default and the S3 account-level public access block stay on.

    The member baseline turns both on (its ``AccountDefaults`` custom resource); this policy keeps
    anyone from turning them off again. Its role is the only one besides the platform's that may
    set the S3 account public access block.
    """
    statements = [
        {
            "Sid": "ProtectEbsDefaultEncryption",
            "Effect": "Deny",
            "Action": "ec2:DisableEbsEncryptionByDefault",
            "Resource": "*",
        },
        {
            "Sid": "ProtectS3AccountPublicAccessBlock",
            "Effect": "Deny",
            "Action": "s3:PutAccountPublicAccessBlock",
            "Resource": "*",
            "Condition": platform_exemption((*inputs.platform_role_arns, *inputs.account_defaults_role_arns)),
        },
    ]
    return Guardrail(
        key="protect_account_defaults",
        title="Keep EBS default encryption and the S3 account public access block on",
        policy_type=SCP,
        document=statement_document(statements),
        measures=("5.15.01", "8.03.02", "8.24.04"),
        evidence=(
            "SCP denies turning off EBS encryption by default (to everyone) and changing or removing the "
            "S3 account-level public access block (to everyone but the platform's roles and the member "
            "baseline's AccountDefaults function, which turns both on in every member account)."
        ),
    )


#: Ways out of the landing zone's network: every one bypasses the central inspection and egress.
NETWORK_ESCAPE_ACTIONS = (
    "ec2:AcceptTransitGatewayPeeringAttachment",
    "ec2:AcceptVpcPeeringConnection",
    "ec2:AttachInternetGateway",
    "ec2:AttachVpnGateway",
    "ec2:CreateCarrierGateway",
    "ec2:CreateClientVpnEndpoint",
    "ec2:CreateCustomerGateway",
    "ec2:CreateDefaultSubnet",
    "ec2:CreateDefaultVpc",
    "ec2:CreateEgressOnlyInternetGateway",
    "ec2:CreateInternetGateway",
    "ec2:CreateNatGateway",
    "ec2:CreateTransitGateway",
    "ec2:CreateTransitGatewayPeeringAttachment",
    "ec2:CreateVpcPeeringConnection",
    "ec2:CreateVpnConnection",
    "ec2:CreateVpnGateway",
    "ec2:DeleteFlowLogs",
    "globalaccelerator:Create*",
    "globalaccelerator:Update*",
)


def deny_network_escape(inputs: PolicyInputs) -> Guardrail:
    """Every account but the network account reaches the internet and other networks only through
    the central hub.

    Internet and egress-only gateways, NAT gateways, VPC peering, site-to-site and client VPN, own
    transit gateways (attaching a VPC to the shared hub stays allowed), Global Accelerator and
    deleting VPC flow logs are denied to every principal, the platform's roles included. The network
    account (by account ID: it runs the hub's egress and VPN) is the one exception.
    """
    statement: dict = {
        "Sid": "DenyNetworkEscape",
        "Effect": "Deny",
        "Action": list(NETWORK_ESCAPE_ACTIONS),
        "Resource": "*",
    }
    if inputs.network_account_id:
        statement["Condition"] = {"StringNotEquals": {"aws:PrincipalAccount": inputs.network_account_id}}
    return Guardrail(
        key="deny_network_escape",
        title="Deny network paths around the central hub",
        policy_type=SCP,
        document=statement_document([statement]),
        measures=("8.21.02", "8.22.01"),
        evidence=(
            "SCP denies creating or attaching internet gateways, egress-only internet gateways, NAT "
            "gateways, carrier gateways, default VPCs, VPC peering, site-to-site VPN, Client VPN, own "
            "transit gateways and transit gateway peering, Global Accelerator, and deleting VPC flow logs, "
            "to every "
            f"principal in the accounts it is attached to except the network account "
            f"{inputs.network_account_id or '(none configured)'}, which runs the hub: their traffic leaves "
            "only through the central, inspected hub."
        ),
    )
