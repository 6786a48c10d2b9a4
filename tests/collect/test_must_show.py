"""Issue 19, Must show: 3 accounts x 2 regions, one Config rule turns NON_COMPLIANT.

The affected measures are downgraded in the new manifest, the register names the account,
resource and observation time, and ``bio2 diff`` exits 1. Every AWS call is answered by a
botocore Stubber (requests validated against the service models).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from bio2_aspects.cli import build_parser, main
from bio2_aspects.collect import cli as collect_cli
from bio2_aspects.evidence.register import render_register_csv
from bio2_aspects.evidence.schema import manifest_schema
from tests.collect import aws
from tests.collect.aws import ACCOUNTS, AGGREGATOR, HOME, REGIONS

RULES = (
    "cloud-trail-log-file-validation-enabled",
    "s3-bucket-ssl-requests-only",
    "s3-bucket-versioning-enabled",
)
RED_RULE, RED_ACCOUNT, RED_REGION = "s3-bucket-ssl-requests-only", "222222222222", "eu-west-1"
RED_BUCKET = "finance-reports-222222222222"
RED_TIME = "2026-12-05T14:03:11Z"
COLLECTED_AT = "2026-12-06T06:00:00Z"


def world(red: bool) -> aws.StubbedAws:
    """The organisation's monitors: everything compliant, or one rule red in one account/region."""
    stub = aws.StubbedAws()
    stub.add("config", HOME, "describe_configuration_aggregators", aws.aggregators(), {})
    rows = [
        aws.rule_row(
            rule,
            account,
            region,
            "NON_COMPLIANT"
            if red and (rule, account, region) == (RED_RULE, RED_ACCOUNT, RED_REGION)
            else "COMPLIANT",
        )
        for rule in RULES
        for account in ACCOUNTS
        for region in REGIONS
    ]
    # two pages: the paginator must follow NextToken
    stub.add(
        "config",
        HOME,
        "describe_aggregate_compliance_by_config_rules",
        {"AggregateComplianceByConfigRules": rows[:9], "NextToken": "page-2"},
        {"ConfigurationAggregatorName": AGGREGATOR},
    )
    stub.add(
        "config",
        HOME,
        "describe_aggregate_compliance_by_config_rules",
        {"AggregateComplianceByConfigRules": rows[9:]},
        {"ConfigurationAggregatorName": AGGREGATOR, "NextToken": "page-2"},
    )
    if red:
        stub.add(
            "config",
            HOME,
            "get_aggregate_compliance_details_by_config_rule",
            {
                "AggregateEvaluationResults": [
                    aws.evaluation(RED_RULE, RED_ACCOUNT, RED_REGION, "AWS::S3::Bucket", RED_BUCKET, RED_TIME)
                ]
            },
            {
                "ConfigurationAggregatorName": AGGREGATOR,
                "ConfigRuleName": RED_RULE + aws.PACK_SUFFIX,
                "AccountId": RED_ACCOUNT,
                "AwsRegion": RED_REGION,
                "ComplianceType": "NON_COMPLIANT",
            },
        )
    for region in REGIONS:
        for _ in range(aws.securityhub_requests()):
            stub.add("securityhub", region, "get_findings", {"Findings": []})
    for region in REGIONS:
        stub.add("guardduty", region, "list_detectors", {"DetectorIds": ["d1"]})
        stub.add("guardduty", region, "list_findings", {"FindingIds": []})
    for region in REGIONS:
        stub.add(
            "accessanalyzer", region, "list_analyzers", aws.aa_analyzer(region), {"type": "ORGANIZATION"}
        )
        stub.add("accessanalyzer", region, "list_findings", {"findings": []})
    for region in REGIONS:
        jobs = [
            aws.backup_job(
                a,
                region,
                f"arn:aws:dynamodb:{region}:{a}:table/orders",
                "COMPLETED",
                "2026-12-05T01:00:00Z",
                "2026-12-05T01:20:00Z",
            )
            for a in ACCOUNTS
        ]
        stub.add("backup", region, "list_backup_jobs", {"BackupJobs": jobs})
    for region in REGIONS:
        restores = [
            aws.restore_job(a, region, "COMPLETED", "2026-11-20T03:00:00Z", "2026-11-20T03:40:00Z")
            for a in ACCOUNTS
        ]
        stub.add("backup", region, "list_restore_jobs", {"RestoreJobs": restores})
    return stub


def collect(manifest: Path, out: Path, stub: aws.StubbedAws, *extra: str) -> int:
    args = build_parser().parse_args(
        [
            "collect",
            str(manifest),
            "--out",
            str(out),
            "--home-region",
            HOME,
            "--regions",
            ",".join(REGIONS),
            "--collected-at",
            COLLECTED_AT,
            "--quiet",
            *extra,
        ]
    )
    code = collect_cli.run(args, clients=stub)
    stub.assert_done()
    return code


def measure(manifest: dict[str, Any], mid: str) -> dict[str, Any]:
    return next(m for m in manifest["measures"] if m["id"] == mid)


def test_one_red_rule_downgrades_names_where_and_fails_the_diff(
    tmp_path: Path, design_path: Path, design_manifest: dict[str, Any], capsys: Any
) -> None:
    green_path, red_path = tmp_path / "green.json", tmp_path / "red.json"
    assert collect(design_path, green_path, world(red=False)) == 0
    assert collect(green_path, red_path, world(red=True), "--previous", str(green_path)) == 0
    green = json.loads(green_path.read_text(encoding="utf-8"))
    red = json.loads(red_path.read_text(encoding="utf-8"))
    schema = manifest_schema()
    jsonschema.validate(green, schema)
    jsonschema.validate(red, schema)

    # all green: nothing changes status (run-time evidence never upgrades either)
    for m in design_manifest["measures"]:
        assert measure(green, m["id"])["status"] == m["status"], m["id"]
    assert measure(green, "8.21.04")["runtime"]["state"] == "compliant"
    assert green["audit"]["collection"]["accounts"] == 3
    assert green["audit"]["collection"]["collected_at"] == COLLECTED_AT

    # the red rule maps to 8.21.04 only: it is downgraded, says where and since when
    assert design_manifest and measure(design_manifest, "8.21.04")["status"] == "awaiting_attestation"
    m = measure(red, "8.21.04")
    assert m["status"] == "partially_implemented"
    assert m["headline"] == "partially_implemented"
    assert m["runtime"]["downgraded"] is True
    assert m["runtime"]["design"]["status"] == "awaiting_attestation"
    assert m["runtime"]["non_compliant_since"] == RED_TIME
    assert next(f for f in m["facets"] if f["id"] == "8.21.04.t1")["state"] == "partial"
    assert "8.21.04.t1" in m["missing_facets"]
    reds = [i for i in m["evidence"] if i["kind"] == "runtime" and i["result"] == "fail"]
    assert [(i["account"], i["region"], i["logical_id"], i["observed_at"]) for i in reds] == [
        (RED_ACCOUNT, RED_REGION, RED_BUCKET, RED_TIME)
    ]
    assert red["audit"]["collection"]["measures_downgraded"] == ["8.21.04"]
    # the other measures of the table keep their design status (their monitors are green)
    for mid in ("8.15.05", "8.15.06", "8.13.01", "8.13.04", "8.16.04"):
        assert measure(red, mid)["status"] == measure(design_manifest, mid)["status"], mid
    # the control rolls up again: 8.21 takes the worst of its measures
    control = next(c for c in red["controls"] if c["id"] == "8.21")
    assert control["measures_by_status"].get("partially_implemented", 0) >= 1
    assert red["totals"]["measures_by_status"]["partially_implemented"] == (
        design_manifest["totals"]["measures_by_status"]["partially_implemented"] + 1
    )

    # the register names account, resource and observation time, in both languages
    for lang, word in (("en", "since"), ("nl", "sinds")):
        csv = render_register_csv(red, lang).decode("utf-8-sig")
        row = next(line for line in csv.split("\r\n") if line.startswith("8.21.04,"))
        assert RED_ACCOUNT in row and RED_BUCKET in row and RED_TIME in row and word in row, row

    # bio2 diff: the measure turned red -> regression, exit 1; green after design: exit 0
    capsys.readouterr()
    assert main(["diff", str(green_path), str(red_path)]) == 1
    text = capsys.readouterr().out
    assert RED_BUCKET in text and RED_ACCOUNT in text
    assert main(["diff", str(design_path), str(green_path)]) == 0
    capsys.readouterr()
    assert main(["diff", str(green_path), str(red_path), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    entry = next(d for d in data["measures"] if d["id"] == "8.21.04")
    assert entry["turned_red"][0]["resource"] == RED_BUCKET
    assert entry["regression"] is True


def test_green_again_restores_the_design_status(tmp_path: Path, design_path: Path) -> None:
    red_path, again = tmp_path / "red.json", tmp_path / "again.json"
    assert collect(design_path, red_path, world(red=True)) == 0
    assert collect(red_path, again, world(red=False)) == 0
    m = measure(json.loads(again.read_text(encoding="utf-8")), "8.21.04")
    assert m["status"] == "awaiting_attestation"
    assert m["runtime"]["state"] == "compliant"
    assert main(["diff", str(red_path), str(again)]) == 0


def test_same_responses_give_the_same_bytes(tmp_path: Path, design_path: Path) -> None:
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    assert collect(design_path, one, world(red=True)) == 0
    assert collect(design_path, two, world(red=True)) == 0
    assert one.read_bytes() == two.read_bytes()


def test_since_is_carried_from_the_previous_collection(tmp_path: Path, design_path: Path) -> None:
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    assert collect(design_path, first, world(red=True)) == 0
    earlier = json.loads(first.read_text(encoding="utf-8"))
    for m in earlier["measures"]:
        for i in m["evidence"]:
            if i["kind"] == "runtime" and i["result"] == "fail":
                i["first_observed"] = "2026-11-30T00:00:00Z"
    first.write_text(json.dumps(earlier), encoding="utf-8")
    assert collect(design_path, second, world(red=True), "--previous", str(first)) == 0
    m = measure(json.loads(second.read_text(encoding="utf-8")), "8.21.04")
    assert m["runtime"]["non_compliant_since"] == "2026-11-30T00:00:00Z"


def test_every_report_renders_a_collected_manifest(tmp_path: Path, design_path: Path, capsys: Any) -> None:
    red_path = tmp_path / "red.json"
    assert collect(design_path, red_path, world(red=True)) == 0
    for lang in ("en", "nl"):
        out = tmp_path / f"reports-{lang}"
        assert main(["report", str(red_path), "--out", str(out), "--lang", lang]) == 0, (
            capsys.readouterr().err
        )
        html = (out / "report.html").read_text(encoding="utf-8")
        assert RED_BUCKET in html
    assert main(["validate", str(red_path)]) == 0


def test_diff_runtime_rules(tmp_path: Path, design_path: Path, capsys: Any) -> None:
    """Compliant observations that come and go are no regression; a red one turning green is
    reported; a collected manifest against a new design-time one is no regression."""
    green, red, fewer = tmp_path / "green.json", tmp_path / "red.json", tmp_path / "fewer.json"
    assert collect(design_path, green, world(red=False)) == 0
    assert collect(design_path, red, world(red=True)) == 0
    data = json.loads(green.read_text(encoding="utf-8"))
    for m in data["measures"]:  # an account left the organisation: its compliant rows are gone
        m["evidence"] = [
            i for i in m["evidence"] if (i["kind"], i.get("account")) != ("runtime", "333333333333")
        ]
    fewer.write_text(json.dumps(data), encoding="utf-8")
    assert main(["diff", str(green), str(fewer)]) == 0
    capsys.readouterr()
    assert main(["diff", str(red), str(green), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    entry = next(d for d in out["measures"] if d["id"] == "8.21.04")
    assert entry["turned_green"][0]["resource"] == RED_BUCKET and entry["direction"] == "better"
    assert main(["diff", str(red), str(design_path)]) == 0


def test_the_summary_names_red_measures(tmp_path: Path, design_path: Path) -> None:
    from bio2_aspects.evidence.summary import render_summary

    red_path = tmp_path / "red.json"
    assert collect(design_path, red_path, world(red=True)) == 0
    red = json.loads(red_path.read_text(encoding="utf-8"))
    text = render_summary(red, "nl")
    row = next(line for line in text.splitlines() if line.startswith("| 8.21.04 |"))
    assert RED_ACCOUNT in row and RED_BUCKET in row and RED_TIME in row
    assert "Verzameld op: " + COLLECTED_AT in text
    design = json.loads(design_path.read_text(encoding="utf-8"))
    assert "Run-time" not in render_summary(design, "en")


def test_the_collected_manifest_is_written_through_write_file(
    tmp_path: Path, design_path: Path, monkeypatch: Any
) -> None:
    """``bio2 collect`` writes its manifest as every evidence file is written
    (``evidence.common.write_file``: unbuffered, in calls of at most ``WRITE_CHUNK`` bytes)."""
    import io

    from bio2_aspects.evidence import common

    opened: list[tuple[str, type]] = []

    def recording_open(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        fh = open(path, mode, *args, **kwargs)  # noqa: SIM115 - handed to the caller's with-block
        opened.append((Path(path).name, type(fh)))
        return fh

    monkeypatch.setattr(common, "open", recording_open, raising=False)
    out = tmp_path / "collected.json"
    assert collect(design_path, out, world(red=True)) == 0
    assert opened == [("collected.json.tmp", io.FileIO)]  # written beside, then renamed into place
    assert json.loads(out.read_text(encoding="utf-8"))["audit"]["collection"]
