"""Build the BIO2 manifest: per measure its status and evidence, the Statement of Applicability,
every resource with the measures it satisfies and its violations, and the rules in force.

The manifest is derived from evidence only:

* ``verified``: a rule passed on a resource of a synthesized template;
* ``preventive`` / ``detective``: a construct claimed that a deployed guardrail or monitor
  covers the measure (:mod:`bio2_aspects.claims`), and every fact the claim relies on holds on
  the written template (a failed claim is a failing evidence item and a
  ``BIO2-Engine-ClaimFailed`` finding);
* ``inherited``: the catalog says the cloud provider carries the measure;
* ``organisational``: a process outside the infrastructure, with an owner named in the scope;
* ``excluded``: out of scope with a justification.

A measure with none of these is a ``gap``. The output is deterministic: sorted, no timestamps,
no absolute paths.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bio2_aspects import __version__
from bio2_aspects.catalog import Catalog
from bio2_aspects.engine import RuleSet, StackEvaluation, measure_sort_key
from bio2_aspects.rules.base import Level, Result
from bio2_aspects.scope import THEMES, Scope

SCHEMA_VERSION = "1.0.0"
TOOL_NAME = "bio2-aspects"

STATUSES = ("implemented", "partially_implemented", "gap", "inherited", "organisational", "excluded")
EVIDENCE_KINDS = ("verified", "preventive", "detective", "inherited", "organisational", "excluded")


@dataclass(frozen=True)
class Violation:
    rule: str
    level: str
    stack: str
    template: str
    path: str | None
    logical_id: str
    resource_type: str
    detail: str
    finding: str
    fix: str
    acknowledged: str | None  # the acknowledgement reason, when accepted

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "level": self.level,
            "stack": self.stack,
            "template": self.template,
            "path": self.path,
            "logical_id": self.logical_id,
            "resource_type": self.resource_type,
            "finding": self.finding,
            "detail": self.detail,
            "fix": self.fix,
            "acknowledged": self.acknowledged is not None,
            "acknowledgement_reason": self.acknowledged,
        }


def ack_id(plugin_name: str, rule_id: str) -> str:
    return f"{plugin_name}::{rule_id}"


def collect_violations(evaluations: Sequence[StackEvaluation], plugin_name: str) -> list[Violation]:
    out: list[Violation] = []
    for ev in evaluations:
        for r in ev.results:
            if r.result is not Result.NON_COMPLIANT:
                continue
            out.append(
                Violation(
                    rule=r.rule.id,
                    level=r.rule.level.value,
                    stack=ev.stack.stack_name,
                    template=ev.stack.template_file,
                    path=r.path,
                    logical_id=r.logical_id,
                    resource_type=r.resource_type,
                    detail=r.detail,
                    finding=r.rule.finding,
                    fix=r.rule.fix,
                    acknowledged=ev.stack.acknowledgement(r.path, ack_id(plugin_name, r.rule.id)),
                )
            )
        for lid, (tagged, proven) in sorted(ev.tag_mismatches.items()):
            path = ev.stack.path_of(lid)
            extra = sorted(set(tagged) - set(proven), key=measure_sort_key)
            missing = sorted(set(proven) - set(tagged), key=measure_sort_key)
            out.append(
                Violation(
                    rule="BIO2-Engine-TagMismatch",
                    level=Level.ERROR.value,
                    stack=ev.stack.stack_name,
                    template=ev.stack.template_file,
                    path=path,
                    logical_id=lid,
                    resource_type=str(ev.stack.resources[lid].get("Type")),
                    detail=(
                        f"bio2:measures tags claim {' '.join(extra) or '-'} not proven by the final "
                        f"template; proven but untagged: {' '.join(missing) or '-'}"
                    ),
                    finding="The measure tags differ from what the synthesized template proves.",
                    fix=(
                        "An escape hatch (add_override / add_property_override) changed the resource "
                        "after the BIO2 tagger ran; make the change through the construct's properties."
                    ),
                    acknowledged=None,
                )
            )
    out.sort(key=lambda v: (v.template, v.logical_id, v.rule))
    return out


def build_manifest(
    evaluations: Sequence[StackEvaluation],
    catalog: Catalog,
    rules: RuleSet,
    scope: Scope,
    plugin_name: str = "BIO2",
) -> dict[str, Any]:
    """The manifest as a JSON-ready dict (see docs/manifest.schema.json)."""
    violations = collect_violations(evaluations, plugin_name)
    evidence: dict[str, list[dict[str, Any]]] = defaultdict(list)
    resources: list[dict[str, Any]] = []
    unbacked: list[dict[str, Any]] = []
    claims_out = _claim_evidence(evaluations, plugin_name, evidence, unbacked, violations)
    vio_by_res: dict[tuple[str, str], list[Violation]] = defaultdict(list)
    for v in violations:
        vio_by_res[(v.template, v.logical_id)].append(v)

    for ev in evaluations:
        st = ev.stack
        base = {
            "stack": st.stack_name,
            "template": st.template_file,
            "account": st.account,
            "region": st.region,
        }
        for r in ev.results:
            if r.result is Result.NOT_APPLICABLE:
                continue
            reason = st.acknowledgement(r.path, ack_id(plugin_name, r.rule.id))
            item = {
                **base,
                "kind": "verified",
                "rule": r.rule.id,
                "result": "pass" if r.result is Result.COMPLIANT else "fail",
                "path": r.path,
                "logical_id": r.logical_id,
                "resource_type": r.resource_type,
                "detail": r.detail,
                "acknowledgement_reason": reason if r.result is Result.NON_COMPLIANT else None,
            }
            for m in r.rule.measures:
                evidence[m].append(item)
        for lid in sorted(st.resources):
            body = st.resources[lid]
            if not isinstance(body, dict):
                continue
            vios = vio_by_res.get((st.template_file, lid), [])
            resources.append(
                {
                    **base,
                    "path": st.path_of(lid),
                    "logical_id": lid,
                    "type": body.get("Type"),
                    "measures": list(ev.satisfied.get(lid, ())),
                    "violations": [
                        {"rule": v.rule, "level": v.level, "detail": v.detail, "acknowledged": v.acknowledged}
                        for v in vios
                    ],
                }
            )

    measures_out: list[dict[str, Any]] = []
    for entry in catalog.measures:
        control = catalog.control(entry.control)
        theme = control.theme
        items = sorted(
            evidence.get(entry.id, []),
            key=lambda i: (i["kind"], i["template"], i["logical_id"], i["rule"] or "", i["result"]),
        )
        owner = scope.owner_of(entry.id, entry.control, theme)
        exclusion = scope.exclusion_of(entry.id, entry.control)
        passes = [i for i in items if i["result"] in ("pass", "declared")]
        fails = [i for i in items if i["result"] == "fail" and not i["acknowledgement_reason"]]
        accepted = [i for i in items if i["result"] == "fail" and i["acknowledgement_reason"]]
        basis: str | None = None
        if exclusion is not None:
            status = "excluded"
            basis = exclusion.justification
        elif passes and not fails and not accepted:
            status = "implemented"
        elif passes:
            status = "partially_implemented"
        elif fails or accepted:
            status = "gap"
        elif entry.responsibility == "cloud_provider":
            status = "inherited"
            basis = scope.inherited_basis
        elif owner and (
            entry.nature == "organisational" or entry.responsibility == "organisation" or owner.process
        ):
            # an owned process: organisational measures, and technical ones met outside AWS when the
            # owner states how (a claim of process, never counted as verified)
            status = "organisational"
            basis = f"Process owned by {owner.owner}."
        else:
            status = "gap"
        if owner is not None and owner.process and status not in ("excluded", "inherited"):
            basis = f"{owner.owner}: {owner.process}"
        measures_out.append(
            {
                "id": entry.id,
                "control": entry.control,
                "theme": theme,
                "summary": entry.summary,
                "summary_nl": entry.summary_nl,
                "nature": entry.nature,
                "responsibility": entry.responsibility,
                "status": status,
                "basis": basis,
                "owner": _owner_json(owner),
                "exclusion": _exclusion_json(exclusion),
                "evidence": items,
                "evidence_kinds": sorted({i["kind"] for i in passes}),
                "accepted_risks": [
                    {
                        "rule": i["rule"],
                        "stack": i["stack"],
                        "path": i["path"],
                        "logical_id": i["logical_id"],
                        "reason": i["acknowledgement_reason"],
                    }
                    for i in accepted
                ],
                "open_violations": len(fails),
            }
        )

    by_control: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in measures_out:
        by_control[m["control"]].append(m)
    controls_out = [_control_row(c, by_control.get(c.id, []), scope) for c in catalog.controls]

    templates = [
        {
            "file": ev.stack.template_file,
            "stack": ev.stack.stack_name,
            "account": ev.stack.account,
            "region": ev.stack.region,
            "sha256": ev.stack.sha256,
            "resources": len(ev.stack.resources),
        }
        for ev in evaluations
    ]
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": __version__},
        "catalog": {"name": "BIO2", "version": catalog.version, "iso": "ISO/IEC 27002:2022"},
        "organisation": scope.organisation,
        "language": scope.language,
        "templates": templates,
        "totals": _totals(measures_out, controls_out, violations),
        "measures": measures_out,
        "controls": controls_out,
        "resources": resources,
        "violations": [v.to_json() for v in violations],
        "unbacked_declarations": unbacked,
        "claims": claims_out,
        "rules": [
            {
                "id": r.id,
                "level": r.level.value,
                "measures": list(r.measures),
                "resource_types": sorted(r.resource_types),
                "finding": r.finding,
                "fix": r.fix,
            }
            for r in rules.rules
        ],
    }
    return manifest


def _claim_evidence(
    evaluations: Sequence[StackEvaluation],
    plugin_name: str,
    evidence: dict[str, list[dict[str, Any]]],
    unbacked: list[dict[str, Any]],
    violations: list[Violation],
) -> list[dict[str, Any]]:
    """Evaluate every claim (see bio2_aspects.claims): evidence items per mapping, a
    ``BIO2-Engine-ClaimFailed`` violation per failed claim, and the manifest's claim list."""
    from bio2_aspects.claims import CLAIM_FAILED_RULE, evaluate_claims

    results = evaluate_claims([ev.stack for ev in evaluations], plugin_name)
    out: list[dict[str, Any]] = []
    for r in results:
        base = {"stack": r.stack, "template": r.template, "account": r.account, "region": r.region}
        out.append(
            {
                **base,
                "id": r.id,
                "kind": r.kind,
                "path": r.path,
                "logical_id": r.logical_id,
                "resource_type": r.resource_type,
                "result": r.result,
                "detail": r.detail,
                "facts": list(r.facts),
                "measures": r.measures,
                "acknowledgement_reason": r.acknowledgement,
            }
        )
        if r.logical_id is None:
            unbacked.append({**base, "path": r.path, "kind": r.kind, "claim": r.id, "measures": r.measures})
            continue
        if r.result == "fail":
            violations.append(
                Violation(
                    rule=CLAIM_FAILED_RULE,
                    level=Level.ERROR.value,
                    stack=r.stack,
                    template=r.template,
                    path=r.path,
                    logical_id=r.logical_id,
                    resource_type=str(r.resource_type),
                    detail=f"claim {r.id} ({', '.join(r.measures) or 'no measures'}): {r.detail}",
                    finding="A claimed guardrail or monitor does not hold on the synthesized template.",
                    fix=(
                        "Restore the guarantee (configuration, override or policy content), or stop making "
                        "the claim; acknowledge BIO2-Engine-ClaimFailed only as an accepted risk."
                    ),
                    acknowledged=r.acknowledgement,
                )
            )
        for m in r.mappings:
            evidence[m.measure].append(
                {
                    **base,
                    "kind": r.kind,
                    "rule": None,
                    "claim": r.id,
                    "mechanism": r.id,
                    "result": r.result,
                    "path": r.path,
                    "logical_id": r.logical_id,
                    "resource_type": str(r.resource_type),
                    "detail": r.detail,
                    "strength": m.strength,
                    "facet": m.facet,
                    "rationale": {"en": m.rationale_en, "nl": m.rationale_nl},
                    "acknowledgement_reason": r.acknowledgement if r.result == "fail" else None,
                }
            )
    violations.sort(key=lambda v: (v.template, v.logical_id, v.rule))
    return out


def _owner_json(owner: Any) -> dict[str, Any] | None:
    if owner is None:
        return None
    return {"name": owner.owner, "contact": owner.contact, "scope": owner.scope, "process": owner.process}


def _exclusion_json(exclusion: Any) -> dict[str, Any] | None:
    if exclusion is None:
        return None
    return {
        "id": exclusion.id,
        "justification": exclusion.justification,
        "risk_assessment": exclusion.risk_assessment,
    }


def _control_row(control: Any, measures: list[dict[str, Any]], scope: Scope) -> dict[str, Any]:
    exclusion = scope.exclusion_of(control.id)
    owner = scope.owner_of(control.id, control.id, control.theme)
    statuses = [m["status"] for m in measures if m["status"] != "excluded"]
    if exclusion is not None:
        status, applicable = "excluded", False
        justification = exclusion.justification
    else:
        applicable = True
        if not measures:
            justification = "Applicable: no BIO2 government measure; the ISO/IEC 27002 guidance applies."
            # Physical controls sit with the cloud provider; others need a named process owner.
            status = "inherited" if control.theme == "physical" else ("organisational" if owner else "gap")
        else:
            justification = "Applicable: part of the BIO2 baseline."
            status = _aggregate(statuses) if statuses else "excluded"
    return {
        "id": control.id,
        "theme": control.theme,
        "title": control.title,
        "title_nl": control.title_nl,
        "applicable": applicable,
        "justification": justification,
        "status": status,
        "owner": _owner_json(owner),
        "measures": [m["id"] for m in measures],
    }


def _aggregate(statuses: list[str]) -> str:
    s = set(statuses)
    if s == {"gap"}:
        return "gap"
    if s & {"gap", "partially_implemented"}:
        return "partially_implemented"
    if "implemented" in s:
        return "implemented"
    if "organisational" in s:
        return "organisational"
    return "inherited"


def _totals(
    measures: list[dict[str, Any]], controls: list[dict[str, Any]], violations: list[Violation]
) -> dict[str, Any]:
    per_theme: dict[str, Counter[str]] = {t: Counter() for t in THEMES}
    for m in measures:
        per_theme[m["theme"]][m["status"]] += 1
    kinds: Counter[str] = Counter()
    for m in measures:
        for k in m["evidence_kinds"]:
            kinds[k] += 1
    return {
        "measures": len(measures),
        "controls": len(controls),
        "measures_by_status": {s: sum(1 for m in measures if m["status"] == s) for s in STATUSES},
        "controls_by_status": {s: sum(1 for c in controls if c["status"] == s) for s in STATUSES},
        "measures_by_theme": {t: {s: per_theme[t][s] for s in STATUSES} for t in THEMES},
        "measures_by_evidence_kind": {k: kinds[k] for k in ("verified", "preventive", "detective")},
        "violations": {
            "open_errors": sum(1 for v in violations if v.level == "error" and not v.acknowledged),
            "open_warnings": sum(1 for v in violations if v.level == "warning" and not v.acknowledged),
            "accepted": sum(1 for v in violations if v.acknowledged),
        },
    }


def dumps(manifest: dict[str, Any]) -> str:
    """Deterministic JSON text of the manifest (sorted keys, 2-space indent, trailing newline)."""
    from bio2_aspects.evidence.common import manifest_bytes

    return manifest_bytes(manifest).decode("utf-8")
