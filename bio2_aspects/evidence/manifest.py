"""Build the BIO2 manifest: per measure its status and evidence, the Statement of Applicability,
every resource with the measures it satisfies and its violations, and the rules in force.

The manifest is derived from evidence only:

* ``verified``: a rule passed on a resource of a synthesized template;
* ``preventive`` / ``detective``: a construct claimed that a deployed guardrail or monitor
  covers the measure (:mod:`bio2_aspects.claims`), and every fact the claim relies on holds on
  the written template (a failed claim is a failing evidence item and a
  ``BIO2-Engine-ClaimFailed`` finding);
* ``inherited``: the catalog says the cloud provider carries the measure;
* ``attested``: an organisational facet (or a process outside AWS) with an owner, a document, an
  approval and a review date in the scope;
* ``excluded``: out of scope with a justification.

The status of each measure follows from its facets (``bio2_aspects.evidence.status``). The
output is deterministic: sorted, no absolute paths, and the one timestamp (``audit``) comes from
``SOURCE_DATE_EPOCH`` or the git commit time.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from bio2_aspects import __version__
from bio2_aspects.catalog import Catalog
from bio2_aspects.engine import RuleSet, StackEvaluation, measure_sort_key
from bio2_aspects.evidence import status as status_logic
from bio2_aspects.evidence.audit import audit_metadata, today_of
from bio2_aspects.evidence.design import design_facts
from bio2_aspects.evidence.inventory import inventories, inventory_evidence
from bio2_aspects.evidence.version import SCHEMA_VERSION
from bio2_aspects.mappings import rule_mappings
from bio2_aspects.messages import Message, msg
from bio2_aspects.rules.base import Level, Result
from bio2_aspects.scope import THEMES, Scope

TOOL_NAME = "bio2-aspects"

STATUSES = status_logic.STATUSES
HEADLINE = status_logic.HEADLINE
EVIDENCE_KINDS = ("verified", "preventive", "detective", "attested", "inherited", "excluded")
EXPIRED_ACCEPTANCE_RULE = "BIO2-Engine-RiskAcceptanceExpired"
EXPIRED_EXCLUSION_RULE = "BIO2-Engine-ExclusionExpired"


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
    #: a risk acceptance from the scope (config) that covers it: fields, and whether it expired
    acceptance: dict[str, Any] | None = None

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
            **detail_fields(self.detail),
            "fix": self.fix,
            "acknowledged": self.acknowledged is not None,
            "acknowledgement_reason": self.acknowledged,
            **reason_nl_field("acknowledgement_reason_nl", self.acknowledged),
            "acceptance": self.acceptance,
        }


def detail_fields(detail: str) -> dict[str, Any]:
    """A per-resource detail as the manifest keeps it: the English text, and the message (ID and
    parameters, see ``bio2_aspects.messages``) when it is one, for the exporters to translate."""
    if isinstance(detail, Message):
        return {"detail": str(detail), "message": detail.to_json()}
    return {"detail": detail}


def own_templates(details: Any) -> dict[str, dict[str, str]]:
    """The app's own message templates used by ``details`` (the manifest's ``messages``)."""
    out: dict[str, dict[str, str]] = {}
    for d in details:
        if isinstance(d, Message):
            out.update(d.own_templates())
    return dict(sorted(out.items()))


def reason_nl_field(key: str, reason: str | None) -> dict[str, str]:
    """``{key: <the Dutch reason>}`` when ``reason`` was acknowledged with one
    (``acknowledge(..., reason_nl=...)``), else nothing (so other items keep their shape)."""
    nl = getattr(reason, "nl", None)
    return {key: nl} if reason is not None and nl else {}


def ack_id(plugin_name: str, rule_id: str) -> str:
    return f"{plugin_name}::{rule_id}"


def _acceptance_json(a: Any, today: str, used: bool | None = None) -> dict[str, Any]:
    out = {
        "source": "config",
        "rule": a.rule,
        "resources": list(a.resources),
        "reason": a.reason,
        "approved_by": a.approved_by,
        "date": a.date,
        "expires": a.expires,
        "expired": a.expired(today),
    }
    if used is not None:
        out["used"] = used
    return out


def _accepted(
    stack: Any, path: str | None, rule_id: str, plugin_name: str, scope: Scope | None, today: str
) -> tuple[str | None, dict[str, Any] | None]:
    """The acknowledgement reason of a violation and the config acceptance behind it, if any (see
    :func:`_with_acceptance`)."""
    return _with_acceptance(
        stack.acknowledgement(path, ack_id(plugin_name, rule_id)), rule_id, path, scope, today
    )


def _with_acceptance(
    reason: str | None, rule_id: str, path: str | None, scope: Scope | None, today: str
) -> tuple[str | None, dict[str, Any] | None]:
    """A construct acknowledgement (``reason``) first, then an unexpired risk acceptance of the scope.
    An expired acceptance leaves the violation open (and is returned, flagged expired)."""
    if reason is not None or scope is None:
        return reason, None
    acceptance = scope.risk_acceptance_of(rule_id, path)
    if acceptance is None:
        return None, None
    info = _acceptance_json(acceptance, today)
    return (None if info["expired"] else acceptance.reason), info


def _expired(v: Violation) -> Violation:
    """The error that an expired risk acceptance of ``v`` raises (``v`` stays open beside it), at
    ``v``'s resource."""
    acceptance = v.acceptance or {}
    return replace(
        v,
        rule=EXPIRED_ACCEPTANCE_RULE,
        level=Level.ERROR.value,
        detail=msg(
            "engine.acceptance_expired",
            rule=v.rule,
            approved_by=acceptance["approved_by"],
            expires=acceptance["expires"],
        ),
        finding="An accepted risk has passed its expiry date.",
        fix=(
            "Fix the violation, or have the risk re-assessed and give the acceptance in "
            "bio2.risk_acceptances a new expires date (with the new approval)."
        ),
        acknowledged=None,
        acceptance=acceptance,
    )


def _accept_from_scope(found: Sequence[Violation], scope: Scope | None, today: str) -> list[Violation]:
    """Engine findings (a failed or narrowed claim) accepted in the configuration like rule
    violations: an acknowledgement on the construct wins; else an unexpired risk acceptance of the
    scope that covers the finding's rule and path; an expired one leaves it open and adds its error."""
    from bio2_aspects.claims import CLAIM_FAILED_RULE, CLAIM_NARROWED_RULE

    out: list[Violation] = []
    for v in found:
        if v.rule not in (CLAIM_FAILED_RULE, CLAIM_NARROWED_RULE):  # rule violations: collect_violations
            out.append(v)
            continue
        reason, info = _with_acceptance(v.acknowledged, v.rule, v.path, scope, today)
        if info is None:
            out.append(v)
            continue
        v = replace(v, acknowledged=reason, acceptance=info)
        out.append(v)
        if info["expired"]:
            out.append(_expired(v))
    return out


def collect_violations(
    evaluations: Sequence[StackEvaluation], plugin_name: str, scope: Scope | None = None, today: str = ""
) -> list[Violation]:
    out: list[Violation] = []
    for ev in evaluations:
        for r in ev.results:
            if r.result is not Result.NON_COMPLIANT:
                continue
            reason, acceptance = _accepted(ev.stack, r.path, r.rule.id, plugin_name, scope, today)
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
                    acknowledged=reason,
                    acceptance=acceptance,
                )
            )
            if acceptance is not None and acceptance["expired"]:
                out.append(_expired(out[-1]))
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
                    detail=msg(
                        "engine.tag_mismatch", extra=" ".join(extra) or "-", missing=" ".join(missing) or "-"
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


@dataclass(frozen=True)
class Findings:
    """What a synth found, before the manifest is assembled: every violation (rule violations,
    failed or narrowed claims, expired acceptances and exclusions, each with its acknowledgement
    or risk acceptance) and the claim results. Enough to pass or fail the synth and to fill CDK's
    validation report; :func:`build_manifest` turns it into the manifest."""

    audit: dict[str, Any]
    today: str
    #: rule and claim violations, accepted from the scope, in the manifest's order
    resource_violations: tuple[Violation, ...]
    #: expired exclusions of the scope (they belong to no resource)
    scope_violations: tuple[Violation, ...]
    claims: tuple[Any, ...]

    @property
    def violations(self) -> tuple[Violation, ...]:
        """Every violation, in the order of the manifest's ``violations``."""
        return self.resource_violations + self.scope_violations


def assess(
    evaluations: Sequence[StackEvaluation],
    catalog: Catalog,
    scope: Scope,
    plugin_name: str = "BIO2",
    *,
    git: Mapping[str, Any] | None = None,
) -> Findings:
    """The findings of the evaluated templates (see :class:`Findings`). ``git``: the working
    tree's state (``audit.git_state``) when already known; read here otherwise."""
    from bio2_aspects.claims import evaluate_claims

    audit = audit_metadata(scope, catalog.version, git=git)
    today = today_of(audit)
    violations = collect_violations(evaluations, plugin_name, scope, today)
    claims = tuple(evaluate_claims([ev.stack for ev in evaluations], plugin_name))
    violations += _claim_violations(claims)
    violations.sort(key=lambda v: (v.template, v.logical_id, v.rule))
    return Findings(
        audit=audit,
        today=today,
        resource_violations=tuple(_accept_from_scope(violations, scope, today)),
        scope_violations=tuple(_expired_exclusions(scope, today)),
        claims=claims,
    )


def build_manifest(
    evaluations: Sequence[StackEvaluation],
    catalog: Catalog,
    rules: RuleSet,
    scope: Scope,
    plugin_name: str = "BIO2",
    *,
    findings: Findings | None = None,
) -> dict[str, Any]:
    """The manifest as a JSON-ready dict (see docs/manifest.schema.json). ``findings``: the result
    of :func:`assess` on the same arguments, when already at hand."""
    if findings is None:
        findings = assess(evaluations, catalog, scope, plugin_name)
    audit, today = findings.audit, findings.today
    violations = list(findings.resource_violations)
    evidence: dict[str, list[dict[str, Any]]] = defaultdict(list)
    resources: list[dict[str, Any]] = []
    unbacked: list[dict[str, Any]] = []
    claim_details: list[str] = []
    control_evidence: dict[str, list[dict[str, Any]]] = defaultdict(list)
    claims_out = _claim_evidence(findings.claims, evidence, unbacked, claim_details, control_evidence)
    inventory = inventories([ev.stack for ev in evaluations])
    for measure, item in inventory_evidence(inventory):
        evidence[measure].append(item)
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
                **detail_fields(r.detail),
                "acknowledgement_reason": reason if r.result is Result.NON_COMPLIANT else None,
                **reason_nl_field(
                    "acknowledgement_reason_nl", reason if r.result is Result.NON_COMPLIANT else None
                ),
            }
            for mapping in rule_mappings(r.rule.id, tuple(r.rule.measures)):
                evidence[mapping.measure].append({**item, **_mapping_fields(mapping)})
            for pair in r.rule.controls:
                control_evidence[pair.control].append({**item, **_control_fields(pair)})
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
                        {
                            "rule": v.rule,
                            "level": v.level,
                            **detail_fields(v.detail),
                            "acknowledged": v.acknowledged,
                            **reason_nl_field("acknowledged_nl", v.acknowledged),
                        }
                        for v in vios
                    ],
                }
            )

    measures_out, controls_out = measures_and_controls(catalog, evidence, scope, today, control_evidence)
    violations += findings.scope_violations
    violations_json = [v.to_json() for v in violations]

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
    used = {(v.acceptance or {}).get("rule") for v in violations if v.acceptance}
    messages = own_templates(
        [
            *(r.detail for ev in evaluations for r in ev.results),
            *(v.detail for v in violations),
            *claim_details,
        ]
    )
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "audit": audit,
        "tool": {"name": TOOL_NAME, "version": __version__},
        "catalog": {"name": "BIO2", "version": catalog.version, "iso": "ISO/IEC 27002:2022"},
        "organisation": scope.organisation,
        "language": scope.language,
        "templates": templates,
        "totals": totals(measures_out, controls_out, violations_json),
        "measures": measures_out,
        "controls": controls_out,
        "resources": resources,
        "violations": violations_json,
        "risk_acceptances": [_acceptance_json(a, today, a.rule in used) for a in scope.risk_acceptances],
        "exclusions": [_exclusion_json(e, today) for e in scope.exclusions],
        "unbacked_declarations": unbacked,
        "claims": claims_out,
        "log_sources": inventory.log_sources,
        "internet_facing": inventory.internet_facing,
        "design": design_facts(evaluations),
        **({"messages": messages} if messages else {}),
        "rules": [
            {
                "id": r.id,
                "level": r.level.value,
                "measures": list(r.measures),
                "resource_types": sorted(r.resource_types),
                "finding": r.finding,
                "fix": r.fix,
                **({} if r.measures else {"controls": sorted({c.control for c in r.controls})}),
            }
            for r in rules.rules
        ],
    }
    return manifest


def measures_and_controls(
    catalog: Catalog,
    evidence: dict[str, list[dict[str, Any]]],
    scope: Scope,
    today: str,
    control_evidence: dict[str, list[dict[str, Any]]] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The measure rows (status from facets and evidence) and the Statement of Applicability.

    ``control_evidence``: per ISO control without BIO2 measures, the rule results and claims that
    evidence it at control level (``data/controls.json``, claim ``control`` pairs).

    One function for the engine and for the test fixtures, so both use the same status logic."""
    measures_out: list[dict[str, Any]] = []
    for entry in catalog.measures:
        control = catalog.control(entry.control)
        theme = control.theme
        items = sorted(
            evidence.get(entry.id, []),
            key=lambda i: (
                i["kind"],
                i.get("template", i["stack"]),
                i["logical_id"],
                i["rule"] or "",
                i["result"],
            ),
        )
        owner = scope.owner_of(entry.id, entry.control, theme)
        exclusion = scope.exclusion_of(entry.id, entry.control)
        if exclusion is not None and exclusion.expired(today):
            exclusion = None  # an expired exclusion no longer applies (and fails the synth below)
        passes = [i for i in items if i["result"] in ("pass", "declared", "partial")]
        fails = [i for i in items if i["result"] == "fail" and not i["acknowledgement_reason"]]
        accepted = [i for i in items if i["result"] == "fail" and i["acknowledgement_reason"]]
        result = status_logic.measure_status(
            measure_id=entry.id,
            control_id=entry.control,
            nature=str(entry.nature),
            responsibility=str(entry.responsibility),
            items=items,
            owner=owner,
            scope=scope,
            today=today,
            excluded=exclusion is not None,
        )
        status = result.status
        narrowed = narrowed_of(items)
        basis = _basis(status, result, owner, exclusion, scope, narrowed)
        kinds = {i["kind"] for i in passes}
        if any(f["state"] == "attested" for f in result.facets):
            kinds.add("attested")
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
                "headline": result.headline,
                "basis": basis,
                "facets": result.facets,
                "missing_facets": result.missing,
                "owner": _owner_json(owner),
                "exclusion": _exclusion_json(exclusion, today),
                "evidence": items,
                "evidence_kinds": sorted(kinds),
                "accepted_risks": [
                    {
                        "rule": i["rule"],
                        "stack": i["stack"],
                        "path": i["path"],
                        "logical_id": i["logical_id"],
                        "reason": i["acknowledgement_reason"],
                        **(
                            {"reason_nl": i["acknowledgement_reason_nl"]}
                            if i.get("acknowledgement_reason_nl")
                            else {}
                        ),
                    }
                    for i in accepted
                ],
                "open_violations": len(fails),
                **({"narrowed": narrowed} if narrowed else {}),
            }
        )

    by_control: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in measures_out:
        by_control[m["control"]].append(m)
    controls_out = [
        _with_control_evidence(
            _control_row(c, by_control.get(c.id, []), scope, today),
            (control_evidence or {}).get(c.id, []),
            scope,
            today,
        )
        for c in catalog.controls
    ]
    return measures_out, controls_out


def _with_control_evidence(
    row: dict[str, Any], items: list[dict[str, Any]], scope: Scope, today: str
) -> dict[str, Any]:
    """A control row without BIO2 measures, with its control-level evidence and the status that
    follows from it and from the attestation (``status.control_status_with_evidence``)."""
    if not items or row["measures"] or not row["applicable"]:
        return row
    items = sorted(items, key=_item_order)
    owner = scope.owner_of(row["id"], row["id"], row["theme"])
    attestation = scope.attestation_of(row["id"], row["id"], row["id"])
    status, technical = status_logic.control_status_with_evidence(
        row["theme"], owner, attestation, today, items
    )
    if technical is None:
        return row
    justification = (
        "Applicable: no BIO2 government measure; the ISO/IEC 27002 guidance applies. The landing zone "
        "evidences technical parts of it at control level; its organisational part needs an attestation."
    )
    return {
        **row,
        "status": status,
        "justification": justification,
        "technical": technical,
        "evidence": items,
    }


def _item_order(i: dict[str, Any]) -> tuple[str, ...]:
    return (
        i["kind"],
        i.get("template", i["stack"]),
        i["logical_id"],
        i.get("rule") or "",
        i.get("claim") or "",
        i["result"],
    )


def _claim_violations(results: Sequence[Any]) -> list[Violation]:
    """A ``BIO2-Engine-ClaimFailed`` violation per failed claim and a ``BIO2-Engine-ClaimNarrowed``
    one per narrowed claim (claims without a resource give evidence problems, not violations)."""
    from bio2_aspects.claims import CLAIM_FAILED_RULE, CLAIM_NARROWED_RULE

    out: list[Violation] = []
    for r in results:
        if r.logical_id is None:
            continue
        measures = ", ".join(r.measures) or msg("engine.no_measures")
        if r.result == "fail":
            out.append(
                _at_claim(
                    r,
                    rule=CLAIM_FAILED_RULE,
                    level=Level.ERROR.value,
                    detail=msg("engine.claim_failed", claim=r.id, measures=measures, detail=r.detail),
                    finding="A claimed guardrail or monitor does not hold on the synthesized template.",
                    fix=(
                        "Restore the guarantee (configuration, override or policy content), or stop making "
                        "the claim; acknowledge BIO2-Engine-ClaimFailed only as an accepted risk."
                    ),
                )
            )
        if r.result == "partial":
            out.append(
                _at_claim(
                    r,
                    rule=CLAIM_NARROWED_RULE,
                    level=Level.WARNING.value,
                    detail=msg(
                        "engine.claim_narrowed",
                        claim=r.id,
                        measures=measures,
                        covers=list(r.covers),
                        not_covered=list(r.not_covered),
                    ),
                    finding="A claimed guardrail or monitor covers only part of the scope its measures need.",
                    fix=(
                        "Attach or extend the guardrail or monitor to the uncovered scope (for an "
                        "organization policy: the root), or acknowledge BIO2-Engine-ClaimNarrowed with the "
                        "reason the narrower scope is intended."
                    ),
                )
            )
    return out


def _at_claim(r: Any, *, rule: str, level: str, detail: str, finding: str, fix: str) -> Violation:
    """A violation at a claim's resource, acknowledged as the claim is."""
    return Violation(
        rule=rule,
        level=level,
        stack=r.stack,
        template=r.template,
        path=r.path,
        logical_id=str(r.logical_id),
        resource_type=str(r.resource_type),
        detail=detail,
        finding=finding,
        fix=fix,
        acknowledged=r.acknowledgement,
    )


def _claim_evidence(
    results: Sequence[Any],
    evidence: dict[str, list[dict[str, Any]]],
    unbacked: list[dict[str, Any]],
    details: list[str],
    control_evidence: dict[str, list[dict[str, Any]]] | None = None,
) -> list[dict[str, Any]]:
    """The evidence of every claim result (see bio2_aspects.claims): evidence items per mapping
    and per control, the unbacked declarations, and the manifest's claim list."""
    out: list[dict[str, Any]] = []
    for r in results:
        details.append(r.detail)
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
                **detail_fields(r.detail),
                "facts": list(r.facts),
                "measures": r.measures,
                "acknowledgement_reason": r.acknowledgement,
                **reason_nl_field("acknowledgement_reason_nl", r.acknowledgement),
                **_coverage_fields(r),
            }
        )
        if r.logical_id is None:
            unbacked.append({**base, "path": r.path, "kind": r.kind, "claim": r.id, "measures": r.measures})
            continue
        for pair in r.controls:
            if control_evidence is not None:
                control_evidence[pair.control].append(
                    {
                        **base,
                        "kind": r.kind,
                        "rule": None,
                        "claim": r.id,
                        "result": r.result,
                        "path": r.path,
                        "logical_id": r.logical_id,
                        "resource_type": str(r.resource_type),
                        **detail_fields(r.detail),
                        "acknowledgement_reason": r.acknowledgement if r.result != "pass" else None,
                        **reason_nl_field(
                            "acknowledgement_reason_nl", r.acknowledgement if r.result != "pass" else None
                        ),
                        **_control_fields(pair),
                        **_coverage_fields(r),
                    }
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
                    **detail_fields(r.detail),
                    "strength": m.strength,
                    "facet": m.facet,
                    "rationale": {"en": m.rationale_en, "nl": m.rationale_nl},
                    "acknowledgement_reason": r.acknowledgement if r.result == "fail" else None,
                    **reason_nl_field(
                        "acknowledgement_reason_nl", r.acknowledgement if r.result == "fail" else None
                    ),
                    **_coverage_fields(r),
                }
            )
    return out


def _coverage_fields(r: Any) -> dict[str, Any]:
    """A narrowed claim's scope (only on narrowed claims, so other items keep their shape)."""
    if r.result != "partial":
        return {}
    return {"coverage": {"covers": list(r.covers), "not_covered": list(r.not_covered)}}


def narrowed_of(items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The narrowed claims among a measure's evidence: claim, covered and uncovered scope (sorted)."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for i in items:
        cov = i.get("coverage")
        if i.get("result") != "partial" or not cov:
            continue
        key = (str(i.get("claim") or i.get("rule") or ""), str(i.get("logical_id")))
        seen.setdefault(
            key,
            {
                "claim": key[0],
                "stack": i.get("stack"),
                "logical_id": i.get("logical_id"),
                "covers": list(cov.get("covers") or []),
                "not_covered": list(cov.get("not_covered") or []),
            },
        )
    return [seen[k] for k in sorted(seen)]


def _owner_json(owner: Any) -> dict[str, Any] | None:
    if owner is None:
        return None
    return {"name": owner.owner, "contact": owner.contact, "scope": owner.scope, "process": owner.process}


def _exclusion_json(exclusion: Any, today: str = "") -> dict[str, Any] | None:
    if exclusion is None:
        return None
    return {
        "id": exclusion.id,
        "justification": exclusion.justification,
        "risk_assessment": exclusion.risk_assessment,
        "approved_by": exclusion.approved_by,
        "date": exclusion.date,
        "expires": exclusion.expires,
        "expired": exclusion.expired(today) if today else False,
    }


def _control_fields(pair: Any) -> dict[str, Any]:
    return {
        "control": pair.control,
        "strength": pair.strength,
        "rationale": {"en": pair.rationale_en, "nl": pair.rationale_nl},
    }


def _mapping_fields(mapping: Any) -> dict[str, Any]:
    return {
        "strength": mapping.strength,
        "facet": mapping.facet,
        "rationale": {"en": mapping.rationale_en, "nl": mapping.rationale_nl},
    }


def _basis(
    status: str,
    result: Any,
    owner: Any,
    exclusion: Any,
    scope: Scope,
    narrowed: Sequence[dict[str, Any]] = (),
) -> str | None:
    """What the status rests on, in a sentence (English; the reports translate the statuses)."""
    if exclusion is not None:
        return exclusion.justification
    if status == "inherited":
        return scope.inherited_basis
    parts = []
    if owner is not None and owner.process:
        parts.append(f"{owner.owner}: {owner.process}")
    if status != "implemented" and result.missing:
        unattested = [f["id"] for f in result.facets if f["state"] in ("unattested", "overdue")]
        if unattested:
            parts.append(f"Not attested (no current document, approval or review): {', '.join(unattested)}.")
        others = [m for m in result.missing if m not in unattested]
        if others:
            parts.append(f"Not covered: {', '.join(others)}.")
    for n in narrowed:
        parts.append(
            f"Narrowed: {n['claim']} covers {', '.join(n['covers'])}; not {', '.join(n['not_covered'])}."
        )
    return " ".join(parts) or None


def _expired_exclusions(scope: Scope, today: str) -> list[Violation]:
    return [
        Violation(
            rule=EXPIRED_EXCLUSION_RULE,
            level=Level.ERROR.value,
            stack="",
            template="",
            path=None,
            logical_id=e.id,
            resource_type="BIO2::Exclusion",
            detail=msg(
                "engine.exclusion_expired", id=e.id, approved_by=e.approved_by or "-", expires=e.expires
            ),
            finding="An exclusion from the BIO2 scope has passed its expiry date.",
            fix="Re-assess the exclusion and give bio2.exclusions a new expires date, or remove it.",
            acknowledged=None,
        )
        for e in scope.exclusions
        if e.expired(today)
    ]


def _control_row(control: Any, measures: list[dict[str, Any]], scope: Scope, today: str) -> dict[str, Any]:
    exclusion = scope.exclusion_of(control.id)
    if exclusion is not None and exclusion.expired(today):
        exclusion = None
    owner = scope.owner_of(control.id, control.id, control.theme)
    attestation = scope.attestation_of(control.id, control.id, control.id)
    statuses = [m["status"] for m in measures if m["status"] != "excluded"]
    if exclusion is not None:
        status, applicable = "excluded", False
        justification = exclusion.justification
    else:
        applicable = True
        if not measures:
            justification = "Applicable: no BIO2 government measure; the ISO/IEC 27002 guidance applies."
            status = status_logic.control_status_without_measures(control.theme, owner, attestation, today)
        else:
            justification = "Applicable: part of the BIO2 baseline."
            status = status_logic.roll_up(statuses)
    return {
        "id": control.id,
        "theme": control.theme,
        "title": control.title,
        "title_nl": control.title_nl,
        "applicable": applicable,
        "justification": justification,
        "status": status,
        "owner": _owner_json(owner),
        "attestation": status_logic.attestation_json(attestation, today) if not measures else None,
        "measures": [m["id"] for m in measures],
        "measures_by_status": {s: statuses.count(s) for s in STATUSES if statuses.count(s)},
    }


def totals(
    measures: list[dict[str, Any]], controls: list[dict[str, Any]], violations: list[dict[str, Any]]
) -> dict[str, Any]:
    """The manifest's ``totals`` (violations as in the manifest)."""
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
        "headline": {h: sum(1 for m in measures if m["headline"] == h) for h in HEADLINE},
        "attestations": {
            "overdue": sum(
                1 for m in measures for f in m["facets"] if (f["attestation"] or {}).get("overdue")
            ),
            "without_document": sum(
                1
                for m in measures
                for f in m["facets"]
                if "no_document" in ((f["attestation"] or {}).get("problems") or [])
            ),
        },
        "measures_by_theme": {t: {s: per_theme[t][s] for s in STATUSES} for t in THEMES},
        "measures_by_evidence_kind": {
            k: kinds[k] for k in ("verified", "preventive", "detective", "attested")
        },
        "violations": {
            "open_errors": sum(1 for v in violations if v["level"] == "error" and not v["acknowledged"]),
            "open_warnings": sum(1 for v in violations if v["level"] == "warning" and not v["acknowledged"]),
            "accepted": sum(1 for v in violations if v["acknowledged"]),
            "expired_acceptances": sum(
                1 for v in violations if v["rule"] in (EXPIRED_ACCEPTANCE_RULE, EXPIRED_EXCLUSION_RULE)
            ),
        },
    }


def dumps(manifest: dict[str, Any]) -> str:
    """Deterministic JSON text of the manifest (sorted keys, 2-space indent, trailing newline)."""
    from bio2_aspects.evidence.common import manifest_bytes

    return manifest_bytes(manifest).decode("utf-8")
