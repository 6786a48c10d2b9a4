"""Every workload construct with its defaults: zero BIO2 errors and zero AwsSolutions errors, and
the classification (and backup) tags from its rating on every taggable resource."""

from __future__ import annotations

import pytest
from workloads_builders import BUILDERS
from workloads_testkit import Findings, synth_with_packs

from bio2_aspects.rules.tagging import supports_tags

pytestmark = pytest.mark.synth

CLASSIFICATION_KEYS = ("bio2:confidentiality", "bio2:integrity", "bio2:availability")


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> Findings:
    return synth_with_packs(tmp_path_factory.mktemp("workloads"), BUILDERS)


@pytest.mark.parametrize("stack", sorted(BUILDERS))
def test_defaults_have_no_bio2_errors(findings: Findings, stack: str) -> None:
    assert not findings.bio2_errors.get(stack), "\n".join(findings.bio2_errors[stack])


@pytest.mark.parametrize("stack", sorted(BUILDERS))
def test_defaults_have_no_aws_solutions_errors(findings: Findings, stack: str) -> None:
    assert not findings.nag_errors.get(stack), "\n".join(findings.nag_errors[stack])


@pytest.mark.parametrize("stack", sorted(BUILDERS))
def test_defaults_leave_only_expected_bio2_warnings(findings: Findings, stack: str) -> None:
    # S3 cannot deliver server access logs into an Object Lock bucket, so an access-log bucket never
    # meets the three-year lock of 5.28.01: a warning the app team sees and decides on
    access_logs = "BIO2-S3-LogRetentionThreeYears"
    expected = {
        "Web": {
            "BIO2-Shield-Protection",
            "BIO2-EC2-DefaultSgRestricted",
            "BIO2-EC2-SubnetNoAutoPublicIp",
            access_logs,
        },
        "Bucket": {access_logs},
    }
    rules = {w.split(" ", 1)[0] for w in findings.bio2_warnings.get(stack, [])}
    assert rules <= expected.get(stack, set()), findings.bio2_warnings.get(stack)


@pytest.mark.parametrize("stack", sorted(BUILDERS))
def test_every_resource_carries_classification_and_backup_tags(findings: Findings, stack: str) -> None:
    missing = []
    for logical_id, body in findings.templates[stack]["Resources"].items():
        if not supports_tags(body["Type"]) or body["Type"].startswith("Custom::"):
            continue
        raw = (body.get("Properties") or {}).get("Tags") or []
        tags = {t["Key"]: t["Value"] for t in raw} if isinstance(raw, list) else dict(raw)
        absent = [k for k in CLASSIFICATION_KEYS if k not in tags]
        if absent:
            missing.append(f"{logical_id} ({body['Type']}): {absent}")
    assert not missing, "\n".join(missing)


def test_stateful_resources_are_retained(findings: Findings) -> None:
    stateful = {
        "AWS::S3::Bucket",
        "AWS::KMS::Key",
        "AWS::Logs::LogGroup",
        "AWS::SQS::Queue",
        "AWS::DynamoDB::Table",
        "AWS::RDS::DBInstance",
        "AWS::SecretsManager::Secret",
    }
    loose = [
        f"{stack}/{lid} ({body['Type']})"
        for stack, template in findings.templates.items()
        for lid, body in template["Resources"].items()
        if body["Type"] in stateful
        and (body.get("DeletionPolicy") != "Retain" or body.get("UpdateReplacePolicy") != "Retain")
    ]
    assert not loose, loose


def test_acknowledgements_carry_reasons(findings: Findings) -> None:
    short = [s for s in findings.suppressed if len((s.get("reason") or "").strip()) < 20]
    assert not short, short
