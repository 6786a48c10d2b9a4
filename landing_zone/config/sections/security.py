"""``security``: security monitoring: AWS Config, GuardDuty, Security Hub, IAM Access Analyzer,
Macie and the alerts that reach the owners of security events."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Literal, get_args

from pydantic import Field

from landing_zone.config.base import ConfigModel, Email, Hint
from landing_zone.config.errors import Problem, duplicates, path_of

if TYPE_CHECKING:
    from landing_zone.config.model import LandingZoneConfig

AlertKind = Literal[
    "guardduty-findings",
    "securityhub-findings",
    "root-activity",
    "break-glass-activity",
    "trail-changes",
    "monitoring-changes",
    "log-archive-changes",
    "guardrail-changes",
    "identity-changes",
]
ALERT_KINDS: tuple[AlertKind, ...] = get_args(AlertKind)
"""Every kind of security alert, in documentation order (see docs/security-monitoring.md)."""

Standard = Literal["aws-foundational-security-best-practices", "cis-aws-foundations-benchmark", "nist-800-53"]

MAX_ACCOUNTS_WITHOUT_ORGANIZATION_IDS = 100
"""Above this many accounts, listing every account in policies no longer scales: give the
organization's IDs instead (see :func:`check`)."""

OwnerName = Annotated[
    str,
    Field(pattern=r"^[A-Za-z][A-Za-z0-9 .&()-]{0,63}$"),
    Hint(
        expected="a name: a letter, then up to 63 letters, digits, spaces or . & ( ) -",
        example="Security team",
    ),
]


def topic_slug(owner: str) -> str:
    """The part of an alert topic's name that comes from its owner: ``Security team`` -> ``security-team``."""
    return re.sub(r"[^a-z0-9]+", "-", owner.lower()).strip("-")


class AwsConfigSettings(ConfigModel):
    """AWS Config beyond the recorders (which every account and region always gets)."""

    aggregator: bool = Field(
        default=True,
        description=(
            "An organization aggregator in the security account (home region) that collects the "
            "configuration inventory of every account and allowed region."
        ),
    )
    conformance_pack: bool = Field(
        default=True,
        description=(
            "An organization conformance pack of AWS managed Config rules, deployed from the security "
            "account to every member account in every allowed region; each rule is mapped to the BIO2 "
            "measures it watches (docs/security-monitoring.md)."
        ),
    )


class GuardDutySettings(ConfigModel):
    """Amazon GuardDuty threat detection in every account and allowed region."""

    enabled: bool = Field(
        default=True, description="Run a GuardDuty detector in every account and allowed region."
    )
    s3_protection: bool = Field(
        default=True, description="Analyse S3 data events for suspicious access to and exfiltration of data."
    )
    malware_protection: bool = Field(
        default=True,
        description="Scan the EBS volumes of EC2 instances and container workloads for malware when "
        "GuardDuty sees suspicious behaviour.",
    )
    finding_publishing_frequency: Literal["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"] = Field(
        default="FIFTEEN_MINUTES",
        description="How often updates of existing findings are published (new findings are published at "
        "once).",
    )


class SecurityHubSettings(ConfigModel):
    """AWS Security Hub with central configuration from the security account."""

    enabled: bool = Field(
        default=True,
        description="Enable Security Hub in every account and allowed region, centrally configured by the "
        "security account, with findings aggregated in the home region.",
    )
    standards: tuple[Standard, ...] = Field(
        default=("aws-foundational-security-best-practices", "cis-aws-foundations-benchmark"),
        description=(
            "Security standards checked continuously: AWS Foundational Security Best Practices v1.0.0, "
            "CIS AWS Foundations Benchmark v3.0.0, NIST SP 800-53 Rev. 5."
        ),
    )


class AlertTopic(ConfigModel):
    """An encrypted SNS topic that delivers security alerts to one owner."""

    owner: OwnerName = Field(
        description="Who answers for these alerts, such as `Security team`; also names the topic "
        "(`lz-alerts-security-team`)."
    )
    emails: tuple[Email, ...] = Field(
        default=(),
        description="E-mail addresses subscribed to the topic (each confirms its subscription once). Other "
        "subscribers, such as a SIEM or a ticketing system, can be added outside the landing zone.",
    )
    alerts: tuple[AlertKind, ...] = Field(
        default=ALERT_KINDS,
        description="The kinds of alert this owner receives; default: all of them.",
    )


class AlertSettings(ConfigModel):
    """Which security events raise an alert, and who receives it."""

    guardduty_min_severity: float = Field(
        default=7.0,
        ge=1.0,
        le=10.0,
        description="Lowest GuardDuty severity that raises an alert: 7.0 is 'high' (4.0 'medium', 1.0 "
        "'low').",
    )
    topics: tuple[AlertTopic, ...] = Field(
        default=(AlertTopic(owner="Security team"),),
        description="One alert topic per owner; every alert kind must reach at least one topic.",
    )


class EvidenceCollectorSettings(ConfigModel):
    """The read-only role ``bio2 collect`` uses in the security account (lz-bio2-evidence-collector)."""

    enabled: bool = Field(
        default=True,
        description="Deploy the read-only evidence collection role in the security account (home region "
        "stack; IAM is global). It may call only the read APIs `bio2 collect` uses.",
    )
    trusted_account: Literal["security", "management"] = Field(
        default="security",
        description="The account whose principal may assume the role: the security (audit) account or the "
        "management account.",
    )
    permission_set: str | None = Field(
        default="security-audit",
        min_length=1,
        description="The IAM Identity Center permission set (a name in `identity.permission_sets`) whose "
        "role in `trusted_account` may assume the collection role. Ignored when `role_name` is set.",
    )
    role_name: str | None = Field(
        default=None,
        pattern=r"^[\w+=,.@-]{1,64}$",
        description="Instead of a permission set: the name of an IAM role in `trusted_account` (such as the "
        "pipeline role that runs `bio2 collect` on a schedule) that may assume the collection role.",
    )


InspectorResourceType = Literal["EC2", "ECR", "LAMBDA", "LAMBDA_CODE"]


class InspectorSettings(ConfigModel):
    """Amazon Inspector v2 vulnerability scanning, organisation-wide from the security account."""

    enabled: bool = Field(
        default=True,
        description=(
            "Make the security account the Inspector delegated administrator in every allowed region, "
            "turn scanning on for every account of `organization.accounts` and switch on auto-enable for "
            "accounts that join later. Inspector scans continuously for known vulnerabilities and "
            "unintended network exposure (BIO2 8.08.04); it is left on when the stack is deleted."
        ),
    )
    resource_types: tuple[InspectorResourceType, ...] = Field(
        default=("EC2", "ECR", "LAMBDA"),
        min_length=1,
        description=(
            "What Inspector scans: `EC2` instances, `ECR` container images, `LAMBDA` function packages, "
            "`LAMBDA_CODE` function code (extra cost)."
        ),
    )


class SecuritySection(ConfigModel):
    """Security monitoring, run from the security (audit) account as delegated administrator."""

    aws_config: AwsConfigSettings = Field(
        default=AwsConfigSettings(), description="AWS Config aggregator and conformance pack."
    )
    guardduty: GuardDutySettings = Field(default=GuardDutySettings(), description="Amazon GuardDuty.")
    security_hub: SecurityHubSettings = Field(default=SecurityHubSettings(), description="AWS Security Hub.")
    access_analyzer: bool = Field(
        default=True,
        description="An IAM Access Analyzer with the organization as zone of trust, in every allowed "
        "region of the security account: it reports resources shared outside the organization.",
    )
    inspector: InspectorSettings = Field(
        default=InspectorSettings(), description="Amazon Inspector v2 vulnerability scanning."
    )
    macie: bool = Field(
        default=False,
        description="Enable Amazon Macie in every account and allowed region (extra cost). Macie reports S3 "
        "buckets that are public, shared outside the organization or unencrypted.",
    )
    alerts: AlertSettings = Field(default=AlertSettings(), description="Security alerts and their owners.")
    evidence_collector: EvidenceCollectorSettings = Field(
        default=EvidenceCollectorSettings(),
        description="The read-only role for run-time evidence collection (`bio2 collect`).",
    )


def check(cfg: LandingZoneConfig) -> list[Problem]:
    """Security checks:

    - Alert topic owners are unique (also after they are turned into topic names), and a topic
      lists each e-mail address and alert kind once.
    - Every alert kind reaches at least one topic.
    - Security Hub, when enabled, checks at least one standard.
    - With more than 100 accounts, `logging.organization_id` is set (the alert bus policy cannot
      list every account), and so is `organization.root_id` when Security Hub is enabled (one
      policy association per account does not scale either).
    """
    security = cfg.security
    problems: list[Problem] = []
    topics = security.alerts.topics
    if not topics:
        problems.append(
            Problem(
                "security.alerts.topics",
                "there is no alert topic, so security alerts reach nobody",
                "add a topic, such as {owner: Security team, emails: [security@example.org]}",
            )
        )
    slugs = [topic_slug(topic.owner) for topic in topics]
    for index, first in duplicates(slugs):
        problems.append(
            Problem(
                path_of("security", "alerts", "topics", index, "owner"),
                f"owner '{topics[index].owner}' gives the same topic name as "
                f"security.alerts.topics[{first}] (lz-alerts-{slugs[index]})",
                "give every owner its own topic: merge the two entries or rename one owner",
            )
        )
    for index, topic in enumerate(topics):
        for attribute, fold in (("emails", True), ("alerts", False)):
            values = [str(value) for value in getattr(topic, attribute)]
            for position, first in duplicates(value.lower() if fold else value for value in values):
                problems.append(
                    Problem(
                        path_of("security", "alerts", "topics", index, attribute, position),
                        f"'{values[position]}' is listed twice (first at position {first})",
                        "list it once",
                    )
                )
    if topics:
        routed = {kind for topic in topics for kind in topic.alerts}
        for kind in ALERT_KINDS:
            if kind not in routed:
                problems.append(
                    Problem(
                        "security.alerts.topics",
                        f"alert kind '{kind}' reaches no topic",
                        f"add '{kind}' to the alerts of a topic (leave `alerts` out to receive every kind)",
                    )
                )
    if security.security_hub.enabled and not security.security_hub.standards:
        problems.append(
            Problem(
                "security.security_hub.standards",
                "Security Hub is enabled but checks no standard",
                "list at least one standard, such as aws-foundational-security-best-practices, or set "
                "security_hub.enabled: false",
            )
        )
    count = len(cfg.organization.accounts)
    if count > MAX_ACCOUNTS_WITHOUT_ORGANIZATION_IDS:
        if cfg.logging.organization_id is None:
            problems.append(
                Problem(
                    "logging.organization_id",
                    f"the organization has {count} accounts, too many to list one by one in the alert bus "
                    "policy",
                    "set organization_id to the ID of the AWS Organization (o-...; `aws organizations "
                    "describe-organization`)",
                )
            )
        if security.security_hub.enabled and cfg.organization.root_id is None:
            problems.append(
                Problem(
                    "organization.root_id",
                    f"the organization has {count} accounts, too many for one Security Hub policy "
                    "association each",
                    "set root_id to the ID of the organization root (r-...; `aws organizations list-roots`)",
                )
            )
    problems += _check_evidence_collector(cfg)
    return problems


def _check_evidence_collector(cfg: LandingZoneConfig) -> list[Problem]:
    """The collection role trusts exactly one principal: a known permission set or a role name."""
    collector = cfg.security.evidence_collector
    if not collector.enabled:
        return []
    where = "security.evidence_collector"
    explicit = "permission_set" in collector.model_fields_set
    both = collector.role_name is not None and explicit and collector.permission_set is not None
    if both or (collector.role_name is None and collector.permission_set is None):
        return [
            Problem(
                where,
                "the evidence collection role must trust exactly one principal",
                "give either permission_set (a permission set name) or role_name (an IAM role name), "
                "not both",
            )
        ]
    # the default names the example's security-audit: only a name the user chose must exist (with the
    # default and no such permission set the role trusts a role nobody has, so nobody can assume it)
    if (
        collector.role_name is None
        and explicit
        and collector.permission_set
        and cfg.identity.permission_set(collector.permission_set) is None
    ):
        known = ", ".join(ps.name for ps in cfg.identity.permission_sets) or "none"
        return [
            Problem(
                f"{where}.permission_set",
                f"permission set '{collector.permission_set}' is not in identity.permission_sets ({known})",
                "name one of identity.permission_sets (such as security-audit), or set role_name instead",
            )
        ]
    return []
