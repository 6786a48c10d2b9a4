"""The tagged template's bytes: what ``json.dumps`` writes with the keys in their order, floats in
their shortest form (orjson's), and a lone surrogate escaped rather than a crash."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bio2_aspects.evidence import common
from bio2_aspects.evidence.common import ordered_json_bytes

CASES: list[Any] = [
    {},
    [],
    {"Resources": {}},
    {
        "Resources": {
            "Zeta": {"Type": "AWS::S3::Bucket", "Properties": {"Tags": [{"Key": "b", "Value": "x"}]}},
            "Alpha": {
                "Type": "AWS::SQS::Queue",
                "Properties": {"VisibilityTimeout": 60, "List": [[], {}, [1]]},
            },
        },
        "Outputs": {"Ünïcode ☃": 'tab\there "quoted" back\\slash \u0001 \u2028 \x7f', "N": None, "T": True},
    },
    {"Deep": [[[[[{"a": [1, 2, {"b": "c"}]}]]]]]},
    {"Huge": 2**70},  # beyond 64 bits: the standard library's path
]


@pytest.mark.parametrize("indent", [None, 1, 2])
@pytest.mark.parametrize("value", CASES)
def test_same_bytes_as_json_dumps(value: Any, indent: int | None) -> None:
    expected = json.dumps(
        value, ensure_ascii=False, indent=indent, separators=(",", ":") if indent is None else None
    ).encode("utf-8")
    assert ordered_json_bytes(value, indent) == expected


@pytest.mark.parametrize("indent", [None, 1, 2])
def test_floats_in_their_shortest_form(indent: int | None) -> None:
    value = {"Threshold": 0.5, "Big": 1e16, "Small": 1e-07, "Tiny": 1e-05, "One": 1.0}
    data = ordered_json_bytes(value, indent)
    assert data.replace(b"\n", b"").replace(b" ", b"") == (
        b'{"Threshold":0.5,"Big":1e+16,"Small":1e-7,"Tiny":0.00001,"One":1.0}'
    )
    assert json.loads(data) == value


@pytest.mark.parametrize("indent", [None, 1, 2])
def test_a_lone_surrogate_is_written_escaped(indent: int | None) -> None:
    """Node writes a lone surrogate in a template as an escape; the tagged template does too (in
    ASCII throughout), where UTF-8 cannot hold it."""
    value = {"Lone": "\ud800", "Accent": "é"}
    data = ordered_json_bytes(value, indent)
    separators = (",", ":") if indent is None else None
    assert data == json.dumps(value, indent=indent, separators=separators).encode()
    assert b"\\ud800" in data and json.loads(data) == value


def test_without_orjson(monkeypatch: Any) -> None:
    monkeypatch.setattr(common, "_orjson", None)
    value = CASES[3]
    assert ordered_json_bytes(value, 1) == json.dumps(value, ensure_ascii=False, indent=1).encode()


def test_key_order_is_kept() -> None:
    assert ordered_json_bytes({"b": 1, "a": {"d": 2, "c": 3}}, None) == b'{"b":1,"a":{"d":2,"c":3}}'


def _random_value(rng: Any, depth: int) -> Any:
    """Nested dicts and lists up to 12 deep, with strings that hold runs of spaces and escaped line
    breaks (what the re-indentation must leave alone)."""
    if depth > 11 or rng.random() < 0.25:
        return rng.choice(["  ", "a\n  b", "\n", " x ", 1, -7, None, True, False, "", "\u00a0 ü"])
    if rng.random() < 0.5:
        return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {f"  k{i} ": _random_value(rng, depth + 1) for i in range(rng.randint(0, 3))}


@pytest.mark.parametrize("seed", range(5))
def test_indent_one_matches_json_dumps_on_random_nesting(seed: int) -> None:
    import random

    rng = random.Random(seed)
    for _ in range(400):
        value = _random_value(rng, 0)
        assert ordered_json_bytes(value, 1) == json.dumps(value, ensure_ascii=False, indent=1).encode()
