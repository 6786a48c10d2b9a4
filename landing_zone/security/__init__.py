"""Security monitoring: AWS Config, GuardDuty, Security Hub, IAM Access Analyzer, Macie and alerts.

What runs where (docs/security-monitoring.md has the full picture):

- **Member baseline** (every member account, every allowed region, through the StackSet): the AWS
  Config recorder and delivery channel, a GuardDuty detector, Macie (optional) and the rule that
  forwards security events to the alert bus.
- **Management account** (home region; not a StackSet target): the same, plus the Security Hub
  delegated administrator and, when the organization trail delivers to CloudWatch Logs, the
  metric filters and alarms for events of global services.
- **Log archive account** (home region): forwarding of changes to the log archive bucket and key.
- **Security account** (delegated administrator): Security Hub and Access Analyzer in every allowed
  region, the organization conformance pack in every allowed region; in the home region the
  Config aggregator, Security Hub central configuration and the alert hub (bus, topics, rules).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_securityhub as securityhub
from constructs import Construct

from landing_zone import naming
from landing_zone.core.contracts import LoggingOutputs, Placement, SecurityOutputs
from landing_zone.security import alerts as alerts_
from landing_zone.security.collector import EvidenceCollectorRole
from landing_zone.security.conformance import OrganizationConformancePack
from landing_zone.security.detection import (
    SecurityHubAccount,
    SecurityHubOrganization,
    guardduty_detector,
    macie_session,
    organization_analyzer,
)
from landing_zone.security.recorder import ConfigRecorder, OrganizationAggregator

if TYPE_CHECKING:
    from landing_zone.config import LandingZoneConfig

#: Construct ID of the security component's scope in every stack.
SCOPE_ID = "Security"


def build(config: LandingZoneConfig, placement: Placement, *, logging: LoggingOutputs) -> SecurityOutputs:
    """Add the security resources to the landing zone.

    Needs the organization trail's CloudWatch Logs group (``logging.trail_log_group_name``) for the
    alarms on events of global services.
    """
    settings = config.security
    home = placement.home_region
    alerts = alerts_.alerts(config)

    # --- every member account and allowed region (StackSet) ----------------------------------
    baseline = Construct(placement.baseline.stack, SCOPE_ID)
    control_tower = config.deployment.control_tower  # Control Tower owns recorders and channels
    is_home: cdk.CfnCondition | None = None
    if not control_tower:
        is_home = cdk.CfnCondition(
            baseline, "IsHomeRegion", expression=cdk.Fn.condition_equals(cdk.Aws.REGION, home)
        )
        ConfigRecorder(baseline, "Config", config=config, global_resources=is_home)
    if settings.guardduty.enabled:
        guardduty_detector(baseline, "GuardDuty", settings.guardduty)
    if settings.macie:
        macie_session(baseline, "Macie", config)
    member_patterns = alerts_.origin_patterns(config, "member")
    if member_patterns:
        alerts_.AlertForwarder(
            baseline, "AlertForwarder", config=config, patterns=member_patterns, read_only_events=True
        )

    # --- management account, home region -----------------------------------------------------
    management_stack = placement.stack("management")
    management = Construct(management_stack, SCOPE_ID)
    if control_tower:
        from landing_zone.security.control_tower import ControlTowerEvidence

        ControlTowerEvidence(management, "ControlTower")
    else:
        ConfigRecorder(management, "Config", config=config, global_resources=True)
    if settings.guardduty.enabled:
        guardduty_detector(management, "GuardDuty", settings.guardduty)
    if settings.macie:
        macie_session(management, "Macie", config)
    if settings.security_hub.enabled:
        securityhub.CfnDelegatedAdmin(
            management, "SecurityHubDelegatedAdmin", admin_account_id=naming.security_account_id(config)
        )
    trail_alarms: frozenset[str] = frozenset()
    log_group = logging.trail_log_group_name
    if log_group is not None:
        trail_alarms = alerts_.add_trail_alarms(management, config, alerts, log_group)
    else:
        cdk.Annotations.of(management).add_warning_v2(
            "lz:security:no-trail-alarms",
            "Alerts for events of global services (root console sign-in, AWS Organizations guardrail "
            "changes, IAM users) need the organization trail in CloudWatch Logs: set "
            "logging.cloudwatch_delivery: true.",
        )
    management_patterns = alerts_.origin_patterns(config, "member") + alerts_.origin_patterns(
        config, "management"
    )
    if trail_alarms:
        management_patterns.append(alerts_.alarm_pattern(config))
    if management_patterns:
        alerts_.AlertForwarder(
            management, "AlertForwarder", config=config, patterns=management_patterns, read_only_events=True
        )

    # --- log archive account, home region ----------------------------------------------------
    log_archive_patterns = alerts_.origin_patterns(config, "log-archive")
    if log_archive_patterns:
        log_archive = Construct(placement.stack("log-archive"), SCOPE_ID)
        alerts_.AlertForwarder(log_archive, "AlertForwarder", config=config, patterns=log_archive_patterns)

    if settings.inspector.enabled:  # delegated admin from management, scanning from security
        from landing_zone.security.inspector import build_inspector

        build_inspector(config, placement)

    # --- security account: every allowed region ----------------------------------------------
    alert_hub: alerts_.AlertHub | None = None
    for region, stack in placement.stacks_of("security"):
        scope = Construct(stack, SCOPE_ID)
        hub = None
        if settings.security_hub.enabled:
            hub = SecurityHubAccount(scope, "SecurityHub", config=config, region=region)
        if settings.access_analyzer:
            organization_analyzer(scope, "AccessAnalyzer")
        if settings.aws_config.conformance_pack:
            OrganizationConformancePack(scope, "ConformancePack", region=region, home_region=home)
        if region != home:
            continue
        if settings.aws_config.aggregator:
            OrganizationAggregator(scope, "ConfigAggregator", config=config)
        if settings.evidence_collector.enabled:
            EvidenceCollectorRole(scope, "EvidenceCollector", config=config)
        if hub is not None:
            SecurityHubOrganization(scope, "SecurityHubOrganization", config=config, hub=hub.hub)
            # The delegated administrator is designated from the management account first.
            stack.add_stack_dependency(management_stack, "Security Hub delegated administrator")
        alert_hub = alerts_.AlertHub(
            scope, "Alerts", config=config, alerts_=alerts, trail_alarms=trail_alarms
        )
        security_patterns = alerts_.origin_patterns(config, "security")
        if security_patterns:
            alerts_.AlertForwarder(scope, "AlertForwarder", config=config, patterns=security_patterns)

    return SecurityOutputs(
        alert_bus=alert_hub.bus if alert_hub is not None else None,
        alert_topics=MappingProxyType(dict(alert_hub.topics) if alert_hub is not None else {}),
        trail_alarms=trail_alarms,
        baseline_home_region=is_home,
    )
