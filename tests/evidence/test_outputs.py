"""Every auditor output: deterministic bytes, both languages, registered for every synth."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest

from bio2_aspects.evidence.exporters import ALL_FORMATS, FORMATS, render_files, synth_exporters
from bio2_aspects.evidence.writer import default_exporters, write_evidence

FILES = sorted(f.name for files in FORMATS.values() for f in files)


def _shuffled_keys(value: Any, rng: random.Random) -> Any:
    """The same data with every dict's keys in another order (lists keep their order)."""
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {k: _shuffled_keys(value[k], rng) for k in keys}
    if isinstance(value, list):
        return [_shuffled_keys(v, rng) for v in value]
    return value


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_same_manifest_same_bytes(fmt: str, manifest: dict[str, Any]) -> None:
    first = render_files(manifest, [fmt])
    again = render_files(copy.deepcopy(manifest), [fmt])
    shuffled = render_files(_shuffled_keys(manifest, random.Random(7)), [fmt])
    assert first == again
    assert first == shuffled, "output must not depend on the order of keys in the manifest"


def test_rendering_does_not_change_the_manifest(manifest: dict[str, Any]) -> None:
    before = json.dumps(manifest, sort_keys=True)
    render_files(manifest)
    assert json.dumps(manifest, sort_keys=True) == before


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_dutch_and_english_differ(fmt: str, manifest: dict[str, Any]) -> None:
    en = render_files(manifest, [fmt], lang="en")
    nl = render_files(manifest, [fmt], lang="nl")
    for name in en:
        assert en[name] != nl[name], name


def test_default_language_is_the_manifests(manifest: dict[str, Any], manifest_nl: dict[str, Any]) -> None:
    assert render_files(manifest_nl, ALL_FORMATS) == render_files(manifest_nl, ALL_FORMATS, lang="nl")
    assert render_files(manifest, ALL_FORMATS) == render_files(manifest, ALL_FORMATS, lang="en")
    text = render_files(manifest_nl, ["hld"])["hld.md"].decode()
    assert "Globaal ontwerp" in text and "tekortkoming" in text


def test_unknown_format_is_refused(manifest: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render_files(manifest, ["pdf"])


def test_every_synth_writes_every_output(tmp_path: Path, manifest: dict[str, Any]) -> None:
    out = write_evidence(manifest, tmp_path / "cdk.out" / "bio2")
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(["manifest.json", *FILES])
    names = [getattr(e, "__name__", "") for e in default_exporters()]
    assert names[0] == "_summary"
    # Two synths of the same manifest write the same bytes.
    again = write_evidence(copy.deepcopy(manifest), tmp_path / "again" / "bio2")
    for name in written:
        assert (out / name).read_bytes() == (again / name).read_bytes(), name


def test_synth_exporters_share_one_digest(tmp_path: Path, manifest: dict[str, Any], monkeypatch: Any) -> None:
    from bio2_aspects.evidence import exporters

    calls = []
    real = exporters.manifest_digest
    monkeypatch.setattr(exporters, "manifest_digest", lambda m: calls.append(1) or real(m))
    for export in synth_exporters(["hld", "html", "oscal"]):
        export(manifest, tmp_path)
    assert len(calls) == 1
