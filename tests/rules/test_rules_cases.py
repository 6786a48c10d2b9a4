"""Every rule, run against its table of compliant / non-compliant / not-applicable cases."""

from __future__ import annotations

import pytest
from rules_cases import CASES, Case
from rules_testkit import resource_from

from bio2_aspects.rules import ALL_RULES, CONTROL_ONLY_RULES, Result, get_rule


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case) -> None:
    rule = get_rule(case.rule_id)
    resource = resource_from(case.template, case.target)
    assert resource.type in rule.resource_types or case.expected is Result.NOT_APPLICABLE, (
        f"{resource.type} is not in scope of {rule.id}"
    )
    result, detail = rule.evaluate(resource)
    assert result is case.expected, f"{case.id}: got {result.value} ({detail})"
    if case.detail_contains:
        assert case.detail_contains in detail, f"{case.id}: detail {detail!r}"
    if result is Result.NON_COMPLIANT:
        assert detail, f"{case.id}: a non-compliant result names the offending property"


@pytest.mark.parametrize(
    "rule", ALL_RULES + CONTROL_ONLY_RULES, ids=[r.id for r in ALL_RULES + CONTROL_ONLY_RULES]
)
def test_every_rule_has_compliant_and_non_compliant_cases(rule) -> None:
    outcomes = {c.expected for c in CASES if c.rule_id == rule.id}
    missing = {Result.COMPLIANT, Result.NON_COMPLIANT} - outcomes
    assert not missing, (
        f"{rule.id} has no {', '.join(sorted(m.value for m in missing))} case in rules_cases.py"
    )


def test_cases_name_known_rules() -> None:
    known = {r.id for r in ALL_RULES + CONTROL_ONLY_RULES}
    unknown = sorted({c.rule_id for c in CASES} - known)
    assert not unknown, f"cases for unknown rules: {unknown}"


def test_case_ids_are_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))
