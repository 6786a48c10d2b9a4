"""Deterministic names of the security component that other accounts refer to.

Forwarding rules in every account send events to the alert bus in the security account by ARN,
so its name is agreed here, derived from the configuration alone (like :mod:`landing_zone.naming`).
"""

from __future__ import annotations

from landing_zone import naming
from landing_zone.config import LandingZoneConfig
from landing_zone.config.sections.security import topic_slug

#: Custom event bus in the security account (home region) that receives every security alert event.
ALERT_BUS_NAME = f"{naming.PREFIX}-security-alerts"
#: KMS key that encrypts the alert topics.
ALERT_KEY_ALIAS = f"alias/{naming.PREFIX}-security-alerts"
#: CloudWatch alarms on the organization trail that raise alerts start with this.
ALARM_PREFIX = f"{naming.PREFIX}-alert-"
#: CloudWatch metric namespace of the alert metric filters.
METRIC_NAMESPACE = "LandingZone/SecurityAlerts"
#: AWS Config names.
RECORDER_NAME = f"{naming.PREFIX}-config"
DELIVERY_CHANNEL_NAME = f"{naming.PREFIX}-config"
CONFIG_KEY_PREFIX = "config"
AGGREGATOR_NAME = f"{naming.PREFIX}-organization"
CONFORMANCE_PACK_NAME = f"{naming.PREFIX}-bio2-monitoring"
#: Security Hub configuration policy and IAM Access Analyzer.
SECURITY_HUB_POLICY_NAME = f"{naming.PREFIX}-bio2-standards"
ANALYZER_NAME = f"{naming.PREFIX}-organization"
#: The read-only role of `bio2 collect` in the security account.
EVIDENCE_COLLECTOR_ROLE_NAME = f"{naming.PREFIX}-bio2-evidence-collector"


def alert_bus_arn(config: LandingZoneConfig) -> str:
    account = naming.security_account_id(config)
    return f"arn:aws:events:{config.regions.home}:{account}:event-bus/{ALERT_BUS_NAME}"


def alert_topic_name(owner: str) -> str:
    """``Security team`` -> ``lz-alerts-security-team``."""
    return f"{naming.PREFIX}-alerts-{topic_slug(owner)}"


def alarm_name(kind: str) -> str:
    return f"{ALARM_PREFIX}{kind}"
