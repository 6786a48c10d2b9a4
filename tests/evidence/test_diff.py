"""``bio2 diff OLD NEW``: changes per measure, and exit 1 on a regression."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from bio2_aspects.cli import main
from bio2_aspects.evidence import models
from bio2_aspects.evidence.diff import diff_manifests, direction, render_diff_text


def _measure(manifest: dict[str, Any], mid: str) -> dict[str, Any]:
    return next(m for m in manifest["measures"] if m["id"] == mid)


def _run(tmp_path: Path, old: dict[str, Any], new: dict[str, Any], *extra: str) -> int:
    a, b = tmp_path / "old.json", tmp_path / "new.json"
    a.write_text(json.dumps(old), encoding="utf-8")
    b.write_text(json.dumps(new), encoding="utf-8")
    return main(["diff", str(a), str(b), *extra])


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("implemented", "partially_implemented", "worse"),
        ("partially_implemented", "gap", "worse"),
        ("unattested", "gap", "worse"),
        ("inherited", "gap", "worse"),
        ("gap", "implemented", "better"),
        ("unattested", "implemented", "better"),
        ("unattested", "awaiting_attestation", "better"),
        ("implemented", "excluded", "changed"),
        ("excluded", "gap", "changed"),
        ("gap", "gap", "same"),
    ],
)
def test_direction(old: str, new: str, expected: str) -> None:
    assert direction(old, new) == expected


def test_identical_manifests(tmp_path: Path, manifest: dict[str, Any], capsys: Any) -> None:
    assert _run(tmp_path, manifest, copy.deepcopy(manifest)) == 0
    out = capsys.readouterr().out
    assert "No regression." in out
    diff = diff_manifests(manifest, manifest)
    assert diff.measures == [] and diff.controls == [] and not diff.regression


def test_lost_evidence_is_a_regression(tmp_path: Path, manifest: dict[str, Any], capsys: Any) -> None:
    new = copy.deepcopy(manifest)
    m = _measure(new, "8.13.01")
    lost = next(i for i in m["evidence"] if i["logical_id"] == "LogArchiveBucketE4F5")
    m["evidence"].remove(lost)  # status stays implemented: the vault still proves it
    assert _run(tmp_path, manifest, new) == 1
    out = capsys.readouterr().out
    assert "## Evidence lost (1)" in out
    assert "- 8.13.01: verified BIO2-S3-Versioning `lz-log-archive-eu-central-1/LogArchiveBucketE4F5`" in out
    assert "Regression" in out


def test_failing_rule_is_lost_evidence(manifest: dict[str, Any]) -> None:
    new = copy.deepcopy(manifest)
    item = next(i for i in _measure(new, "8.15.01")["evidence"] if i["rule"] == "BIO2-CloudTrail-MultiRegion")
    item["result"] = "fail"
    diff = diff_manifests(manifest, new)
    (d,) = diff.measures
    assert d.evidence_lost == [
        ("verified", "BIO2-CloudTrail-MultiRegion", "lz-management-eu-central-1", "OrgTrailB1C2D3")
    ]
    assert diff.exit_code == 1


def test_worse_status_is_a_regression(tmp_path: Path, manifest: dict[str, Any], capsys: Any) -> None:
    new = copy.deepcopy(manifest)
    _measure(new, "5.01.01")["status"] = "gap"
    assert _run(tmp_path, manifest, new, "--json") == 1
    data = json.loads(capsys.readouterr().out)
    assert data["regression"] is True
    (m,) = data["measures"]
    assert (m["id"], m["old_status"], m["new_status"], m["direction"]) == (
        "5.01.01",
        "implemented",
        "gap",
        "worse",
    )


def test_improvements_and_exclusions_are_not_regressions(
    tmp_path: Path, manifest: dict[str, Any], capsys: Any
) -> None:
    new = copy.deepcopy(manifest)
    gap = _measure(new, "8.20.01")
    assert gap["status"] == "gap"
    gap["status"] = "implemented"
    item = models.EvidenceItem(
        kind="preventive",
        rule=None,
        result="declared",
        stack="lz-management-eu-central-1",
        account="111111111111",
        region="eu-central-1",
        path="lz-management-eu-central-1/Organization/NetworkScp",
        logical_id="NetScp1",
        resource_type="AWS::Organizations::Policy",
        detail="Only approved network appliances.",
        mechanism="SCP",
        acknowledgement_reason=None,
        strength="full",
        facet=None,
        rationale=models.Texts(en="The SCP enforces it.", nl="De SCP dwingt het af."),
    )
    gap["evidence"].append(item.model_dump(mode="json", exclude_unset=True))
    _measure(new, "5.01.02")["status"] = "excluded"
    risky = _measure(new, "8.16.04")
    risky["accepted_risks"].append(
        {
            "rule": "BIO2-EC2-VpcFlowLogs",
            "stack": "s",
            "path": None,
            "logical_id": "Vpc",
            "reason": "Lab VPC.",
        }
    )
    new["controls"][0]["status"] = "implemented"
    assert _run(tmp_path, manifest, new) == 0
    out = capsys.readouterr().out
    assert "- 8.20.01: gap → implemented (better)" in out
    assert "- 5.01.02: process not attested → excluded (changed)" in out
    assert "## Evidence gained (1)" in out
    assert "## Accepted risks gained (1)" in out and "Lab VPC." in out
    assert "## Controls whose status changed (1)" in out
    assert "No regression." in out


def test_accepted_risk_lost_is_reported(manifest: dict[str, Any]) -> None:
    new = copy.deepcopy(manifest)
    m = next(m for m in new["measures"] if m["accepted_risks"])
    m["accepted_risks"] = []
    diff = diff_manifests(manifest, new)
    assert [d.id for d in diff.measures] == [m["id"]]
    assert diff.measures[0].risks_lost and not diff.regression


def test_catalog_changes(manifest: dict[str, Any]) -> None:
    new = copy.deepcopy(manifest)
    new["measures"] = new["measures"][1:]
    diff = diff_manifests(manifest, new)
    assert diff.removed == ["5.01.01"]
    assert "measures removed: 5.01.01" in render_diff_text(diff)


def test_dutch_text(manifest: dict[str, Any]) -> None:
    new = copy.deepcopy(manifest)
    _measure(new, "5.01.01")["status"] = "gap"
    text = render_diff_text(diff_manifests(manifest, new), "nl")
    assert "geïmplementeerd → tekortkoming (slechter)" in text
    assert "Achteruitgang" in text


def test_unreadable_files_exit_2(tmp_path: Path, manifest: dict[str, Any], capsys: Any) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(manifest), encoding="utf-8")
    assert main(["diff", str(good), str(tmp_path / "missing.json")]) == 2
    assert "missing.json: cannot read" in capsys.readouterr().err
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert main(["diff", str(broken), str(good)]) == 2
    assert "not a JSON file" in capsys.readouterr().err
    other = tmp_path / "other.json"
    other.write_text("[1, 2]", encoding="utf-8")
    assert main(["diff", str(good), str(other)]) == 2
    assert "not a BIO2 manifest" in capsys.readouterr().err
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00")
    assert main(["diff", str(binary), str(good)]) == 2
