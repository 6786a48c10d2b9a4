"""Indexes that keep the evaluation linear in the size of a template: same answers as a scan."""

from __future__ import annotations

from typing import Any

from bio2_aspects.assembly import StackTemplate
from bio2_aspects.engine import build_view
from bio2_aspects.evidence import inventory


def _resources() -> dict[str, Any]:
    kinds = ["AWS::SQS::Queue", "AWS::SNS::Subscription", "AWS::Lambda::Function", "AWS::SQS::Queue"]
    return {f"R{i:03d}": {"Type": kinds[i % len(kinds)], "Properties": {}} for i in range(40)}


def test_of_type_answers_as_a_scan_in_template_order() -> None:
    view = build_view("T.template.json", _resources())
    for types in (
        ("AWS::SQS::Queue",),
        ("AWS::SQS::Queue", "AWS::SNS::Subscription"),
        ("AWS::SNS::Subscription", "AWS::SQS::Queue"),
        ("AWS::Lambda::Function", "AWS::Nope::Nope"),
        ("AWS::Nope::Nope",),
        (),
    ):
        scan = [r.logical_id for r in view.resources.values() if r.type in types]
        assert [r.logical_id for r in view.of_type(*types)] == scan, types
        assert [r.logical_id for r in view.of_type(*types)] == scan, types  # the second answer too


def test_log_groups_are_indexed_once_per_template(monkeypatch: Any) -> None:
    resources = {
        **{
            f"Group{i}": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 365}}
            for i in range(5)
        },
        **{f"Fn{i}": {"Type": "AWS::Lambda::Function", "Properties": {}} for i in range(30)},
    }
    stacks = [
        StackTemplate(
            artifact_id=f"S{n}",
            stack_name=f"S{n}",
            template_file=f"S{n}.template.json",
            template={"Resources": resources},
            sha256="0" * 64,
            account="123456789012",
            region="eu-central-1",
        )
        for n in range(2)
    ]
    calls: list[int] = []
    real = inventory._log_group_index

    def counting(res: Any) -> Any:
        calls.append(len(res))
        return real(res)

    monkeypatch.setattr(inventory, "_log_group_index", counting)
    rows = inventory.log_sources(stacks)
    assert len(calls) == 2  # one per template, not one per resource
    assert sum(r["log"] == "log-group" for r in rows) == 10


# ------------------------------------------------------------------ references and dead-letter queues


def _ref(lid: str) -> dict[str, Any]:
    return {"Ref": lid}


def _att(lid: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [lid, "Arn"]}


REFERENCE_VALUES: list[Any] = [
    None,
    "R001",
    _ref("R001"),
    _att("R002"),
    {"Fn::GetAtt": "R003.Arn"},
    {"Fn::If": ["Cond", _att("R004"), {"Ref": "AWS::NoValue"}]},
    {"Fn::Join": ["", ["arn:", _ref("R005"), ":", {"Fn::GetAtt": ["R006", "Arn"]}]]},
    [_ref("R007"), {"Nested": {"Deeper": [_att("R008")]}}],
    {"Ref": 7},
    {"Fn::GetAtt": [8, "Arn"]},
    {"Ref": "R009", "Other": "two keys: not a reference itself"},
    {"Sub": {"Ref": "R010"}},
]


def test_referenced_ids_are_the_ids_refers_to_finds() -> None:
    from bio2_aspects.rules.base import referenced_ids, refers_to

    candidates = [f"R{i:03d}" for i in range(12)] + ["AWS::NoValue", "Cond"]
    for value in REFERENCE_VALUES:
        found = {c for c in candidates if refers_to(value, c)}
        assert found == referenced_ids(value) & set(candidates), value


def _scan_dead_letter_source(res: Any) -> str | None:
    """The scan ``dlq._is_dead_letter_queue`` replaced, kept here as the oracle."""
    from bio2_aspects.rules._helpers import lookup
    from bio2_aspects.rules.base import refers_to

    for other in res.stack.of_type("AWS::SQS::Queue", "AWS::SNS::Subscription"):
        if other.logical_id != res.logical_id and refers_to(
            lookup(other.properties, "RedrivePolicy", "deadLetterTargetArn"), res.logical_id
        ):
            return other.logical_id
    for function in res.stack.of_type("AWS::Lambda::Function"):
        if refers_to(lookup(function.properties, "DeadLetterConfig", "TargetArn"), res.logical_id):
            return function.logical_id
    return None


def _dead_letter_template() -> dict[str, Any]:
    q, sub, fn = "AWS::SQS::Queue", "AWS::SNS::Subscription", "AWS::Lambda::Function"
    redrive = "RedrivePolicy"
    return {
        "Dlq": {"Type": q, "Properties": {}},
        "Dlq2": {"Type": q, "Properties": {}},
        "Self": {"Type": q, "Properties": {redrive: {"deadLetterTargetArn": _att("Self")}}},
        "A": {"Type": q, "Properties": {redrive: {"deadLetterTargetArn": _att("Dlq")}}},
        "B": {"Type": q, "Properties": {redrive: {"deadLetterTargetArn": _att("Dlq")}}},  # second source
        "Sub": {"Type": sub, "Properties": {redrive: {"deadLetterTargetArn": _att("Dlq2")}}},
        "Fn": {"Type": fn, "Properties": {"DeadLetterConfig": {"TargetArn": _att("FnDlq")}}},
        "FnDlq": {"Type": q, "Properties": {}},
        "Lonely": {"Type": q, "Properties": {}},
    }


def test_dead_letter_sources_answer_as_the_scan() -> None:
    from bio2_aspects.rules import dlq

    view = build_view("T.template.json", _dead_letter_template())
    for res in view.of_type("AWS::SQS::Queue"):
        assert dlq._is_dead_letter_queue(res) == _scan_dead_letter_source(res), res.logical_id
    assert dlq._is_dead_letter_queue(view.resources["Dlq"]) == "A"
    assert dlq._is_dead_letter_queue(view.resources["Self"]) is None


def test_an_unverifiable_source_raises_where_the_scan_raised() -> None:
    import pytest

    from bio2_aspects.rules import dlq
    from bio2_aspects.rules._helpers import Unverifiable

    resources = _dead_letter_template()
    # "0Early" comes first in template order (sorted IDs): its RedrivePolicy is a whole intrinsic
    resources["0Early"] = {
        "Type": "AWS::SQS::Queue",
        "Properties": {"RedrivePolicy": {"Fn::If": ["Cond", {"deadLetterTargetArn": _att("Dlq")}, {}]}},
    }
    view = build_view("T.template.json", resources)
    for res in view.of_type("AWS::SQS::Queue"):
        try:
            expected: Any = _scan_dead_letter_source(res)
        except Unverifiable:
            expected = Unverifiable
        if expected is Unverifiable:
            with pytest.raises(Unverifiable):
                dlq._is_dead_letter_queue(res)
        else:
            assert dlq._is_dead_letter_queue(res) == expected, res.logical_id
    with pytest.raises(Unverifiable):  # reached before any source that names it
        dlq._is_dead_letter_queue(view.resources["Dlq"])
    assert dlq._is_dead_letter_queue(view.resources["0Early"]) is None  # skips itself, as the scan did


def test_custom_resource_handlers_answer_as_the_scan() -> None:
    from bio2_aspects.engine import RuleSet, evaluate_stack

    fn = "AWS::Lambda::Function"
    resources = {
        "Handler": {"Type": fn, "Properties": {}},
        "Other": {"Type": fn, "Properties": {}},
        "Custom1": {"Type": "Custom::Thing", "Properties": {"ServiceToken": _att("Handler")}},
        "Custom2": {
            "Type": "AWS::CloudFormation::CustomResource",
            "Properties": {"ServiceToken": _att("Handler")},
        },
    }
    results = {
        r.logical_id: (r.result.value, str(r.detail))
        for r in evaluate_stack(build_view("T", resources), RuleSet())
        if r.rule.id == "BIO2-Lambda-DeadLetterQueue"
    }
    assert results["Handler"] == ("not_applicable", "custom-resource handler of Custom1")
    assert results["Other"][0] == "non_compliant"
