"""Claims: preventive and detective evidence that the engine checks on the written templates.

A construct that deploys a guardrail (SCP, RCP, tag policy, vault lock, Object Lock, trust policy)
or a monitor (GuardDuty, Config rules, Security Hub, alert rules) *claims* that it covers measures.
A claim is never a bare statement: it carries the checks (:mod:`bio2_aspects.claims.checks`)
whose facts must hold on the synthesized template, after every escape-hatch override, and the
engine evaluates them after synthesis like rules. A claim counts as evidence only when

* its resource is in a template and its CloudFormation ``Condition`` is certainly true
  (:func:`bio2_aspects.conditions.resource_exists`), and
* every one of its checks holds.

Otherwise it is a *failed claim*: it shows in the manifest with the failing fact, counts as a
failing evidence item for its measures, and is reported as the error-level finding
``BIO2-Engine-ClaimFailed`` (acknowledge it with ``bio2_aspects.acknowledge(scope,
"BIO2-Engine-ClaimFailed", reason)`` to accept the risk).

Each claim has a stable claim ID (``<Owner>-<Area>-<Name>``) and its measure mappings (measure,
strength ``full``/``supporting``, optional facet, rationale in English and Dutch), kept as data by
the claimant in a claim table (JSON)::

    {"claims": {"LZ-SCP-DenyRootUser": {
        "kind": "preventive",
        "title": {"en": "...", "nl": "..."},
        "mappings": [{"measure": "5.16.02", "strength": "full", "facet": null,
                      "rationale": {"en": "...", "nl": "..."}}]}}}

Usage::

    table = ClaimTable.from_file(Path(__file__).with_name("claims.json"))
    table.claim(policy, "LZ-SCP-DenyRootUser", PolicyDenies(actions=("*",), when=...),
                PolicyAttached(scope="organization"), detail="...")
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bio2_aspects.assembly import CLAIM_METADATA
from bio2_aspects.claims.checks import (
    CHECKS,
    AggregatorCovers,
    AnalyzerActive,
    Check,
    ClaimContext,
    ConfigRulesInPack,
    DataProtectionPolicy,
    EventRuleEnabled,
    FirewallDropsByDefault,
    FirewallLogs,
    GuardDutyEnabled,
    ObjectLock,
    PolicyAttached,
    PolicyDenies,
    PropertyAtLeast,
    PropertyEquals,
    PropertyIncludes,
    RestoreTestingSelects,
    SecurityHubEnabled,
    TagPolicyEnforces,
    TrustRequiresMfa,
    VaultLock,
    check_from_json,
)
from bio2_aspects.mappings import MeasureMapping, parse_mappings

if TYPE_CHECKING:
    from constructs import IConstruct

CLAIM_FAILED_RULE = "BIO2-Engine-ClaimFailed"
CLAIM_ID_PATTERN = re.compile(r"^[A-Z][A-Za-z0-9]*-[A-Za-z0-9]+-[A-Za-z0-9]+$")
KINDS = ("preventive", "detective")

__all__ = [
    "CHECKS",
    "CLAIM_FAILED_RULE",
    "CLAIM_METADATA",
    "AggregatorCovers",
    "AnalyzerActive",
    "Check",
    "ClaimContext",
    "ClaimResult",
    "ClaimSpec",
    "ClaimTable",
    "ConfigRulesInPack",
    "DataProtectionPolicy",
    "EventRuleEnabled",
    "FirewallDropsByDefault",
    "FirewallLogs",
    "GuardDutyEnabled",
    "ObjectLock",
    "PolicyAttached",
    "PolicyDenies",
    "PropertyAtLeast",
    "PropertyEquals",
    "PropertyIncludes",
    "RestoreTestingSelects",
    "SecurityHubEnabled",
    "TagPolicyEnforces",
    "TrustRequiresMfa",
    "VaultLock",
    "claim",
    "evaluate_claims",
]


@dataclass(frozen=True)
class ClaimSpec:
    """One claim of a claim table: ID, kind, title and its measure mappings."""

    id: str
    kind: str
    mappings: tuple[MeasureMapping, ...]
    title_en: str = ""
    title_nl: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": {"en": self.title_en, "nl": self.title_nl},
            "mappings": [m.to_json() for m in self.mappings],
        }


class ClaimTable:
    """The claims a library or landing zone can make, with their mappings (data, see module doc)."""

    def __init__(self, specs: Mapping[str, ClaimSpec], source: str = "<claims>") -> None:
        self.specs = dict(specs)
        self.source = source

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any], source: str = "<claims>") -> ClaimTable:
        from bio2_aspects.catalog import load_catalog

        catalog = load_catalog()
        errors: list[str] = []
        specs: dict[str, ClaimSpec] = {}
        for claim_id, body in sorted((raw.get("claims") or {}).items()):
            where = f"{source}: claims.{claim_id}"
            if not CLAIM_ID_PATTERN.match(claim_id):
                errors.append(f"{where}: a claim ID looks like <Owner>-<Area>-<Name>")
                continue
            kind = body.get("kind")
            if kind not in KINDS:
                errors.append(f"{where}.kind: {kind!r} is not one of {KINDS}")
                continue
            try:
                mappings = parse_mappings(claim_id, list(body.get("mappings") or []))
            except (KeyError, ValueError, TypeError) as exc:
                errors.append(f"{where}.mappings: {exc}")
                continue
            for i, m in enumerate(mappings):
                if not catalog.is_measure_id(m.measure):
                    errors.append(f"{where}.mappings[{i}]: {m.measure} is not a BIO2 measure")
                if not m.rationale_en.strip() or not m.rationale_nl.strip():
                    errors.append(f"{where}.mappings[{i}]: give a rationale in English and Dutch")
            title = body.get("title") or {}
            specs[claim_id] = ClaimSpec(claim_id, kind, mappings, title.get("en", ""), title.get("nl", ""))
        if errors:
            raise ValueError("invalid claim table:\n  " + "\n  ".join(errors))
        return cls(specs, source)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> ClaimTable:
        p = Path(path)
        return cls.from_dict(json.loads(p.read_text(encoding="utf-8")), p.name)

    def __getitem__(self, claim_id: str) -> ClaimSpec:
        try:
            return self.specs[claim_id]
        except KeyError:
            raise KeyError(f"claim {claim_id} is not in {self.source}") from None

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self.specs

    def claim(self, scope: IConstruct, claim_id: str, *checks: Check, detail: str) -> None:
        """Make the claim ``claim_id`` of this table on ``scope`` (a resource or its L2 wrapper)."""
        spec = self[claim_id]
        claim(scope, claim_id, *checks, kind=spec.kind, detail=detail, mappings=spec.mappings)


def claim(
    scope: IConstruct,
    claim_id: str,
    *checks: Check,
    kind: str,
    detail: str,
    mappings: Sequence[MeasureMapping],
) -> None:
    """Attach a checked claim to ``scope`` (stored as construct metadata ``bio2:claim``)."""
    if not CLAIM_ID_PATTERN.match(claim_id):
        raise ValueError(f"{scope.node.path}: claim ID {claim_id!r} does not look like <Owner>-<Area>-<Name>")
    if kind not in KINDS:
        raise ValueError(f"{scope.node.path}: claim {claim_id}: kind {kind!r} is not one of {KINDS}")
    if not checks:
        raise ValueError(
            f"{scope.node.path}: claim {claim_id} has no checks; a claim names the facts it relies on"
        )
    if not detail.strip():
        raise ValueError(f"{scope.node.path}: claim {claim_id} needs a detail of the mechanism")
    scope.node.add_metadata(
        CLAIM_METADATA,
        {
            "id": claim_id,
            "kind": kind,
            "detail": detail.strip(),
            "checks": [c.to_json() for c in checks],
            "mappings": [m.to_json() for m in mappings],
        },
    )


# ------------------------------------------------------------------ after synthesis


@dataclass(frozen=True)
class ClaimResult:
    """One claim evaluated on the written templates."""

    id: str
    kind: str
    template: str
    stack: str
    account: str | None
    region: str | None
    path: str
    logical_id: str | None
    resource_type: str | None
    #: ``pass``, ``fail``, or ``unknown`` (the resource's Condition is known only at deploy time)
    result: str
    detail: str
    facts: tuple[str, ...]
    mappings: tuple[MeasureMapping, ...] = field(default=())
    acknowledgement: str | None = None

    @property
    def passed(self) -> bool:
        return self.result == "pass"

    @property
    def measures(self) -> list[str]:
        return sorted({m.measure for m in self.mappings})


def _evaluate_one(ctx: ClaimContext | None, data: Mapping[str, Any]) -> tuple[str, str, tuple[str, ...]]:
    from bio2_aspects.conditions import resource_exists, stack_env

    try:
        checks = [check_from_json(c) for c in data.get("checks") or []]
    except (TypeError, ValueError) as exc:
        return "fail", f"the claim cannot be read: {exc}", ()
    facts = tuple(c.facts for c in checks)
    if ctx is None:
        return "fail", "the claiming construct is not a resource in any template", facts
    if not checks:
        return "fail", "the claim names no checks", facts
    exists = resource_exists(
        ctx.stack.template, ctx.logical_id, stack_env(ctx.stack.account, ctx.stack.region)
    )
    if exists is not True:
        cond = ctx.resource.get("Condition")
        if exists is False:
            return "fail", f"the resource's Condition {cond} is never true: it is not deployed", facts
        return "unknown", f"the resource's Condition {cond} is known only at deploy time", facts
    details = []
    for c in checks:
        try:
            ok, why = c.evaluate(ctx)
        except Exception as exc:  # a check bug must never pass silently
            ok, why = False, f"check raised {type(exc).__name__}: {exc}"
        if not ok:
            return "fail", f"{type(c).__name__}: {why}", facts
        details.append(why)
    return "pass", "; ".join(details), facts


def evaluate_claims(stacks: Sequence[Any], plugin_name: str = "BIO2") -> list[ClaimResult]:
    """Every claim of every stack, evaluated on the templates as written (a stable order)."""
    out: list[ClaimResult] = []
    for st in stacks:
        for path, data in getattr(st, "claims", []):
            lid = st.logical_id_of(path) or st.logical_id_of(f"{path}/Resource")
            ctx = ClaimContext(st, lid, tuple(stacks)) if lid is not None else None
            result, detail, facts = _evaluate_one(ctx, data)
            try:
                mappings = parse_mappings(str(data.get("id")), list(data.get("mappings") or []))
            except (KeyError, ValueError, TypeError):
                mappings, result, detail = (), "fail", "the claim's mappings cannot be read"
            rpath = st.path_of(lid) if lid else None
            ack = (
                None
                if result != "fail"
                else st.acknowledgement(rpath or path, f"{plugin_name}::{CLAIM_FAILED_RULE}")
            )
            out.append(
                ClaimResult(
                    id=str(data.get("id")),
                    kind=str(data.get("kind")),
                    template=st.template_file,
                    stack=st.stack_name,
                    account=st.account,
                    region=st.region,
                    path=rpath or path,
                    logical_id=lid,
                    resource_type=str((st.resources.get(lid) or {}).get("Type")) if lid else None,
                    result=result,
                    detail=f"{data.get('detail', '')}".strip() if result == "pass" else detail,
                    facts=facts,
                    mappings=mappings,
                    acknowledgement=ack,
                )
            )
    out.sort(key=lambda r: (r.template, r.logical_id or "", r.id, r.path))
    return out


def claim_ids(results: Iterable[ClaimResult]) -> list[str]:
    return sorted({r.id for r in results})
