"""BIO2 evidence of central logging, and that it goes away when a guarantee is removed.

Each guarantee is turned off once, through the configuration (a variant landing zone) or by
changing the synthesized resource and evaluating the rules again, and the measure must lose its
evidence or get a violation. No false claims: the logging constructs declare nothing else.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from logging_testkit import (
    default_config as load_default_config,
)
from logging_testkit import (
    evidence,
    is_logging_path,
    log_archive_stack,
    logging_config,
    logical_id,
    management_stack,
    synth,
)

from bio2_aspects.engine import RuleSet, build_view, evaluate_stack, satisfied_measures
from bio2_aspects.rules.base import Result
from bio2_aspects.rules.logs import MIN_LOG_RETENTION_DAYS
from landing_zone.logging.archive import RISK_BASED_RETENTION_DAYS, SYSTEM_UTILITY_LOG_DAYS

pytestmark = pytest.mark.synth

LOG_BUCKET = "/LogArchive/Bucket/Resource"
#: Measures the default landing zone evidences through a passing rule on a logging resource.
VERIFIED = ("8.15.01", "8.15.05", "8.15.06", "5.18.01", "5.33.01", "8.24.02", "8.24.04")
#: Measures evidenced by the log bucket's Object Lock (COMPLIANCE) retention.
PREVENTIVE = ("8.15.04", "8.18.02")


def _passes(synth: Any, measure: str, kind: str) -> list[dict[str, Any]]:
    return [e for e in evidence(synth, measure) if e["kind"] == kind and e["result"] in ("pass", "declared")]


def _preventive_on_bucket(synth: Any, cfg: Any, measure: str) -> bool:
    bucket = logical_id(synth, log_archive_stack(cfg), LOG_BUCKET)
    return any(e["logical_id"] == bucket for e in _passes(synth, measure, "preventive"))


def _open(synth: Any, stack: str, lid: str, rule: str) -> list[dict[str, Any]]:
    return [
        v
        for v in synth.manifest["violations"]
        if v["stack"] == stack and v["logical_id"] == lid and v["rule"] == rule and not v["acknowledged"]
    ]


@pytest.fixture(scope="module")
def governance(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    """GOVERNANCE mode (bypassable), with CloudWatch delivery and a Firehose SIEM export."""
    cfg = logging_config(
        object_lock_mode="GOVERNANCE",
        organization_id=None,
        insights=True,
        cloudwatch_delivery=True,
        siem={
            "type": "firehose",
            "endpoint_url": "https://siem.voorbeeldstad.example/ingest",
            "secret_arn": "arn:aws:secretsmanager:eu-central-1:111111111111:secret:siem-AbCdEf",
        },
    )
    return cfg, synth(Path(tmp_path_factory.mktemp("lz-governance")), cfg)


@pytest.fixture(scope="module")
def short(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    """COMPLIANCE mode but only 200 days, no data events, no CloudWatch delivery, no SIEM."""
    cfg = logging_config(
        retention_days=200, deep_archive_after_days=None, data_events=False, cloudwatch_delivery=False
    )
    return cfg, synth(Path(tmp_path_factory.mktemp("lz-short")), cfg)


@pytest.fixture(scope="module")
def default_config() -> Any:
    return load_default_config()


# --------------------------------------------------------------------------- the default


@pytest.mark.parametrize("measure", VERIFIED)
def test_default_has_verified_evidence(default_synth: Any, measure: str) -> None:
    passes = _passes(default_synth, measure, "verified")
    assert passes, f"{measure}: no passing rule on a logging resource"


@pytest.mark.parametrize("measure", PREVENTIVE)
def test_default_retention_is_preventive_evidence(
    default_synth: Any, default_config: Any, measure: str
) -> None:
    assert _preventive_on_bucket(default_synth, default_config, measure)


def test_trail_and_bucket_evidence_in_detail(default_synth: Any, default_config: Any) -> None:
    trail = logical_id(default_synth, management_stack(default_config), "/OrganizationTrail/Trail")
    bucket = logical_id(default_synth, log_archive_stack(default_config), LOG_BUCKET)
    rules = {
        (e["logical_id"], e["rule"])
        for m in ("8.15.01", "8.15.06")
        for e in _passes(default_synth, m, "verified")
    }
    assert (trail, "BIO2-CloudTrail-IsLogging") in rules
    assert (trail, "BIO2-CloudTrail-LogFileValidation") in rules
    assert (bucket, "BIO2-S3-LogBucketObjectLock") in rules
    assert (bucket, "BIO2-S3-AccessLogging") in rules


def test_no_false_claims(default_synth: Any) -> None:
    """The logging constructs claim only the retention evidence, only on the log bucket; for 5.28.01
    only the three-year Object Lock floor, as a supporting part (the other incident information is
    kept by the incident process)."""
    declared = {
        (e["path"], m["id"])
        for m in default_synth.manifest["measures"]
        for e in m["evidence"]
        if e["kind"] in ("preventive", "detective") and is_logging_path(e["path"])
    }
    assert {measure for _, measure in declared} == {*PREVENTIVE, "5.28.01"}
    assert all(path.endswith(LOG_BUCKET) for path, _ in declared)
    logging_528 = [e for e in evidence(default_synth, "5.28.01") if is_logging_path(e["path"])]
    assert {(e["claim"], e["strength"]) for e in logging_528 if e["kind"] != "verified"} == {
        ("LZ-Logging-ObjectLockThreeYears", "supporting")
    }
    assert {e["rule"] for e in logging_528 if e["kind"] == "verified"} <= {
        "BIO2-S3-LogBucketObjectLock",
        "BIO2-S3-LogRetentionThreeYears",
    }
    assert not [d for d in default_synth.manifest["unbacked_declarations"] if is_logging_path(d["path"])]


def test_thresholds_match_the_engine_and_bio2() -> None:
    assert RISK_BASED_RETENTION_DAYS == MIN_LOG_RETENTION_DAYS
    assert SYSTEM_UTILITY_LOG_DAYS == 183  # 8.18.02: half a year


# --------------------------------------------------------------------------- guarantees removed


def test_governance_mode_loses_the_retention_evidence(governance: tuple[Any, Any]) -> None:
    cfg, synth = governance
    for measure in PREVENTIVE:
        assert not _preventive_on_bucket(synth, cfg, measure), measure
    bucket = logical_id(synth, log_archive_stack(cfg), LOG_BUCKET)
    violations = _open(synth, log_archive_stack(cfg), bucket, "BIO2-S3-LogBucketObjectLock")
    assert violations and "GOVERNANCE" in violations[0]["detail"]
    assert violations[0]["level"] == "error"


def test_cloudwatch_delivery_is_verified_not_declared(governance: tuple[Any, Any]) -> None:
    """With CloudWatch delivery, 8.15.04 and 8.18.02 come from the log group's retention rule."""
    cfg, synth = governance
    group = logical_id(synth, management_stack(cfg), "/OrganizationTrail/LogGroup")
    for measure in PREVENTIVE:
        rules = {(e["logical_id"], e["rule"]) for e in _passes(synth, measure, "verified")}
        assert (group, "BIO2-Logs-Retention") in rules
    trail = logical_id(synth, management_stack(cfg), "/OrganizationTrail/Trail")
    cw = [e for e in evidence(synth, "8.15.05") if e["rule"] == "BIO2-CloudTrail-CloudWatchLogs"]
    assert [(e["logical_id"], e["result"], e["acknowledgement_reason"]) for e in cw] == [
        (trail, "pass", None)
    ]


def test_firehose_export(governance: tuple[Any, Any]) -> None:
    cfg, synth = governance
    stack = management_stack(cfg)
    ((_, _, stream),) = synth.resources("AWS::KinesisFirehose::DeliveryStream", stack)
    props = stream["Properties"]
    assert props["DeliveryStreamEncryptionConfigurationInput"]["KeyType"] == "CUSTOMER_MANAGED_CMK"
    http = props["HttpEndpointDestinationConfiguration"]
    assert http["EndpointConfiguration"]["Url"] == cfg.logging.siem.endpoint_url
    assert http["S3BackupMode"] == "FailedDataOnly"
    assert http["SecretsManagerConfiguration"]["SecretARN"] == cfg.logging.siem.secret_arn
    ((_, _, subscription),) = synth.resources("AWS::Logs::SubscriptionFilter", stack)
    assert subscription["Properties"]["LogGroupName"] == "/lz/cloudtrail/organization"
    ((_, _, trail),) = synth.resources("AWS::CloudTrail::Trail", stack)
    assert len(trail["Properties"]["InsightSelectors"]) == 2
    mine = {stack, log_archive_stack(cfg)}
    errors = [v for v in synth.open_errors() if v["stack"] in mine and is_logging_path(v["path"])]
    assert [v["rule"] for v in errors] == ["BIO2-S3-LogBucketObjectLock"]  # only the chosen GOVERNANCE mode


def test_without_org_id_the_configured_accounts_are_admitted(governance: tuple[Any, Any]) -> None:
    cfg, synth = governance
    bucket = logical_id(synth, log_archive_stack(cfg), LOG_BUCKET)
    (policy,) = [
        r
        for _, _, r in synth.resources("AWS::S3::BucketPolicy", log_archive_stack(cfg))
        if r["Properties"]["Bucket"] == {"Ref": bucket}
    ]
    config = next(
        st for st in policy["Properties"]["PolicyDocument"]["Statement"] if st.get("Sid") == "ConfigDelivery"
    )
    assert config["Condition"]["StringEquals"]["aws:SourceAccount"] == sorted(
        a.id for a in cfg.organization.accounts
    )


def test_short_retention_loses_8_15_04_but_keeps_8_18_02(short: tuple[Any, Any]) -> None:
    cfg, synth = short
    assert not _preventive_on_bucket(synth, cfg, "8.15.04")
    assert _preventive_on_bucket(synth, cfg, "8.18.02")
    bucket = logical_id(synth, log_archive_stack(cfg), LOG_BUCKET)
    assert not _open(synth, log_archive_stack(cfg), bucket, "BIO2-S3-LogBucketObjectLock")


def test_without_a_siem_the_missing_monitoring_stays_visible(short: tuple[Any, Any]) -> None:
    """The CloudWatch warning is accepted only when a SIEM consumes the trail."""
    cfg, synth = short
    trail = logical_id(synth, management_stack(cfg), "/OrganizationTrail/Trail")
    assert _open(synth, management_stack(cfg), trail, "BIO2-CloudTrail-CloudWatchLogs")
    ((_, _, body),) = synth.resources("AWS::CloudTrail::Trail", management_stack(cfg))
    assert len(body["Properties"]["AdvancedEventSelectors"]) == 1  # management events only
    assert not synth.resources("AWS::SQS::Queue", log_archive_stack(cfg))


def _evaluate(template: dict[str, Any]) -> tuple[dict[tuple[str, str], Result], dict[str, tuple[str, ...]]]:
    results = evaluate_stack(build_view("variant", template["Resources"]), RuleSet())
    return {(r.logical_id, r.rule.id): r.result for r in results}, satisfied_measures(results)


@pytest.mark.parametrize(
    ("prop", "value", "rule", "measures"),
    [
        ("EnableLogFileValidation", False, "BIO2-CloudTrail-LogFileValidation", ("8.15.05", "8.15.06")),
        ("IsMultiRegionTrail", False, "BIO2-CloudTrail-MultiRegion", ("5.18.01",)),
        ("KMSKeyId", None, "BIO2-CloudTrail-KmsEncryption", ("8.24.02",)),
    ],
)
def test_trail_without_a_guarantee_loses_its_measures(
    default_synth: Any, default_config: Any, prop: str, value: Any, rule: str, measures: tuple[str, ...]
) -> None:
    template = copy.deepcopy(default_synth.template(management_stack(default_config)))
    trail = logical_id(default_synth, management_stack(default_config), "/OrganizationTrail/Trail")
    before, _ = _evaluate(template)
    assert before[(trail, rule)] is Result.COMPLIANT
    if value is None:
        del template["Resources"][trail]["Properties"][prop]
    else:
        template["Resources"][trail]["Properties"][prop] = value
    after, satisfied_after = _evaluate(template)
    assert after[(trail, rule)] is Result.NON_COMPLIANT
    for measure in measures:
        assert measure not in satisfied_after.get(trail, ())


def test_log_bucket_without_object_lock_loses_its_measures(default_synth: Any, default_config: Any) -> None:
    template = copy.deepcopy(default_synth.template(log_archive_stack(default_config)))
    bucket = logical_id(default_synth, log_archive_stack(default_config), LOG_BUCKET)
    _, satisfied = _evaluate(template)
    assert {"8.15.06", "5.33.01"} <= set(satisfied[bucket])
    props = template["Resources"][bucket]["Properties"]
    del props["ObjectLockEnabled"], props["ObjectLockConfiguration"]
    after, satisfied = _evaluate(template)
    assert after[(bucket, "BIO2-S3-LogBucketObjectLock")] is Result.NON_COMPLIANT
    assert "8.15.06" not in satisfied.get(bucket, ())
