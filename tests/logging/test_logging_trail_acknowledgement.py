"""The CloudWatch Logs warning of the trail is accepted only when a SIEM consumes the trail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from logging_testkit import logging_config

from bio2_aspects import Bio2
from landing_zone import naming
from landing_zone.app import new_app
from landing_zone.logging.trail import OrganizationTrail

pytestmark = pytest.mark.synth

RULE = "BIO2-CloudTrail-CloudWatchLogs"


def _trail_violations(outdir: Path, cfg: Any) -> list[dict[str, Any]]:
    """Synthesize only the trail (one small stack) and return its violations of RULE."""
    app = new_app(outdir=str(outdir), context={"bio2:reportOnly": "true"})
    stack = cdk.Stack(
        app,
        "trail",
        env=cdk.Environment(account=naming.management_account_id(cfg), region=cfg.regions.home),
    )
    OrganizationTrail(stack, "OrganizationTrail", config=cfg)
    bio2 = Bio2(app)
    app.synth()
    assert bio2.manifest is not None
    return [v for v in bio2.manifest["violations"] if v["rule"] == RULE]


def test_siem_instead_of_cloudwatch_is_an_accepted_risk(tmp_path: Path) -> None:
    cfg = logging_config(
        cloudwatch_delivery=False, siem={"type": "sqs", "reader_arn": "arn:aws:iam::333333333333:role/siem"}
    )
    (violation,) = _trail_violations(tmp_path, cfg)
    assert violation["acknowledged"] and "SIEM" in violation["acknowledgement_reason"]


def test_no_siem_and_no_cloudwatch_stays_open(tmp_path: Path) -> None:
    (violation,) = _trail_violations(tmp_path, logging_config(cloudwatch_delivery=False))
    assert violation["acknowledged"] is False


def test_cloudwatch_delivery_passes(tmp_path: Path) -> None:
    assert _trail_violations(tmp_path, logging_config(cloudwatch_delivery=True)) == []
