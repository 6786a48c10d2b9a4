"""The default landing zone: the monitors are in the templates, alerts are wired, evidence is honest."""

from __future__ import annotations

import json
from typing import Any

import pytest

from landing_zone.config import load_config
from landing_zone.security import conformance, detection, names
from landing_zone.security.alerts import alerts as alert_list

pytestmark = pytest.mark.synth

HOME = "lz-security-eu-central-1"
WEST = "lz-security-eu-west-1"
MANAGEMENT = "lz-management-eu-central-1"
LOG_ARCHIVE = "lz-log-archive-eu-central-1"
BASELINE = "lz-member-baseline"


def security_resources(synth, cfn_type: str, stack: str) -> list[dict[str, Any]]:
    return [res for _, lid, res in synth.resources(cfn_type, stack_name=stack) if lid.startswith("Security")]


def detective(synth, measure: str, resource_type: str | None = None) -> list[dict[str, Any]]:
    """Detective evidence for ``measure`` declared by the security component."""
    entry = next(m for m in synth.manifest["measures"] if m["id"] == measure)
    return [
        e
        for e in entry["evidence"]
        if e["kind"] == "detective"
        and "/Security/" in e["path"]
        and (resource_type is None or e["resource_type"] == resource_type)
    ]


# --------------------------------------------------------------------------- templates


def test_every_account_records_its_configuration(default_synth) -> None:
    cfg = load_config()
    for stack, include_global in ((BASELINE, None), (MANAGEMENT, True)):
        [recorder] = security_resources(default_synth, "AWS::Config::ConfigurationRecorder", stack)
        group = recorder["Properties"]["RecordingGroup"]
        assert group["AllSupported"] is True
        if include_global is None:  # env-agnostic baseline: global types in the home region only
            assert group["IncludeGlobalResourceTypes"]["Fn::If"][1:] == [True, False]
        else:
            assert group["IncludeGlobalResourceTypes"] is True
        [channel] = security_resources(default_synth, "AWS::Config::DeliveryChannel", stack)
        props = channel["Properties"]
        assert props["S3BucketName"] == f"lz-logs-222222222222-{cfg.regions.home}"
        assert props["S3KeyPrefix"] == "config"
        assert props["S3KmsKeyArn"] == "arn:aws:kms:eu-central-1:222222222222:alias/lz-log-archive"


def test_guardduty_runs_everywhere_with_s3_and_malware_protection(default_synth) -> None:
    for stack in (BASELINE, MANAGEMENT):
        [detector] = security_resources(default_synth, "AWS::GuardDuty::Detector", stack)
        features = {f["Name"]: f["Status"] for f in detector["Properties"]["Features"]}
        assert detector["Properties"]["Enable"] is True
        assert features["S3_DATA_EVENTS"] == "ENABLED" and features["EBS_MALWARE_PROTECTION"] == "ENABLED"
    # the security account's detector comes from its baseline instance, not from its own stacks
    assert not security_resources(default_synth, "AWS::GuardDuty::Detector", HOME)


def test_security_account_runs_the_organization_monitors(default_synth) -> None:
    cfg = load_config()
    [aggregator] = security_resources(default_synth, "AWS::Config::ConfigurationAggregator", HOME)
    assert aggregator["Properties"]["OrganizationAggregationSource"]["AwsRegions"] == sorted(
        cfg.regions.allowed
    )
    for stack, region in ((HOME, "eu-central-1"), (WEST, "eu-west-1")):
        [pack] = security_resources(default_synth, "AWS::Config::OrganizationConformancePack", stack)
        body = json.loads(pack["Properties"]["TemplateBody"])
        expected = {rule.name for rule in conformance.rules_for(region, cfg.regions.home)}
        assert {r["Properties"]["ConfigRuleName"] for r in body["Resources"].values()} == expected
        [analyzer] = security_resources(default_synth, "AWS::AccessAnalyzer::Analyzer", stack)
        assert analyzer["Properties"]["Type"] == "ORGANIZATION"
        [hub] = security_resources(default_synth, "AWS::SecurityHub::Hub", stack)
        assert hub["Properties"]["EnableDefaultStandards"] is False
        arns = sorted(
            s["Properties"]["StandardsArn"]
            for s in security_resources(default_synth, "AWS::SecurityHub::Standard", stack)
        )
        assert arns == sorted(detection.standard_arn(s, region) for s in cfg.security.security_hub.standards)
    assert not security_resources(default_synth, "AWS::Config::ConfigurationAggregator", WEST)


def test_security_hub_is_centrally_configured(default_synth) -> None:
    [org] = security_resources(default_synth, "AWS::SecurityHub::OrganizationConfiguration", HOME)
    assert org["Properties"] == {
        "AutoEnable": False,
        "AutoEnableStandards": "NONE",
        "ConfigurationType": "CENTRAL",
    }
    [aggregator] = security_resources(default_synth, "AWS::SecurityHub::FindingAggregator", HOME)
    assert aggregator["Properties"] == {"RegionLinkingMode": "SPECIFIED_REGIONS", "Regions": ["eu-west-1"]}
    [policy] = security_resources(default_synth, "AWS::SecurityHub::ConfigurationPolicy", HOME)
    hub_policy = policy["Properties"]["ConfigurationPolicy"]["SecurityHub"]
    assert hub_policy["ServiceEnabled"] is True
    assert len(hub_policy["EnabledStandardIdentifiers"]) == 2
    associations = security_resources(default_synth, "AWS::SecurityHub::PolicyAssociation", HOME)
    targets = {a["Properties"]["TargetId"]: a["Properties"] for a in associations}
    assert targets.pop("333333333333")["ConfigurationPolicyId"] == "SELF_MANAGED_SECURITY_HUB"
    root_id = load_config().organization.root_id
    if root_id is not None:  # new accounts inherit the policy from the root
        assert list(targets) == [root_id] and targets[root_id]["TargetType"] == "ROOT"
    else:
        assert len(targets) == 6
    assert all(isinstance(t["ConfigurationPolicyId"], dict) for t in targets.values())  # Fn::GetAtt Id
    [admin] = security_resources(default_synth, "AWS::SecurityHub::DelegatedAdmin", MANAGEMENT)
    assert admin["Properties"]["AdminAccountId"] == "333333333333"


def test_alert_topics_are_encrypted_and_admit_eventbridge_only(default_synth) -> None:
    template = default_synth.templates[HOME]["Resources"]
    [key_id] = [
        lid
        for lid, r in template.items()
        if r["Type"] == "AWS::KMS::Key" and lid.startswith("SecurityAlerts")
    ]
    key = template[key_id]
    assert key["Properties"]["EnableKeyRotation"] is True
    assert key["DeletionPolicy"] == key["UpdateReplacePolicy"] == "Retain"
    topics = {
        lid: r
        for lid, r in template.items()
        if r["Type"] == "AWS::SNS::Topic" and lid.startswith("SecurityAlerts")
    }
    assert len(topics) == 1
    [(topic_id, topic)] = topics.items()
    assert topic["Properties"]["TopicName"] == "lz-alerts-security-team"
    assert topic["Properties"]["KmsMasterKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
    [policy] = [
        r
        for r in template.values()
        if r["Type"] == "AWS::SNS::TopicPolicy" and r["Properties"]["Topics"] == [{"Ref": topic_id}]
    ]
    statements = {s["Sid"]: s for s in policy["Properties"]["PolicyDocument"]["Statement"]}
    allow = statements["AllowAlertBusRulesOnly"]
    assert allow["Principal"] == {"Service": "events.amazonaws.com"} and allow["Action"] == "sns:Publish"
    assert allow["Condition"]["ArnLike"]["aws:SourceArn"].endswith(":rule/lz-security-alerts/*")
    assert [s for s in statements.values() if s["Effect"] == "Allow"] == [allow]
    assert statements["DenyPublishByIamPrincipals"]["Effect"] == "Deny"
    assert statements["DenyInsecureTransport"]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    [subscription] = security_resources(default_synth, "AWS::SNS::Subscription", HOME)
    assert subscription["Properties"]["Endpoint"] == "security@voorbeeldstad.example"


def test_alert_bus_admits_the_organization_only(default_synth) -> None:
    [bus] = security_resources(default_synth, "AWS::Events::EventBus", HOME)
    assert bus["Properties"]["Name"] == names.ALERT_BUS_NAME
    [statement] = bus["Properties"]["Policy"]["Statement"]
    assert statement["Action"] == "events:PutEvents"
    assert statement["Condition"] == {"StringEquals": {"aws:PrincipalOrgID": "o-voorbeeld001"}}


def _rules(synth, stack: str) -> list[dict[str, Any]]:
    return security_resources(synth, "AWS::Events::Rule", stack)


def test_every_alert_kind_has_a_rule_to_its_topic(default_synth) -> None:
    on_bus = [
        r for r in _rules(default_synth, HOME) if r["Properties"].get("EventBusName") == names.ALERT_BUS_NAME
    ]
    described = {r["Properties"]["Description"].split(" -> ")[0] for r in on_bus}
    cfg = load_config()
    # kinds seen only through the trail alarms need the trail in CloudWatch Logs
    expected = {
        a.title for a in alert_list(cfg) if a.sources or (a.trail_filter and cfg.logging.cloudwatch_delivery)
    }
    assert described == expected
    for rule in on_bus:
        [target] = rule["Properties"]["Targets"]
        assert target["Arn"]["Ref"].startswith("SecurityAlertsTopic")


def test_events_are_forwarded_from_every_origin(default_synth) -> None:
    bus_arn = names.alert_bus_arn(load_config())
    for stack in (BASELINE, MANAGEMENT, LOG_ARCHIVE, HOME):
        forwarders = [r for r in _rules(default_synth, stack) if "EventBusName" not in r["Properties"]]
        assert len(forwarders) == 1, stack
        [target] = forwarders[0]["Properties"]["Targets"]
        assert target["Arn"] == bus_arn and "RoleArn" in target
    baseline = json.dumps(_rules(default_synth, BASELINE)[0]["Properties"]["EventPattern"])
    for needle in ("aws.guardduty", '"Root"', "lz-break-glass", "StopLogging", "StopConfigurationRecorder"):
        assert needle in baseline
    # GuardDuty findings about the forwarding account only: the administrator account gets its members'
    # findings as well, which would otherwise reach the alert bus twice
    assert baseline.count('"accountId": [{"Ref": "AWS::AccountId"}]') == 2
    log_archive = json.dumps(_rules(default_synth, LOG_ARCHIVE)[0]["Properties"]["EventPattern"])
    assert "lz-logs-222222222222-eu-central-1" in log_archive and "PutKeyPolicy" in log_archive


# --------------------------------------------------------------------------- BIO2


def test_security_resources_have_no_open_bio2_error(default_synth) -> None:
    mine = [v for v in default_synth.open_errors() if "/Security/" in (v.get("path") or "")]
    assert mine == []


def test_every_security_declaration_is_backed(default_synth) -> None:
    assert [u for u in default_synth.manifest["unbacked_declarations"] if "/Security/" in u["path"]] == []


@pytest.mark.parametrize(
    ("measure", "resource_type"),
    [
        ("8.16.04", "AWS::GuardDuty::Detector"),
        ("8.21.02", "AWS::GuardDuty::Detector"),
        ("8.07.04", "AWS::GuardDuty::Detector"),
        ("8.08.04", "AWS::SecurityHub::ConfigurationPolicy"),
        ("5.09.01", "AWS::Config::ConfigurationAggregator"),
        ("8.03.01", "AWS::AccessAnalyzer::Analyzer"),
        ("8.03.02", "AWS::AccessAnalyzer::Analyzer"),
        ("8.16.04", "AWS::Config::OrganizationConformancePack"),
        ("8.08.01", "AWS::Config::OrganizationConformancePack"),
        ("8.18.01", "AWS::Events::Rule"),
        ("8.15.05", "AWS::Events::Rule"),
    ],
)
def test_monitors_are_detective_evidence(default_synth, measure: str, resource_type: str) -> None:
    found = detective(default_synth, measure, resource_type)
    assert found, f"no detective evidence for {measure} from {resource_type}"
    entry = next(m for m in default_synth.manifest["measures"] if m["id"] == measure)
    assert "detective" in entry["evidence_kinds"]


def test_no_claims_beyond_the_documented_mapping(default_synth) -> None:
    from landing_zone.claims import claim_table

    cfg = load_config()
    # every detective claim's measures come from the reviewed claim table (landing_zone/claims.json)
    allowed = {
        m.measure for spec in claim_table().specs.values() if spec.kind == "detective" for m in spec.mappings
    }
    claimed = {m["id"] for m in default_synth.manifest["measures"] if detective(default_synth, m["id"])}
    assert claimed <= allowed
    assert {"8.16.01", "8.16.02", "8.16.03"}.isdisjoint(claimed)  # organisational: the process, not a monitor
    # 5.18.01 from an alert needs the trail alarms (test_security_switches.py switches them off)
    assert bool(detective(default_synth, "5.18.01", "AWS::Events::Rule")) == cfg.logging.cloudwatch_delivery
    # each conformance-pack claim names its rule
    for entry in detective(default_synth, "8.24.02", "AWS::Config::OrganizationConformancePack"):
        assert "AWS Config managed rule" in entry["detail"]
    # encryption switched on is not cryptographic strength (8.24.04); meta-monitors claim nothing
    assert not detective(default_synth, "8.24.04", "AWS::Config::OrganizationConformancePack")
    assert not [e for e in detective(default_synth, "8.08.04") if "securityhub-enabled" in e["detail"]]


def test_baseline_stays_within_the_stackset_limit(default_synth) -> None:
    size = len(json.dumps(default_synth.templates[BASELINE], separators=(",", ":")).encode())
    assert size < 51_200
