"""The `bio2` command line and the published manifest schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bio2_aspects.cli import main
from bio2_aspects.evidence.schema import DOCS_PATH, schema_text


def test_published_schema_is_current():
    assert DOCS_PATH.read_text(encoding="utf-8") == schema_text(), (
        "docs/manifest.schema.json is stale: run `python -m bio2_aspects.evidence.schema`"
    )


def test_catalog_filters_by_control(capsys):
    assert main(["catalog", "--control", "8.15"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out] == [f"8.15.0{i}" for i in range(1, 7)]


def test_catalog_json_in_dutch(capsys):
    assert main(["catalog", "--theme", "physical", "--json", "--lang", "nl"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(r["id"].startswith("7.") for r in rows)
    assert all(r["summary"] for r in rows)


def test_explain_rule_lists_its_measures(capsys):
    assert main(["explain", "BIO2-S3-Versioning"]) == 0
    out = capsys.readouterr().out
    assert "AWS::S3::Bucket" in out and "8.13.01" in out


def test_explain_measure_names_the_rules_that_check_it(capsys):
    assert main(["explain", "8.24.04"]) == 0
    out = capsys.readouterr().out
    assert "BIO2-ELB-TlsPolicy" in out
    # key ownership is not cryptographic strength: the mapping table moved it to 8.24.02
    assert "BIO2-S3-KmsEncryption" not in out


def test_explain_unknown_id_exits_2(capsys):
    assert main(["explain", "9.99.99"]) == 2
    assert "not a BIO2 measure" in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["{", '{"schema_version": "0"}'])
def test_validate_rejects_a_bad_manifest(tmp_path: Path, bad: str, capsys):
    path = tmp_path / "manifest.json"
    path.write_text(bad)
    assert main(["validate", str(path)]) in (1, 2)
    assert "error" in capsys.readouterr().err
