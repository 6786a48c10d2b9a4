"""The engine's pure parts: measure tags, satisfied measures, views."""

from __future__ import annotations

import pytest

from bio2_aspects.engine import (
    MEASURES_TAG,
    RuleResult,
    RuleSet,
    build_view,
    evaluate_stack,
    measure_tag_values,
    measures_from_tags,
    satisfied_measures,
)
from bio2_aspects.rules.base import Result, rule


def test_tag_values_split_at_256_characters():
    measures = [f"8.{i // 10 + 10}.{i % 10 + 10}" for i in range(60)]
    tags = measure_tag_values(measures)
    assert list(tags) == [MEASURES_TAG, f"{MEASURES_TAG}:2"]
    assert all(len(v) <= 256 for v in tags.values())
    assert measures_from_tags(tags) == tuple(sorted(measures, key=lambda m: tuple(map(int, m.split(".")))))
    # 32 IDs of 7 characters + 31 spaces = 255 characters fit in the first tag
    assert len(tags[MEASURES_TAG].split()) == 32


def test_tag_values_refuse_more_tags_than_budgeted():
    with pytest.raises(ValueError, match="more than"):
        measure_tag_values(
            [f"{a}.{b:02d}.{c:02d}" for a in range(5, 9) for b in range(10, 40) for c in range(1, 4)]
        )


@rule("BIO2-Test-Passes", types=["AWS::Test::Thing"], measures=["8.15.01", "8.16.01"], finding="f", fix="x")
def _passes(res):
    return Result.COMPLIANT


@rule("BIO2-Test-Fails", types=["AWS::Test::Thing"], measures=["8.16.01"], finding="f", fix="x")
def _fails(res):
    return Result.NON_COMPLIANT, "bad"


@rule("BIO2-Test-Raises", types=["AWS::Test::Other"], measures=["8.20.01"], finding="f", fix="x")
def _raises(res):
    raise RuntimeError("boom")


@rule("BIO2-Test-Other", types=["AWS::Test::Thing"], measures=["8.24.04"], finding="f", fix="x")
def _other(res):
    return Result.COMPLIANT


def test_a_failing_rule_takes_its_measure_away():
    view = build_view("s", {"A": {"Type": "AWS::Test::Thing", "Properties": {}}})
    results = evaluate_stack(view, RuleSet([_passes, _fails, _other]))
    assert {r.rule.id: r.result for r in results} == {
        "BIO2-Test-Passes": Result.COMPLIANT,
        "BIO2-Test-Fails": Result.NON_COMPLIANT,
        "BIO2-Test-Other": Result.COMPLIANT,
    }
    # BIO2-Test-Passes shares 8.16.01 with the failing rule, so its 8.15.01 goes too; a rule with no
    # measure in common keeps its claim.
    assert satisfied_measures(results) == {"A": ("8.24.04",)}


def test_shared_measures_withdraw_transitively():
    @rule(
        "BIO2-Test-Chain", types=["AWS::Test::Thing"], measures=["8.15.01", "8.20.01"], finding="f", fix="x"
    )
    def _chain(res):
        return Result.COMPLIANT

    view = build_view("s", {"A": {"Type": "AWS::Test::Thing", "Properties": {}}})
    results = evaluate_stack(view, RuleSet([_passes, _fails, _chain, _other]))
    assert satisfied_measures(results) == {"A": ("8.24.04",)}


def test_a_neighbours_pass_never_counts():
    view = build_view(
        "s",
        {
            "A": {"Type": "AWS::Test::Thing", "Properties": {}},
            "B": {"Type": "AWS::Test::Other", "Properties": {}},
        },
    )
    results = evaluate_stack(view, RuleSet([_other]))
    assert satisfied_measures(results) == {"A": ("8.24.04",)}


def test_a_rule_that_raises_is_a_violation_not_a_pass():
    view = build_view("s", {"B": {"Type": "AWS::Test::Other", "Properties": {}}})
    [res] = evaluate_stack(view, RuleSet([_raises]))
    assert isinstance(res, RuleResult)
    assert res.result is Result.NON_COMPLIANT and "boom" in res.detail


def test_rules_can_be_excluded_by_id():
    rs = RuleSet([_passes, _fails], exclude=["BIO2-Test-Fails"])
    assert [r.id for r in rs.for_type("AWS::Test::Thing")] == ["BIO2-Test-Passes"]


def test_tags_follow_the_mapping_table(monkeypatch):
    """A measure the mapping table removes from a rule is no longer claimed by the rule's resources."""
    from bio2_aspects import engine
    from bio2_aspects.mappings import MeasureMapping

    def table(rule_id, fallback=()):
        if rule_id == "BIO2-Test-Other":
            return ()  # re-mapped to nothing
        return tuple(MeasureMapping(source=rule_id, measure=m, strength="supporting") for m in fallback)

    monkeypatch.setattr(engine, "rule_mappings", table)
    engine.rule_measures.cache_clear()
    try:
        view = build_view("s", {"A": {"Type": "AWS::Test::Thing", "Properties": {}}})
        results = evaluate_stack(view, RuleSet([_passes, _other]))
        assert satisfied_measures(results) == {"A": ("8.15.01", "8.16.01")}
    finally:
        engine.rule_measures.cache_clear()
