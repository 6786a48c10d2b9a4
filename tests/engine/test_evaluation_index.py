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
