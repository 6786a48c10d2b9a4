"""Build rule inputs (StackView + Resource) from template-like dicts, for the rule tests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bio2_aspects.rules import Resource, StackView


def stack_from(template: Mapping[str, Any], name: str = "TestStack") -> StackView:
    """A StackView over ``template["Resources"]`` (a synthesized-template-like dict)."""
    resources: dict[str, Resource] = {}
    stack = StackView(name=name, resources=resources)
    for logical_id, body in template["Resources"].items():
        resources[logical_id] = Resource(
            logical_id=logical_id,
            type=body["Type"],
            properties=body.get("Properties", {}),
            stack=stack,
            deletion_policy=body.get("DeletionPolicy"),
            update_replace_policy=body.get("UpdateReplacePolicy"),
        )
    return stack


def resource_from(template: Mapping[str, Any], logical_id: str = "R") -> Resource:
    """The resource ``logical_id`` of ``template``, with its stack wired up."""
    resource = stack_from(template).get(logical_id)
    if resource is None:
        raise KeyError(f"{logical_id!r} not in template")
    return resource


def body(cfn_type: str, properties: Mapping[str, Any] | None = None, **attributes: Any) -> dict[str, Any]:
    """One resource entry: ``{"Type": ..., "Properties": ..., **attributes}``."""
    return {"Type": cfn_type, "Properties": dict(properties or {}), **attributes}


def template(**resources: dict[str, Any]) -> dict[str, Any]:
    """``{"Resources": {...}}`` from keyword arguments (logical ID = keyword)."""
    return {"Resources": resources}


def single(cfn_type: str, properties: Mapping[str, Any] | None = None, **attributes: Any) -> dict[str, Any]:
    """A template with one resource ``R``."""
    return template(R=body(cfn_type, properties, **attributes))


def evaluation_rows(
    stacks: Iterable[Mapping[str, Any]], conditions: Mapping[str, Any], name: str = "T"
) -> list[tuple[str, str, str, str]]:
    """Every rule result (rule, logical ID, result, detail) of each stack's ``Resources`` evaluated
    whole with every rule of the library, the conditions given: what a differential test compares
    between two implementations of a lookup."""
    from bio2_aspects.engine import RuleSet, build_view, evaluate_stack

    out: list[tuple[str, str, str, str]] = []
    for resources in stacks:
        view = build_view(name, resources, conditions=conditions)
        out += [(r.rule.id, r.logical_id, r.result.value, r.detail) for r in evaluate_stack(view, RuleSet())]
    return out
