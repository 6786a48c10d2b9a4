"""Claims: preventive and detective evidence that the engine checks on the written templates.

A construct that deploys a guardrail (SCP, RCP, tag policy, vault lock, Object Lock, trust policy)
or a monitor (GuardDuty, Config rules, Security Hub, alert rules) *claims* that it covers measures.
A claim is never a bare statement: it carries the checks (:mod:`bio2_aspects.claims.checks`)
whose facts must hold on the synthesized template, after every escape-hatch override, and the
engine evaluates them after synthesis like rules. A claim counts as evidence only when

* its resource is in a template and its CloudFormation ``Condition`` is certainly true
  (:func:`bio2_aspects.conditions.resource_exists`), and
* every one of its checks holds, and
* a claim in a region- and account-agnostic template that a StackSet of the assembly deploys (a
  member-account baseline) is deployed to the organization root in every region the assembly
  uses (otherwise it narrows to the StackSet's OUs and regions).

Otherwise it is a *failed claim*: it shows in the manifest with the failing fact, counts as a
failing evidence item for its measures, and is reported as the error-level finding
``BIO2-Engine-ClaimFailed`` (acknowledge it with ``bio2_aspects.acknowledge(scope,
"BIO2-Engine-ClaimFailed", reason)`` to accept the risk).

A claim whose facts hold for only part of the scope it needs (a check returned
:class:`~bio2_aspects.claims.checks.Narrowed`: an SCP on some OUs but not on the root, an aggregator
over some regions) is a *narrowed claim* (result ``partial``): it carries what it covers and what it
does not, counts as partial evidence for its measures (never as the full fact, so a measure resting
on it is at best partially implemented), and is reported as the warning ``BIO2-Engine-ClaimNarrowed``
naming the uncovered scope (acknowledge it like other findings when the narrowing is intended).

Each claim has a stable claim ID (``<Owner>-<Area>-<Name>``) and its measure mappings (measure,
strength ``full``/``supporting``, optional facet, rationale in English and Dutch), kept as data by
the claimant in a claim table (JSON)::

    {"claims": {"LZ-SCP-DenyRootUser": {
        "kind": "preventive",
        "title": {"en": "...", "nl": "..."},
        "mappings": [{"measure": "5.16.02", "strength": "full", "facet": null,
                      "rationale": {"en": "...", "nl": "..."}}]}}}

A mapping may name an ISO/IEC 27002 ``control`` that has no BIO2 measure (5.7, 5.13, 8.9, 8.14,
8.23) instead of a ``measure``: the claim is then control-level evidence for that control in the
Statement of Applicability (never evidence for a BIO2 measure).

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
    Narrowed,
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
    stackset_coverage,
)
from bio2_aspects.mappings import ControlMapping, MeasureMapping, parse_control_mappings, parse_mappings
from bio2_aspects.messages import Message, from_json, msg

if TYPE_CHECKING:
    from constructs import IConstruct

CLAIM_FAILED_RULE = "BIO2-Engine-ClaimFailed"
CLAIM_NARROWED_RULE = "BIO2-Engine-ClaimNarrowed"
CLAIM_ID_PATTERN = re.compile(r"^[A-Z][A-Za-z0-9]*-[A-Za-z0-9]+-[A-Za-z0-9]+$")
KINDS = ("preventive", "detective")

__all__ = [
    "CHECKS",
    "CLAIM_FAILED_RULE",
    "CLAIM_METADATA",
    "CLAIM_NARROWED_RULE",
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
    "Narrowed",
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
    #: control-level pairs (ISO controls without BIO2 measures)
    controls: tuple[ControlMapping, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": {"en": self.title_en, "nl": self.title_nl},
            "mappings": [m.to_json() for m in self.mappings] + [c.to_json() for c in self.controls],
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
            raw_pairs = list(body.get("mappings") or [])
            try:
                mappings = parse_mappings(claim_id, [p for p in raw_pairs if "control" not in p])
                controls = parse_control_mappings(claim_id, [p for p in raw_pairs if "control" in p])
            except (KeyError, ValueError, TypeError) as exc:
                errors.append(f"{where}.mappings: {exc}")
                continue
            for i, m in enumerate(mappings):
                if not catalog.is_measure_id(m.measure):
                    errors.append(f"{where}.mappings[{i}]: {m.measure} is not a BIO2 measure")
                if not m.rationale_en.strip() or not m.rationale_nl.strip():
                    errors.append(f"{where}.mappings[{i}]: give a rationale in English and Dutch")
            for c in controls:
                if not _control_without_measures(catalog, c.control):
                    errors.append(
                        f"{where}.mappings: {c.control} is not an ISO control without BIO2 measures "
                        "(map to its measures instead)"
                    )
                if not c.rationale_en.strip() or not c.rationale_nl.strip():
                    errors.append(f"{where}.mappings: give the {c.control} rationale in English and Dutch")
            title = body.get("title") or {}
            specs[claim_id] = ClaimSpec(
                claim_id, kind, mappings, title.get("en", ""), title.get("nl", ""), controls
            )
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
        claim(
            scope,
            claim_id,
            *checks,
            kind=spec.kind,
            detail=detail,
            mappings=spec.mappings,
            controls=spec.controls,
        )


def _control_without_measures(catalog: Any, control_id: str) -> bool:
    try:
        catalog.control(control_id)
    except (KeyError, ValueError):
        return False
    return not catalog.measures_of(control_id)


def claim(
    scope: IConstruct,
    claim_id: str,
    *checks: Check,
    kind: str,
    detail: str,
    mappings: Sequence[MeasureMapping],
    controls: Sequence[ControlMapping] = (),
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
            **(
                {"message": detail.to_json(), "templates": detail.own_templates()}
                if isinstance(detail, Message)
                else {}
            ),
            "checks": [c.to_json() for c in checks],
            "mappings": [m.to_json() for m in mappings],
            **({"controls": [c.to_json() for c in controls]} if controls else {}),
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
    #: ``pass``, ``partial`` (narrowed: holds for part of the scope), ``fail``, or ``unknown`` (the
    #: resource's Condition is known only at deploy time)
    result: str
    detail: str
    facts: tuple[str, ...]
    mappings: tuple[MeasureMapping, ...] = field(default=())
    acknowledgement: str | None = None
    #: a narrowed claim: the scope it covers and the scope it needs but does not cover
    covers: tuple[str, ...] = ()
    not_covered: tuple[str, ...] = ()
    #: control-level pairs (ISO controls without BIO2 measures)
    controls: tuple[ControlMapping, ...] = ()

    @property
    def passed(self) -> bool:
        return self.result == "pass"

    @property
    def measures(self) -> list[str]:
        return sorted({m.measure for m in self.mappings})


#: Marks the last fact every claim is checked for: where a StackSet deploys a region-agnostic
#: template (:func:`~bio2_aspects.claims.checks.stackset_coverage`).
_DEPLOYMENT = object()


@dataclass(frozen=True)
class _Outcome:
    result: str
    detail: str
    facts: tuple[str, ...]
    covers: tuple[str, ...] = ()
    not_covered: tuple[str, ...] = ()


def _evaluate_one(ctx: ClaimContext | None, data: Mapping[str, Any]) -> _Outcome:
    from bio2_aspects.conditions import resource_exists, stack_env

    try:
        checks = [check_from_json(c) for c in data.get("checks") or []]
    except (TypeError, ValueError) as exc:
        return _Outcome("fail", msg("claim.unreadable", error=str(exc)), ())
    facts = tuple(c.facts for c in checks)
    if ctx is None:
        return _Outcome("fail", msg("claim.no_resource"), facts)
    if not checks:
        return _Outcome("fail", msg("claim.no_checks"), facts)
    exists = resource_exists(
        ctx.stack.template, ctx.logical_id, stack_env(ctx.stack.account, ctx.stack.region)
    )
    if exists is not True:
        cond = ctx.resource.get("Condition")
        if exists is False:
            return _Outcome("fail", msg("claim.condition_false", condition=str(cond)), facts)
        return _Outcome("unknown", msg("claim.condition_unknown", condition=str(cond)), facts)
    details: list[str] = []
    narrowed: list[Narrowed] = []
    for c in [*checks, _DEPLOYMENT]:
        try:
            outcome = c.evaluate(ctx) if c is not _DEPLOYMENT else stackset_coverage(ctx)
        except Exception as exc:  # a check bug must never pass silently
            outcome = (False, msg("claim.check_raised", error=type(exc).__name__, text=str(exc)))
        if outcome is None:
            continue
        if isinstance(outcome, Narrowed):
            narrowed.append(outcome)
            details.append(outcome.detail)
            continue
        ok, why = outcome
        if not ok:
            name = msg("claim.stackset_deployment") if c is _DEPLOYMENT else type(c).__name__
            return _Outcome("fail", msg("claim.check_failed", check=name, why=why), facts)
        details.append(why)
    if narrowed:
        covers = _merge(n.covers for n in narrowed)
        missing = _merge(n.missing for n in narrowed)
        return _Outcome("partial", "; ".join(details), facts, covers, missing)
    return _Outcome("pass", "; ".join(details), facts)


def _merge(groups: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    out: list[str] = []
    for group in groups:
        out.extend(x for x in group if x not in out)
    return tuple(out)


def narrowed_detail(detail: str, covers: Sequence[str], not_covered: Sequence[str]) -> Message:
    """A narrowed claim's detail: the claim's own detail, then ``Narrowed: covers A, B; not C, D.``
    (a message: the scope names are messages or names as written)."""
    return msg(
        "claim.narrowed", detail=detail, covers=list(covers) or "-", not_covered=list(not_covered) or "-"
    )


def _claim_detail(data: Mapping[str, Any]) -> str:
    """The detail the claim's maker wrote: a message (with the maker's own templates) when it
    gave one, else its text."""
    text = f"{data.get('detail', '')}".strip()
    message = data.get("message")
    if isinstance(message, Mapping):
        try:
            rebuilt = from_json(message, data.get("templates") or None)
        except (KeyError, IndexError, ValueError, TypeError):
            return text
        if rebuilt.strip() == text:
            return rebuilt
    return text


def evaluate_claims(stacks: Sequence[Any], plugin_name: str = "BIO2") -> list[ClaimResult]:
    """Every claim of every stack, evaluated on the templates as written (a stable order)."""
    out: list[ClaimResult] = []
    for st in stacks:
        for path, data in getattr(st, "claims", []):
            lid = st.logical_id_of(path) or st.logical_id_of(f"{path}/Resource")
            ctx = ClaimContext(st, lid, tuple(stacks)) if lid is not None else None
            outcome = _evaluate_one(ctx, data)
            result, detail, facts = outcome.result, outcome.detail, outcome.facts
            try:
                mappings = parse_mappings(str(data.get("id")), list(data.get("mappings") or []))
                controls = parse_control_mappings(str(data.get("id")), list(data.get("controls") or []))
            except (KeyError, ValueError, TypeError):
                mappings, controls, result = (), (), "fail"
                detail = msg("claim.mappings_unreadable")
            rpath = st.path_of(lid) if lid else None
            finding = {"fail": CLAIM_FAILED_RULE, "partial": CLAIM_NARROWED_RULE}.get(result)
            ack = None if finding is None else st.acknowledgement(rpath or path, f"{plugin_name}::{finding}")
            if result == "partial":
                detail = narrowed_detail(_claim_detail(data), outcome.covers, outcome.not_covered)
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
                    detail=_claim_detail(data) if result == "pass" else detail,
                    facts=facts,
                    mappings=mappings,
                    acknowledgement=ack,
                    covers=outcome.covers if result == "partial" else (),
                    not_covered=outcome.not_covered if result == "partial" else (),
                    controls=controls,
                )
            )
    out.sort(key=lambda r: (r.template, r.logical_id or "", r.id, r.path))
    return out


def claim_ids(results: Iterable[ClaimResult]) -> list[str]:
    return sorted({r.id for r in results})
