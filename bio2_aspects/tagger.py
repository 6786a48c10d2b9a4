"""Measure tags before synthesis: the only part of the engine that talks to the construct tree."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import jsii
from constructs import IConstruct

from bio2_aspects.cfn_names import convert
from bio2_aspects.engine import (
    RuleSet,
    build_view,
    evaluate_stack,
    known_pseudo,
    measure_tag_values,
    satisfied_measures,
)
from bio2_aspects.rules.base import StackView

_DELETION_POLICY_NAMES = {
    "RETAIN": "Retain",
    "DELETE": "Delete",
    "SNAPSHOT": "Snapshot",
    "RETAIN_EXCEPT_ON_CREATE": "RetainExceptOnCreate",
}


_TYPE_BY_CLASS: dict[type, str] = {}


def _l1_type(cls: type) -> str:
    """The CloudFormation type of an L1 class (a class constant, one round trip per class), or ""
    for a generic CfnResource, whose type is per instance."""
    cached = _TYPE_BY_CLASS.get(cls)
    if cached is None:
        generic = cls is cdk.CfnResource or not hasattr(cls, "CFN_RESOURCE_TYPE_NAME")
        cached = _TYPE_BY_CLASS[cls] = "" if generic else cls.CFN_RESOURCE_TYPE_NAME
    return cached


def _resource_type(c: cdk.CfnResource) -> str:
    """The CloudFormation type of a resource."""
    return _l1_type(type(c)) or c.cfn_resource_type


def _render_all(stack: cdk.Stack, cfns: list[cdk.CfnResource], types: list[str]) -> list[Any]:
    """Every resource's properties with CloudFormation names, as ``_render_properties`` gives them.

    L1 resources are renamed in Python (:mod:`bio2_aspects.cfn_names`); the others, and any
    resource the name data cannot place exactly, go through CDK's ``_render_properties`` in one
    batched resolve.
    """
    raw = stack.resolve([c._cfn_properties for c in cfns])
    rendered: list[Any] = [None] * len(cfns)
    slow: list[int] = []
    for i, (c, cfn_type, props) in enumerate(zip(cfns, types, raw, strict=True)):
        if _l1_type(type(c)):  # a generic CfnResource (custom resources...) is left to CDK
            converted, fallbacks = convert(cfn_type, props)
            if not fallbacks:
                rendered[i] = converted
                continue
        slow.append(i)
    if slow:
        again = stack.resolve([cfns[i]._render_properties(raw[i] or {}) for i in slow])
        for i, props in zip(slow, again, strict=True):
            rendered[i] = props
    return rendered


def _logical_ids(stack: cdk.Stack, elements: list[Any]) -> list[str]:
    """The logical IDs the template will use, ``override_logical_id`` included (one batched resolve;
    ``Stack.get_logical_id`` gives the allocated ID and misses overrides, which broke relations such
    as a bucket policy's ``Ref`` to its bucket)."""
    return stack.resolve([e.logical_id for e in elements])


def render_stack(stack: cdk.Stack, rules: RuleSet) -> tuple[StackView, list[tuple[cdk.CfnResource, str]]]:
    """A :class:`StackView` of a stack's resources before synthesis, plus (resource, logical ID) pairs.

    Renders every resource of the stack (rules may look at related resources), resolving tokens in
    one batched call per stack (two when some resource needs CDK's own renderer, see
    :func:`_render_all`). Escape-hatch overrides are not visible here; the evaluation after
    synthesis is the authoritative one.
    """
    found = stack.node.find_all()
    cfns = [c for c in found if isinstance(c, cdk.CfnResource)]
    cfn_conditions = [c for c in found if isinstance(c, cdk.CfnCondition)]
    if any(isinstance(c, cdk.Stack) and c is not stack for c in found):
        # nested stacks hold their own resources: keep only this stack's (a round trip each)
        cfns = [c for c in cfns if cdk.Stack.of(c) is stack]
    if not cfns:
        return StackView(name=stack.artifact_id), []
    types = [_resource_type(c) for c in cfns]
    rendered = _render_all(stack, cfns, types)
    logical_ids = _logical_ids(stack, cfns)
    policy_types = rules.policy_types
    conditions: dict[str, Any] = {}
    if cfn_conditions:
        # Only stacks with conditions pay the round trips to read them (see engine.evaluate_stack).
        names = _logical_ids(stack, cfn_conditions)
        expressions = stack.resolve([c.expression for c in cfn_conditions])
        conditions = dict(zip(names, expressions, strict=True))
    resources: dict[str, Any] = {}
    for c, cfn_type, lid, props in zip(cfns, types, logical_ids, rendered, strict=True):
        body: dict[str, Any] = {"Type": cfn_type, "Properties": props or {}}
        if cfn_conditions:
            condition = c.cfn_options.condition
            if condition is not None:
                body["Condition"] = stack.resolve(condition.logical_id)
        if cfn_type in policy_types:
            opts = c.cfn_options
            for attr, key in (
                ("deletion_policy", "DeletionPolicy"),
                ("update_replace_policy", "UpdateReplacePolicy"),
            ):
                value = getattr(opts, attr)
                if value is not None:
                    body[key] = _DELETION_POLICY_NAMES.get(getattr(value, "name", ""), str(value))
        resources[lid] = body
    pseudo = known_pseudo(
        stack.account if not cdk.Token.is_unresolved(stack.account) else None,
        stack.region if not cdk.Token.is_unresolved(stack.region) else None,
    )
    view = build_view(stack.artifact_id, resources, conditions=conditions, pseudo=pseudo)
    return view, list(zip(cfns, logical_ids, strict=True))


@jsii.implements(cdk.IAspect)
class MeasureTagger:
    """Tags each taggable resource of a Stack with the BIO2 measures it satisfies.

    ``visit(stack)`` renders that stack's resources, evaluates the rules in plain Python and sets
    ``bio2:measures`` tags through each resource's TagManager. ``Bio2`` calls it from a validation
    hook per Stage, after every aspect has run (see ``bio2_aspects.bio2``); it also works as an
    Aspect, but an App's aspects do not reach stacks inside Stages.
    """

    def __init__(self, rules: RuleSet | None = None):
        self.rules = rules or RuleSet()

    def visit(self, node: IConstruct) -> None:
        if not isinstance(node, cdk.Stack):
            return
        view, pairs = render_stack(node, self.rules)
        satisfied = satisfied_measures(evaluate_stack(view, self.rules))
        for c, lid in pairs:
            measures = satisfied.get(lid)
            if not measures:
                continue
            manager = cdk.TagManager.of(c)
            if manager is None:
                continue
            for key, value in measure_tag_values(measures).items():
                manager.set_tag(key, value, 100, False)
