"""The JSON writers: orjson's text, which is the standard library's for everything but floats.

``manifest.json`` (and so the manifest SHA-256 in every output), SARIF, OSCAL and the HTML
report's data go through ``common.pretty_json_bytes`` / ``common.compact_json``: orjson's text,
the standard library's where orjson refuses the value or is missing. For strings, integers,
booleans, None, dicts, lists and tuples the two are the same bytes; floats are written in their
shortest form and NaN and the infinities as null (orjson's way), by every writer alike.
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


#: Values whose text is the standard library's, byte for byte.
CASES: list[Any] = [
    {},
    [],
    {"a": {}, "b": [], "c": [{}], "d": [[]]},
    {"ctrl": "".join(chr(i) for i in range(0x20)), "esc": '"\\/\x7f', "u": "é ü 😀 \u2028 \u2029 \ufeff"},
    {chr(c) + "k": c for c in (0x41, 0x61, 0xE9, 0x3B1, 0x4E00, 0xFF21, 0x1F600, 0x10000, 0xFFFD)},
    {"big": [2**63 - 1, -(2**63), 2**64 - 1, 0, -1], "t": True, "f": False, "n": None},
    {"tuple": (1, "x", (None,))},
    {"enums": [_Theme.TECH, _Mixed.A, _Text("plain")]},
    # what orjson refuses, which the standard library writes:
    {"huge": 2**64},
    {1: "int key"},
]

#: Floats: orjson's shortest form, the same from every writer (JSON has no NaN: null).
FLOATS: list[tuple[Any, bytes]] = [
    ({"f": [1.0, 0.1, 1e16, 1e-7, 1e-5, -0.0, 2.5]}, b'{"f":[1.0,0.1,1e+16,1e-7,0.00001,-0.0,2.5]}'),
    (
        {"nan": float("nan"), "inf": float("inf"), "ninf": float("-inf")},
        b'{"inf":null,"nan":null,"ninf":null}',
    ),
]


@pytest.mark.parametrize("value", CASES, ids=range(len(CASES)))
def test_same_bytes_as_the_standard_library(value: Any) -> None:
    assert common.pretty_json_bytes(value) == _pretty(value)
    assert common.compact_json(value) == _compact(value)


@pytest.mark.parametrize("value, compact", FLOATS, ids=["finite", "nan-inf"])
def test_floats_in_their_shortest_form_from_every_writer(value: Any, compact: bytes) -> None:
    assert common.compact_json(value).encode() == compact
    pretty = common.pretty_json_bytes(value)
    assert pretty.endswith(b"}\n") and pretty.replace(b"\n", b"").replace(b" ", b"") == compact
    # read back and written again (``bio2 report``, the digest of a manifest read from disk): the
    # same bytes
    assert common.pretty_json_bytes(common.load_json_bytes(pretty)) == pretty


def test_an_integer_beyond_64_bits_reads_back_exactly() -> None:
    """A template value such as ``123456789012345678901234567890`` that reaches a manifest is
    written by the standard library (orjson refuses it) and read back as the same integer (orjson
    would read it as a float), so the manifest keeps its bytes."""
    value = {"n": 123456789012345678901234567890, "m": -(2**70)}
    pretty = common.pretty_json_bytes(value)
    assert b"123456789012345678901234567890" in pretty
    assert common.load_json_bytes(pretty) == value
    assert common.pretty_json_bytes(common.load_json_bytes(pretty)) == pretty


def test_what_neither_writes_is_refused_by_both() -> None:
    import dataclasses
    import datetime

    @dataclasses.dataclass
    class Point:
        x: int

    for value in ({"p": Point(1)}, {"t": datetime.datetime(2026, 1, 1)}, {"s": {1, 2}}):
        with pytest.raises(TypeError):
            common.pretty_json_bytes(value)
        with pytest.raises(TypeError):
            common.compact_json(value)


def test_without_orjson(monkeypatch: pytest.MonkeyPatch, manifest: dict[str, Any]) -> None:
    fast = common.pretty_json_bytes(manifest), common.compact_json(manifest)
    monkeypatch.setattr(common, "_orjson", None)
    assert (common.pretty_json_bytes(manifest), common.compact_json(manifest)) == fast


def test_a_lone_surrogate_is_written_escaped_and_reads_back_to_the_same_bytes() -> None:
    """A construct ID with a lone surrogate reaches the manifest escaped (the whole text in ASCII),
    instead of failing the synth; read back and written again, it keeps its bytes."""
    value = {"x": "\ud800", "y": "é"}
    pretty = common.pretty_json_bytes(value)
    assert pretty == (json.dumps(value, indent=2, sort_keys=True) + "\n").encode("ascii")
    assert json.loads(pretty) == value
    assert common.pretty_json_bytes(common.load_json_bytes(pretty)) == pretty
    assert common.compact_json(value) == json.dumps(value, sort_keys=True, separators=(",", ":"))


def test_subclasses_are_written_as_the_standard_library_writes_them() -> None:
    class Odd(dict):  # type: ignore[type-arg]
        def items(self):  # type: ignore[no-untyped-def]
            return [("shown", 1)]

    class Count(int):
        pass

    class Names(list):  # type: ignore[type-arg]
        pass

    value = {"d": Odd(hidden=2), "i": Count(3), "l": Names(["a", _Text("b")]), "e": _Theme.TECH}
    assert common.pretty_json_bytes(value) == _pretty(value)
    assert common.compact_json(value) == _compact(value)


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
