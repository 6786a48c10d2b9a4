"""``Bio2(reports=...)``: what a synth writes besides manifest.json, and ``bio2 report`` for the rest.

A synth writes ``summary.md`` and ``bio2.sarif`` by default; ``reports="all"`` writes the whole
auditor set, and ``bio2 report`` renders that set later from the manifest, byte for byte. Files of
formats not chosen never survive from an earlier synth.
"""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs

from bio2_aspects import Bio2
from bio2_aspects.bio2 import DEFAULT_REPORTS, REPORTS_CONTEXT, resolve_reports
from bio2_aspects.cli import main as bio2_main
from bio2_aspects.evidence.exporters import ALL_FORMATS, FORMATS

ENV = cdk.Environment(account="123456789012", region="eu-central-1")
EVERY_FILE = sorted(["manifest.json", *(f.name for files in FORMATS.values() for f in files)])


def _synth(outdir: Path, **kwargs) -> list[str]:
    app = cdk.App(outdir=str(outdir), context=kwargs.pop("context", None))
    stack = cdk.Stack(app, "Orders", env=ENV)
    s3.Bucket(stack, "Uploads")
    sqs.Queue(stack, "Jobs")
    Bio2(app, report_only=True, **kwargs)
    app.synth()
    return sorted(p.name for p in (outdir / "bio2").iterdir())


def test_resolve_reports() -> None:
    assert resolve_reports(None) == DEFAULT_REPORTS == ("md", "sarif")
    assert resolve_reports("all") == ALL_FORMATS
    assert resolve_reports("none") == () == resolve_reports([])
    # any order in, the full set's order out
    assert resolve_reports("sarif, html") == ("html", "sarif") == resolve_reports(["sarif", "html"])
    for bad in ("pdf", ["md", "docx"], "md,,xls"):
        with pytest.raises(ValueError, match="unknown report format") as err:
            resolve_reports(bad)
        assert "all" in str(err.value) and "sarif" in str(err.value)  # the fix names the choices


@pytest.mark.synth
def test_default_writes_the_pipeline_set_and_bio2_report_renders_the_rest(tmp_path: Path) -> None:
    assert _synth(tmp_path / "full" / "cdk.out", reports="all") == EVERY_FILE
    assert _synth(tmp_path / "app" / "cdk.out") == ["bio2.sarif", "manifest.json", "summary.md"]
    full, default = tmp_path / "full" / "cdk.out" / "bio2", tmp_path / "app" / "cdk.out" / "bio2"
    # the files the default synth wrote are the full synth's, byte for byte (the same manifest)
    for name in ("manifest.json", "summary.md", "bio2.sarif"):
        assert (default / name).read_bytes() == (full / name).read_bytes(), name
    # `bio2 report` renders the rest from the manifest: the same bytes as the full synth
    assert bio2_main(["report", str(default / "manifest.json")]) == 0
    assert sorted(p.name for p in default.iterdir()) == EVERY_FILE
    for name in EVERY_FILE:
        assert (default / name).read_bytes() == (full / name).read_bytes(), name


@pytest.mark.synth
def test_no_report_of_an_earlier_synth_is_left_behind(tmp_path: Path) -> None:
    out = tmp_path / "cdk.out"
    assert _synth(out, reports="all") == EVERY_FILE
    (out / "bio2" / "notes.txt").write_text("mine")  # not ours: kept
    assert _synth(out, reports=["sarif"]) == ["bio2.sarif", "manifest.json", "notes.txt"]
    assert _synth(out, reports="none") == ["manifest.json", "notes.txt"]


@pytest.mark.synth
def test_context_chooses_when_the_prop_is_not_given(tmp_path: Path) -> None:
    assert _synth(tmp_path / "a", context={REPORTS_CONTEXT: "all"}) == EVERY_FILE
    assert _synth(tmp_path / "b", context={REPORTS_CONTEXT: "all"}, reports="sarif") == [
        "bio2.sarif",
        "manifest.json",
    ]
    with pytest.raises(ValueError, match=f"context {REPORTS_CONTEXT}: unknown report format 'pdf'"):
        _synth(tmp_path / "c", context={REPORTS_CONTEXT: "pdf"})
    # a list, as cdk.json holds it
    assert _synth(tmp_path / "d", context={REPORTS_CONTEXT: ["sarif"]}) == ["bio2.sarif", "manifest.json"]
