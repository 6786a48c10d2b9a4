"""Names the identity component agrees on across accounts (derived from nothing but constants).

Candidates for ``landing_zone/naming.py`` once other components need them.
"""

from __future__ import annotations

from landing_zone.config.sections.identity import WORKLOAD_BOUNDARY_POLICY
from landing_zone.naming import BREAK_GLASS_ROLE_NAME, PREFIX

__all__ = [
    "ALERT_FORWARDER_ROLE_NAME",
    "ALERT_KEY_ALIAS",
    "ALERT_TOPIC_NAME",
    "BREAK_GLASS_ROLE_NAME",
    "WORKLOAD_BOUNDARY_POLICY",
    "WORKLOAD_PATH",
]

#: SNS topic (security account, every allowed region) that receives identity alerts: every use of the
#: break-glass role and every change of Identity Center permission sets and assignments.
ALERT_TOPIC_NAME = f"{PREFIX}-identity-alerts"
#: KMS key alias of that topic.
ALERT_KEY_ALIAS = f"alias/{PREFIX}-identity-alerts"
#: Role in every account that EventBridge uses to publish identity alerts to the central topic.
ALERT_FORWARDER_ROLE_NAME = f"{PREFIX}-identity-alert-forwarder"
#: IAM path under which holders of ``workload_iam`` permission sets may create roles and policies.
WORKLOAD_PATH = "/workload/"
