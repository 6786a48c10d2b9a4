"""Central logging: the log archive, the organization trail and the export to a SIEM.

* log-archive account (home region): :class:`~landing_zone.logging.archive.LogArchive`, the KMS key
  and the write-once log bucket every account delivers to, and with ``logging.siem.type: sqs`` the
  SQS notification queue the SIEM reads (:class:`~landing_zone.logging.siem.SqsSiemExport`);
* management account (home region): :class:`~landing_zone.logging.trail.OrganizationTrail`, and with
  ``logging.siem.type: firehose`` the Firehose stream to the SIEM
  (:class:`~landing_zone.logging.siem.FirehoseSiemExport`).

Other features deliver to the log archive by name, under their own prefix (see
:mod:`landing_zone.logging.policies`): AWS Config under ``config/``, VPC flow logs under
``flow-logs/``, Network Firewall logs under ``network-firewall/``. docs/logging.md has the design.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from landing_zone.core.contracts import LoggingOutputs, Placement
from landing_zone.logging.policies import (
    CLOUDTRAIL_PREFIX,
    CONFIG_PREFIX,
    FLOW_LOGS_PREFIX,
    NETWORK_FIREWALL_PREFIX,
    TRAIL_NAME,
)

if TYPE_CHECKING:
    from landing_zone.config import LandingZoneConfig

__all__ = [
    "CLOUDTRAIL_PREFIX",
    "CONFIG_PREFIX",
    "FLOW_LOGS_PREFIX",
    "NETWORK_FIREWALL_PREFIX",
    "TRAIL_NAME",
    "build",
]


def build(config: LandingZoneConfig, placement: Placement) -> LoggingOutputs:
    """Add the log archive, the organization trail and the SIEM export to the landing zone."""
    from landing_zone.logging.archive import LogArchive
    from landing_zone.logging.siem import FirehoseSiemExport, SqsSiemExport
    from landing_zone.logging.trail import OrganizationTrail

    siem = config.logging.siem
    log_stack = placement.stack("log-archive")
    archive = LogArchive(log_stack, "LogArchive", config=config)
    if siem is not None and siem.type == "sqs":
        SqsSiemExport(log_stack, "SiemExport", config=config, archive=archive)
    outputs = LoggingOutputs(log_bucket=archive.bucket, log_key=archive.key)

    management = placement.stack("management")
    if config.logging.data_protection.enabled:  # every member account and region, and management
        from landing_zone.logging.data_protection import LogDataProtection

        for scope in (placement.baseline.stack, management):
            LogDataProtection(scope, "LogDataProtection", settings=config.logging.data_protection)
    if config.deployment.control_tower:
        return outputs  # Control Tower owns the organization trail (landing_zone/security/control_tower.py)
    trail = OrganizationTrail(management, "OrganizationTrail", config=config)
    # The trail needs the bucket policy and the key policy in place: deploy the log archive first.
    management.add_stack_dependency(log_stack, "the organization trail delivers to the log archive")
    if siem is not None and siem.type == "firehose":
        assert trail.log_group is not None and trail.logs_key is not None, "checked by the configuration"
        FirehoseSiemExport(
            management, "SiemExport", config=config, log_group=trail.log_group, key=trail.logs_key
        )
    return replace(
        outputs,
        trail=trail.trail,
        trail_log_group_name=trail.log_group_name,
        trail_logs_key=trail.logs_key,
    )
