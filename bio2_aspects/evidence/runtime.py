"""Run-time evidence (``bio2 collect``) in the reports: the lines the summary shows.

Only a collected manifest (with ``audit.collection``) has them; a design-time manifest renders as
before.
"""

from __future__ import annotations

from collections.abc import Mapping

from bio2_aspects.evidence.models import Manifest


def summary_lines(manifest: Manifest, t: Mapping[str, str]) -> list[str]:
    """The summary's run-time section: when and what was collected, and every measure its monitors
    report NON_COMPLIANT (design-time status -> status now, since when, where)."""
    collection = manifest.audit.collection
    if collection is None:
        return []
    red = [m for m in manifest.measures if m.runtime is not None and m.runtime.state == "non_compliant"]
    lines = [
        "",
        f"## {t['runtime.title']} ({len(red)})",
        "",
        f"{t['runtime.collected_at']}: {collection.collected_at} ({collection.collected_at_source}); "
        f"{t['runtime.accounts']}: {collection.accounts or 0}; "
        f"{t['runtime.observations']}: {collection.observations}, "
        f"NON_COMPLIANT {collection.non_compliant or 0}; "
        f"{', '.join(collection.sources)}",
        "",
    ]
    if not red:
        lines.append(t["runtime.none_red"])
        return lines
    lines.append(f"| {t['measure']} | {t['status']} | {t['runtime.non_compliant_since']} | {t['resource']} |")
    lines.append("|---|---|---|---|")
    for m in red:
        rt = m.runtime
        assert rt is not None
        design = t[rt.design.status]
        where = "; ".join(
            f"{i.rule} {i.account}/{i.region} {i.logical_id}"
            for i in m.evidence
            if i.kind == "runtime" and i.result == "fail"
        )
        status = t[m.status] if design == t[m.status] else f"{design} \u2192 {t[m.status]}"
        where = where.replace("|", "\\|")
        lines.append(f"| {m.id} | {status} | {rt.non_compliant_since} | {where} |")
    return lines
