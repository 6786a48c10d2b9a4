"""Each run-time source, with findings, against stubbed AWS; the list of API calls; errors."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pytest
from botocore import xform_name

from bio2_aspects.cli import build_parser
from bio2_aspects.collect import cli as collect_cli
from bio2_aspects.collect import sources
from bio2_aspects.collect.sources import API_CALLS, collect
from tests.collect import aws
from tests.collect.aws import HOME, REGIONS

COLLECTED_AT = "2026-12-06T06:00:00Z"


def findings_world() -> aws.StubbedAws:
    """Every source reports something; the calls cover every entry of API_CALLS."""
    stub = aws.StubbedAws()
    stub.add("config", HOME, "describe_configuration_aggregators", aws.aggregators())
    stub.add(
        "config",
        HOME,
        "describe_aggregate_compliance_by_config_rules",
        {
            "AggregateComplianceByConfigRules": [
                aws.rule_row("restricted-ssh", "111111111111", HOME, "NON_COMPLIANT"),
                aws.rule_row("someone-elses-rule", "111111111111", HOME, "NON_COMPLIANT"),
                aws.rule_row("ec2-imdsv2-check", "111111111111", HOME, "INSUFFICIENT_DATA"),
            ]
        },
    )
    stub.add(
        "config",
        HOME,
        "get_aggregate_compliance_details_by_config_rule",
        {
            "AggregateEvaluationResults": [
                aws.evaluation(
                    "restricted-ssh",
                    "111111111111",
                    HOME,
                    "AWS::EC2::SecurityGroup",
                    "sg-0abc",
                    "2026-12-01T10:00:00Z",
                )
            ]
        },
    )
    home_finding = aws.sh_finding(
        "S3.8",
        "222222222222",
        HOME,
        "arn:aws:s3:::public-bucket",
        "2026-11-28T09:00:00Z",
        "2026-12-06T05:00:00Z",
    )
    # with cross-region aggregation both regions may return the same finding: counted once
    stub.add("securityhub", HOME, "get_findings", {"Findings": [home_finding], "NextToken": "n2"})
    stub.add("securityhub", HOME, "get_findings", {"Findings": []})
    stub.add("securityhub", "eu-west-1", "get_findings", {"Findings": [home_finding]})
    for region in REGIONS:  # the other chunks of control IDs
        for _ in range(aws.securityhub_requests() - 1):
            stub.add("securityhub", region, "get_findings", {"Findings": []})
    for region in REGIONS:
        stub.add("guardduty", region, "list_detectors", {"DetectorIds": ["d1"]})
    ids = [f"f{n:03d}" for n in range(60)]
    stub.add("guardduty", HOME, "list_findings", {"FindingIds": ids})
    first = [
        aws.gd_finding(i, "333333333333", HOME, "2026-12-04T00:00:00Z", "2026-12-06T01:00:00Z")
        for i in ids[:50]
    ]
    rest = [
        aws.gd_finding(i, "333333333333", HOME, "2026-12-04T00:00:00Z", "2026-12-06T01:00:00Z")
        for i in ids[50:]
    ]
    stub.add(
        "guardduty", HOME, "get_findings", {"Findings": first}, {"DetectorId": "d1", "FindingIds": ids[:50]}
    )
    stub.add(
        "guardduty", HOME, "get_findings", {"Findings": rest}, {"DetectorId": "d1", "FindingIds": ids[50:]}
    )
    stub.add("guardduty", "eu-west-1", "list_findings", {"FindingIds": []})
    for region in REGIONS:
        stub.add("accessanalyzer", region, "list_analyzers", aws.aa_analyzer(region))
    stub.add(
        "accessanalyzer",
        HOME,
        "list_findings",
        {
            "findings": [
                aws.aa_finding(
                    "222222222222", "arn:aws:s3:::shared", "2026-11-01T00:00:00Z", "2026-12-02T00:00:00Z"
                )
            ]
        },
    )
    stub.add("accessanalyzer", "eu-west-1", "list_findings", {"findings": []})
    table = "arn:aws:dynamodb:eu-central-1:111111111111:table/orders"
    stub.add(
        "backup",
        HOME,
        "list_backup_jobs",
        {
            "BackupJobs": [
                aws.backup_job(
                    "111111111111", HOME, table, "COMPLETED", "2026-12-04T01:00:00Z", "2026-12-04T01:10:00Z"
                ),
                aws.backup_job(
                    "111111111111", HOME, table, "FAILED", "2026-12-05T01:00:00Z", "2026-12-05T01:05:00Z"
                ),
            ]
        },
    )
    stub.add("backup", "eu-west-1", "list_backup_jobs", {"BackupJobs": []})
    stub.add(
        "backup",
        HOME,
        "list_restore_jobs",
        {
            "RestoreJobs": [
                aws.restore_job(
                    "111111111111", HOME, "FAILED", "2026-11-20T03:00:00Z", "2026-11-20T03:40:00Z"
                )
            ]
        },
    )
    stub.add("backup", "eu-west-1", "list_restore_jobs", {"RestoreJobs": []})
    return stub


def test_every_source_with_findings() -> None:
    stub = findings_world()
    messages: list[str] = []
    obs = collect(
        stub, home_region=HOME, regions=REGIONS, collected_at=COLLECTED_AT, progress=messages.append
    )
    stub.assert_done()
    by_monitor: dict[str, list[Any]] = {}
    for o in obs:
        by_monitor.setdefault(o.monitor, []).append(o)
    assert set(by_monitor) == {
        "config:restricted-ssh",
        "securityhub:S3.8",
        "finding:guardduty-high-severity",
        "finding:access-analyzer-external-access",
        "finding:backup-job",
        "finding:restore-job",
    }
    ssh = by_monitor["config:restricted-ssh"][0]
    assert (ssh.account, ssh.resource, ssh.observed_at) == ("111111111111", "sg-0abc", "2026-12-01T10:00:00Z")
    (s3,) = by_monitor["securityhub:S3.8"]
    assert (s3.first_observed, s3.observed_at) == ("2026-11-28T09:00:00Z", "2026-12-06T05:00:00Z")
    assert len(by_monitor["finding:guardduty-high-severity"]) == 60
    (backup,) = by_monitor["finding:backup-job"]  # the latest job of the resource counts
    assert backup.compliance == "NON_COMPLIANT" and backup.observed_at == "2026-12-05T01:05:00Z"
    assert by_monitor["finding:restore-job"][0].compliance == "NON_COMPLIANT"
    assert all(o.compliance == "NON_COMPLIANT" for o in obs)
    assert messages and all(isinstance(m, str) for m in messages)


def test_securityhub_asks_for_every_control_of_the_table_in_chunks() -> None:
    from bio2_aspects.collect import table

    stub = aws.StubbedAws()
    controls = list(table.securityhub_controls())
    step = sources.SECURITYHUB_CONTROLS_PER_REQUEST
    for start in range(0, len(controls), step):
        expected = {
            "Filters": sources.securityhub_filters(controls[start : start + step]),
            "MaxResults": 100,
        }
        stub.add("securityhub", HOME, "get_findings", {"Findings": []}, expected)
    assert sources.securityhub_findings(stub, [HOME], lambda _m: None) == []
    stub.assert_done()


def test_the_calls_made_are_exactly_the_listed_read_apis() -> None:
    stub = findings_world()
    collect(stub, home_region=HOME, regions=REGIONS, collected_at=COLLECTED_AT)
    made = {(service, op) for service, op, _region in stub.calls}
    assert made == set(API_CALLS)
    # and the code calls nothing else: every operation named in sources.py is in the list
    text = Path(sources.__file__).read_text(encoding="utf-8")
    named = set(re.findall(r'_pages\(\s*client,\s*"(\w+)"', text)) | set(re.findall(r"client\.(\w+)\(", text))
    named.discard("get_paginator")
    assert named == {xform_name(op) for _s, op in API_CALLS}
    # read-only by name: no Create/Put/Update/Delete/Batch... operation
    assert all(re.match(r"(Describe|Get|List)", op) for _s, op in API_CALLS)


@functools.cache
def _design_bytes() -> bytes:
    from bio2_aspects.evidence.common import manifest_bytes
    from tests.evidence.conftest import build_fixture_manifest

    return manifest_bytes(build_fixture_manifest())


def _args(tmp_path: Path, *extra: str) -> Any:
    manifest = tmp_path / "manifest.json"
    if not manifest.exists():
        manifest.write_bytes(_design_bytes())  # a real manifest, built by the fixture's builder
    return build_parser().parse_args(
        [
            "collect",
            str(manifest),
            "--out",
            str(tmp_path / "out.json"),
            "--home-region",
            HOME,
            "--quiet",
            *extra,
        ]
    )


def test_access_denied_exits_2_and_writes_nothing(tmp_path: Path, capsys: Any) -> None:
    stub = aws.StubbedAws()
    stub.add_error("config", HOME, "describe_configuration_aggregators", "AccessDeniedException")
    assert collect_cli.run(_args(tmp_path), clients=stub) == 2
    err = capsys.readouterr().err
    assert "AccessDenied" in err and "Traceback" not in err and "lz-bio2-evidence-collector" in err
    assert not (tmp_path / "out.json").exists()


def test_two_aggregators_need_a_name(tmp_path: Path, capsys: Any) -> None:
    stub = aws.StubbedAws()
    two = aws.aggregators()
    two["ConfigurationAggregators"].append(
        {**two["ConfigurationAggregators"][0], "ConfigurationAggregatorName": "x"}
    )
    stub.add("config", HOME, "describe_configuration_aggregators", two)
    assert collect_cli.run(_args(tmp_path), clients=stub) == 2
    assert "--aggregator" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--collected-at", "yesterday"), "--collected-at"),
        (("--sources", "config,cloudtrail"), "unknown cloudtrail"),
    ],
)
def test_bad_arguments_exit_2(tmp_path: Path, capsys: Any, extra: tuple[str, ...], message: str) -> None:
    assert collect_cli.run(_args(tmp_path, *extra), clients=aws.StubbedAws()) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out.json").exists()


def test_clients_retry_throttling_adaptively(monkeypatch: Any) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    clients = collect_cli.boto_clients(None, None)
    client = clients("config", HOME)
    assert client is clients("config", HOME)
    retries = client.meta.config.retries
    assert retries["mode"] == "adaptive"  # client-side rate limiting + backoff on throttling
    assert retries["total_max_attempts"] == 11


def test_hundreds_of_accounts_follow_every_page_and_report_progress() -> None:
    """300 accounts x 2 regions x every rule of the pack, in pages of 1,000 rows (the API's limit)."""
    from bio2_aspects.collect import table

    accounts = [f"{100000000000 + n}" for n in range(300)]
    rules = table.config_rule_names()
    red = {(accounts[n], "eu-west-1") for n in range(0, 300, 50)}
    rows = [
        aws.rule_row(
            rule,
            a,
            r,
            "NON_COMPLIANT" if rule == "restricted-ssh" and (a, r) in red else "COMPLIANT",
        )
        for a in accounts
        for r in REGIONS
        for rule in rules
    ]
    stub = aws.StubbedAws()
    stub.add("config", HOME, "describe_configuration_aggregators", aws.aggregators())
    pages = [rows[i : i + 1000] for i in range(0, len(rows), 1000)]
    for n, page in enumerate(pages):
        response: dict[str, Any] = {"AggregateComplianceByConfigRules": page}
        if n + 1 < len(pages):
            response["NextToken"] = f"p{n + 1}"
        stub.add("config", HOME, "describe_aggregate_compliance_by_config_rules", response)
    for a, r in sorted(red):
        stub.add(
            "config",
            HOME,
            "get_aggregate_compliance_details_by_config_rule",
            {
                "AggregateEvaluationResults": [
                    aws.evaluation(
                        "restricted-ssh", a, r, "AWS::EC2::SecurityGroup", f"sg-{a}", "2026-12-01T10:00:00Z"
                    )
                ]
            },
        )
    messages: list[str] = []
    obs = sources.config_rules(stub, HOME, None, COLLECTED_AT, messages.append)
    stub.assert_done()
    assert len(pages) == 18
    assert len(obs) == len(rows)  # every compliant summary and every red resource, none lost
    assert sum(1 for o in obs if o.compliance == "NON_COMPLIANT") == len(red)
    assert len({o.account for o in obs}) == 300
    assert any("6/6" in m for m in messages)
