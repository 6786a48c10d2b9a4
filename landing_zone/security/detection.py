"""Threat and posture detection: GuardDuty, Security Hub, IAM Access Analyzer and Macie.

What CloudFormation can express is built here; the registrations it cannot express (delegated
administrators, member associations) are in :mod:`landing_zone.security.runbook`.
"""

from __future__ import annotations

from aws_cdk import aws_accessanalyzer as accessanalyzer
from aws_cdk import aws_guardduty as guardduty
from aws_cdk import aws_macie as macie
from aws_cdk import aws_securityhub as securityhub
from constructs import Construct

from bio2_aspects.claims import AnalyzerActive, GuardDutyEnabled, PropertyEquals, SecurityHubEnabled
from landing_zone import naming
from landing_zone.claims import make_claim
from landing_zone.config import LandingZoneConfig
from landing_zone.config.sections.security import GuardDutySettings
from landing_zone.security import names

# --------------------------------------------------------------------------- GuardDuty

#: Measures a GuardDuty detector watches with its foundational sources (CloudTrail management
#: events, VPC flow logs, DNS query logs), and what it watches for each.
GUARDDUTY_MEASURES: dict[str, str] = {
    "8.16.04": "analyses the VPC flow logs and DNS logs of the account's network for anomalous activity",
    "8.21.02": "detects suspicious traffic into and out of the VPCs (port scans, command-and-control, "
    "exfiltration, known-bad addresses)",
    "5.17.01": "detects misuse of credentials: sign-ins and API calls from unusual places, credentials used "
    "outside AWS, anomalous identity behaviour",
}
GUARDDUTY_S3_MEASURES: dict[str, str] = {
    "8.03.02": "S3 Protection analyses S3 data events and reports anomalous access to and exfiltration of "
    "data",
}
GUARDDUTY_MALWARE_MEASURES: dict[str, str] = {
    "8.07.04": "Malware Protection scans the EBS volumes of EC2 instances and container workloads with "
    "suspicious behaviour for malware",
}


def guardduty_detector(
    scope: Construct, construct_id: str, settings: GuardDutySettings
) -> guardduty.CfnDetector:
    """A detector with its protection plans written out explicitly."""

    def feature(name: str, on: bool) -> guardduty.CfnDetector.CFNFeatureConfigurationProperty:
        return guardduty.CfnDetector.CFNFeatureConfigurationProperty(
            name=name, status="ENABLED" if on else "DISABLED"
        )

    detector = guardduty.CfnDetector(
        scope,
        construct_id,
        enable=True,
        finding_publishing_frequency=settings.finding_publishing_frequency,
        features=[
            feature("S3_DATA_EVENTS", settings.s3_protection),
            feature("EBS_MALWARE_PROTECTION", settings.malware_protection),
            feature("RDS_LOGIN_EVENTS", True),
            feature("EKS_AUDIT_LOGS", True),
            feature("LAMBDA_NETWORK_LOGS", True),
        ],
    )
    what = "; ".join(GUARDDUTY_MEASURES.values())
    make_claim(
        detector,
        "LZ-GuardDuty-Detector",
        GuardDutyEnabled(),
        detail=f"Amazon GuardDuty detector in the account and region: {what}.",
    )
    if settings.malware_protection:
        make_claim(
            detector,
            "LZ-GuardDuty-MalwareProtection",
            GuardDutyEnabled(features=("EBS_MALWARE_PROTECTION",)),
            detail=f"Amazon GuardDuty: {GUARDDUTY_MALWARE_MEASURES['8.07.04']}.",
        )
    return detector


# --------------------------------------------------------------------------- Security Hub

STANDARD_PATHS: dict[str, str] = {
    "aws-foundational-security-best-practices": "aws-foundational-security-best-practices/v/1.0.0",
    "cis-aws-foundations-benchmark": "cis-aws-foundations-benchmark/v/3.0.0",
    "nist-800-53": "nist-800-53/v/5.0.0",
}
STANDARD_TITLES: dict[str, str] = {
    "aws-foundational-security-best-practices": "AWS Foundational Security Best Practices v1.0.0",
    "cis-aws-foundations-benchmark": "CIS AWS Foundations Benchmark v3.0.0",
    "nist-800-53": "NIST SP 800-53 Rev. 5",
}


def standard_arn(standard: str, region: str) -> str:
    return f"arn:aws:securityhub:{region}::standards/{STANDARD_PATHS[standard]}"


class SecurityHubAccount(Construct):
    """Security Hub in the security account itself, in one region: hub and standards.

    The security account is the delegated administrator; it manages its own standards here
    (self-managed under central configuration) instead of through its own policy.
    """

    def __init__(
        self, scope: Construct, construct_id: str, *, config: LandingZoneConfig, region: str
    ) -> None:
        super().__init__(scope, construct_id)
        self.hub = securityhub.CfnHub(
            self,
            "Hub",
            enable_default_standards=False,
            control_finding_generator="SECURITY_CONTROL",
            auto_enable_controls=True,
        )
        self.standards: list[securityhub.CfnStandard] = []
        for standard in config.security.security_hub.standards:
            resource = securityhub.CfnStandard(
                self, f"Standard-{standard}", standards_arn=standard_arn(standard, region)
            )
            resource.add_resource_dependency(self.hub)
            self.standards.append(resource)


class SecurityHubOrganization(Construct):
    """Central configuration of Security Hub for the organization (security account, home region).

    A finding aggregator links the other allowed regions to the home region; a configuration
    policy enables Security Hub and the standards in every account and linked region.
    """

    def __init__(
        self, scope: Construct, construct_id: str, *, config: LandingZoneConfig, hub: Construct
    ) -> None:
        super().__init__(scope, construct_id)
        home = config.regions.home
        linked = sorted(r for r in config.regions.allowed if r != home)
        settings = config.security.security_hub
        self.aggregator = securityhub.CfnFindingAggregator(
            self,
            "FindingAggregator",
            region_linking_mode="SPECIFIED_REGIONS",
            regions=linked or None,
        )
        self.aggregator.node.add_dependency(hub)
        self.organization = securityhub.CfnOrganizationConfiguration(
            self,
            "OrganizationConfiguration",
            configuration_type="CENTRAL",
            auto_enable=False,  # central configuration: the policy decides, not auto-enable
            auto_enable_standards="NONE",
        )
        self.organization.add_resource_dependency(self.aggregator)
        self.policy = securityhub.CfnConfigurationPolicy(
            self,
            "Policy",
            name=names.SECURITY_HUB_POLICY_NAME,
            description="BIO2 landing zone: Security Hub and its standards in every account and allowed "
            "region",
            configuration_policy=securityhub.CfnConfigurationPolicy.PolicyProperty(
                security_hub=securityhub.CfnConfigurationPolicy.SecurityHubPolicyProperty(
                    service_enabled=True,
                    enabled_standard_identifiers=[standard_arn(s, home) for s in settings.standards],
                    security_controls_configuration=securityhub.CfnConfigurationPolicy.SecurityControlsConfigurationProperty(
                        disabled_security_control_identifiers=[]
                    ),
                )
            ),
        )
        self.policy.add_resource_dependency(self.organization)
        security_id = naming.security_account_id(config)
        self.associations: list[securityhub.CfnPolicyAssociation] = []
        # The security account manages its own hub and standards (SecurityHubAccount).
        self._associate("Self", "ACCOUNT", security_id, "SELF_MANAGED_SECURITY_HUB")
        root_id = config.organization.root_id
        if root_id is not None:
            self._associate("Root", "ROOT", root_id, self.policy.attr_id)
        else:
            for account in config.organization.accounts:
                if account.id != security_id:
                    self._associate(f"Account-{account.name}", "ACCOUNT", account.id, self.policy.attr_id)
        titles = ", ".join(STANDARD_TITLES[s] for s in settings.standards)
        members = (
            ()
            if root_id is not None
            else tuple(a.id for a in config.organization.accounts if a.id != security_id)
        )
        make_claim(
            self.policy,
            "LZ-SecurityHub-Standards",
            SecurityHubEnabled(
                standards=tuple(STANDARD_PATHS[s] for s in settings.standards), accounts=members
            ),
            detail=(
                "Security Hub configuration policy for every account and allowed region: checks resources "
                f"continuously against {titles} (automated technical compliance checks)."
            ),
        )

    def _associate(self, construct_id: str, target_type: str, target_id: str, policy_id: str) -> None:
        association = securityhub.CfnPolicyAssociation(
            self,
            construct_id,
            target_type=target_type,
            target_id=target_id,
            configuration_policy_id=policy_id,
        )
        if policy_id == "SELF_MANAGED_SECURITY_HUB":  # the others refer to the policy's Id already
            association.add_resource_dependency(self.policy)
        self.associations.append(association)


# --------------------------------------------------------------------------- Access Analyzer, Macie


def organization_analyzer(scope: Construct, construct_id: str) -> accessanalyzer.CfnAnalyzer:
    """An external-access analyzer with the organization as zone of trust (security account)."""
    analyzer = accessanalyzer.CfnAnalyzer(
        scope, construct_id, type="ORGANIZATION", analyzer_name=names.ANALYZER_NAME
    )
    make_claim(
        analyzer,
        "LZ-AccessAnalyzer-Organization",
        AnalyzerActive(type="ORGANIZATION"),
        detail=(
            "IAM Access Analyzer with the organization as zone of trust: reports every S3 bucket, KMS "
            "key, IAM role, secret, queue, snapshot or function that a policy opens to principals outside "
            "the organization, so a break of the logical isolation of information is seen."
        ),
    )
    return analyzer


def macie_session(scope: Construct, construct_id: str, config: LandingZoneConfig) -> macie.CfnSession:
    """Amazon Macie in one account and region: evaluates the S3 buckets' access and encryption."""
    session = macie.CfnSession(
        scope,
        construct_id,
        status="ENABLED",
        finding_publishing_frequency=config.security.guardduty.finding_publishing_frequency,
    )
    make_claim(
        session,
        "LZ-Macie-S3",
        PropertyEquals(path=("Status",), value="ENABLED"),
        detail=(
            "Amazon Macie in the account and region: policy findings for S3 buckets that become public or "
            "are shared outside the organization."
        ),
    )
    return session
