"""Run-time evidence (``bio2 collect``) in the reports: the lines the summary shows.

Only a collected manifest (with ``audit.collection``) has them; a design-time manifest renders as
before.
"""

from __future__ import annotations

from typing import Any


def summary_lines(manifest: dict[str, Any], t: dict[str, str]) -> list[str]:
    """The summary's run-time section: when and what was collected, and every measure its monitors
    report NON_COMPLIANT (design-time status -> status now, since when, where)."""
    collection = (manifest.get("audit") or {}).get("collection")
    if not collection:
        return []
    red = [
        m for m in manifest.get("measures", []) if (m.get("runtime") or {}).get("state") == "non_compliant"
    ]
    lines = [
        "",
        f"## {t['runtime.title']} ({len(red)})",
        "",
        f"{t['runtime.collected_at']}: {collection['collected_at']} ({collection['collected_at_source']}); "
        f"{t['runtime.accounts']}: {collection.get('accounts', 0)}; "
        f"{t['runtime.observations']}: {collection.get('observations', 0)}, "
        f"NON_COMPLIANT {collection.get('non_compliant', 0)}; "
        f"{', '.join(collection.get('sources') or [])}",
        "",
    ]
    if not red:
        lines.append(t["runtime.none_red"])
        return lines
    lines.append(f"| {t['measure']} | {t['status']} | {t['runtime.non_compliant_since']} | {t['resource']} |")
    lines.append("|---|---|---|---|")
    for m in red:
        rt = m["runtime"]
        design = t[rt["design"]["status"]]
        where = "; ".join(
            f"{i['rule']} {i['account']}/{i['region']} {i['logical_id']}"
            for i in m.get("evidence", [])
            if i.get("kind") == "runtime" and i.get("result") == "fail"
        )
        status = t[m["status"]] if design == t[m["status"]] else f"{design} \u2192 {t[m['status']]}"
        where = where.replace("|", "\\|")
        lines.append(f"| {m['id']} | {status} | {rt['non_compliant_since']} | {where} |")
    return lines
