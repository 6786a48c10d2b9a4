"""``Bio2Checks``: the BIO2 rules as a cdk-nag 3 NagPack.

The same plugin as :class:`bio2_aspects.pack.Bio2Plugin` (it delegates ``validate`` to one), plus
cdk-nag's ``validate_scope`` for unit tests: the rules run on the construct tree, without writing
evidence. Use it where a cdk-nag pack is expected; ``Bio2(app)`` uses the plugin and does not load
cdk-nag at all.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import jsii
from cdk_nag import IApplyRule, NagMessageLevel, NagPack, NagRuleCompliance
from constructs import IConstruct

from bio2_aspects.engine import RuleSet, evaluate_stack
from bio2_aspects.pack import PLUGIN_NAME, Bio2Plugin
from bio2_aspects.rules.base import Level, Result, Rule, StackView
from bio2_aspects.scope import Scope
from bio2_aspects.tagger import render_stack


@jsii.implements(IApplyRule)
class _ApplyRule:
    """One BIO2 rule wrapped for cdk-nag's ``applyRule`` (members are read as jsii properties)."""

    def __init__(self, rule: Rule, node: cdk.CfnResource, compliance: NagRuleCompliance):
        self._rule = rule
        self._node = node
        self._compliance = compliance

    @property
    def explanation(self) -> str:
        return f"Fix: {self._rule.fix}"

    @property
    def info(self) -> str:
        return self._rule.finding

    @property
    def level(self) -> NagMessageLevel:
        return NagMessageLevel.ERROR if self._rule.level is Level.ERROR else NagMessageLevel.WARN

    @property
    def node(self) -> cdk.CfnResource:
        return self._node

    @property
    def rule_suffix_override(self) -> str:
        # cdk-nag names the finding "<pack name>-<suffix>": BIO2-S3-Versioning
        return self._rule.id.removeprefix(f"{PLUGIN_NAME}-")

    def rule(self, node: cdk.CfnResource) -> NagRuleCompliance:
        return self._compliance


_COMPLIANCE = {
    Result.COMPLIANT: NagRuleCompliance.COMPLIANT,
    Result.NON_COMPLIANT: NagRuleCompliance.NON_COMPLIANT,
    Result.NOT_APPLICABLE: NagRuleCompliance.NOT_APPLICABLE,
}


class Bio2Checks(NagPack):
    """The BIO2 rule pack (cdk-nag). Arguments as for :class:`bio2_aspects.pack.Bio2Plugin`."""

    def __init__(
        self,
        scope: IConstruct | None = None,
        *,
        rules: RuleSet | None = None,
        bio2_scope: Scope | None = None,
        report_only: bool | None = None,
        evidence_dir: str | os.PathLike[str] | None = None,
        exporters: Sequence[Callable[[dict[str, Any], Path], Any]] | None = None,
        verbose: bool = False,
    ) -> None:
        super().__init__(scope, verbose=verbose)
        self._pack_name = PLUGIN_NAME
        self.plugin = Bio2Plugin(
            scope,
            rules=rules,
            bio2_scope=bio2_scope,
            report_only=report_only,
            evidence_dir=evidence_dir,
            exporters=exporters,
        )
        self.rules = self.plugin.rules
        self._views: dict[str, tuple[StackView, dict[str, str]]] = {}
        self._results: dict[str, dict[tuple[str, str], Result]] = {}

    @property
    def name(self) -> str:
        return PLUGIN_NAME

    @property
    def version(self) -> str:
        return self.plugin.version

    @property
    def rule_ids(self) -> list[str]:
        return self.plugin.rule_ids

    @property
    def report_only(self) -> bool:
        return self.plugin.report_only

    @property
    def last_manifest(self) -> dict[str, Any] | None:
        return self.plugin.last_manifest

    def validate(self, context: cdk.IPolicyValidationContext) -> cdk.PolicyValidationPluginReport:
        return self.plugin.validate(context)

    # -------------------------------------------------------------- cdk-nag style (validate_scope)

    def _check_resource(self, node: cdk.CfnResource) -> None:
        rules = self.rules.for_type(node.cfn_resource_type)
        if not rules:
            return
        stack = cdk.Stack.of(node)
        key = stack.node.path
        if key not in self._views:
            view, pairs = render_stack(stack, self.rules)
            self._views[key] = (view, {c.node.path: lid for c, lid in pairs})
        view, lids = self._views[key]
        resource = view.get(lids[node.node.path])
        if resource is None:
            return
        if key not in self._results:  # the engine's evaluation: resource Conditions included
            evaluated = evaluate_stack(view, self.rules)
            self._results[key] = {(r.logical_id, r.rule.id): r.result for r in evaluated}
        results = self._results[key]
        for rule in rules:
            result = results[(resource.logical_id, rule.id)]
            self._apply_rule(_ApplyRule(rule, node, _COMPLIANCE[result]))
