"""The tagged template's bytes: orjson's fast path writes exactly what ``json.dumps`` writes."""

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
    {"Threshold": 0.5, "Big": 1e16, "Small": 1e-07},  # floats: the standard library's path
    {"Huge": 2**70},  # beyond 64 bits: the standard library's path
    {"Lone": "\ud800"},  # a lone surrogate: the standard library's path
]


@pytest.mark.parametrize("indent", [None, 1, 2])
@pytest.mark.parametrize("value", CASES)
def test_same_bytes_as_json_dumps(value: Any, indent: int | None) -> None:
    expected = json.dumps(
        value, ensure_ascii=False, indent=indent, separators=(",", ":") if indent is None else None
    ).encode("utf-8", errors="surrogatepass")
    if "Lone" in value if isinstance(value, dict) else False:
        with pytest.raises(UnicodeEncodeError):
            ordered_json_bytes(value, indent)
        return
    assert ordered_json_bytes(value, indent) == expected


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
