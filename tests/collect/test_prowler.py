"""Optional input: Prowler OCSF JSON (the shape Prowler v4/v5 writes with ``-M json-ocsf``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bio2_aspects.cli import build_parser
from bio2_aspects.collect import cli as collect_cli
from bio2_aspects.collect.prowler import read_ocsf
from tests.collect.aws import StubbedAws


def ocsf(check: str, status: str, account: str, region: str, uid: str, muted: bool = False) -> dict[str, Any]:
    return {
        "message": f"{check} {status}",
        "metadata": {
            "event_code": check,
            "product": {"name": "Prowler", "uid": "prowler", "vendor_name": "Prowler", "version": "5.10.0"},
            "profiles": ["cloud", "datetime"],
            "version": "1.4.0",
        },
        "severity_id": 4,
        "severity": "High",
        "status": "Suppressed" if muted else "New",
        "status_code": status,
        "status_detail": f"{uid} is {'not ' if status == 'FAIL' else ''}protected",
        "status_id": 3 if muted else 1,
        "activity_name": "Create",
        "activity_id": 1,
        "finding_info": {
            "created_time": 1764993600,
            "created_time_dt": "2026-12-06T04:00:00.000000",
            "desc": "stubbed",
            "title": check,
            "uid": f"prowler-aws-{check}-{account}-{region}-{uid}",
        },
        "resources": [
            {
                "cloud_partition": "aws",
                "region": region,
                "group": {"name": check.split("_")[0]},
                "type": "AwsS3Bucket",
                "uid": uid,
                "name": uid.rsplit(":", 1)[-1],
            }
        ],
        "category_name": "Findings",
        "category_uid": 2,
        "class_name": "Detection Finding",
        "class_uid": 2004,
        "cloud": {
            "account": {"uid": account, "type": "AWS Account", "type_id": 10},
            "region": region,
            "provider": "aws",
        },
        "time": 1764993600,
        "time_dt": "2026-12-06T04:00:00.000000",
        "type_uid": 200401,
        "type_name": "Detection Finding: Create",
    }


def test_mapped_checks_pass_and_fail_muted_and_unknown_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "prowler.ocsf.json"
    findings = [
        ocsf("s3_bucket_object_lock", "FAIL", "111111111111", "eu-central-1", "arn:aws:s3:::backups"),
        ocsf("s3_bucket_object_lock", "PASS", "111111111111", "eu-central-1", "arn:aws:s3:::locked"),
        ocsf(
            "s3_bucket_object_lock", "FAIL", "111111111111", "eu-central-1", "arn:aws:s3:::muted", muted=True
        ),
        ocsf(
            "iam_root_mfa_enabled", "FAIL", "111111111111", "eu-central-1", "arn:aws:iam::111111111111:root"
        ),
        ocsf("backup_plans_exist", "MANUAL", "111111111111", "eu-central-1", "arn:aws:backup"),
    ]
    path.write_text(json.dumps(findings), encoding="utf-8")
    obs = read_ocsf([str(path)])
    assert [(o.monitor, o.resource, o.compliance, o.observed_at) for o in obs] == [
        ("prowler:s3_bucket_object_lock", "arn:aws:s3:::backups", "NON_COMPLIANT", "2026-12-06T04:00:00Z"),
        ("prowler:s3_bucket_object_lock", "arn:aws:s3:::locked", "COMPLIANT", "2026-12-06T04:00:00Z"),
    ]


def test_prowler_only_collection_downgrades_its_measure(tmp_path: Path, design_path: Path) -> None:
    path = tmp_path / "prowler.ocsf.json"
    path.write_text(
        json.dumps(
            [ocsf("s3_bucket_object_lock", "FAIL", "222222222222", "eu-west-1", "arn:aws:s3:::backups")]
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out.json"
    args = build_parser().parse_args(
        [
            "collect",
            str(design_path),
            "--out",
            str(out),
            "--home-region",
            "eu-central-1",
            "--sources",
            "",
            "--prowler",
            str(path),
            "--collected-at",
            "2026-12-06T06:00:00Z",
            "--quiet",
        ]
    )
    stub = StubbedAws()
    assert collect_cli.run(args, clients=stub) == 0
    assert stub.calls == []  # no AWS call at all
    manifest = json.loads(out.read_text(encoding="utf-8"))
    m = next(m for m in manifest["measures"] if m["id"] == "8.13.01")
    assert m["runtime"]["state"] == "non_compliant"
    assert manifest["audit"]["collection"]["sources"] == ["prowler"]


def test_a_file_that_is_not_ocsf_exits_2(tmp_path: Path, design_path: Path, capsys: Any) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"not": "a list"}', encoding="utf-8")
    args = build_parser().parse_args(
        [
            "collect",
            str(design_path),
            "--out",
            str(tmp_path / "o.json"),
            "--home-region",
            "eu-central-1",
            "--sources",
            "",
            "--prowler",
            str(path),
            "--quiet",
        ]
    )
    assert collect_cli.run(args, clients=StubbedAws()) == 2
    assert "not Prowler OCSF output" in capsys.readouterr().err
    assert not (tmp_path / "o.json").exists()
