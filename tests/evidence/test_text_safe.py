"""A lone surrogate (half of a UTF-16 pair, which UTF-8 cannot hold) in a name or construct path
must not fail the synth: ``common.text_safe`` writes it as a backslash escape, in ``manifest.json``
and in every report alike, and ``bio2 report`` reads that manifest back."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_s3 as s3

from bio2_aspects import Bio2, Scope
from bio2_aspects.cli import main
from bio2_aspects.evidence import common
from bio2_aspects.evidence.exporters import FORMATS
from bio2_aspects.evidence.formats import ALL_FORMATS
from bio2_aspects.evidence.models import read_manifest
from bio2_aspects.evidence.writer import write_evidence
from bio2_aspects.synthesizer import Bio2StackSynthesizer

ORGANISATION = "Gemeente \udcff"  # e.g. a name decoded from bytes with errors="surrogateescape"
SHOWN = "Gemeente \\udcff"


def test_text_safe_escapes_lone_surrogates_only() -> None:
    value = {
        "ascii": "plain",
        "dutch": "Súdwest-Fryslân",
        "pair": "emoji \U0001f600",  # a character beyond the BMP: not a lone surrogate
        "lone": "Bucket\ud800/Resource",
        "key\udcff": ["x", ("y", "z\udfff")],
        "number": 12,
    }
    safe = common.text_safe(value)
    assert safe == {
        "ascii": "plain",
        "dutch": "Súdwest-Fryslân",
        "pair": "emoji \U0001f600",
        "lone": "Bucket\\ud800/Resource",
        "key\\udcff": ["x", ("y", "z\\udfff")],
        "number": 12,
    }
    assert value["lone"] == "Bucket\ud800/Resource"  # the value given is not changed


def test_a_manifest_without_them_is_the_same_object(manifest: dict[str, Any]) -> None:
    assert common.text_safe(manifest) is manifest
    data, is_text = common.manifest_json(manifest)
    assert is_text and data == common.manifest_bytes(manifest)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_format_is_written_and_the_manifest_reads_back(
    tmp_path: Path, manifest: dict[str, Any], lang: str
) -> None:
    m = copy.deepcopy(manifest)
    m["language"] = lang
    m["organisation"] = ORGANISATION
    m["violations"][0]["path"] = "Stack/Bucket\ud800/Resource"
    out = tmp_path / "bio2"
    write_evidence(m, out, formats=ALL_FORMATS)
    written = {p.name for p in out.iterdir()}
    assert written == {"manifest.json", *(f.name for files in FORMATS.values() for f in files)}
    assert b"Gemeente \\\\udcff" in (out / "manifest.json").read_bytes()  # the backslash, escaped
    back = read_manifest(out / "manifest.json")  # pydantic's JSON reader refuses a lone surrogate
    assert back.organisation == SHOWN
    assert back.violations[0].path == "Stack/Bucket\\ud800/Resource"
    assert SHOWN in (out / "summary.md").read_text(encoding="utf-8")
    assert main(["report", str(out / "manifest.json"), "--out", str(tmp_path / "again")]) == 0


def test_a_synth_with_such_an_organisation_writes_its_evidence(tmp_path: Path) -> None:
    app = cdk.App(outdir=str(tmp_path), default_stack_synthesizer=Bio2StackSynthesizer())
    stack = cdk.Stack(app, "Orders", env=cdk.Environment(account="123456789012", region="eu-central-1"))
    s3.Bucket(stack, "Uploads")
    bio2 = Bio2(app, report_only=True, scope=Scope(organisation=ORGANISATION))
    app.synth()
    assert bio2.manifest is not None and bio2.manifest["organisation"] == SHOWN
    assert SHOWN in (tmp_path / "bio2" / "summary.md").read_text(encoding="utf-8")
    assert read_manifest(tmp_path / "bio2" / "manifest.json").organisation == SHOWN
