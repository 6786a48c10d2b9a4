"""The status of a BIO2 measure and of an ISO/IEC 27002 control, from facets and evidence.

A measure has facets (``bio2_aspects.catalog.facets``), each technical or organisational. A facet
is covered

* technical: by passing ``full`` evidence that names the facet (or names no facet when the
  measure has one technical facet). Detective evidence (a monitor) counts only for facets about
  monitoring (see :func:`is_monitoring`); elsewhere it is a watch on the control, not the control.
  A technical facet met outside the infrastructure (e.g. MFA in the organisation's IdP) may be
  covered by a valid attestation instead, and then counts as attested, never as evidenced;
* organisational: by a valid attestation (document with title and reference, approval date,
  approver, review date not passed). A named owner without a document attests nothing.

Statuses (worst last), see ``docs/auditor-guide.md``:

``implemented``            every applicable facet covered, no open or accepted violation
``awaiting_attestation``   every technical facet evidenced; an organisational facet not attested
``partially_implemented``  some facet covered or evidenced in part (also by a narrowed claim, whose
                           fact holds for part of the scope), or a violation was accepted
``unattested``             an owned process without a (current) attestation; no technical part
``gap``                    nothing covers it (or only failures)
``inherited`` / ``excluded``  carried by the cloud provider / out of scope after a risk assessment

A control rolls up to the worst status of its applicable measures (no rounding up). A control
without BIO2 measures that the landing zone evidences at control level (rules and claims mapped in
``mappings/data/controls.json`` and the claim tables) takes its status from that evidence *and* its
attestation (:func:`control_status_with_evidence`): technical evidence alone never makes it
``implemented``, because each of these controls has an organisational part.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from bio2_aspects.catalog.facets import Facet, facets_of
from bio2_aspects.scope import Attestation, Owner, Scope

STATUSES: tuple[str, ...] = (
    "implemented",
    "awaiting_attestation",
    "partially_implemented",
    "unattested",
    "gap",
    "inherited",
    "excluded",
)
#: The headline figures: ``implemented`` split by what carries it, every other status as is.
HEADLINE: tuple[str, ...] = (
    "evidenced",
    "attested",
    "awaiting_attestation",
    "partially_implemented",
    "unattested",
    "gap",
    "inherited",
    "excluded",
)
#: Worst first: a control takes the worst status of its applicable measures.
ROLL_UP_ORDER: tuple[str, ...] = (
    "gap",
    "unattested",
    "partially_implemented",
    "awaiting_attestation",
    "implemented",
    "inherited",
)
FACET_STATES: tuple[str, ...] = ("evidenced", "attested", "partial", "unattested", "overdue", "missing")
POSITIVE_RESULTS = ("pass", "declared")
#: A narrowed claim (its fact holds for part of the scope): it touches a facet, never covers it.
PARTIAL_RESULT = "partial"


@cache
def monitoring_measures() -> frozenset[str]:
    path = resources.files(__package__).joinpath("data", "monitoring.json")
    return frozenset(json.loads(path.read_text(encoding="utf-8"))["measures"])


def is_monitoring(facet: Facet) -> bool:
    """A facet about monitoring or detection: a monitor is then the control itself."""
    summary = (facet.summary_en or "").strip().lower()
    return facet.measure in monitoring_measures() or summary.startswith(("monitor", "detect"))


def attestation_json(a: Attestation | None, today: str) -> dict[str, Any] | None:
    if a is None:
        return None
    doc = a.document
    return {
        "scope": a.scope,
        "owner": a.owner,
        "document": None
        if doc is None
        else {"title": doc.title, "reference": doc.reference, "version": doc.version},
        "date": a.date,
        "approved_by": a.approved_by,
        "review_date": a.review_date,
        "problems": list(a.problems()),
        "overdue": a.overdue(today),
        "valid": not a.problems() and not a.overdue(today),
    }


@dataclass(frozen=True)
class MeasureStatus:
    status: str
    headline: str
    facets: list[dict[str, Any]]
    missing: list[str]  # facet IDs not covered


def _facet_items(
    items: Sequence[dict[str, Any]], facet: Facet, single_technical: bool
) -> list[dict[str, Any]]:
    return [i for i in items if i.get("facet") == facet.id or (i.get("facet") is None and single_technical)]


def measure_status(
    *,
    measure_id: str,
    control_id: str,
    nature: str,
    responsibility: str,
    items: Sequence[dict[str, Any]],
    owner: Owner | None,
    scope: Scope,
    today: str,
    excluded: bool,
) -> MeasureStatus:
    """The status of one measure (see the module docstring)."""
    facets = facets_of(measure_id, nature)
    positives = [i for i in items if i.get("result") in POSITIVE_RESULTS]
    narrowed = [i for i in items if i.get("result") == PARTIAL_RESULT]
    open_fails = [i for i in items if i.get("result") == "fail" and not i.get("acknowledgement_reason")]
    accepted = [i for i in items if i.get("result") == "fail" and i.get("acknowledgement_reason")]
    technical = [f for f in facets if f.is_technical]
    # a technical measure the catalog places with the organisation (met outside the cloud): an owner
    # makes it an owned process that awaits its attestation, not a gap of the platform
    outside = responsibility == "organisation"
    single = len(technical) == 1
    out: list[dict[str, Any]] = []
    for f in facets:
        attestation = scope.attestation_of(f.id, measure_id, control_id)
        att = attestation_json(attestation, today)
        related = _facet_items([*positives, *narrowed], f, single) if f.is_technical else []
        counting = [i for i in related if i.get("kind") != "detective" or is_monitoring(f)]
        full = [i for i in counting if i.get("strength") == "full" and i.get("result") in POSITIVE_RESULTS]
        if f.is_technical and full:
            state = "evidenced"
        elif att and att["valid"]:
            state = "attested"
        elif f.is_technical and (related or [i for i in [*positives, *narrowed] if i.get("facet") is None]):
            state = "partial"
        elif att and att["overdue"] and not att["problems"]:
            state = "overdue"
        elif att or (owner is not None and (not f.is_technical or owner.process or outside)):
            state = "unattested"
        else:
            state = "missing"
        out.append(
            {
                "id": f.id,
                "kind": f.kind,
                "summary": {"en": f.summary_en, "nl": f.summary_nl},
                "monitoring": is_monitoring(f),
                "state": state,
                "evidence": len(full) if state == "evidenced" else len(related),
                "attestation": att,
            }
        )
    states = [f["state"] for f in out]
    covered = [s in ("evidenced", "attested") for s in states]
    tech_states = [f["state"] for f in out if f["kind"] == "technical"]
    missing = [f["id"] for f in out if f["state"] not in ("evidenced", "attested")]
    touched = any(covered) or "partial" in states
    if excluded:
        status = "excluded"
    elif responsibility == "cloud_provider" and not items:
        status = "inherited"
    elif all(covered) and not open_fails and not accepted:
        status = "implemented"
    elif open_fails and not touched:
        status = "gap"
    elif tech_states and all(s == "evidenced" for s in tech_states) and not open_fails and not accepted:
        status = "awaiting_attestation"
    elif touched:
        status = "partially_implemented"
    elif any(s in ("unattested", "overdue") for s in states):
        status = "unattested"
    else:
        status = "gap"
    headline = status
    if status == "implemented":
        headline = "evidenced" if "evidenced" in states else "attested"
    return MeasureStatus(status, headline, out, missing)


def roll_up(statuses: Iterable[str]) -> str:
    """A control's status from its applicable measures: the worst of them; ``implemented`` when
    they are all implemented or inherited, ``inherited`` only when all are inherited."""
    applicable = [s for s in statuses if s != "excluded"]
    if not applicable:
        return "excluded"
    return min(applicable, key=ROLL_UP_ORDER.index)


def control_status_without_measures(
    theme: str, owner: Owner | None, attestation: Attestation | None, today: str
) -> str:
    """A control without BIO2 measures: physical ones sit with the cloud provider; others need an
    attested process (a named owner alone leaves it unattested)."""
    if theme == "physical":
        return "inherited"
    if attestation is not None and not attestation.problems() and not attestation.overdue(today):
        return "implemented"
    if owner is not None or attestation is not None:
        return "unattested"
    return "gap"


#: The technical part of a control evidenced at control level (see ``control_status_with_evidence``).
TECHNICAL_STATES: tuple[str, ...] = ("evidenced", "partial", "failing")


def control_status_with_evidence(
    theme: str,
    owner: Owner | None,
    attestation: Attestation | None,
    today: str,
    items: Sequence[dict[str, Any]],
) -> tuple[str, str | None]:
    """(status, technical state) of a control without BIO2 measures that has control-level evidence.

    The technical part is ``evidenced`` when a ``full`` item passes and nothing fails open or was
    accepted; ``partial`` when items pass (or narrowed claims hold) but only ``supporting`` ones, or
    next to an accepted failure; ``failing`` when an item fails open, or only accepted failures are
    left. No counting item (only claims whose Condition is known at deployment): None, and the status
    without evidence stands.

    The status never rounds up: ``implemented`` needs a valid attestation of the control's process
    *and* an evidenced technical part; evidenced without attestation is ``awaiting_attestation``; in
    part, or failing next to a pass or an attestation, is ``partially_implemented``; failing alone is
    a ``gap``.
    """
    passes = [i for i in items if i.get("result") in POSITIVE_RESULTS]
    narrowed = [i for i in items if i.get("result") == PARTIAL_RESULT]
    open_fails = [i for i in items if i.get("result") == "fail" and not i.get("acknowledgement_reason")]
    accepted = [i for i in items if i.get("result") == "fail" and i.get("acknowledgement_reason")]
    full = [i for i in passes if i.get("strength") == "full"]
    if open_fails:
        technical = "failing"
    elif full and not accepted:
        technical = "evidenced"
    elif passes or narrowed:
        technical = "partial"
    elif accepted:
        technical = "failing"  # the risk is accepted, the technical part still does not hold
    else:
        return control_status_without_measures(theme, owner, attestation, today), None
    attested = attestation is not None and not attestation.problems() and not attestation.overdue(today)
    if technical == "evidenced":
        status = "implemented" if attested else "awaiting_attestation"
    elif technical == "partial" or passes or narrowed or attested:
        status = "partially_implemented"
    else:
        status = "gap"
    return status, technical
