"""acknowledge(..., reason_nl=...): the Dutch outputs show the Dutch reason where one is given, else
the reason as written; the English outputs always show the reason as written."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_s3 as s3

from bio2_aspects import Bio2, acknowledge
from bio2_aspects.evidence.exporters import ALL_FORMATS, render_files
from bio2_aspects.evidence.models import validate
from tests.evidence.test_dutch import _text_of

pytestmark = pytest.mark.synth

ENV = cdk.Environment(account="123456789012", region="eu-central-1")
AS_WRITTEN = "Uploads are transient; the source system keeps the originals."
EN = "Scratch files only, rebuilt by every nightly batch run from the source."
NL_KEYS = ("acknowledgement_reason_nl", "acknowledged_nl", "reason_nl")
NL = "Alleen kladbestanden, elke nacht door de batchrun opnieuw opgebouwd uit de bron."


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out: Path = tmp_path_factory.mktemp("ack-nl")
    app = cdk.App(outdir=str(out))
    stack = cdk.Stack(app, "Orders", env=ENV)
    uploads = s3.Bucket(stack, "Uploads")
    scratch = s3.Bucket(stack, "Scratch")
    acknowledge(uploads, "BIO2-S3-Versioning", AS_WRITTEN)
    acknowledge(scratch, "BIO2-S3-Versioning", EN, reason_nl=NL)
    Bio2(app, report_only=True)
    app.synth()
    return json.loads((out / "bio2" / "manifest.json").read_text(encoding="utf-8"))


def _accepted(manifest: dict) -> dict[str, dict]:
    return {v["path"].split("/")[1]: v for v in manifest["violations"] if v["acknowledged"]}


def test_the_manifest_keeps_the_dutch_reason_next_to_the_reason(manifest):
    accepted = _accepted(manifest)
    assert accepted["Scratch"]["acknowledgement_reason"] == EN
    assert accepted["Scratch"]["acknowledgement_reason_nl"] == NL
    assert accepted["Uploads"]["acknowledgement_reason"] == AS_WRITTEN
    assert "acknowledgement_reason_nl" not in accepted["Uploads"]  # old manifests keep their shape
    risks = {r["reason"]: r.get("reason_nl") for m in manifest["measures"] for r in m["accepted_risks"]}
    assert risks[EN] == NL and risks[AS_WRITTEN] is None
    resources = [v for r in manifest["resources"] for v in r["violations"] if v.get("acknowledged") == EN]
    assert resources and all(v["acknowledged_nl"] == NL for v in resources)
    validate(manifest)


def test_a_manifest_without_dutch_reasons_stays_valid(manifest):
    def strip(node):
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k not in NL_KEYS}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    old = validate(strip(manifest))
    assert all(v.acknowledgement_reason_nl is None for v in old.violations)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_outputs_show_the_reason_of_their_language(manifest, lang):
    shown, hidden = (NL, EN) if lang == "nl" else (EN, NL)
    files = render_files({**manifest, "language": lang}, ALL_FORMATS, lang)
    register = _text_of("control-register.csv", files["control-register.csv"])
    assert shown in register and hidden not in register
    assert AS_WRITTEN in register  # the app team's reason without a Dutch one: as written
    for name in ("report.html", "summary.md", "hld.md"):
        text = _text_of(name, files[name])
        assert hidden not in text, name
        assert shown in text.replace("\\u2019", "'"), name


def test_a_later_acknowledgement_without_a_dutch_reason_is_shown_as_written(tmp_path):
    app = cdk.App(outdir=str(tmp_path))
    stack = cdk.Stack(app, "Orders", env=ENV)
    bucket = s3.Bucket(stack, "Scratch")
    acknowledge(bucket, "BIO2-S3-Versioning", EN, reason_nl=NL)
    acknowledge(bucket, "BIO2-S3-Versioning", AS_WRITTEN)  # replaces the first: its Dutch is stale
    Bio2(app, report_only=True)
    app.synth()
    manifest = json.loads((tmp_path / "bio2" / "manifest.json").read_text(encoding="utf-8"))
    accepted = _accepted(manifest)["Scratch"]
    assert accepted["acknowledgement_reason"] == AS_WRITTEN
    assert "acknowledgement_reason_nl" not in accepted


def test_a_short_dutch_reason_is_refused():
    stack = cdk.Stack(cdk.App(), "S", env=ENV)
    with pytest.raises(ValueError, match="reason_nl"):
        acknowledge(s3.Bucket(stack, "B"), "BIO2-S3-Versioning", EN, reason_nl="Kort.")
