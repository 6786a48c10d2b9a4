"""Control Tower coexistence (``deployment.control_tower: true``).

Control Tower owns the organization trail (``aws-controltower-BaselineCloudTrail``) and the AWS
Config recorders and delivery channels of the accounts it enrolls; deploying ours next to them
fails (one recorder per account and region) or duplicates the trail. In this mode the landing zone
leaves them out and deploys, in the management account, organization Config rules that check
Control Tower's trail in every account. Each rule declares the measures our own trail evidenced
(through its verified rules) as detective evidence with mechanism ``control-tower``, so the
manifest still accounts for those measures and says the evidence comes from Control Tower. The
organization aggregator in the security account (5.09.01) reads Control Tower's recorders.
"""

from __future__ import annotations

from aws_cdk import aws_config as config_
from constructs import Construct

from bio2_aspects import declare_detective

MECHANISM = "control-tower"
CONTROL_TOWER_TRAIL = "aws-controltower-BaselineCloudTrail"

#: (construct id, AWS Config managed rule, measures our own trail evidenced, what it checks)
CHECKS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    (
        "MultiRegionTrail",
        "MULTI_REGION_CLOUD_TRAIL_ENABLED",
        ("5.18.01", "8.15.01"),
        "a multi-region trail records the management events of every account and region",
    ),
    (
        "TrailEncryption",
        "CLOUD_TRAIL_ENCRYPTION_ENABLED",
        ("8.24.04",),
        "the trail's log files are encrypted with a KMS key",
    ),
    (
        "TrailLogFileValidation",
        "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED",
        ("8.15.05", "8.15.06"),
        "the trail signs digest files so that tampering with the logs is detected",
    ),
    (
        "TrailToCloudWatchLogs",
        "CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED",
        ("5.18.01", "8.15.05"),
        "the trail delivers to CloudWatch Logs, where the alert rules read it",
    ),
)


class ControlTowerEvidence(Construct):
    """Organization Config rules that check Control Tower's trail, as evidence for our measures."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.rules: list[config_.CfnOrganizationConfigRule] = []
        for rule_id, identifier, measures, what in CHECKS:
            rule = config_.CfnOrganizationConfigRule(
                self,
                rule_id,
                organization_config_rule_name=f"lz-ct-{rule_id[0].lower()}{rule_id[1:]}",
                organization_managed_rule_metadata=config_.CfnOrganizationConfigRule.OrganizationManagedRuleMetadataProperty(
                    rule_identifier=identifier,
                    description=f"Control Tower coexistence: {what}",
                ),
            )
            declare_detective(
                rule,
                measures,
                description=(
                    f"Evidence from AWS Control Tower: its organization trail ({CONTROL_TOWER_TRAIL}) is "
                    f"checked in every account by the organization Config rule {identifier} ({what}). "
                    "The landing zone does not deploy its own trail or Config recorders in this mode."
                ),
                mechanism=MECHANISM,
            )
            self.rules.append(rule)
