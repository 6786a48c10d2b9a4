"""Switching a monitor off removes it, and with it its detective evidence: no claim survives its monitor.

Two extra syntheses (module-scoped): every monitor off; and a variant with the trail in CloudWatch
Logs, Macie on, GuardDuty's S3 and malware protection off, the organization root set and two owners.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from aws_cdk import App, Stack

from bio2_aspects.assembly import CLAIM_METADATA
from landing_zone.config import DEFAULT_CONFIG_PATH, load_config
from landing_zone.config.sections.security import ALERT_KINDS
from landing_zone.security import names
from landing_zone.security.alerts import AlertHub, alerts
from tests.synthkit import synth_landing_zone

pytestmark = pytest.mark.synth

HOME = "lz-security-eu-central-1"
MANAGEMENT = "lz-management-eu-central-1"
BASELINE = "lz-member-baseline"

MONITOR_TYPES = (
    "AWS::GuardDuty::Detector",
    "AWS::SecurityHub::Hub",
    "AWS::SecurityHub::Standard",
    "AWS::SecurityHub::ConfigurationPolicy",
    "AWS::SecurityHub::DelegatedAdmin",
    "AWS::AccessAnalyzer::Analyzer",
    "AWS::Config::ConfigurationAggregator",
    "AWS::Config::OrganizationConformancePack",
    "AWS::Macie::Session",
)


def _default_data() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"))


def _synth(default_synth, outdir, data: dict[str, Any]):
    """Synthesize ``data`` with the shared test helper."""
    return synth_landing_zone(outdir, yaml.safe_dump(data, sort_keys=False))


@pytest.fixture(scope="module")
def monitors_off(tmp_path_factory: pytest.TempPathFactory, default_synth):
    data = _default_data()
    data["logging"]["cloudwatch_delivery"] = False  # no trail alarms
    data["security"].update(
        {
            "aws_config": {"aggregator": False, "conformance_pack": False},
            "guardduty": {"enabled": False},
            "security_hub": {"enabled": False},
            "access_analyzer": False,
            "macie": False,
        }
    )
    return _synth(default_synth, tmp_path_factory.mktemp("security-off"), data)


@pytest.fixture(scope="module")
def variant(tmp_path_factory: pytest.TempPathFactory, default_synth):
    data = _default_data()
    data["logging"]["cloudwatch_delivery"] = True
    data["logging"].pop("organization_id", None)
    data["organization"].pop("root_id", None)  # Security Hub policy associated account by account
    # Macie is not on the default allow-list of the approved-services guardrail; this test is about
    # Macie's evidence, so leave that guardrail out
    data["organization"]["guardrails"]["attach"]["approved_services"] = []
    split = len(ALERT_KINDS) // 2
    data["security"].update(
        {
            "guardduty": {"enabled": True, "s3_protection": False, "malware_protection": False},
            "macie": True,
            "alerts": {
                "topics": [
                    {
                        "owner": "SOC",
                        "emails": ["soc@voorbeeldstad.example"],
                        "alerts": list(ALERT_KINDS[:split]),
                    },
                    {"owner": "Platform team", "alerts": list(ALERT_KINDS[split:])},
                ]
            },
        }
    )
    return _synth(default_synth, tmp_path_factory.mktemp("security-variant"), data)


def security_resources(synth, cfn_type: str, stack: str | None = None) -> list[dict[str, Any]]:
    return [res for _, lid, res in synth.resources(cfn_type, stack_name=stack) if lid.startswith("Security")]


def detective(synth, measure: str, resource_type: str | None = None) -> list[dict[str, Any]]:
    entry = next(m for m in synth.manifest["measures"] if m["id"] == measure)
    return [
        e
        for e in entry["evidence"]
        if e["kind"] == "detective"
        and "/Security/" in e["path"]
        and (resource_type is None or e["resource_type"] == resource_type)
    ]


# --------------------------------------------------------------------------- every monitor off


@pytest.mark.parametrize("cfn_type", MONITOR_TYPES)
def test_switched_off_monitors_are_not_built(monitors_off, cfn_type: str) -> None:
    assert security_resources(monitors_off, cfn_type) == []


def test_recorders_stay_on(monitors_off) -> None:
    assert security_resources(monitors_off, "AWS::Config::ConfigurationRecorder", BASELINE)
    assert security_resources(monitors_off, "AWS::Config::ConfigurationRecorder", MANAGEMENT)


@pytest.mark.parametrize(
    ("measure", "resource_type"),
    [
        ("8.16.04", "AWS::GuardDuty::Detector"),  # guardduty.enabled
        ("8.21.02", "AWS::GuardDuty::Detector"),
        ("8.07.04", "AWS::GuardDuty::Detector"),
        ("8.08.04", "AWS::SecurityHub::ConfigurationPolicy"),  # security_hub.enabled
        ("5.09.01", "AWS::Config::ConfigurationAggregator"),  # aws_config.aggregator
        ("8.16.04", "AWS::Config::OrganizationConformancePack"),  # aws_config.conformance_pack
        ("8.08.01", "AWS::Config::OrganizationConformancePack"),
        ("8.03.01", "AWS::AccessAnalyzer::Analyzer"),  # access_analyzer
        ("8.03.02", "AWS::AccessAnalyzer::Analyzer"),
    ],
)
def test_evidence_goes_with_its_monitor(
    default_synth, monitors_off, measure: str, resource_type: str
) -> None:
    assert detective(default_synth, measure, resource_type), "the default has this evidence"
    assert detective(monitors_off, measure, resource_type) == []


@pytest.mark.parametrize("measure", ["8.16.04", "8.21.02", "8.07.04", "8.08.04", "8.08.01", "8.03.01"])
def test_measures_watched_only_by_these_monitors_lose_all_security_evidence(
    monitors_off, measure: str
) -> None:
    assert detective(monitors_off, measure) == []


def test_finding_alerts_go_with_their_services(monitors_off) -> None:
    on_bus = [
        r
        for r in security_resources(monitors_off, "AWS::Events::Rule", HOME)
        if "EventBusName" in r["Properties"]
    ]
    text = json.dumps(on_bus)
    assert "aws.guardduty" not in text and "aws.securityhub" not in text
    # the alerts that need no service remain, with their evidence
    assert detective(monitors_off, "8.15.05", "AWS::Events::Rule")
    assert detective(monitors_off, "8.18.01", "AWS::Events::Rule")


# --------------------------------------------------------------------------- variant


def test_protection_plans_off_remove_their_evidence(default_synth, variant) -> None:
    [detector] = security_resources(variant, "AWS::GuardDuty::Detector", BASELINE)
    features = {f["Name"]: f["Status"] for f in detector["Properties"]["Features"]}
    assert features["S3_DATA_EVENTS"] == features["EBS_MALWARE_PROTECTION"] == "DISABLED"
    assert detective(default_synth, "8.07.04", "AWS::GuardDuty::Detector")
    assert detective(variant, "8.07.04", "AWS::GuardDuty::Detector") == []
    assert detective(variant, "8.03.02", "AWS::GuardDuty::Detector") == []
    # the foundational detection stays
    assert detective(variant, "8.16.04", "AWS::GuardDuty::Detector")


def test_macie_when_switched_on(default_synth, variant) -> None:
    assert security_resources(variant, "AWS::Macie::Session", BASELINE)
    assert security_resources(variant, "AWS::Macie::Session", MANAGEMENT)
    assert detective(variant, "8.03.02", "AWS::Macie::Session")
    assert detective(default_synth, "8.03.02", "AWS::Macie::Session") == []


def test_trail_alarms_cover_global_events(variant, monitors_off) -> None:
    alarms = security_resources(variant, "AWS::CloudWatch::Alarm", MANAGEMENT)
    expected = {names.alarm_name(a.kind) for a in alerts(load_config()) if a.trail_filter}
    assert {a["Properties"]["AlarmName"] for a in alarms} == expected
    filters = security_resources(variant, "AWS::Logs::MetricFilter", MANAGEMENT)
    assert all(f["Properties"]["LogGroupName"] for f in filters)
    assert any("organizations.amazonaws.com" in f["Properties"]["FilterPattern"] for f in filters)
    forwarders = [
        r
        for r in security_resources(variant, "AWS::Events::Rule", MANAGEMENT)
        if "EventBusName" not in r["Properties"]
    ]
    assert "CloudWatch Alarm State Change" in json.dumps(forwarders)
    # identity-changes exists only with the trail alarms, and so does its evidence
    assert detective(variant, "5.18.01", "AWS::Events::Rule")


def test_without_the_trail_in_cloudwatch_logs_there_are_no_trail_alarms(monitors_off) -> None:
    assert security_resources(monitors_off, "AWS::CloudWatch::Alarm") == []
    assert security_resources(monitors_off, "AWS::Logs::MetricFilter") == []
    assert detective(monitors_off, "5.18.01", "AWS::Events::Rule") == []
    on_bus = json.dumps(
        [
            r
            for r in security_resources(monitors_off, "AWS::Events::Rule", HOME)
            if "EventBusName" in r["Properties"]
        ]
    )
    assert "organizations" not in on_bus and "CloudWatch Alarm State Change" not in on_bus


def test_owners_get_only_their_alert_kinds(variant) -> None:
    on_bus = [
        r for r in security_resources(variant, "AWS::Events::Rule", HOME) if "EventBusName" in r["Properties"]
    ]
    owners = {}
    for rule in on_bus:
        title, owner = rule["Properties"]["Description"].rsplit(" -> ", 1)
        owners.setdefault(owner, set()).add(title)
    assert set(owners) == {"SOC", "Platform team"}
    assert owners["SOC"].isdisjoint(owners["Platform team"])
    topics = {t["Properties"]["TopicName"] for t in security_resources(variant, "AWS::SNS::Topic", HOME)}
    assert topics == {"lz-alerts-soc", "lz-alerts-platform-team"}


def test_without_organization_ids(variant) -> None:
    [bus] = security_resources(variant, "AWS::Events::EventBus", HOME)
    [statement] = bus["Properties"]["Policy"]["Statement"]
    assert "Condition" not in statement
    assert len(statement["Principal"]["AWS"]) == 7
    associations = security_resources(variant, "AWS::SecurityHub::PolicyAssociation", HOME)
    assert [a["Properties"]["TargetType"] for a in associations] == ["ACCOUNT"] * 7


def test_variant_security_resources_have_no_open_bio2_error(variant) -> None:
    assert [v for v in variant.open_errors() if "/Security/" in (v.get("path") or "")] == []


# --------------------------------------------------------------------------- the alert hub alone


def _declarations(hub: AlertHub) -> list[dict[str, Any]]:
    out = []
    for rules in hub.rules.values():
        for rule in rules:
            out += [m.data for m in rule.node.metadata if m.type == CLAIM_METADATA]
    return out


def test_an_alert_hub_without_alerts_declares_nothing() -> None:
    cfg = load_config()
    app = App()
    with_alerts = AlertHub(
        Stack(app, "With"), "Alerts", config=cfg, alerts_=alerts(cfg), trail_alarms=frozenset()
    )
    without = AlertHub(Stack(app, "Without"), "Alerts", config=cfg, alerts_=(), trail_alarms=frozenset())
    measures = {m["measure"] for d in _declarations(with_alerts) for m in d["mappings"]}
    assert measures == {"8.18.01", "8.15.05"}
    assert _declarations(without) == [] and without.rules == {}
