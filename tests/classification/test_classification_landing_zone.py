"""The default landing zone: every taggable resource in every template carries its classification."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from bio2_aspects import Bio2
from bio2_aspects.rules.tagging import CLASSIFICATION_TAGS, TAG_PROPERTIES, supports_tags
from landing_zone.app import bio2_scope
from landing_zone.assembly import COMPONENTS, LandingZone
from landing_zone.classification import ClassificationTagger, classification_of
from landing_zone.config import load_config
from landing_zone.config.sections.classification import LEVELS

pytestmark = pytest.mark.synth

RULE = "BIO2-Tagging-Classification"
BASELINE = "lz-member-baseline"


def _tags(resource: dict[str, Any]) -> dict[str, Any]:
    raw = resource.get("Properties", {}).get(TAG_PROPERTIES.get(resource["Type"], "Tags"))
    if isinstance(raw, dict):
        return raw
    return {entry["Key"]: entry["Value"] for entry in raw or [] if isinstance(entry, dict)}


def _taggable(templates: dict[str, dict[str, Any]]):
    for stack, template in sorted(templates.items()):
        for lid, resource in sorted(template.get("Resources", {}).items()):
            if supports_tags(resource["Type"]):
                yield stack, lid, resource


def test_every_taggable_resource_in_every_template_is_classified(default_synth) -> None:
    assert "lz-member-baseline" in default_synth.templates
    count = 0
    for stack, lid, resource in _taggable(default_synth.templates):
        tags = _tags(resource)
        for key in CLASSIFICATION_TAGS:
            assert tags.get(key) in LEVELS, f"{stack}/{lid} ({resource['Type']}): {key}={tags.get(key)!r}"
        count += 1
    assert count > 0


def _expected(rating) -> dict[str, str]:
    return {
        "bio2:confidentiality": rating.confidentiality,
        "bio2:integrity": rating.integrity,
        "bio2:availability": rating.availability,
    }


def test_each_stack_is_classified_with_its_account_rating() -> None:
    config = load_config()
    app = cdk.App()
    lz = LandingZone(app, config, components=["classification"])
    accounts = {a.id: a for a in config.organization.accounts}
    for stack in lz.stacks.values():
        account = accounts[stack.account_id]
        assert classification_of(stack) == _expected(
            config.classification.rating_for(account.name, account.ou)
        )
    baseline = config.classification.baseline_rating(config.organization.accounts)
    assert classification_of(lz.baseline.stack) == _expected(baseline)


def test_backup_resources_carry_the_baseline_rating(default_synth) -> None:
    config = load_config()
    expected = _expected(config.classification.baseline_rating(config.organization.accounts))
    checked = 0
    paths = {
        r["logical_id"]: r["path"] for r in default_synth.manifest["resources"] if r["stack"] == BASELINE
    }
    for _, lid, resource in _taggable({BASELINE: default_synth.template(BASELINE)}):
        path = paths.get(lid) or ""
        if (
            "/BackupVault/" in path
            or "/BackupPlan" in path
            or "/RestoreTesting" in path
            or "/BackupServiceRole/" in path
        ):
            assert {k: _tags(resource)[k] for k in CLASSIFICATION_TAGS} == expected, path
            checked += 1
    assert checked >= 6


def test_the_classification_rule_passes_in_every_template(default_synth) -> None:
    results = [
        e
        for m in default_synth.manifest["measures"]
        if m["id"] == "5.12.01"
        for e in m["evidence"]
        if e["rule"] == RULE
    ]
    assert results and all(e["result"] == "pass" for e in results)
    # every template, except the network's spoke stacks: they hold only routes, route table
    # associations and propagations, which carry no tags (nothing to classify)
    untaggable = {
        "AWS::EC2::Route",
        "AWS::EC2::TransitGatewayRouteTableAssociation",
        "AWS::EC2::TransitGatewayRouteTablePropagation",
    }
    spoke_stacks = {name for name in default_synth.templates if "-spokes-" in name}
    assert spoke_stacks
    for name in spoke_stacks:
        assert {r["Type"] for r in default_synth.templates[name]["Resources"].values()} <= untaggable
    assert {e["stack"] for e in results} == set(default_synth.templates) - spoke_stacks
    assert not [v for v in default_synth.manifest["violations"] if v["rule"] == RULE]
    measure = next(m for m in default_synth.manifest["measures"] if m["id"] == "5.12.01")
    # organisational (a classification scheme): the tags are evidence, the scheme needs an attestation
    assert measure["status"] in ("awaiting_attestation", "partially_implemented", "unattested")
    assert "verified" in measure["evidence_kinds"]


def test_the_tagger_is_attached_to_the_app_and_the_baseline_stage() -> None:
    app = cdk.App()
    lz = LandingZone(app, load_config(), components=["classification"])
    for scope in (app, lz.baseline.stage):
        assert any(isinstance(a, ClassificationTagger) for a in cdk.Aspects.of(scope).all), scope.node.path


@pytest.fixture(scope="module")
def untagged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The landing zone without any classification: no stack ratings, no component, no tagger."""
    import json

    outdir: Path = tmp_path_factory.mktemp("untagged-lz")
    config = load_config()
    components = [c for c in COMPONENTS if c != "classification"]
    app = cdk.App(outdir=str(outdir), context={"bio2:reportOnly": "true"})
    LandingZone(app, config, components=components)
    Bio2(app, scope=bio2_scope(config))
    app.synth()
    return json.loads((outdir / "bio2" / "manifest.json").read_text(encoding="utf-8"))


def test_without_classification_the_rule_fails_everywhere(untagged: dict[str, Any], default_synth) -> None:
    failures = [v for v in untagged["violations"] if v["rule"] == RULE]
    assert failures
    assert all(v["level"] == "error" and not v["acknowledged"] for v in failures)
    # the stacks whose resources nobody else classifies fail (the network component tags its own
    # VPC resources, so some of those still pass)
    assert {"lz-member-baseline", "lz-management-eu-central-1", "lz-log-archive-eu-central-1"} <= {
        v["stack"] for v in failures
    }
    measure = next(m for m in untagged["measures"] if m["id"] == "5.12.01")
    assert measure["status"] in ("gap", "partially_implemented")
    assert measure["open_violations"] == len(failures)
