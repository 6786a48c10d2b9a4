"""``bio2 report MANIFEST``: renders any format from a manifest file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bio2_aspects.cli import main
from bio2_aspects.evidence.exporters import ALL_FORMATS, FORMATS
from bio2_aspects.evidence.writer import write_evidence


@pytest.fixture
def manifest_file(tmp_path: Path, manifest: dict[str, Any]) -> Path:
    evidence = write_evidence(manifest, tmp_path / "cdk.out" / "bio2", exporters=[])
    return evidence / "manifest.json"


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_each_format(tmp_path: Path, manifest_file: Path, fmt: str, capsys: Any) -> None:
    out = tmp_path / "out"
    assert main(["report", str(manifest_file), "--format", fmt, "--out", str(out)]) == 0
    expected = sorted(f.name for f in FORMATS[fmt])
    assert sorted(p.name for p in out.iterdir()) == expected
    assert capsys.readouterr().out.split() == [str(out / f.name) for f in FORMATS[fmt]]


def test_all_formats_in_the_manifest_directory_match_the_synth(
    tmp_path: Path, manifest: dict[str, Any], capsys: Any
) -> None:
    """Rendering from manifest.json gives the same bytes as the synth wrote from the in-memory manifest."""
    synth = write_evidence(manifest, tmp_path / "cdk.out" / "bio2")
    again = tmp_path / "again"
    assert main(["report", str(synth / "manifest.json"), "--out", str(again)]) == 0
    for path in again.iterdir():
        assert path.read_bytes() == (synth / path.name).read_bytes(), path.name
    assert len(list(again.iterdir())) == sum(len(f) for f in FORMATS.values())
    # Without --out, the files go next to the manifest.
    assert main(["report", str(synth / "manifest.json"), "--format", "hld", "--lang", "nl"]) == 0
    assert "Globaal ontwerp" in (synth / "hld.md").read_text(encoding="utf-8")


def test_errors_exit_2(tmp_path: Path, manifest_file: Path, capsys: Any) -> None:
    assert main(["report", str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    data = json.loads(manifest_file.read_text(encoding="utf-8"))
    data["measures"][0]["status"] = "done"
    bad.write_text(json.dumps(data), encoding="utf-8")
    assert main(["report", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "does not meet the manifest schema" in err
    assert f"{bad}:" in err and "measures/0/status" in err and "fix:" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", ["report", "diff", "collect"])
def test_an_old_or_hand_edited_manifest_is_refused_with_path_and_problem(
    tmp_path: Path, manifest_file: Path, capsys: Any, command: str
) -> None:
    """Every command that reads a manifest parses it into the model: a missing key (an older
    manifest) or a hand-edited value exits 2 naming the file and where, never a KeyError."""
    data = json.loads(manifest_file.read_text(encoding="utf-8"))
    del data["measures"][3]["facets"]  # as a manifest of an older schema
    data["violations"] = [{"rule": "BIO2-S3-Versioning"}]  # hand-edited
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    args = {
        "report": ["report", str(old), "--out", str(tmp_path / "out")],
        "diff": ["diff", str(manifest_file), str(old)],
        "collect": ["collect", str(old), "--home-region", "eu-central-1", "--sources", ""],
    }[command]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert str(old) in err and "measures/3/facets" in err and "violations/0/level" in err
    assert "KeyError" not in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
    with pytest.raises(SystemExit):
        main(["report", str(manifest_file), "--format", "pdf"])
