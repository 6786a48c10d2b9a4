"""The fast JSON writers write exactly what the standard library writes.

``manifest.json`` (and so the manifest SHA-256 in every output), SARIF, OSCAL and the HTML
report's data go through ``common.pretty_json_bytes`` / ``common.compact_json``, which use orjson
where it gives the same bytes and the standard library otherwise.
"""

from __future__ import annotations

import enum
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from bio2_aspects.evidence import common
from bio2_aspects.evidence.manifest import dumps
from bio2_aspects.evidence.writer import write_evidence


class _Theme(enum.StrEnum):
    TECH = "technological"


class _Mixed(str, enum.Enum):  # noqa: UP042 - the pre-3.11 form, on purpose
    A = "a"


class _Text(str):
    pass


def _pretty(value: Any) -> bytes:
    return (json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


#: Values the fast path takes, and values it must leave to the standard library.
CASES: list[Any] = [
    {},
    [],
    {"a": {}, "b": [], "c": [{}], "d": [[]]},
    {"ctrl": "".join(chr(i) for i in range(0x20)), "esc": '"\\/\x7f', "u": "é ü 😀 \u2028 \u2029 \ufeff"},
    {chr(c) + "k": c for c in (0x41, 0x61, 0xE9, 0x3B1, 0x4E00, 0xFF21, 0x1F600, 0x10000, 0xFFFD)},
    {"big": [2**63 - 1, -(2**63), 2**64 - 1, 0, -1], "t": True, "f": False, "n": None},
    {"tuple": (1, "x", (None,))},
    {"enums": [_Theme.TECH, _Mixed.A, _Text("plain")]},
    # the standard library's path:
    {"huge": 2**64},
    {"float": [1.0, 0.1, 1e16, 1e-7, -0.0]},
    {"nan": float("nan"), "inf": float("inf")},
    {1: "int key"},
]


@pytest.mark.parametrize("value", CASES, ids=range(len(CASES)))
def test_same_bytes_as_the_standard_library(value: Any) -> None:
    assert common.pretty_json_bytes(value) == _pretty(value)
    assert common.compact_json(value) == _compact(value)


def test_fast_path_is_taken_for_plain_data(manifest: dict[str, Any]) -> None:
    assert common._plain_json(manifest)
    assert common._plain_json({"x": [_Theme.TECH, _Text("y")]})
    assert not common._plain_json({"x": [1.5]})
    assert not common._plain_json({"x": {1, 2}})


def test_without_orjson(monkeypatch: pytest.MonkeyPatch, manifest: dict[str, Any]) -> None:
    fast = common.pretty_json_bytes(manifest), common.compact_json(manifest)
    monkeypatch.setattr(common, "_orjson", None)
    assert (common.pretty_json_bytes(manifest), common.compact_json(manifest)) == fast


def test_lone_surrogates_fail_as_before() -> None:
    with pytest.raises(UnicodeEncodeError):
        common.pretty_json_bytes({"x": "\ud800"})


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_manifest_json_is_manifest_dumps(tmp_path: Path, manifest: dict[str, Any], lang: str) -> None:
    manifest["language"] = lang
    expected = dumps(manifest).encode("utf-8")
    assert common.manifest_bytes(manifest) == expected
    out = write_evidence(manifest, tmp_path / "bio2")
    assert (out / "manifest.json").read_bytes() == expected
    digest = hashlib.sha256(expected).hexdigest()
    assert common.manifest_digest(manifest) == digest
    assert digest in (out / "hld.md").read_text(encoding="utf-8")


def test_write_evidence_hashes_the_manifest_once(
    tmp_path: Path, manifest: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default exporters reuse the hash of the manifest.json just written."""
    from bio2_aspects.evidence import exporters

    def fail(_manifest: dict[str, Any]) -> str:
        raise AssertionError("manifest hashed again")

    monkeypatch.setattr(exporters, "manifest_digest", fail)
    write_evidence(manifest, tmp_path / "bio2")
