"""Merge run-time observations into a manifest: the new manifest ``bio2 collect`` writes.

Per measure, every observation of a monitor mapped to it (``runtime.json``) becomes an evidence
item of kind ``runtime``: source, monitor (``rule``), account, region, resource, compliance state,
observation time and, for a non-compliance, since when the monitor reports it. The item's
``stack`` is ``<account>/<region>`` and its ``logical_id`` the resource, so ``bio2 diff`` and the
register identify it like any other item.

Downgrade (the status logic of ``bio2_aspects.evidence.status`` with the red observations
counted as open failures):

* a measure with at least one NON_COMPLIANT observation ("red") is downgraded unless it is
  ``excluded``: each technical facet a red item maps to (every technical facet when the row
  names none) that was ``evidenced`` or ``attested`` becomes ``partial``; the measure becomes
  ``partially_implemented`` when any facet is still evidenced, attested or partial, else ``gap``;
  a status that was already worse stays. ``implemented`` and ``awaiting_attestation`` are
  impossible with an open failure, as at synth time;
* COMPLIANT observations never upgrade a measure: run-time evidence can only take away what the
  templates proved, never add what they did not;
* the measure's ``runtime`` block records the state (``compliant`` / ``non_compliant``), the last
  observation time, since when it is red (the earliest first observation of its red items,
  carried over from the previous collection for the same monitor, account, region and
  resource), and its design-time status, headline, basis and facet states. Collecting again on a
  collected manifest starts from that design-time state, so a measure turns green again when its
  monitors do;
* controls roll up again (worst of their measures) and the totals are recomputed.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from typing import Any

from bio2_aspects.collect import table
from bio2_aspects.collect.sources import NON_COMPLIANT, Observation
from bio2_aspects.evidence.common import STATUS_RANK, STATUSES

RUNTIME_KIND = "runtime"
RED_STATE = "non_compliant"
GREEN_STATE = "compliant"
COVERED = ("evidenced", "attested")
TOUCHED = ("evidenced", "attested", "partial")

ObsKey = tuple[str, str, str, str]


def item_key(item: dict[str, Any]) -> ObsKey:
    return (
        str(item.get("rule")),
        str(item.get("account")),
        str(item.get("region")),
        str(item.get("logical_id")),
    )


def _red_since(manifests: Iterable[dict[str, Any] | None]) -> dict[ObsKey, str]:
    """The earliest ``first_observed`` of every red runtime item in earlier manifests."""
    out: dict[ObsKey, str] = {}
    for manifest in manifests:
        for m in (manifest or {}).get("measures", []):
            for i in m.get("evidence", []):
                if i.get("kind") == RUNTIME_KIND and i.get("result") == "fail" and i.get("first_observed"):
                    key = item_key(i)
                    out[key] = min(out.get(key, i["first_observed"]), i["first_observed"])
    return out


def _item(obs: Observation, mapping: Any, since: str | None, collected_at: str) -> dict[str, Any]:
    red = obs.compliance == NON_COMPLIANT
    # a response without a time (rare): the collection time stands in, and says so
    observed, observed_source = (
        (obs.observed_at, obs.observed_source) if obs.observed_at else (collected_at, "collection")
    )
    return {
        "kind": RUNTIME_KIND,
        "rule": obs.monitor,
        "result": "fail" if red else "pass",
        "stack": f"{obs.account}/{obs.region}",
        "account": obs.account,
        "region": obs.region,
        "path": None,
        "logical_id": obs.resource,
        "resource_type": obs.resource_type,
        "detail": obs.detail,
        "acknowledgement_reason": None,
        "strength": mapping.strength,
        "facet": mapping.facet,
        "rationale": {"en": mapping.rationale_en, "nl": mapping.rationale_nl},
        "source": obs.source,
        "compliance": obs.compliance,
        "observed_at": observed,
        "observed_at_source": observed_source,
        "first_observed": (since or observed) if red else None,
    }


def _evidence_sort_key(i: dict[str, Any]) -> tuple[str, ...]:
    # the manifest's own order (bio2_aspects.evidence.manifest.measures_and_controls)
    return (i["kind"], i.get("template", i["stack"]), i["logical_id"], i["rule"] or "", i["result"])


def _restore_design_state(m: dict[str, Any]) -> None:
    """Undo an earlier collection: drop runtime items, restore design-time status and facets."""
    m["evidence"] = [i for i in m.get("evidence", []) if i.get("kind") != RUNTIME_KIND]
    runtime = m.pop("runtime", None)
    if not runtime:
        return
    design = runtime["design"]
    m["status"], m["headline"], m["basis"] = design["status"], design["headline"], design["basis"]
    m["missing_facets"] = list(design["missing_facets"])
    for f in m.get("facets", []):
        f["state"] = design["facet_states"].get(f["id"], f["state"])


def _downgrade(m: dict[str, Any], red: Sequence[dict[str, Any]]) -> None:
    facets = m.get("facets", [])
    technical = [f for f in facets if f.get("kind") == "technical"]
    named = {i.get("facet") for i in red}
    hit = {f["id"] for f in technical} if None in named else {n for n in named if n}
    for f in facets:
        if f["id"] in hit and f.get("state") in COVERED:
            f["state"] = "partial"
    touched = any(f.get("state") in TOUCHED for f in facets)
    candidate = "partially_implemented" if touched else "gap"
    current = m["status"]
    if current in STATUS_RANK and STATUS_RANK[current] < STATUS_RANK[candidate]:
        candidate = current
    m["status"] = candidate
    m["headline"] = candidate
    m["missing_facets"] = [f["id"] for f in facets if f.get("state") not in COVERED]
    where = "; ".join(
        f"{i['rule']} {i['account']}/{i['region']} {i['logical_id']} "
        f"since {i['first_observed'] or i['observed_at']}"
        for i in red[:5]
    )
    more = f" (+{len(red) - 5} more)" if len(red) > 5 else ""
    sentence = f"Run-time: NON_COMPLIANT: {where}{more}."
    m["basis"] = f"{m['basis']} {sentence}" if m.get("basis") else sentence


def merge_observations(
    manifest: dict[str, Any],
    observations: Sequence[Observation],
    *,
    collection: dict[str, Any],
    previous: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A new manifest: ``manifest`` with the observations merged in (see the module docstring).

    ``collection`` goes to ``audit.collection`` (collection time and its source, sources,
    regions...); ``previous`` is an earlier collected manifest whose red items give "since"."""
    from bio2_aspects.evidence.manifest import totals
    from bio2_aspects.evidence.status import roll_up

    out = copy.deepcopy(manifest)
    since = _red_since([manifest, previous])
    by_measure: dict[str, list[dict[str, Any]]] = {}
    for obs in observations:
        first = obs.first_observed
        earlier = since.get(obs.key)
        if obs.compliance == NON_COMPLIANT:
            first = min((x for x in (first, earlier, obs.observed_at) if x), default=None)
        for mapping in table.mappings_of(obs.monitor):
            item = _item(obs, mapping, first, collection["collected_at"])
            by_measure.setdefault(mapping.measure, []).append(item)

    for m in out.get("measures", []):
        _restore_design_state(m)
        items = by_measure.get(m["id"])
        if not items:
            continue
        design = {
            "status": m["status"],
            "headline": m["headline"],
            "basis": m.get("basis"),
            "missing_facets": list(m.get("missing_facets") or []),
            "facet_states": {f["id"]: f["state"] for f in m.get("facets", [])},
        }
        items.sort(key=lambda i: (i["rule"], i["account"], i["region"], i["logical_id"], i["result"]))
        red = [i for i in items if i["result"] == "fail"]
        m["evidence"] = sorted([*m.get("evidence", []), *items], key=_evidence_sort_key)
        if red and m["status"] != "excluded":
            _downgrade(m, red)
        m["runtime"] = {
            "state": RED_STATE if red else GREEN_STATE,
            "observations": len(items),
            "non_compliant": len(red),
            "last_observed": max(i["observed_at"] for i in items),
            "non_compliant_since": min(i["first_observed"] for i in red) if red else None,
            "downgraded": m["status"] != design["status"],
            "design": design,
        }

    measures = {m["id"]: m for m in out.get("measures", [])}
    for c in out.get("controls", []):
        if not c.get("applicable", True) or not c.get("measures"):
            continue
        statuses = [measures[mid]["status"] for mid in c["measures"] if mid in measures]
        statuses = [s for s in statuses if s != "excluded"]
        c["status"] = roll_up(statuses)
        c["measures_by_status"] = {s: statuses.count(s) for s in STATUSES if statuses.count(s)}
    out["totals"] = {**out.get("totals", {}), **totals(out["measures"], out["controls"], out["violations"])}
    accounts = sorted({o.account for o in observations})
    out.setdefault("audit", {})["collection"] = {
        **collection,
        "accounts": len(accounts),
        "observations": len(observations),
        "non_compliant": sum(1 for o in observations if o.compliance == NON_COMPLIANT),
        "measures_downgraded": sorted(
            (m["id"] for m in out["measures"] if (m.get("runtime") or {}).get("downgraded")),
            key=lambda x: tuple(int(p) for p in x.split(".")),
        ),
    }
    return out
