"""Security alerts: which events raise one, how they reach the security account, and who gets them.

Route of an alert::

    event in any account/region            (default event bus, EU regions only)
      -> forwarding rule in that account   (member baseline, management, log archive or security stack)
      -> alert bus in the security account (home region; bus policy admits the organization only)
      -> one rule per (alert kind, owner)  (same event pattern as the forwarder)
      -> encrypted SNS topic of the owner  (topic policy: EventBridge only, TLS only)
      -> e-mail subscriptions

Global services (IAM, Organizations, the root user's console sign-in) record their events in
us-east-1, where the landing zone deploys nothing. Those events do reach the organization trail;
when the trail also delivers to CloudWatch Logs (``logging.cloudwatch_delivery``), metric filters
on its log group in the management account raise CloudWatch alarms whose state changes take the
same route (see :func:`add_trail_alarms`).

Each forwarding origin has ONE rule whose pattern is the ``$or`` of every pattern it forwards, so an
event that belongs to two alert kinds crosses to the security account once and raises each kind
once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from constructs import Construct

from bio2_aspects.claims import EventRuleEnabled
from landing_zone import naming
from landing_zone.claims import make_claim
from landing_zone.config import LandingZoneConfig
from landing_zone.config.sections.security import ALERT_KINDS, AlertKind
from landing_zone.core.keys import protect_key
from landing_zone.nag import acknowledge_nag
from landing_zone.security import names

#: Where a forwarding rule for an event pattern runs:
#: ``member``: every member account and allowed region (baseline) and the management account;
#: ``management``/``log-archive``/``security``: that account's stack in the home region.
Origin = Literal["member", "management", "log-archive", "security"]

API_CALL = "AWS API Call via CloudTrail"
CONSOLE_SIGN_IN = "AWS Console Sign In via CloudTrail"
ALARM_STATE_CHANGE = "CloudWatch Alarm State Change"
#: EventBridge accepts event patterns of at most this many characters.
MAX_PATTERN_LENGTH = 4096

TRAIL_EVENTS = (
    "StopLogging",
    "DeleteTrail",
    "UpdateTrail",
    "PutEventSelectors",
    "PutInsightSelectors",
    "DeleteEventDataStore",
    "UpdateEventDataStore",
    "StopEventDataStoreIngestion",
)
MONITORING_EVENTS = (
    # AWS Config
    "StopConfigurationRecorder",
    "DeleteConfigurationRecorder",
    "DeleteDeliveryChannel",
    "DeleteConfigurationAggregator",
    "DeleteOrganizationConformancePack",
    "DeleteOrganizationConfigRule",
    "DeleteConformancePack",
    # GuardDuty (the security account, as delegated administrator, can switch it off organisation-wide)
    "DeleteDetector",
    "UpdateDetector",
    "DisassociateFromAdministratorAccount",
    "DisassociateFromMasterAccount",
    "DisassociateMembers",
    "DeleteMembers",
    "StopMonitoringMembers",
    "UpdateOrganizationConfiguration",
    "DisableOrganizationAdminAccount",
    # Security Hub
    "DisableSecurityHub",
    "BatchDisableStandards",
    "UpdateSecurityHubConfiguration",
    "DeleteConfigurationPolicy",
    # IAM Access Analyzer
    "DeleteAnalyzer",
    # Macie
    "DisableMacie",
)
MONITORING_SOURCES = (
    "access-analyzer.amazonaws.com",
    "config.amazonaws.com",
    "guardduty.amazonaws.com",
    "macie2.amazonaws.com",
    "securityhub.amazonaws.com",
)
LOG_BUCKET_EVENTS = (
    "DeleteBucket",
    "DeleteBucketEncryption",
    "DeleteBucketLifecycle",
    "DeleteBucketPolicy",
    "DeleteBucketPublicAccessBlock",
    "DeleteBucketReplication",
    "PutBucketAcl",
    "PutBucketEncryption",
    "PutBucketLifecycle",
    "PutBucketLogging",
    "PutBucketOwnershipControls",
    "PutBucketPolicy",
    "PutBucketPublicAccessBlock",
    "PutBucketReplication",
    "PutBucketVersioning",
    "PutObjectLockConfiguration",
)
LOG_KEY_EVENTS = (
    "CreateAlias",
    "DeleteAlias",
    "DisableKey",
    "DisableKeyRotation",
    "PutKeyPolicy",
    "ScheduleKeyDeletion",
    "UpdateAlias",
)
GUARDRAIL_EVENTS = (
    "AttachPolicy",
    "CreatePolicy",
    "DeletePolicy",
    "DeleteResourcePolicy",
    "DeregisterDelegatedAdministrator",
    "DetachPolicy",
    "DisableAWSServiceAccess",
    "DisablePolicyType",
    "EnablePolicyType",
    "LeaveOrganization",
    "MoveAccount",
    "PutResourcePolicy",
    "RemoveAccountFromOrganization",
    "UpdatePolicy",
)
#: Event sources of which every write in the management account alerts (IAM and Identity Center).
MANAGEMENT_IDENTITY_SOURCES = (
    "iam.amazonaws.com",
    "identitystore.amazonaws.com",
    "sso-directory.amazonaws.com",
    "sso.amazonaws.com",
)
IAM_USER_EVENTS = (
    "AddUserToGroup",
    "AttachUserPolicy",
    "CreateAccessKey",
    "CreateLoginProfile",
    "CreateUser",
    "PutUserPolicy",
    "UpdateLoginProfile",
)


@dataclass(frozen=True)
class EventSource:
    """Events of an alert as they arrive on the default event bus of ``origin``."""

    origin: Origin
    #: The pattern on the alert bus (and, with ``own_findings``, the base of the forwarder's pattern).
    pattern: dict[str, Any]
    #: GuardDuty publishes a member account's findings in the member account and again in the
    #: administrator (security) account; forward only the findings about the forwarding account itself,
    #: so each finding reaches the alert bus once.
    own_findings: bool = False

    @property
    def forward_pattern(self) -> dict[str, Any]:
        """The pattern of the forwarder at the origin."""
        if not self.own_findings:
            return self.pattern
        detail = {**self.pattern.get("detail", {}), "accountId": [cdk.Aws.ACCOUNT_ID]}
        return {**self.pattern, "detail": detail}


@dataclass(frozen=True)
class TrailFilter:
    """A CloudWatch Logs metric filter on the organization trail's log group."""

    pattern: str
    #: Matching events within 5 minutes that raise the alarm.
    threshold: int = 1


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    title: str
    sources: tuple[EventSource, ...]
    trail_filter: TrailFilter | None = None
    #: BIO2 measures the alert watches (declared as detective evidence on its alert bus rules).
    measures: tuple[str, ...] = ()
    #: What it watches, for the evidence description.
    watches: str = ""


def _api_call(source: str | None, event_source: str, names_: Iterable[str], **detail: Any) -> dict[str, Any]:
    pattern: dict[str, Any] = {}
    if source is not None:
        pattern["source"] = [source]
    pattern["detail-type"] = [API_CALL]
    pattern["detail"] = {"eventSource": [event_source], "eventName": sorted(names_), **detail}
    return pattern


def _or(filters: Iterable[str]) -> str:
    return " || ".join(f"({f})" for f in filters)


def _event_names(names_: Iterable[str]) -> str:
    return _or(f'$.eventName = "{name}"' for name in sorted(names_))


def alerts(config: LandingZoneConfig) -> tuple[Alert, ...]:
    """Every alert the configuration turns on, in :data:`ALERT_KINDS` order.

    An alert appears when at least one of its sources or its trail filter can run: GuardDuty
    findings need GuardDuty, Security Hub findings need Security Hub.
    """
    security = config.security
    guardduty = security.guardduty.enabled
    break_glass = naming.BREAK_GLASS_ROLE_NAME
    log_archive = naming.log_archive_account_id(config)
    home = config.regions.home
    found: list[Alert] = []

    if guardduty:
        found.append(
            Alert(
                "guardduty-findings",
                f"GuardDuty findings of severity {security.alerts.guardduty_min_severity:g} or higher",
                (
                    EventSource(
                        "member",
                        {
                            "source": ["aws.guardduty"],
                            "detail-type": ["GuardDuty Finding"],
                            "detail": {
                                "severity": [{"numeric": [">=", security.alerts.guardduty_min_severity]}]
                            },
                        },
                        own_findings=True,
                    ),
                ),
            )
        )
    if security.security_hub.enabled:
        found.append(
            Alert(
                "securityhub-findings",
                "Security Hub findings of severity CRITICAL or HIGH (GuardDuty's own excepted)",
                (
                    EventSource(
                        "security",
                        {
                            "source": ["aws.securityhub"],
                            "detail-type": ["Security Hub Findings - Imported"],
                            "detail": {
                                "findings": {
                                    "Severity": {"Label": ["CRITICAL", "HIGH"]},
                                    "Workflow": {"Status": ["NEW"]},
                                    "RecordState": ["ACTIVE"],
                                    "ProductName": [{"anything-but": ["GuardDuty"]}],
                                }
                            },
                        },
                    ),
                ),
            )
        )
    root_sources = [
        EventSource(
            "member",
            {
                "detail-type": [API_CALL, CONSOLE_SIGN_IN],
                "detail": {
                    "userIdentity": {"type": ["Root"], "invokedBy": [{"exists": False}]},
                    "eventType": [{"anything-but": ["AwsServiceEvent"]}],
                },
            },
        )
    ]
    if guardduty:
        # GuardDuty replicates global service events to every region it runs in, so root use of
        # IAM and other global services is seen in the EU regions too.
        root_sources.append(
            EventSource(
                "member",
                {
                    "source": ["aws.guardduty"],
                    "detail-type": ["GuardDuty Finding"],
                    "detail": {"type": ["Policy:IAMUser/RootCredentialUsage"]},
                },
                own_findings=True,
            )
        )
    found.append(
        Alert(
            "root-activity",
            "Sign-in and activity of the root user of any account",
            tuple(root_sources),
            TrailFilter(
                '$.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && '
                '$.eventType != "AwsServiceEvent"'
            ),
            ("5.17.01",),
            "every use of a root user's credentials is a misuse case that alerts the owners",
        )
    )
    found.append(
        Alert(
            "break-glass-activity",
            f"Sign-in and activity of the break-glass role {break_glass}",
            (
                EventSource(
                    "member",
                    {
                        "detail-type": [API_CALL, CONSOLE_SIGN_IN],
                        "detail": {
                            "userIdentity": {"sessionContext": {"sessionIssuer": {"userName": [break_glass]}}}
                        },
                    },
                ),
            ),
            TrailFilter(
                _or(
                    (
                        f'$.userIdentity.sessionContext.sessionIssuer.userName = "{break_glass}"',
                        f'$.requestParameters.roleArn = "*:role/{break_glass}"',
                    )
                )
            ),
            ("5.17.01",),
            f"every action and console sign-in of a session of the emergency role {break_glass} alerts the "
            "owners (attempts to assume it are alerted by the identity component)",
        )
    )
    found.append(
        Alert(
            "trail-changes",
            "Trails stopped, deleted or changed",
            (EventSource("member", _api_call("aws.cloudtrail", "cloudtrail.amazonaws.com", TRAIL_EVENTS)),),
            measures=("8.15.05",),
            watches="stopping, deleting or changing a CloudTrail trail or event data store (an attempt to "
            "tamper with the logging) is reported at once",
        )
    )
    found.append(
        Alert(
            "monitoring-changes",
            "Security monitors (AWS Config, GuardDuty, Security Hub, Access Analyzer, Macie) stopped or "
            "removed",
            (
                EventSource(
                    "member",
                    {
                        "detail-type": [API_CALL],
                        "detail": {
                            "eventSource": list(MONITORING_SOURCES),
                            "eventName": sorted(MONITORING_EVENTS),
                        },
                    },
                ),
            ),
        )
    )
    found.append(
        Alert(
            "log-archive-changes",
            "Changes to the log archive bucket or its KMS key",
            (
                EventSource(
                    "log-archive",
                    _api_call(
                        "aws.s3",
                        "s3.amazonaws.com",
                        LOG_BUCKET_EVENTS,
                        requestParameters={
                            "bucketName": sorted(
                                (
                                    naming.log_archive_bucket_name(config),
                                    naming.access_log_bucket_name(config),
                                )
                            )
                        },
                    ),
                ),
                EventSource(
                    "log-archive",
                    {
                        **_api_call("aws.kms", "kms.amazonaws.com", LOG_KEY_EVENTS),
                        "account": [log_archive],
                        "region": [home],
                    },
                ),
            ),
            measures=("8.15.05",),
            watches="changes to the policy, retention, versioning, encryption or public access of the log "
            "archive bucket, and to the policy, state or alias of the KMS keys of the log archive "
            "account, are reported at once",
        )
    )
    found.append(
        Alert(
            "guardrail-changes",
            "Changes to the organization's guardrails (SCPs, RCPs and other policies) and structure",
            (),
            TrailFilter(
                f'$.eventSource = "organizations.amazonaws.com" && ({_event_names(GUARDRAIL_EVENTS)})'
            ),
        )
    )
    management_sources = _or(f'$.eventSource = "{source}"' for source in MANAGEMENT_IDENTITY_SOURCES)
    found.append(
        Alert(
            "identity-changes",
            "Changes to privileged IAM identities: IAM users, their credentials and the break-glass role",
            (),
            TrailFilter(
                f'($.eventSource = "iam.amazonaws.com" && ({_event_names(IAM_USER_EVENTS)} || '
                f'($.requestParameters.roleName = "{break_glass}" && $.readOnly IS FALSE))) || '
                f'($.recipientAccountId = "{naming.management_account_id(config)}" && $.readOnly IS FALSE && '
                f"({management_sources}))"
            ),
            ("5.18.01",),
            "creating IAM users or giving them passwords, access keys or permissions, and changing the "
            f"break-glass role {break_glass}, in any account, and every IAM and IAM Identity Center write "
            "in the management account (where no SCP applies), is reported at once",
        )
    )
    order = {kind: index for index, kind in enumerate(ALERT_KINDS)}
    return tuple(sorted(found, key=lambda alert: order[alert.kind]))


def alarm_pattern(config: LandingZoneConfig, kinds: Iterable[str] | None = None) -> dict[str, Any]:
    """CloudWatch alarm state changes of the trail alarms (all of them, or those of ``kinds``)."""
    names_: list[Any] = (
        [{"prefix": names.ALARM_PREFIX}] if kinds is None else sorted(names.alarm_name(k) for k in kinds)
    )
    return {
        "source": ["aws.cloudwatch"],
        "detail-type": [ALARM_STATE_CHANGE],
        "account": [naming.management_account_id(config)],
        "detail": {"alarmName": names_, "state": {"value": ["ALARM"]}},
    }


def any_of(patterns: list[dict[str, Any]]) -> dict[str, Any]:
    """One pattern that matches an event when any of ``patterns`` does."""
    if len(patterns) == 1:
        return patterns[0]
    return {"$or": patterns}


def pattern_length(pattern: dict[str, Any]) -> int:
    return len(json.dumps(pattern, separators=(",", ":")))


def origin_patterns(config: LandingZoneConfig, origin: Origin) -> list[dict[str, Any]]:
    """The distinct patterns that the forwarding rule of ``origin`` forwards, in alert order."""
    out: list[dict[str, Any]] = []
    for alert in alerts(config):
        for source in alert.sources:
            if source.origin == origin and source.forward_pattern not in out:
                out.append(source.forward_pattern)
    return out


# --------------------------------------------------------------------------- constructs


#: Name of the rule that forwards an account's security events to the security account.
FORWARDER_RULE_NAME = "lz-security-alert-forwarder"


class AlertForwarder(Construct):
    """A rule on the default event bus that sends matching events to the security account's alert bus."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: LandingZoneConfig,
        patterns: list[dict[str, Any]],
        read_only_events: bool = False,
    ) -> None:
        """``read_only_events``: also match read-only CloudTrail management events (Get*, List*,
        Describe*, AssumeRole), which EventBridge delivers only to rules in that state."""
        super().__init__(scope, construct_id)
        bus_arn = names.alert_bus_arn(config)
        pattern = any_of(patterns)
        if pattern_length(pattern) > MAX_PATTERN_LENGTH:
            raise ValueError(
                f"{self.node.path}: the forwarding pattern has {pattern_length(pattern)} characters, more "
                f"than EventBridge accepts ({MAX_PATTERN_LENGTH}); split it over more rules"
            )
        # EventBridge needs a role to put events on a bus in another account or region.
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("events.amazonaws.com").with_conditions(
                {"StringEquals": {"aws:SourceAccount": cdk.Aws.ACCOUNT_ID}}
            ),
            description="EventBridge forwards security events to the landing zone's alert bus",
            inline_policies={
                "PutEventsOnAlertBus": iam.PolicyDocument(
                    statements=[iam.PolicyStatement(actions=["events:PutEvents"], resources=[bus_arn])]
                )
            },
        )
        acknowledge_nag(
            self.role,
            "NIST.800.53.R5-IAMNoInlinePolicy",
            "The inline policy allows only events:PutEvents on the security account's alert bus, for "
            "this one EventBridge forwarding role; as a managed policy it could be attached to other "
            "principals, which could then inject events into the alert bus.",
        )
        self.rule = events.CfnRule(
            self,
            "Rule",
            # a fixed lz-* name: the protect_platform_roles SCP keeps it from being disabled or deleted
            name=FORWARDER_RULE_NAME,
            description="Forward security events to the alert bus of the security account",
            event_pattern=pattern,
            state="ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS" if read_only_events else "ENABLED",
            targets=[
                events.CfnRule.TargetProperty(arn=bus_arn, id="SecurityAlertBus", role_arn=self.role.role_arn)
            ],
        )


class AlertHub(Construct):
    """The alert bus, the owners' encrypted topics and the rules between them.

    Security account, home region.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: LandingZoneConfig,
        alerts_: tuple[Alert, ...],
        trail_alarms: frozenset[str],
    ) -> None:
        super().__init__(scope, construct_id)
        home = config.regions.home
        security_id = naming.security_account_id(config)
        self.key = kms.Key(
            self,
            "Key",
            alias=names.ALERT_KEY_ALIAS,
            description="Encrypts the landing zone's security alert topics",
            enable_key_rotation=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        protect_key(self.key)
        # EventBridge must encrypt what it publishes to the topics (AWS's documented key policy for
        # EventBridge targets that are encrypted SNS topics).
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowEventBridgeToPublishToEncryptedTopics",
                principals=[iam.ServicePrincipal("events.amazonaws.com")],
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],
            )
        )
        organization_id = config.logging.organization_id
        if organization_id is not None:
            statement: dict[str, Any] = {
                "Sid": "AllowOrganizationToSendAlerts",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "events:PutEvents",
                "Resource": names.alert_bus_arn(config),
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": organization_id}},
            }
        else:
            statement = {
                "Sid": "AllowLandingZoneAccountsToSendAlerts",
                "Effect": "Allow",
                "Principal": {
                    "AWS": [
                        f"arn:aws:iam::{a.id}:root"
                        for a in sorted(config.organization.accounts, key=lambda a: a.id)
                    ]
                },
                "Action": "events:PutEvents",
                "Resource": names.alert_bus_arn(config),
            }
        self.bus = events.CfnEventBus(
            self,
            "Bus",
            name=names.ALERT_BUS_NAME,
            description="Security alert events of every account of the landing zone",
            policy={"Version": "2012-10-17", "Statement": [statement]},
        )
        self.topics: dict[str, sns.Topic] = {}
        for topic_config in config.security.alerts.topics:
            slug = names.alert_topic_name(topic_config.owner)
            topic = sns.Topic(
                self,
                f"Topic-{slug}",
                topic_name=slug,
                display_name=f"Security alerts: {topic_config.owner}"[:100],
                master_key=self.key,
            )
            rules_arn = f"arn:aws:events:{home}:{security_id}:rule/{names.ALERT_BUS_NAME}/*"
            topic.add_to_resource_policy(
                iam.PolicyStatement(
                    sid="AllowAlertBusRulesOnly",
                    principals=[iam.ServicePrincipal("events.amazonaws.com")],
                    actions=["sns:Publish"],
                    resources=[topic.topic_arn],
                    conditions={"ArnLike": {"aws:SourceArn": rules_arn}},
                )
            )
            # Only an AWS service may publish (and the statement above admits EventBridge alone):
            # requests of IAM users and roles, of any account, carry no aws:PrincipalServiceName.
            topic.add_to_resource_policy(
                iam.PolicyStatement(
                    sid="DenyPublishByIamPrincipals",
                    effect=iam.Effect.DENY,
                    principals=[iam.AnyPrincipal()],
                    actions=["sns:Publish"],
                    resources=[topic.topic_arn],
                    conditions={"Null": {"aws:PrincipalServiceName": "true"}},
                )
            )
            topic.add_to_resource_policy(
                iam.PolicyStatement(
                    sid="DenyInsecureTransport",
                    effect=iam.Effect.DENY,
                    principals=[iam.AnyPrincipal()],
                    actions=["sns:Publish"],
                    resources=[topic.topic_arn],
                    conditions={"Bool": {"aws:SecureTransport": "false"}},
                )
            )
            for index, email in enumerate(topic_config.emails):
                sns.CfnSubscription(
                    self, f"{slug}-Email{index}", topic_arn=topic.topic_arn, protocol="email", endpoint=email
                )
            self.topics[topic_config.owner] = topic

        self.rules: dict[str, list[events.CfnRule]] = {}
        for alert in alerts_:
            patterns = [source.pattern for source in alert.sources]
            if alert.kind in trail_alarms:
                patterns.append(alarm_pattern(config, [alert.kind]))
            if not patterns:
                continue
            pattern = any_of(patterns)
            for topic_config in config.security.alerts.topics:
                if alert.kind not in topic_config.alerts:
                    continue
                slug = names.alert_topic_name(topic_config.owner)
                rule = events.CfnRule(
                    self,
                    f"{alert.kind}-{slug}",
                    description=f"{alert.title} -> {topic_config.owner}"[:512],
                    event_bus_name=names.ALERT_BUS_NAME,
                    event_pattern=pattern,
                    state="ENABLED",
                    targets=[
                        events.CfnRule.TargetProperty(
                            arn=self.topics[topic_config.owner].topic_arn, id="Topic"
                        )
                    ],
                )
                rule.add_resource_dependency(self.bus)
                self.rules.setdefault(alert.kind, []).append(rule)
                # measures from landing_zone/claims.json; kinds it does not list claim nothing
                make_claim(
                    rule,
                    alert_claim_id(alert.kind),
                    EventRuleEnabled(),
                    detail=(
                        f"EventBridge alert '{alert.kind}' to the SNS topic of {topic_config.owner}: "
                        f"{alert.watches}."
                    ),
                )


def alert_claim_id(kind: str) -> str:
    """The claim ID of an alert kind: ``trail-changes`` -> ``LZ-Alert-TrailChanges``."""
    return "LZ-Alert-" + "".join(part.capitalize() for part in kind.replace("_", "-").split("-") if part)


def add_trail_alarms(
    scope: Construct, config: LandingZoneConfig, alerts_: tuple[Alert, ...], log_group_name: str
) -> frozenset[str]:
    """Metric filters and alarms on the organization trail's log group; returns the alert kinds covered."""
    covered: set[str] = set()
    for alert in alerts_:
        if alert.trail_filter is None:
            continue
        metric = alert.kind
        logs.CfnMetricFilter(
            scope,
            f"Filter-{alert.kind}",
            log_group_name=log_group_name,
            filter_name=names.alarm_name(alert.kind),
            filter_pattern=f"{{ {alert.trail_filter.pattern} }}",
            metric_transformations=[
                logs.CfnMetricFilter.MetricTransformationProperty(
                    metric_name=metric, metric_namespace=names.METRIC_NAMESPACE, metric_value="1"
                )
            ],
        )
        alarm = cloudwatch.CfnAlarm(
            scope,
            f"Alarm-{alert.kind}",
            alarm_name=names.alarm_name(alert.kind),
            alarm_description=f"{alert.title} (organization trail, every account and region)",
            namespace=names.METRIC_NAMESPACE,
            metric_name=metric,
            statistic="Sum",
            period=300,
            evaluation_periods=1,
            threshold=alert.trail_filter.threshold,
            comparison_operator="GreaterThanOrEqualToThreshold",
            treat_missing_data="notBreaching",
        )
        acknowledge_nag(
            alarm,
            "NIST.800.53.R5-CloudWatchAlarmAction",
            "The alarm is delivered through EventBridge, not an alarm action: the management account's "
            "AlertForwarder rule matches its 'CloudWatch Alarm State Change' to ALARM (alarm_pattern) and "
            "puts it on the security account's alert bus, where the AlertHub routes it to the "
            "KMS-encrypted SNS alert topics. The management stack has no SNS topic of its own.",
        )
        covered.add(alert.kind)
    return frozenset(covered)
