"""cdk-nag AwsSolutions and NIST 800-53 R5: no unacknowledged error on the logging constructs."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import pytest
from cdk_nag import AwsSolutionsChecks, NIST80053R5Checks
from logging_testkit import LOGGING_PATHS, default_config

from landing_zone.app import new_app
from landing_zone.assembly import LandingZone

pytestmark = pytest.mark.synth


def test_no_open_cdk_nag_error_on_logging(tmp_path: Path) -> None:
    app = new_app(outdir=str(tmp_path))
    LandingZone(app, default_config(), components=["logging"])  # the logging component only
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(), NIST80053R5Checks())
    try:
        app.synth()
    except RuntimeError as exc:  # the packs fail the synth on an open error, such as the empty baseline
        assert "ValidationFailed" in str(exc)
    report = json.loads((tmp_path / "validation-report.json").read_text(encoding="utf-8"))
    packs = {p["pluginName"]: p for p in report["pluginReports"]}
    assert {"AwsSolutions", "NIST.800.53.R5"} <= set(packs)
    open_errors = [
        (name, v["ruleName"], c["constructPath"])
        for name in ("AwsSolutions", "NIST.800.53.R5")
        for v in packs[name]["violations"]
        if v["severity"] == "error"
        for c in v["violatingConstructs"]
        if any(part in c["constructPath"] + "/" for part in LOGGING_PATHS)
    ]
    assert open_errors == []
