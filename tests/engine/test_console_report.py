"""What ``Bio2`` hands to CDK's validation report (the console): every error that fails the synth
with every resource; warnings (and, in report-only mode, errors) with at most
``resources_per_warning`` resources each and where all of them are. The manifest keeps them all."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_sns as sns

from bio2_aspects import Bio2
from bio2_aspects.evidence.manifest import Violation
from bio2_aspects.pack import DEFAULT_RESOURCES_PER_WARNING, Bio2Plugin, cdk_violations

ENV = cdk.Environment(account="123456789012", region="eu-central-1")


def _v(
    rule: str, level: str, lid: str, *, acknowledged: str | None = None, acceptance: Any = None
) -> Violation:
    return Violation(
        rule=rule,
        level=level,
        stack="App",
        template="App.template.json",
        path=f"App/{lid}/Resource",
        logical_id=lid,
        resource_type="AWS::SNS::Topic",
        detail="KmsMasterKeyId is not set",
        finding="SNS topic is not encrypted",
        fix="Set KmsMasterKeyId",
        acknowledged=acknowledged,
        acceptance=acceptance,
    )


def _listed(violations: list[cdk.PolicyViolation]) -> dict[tuple[str, str], list[str]]:
    return {
        (v.rule_name, v.severity): [r.resource_logical_id for r in v.violating_resources] for v in violations
    }


def test_errors_list_every_resource_warnings_at_most_the_limit(tmp_path: Path) -> None:
    found = [_v("BIO2-A", "error", f"E{i:02d}") for i in range(25)]
    found += [_v("BIO2-B", "warning", f"W{i:02d}") for i in range(25)]
    out, failed = cdk_violations(found, tmp_path, tmp_path / "bio2", 10)
    listed = _listed(out)
    assert failed
    assert listed[("BIO2-A", "error")] == [f"E{i:02d}" for i in range(25)]
    assert listed[("BIO2-B", "warning")] == [f"W{i:02d}" for i in range(10)]
    warning = next(v for v in out if v.rule_name == "BIO2-B")
    assert "25 resources, 10 listed here" in warning.description
    assert "manifest.json" in warning.description
    error = next(v for v in out if v.rule_name == "BIO2-A")
    assert "listed here" not in error.description


def test_report_only_hands_errors_over_as_capped_warnings(tmp_path: Path) -> None:
    found = [_v("BIO2-A", "error", f"E{i:02d}") for i in range(25)]
    out, failed = cdk_violations(found, tmp_path, tmp_path / "bio2", 10, report_only=True)
    assert failed  # the manifest's verdict; the plugin reports success in report-only mode
    assert _listed(out) == {("BIO2-A", "warning"): [f"E{i:02d}" for i in range(10)]}


def test_acknowledged_and_accepted_resources(tmp_path: Path) -> None:
    found = [
        _v("BIO2-A", "error", f"E{i:02d}", acknowledged="accepted by the CISO on 2026-10-01")
        for i in range(15)
    ]
    found += [_v("BIO2-A", "error", "Open")]
    found += [_v("BIO2-C", "error", "Cfg", acknowledged="config acceptance", acceptance={"rule": "BIO2-C"})]
    out, failed = cdk_violations(found, tmp_path, tmp_path / "bio2", 10)
    listed = _listed(out)
    assert failed  # "Open" is not acknowledged
    # the open error first and in full, then the acknowledged ones up to the limit (CDK shows them suppressed)
    assert listed[("BIO2-A", "error")] == ["Open", *[f"E{i:02d}" for i in range(10)]]
    assert ("BIO2-C", "error") not in listed  # accepted in the config: CDK knows no construct for it
    only_acknowledged = [v for v in found if v.logical_id != "Open"]
    assert cdk_violations(only_acknowledged, tmp_path, tmp_path / "bio2", 10)[1] is False


def test_none_lists_every_resource_and_the_limit_must_be_positive(tmp_path: Path) -> None:
    found = [_v("BIO2-B", "warning", f"W{i:02d}") for i in range(25)]
    out, _ = cdk_violations(found, tmp_path, tmp_path / "bio2", None)
    assert len(_listed(out)[("BIO2-B", "warning")]) == 25
    assert "listed here" not in out[0].description
    with pytest.raises(ValueError, match="resources_per_warning=0"):
        Bio2Plugin(resources_per_warning=0)
    assert DEFAULT_RESOURCES_PER_WARNING == 10


def test_cdk_report_of_a_synth_is_capped_and_the_manifest_keeps_all(tmp_path: Path) -> None:
    app = cdk.App(outdir=str(tmp_path))
    stack = cdk.Stack(app, "Topics", env=ENV)
    for i in range(14):
        sns.Topic(stack, f"Topic{i}")
    bio2 = Bio2(app, report_only=True, resources_per_warning=3)
    app.synth()
    report = json.loads((tmp_path / "validation-report.json").read_text(encoding="utf-8"))
    ours = [p for p in report["pluginReports"] if p["pluginName"] == "BIO2"]
    assert ours and ours[0]["violations"]
    for violation in ours[0]["violations"]:
        assert len(violation["violatingConstructs"]) <= 3, violation["ruleName"]
    manifest = bio2.manifest
    assert manifest is not None
    kms = [v for v in manifest["violations"] if v["rule"] == "BIO2-SNS-KmsEncryption"]
    assert len(kms) == 14  # the manifest keeps every finding
