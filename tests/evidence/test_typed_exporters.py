"""The exporters read the manifest model, never manifest dicts; validation happens once per set of
outputs (issue 13, "a typed manifest contract")."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any, NoReturn
from unittest import mock

import pytest

from bio2_aspects.evidence import models
from bio2_aspects.evidence.common import manifest_digest
from bio2_aspects.evidence.exporters import ALL_FORMATS, render_files
from bio2_aspects.evidence.writer import write_evidence

EVIDENCE = Path(__file__).resolve().parents[2] / "bio2_aspects" / "evidence"
#: The modules that render outputs from a manifest (and their shared helpers).
EXPORTER_MODULES = (
    "common",
    "diff",
    "exporters",
    "hld",
    "html_report",
    "inventory_report",
    "oscal",
    "register",
    "runtime",
    "sarif",
    "summary",
    "writer",
)
#: Per module, the names of dicts the exporter builds itself (labels, its own output records),
#: which it may index by a string. Nothing here holds manifest data.
OWN_DICTS: dict[str, set[str]] = {
    "hld": {"LABELS", "f.measures[mid]"},
    "register": {"props"},
    "html_report": {"entry", "o", "_owner_entry(owners, c.owner)"},
    "sarif": {"location", "result", "physical"},
    "diff": {"r"},
    "inventory_report": {"s"},  # its own section records
}


class SealedManifest(models.Manifest):
    """A manifest model without a dict view: an exporter that asks for one fails the test."""

    def _no_dict_view(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AssertionError("an exporter asked for the manifest's dict view")

    model_dump = _no_dict_view
    model_dump_json = _no_dict_view
    __iter__ = _no_dict_view  # type: ignore[assignment]
    __getitem__ = _no_dict_view
    get = _no_dict_view


@pytest.fixture(scope="module")
def sealed(_base_manifest: dict[str, Any]) -> SealedManifest:
    return SealedManifest.model_validate({**_base_manifest, "language": "nl"})


def test_every_format_renders_from_a_model_without_a_dict_view(
    sealed: SealedManifest, model_nl: models.Manifest
) -> None:
    digest = manifest_digest(model_nl)
    files = render_files(sealed, ALL_FORMATS, digest=digest)
    assert files == render_files(model_nl, ALL_FORMATS, digest=digest)
    assert set(files) == {f for f in files if files[f]}


def _string_key(node: ast.AST) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)) or isinstance(node, ast.JoinedStr)


@pytest.mark.parametrize("module", EXPORTER_MODULES)
def test_no_exporter_indexes_manifest_data_by_key(module: str) -> None:
    """An AST scan: ``x["key"]`` and ``x.get("key")`` only on the exporter's own dicts."""
    allowed = {"t"} | OWN_DICTS.get(module, set())  # t: the labels of the output language
    tree = ast.parse((EVIDENCE / f"{module}.py").read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and _string_key(node.slice):
            target = ast.unparse(node.value)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and node.args
            and _string_key(node.args[0])
        ):
            target = ast.unparse(node.func.value)
        else:
            continue
        if target not in allowed:
            found.append(f"{module}.py:{node.lineno}: {ast.unparse(node)}")
    assert not found, "manifest data read by key; read the model's attributes:\n" + "\n".join(found)


def test_the_synth_validates_once_for_all_exporters(tmp_path: Path, manifest: dict[str, Any]) -> None:
    calls = []
    real = models.Manifest.model_validate

    def counting(data: Any, *args: Any, **kwargs: Any) -> models.Manifest:
        calls.append(1)
        return real(data, *args, **kwargs)

    with mock.patch.object(models.Manifest, "model_validate", side_effect=counting):
        out = write_evidence(manifest, tmp_path / "bio2")
    assert len(calls) == 1
    assert len(list(out.iterdir())) == 9


def test_a_model_read_back_from_manifest_json_renders_the_synth_outputs(
    tmp_path: Path, manifest: dict[str, Any]
) -> None:
    """``bio2 report`` on the written manifest.json (sorted keys) writes the synth's bytes again:
    no output depends on the key order of the data (e.g. the HLD's design columns)."""
    out = write_evidence(manifest, tmp_path / "bio2")
    again = render_files(models.read_manifest(out / "manifest.json"), ALL_FORMATS)
    for name, data in again.items():
        if name != "bio2.sarif":  # the synth's SARIF also reads the templates beside it
            assert (out / name).read_bytes() == data, name
    assert manifest_digest(models.read_manifest(out / "manifest.json")) == manifest_digest(manifest)
