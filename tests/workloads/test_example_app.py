"""The example app-team app (examples/app_team) synthesizes with zero BIO2 and zero AwsSolutions errors."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import aws_cdk as cdk
import pytest

pytestmark = pytest.mark.synth

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "app_team" / "app.py"


def test_example_app_synthesizes_clean(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("example_app_team", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    app = cdk.App(outdir=str(tmp_path))
    module.build(app)
    app.synth()  # raises on any unacknowledged BIO2 or AwsSolutions error
    report = json.loads((tmp_path / "validation-report.json").read_text(encoding="utf-8"))
    errors = [
        f"{p['pluginName']}: {v['ruleName']}"
        for p in report["pluginReports"]
        for v in p["violations"]
        if v["severity"] == "error"
    ]
    assert not errors, errors
    manifest = json.loads((tmp_path / "bio2" / "manifest.json").read_text(encoding="utf-8"))
    assert not [v for v in manifest["violations"] if v["level"] == "error" and not v["acknowledged"]]
    types = {
        r["Type"] for r in json.loads((tmp_path / "Permits.template.json").read_text())["Resources"].values()
    }
    for expected in (
        "AWS::WAFv2::WebACLAssociation",
        "AWS::ECS::Service",
        "AWS::RDS::DBInstance",
        "AWS::SecretsManager::RotationSchedule",
        "AWS::SQS::Queue",
        "AWS::Lambda::Function",
        "AWS::DynamoDB::Table",
        "AWS::SNS::Topic",
    ):
        assert expected in types
