"""Identity alerts: every use of the break-glass role, every change of Identity Center access.

- :class:`AlertTopic`: one KMS-encrypted SNS topic ``lz-identity-alerts`` per allowed region in the
  security account, mailed to ``identity.alert_emails``. Only the forwarder roles of the
  organization's accounts may publish to it.
- :func:`forwarder_role`: ``lz-identity-alert-forwarder`` in every account; EventBridge uses it to
  publish to the central topic in the same region (cross-account targets need an execution role).
- :func:`break_glass_use_rule`: an EventBridge rule on ``sts:AssumeRole`` of the break-glass role
  (successful or refused), in every account and region where its stack or baseline is deployed.
  AssumeRole is a read-only CloudTrail management event, so the rule takes the state
  ``ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS``.
- :func:`identity_center_change_rule`: an EventBridge rule, in the management account's home region
  (where Identity Center runs), on every change of permission sets and account assignments.
"""

from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct

from bio2_aspects.claims import EventRuleEnabled
from landing_zone.claims import make_claim
from landing_zone.config import LandingZoneConfig
from landing_zone.core.keys import protect_key
from landing_zone.identity.names import (
    ALERT_FORWARDER_ROLE_NAME,
    ALERT_KEY_ALIAS,
    ALERT_TOPIC_NAME,
    BREAK_GLASS_ROLE_NAME,
)
from landing_zone.nag import acknowledge_nag
from landing_zone.naming import PREFIX, security_account_id

#: Identity Center API calls that create, change or remove access (CloudTrail event names).
IDENTITY_CENTER_CHANGES = (
    "AttachCustomerManagedPolicyReferenceToPermissionSet",
    "AttachManagedPolicyToPermissionSet",
    "CreateAccountAssignment",
    "CreatePermissionSet",
    "DeleteAccountAssignment",
    "DeleteInlinePolicyFromPermissionSet",
    "DeletePermissionSet",
    "DeletePermissionsBoundaryFromPermissionSet",
    "DetachCustomerManagedPolicyReferenceFromPermissionSet",
    "DetachManagedPolicyFromPermissionSet",
    "ProvisionPermissionSet",
    "PutInlinePolicyToPermissionSet",
    "PutPermissionsBoundaryToPermissionSet",
    "UpdatePermissionSet",
)

BREAK_GLASS_USE_RULE_NAME = f"{PREFIX}-break-glass-use"
IDENTITY_CENTER_CHANGE_RULE_NAME = f"{PREFIX}-identity-center-changes"


def topic_arn(config: LandingZoneConfig, region: str) -> str:
    """The central alert topic in ``region`` (a literal region or a token such as ``Aws.REGION``)."""
    return f"arn:{cdk.Aws.PARTITION}:sns:{region}:{security_account_id(config)}:{ALERT_TOPIC_NAME}"


def _publisher_principals(
    config: LandingZoneConfig,
) -> tuple[list[iam.IPrincipal], dict[str, dict[str, str]]]:
    """Who may publish: every account of the organization.

    With ``logging.organization_id`` set, one ``aws:PrincipalOrgID`` condition admits them all:
    the policy stays the same size for 10 or 1,000 accounts (KMS key policies are capped at 32 KB).
    Without it, the configured accounts are listed one by one.
    """
    org_id = config.logging.organization_id
    if org_id:
        return [iam.AnyPrincipal()], {"StringEquals": {"aws:PrincipalOrgID": org_id}}
    accounts = sorted({a.id for a in config.organization.accounts})
    return [iam.AccountPrincipal(account_id) for account_id in accounts], {}


_FORWARDER_ARN_PATTERN = f"arn:aws:iam::*:role/{ALERT_FORWARDER_ROLE_NAME}"


class AlertTopic(Construct):
    """The central identity alert topic of one region (security account)."""

    def __init__(
        self, scope: Construct, construct_id: str, *, config: LandingZoneConfig, region: str
    ) -> None:
        super().__init__(scope, construct_id)
        self.key = kms.Key(
            self,
            "Key",
            alias=ALERT_KEY_ALIAS,
            description="Encrypts the identity alerts (break-glass use, Identity Center changes)",
            enable_key_rotation=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        protect_key(self.key)
        principals, org_condition = _publisher_principals(config)
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowIdentityAlertForwardersToPublish",
                principals=principals,
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],
                conditions={
                    "StringEquals": {
                        "kms:ViaService": f"sns.{region}.amazonaws.com",
                        **org_condition.get("StringEquals", {}),
                    },
                    "ArnLike": {"aws:PrincipalArn": _FORWARDER_ARN_PATTERN},
                },
            )
        )
        self.topic = sns.Topic(
            self,
            "Topic",
            topic_name=ALERT_TOPIC_NAME,
            display_name="Landing zone identity alerts",
            master_key=self.key,
            enforce_ssl=True,
        )
        self.topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowIdentityAlertForwardersToPublish",
                principals=principals,
                actions=["sns:Publish"],
                resources=[self.topic.topic_arn],
                conditions={"ArnLike": {"aws:PrincipalArn": _FORWARDER_ARN_PATTERN}, **org_condition},
            )
        )
        for index, email in enumerate(config.identity.alert_emails):
            sns.CfnSubscription(
                self, f"Email{index}", topic_arn=self.topic.topic_arn, protocol="email", endpoint=email
            )


def forwarder_role(
    scope: Construct,
    construct_id: str,
    *,
    config: LandingZoneConfig,
    condition: cdk.CfnCondition | None = None,
) -> iam.CfnRole:
    """The role EventBridge uses to publish identity alerts to the central topics (one per account)."""
    regions = sorted(config.regions.allowed)
    role = iam.CfnRole(
        scope,
        construct_id,
        role_name=ALERT_FORWARDER_ROLE_NAME,
        description="Lets EventBridge publish identity alerts to the central topic in the security account",
        assume_role_policy_document={
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "events.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"aws:SourceAccount": cdk.Aws.ACCOUNT_ID}},
                }
            ],
        },
        policies=[
            iam.CfnRole.PolicyProperty(
                policy_name="publish-identity-alerts",
                policy_document={
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": "sns:Publish",
                            "Resource": [topic_arn(config, region) for region in regions],
                        },
                        {
                            "Effect": "Allow",
                            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                            "Resource": [
                                f"arn:{cdk.Aws.PARTITION}:kms:{region}:{security_account_id(config)}:key/*"
                                for region in regions
                            ],
                            "Condition": {
                                "ForAnyValue:StringEquals": {"kms:ResourceAliases": ALERT_KEY_ALIAS},
                                "StringLike": {"kms:ViaService": "sns.*.amazonaws.com"},
                            },
                        },
                    ],
                },
            )
        ],
    )
    if condition is not None:
        role.cfn_options.condition = condition
    acknowledge_nag(
        role,
        "AwsSolutions-IAM5",
        "The identity alert topics are encrypted with a KMS key in the security account whose key ID is "
        "not known when this account's template is synthesized: the key ARN is a wildcard in the "
        "security account and region, narrowed by the conditions kms:ResourceAliases = "
        f"{ALERT_KEY_ALIAS} and kms:ViaService sns.*. kms:GenerateDataKey* is the action SNS documents "
        "for publishers to an encrypted topic.",
        findings=[
            "Action::kms:GenerateDataKey*",
            *(
                f"Resource::arn:<AWS::Partition>:kms:{region}:{security_account_id(config)}:key/*"
                for region in regions
            ),
        ],
    )
    acknowledge_nag(
        role,
        "NIST.800.53.R5-IAMNoInlinePolicy",
        "The inline publish-identity-alerts policy is scoped to this one EventBridge role (sns:Publish "
        "on the lz-identity-alerts topics and their key); as a managed policy it could be attached to "
        "other principals, which could then send forged identity alerts.",
    )
    return role


def _forwarder_arn() -> str:
    return f"arn:{cdk.Aws.PARTITION}:iam::{cdk.Aws.ACCOUNT_ID}:role/{ALERT_FORWARDER_ROLE_NAME}"


def _target(
    config: LandingZoneConfig, region: str, paths: dict[str, str], template: str
) -> events.CfnRule.TargetProperty:
    return events.CfnRule.TargetProperty(
        id="central-identity-alert-topic",
        arn=topic_arn(config, region),
        role_arn=_forwarder_arn(),
        input_transformer=events.CfnRule.InputTransformerProperty(
            input_paths_map=paths, input_template=f'"{template}"'
        ),
    )


def break_glass_use_rule(
    scope: Construct, construct_id: str, *, config: LandingZoneConfig, region: str
) -> events.CfnRule:
    """Alert on every attempt to assume the break-glass role in this account and region."""
    rule = events.CfnRule(
        scope,
        construct_id,
        name=BREAK_GLASS_USE_RULE_NAME,
        description=f"Every attempt to assume {BREAK_GLASS_ROLE_NAME} alerts the security team",
        state="ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
        event_pattern={
            "source": ["aws.sts"],
            "detail-type": ["AWS API Call via CloudTrail"],
            "detail": {
                "eventSource": ["sts.amazonaws.com"],
                "eventName": ["AssumeRole"],
                "requestParameters": {
                    "roleArn": [
                        f"arn:{cdk.Aws.PARTITION}:iam::{cdk.Aws.ACCOUNT_ID}:role/{BREAK_GLASS_ROLE_NAME}"
                    ]
                },
            },
        },
        targets=[
            _target(
                config,
                region,
                {
                    "account": "$.account",
                    "region": "$.region",
                    "time": "$.time",
                    "caller": "$.detail.userIdentity.arn",
                    "sourceip": "$.detail.sourceIPAddress",
                    "error": "$.detail.errorCode",
                },
                f"BREAK-GLASS: <caller> tried to assume {BREAK_GLASS_ROLE_NAME} in account <account> "
                "(<region>) at <time> from <sourceip>; error code (empty if it succeeded): <error>. Confirm "
                "it is an authorised emergency and open a security incident (docs/break-glass.md).",
            )
        ],
    )
    return rule


def identity_center_change_rule(
    scope: Construct, construct_id: str, *, config: LandingZoneConfig, region: str
) -> events.CfnRule:
    """Alert on every change of Identity Center permission sets and account assignments."""
    return events.CfnRule(
        scope,
        construct_id,
        name=IDENTITY_CENTER_CHANGE_RULE_NAME,
        description="Every change of Identity Center permission sets and assignments alerts security",
        state="ENABLED",
        event_pattern={
            "source": ["aws.sso"],
            "detail-type": ["AWS API Call via CloudTrail"],
            "detail": {"eventSource": ["sso.amazonaws.com"], "eventName": list(IDENTITY_CENTER_CHANGES)},
        },
        targets=[
            _target(
                config,
                region,
                {
                    "account": "$.account",
                    "time": "$.time",
                    "caller": "$.detail.userIdentity.arn",
                    "event": "$.detail.eventName",
                    "error": "$.detail.errorCode",
                },
                "IDENTITY CENTER CHANGE: <caller> called <event> in account <account> at <time>; error code "
                "(empty if it succeeded): <error>. Check it against the approved changes (landing zone "
                "deployments or the access request); an unapproved change is a security incident.",
            )
        ],
    )


def declare_break_glass_alert(rule: events.CfnRule, where: str) -> None:
    """Claim (checked on the written template) that the rule alerts on break-glass use."""
    make_claim(
        rule,
        "LZ-Identity-BreakGlassAlert",
        EventRuleEnabled(),
        detail=(
            f"Every attempt to assume the break-glass role ({BREAK_GLASS_ROLE_NAME}) in {where} is sent to "
            "the security team as an alert, so that administrator access outside an authorised emergency is "
            "noticed and handled as an incident."
        ),
    )


def declare_identity_center_alert(rule: events.CfnRule) -> None:
    """Claim (checked on the written template) that the rule alerts on Identity Center changes."""
    make_claim(
        rule,
        "LZ-Identity-IdentityCenterAlert",
        EventRuleEnabled(),
        detail=(
            "Every creation, change or removal of an IAM Identity Center permission set or account "
            "assignment (who may get which, possibly privileged, access) is sent to the security team as "
            "an alert."
        ),
    )


__all__: Sequence[str] = (
    "IDENTITY_CENTER_CHANGES",
    "AlertTopic",
    "break_glass_use_rule",
    "declare_break_glass_alert",
    "declare_identity_center_alert",
    "forwarder_role",
    "identity_center_change_rule",
    "topic_arn",
)
