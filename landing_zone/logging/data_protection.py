"""CloudWatch Logs data protection: credentials and personal data masked in every log event (8.15.02).

An account-wide ``AWS::Logs::AccountPolicy`` of type ``DATA_PROTECTION_POLICY`` (scope ``ALL``) in every
member account and allowed region (member baseline) and in the management account. It names the
managed data identifiers of ``logging.data_protection.data_identifiers`` twice: an Audit statement
that reports each match to the audit log group of the account, and a Deidentify statement that masks
the match for every reader (console, Logs Insights, metric and subscription filters) who lacks
``logs:Unmask``. The claim ``LZ-Logs-DataProtection`` reads the written policy document: an emptied
or narrowed policy loses the evidence.
"""

from __future__ import annotations

import json

import aws_cdk as cdk
from aws_cdk import aws_logs as logs
from constructs import Construct

from bio2_aspects.claims import DataProtectionPolicy
from bio2_aspects.claims.checks import DATA_IDENTIFIER_ARN
from landing_zone.acknowledgements import acknowledge
from landing_zone.claims import make_claim
from landing_zone.config.sections.logging import CREDENTIAL_IDENTIFIERS, DataProtectionSettings
from landing_zone.nag import acknowledge_nag

POLICY_NAME = "lz-data-protection"
#: Under /aws/vendedlogs/: CloudWatch Logs delivers the audit findings with a log resource policy
#: for that prefix instead of one statement per log group.
AUDIT_LOG_GROUP = "/aws/vendedlogs/lz-data-protection-audit"


def policy_document(identifiers: tuple[str, ...], audit_log_group: str) -> dict:
    """The data protection policy: audit every identifier to ``audit_log_group`` and mask it."""
    arns = [f"{DATA_IDENTIFIER_ARN}{name}" for name in identifiers]
    return {
        "Name": POLICY_NAME,
        "Description": "BIO2 8.15.02: credentials and personal data are audited and masked in log events",
        "Version": "2021-06-01",
        "Statement": [
            {
                "Sid": "audit",
                "DataIdentifier": arns,
                "Operation": {
                    "Audit": {"FindingsDestination": {"CloudWatchLogs": {"LogGroup": audit_log_group}}}
                },
            },
            {"Sid": "mask", "DataIdentifier": arns, "Operation": {"Deidentify": {"MaskConfig": {}}}},
        ],
    }


class LogDataProtection(Construct):
    """The account's data protection policy and the log group its audit findings go to."""

    def __init__(self, scope: Construct, construct_id: str, *, settings: DataProtectionSettings) -> None:
        super().__init__(scope, construct_id)
        self.audit_log_group = logs.LogGroup(
            self,
            "AuditFindings",
            log_group_name=AUDIT_LOG_GROUP,
            retention=logs.RetentionDays.ONE_YEAR,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        reason = (
            "Holds only the data protection audit findings (which identifier matched where, not the "
            "matched value); CloudWatch Logs encrypts it at rest with an AWS-owned key. A customer managed "
            "key per member account and region for this log alone is not proportionate."
        )
        acknowledge(self.audit_log_group, "BIO2-Logs-KmsEncryption", reason)
        acknowledge_nag(self.audit_log_group, "NIST.800.53.R5-CloudWatchLogGroupEncrypted", reason)
        document = policy_document(tuple(settings.data_identifiers), AUDIT_LOG_GROUP)
        self.policy = logs.CfnAccountPolicy(
            self,
            "Policy",
            policy_name=POLICY_NAME,
            policy_type="DATA_PROTECTION_POLICY",
            scope="ALL",
            policy_document=json.dumps(document, separators=(",", ":"), sort_keys=True),
        )
        self.policy.node.add_dependency(self.audit_log_group)
        make_claim(
            self.policy,
            "LZ-Logs-DataProtection",
            DataProtectionPolicy(identifiers=CREDENTIAL_IDENTIFIERS, findings=True),
            detail=(
                "An account-wide CloudWatch Logs data protection policy audits and masks AWS secret keys "
                "and private keys (and the configured personal data identifiers) in every log event of the "
                "account and region; findings go to " + AUDIT_LOG_GROUP + "."
            ),
        )
