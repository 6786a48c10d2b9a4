"""``acknowledge_nag`` without ``findings=`` covers every granular IAM finding (as documented), and
``WorkloadVpc`` passes AwsSolutions out of the box."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from cdk_nag import AwsSolutionsChecks
from workloads_testkit import ENV, synth_with_packs

from landing_zone.nag import acknowledge_nag
from landing_zone.workloads import WorkloadVpc

pytestmark = pytest.mark.synth

REASON = "The role reads objects under generated keys of its own bucket only."


def _report(tmp_path: Path, with_findings: bool | None) -> dict:
    app = cdk.App(outdir=str(tmp_path))
    stack = cdk.Stack(app, "S", env=ENV)
    role = iam.Role(stack, "R", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    if with_findings is False:
        acknowledge_nag(role, "AwsSolutions-IAM5", REASON)
    elif with_findings:
        acknowledge_nag(role, "AwsSolutions-IAM5", REASON, findings=["Action::s3:GetObject*"])
    # a grant added after the acknowledgement is covered too (the pack runs at validation time)
    role.add_to_policy(iam.PolicyStatement(actions=["s3:GetObject*"], resources=["arn:aws:s3:::b/*"]))
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    with contextlib.suppress(Exception):
        app.synth()
    report = json.loads((tmp_path / "validation-report.json").read_text(encoding="utf-8"))
    return next(p for p in report["pluginReports"] if p["pluginName"] == "AwsSolutions")


def test_without_findings_every_granular_finding_is_acknowledged_with_the_reason(tmp_path: Path) -> None:
    plugin = _report(tmp_path, with_findings=False)
    assert not plugin["violations"], plugin["violations"]
    suppressed = {s["ruleName"]: s["reason"] for s in plugin["suppressedViolations"]}
    assert set(suppressed) == {
        "AwsSolutions-IAM5[Action::s3:GetObject*]",
        "AwsSolutions-IAM5[Resource::arn:aws:s3:::b/*]",
    }
    assert set(suppressed.values()) == {REASON}


def test_named_findings_cover_only_those(tmp_path: Path) -> None:
    plugin = _report(tmp_path, with_findings=True)
    assert [v["ruleName"] for v in plugin["violations"]] == ["AwsSolutions-IAM5[Resource::arn:aws:s3:::b/*]"]


def test_workload_vpc_passes_aws_solutions(tmp_path: Path) -> None:
    def build(stack: cdk.Stack) -> None:
        WorkloadVpc(
            stack,
            "Vpc",
            cidr="10.40.0.0/20",
            transit_gateway_id="tgw-0123456789abcdef0",
            segment="production",
        )

    found = synth_with_packs(tmp_path, {"Vpc": build})
    assert not found.nag_errors, found.nag_errors
    assert not found.bio2_errors, found.bio2_errors
