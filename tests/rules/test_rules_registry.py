"""Registry invariants: IDs, ordering, type index, levels, documentation, BIO2 measure IDs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import bio2_aspects.rules as rules_pkg
from bio2_aspects.rules import (
    ALL_RULES,
    RULE_MODULES,
    DuplicateRuleError,
    Level,
    Result,
    Rule,
    get_rule,
    index_rules,
    rules_for_type,
)
from bio2_aspects.rules.base import RULE_ID_PATTERN

REPO_ROOT = Path(__file__).resolve().parents[2]
MEASURES_FILE = REPO_ROOT.parent / "shared" / "data" / "bio2" / "maatregelen-v1.3.md"
NOT_A_MEASURE = ("geen overheidsmaatregel", "verplaatst", "vervallen")
HEADING = re.compile(r"^##\s+(\d\.\d{2}\.\d{2})\s*$")


def real_measures(path: Path) -> set[str]:
    """IDs of ``## C.CC.NN`` headings whose body is a real government measure."""
    measures: set[str] = set()
    current: str | None = None
    body: list[str] = []

    def close() -> None:
        text = " ".join(body).strip().lower()
        # A body that only points at another measure ("Zie overheidsmaatregel ...") is not one.
        pointer = text.startswith("zie overheidsmaatregel")
        if current and text and not pointer and not any(marker in text for marker in NOT_A_MEASURE):
            measures.add(current)

    for line in path.read_text(encoding="utf-8").splitlines():
        match = HEADING.match(line)
        if match:
            close()
            current, body = match.group(1), []
        elif line.startswith("#"):
            close()
            current, body = None, []
        elif current:
            body.append(line)
    close()
    return measures


def test_at_least_45_rules() -> None:
    assert len(ALL_RULES) >= 45


def test_ids_unique_and_sorted() -> None:
    ids = [r.id for r in ALL_RULES]
    assert len(ids) == len(set(ids))
    assert ids == sorted(ids)


@pytest.mark.parametrize("rule", ALL_RULES, ids=[r.id for r in ALL_RULES])
def test_rule_data(rule: Rule) -> None:
    assert RULE_ID_PATTERN.match(rule.id)
    assert rule.id.startswith("BIO2-")
    assert isinstance(rule.level, Level)
    assert rule.finding and rule.fix and rule.description
    assert rule.resource_types == tuple(dict.fromkeys(rule.resource_types)), "duplicate resource types"
    assert all("::" in t for t in rule.resource_types)


def test_duplicate_ids_are_rejected() -> None:
    rule = ALL_RULES[0]
    with pytest.raises(DuplicateRuleError, match=re.escape(rule.id)):
        index_rules([(rule, "module_a"), (rule, "module_b")])


def test_rules_for_type() -> None:
    s3 = {r.id for r in rules_for_type("AWS::S3::Bucket")}
    assert {"BIO2-S3-KmsEncryption", "BIO2-S3-TlsOnly", "BIO2-Tagging-Classification"} <= s3
    assert rules_for_type("AWS::Not::AType") == ()
    assert rules_for_type("AWS::S3::Bucket") is rules_for_type("AWS::S3::Bucket")
    for rule in ALL_RULES:
        for cfn_type in rule.resource_types:
            assert rule in rules_for_type(cfn_type)


def test_get_rule() -> None:
    assert get_rule("BIO2-KMS-KeyRotation").id == "BIO2-KMS-KeyRotation"
    with pytest.raises(KeyError, match="unknown rule id"):
        get_rule("BIO2-Nope-Nope")


def test_reexports() -> None:
    for name in ("Result", "Level", "Rule", "Resource", "StackView"):
        assert hasattr(rules_pkg, name)
    assert Result.COMPLIANT.value == "compliant"


def test_every_module_docstring_names_its_measures() -> None:
    by_module: dict[str, set[str]] = {}
    for module in RULE_MODULES:
        for value in vars(module).values():
            if isinstance(value, Rule):
                by_module.setdefault(module.__name__, set()).update(value.measures)
    for module in RULE_MODULES:
        doc = module.__doc__ or ""
        assert "Measures:" in doc, f"{module.__name__} docstring has no 'Measures:' line"
        for measure in by_module.get(module.__name__, ()):
            assert measure in doc, f"{module.__name__} docstring does not mention {measure}"


def test_measure_ids_exist_in_bio2() -> None:
    if not MEASURES_FILE.exists():
        pytest.skip(f"BIO2 measures file not available at {MEASURES_FILE}")
    real = real_measures(MEASURES_FILE)
    assert len(real) > 100, "parsing the measures file went wrong"
    assert "5.03.01" not in real and "8.24.03" not in real and "5.04.02" not in real and "8.08.06" not in real
    unknown = {f"{r.id}: {m}" for r in ALL_RULES for m in r.measures if m not in real}
    assert not unknown, f"measure IDs that are not real BIO2 v1.3 measures: {sorted(unknown)}"
