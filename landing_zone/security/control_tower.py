"""Control Tower coexistence (``deployment.control_tower: true``).

Control Tower owns the organization trail (``aws-controltower-BaselineCloudTrail``) and the AWS
Config recorders and delivery channels of the accounts it enrolls; deploying ours next to them
fails (one recorder per account and region) or duplicates the trail. In this mode the landing zone
leaves them out and deploys, in the management account, organization Config rules that check
Control Tower's trail in every account. Each rule carries a checked claim (``LZ-ControlTower-*`` in
``landing_zone/claims.json``: detective, supporting) for the measures our own trail evidenced, so
the manifest still accounts for those measures and its claim IDs say the evidence comes from
Control Tower. The claim holds only while the rule in the template is the managed rule named here. The
organization aggregator in the security account (5.09.01) reads Control Tower's recorders.
"""

from __future__ import annotations

from aws_cdk import aws_config as config_
from constructs import Construct

from bio2_aspects.claims.checks import PropertyEquals
from landing_zone.claims import claim_table

#: Claim IDs of the evidence that comes from Control Tower start with this.
CLAIM_PREFIX = "LZ-ControlTower-"
CONTROL_TOWER_TRAIL = "aws-controltower-BaselineCloudTrail"

#: (construct id, AWS Config managed rule, what it checks); the measures are the claim's
#: mappings in landing_zone/claims.json (``LZ-ControlTower-<construct id>``)
CHECKS: tuple[tuple[str, str, str], ...] = (
    (
        "MultiRegionTrail",
        "MULTI_REGION_CLOUD_TRAIL_ENABLED",
        "a multi-region trail records the management events of every account and region",
    ),
    (
        "TrailEncryption",
        "CLOUD_TRAIL_ENCRYPTION_ENABLED",
        "the trail's log files are encrypted with a KMS key",
    ),
    (
        "TrailLogFileValidation",
        "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED",
        "the trail signs digest files so that tampering with the logs is detected",
    ),
    (
        "TrailToCloudWatchLogs",
        "CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED",
        "the trail delivers to CloudWatch Logs, where the alert rules read it",
    ),
)


class ControlTowerEvidence(Construct):
    """Organization Config rules that check Control Tower's trail, as evidence for our measures."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.rules: list[config_.CfnOrganizationConfigRule] = []
        claims = claim_table()
        for rule_id, identifier, what in CHECKS:
            rule = config_.CfnOrganizationConfigRule(
                self,
                rule_id,
                organization_config_rule_name=f"lz-ct-{rule_id[0].lower()}{rule_id[1:]}",
                organization_managed_rule_metadata=config_.CfnOrganizationConfigRule.OrganizationManagedRuleMetadataProperty(
                    rule_identifier=identifier,
                    description=f"Control Tower coexistence: {what}",
                ),
            )
            claims.claim(
                rule,
                f"{CLAIM_PREFIX}{rule_id}",
                PropertyEquals(path=("OrganizationManagedRuleMetadata", "RuleIdentifier"), value=identifier),
                detail=(
                    f"Evidence from AWS Control Tower: its organization trail ({CONTROL_TOWER_TRAIL}) is "
                    f"checked in every account by the organization Config rule {identifier} ({what}). "
                    "The landing zone does not deploy its own trail or Config recorders in this mode."
                ),
            )
            self.rules.append(rule)
