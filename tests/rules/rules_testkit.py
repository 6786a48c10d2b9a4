"""Build rule inputs (StackView + Resource) from template-like dicts, for the rule tests."""

from __future__ import annotations

from collections.abc import Mapping
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
