"""``summary.md``: a readable summary of the manifest (coverage per theme, gaps, accepted risks)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bio2_aspects.evidence.common import (
    HEADLINE,
    RESOURCE_KINDS,
    STATUSES,
    THEMES,
    audit_lines,
    control_evidence_text,
    owner_name,
    resolve_lang,
    title_of,
)
from bio2_aspects.evidence.i18n import labels
from bio2_aspects.evidence.models import Manifest, as_manifest
from bio2_aspects.evidence.runtime import summary_lines as runtime_summary_lines


def _cell(text: Any) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def render_summary(manifest: Manifest | Mapping[str, Any], lang: str | None = None) -> str:
    manifest = as_manifest(manifest)
    lang = resolve_lang(manifest, lang)
    t = labels(lang)
    totals = manifest.totals
    lines = [f"# {t['title']}", ""]
    if manifest.organisation:
        lines.append(f"- {t['organisation']}: {manifest.organisation}")
    cat = manifest.catalog
    lines.append(f"- {t['catalog']}: {cat.name} {cat.version} ({cat.iso})")
    lines.append(f"- {t['templates']}: {len(manifest.templates)}")
    lines += [f"- {label}: {_cell(value)}" for label, value in audit_lines(manifest, t)]
    headline = totals.headline
    if headline:
        # evidenced, attested, unattested and gap each on their own: nothing is added to "no gap"
        lines += ["", f"## {t['headline']}", ""]
        lines.append("| " + " | ".join(t[h] for h in HEADLINE) + " |")
        lines.append("|" + "---|" * len(HEADLINE))
        lines.append("| " + " | ".join(str(headline.get(h, 0)) for h in HEADLINE) + " |")
    lines += ["", f"## {t['coverage']}", ""]
    lines.append("| " + " | ".join([t["theme"], *(t[s] for s in STATUSES), t["total"]]) + " |")
    lines.append("|" + "---|" * (len(STATUSES) + 2))
    for theme in THEMES:
        row = totals.measures_by_theme[theme]
        lines.append(
            "| "
            + " | ".join([t[f"theme.{theme}"], *(str(row[s]) for s in STATUSES), str(sum(row.values()))])
            + " |"
        )
    by_status = totals.measures_by_status
    lines.append(
        "| "
        + " | ".join(
            [f"**{t['total']}**", *(f"**{by_status[s]}**" for s in STATUSES), f"**{totals.measures}**"]
        )
        + " |"
    )
    kinds = totals.measures_by_evidence_kind
    # Fixed orders, not the dicts' own: a manifest read back from manifest.json has sorted keys.
    lines += [
        "",
        f"{t['evidence_kinds']}: " + ", ".join(f"{t[k]} {kinds.get(k, 0)}" for k in RESOURCE_KINDS),
        "",
    ]
    by_control = totals.controls_by_status
    lines.append(
        f"{t['controls_soa']}: " + ", ".join(f"{t[s]} {by_control[s]}" for s in STATUSES if by_control.get(s))
    )

    lines += _control_evidence_lines(manifest, t, lang)

    gaps = [m for m in manifest.measures if m.status == "gap"]
    lines += ["", f"## {t['gaps']} ({len(gaps)})", ""]
    if gaps:
        lines.append(f"| {t['measure']} | {t['summary']} | {t['owner']} |")
        lines.append("|---|---|---|")
        for m in gaps:
            owner = owner_name(m.owner) or t["none"]
            summary = m.summary_nl if lang == "nl" else m.summary
            lines.append(f"| {m.id} | {_cell(summary)} | {_cell(owner)} |")
    else:
        lines.append(t["no_gaps"])

    unattested = [m for m in manifest.measures if m.status in ("unattested", "awaiting_attestation")]
    lines += ["", f"## {t['unattested_list']} ({len(unattested)})", ""]
    if unattested:
        lines.append(f"| {t['measure']} | {t['status']} | {t['missing_facets']} | {t['owner']} |")
        lines.append("|---|---|---|---|")
        for m in unattested:
            owner = owner_name(m.owner) or t["none"]
            missing = ", ".join(m.missing_facets)
            lines.append(f"| {m.id} | {t[m.status]} | {_cell(missing)} | {_cell(owner)} |")
    else:
        lines.append(t["no_unattested"])
    overdue = [
        f.attestation for m in manifest.measures for f in m.facets if f.attestation and f.attestation.overdue
    ]
    if overdue:
        lines += ["", f"## {t['overdue_reviews']} ({len(overdue)})", ""]
        lines += [f"- {a.scope}: {_cell(a.owner)}, {a.review_date}" for a in overdue]

    risks = [(m.id, r) for m in manifest.measures for r in m.accepted_risks]
    accepted = [v for v in manifest.violations if v.acknowledged]
    lines += ["", f"## {t['accepted_risks']} ({len(accepted)})", ""]
    if accepted:
        lines.append(f"| {t['rule']} | {t['resource']} | {t['reason']} |")
        lines.append("|---|---|---|")
        for v in accepted:
            lines.append(f"| {v.rule} | {_cell(v.path or v.logical_id)} | {_cell(v.reason_in(lang))} |")
        lines += ["", f"{t['measure']}: " + ", ".join(sorted({mid for mid, _ in risks}))]
    else:
        lines.append(t["no_accepted_risks"])

    register = manifest.risk_acceptances
    if register:
        lines += ["", f"## {t['risk_register']} ({len(register)})", ""]
        lines.append(
            f"| {t['rule']} | {t['reason']} | {t['attestation.approved_by']} | {t['attestation.date']} "
            f"| {t['acceptance.expires']} |"
        )
        lines.append("|---|---|---|---|---|")
        for a in register:
            expires = a.expires + (f" ({t['acceptance.expired']})" if a.expired else "")
            lines.append(f"| {a.rule} | {_cell(a.reason)} | {_cell(a.approved_by)} | {a.date} | {expires} |")

    lines += runtime_summary_lines(manifest, t)

    open_v = [v for v in manifest.violations if not v.acknowledged]
    lines += ["", f"## {t['open_violations']} ({len(open_v)})", ""]
    if open_v:
        lines.append(f"| {t['rule']} | {t['resource']} | {t['detail']} |")
        lines.append("|---|---|---|")
        for v in open_v:
            detail = manifest.text_of(v, lang)
            lines.append(f"| {v.rule} ({v.level}) | {_cell(v.path or v.logical_id)} | {_cell(detail)} |")
    else:
        lines.append(t["no_open_violations"])
    return "\n".join(lines) + "\n"


def _control_evidence_lines(manifest: Manifest, t: Mapping[str, str], lang: str) -> list[str]:
    """The SoA controls without BIO2 measures that the templates evidence at control level."""
    rows = [c for c in manifest.controls if c.evidence]
    if not rows:
        return []
    lines = ["", f"## {t['control_evidence']} ({len(rows)})", ""]
    lines.append(f"| {t['control']} | {t['title_col']} | {t['status']} | {t['control_evidence']} |")
    lines.append("|---|---|---|---|")
    for c in rows:
        evidence = _cell(control_evidence_text(c, t))
        lines.append(f"| {c.id} | {_cell(title_of(c, lang))} | {t[c.status]} | {evidence} |")
    return lines
