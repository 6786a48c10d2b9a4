"""Control-only rules run: their results are ISO-control-level evidence, never BIO2 measure evidence.

``BIO2-RDS-MultiAz`` maps to no BIO2 measure, only to ISO/IEC 27002 control 8.14 (redundancy). The
engine runs it like any rule: a single-AZ database is a warning (the rule's level: a test or
development database may rightly run in one zone) that an app team acknowledges like other rules,
and the result is evidence for control 8.14 in the Statement of Applicability.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_rds as rds

from bio2_aspects import Bio2
from bio2_aspects.engine import RuleSet
from bio2_aspects.pack import acknowledge
from bio2_aspects.rules import CONTROL_ONLY_RULES

RULE = "BIO2-RDS-MultiAz"


def _manifest(tmp_path: Any, *, multi_az: bool, ack: bool = False) -> dict[str, Any]:
    app = cdk.App(outdir=str(tmp_path))
    stack = cdk.Stack(app, "App", env=cdk.Environment(account="123456789012", region="eu-central-1"))
    db = rds.CfnDBInstance(
        stack,
        "Db",
        engine="postgres",
        db_instance_class="db.t4g.micro",
        allocated_storage="20",
        multi_az=multi_az,
        storage_encrypted=True,
    )
    if ack:
        acknowledge(db, RULE, "Test database of the app team: one zone is enough, no production data.")
    bio2 = Bio2(app, report_only=True, tag_resources=False)
    app.synth()
    assert bio2.manifest is not None
    return bio2.manifest


def _control(manifest: dict[str, Any], control_id: str) -> dict[str, Any]:
    return next(c for c in manifest["controls"] if c["id"] == control_id)


def test_the_engine_runs_the_control_only_rules() -> None:
    ids = {r.id for r in RuleSet().rules}
    assert {r.id for r in CONTROL_ONLY_RULES} <= ids
    assert RuleSet(exclude=[RULE]).for_type("AWS::RDS::DBInstance")
    assert RULE not in {r.id for r in RuleSet(exclude=[RULE]).for_type("AWS::RDS::DBInstance")}


@pytest.mark.synth
def test_a_single_az_database_is_a_warning_and_fails_control_8_14(tmp_path: Any) -> None:
    manifest = _manifest(tmp_path, multi_az=False)
    (violation,) = [v for v in manifest["violations"] if v["rule"] == RULE]
    assert violation["level"] == "warning" and not violation["acknowledged"]
    (info,) = [r for r in manifest["rules"] if r["id"] == RULE]
    assert info["measures"] == [] and info["controls"] == ["8.14"]
    for m in manifest["measures"]:
        assert not [i for i in m["evidence"] if i.get("rule") == RULE], m["id"]
    row = _control(manifest, "8.14")
    assert [(i["rule"], i["result"]) for i in row["evidence"]] == [(RULE, "fail")]
    assert (row["technical"], row["status"]) == ("failing", "gap")
    (resource,) = [r for r in manifest["resources"] if r["type"] == "AWS::RDS::DBInstance"]
    assert not [m for m in resource["measures"] if m.startswith("8.14")]


@pytest.mark.synth
def test_an_app_team_acknowledges_it_like_other_rules(tmp_path: Any) -> None:
    manifest = _manifest(tmp_path, multi_az=False, ack=True)
    (violation,) = [v for v in manifest["violations"] if v["rule"] == RULE]
    assert violation["acknowledged"] and "one zone is enough" in violation["acknowledgement_reason"]
    assert manifest["totals"]["violations"]["open_warnings"] == sum(
        1 for v in manifest["violations"] if v["level"] == "warning" and not v["acknowledged"]
    )
    row = _control(manifest, "8.14")
    assert row["evidence"][0]["acknowledgement_reason"]
    # an accepted risk is not redundancy: the technical part still fails
    assert (row["technical"], row["status"]) == ("failing", "gap")


@pytest.mark.synth
def test_a_multi_az_database_evidences_redundancy_awaiting_attestation(tmp_path: Any) -> None:
    manifest = _manifest(tmp_path, multi_az=True)
    assert not [v for v in manifest["violations"] if v["rule"] == RULE]
    row = _control(manifest, "8.14")
    assert [(i["rule"], i["result"], i["strength"]) for i in row["evidence"]] == [(RULE, "pass", "full")]
    # one full pass without an attested continuity process: not implemented
    assert (row["technical"], row["status"]) == ("evidenced", "awaiting_attestation")
