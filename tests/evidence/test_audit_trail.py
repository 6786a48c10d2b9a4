"""Issue 14 "must show": an honest status on the real landing zone, attestations, risk acceptances
from YAML with expiry, and an audit trail (commit, config hash, deterministic generation time)."""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from bio2_aspects.evidence.register import acceptance_rows, render_xlsx
from landing_zone.app import bio2_scope, config_source
from landing_zone.config import DEFAULT_CONFIG_PATH, load_config, load_config_text
from tests.synthkit import MINIMAL_YAML, Synth, synth_landing_zone

GOOD = ("implemented", "inherited")


def _measures(synth: Synth) -> dict[str, dict[str, Any]]:
    return {m["id"]: m for m in synth.manifest["measures"]}


# ------------------------------------------------------------------ the default landing zone


def test_no_organisational_measure_is_implemented_without_an_attestation(default_synth: Synth) -> None:
    for m in default_synth.manifest["measures"]:
        if m["status"] != "implemented":
            continue
        for f in m["facets"]:
            if f["kind"] == "organisational" or m["nature"] != "technical":
                assert f["state"] == "attested", (m["id"], f)
                assert f["attestation"]["valid"] and f["attestation"]["document"], m["id"]


def test_the_example_attestation_implements_its_measure_and_owners_alone_do_not(default_synth: Synth) -> None:
    ms = _measures(default_synth)
    assert ms["5.01.01"]["status"] == "implemented" and ms["5.01.01"]["headline"] == "attested"
    # a continuity manager is named for 5.30.01, but no plan test is attested: a restore test
    # in AWS Backup does not make it implemented
    assert ms["5.30.01"]["status"] == "unattested"
    assert ms["5.01.02"]["status"] == "unattested" and ms["5.01.02"]["owner"]["name"] == "CISO"


def test_no_control_is_implemented_while_a_measure_is_a_gap_or_unattested(default_synth: Synth) -> None:
    ms = _measures(default_synth)
    for c in default_synth.manifest["controls"]:
        statuses = [ms[i]["status"] for i in c["measures"] if ms[i]["status"] != "excluded"]
        if c["status"] == "implemented":
            assert all(s in GOOD for s in statuses), (c["id"], statuses)
        if "gap" in statuses:
            assert c["status"] == "gap", c["id"]
    soa_gaps = default_synth.manifest["totals"]["controls_by_status"]["gap"]
    measure_gaps = default_synth.manifest["totals"]["measures_by_status"]["gap"]
    assert measure_gaps == 0 or soa_gaps > 0


def test_the_headline_keeps_unattested_processes_apart(default_synth: Synth) -> None:
    totals = default_synth.manifest["totals"]
    head = totals["headline"]
    assert sum(head.values()) == totals["measures"]
    by_status = totals["measures_by_status"]
    assert head["evidenced"] + head["attested"] == by_status["implemented"]
    assert head["unattested"] == by_status["unattested"] > 0
    # summary.md shows the figures side by side, and the report's donut counts only implemented
    # and inherited measures as covered
    summary = (default_synth.outdir / "bio2" / "summary.md").read_text(encoding="utf-8")
    assert "proces niet geattesteerd" in summary and "Kerncijfers" in summary
    assert "geen tekortkoming" not in summary
    html = (default_synth.outdir / "bio2" / "report.html").read_text(encoding="utf-8")
    assert "(st.implemented || 0) + (st.inherited || 0)" in html
    assert "total - (st.gap || 0)" not in html


# ------------------------------------------------------------------ a weakened configuration

WEAK_YAML = (
    MINIMAL_YAML
    + """\
security:
  guardduty:
    enabled: false
network:
  dns_firewall:
    enabled: false
backup:
  restore_testing:
    levels: []
"""
)


@pytest.fixture(scope="module")
def minimal_and_weak(tmp_path_factory: pytest.TempPathFactory) -> tuple[Synth, Synth]:
    base = synth_landing_zone(tmp_path_factory.mktemp("minimal"), MINIMAL_YAML)
    weak = synth_landing_zone(tmp_path_factory.mktemp("weak"), WEAK_YAML)
    return base, weak


def test_a_weakened_config_changes_the_headline_and_the_measures(
    minimal_and_weak: tuple[Synth, Synth],
) -> None:
    base, weak = minimal_and_weak
    assert base.manifest["totals"]["headline"] != weak.manifest["totals"]["headline"]
    assert weak.manifest["totals"]["headline"]["gap"] > base.manifest["totals"]["headline"]["gap"]
    b, w = _measures(base), _measures(weak)
    changed = sorted(i for i in b if b[i]["status"] != w[i]["status"])
    assert changed, "switching GuardDuty, DNS Firewall and restore testing off changes no status"
    rank = ("gap", "unattested", "partially_implemented", "awaiting_attestation", "implemented", "inherited")
    for i in changed:
        assert rank.index(w[i]["status"]) < rank.index(b[i]["status"]), (i, b[i]["status"], w[i]["status"])
    # the monitor-backed measures of GuardDuty lose their evidence
    assert any(e["kind"] == "detective" for e in b["8.07.04"]["evidence"])
    assert not any(e["kind"] == "detective" for e in w["8.07.04"]["evidence"])


# ------------------------------------------------------------------ risk acceptances from YAML

GOVERNANCE_YAML = (
    MINIMAL_YAML
    + """\
logging:
  object_lock_mode: GOVERNANCE
bio2:
  risk_acceptances:
    - rule: BIO2-S3-LogBucketObjectLock
      reason: GOVERNANCE mode while the archive is migrated; COMPLIANCE from 2027-Q2 (RA-2026-031).
      approved_by: CISO Voorbeeldstad
      date: "2026-11-01"
      expires: "@EXPIRES@"
"""
)


def test_a_risk_acceptance_from_yaml_lets_governance_mode_synthesize(tmp_path: Path) -> None:
    synth = synth_landing_zone(
        tmp_path, GOVERNANCE_YAML.replace("@EXPIRES@", "2099-05-01"), report_only=False
    )
    assert not synth.open_errors()
    vios = [v for v in synth.manifest["violations"] if v["rule"] == "BIO2-S3-LogBucketObjectLock"]
    assert vios and all(v["acknowledged"] for v in vios)
    (v,) = [v for v in vios if v["acceptance"]]  # the access-log bucket is acknowledged in code
    assert v["path"].endswith("LogArchive/Bucket/Resource")
    assert v["acceptance"]["approved_by"] == "CISO Voorbeeldstad"
    (a,) = synth.manifest["risk_acceptances"]
    assert a["used"] and not a["expired"] and a["expires"] == "2099-05-01"
    # the register lists it with every field
    _headers, rows = acceptance_rows(synth.manifest, "nl")
    row = next(r for r in rows if r[1] == "BIO2-S3-LogBucketObjectLock" and r[4])
    assert row[4] == "CISO Voorbeeldstad" and row[5] == "2026-11-01" and row[6] == "2099-05-01"
    assert "RA-2026-031" in row[3]
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(render_xlsx(synth.manifest, "nl")))
    sheet = wb["Risico's en uitsluitingen"]
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert any("CISO Voorbeeldstad" in r and "2099-05-01" in r for r in values)


def test_an_expired_risk_acceptance_fails_the_synth(tmp_path: Path) -> None:
    yaml_text = GOVERNANCE_YAML.replace("@EXPIRES@", "2001-01-01").replace(
        'date: "2026-11-01"', 'date: "2000-06-01"'
    )
    with pytest.raises(Exception, match=r"ValidationFailed|Validation failed"):
        synth_landing_zone(tmp_path, yaml_text, report_only=False)
    manifest = json.loads((tmp_path / "bio2" / "manifest.json").read_text(encoding="utf-8"))
    rules = [v["rule"] for v in manifest["violations"] if v["level"] == "error" and not v["acknowledged"]]
    assert "BIO2-Engine-RiskAcceptanceExpired" in rules and "BIO2-S3-LogBucketObjectLock" in rules
    assert manifest["risk_acceptances"][0]["expired"] is True


def test_an_expired_risk_acceptance_only_reports_in_report_only_mode(tmp_path: Path) -> None:
    yaml_text = GOVERNANCE_YAML.replace("@EXPIRES@", "2001-01-01").replace(
        'date: "2026-11-01"', 'date: "2000-06-01"'
    )
    synth = synth_landing_zone(tmp_path, yaml_text, report_only=True)
    assert synth.manifest["totals"]["violations"]["expired_acceptances"] == 1


def test_a_risk_acceptance_must_end_after_it_starts() -> None:
    from landing_zone.config import ConfigError

    bad = GOVERNANCE_YAML.replace("@EXPIRES@", "2026-01-01")
    with pytest.raises(ConfigError, match=r"bio2\.risk_acceptances\[0\]\.expires"):
        load_config_text(bad)


# ------------------------------------------------------------------ attestations from YAML


def _scope_with(attestation_yaml: str) -> Any:
    return bio2_scope(load_config_text(MINIMAL_YAML + "bio2:\n  attestations:\n" + attestation_yaml))


def test_an_attestation_without_a_document_leaves_the_measure_unattested() -> None:
    from bio2_aspects.catalog import load_catalog
    from bio2_aspects.engine import RuleSet
    from bio2_aspects.evidence.manifest import build_manifest

    scope = _scope_with(
        '    - scope: "5.01.01"\n      owner: CISO\n      approved_by: B&W\n      date: "2026-01-01"\n'
    )
    manifest = build_manifest([], load_catalog(), RuleSet([]), scope)
    m = next(m for m in manifest["measures"] if m["id"] == "5.01.01")
    assert m["status"] == "unattested"
    assert m["facets"][0]["attestation"]["problems"] == ["no_document"]
    assert manifest["totals"]["attestations"]["without_document"] == 1
    summary_scope = _scope_with(
        '    - scope: "5.01.01"\n      owner: CISO\n      document: {title: Beleid, reference: DMS-1}\n'
        '      approved_by: B&W\n      date: "2026-01-01"\n'
    )
    manifest = build_manifest([], load_catalog(), RuleSet([]), summary_scope)
    m = next(m for m in manifest["measures"] if m["id"] == "5.01.01")
    assert m["status"] == "implemented"


def test_attestation_scopes_are_checked_against_the_catalog() -> None:
    from landing_zone.config import ConfigError

    with pytest.raises(ConfigError, match=r"bio2\.attestations\[0\]\.scope"):
        load_config_text(MINIMAL_YAML + 'bio2:\n  attestations:\n    - {scope: "9.99.99", owner: CISO}\n')


# ------------------------------------------------------------------ audit metadata


def test_the_manifest_carries_commit_config_hash_and_generation_time(default_synth: Synth) -> None:
    audit = default_synth.manifest["audit"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", audit["generated_at"])
    assert audit["git"]["commit"] is None or re.fullmatch(r"[0-9a-f]{40}", audit["git"]["commit"])
    assert re.fullmatch(r"[0-9a-f]{64}", audit["config"]["sha256"])
    assert audit["versions"]["aws_cdk_lib"] and audit["versions"]["catalog"]
    oscal = (default_synth.outdir / "bio2" / "oscal-component-definition.json").read_text(encoding="utf-8")
    assert audit["generated_at"][:19] in oscal and "1980-01-01" not in oscal


def test_the_generation_time_comes_from_source_date_epoch_or_the_commit(monkeypatch: Any) -> None:
    from bio2_aspects.evidence import audit

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert audit.generation_time({"commit_time": 1})[0].isoformat() == "2026-01-01T00:00:00+00:00"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    when, source = audit.generation_time({"commit_time": 1767225600})
    assert source == "git commit time" and when.year == 2026
    assert audit.generation_time({"commit_time": None})[1].startswith("fixed")


def test_the_config_hash_is_the_file_that_was_read() -> None:
    config = load_config(DEFAULT_CONFIG_PATH)
    source = config_source(config, DEFAULT_CONFIG_PATH)
    assert (
        source.basis == "file"
        and source.sha256 == hashlib.sha256(DEFAULT_CONFIG_PATH.read_bytes()).hexdigest()
    )
    assert config_source(config).basis == "model"


def test_an_expired_exclusion_fails_the_synth(tmp_path: Path) -> None:
    yaml_text = MINIMAL_YAML + (
        "bio2:\n  exclusions:\n"
        '    - id: "8.30"\n'
        "      justification: No development is outsourced in this organisation at all.\n"
        '      approved_by: CISO\n      date: "2000-01-01"\n      expires: "2001-01-01"\n'
    )
    with pytest.raises(Exception, match=r"ValidationFailed|Validation failed"):
        synth_landing_zone(tmp_path, yaml_text, report_only=False)
    manifest = json.loads((tmp_path / "bio2" / "manifest.json").read_text(encoding="utf-8"))
    assert [e["expired"] for e in manifest["exclusions"]] == [True]
    soa = {c["id"]: c for c in manifest["controls"]}
    assert soa["8.30"]["status"] != "excluded"
