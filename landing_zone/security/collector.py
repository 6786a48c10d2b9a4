"""The read-only role ``bio2 collect`` uses in the security (audit) account.

It may call exactly the read APIs the collector makes (``bio2_aspects.collect.sources.API_CALLS``,
turned into IAM actions by ``iam_actions()``), in the allowed regions only, and it trusts exactly
one principal of one account of the organisation (``security.evidence_collector``): the role that
IAM Identity Center creates for a permission set (by default the security auditors'
``security-audit``) or a named IAM role, in the security or the management account.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from constructs import Construct

from bio2_aspects.collect.sources import iam_actions
from landing_zone import naming
from landing_zone.config import LandingZoneConfig
from landing_zone.nag import acknowledge_nag
from landing_zone.security import names


def trusted_principal_pattern(config: LandingZoneConfig) -> tuple[str, str]:
    """(account ID, ARN pattern for aws:PrincipalArn) of the one principal that may assume the role."""
    settings = config.security.evidence_collector
    account = (
        naming.security_account_id(config)
        if settings.trusted_account == "security"
        else naming.management_account_id(config)
    )
    if settings.role_name:
        return account, f"arn:aws:iam::{account}:role/{settings.role_name}"
    return (
        account,
        f"arn:aws:iam::{account}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_{settings.permission_set}_*",
    )


class EvidenceCollectorRole(Construct):
    """``lz-bio2-evidence-collector``: read-only access to Config aggregate compliance, Security Hub,
    GuardDuty and Access Analyzer findings and AWS Backup job results."""

    def __init__(self, scope: Construct, construct_id: str, *, config: LandingZoneConfig) -> None:
        super().__init__(scope, construct_id)
        account, pattern = trusted_principal_pattern(config)
        regions = sorted({config.regions.home, *config.regions.allowed})
        self.role = iam.Role(
            self,
            "Role",
            role_name=names.EVIDENCE_COLLECTOR_ROLE_NAME,
            assumed_by=iam.AccountPrincipal(account).with_conditions(
                {"ArnLike": {"aws:PrincipalArn": pattern}}
            ),
            max_session_duration=Duration.hours(1),
            description="bio2 collect: read-only run-time evidence (Config, Security Hub, GuardDuty, "
            "Access Analyzer, Backup)",
            inline_policies={
                "ReadRunTimeEvidence": iam.PolicyDocument(
                    statements=[
                        iam.PolicyStatement(
                            sid="ReadRunTimeEvidence",
                            actions=list(iam_actions()),
                            resources=["*"],
                            conditions={"StringEquals": {"aws:RequestedRegion": regions}},
                        )
                    ]
                )
            },
        )
        acknowledge_nag(
            self.role,
            "AwsSolutions-IAM5",
            "The list, describe and get-findings APIs of Config aggregators, Security Hub, GuardDuty, "
            "Access Analyzer and Backup act on the whole account (most have no resource-level "
            "permissions); the policy names each read action, no wildcard action, and only the allowed "
            "regions.",
            findings=["Resource::*"],
        )
        acknowledge_nag(
            self.role,
            "NIST.800.53.R5-IAMNoInlinePolicy",
            "The read-only policy belongs to this one role; as a managed policy it could be attached to "
            "other principals.",
        )
