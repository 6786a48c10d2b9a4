"""The configuration is read as YAML 1.2 (core schema): one test per YAML 1.1 type trap."""

from __future__ import annotations

import pytest

from landing_zone.config import DEFAULT_CONFIG_PATH, ConfigError, load_config_text
from landing_zone.config.loader import parse
from landing_zone.config.yaml12 import load, source_text

EXAMPLE = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8")


def _problems(text: str) -> list:
    with pytest.raises(ConfigError) as caught:
        load_config_text(text, "lz.yaml")
    return caught.value.problems


@pytest.mark.parametrize(
    ("scalar", "expected"),
    [
        ("012345678901", 12345678901),  # YAML 1.1: octal
        ("0o17", 15),
        ("0x1F", 31),
        ("72:00", "72:00"),  # YAML 1.1: base 60 (4,320)
        ("1:30:00", "1:30:00"),
        ("yes", "yes"),  # YAML 1.1: true
        ("no", "no"),
        ("on", "on"),
        ("off", "off"),
        ("NO", "NO"),  # the Norway problem
        ("y", "y"),
        ("true", True),
        ("False", False),
        ("2026-12-31", "2026-12-31"),  # YAML 1.1: a date
        ("2026-12-31T10:00:00Z", "2026-12-31T10:00:00Z"),
        ("~", None),
        ("null", None),
        ("1_000", "1_000"),  # YAML 1.1: 1000
        ("+12", 12),
        ("=", "="),  # YAML 1.1: the value key
    ],
)
def test_core_schema_scalars(scalar: str, expected: object) -> None:
    value = load(f"key: {scalar}\n")["key"]
    assert value == expected and type(value) in (type(expected), *(type(expected).__subclasses__()))


@pytest.mark.parametrize("scalar", ["8.30", "5.10", "8.3", "1.0e3"])
def test_floats_keep_their_text(scalar: str) -> None:
    value = load(f"key: {scalar}\n")["key"]
    assert isinstance(value, float) and source_text(value) == scalar


def test_octal_account_id_is_reported_with_its_own_digits() -> None:
    text = EXAMPLE.replace('id: "222222222222"', "id: 012345678901")
    (problem,) = _problems(text)
    assert problem.path == "organization.accounts[name=log-archive].id"
    assert '"012345678901"' in problem.fix
    fixed = EXAMPLE.replace('id: "222222222222"', 'id: "012345678901"')
    assert load_config_text(fixed).organization.accounts[1].id == "012345678901"


def test_float_measure_id_fix_keeps_the_trailing_zero() -> None:
    text = EXAMPLE.replace('- id: "8.30"', "- id: 8.30")
    assert text != EXAMPLE
    problems = _problems(text)
    assert any('"8.30"' in problem.fix for problem in problems), problems
    assert not any('"8.3"' in problem.fix for problem in problems)


def test_version_5_10_is_not_5_1() -> None:
    assert source_text(load("v: 5.10")["v"]) == "5.10"


def test_sexagesimal_rto_is_refused() -> None:
    text = EXAMPLE.replace("rto_hours: 72", "rto_hours: 72:00")
    (problem,) = _problems(text)
    assert problem.path == "backup.tiers.low.rto_hours"
    assert "72:00" in problem.message


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Y", "1", "0"])
def test_booleans_are_only_true_or_false(word: str) -> None:
    text = EXAMPLE.replace("insights: false", f"insights: {word}")
    (problem,) = _problems(text)
    assert problem.path == "logging.insights"
    assert "insights: true or insights: false" in problem.fix


@pytest.mark.parametrize("word", ["true", "True", "TRUE", "false"])
def test_core_booleans_are_accepted(word: str) -> None:
    cfg = load_config_text(EXAMPLE.replace("insights: false", f"insights: {word}"))
    assert cfg.logging.insights is (word.lower() == "true")


def test_dates_stay_text_not_date_objects() -> None:
    data, problems = parse("a: 2026-01-01\n")
    assert data == {"a": "2026-01-01"} and not problems


def test_duplicate_keys_are_still_reported() -> None:
    _, problems = parse("a: 1\na: 2\n", "f.yaml")
    assert problems and "written twice" in problems[0].message


def test_large_config_parses_completely() -> None:
    """3,000 accounts read in full (the speed of the reading is a benchmark, not a test:
    python -m benchmarks.org_scale parses 1,000-account configurations)."""
    accounts = "\n".join(
        f'    - {{name: acct-{i}, id: "{100000000000 + i}", email: a{i}@x.example, ou: Workloads, '
        "role: workload, environment: prod}"
        for i in range(3000)
    )
    text = f"version: 1\norganization:\n  accounts:\n{accounts}\n"
    data, _ = parse(text)
    assert len(data["organization"]["accounts"]) == 3000
    assert data["organization"]["accounts"][7]["id"] == "100000000007"
