"""Removal-suite helpers: re-run the post-synthesis evaluation on mutated copies of written templates.

The default landing zone is synthesized once (``default_synth``); each removal case deep-copies its
templates, changes them the way a config switch or an escape-hatch override would, and builds the
manifest again from the mutated templates (the same code the CDK validation plugin runs), which
takes about a second instead of a synth.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bio2_aspects.assembly import StackTemplate, find_templates, read_assembly
from bio2_aspects.catalog import load_catalog
from bio2_aspects.engine import RuleSet, evaluate_templates
from bio2_aspects.evidence.manifest import build_manifest
from bio2_aspects.evidence.status import ROLL_UP_ORDER
from bio2_aspects.scope import Scope

#: Lower is weaker. "Lowers the status" compares these ranks.
#: Higher is better: the status logic's own roll-up order (worst first), excluded lowest.
STATUS_RANK = {status: rank for rank, status in enumerate(("excluded", *ROLL_UP_ORDER[:-1]))}


@dataclass
class Evidence:
    """The assembly as read from disk, and the manifest built from it."""

    stacks: list[StackTemplate]
    scope: Scope
    manifest: dict[str, Any]

    def measure(self, measure_id: str) -> dict[str, Any]:
        return next(m for m in self.manifest["measures"] if m["id"] == measure_id)

    def status(self, measure_id: str) -> str:
        return self.measure(measure_id)["status"]

    def claim_items(self, measure_id: str, claim_id: str, result: str = "pass") -> list[dict[str, Any]]:
        return [
            i
            for i in self.measure(measure_id)["evidence"]
            if i.get("claim") == claim_id and i["result"] == result
        ]

    def claims(self, claim_id: str) -> list[dict[str, Any]]:
        return [c for c in self.manifest["claims"] if c["id"] == claim_id]


def manifest_of(stacks: list[StackTemplate], scope: Scope) -> dict[str, Any]:
    rules = RuleSet()
    return build_manifest(evaluate_templates(stacks, rules), load_catalog(), rules, scope)


def resources(
    stacks: list[StackTemplate], cfn_type: str
) -> Iterator[tuple[StackTemplate, str, dict[str, Any]]]:
    """(stack, logical ID, resource body) of every resource of ``cfn_type``, in a stable order."""
    for st in stacks:
        for lid, body in sorted(st.resources.items()):
            if isinstance(body, dict) and body.get("Type") == cfn_type:
                yield st, lid, body


Mutation = Callable[[list[StackTemplate]], int]


def mutate(base: Evidence, mutation: Mutation) -> Evidence:
    """A copy of ``base`` changed by ``mutation`` (which returns how many resources it changed)."""
    stacks = copy.deepcopy(base.stacks)
    changed = mutation(stacks)
    assert changed, "the mutation found nothing to change: the removal case is stale"
    return Evidence(stacks, base.scope, manifest_of(stacks, base.scope))


def evidence_from(outdir: Path, scope: Scope) -> Evidence:
    stacks = read_assembly(find_templates(outdir), outdir)
    return Evidence(stacks, scope, manifest_of(stacks, scope))


@pytest.fixture(scope="session")
def default_scope() -> Scope:
    from landing_zone.app import bio2_scope
    from landing_zone.config import load_config

    return bio2_scope(load_config(None))


@pytest.fixture(scope="session")
def base_evidence(default_synth: Any, default_scope: Scope) -> Evidence:
    return evidence_from(default_synth.outdir, default_scope)
