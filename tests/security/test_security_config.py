"""The `security` configuration section, the managed-rule table, the alert patterns and the runbook.

No synthesis: these are plain Python.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from aws_cdk import aws_config as config_

from bio2_aspects.catalog import load_catalog
from landing_zone.config import ConfigError, load_config, load_config_text
from landing_zone.config.sections.security import (
    ALERT_KINDS,
    MAX_ACCOUNTS_WITHOUT_ORGANIZATION_IDS,
    topic_slug,
)
from landing_zone.security import alerts, conformance, detection, names, runbook

DOCS = Path(__file__).resolve().parents[2] / "docs" / "security-monitoring.md"


def test_default_config_turns_every_monitor_on() -> None:
    security = load_config().security
    assert (
        security.guardduty.enabled
        and security.guardduty.s3_protection
        and security.guardduty.malware_protection
    )
    assert security.security_hub.enabled
    assert security.security_hub.standards == (
        "aws-foundational-security-best-practices",
        "cis-aws-foundations-benchmark",
    )
    assert (
        security.access_analyzer and security.aws_config.aggregator and security.aws_config.conformance_pack
    )
    assert not security.macie  # optional, costs extra
    [topic] = security.alerts.topics
    assert topic.owner == "Security team" and topic.alerts == ALERT_KINDS and topic.emails


def test_minimal_config_gets_a_security_team_topic(minimal_yaml: str) -> None:
    security = load_config_text(minimal_yaml).security
    assert [t.owner for t in security.alerts.topics] == ["Security team"]
    assert security.alerts.guardduty_min_severity == 7.0


def test_topic_names() -> None:
    assert topic_slug("Security team") == "security-team"
    assert topic_slug("SOC (24x7) & CERT") == "soc-24x7-cert"
    assert names.alert_topic_name("Security team") == "lz-alerts-security-team"


def _with_security(minimal_yaml: str, security: dict) -> str:
    data = yaml.safe_load(minimal_yaml)
    data["security"] = security
    return yaml.safe_dump(data, sort_keys=False)


def test_every_unrouted_kind_is_a_problem(minimal_yaml: str) -> None:
    text = _with_security(
        minimal_yaml, {"alerts": {"topics": [{"owner": "SOC", "alerts": ["root-activity"]}]}}
    )
    with pytest.raises(ConfigError) as caught:
        load_config_text(text)
    problems = caught.value.problems
    assert len(problems) == len(ALERT_KINDS) - 1
    assert all(p.path == "security.alerts.topics" and "reaches no topic" in p.message for p in problems)


def test_no_topic_at_all_is_a_problem(minimal_yaml: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config_text(_with_security(minimal_yaml, {"alerts": {"topics": []}}))
    [problem] = caught.value.problems
    assert problem.path == "security.alerts.topics" and "reach nobody" in problem.message


def test_split_routing_over_two_owners_is_fine(minimal_yaml: str) -> None:
    first, rest = ALERT_KINDS[:3], ALERT_KINDS[3:]
    cfg = load_config_text(
        _with_security(
            minimal_yaml,
            {
                "alerts": {
                    "topics": [
                        {"owner": "SOC", "alerts": list(first)},
                        {"owner": "Platform team", "alerts": list(rest)},
                    ]
                }
            },
        )
    )
    assert [t.owner for t in cfg.security.alerts.topics] == ["SOC", "Platform team"]


def test_large_organizations_need_the_organization_ids(minimal_yaml: str) -> None:
    data = yaml.safe_load(minimal_yaml)
    for index in range(MAX_ACCOUNTS_WITHOUT_ORGANIZATION_IDS):
        data["organization"]["accounts"].append(
            {
                "name": f"app-{index}",
                "id": f"9{index:011d}",
                "email": f"app{index}@klein.example",
                "ou": "Security",
            }
        )
    with pytest.raises(ConfigError) as caught:
        load_config_text(yaml.safe_dump(data))
    assert sorted(p.path for p in caught.value.problems) == [
        "logging.organization_id",
        "organization.root_id",
    ]
    data["logging"] = {"organization_id": "o-a1b2c3d4e5"}
    data["organization"]["root_id"] = "r-a1b2"
    assert load_config_text(yaml.safe_dump(data)).organization.root_id == "r-a1b2"


# --------------------------------------------------------------------------- managed rules


def test_managed_rules_are_real_managed_rules_mapped_to_catalog_measures() -> None:
    known = {
        getattr(config_.ManagedRuleIdentifiers, n) for n in dir(config_.ManagedRuleIdentifiers) if n.isupper()
    }
    catalog = load_catalog()
    names_ = [rule.name for rule in conformance.MANAGED_RULES]
    assert len(names_) == len(set(names_))
    for rule in conformance.MANAGED_RULES:
        assert rule.identifier in known, rule.identifier
        # a rule may claim no measure after the re-mapping (kept as an operational monitor)
        for measure in rule.measures:
            assert catalog.is_measure_id(measure), (rule.name, measure)


def test_home_region_only_rules_run_once() -> None:
    home = conformance.rules_for("eu-central-1", "eu-central-1")
    other = conformance.rules_for("eu-west-1", "eu-central-1")
    milan = conformance.rules_for("eu-south-1", "eu-central-1")
    assert set(other) < set(home)
    assert all(not rule.home_region_only for rule in other)
    assert "root-account-mfa-enabled" in {r.name for r in home} - {r.name for r in other}
    assert "ec2-managedinstance-patch-compliance-status-check" not in {r.name for r in milan}


def test_pack_template_is_deterministic_json_within_limits() -> None:
    rules = conformance.rules_for("eu-central-1", "eu-central-1")
    body = conformance.template_body(rules)
    assert body == conformance.template_body(rules)
    parsed = json.loads(body)
    assert len(parsed["Resources"]) == len(rules)
    tags = parsed["Resources"]["RequiredTags"]["Properties"]["InputParameters"]
    assert tags["tag1Key"] == "bio2:confidentiality" and tags["tag1Value"] == "low,medium,high"
    assert len(body.encode()) < 51_200  # inline TemplateBody limit


def test_docs_table_matches_the_code() -> None:
    text = DOCS.read_text(encoding="utf-8")
    start, end = "<!-- rule-table:start -->\n", "<!-- rule-table:end -->"
    table = text[text.index(start) + len(start) : text.index(end)]
    assert table == conformance.rule_table_markdown(), (
        "regenerate the table with conformance.rule_table_markdown()"
    )


def test_docs_name_every_alert_kind_and_the_runbook() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for kind in ALERT_KINDS:
        assert f"`{kind}`" in text, kind
    assert "python -m landing_zone.security.runbook" in text


# --------------------------------------------------------------------------- alerts


def test_every_alert_kind_exists_by_default_and_measures_are_real() -> None:
    cfg = load_config()
    found = alerts.alerts(cfg)
    assert tuple(a.kind for a in found) == ALERT_KINDS
    catalog = load_catalog()
    for alert in found:
        assert alert.sources or alert.trail_filter, alert.kind
        for measure in alert.measures:
            assert catalog.is_measure_id(measure)
        if alert.measures:
            assert alert.watches


def test_forwarding_patterns_fit_eventbridge(minimal_yaml: str) -> None:
    for cfg in (load_config(), load_config_text(minimal_yaml)):
        for origin in ("member", "management", "log-archive", "security"):
            patterns = alerts.origin_patterns(cfg, origin)
            if patterns:
                assert alerts.pattern_length(alerts.any_of(patterns)) <= alerts.MAX_PATTERN_LENGTH
        for alert in alerts.alerts(cfg):
            if alert.trail_filter:
                assert len(alert.trail_filter.pattern) + 4 <= 1024  # CloudWatch Logs filter pattern limit


def test_disabled_services_raise_no_alerts(minimal_yaml: str) -> None:
    cfg = load_config_text(
        _with_security(minimal_yaml, {"guardduty": {"enabled": False}, "security_hub": {"enabled": False}})
    )
    kinds = {a.kind for a in alerts.alerts(cfg)}
    assert "guardduty-findings" not in kinds and "securityhub-findings" not in kinds
    member = json.dumps(alerts.origin_patterns(cfg, "member"))
    assert "aws.guardduty" not in member


def test_break_glass_pattern_uses_the_shared_name() -> None:
    from landing_zone import naming

    cfg = load_config()
    text = json.dumps([s.pattern for a in alerts.alerts(cfg) for s in a.sources])
    assert naming.BREAK_GLASS_ROLE_NAME in text
    assert naming.log_archive_bucket_name(cfg) in text


def test_standard_arns() -> None:
    assert detection.standard_arn("cis-aws-foundations-benchmark", "eu-west-1") == (
        "arn:aws:securityhub:eu-west-1::standards/cis-aws-foundations-benchmark/v/3.0.0"
    )


# --------------------------------------------------------------------------- runbook


def test_runbook_names_the_security_account_and_every_region() -> None:
    cfg = load_config()
    text = runbook.render(cfg)
    assert "register-delegated-administrator --account-id 333333333333" in text
    for region in cfg.regions.allowed:
        assert (
            "aws guardduty enable-organization-admin-account --admin-account-id 333333333333 --region "
            f"{region}" in text
        )
    # Inspector is turned on by the stacks' custom resources (landing_zone/security/inspector.py)
    assert "aws inspector2" not in text
    assert "inspector2.amazonaws.com" in runbook.trusted_services(cfg)
    assert "macie" not in text  # off by default
    assert "config-multiaccountsetup.amazonaws.com" in runbook.trusted_services(cfg)


def test_runbook_splits_long_account_lists(minimal_yaml: str) -> None:
    data = yaml.safe_load(minimal_yaml)
    for index in range(120):
        data["organization"]["accounts"].append(
            {
                "name": f"app-{index}",
                "id": f"9{index:011d}",
                "email": f"app{index}@klein.example",
                "ou": "Security",
            }
        )
    data["logging"] = {"organization_id": "o-a1b2c3d4e5"}
    data["organization"]["root_id"] = "r-a1b2"
    steps = runbook.steps(load_config_text(yaml.safe_dump(data)))
    members = [s for s in steps if "create-members" in s.command and s.region == "eu-central-1"]
    assert len(members) == 3
    assert all(s.command.count("AccountId=") <= runbook.GUARDDUTY_MEMBERS_PER_CALL for s in members)


def test_rule_measures_are_the_reviewed_claim_mappings() -> None:
    """``MANAGED_RULES.measures`` (template descriptions, docs) equals landing_zone/claims.json."""
    from landing_zone.claims import claim_table

    table = claim_table()
    for rule in conformance.MANAGED_RULES:
        claim_id = f"LZ-ConfigRule-{conformance._logical_id(rule)}"
        mapped = sorted(m.measure for m in table[claim_id].mappings) if claim_id in table else []
        assert sorted(rule.measures) == mapped, rule.name
