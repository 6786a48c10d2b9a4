"""``hld.md``: the high-level design chapter of the landing zone, generated from the manifest.

One section per landing-zone component (organisation and guardrails, identity, logging,
security monitoring, network, backup, key management, account baseline, other), derived from
the CloudFormation types of the resources: what the component is, where it is deployed, its
resources counted per type, and the BIO2 measures it carries (from the measures proven on its
resources and from the evidence declared by its resources). Markdown, ready to paste into
``docs/``; deterministic (sorted, no timestamps).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from functools import cache
from typing import Any

from bio2_aspects.evidence.common import (
    COMPONENT_KEYS,
    STATUSES,
    THEMES,
    component_of,
    is_positive,
    manifest_digest,
    measure_sort_key,
    resolve_lang,
    summary_of,
)
from bio2_aspects.evidence.i18n import LABELS, labels
from bio2_aspects.evidence.models import Design, Manifest, Violation, as_manifest

_MD_SPECIAL = re.compile(r"[&<>|\r\n]")


def md_cell(text: Any) -> str:
    """Text safe inside a Markdown table cell: no pipes, newlines or raw HTML."""
    s = "" if text is None else str(text)
    if _MD_SPECIAL.search(s) is None:
        return s
    return (
        s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "\\|")
        .replace("\r", " ")
        .replace("\n", " ")
    )


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(md_cell(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return out


class _ComponentFacts:
    """What the manifest says about one component."""

    def __init__(self) -> None:
        self.types: Counter[str] = Counter()
        self.stacks: set[tuple[str, str | None, str | None]] = set()
        #: measure -> evidence kind -> resources (stack, logical ID)
        self.measures: dict[str, dict[str, set[tuple[str, str]]]] = defaultdict(lambda: defaultdict(set))
        self.open_violations: list[Violation] = []
        self.accepted: list[Violation] = []


def collect_components(manifest: Manifest | Mapping[str, Any]) -> dict[str, _ComponentFacts]:
    """Per component key: resource types, stacks, measures carried and violations."""
    manifest = as_manifest(manifest)
    facts: dict[str, _ComponentFacts] = {k: _ComponentFacts() for k in COMPONENT_KEYS}
    where: dict[tuple[str, str], str] = {}
    for r in manifest.resources:
        key = component_of(r.type or "", r.stack, r.path, r.logical_id)
        where[(r.stack, r.logical_id)] = key
        f = facts[key]
        f.types[r.type or "?"] += 1
        f.stacks.add((r.stack, r.account, r.region))
        for mid in r.measures:
            f.measures[mid]["verified"].add((r.stack, r.logical_id))
    for m in manifest.measures:
        for item in m.evidence:
            if item.kind == "verified" or not is_positive(item):
                continue
            res = (item.stack, item.logical_id)
            key = where.get(res) or component_of(
                item.resource_type or "", item.stack, item.path, item.logical_id
            )
            facts[key].measures[m.id][item.kind].add(res)
    for v in manifest.violations:
        res = (v.stack, v.logical_id)
        key = where.get(res) or component_of(v.resource_type or "", v.stack, v.path, v.logical_id)
        (facts[key].accepted if v.acknowledged else facts[key].open_violations).append(v)
    return facts


@cache
def _field_order() -> dict[str, int]:
    """Design field -> column: the order of the field labels (``design.f.*``), the order in which
    ``design.py`` extracts them. Never the data's own key order: a manifest read back from
    ``manifest.json`` has sorted keys, and ``bio2 report`` must write the synth's HLD again."""
    keys = [k.removeprefix("design.f.") for k in LABELS["en"] if k.startswith("design.f.")]
    return {k: i for i, k in enumerate(keys)}


def _field_rank(field: str) -> tuple[int, str]:
    return _field_order().get(field, len(_field_order())), field


def _design(design: Design | None, t: Mapping[str, str]) -> list[str]:
    """The design chapter: per section the designed resources and their values, with measures."""
    if design is None:
        return []
    lines = ["", f"## {t['design']}", "", t["design.intro"]]
    for section in ("organization", "identity", "logging", "network", "backup"):
        rows = design.rows(section)
        lines += ["", f"### {t[f'design.{section}']}", ""]
        if not rows:
            lines.append(t["design.none"])
            continue
        for rtype in sorted({r.type for r in rows}):
            of_type = [r for r in rows if r.type == rtype]
            keys = sorted(of_type[0].fields, key=_field_rank)
            lines += ["", f"`{rtype}` ({len(of_type)})", ""]
            lines += _table(
                [t["stack"], *(t[f"design.f.{k}"] for k in keys), t["measures"]],
                [
                    [r.stack, *(r.fields.get(k, "") for k in keys), ", ".join(r.measures) or "-"]
                    for r in of_type
                ],
            )
    tags = design.classification
    lines += ["", f"### {t['design.classification']}", ""]
    if any(tags.values()):
        lines += _table(
            [t["design.tag"], t["design.value"], t["count"]],
            [[k, v, n] for k in sorted(tags) for v, n in sorted(tags[k].items())],
        )
    else:
        lines.append(t["design.none"])
    return lines


def _inventories(manifest: Manifest, lang: str) -> list[str]:
    """The log-source inventory (8.15.03) and the internet-facing register (5.14.04)."""
    from bio2_aspects.evidence.inventory_report import inventory_markdown

    return inventory_markdown(manifest, lang)


def render_hld(
    manifest: Manifest | Mapping[str, Any], lang: str | None = None, *, digest: str | None = None
) -> str:
    """The HLD chapter as Markdown text (``digest``: the manifest's SHA-256, if already known)."""
    manifest = as_manifest(manifest)
    lang = resolve_lang(manifest, lang)
    t = labels(lang)
    measures = {m.id: m for m in manifest.measures}
    facts = collect_components(manifest)
    org = manifest.organisation
    cat = manifest.catalog
    tool = manifest.tool

    heading = f"{t['hld.title']} \u2013 {org}" if org else t["hld.title"]
    lines = [f"# {heading}", ""]
    lines.append(
        "> "
        + t["hld.generated"].format(
            digest=digest or manifest_digest(manifest),
            tool=f"{tool.name} {tool.version}",
            catalog=f"{cat.name} {cat.version} ({cat.iso})",
        )
    )
    lines += ["", t["hld.intro"], ""]

    lines += [f"## {t['hld.deployment']}", ""]
    lines += _table(
        [t["stack"], t["account"], t["region"], t["resources"], t["template"], "SHA-256"],
        [
            [
                f"`{tp.stack}`",
                tp.account or "-",
                tp.region or "-",
                tp.resources,
                f"`{tp.file}`",
                f"`{tp.sha256[:16]}`",
            ]
            for tp in manifest.templates
        ],
    )

    present = [k for k in COMPONENT_KEYS if facts[k].types or facts[k].measures]
    lines += _design(manifest.design, t)
    lines += _inventories(manifest, lang)
    lines += ["", f"## {t['hld.components']}", ""]
    lines += _table(
        [t["hld.component"], t["resources"], t["hld.measures_carried"], t["open_violations"]],
        [
            [
                t[f"component.{k}"],
                sum(facts[k].types.values()),
                len(facts[k].measures),
                len(facts[k].open_violations),
            ]
            for k in present
        ],
    )

    for n, key in enumerate(present, start=1):
        f = facts[key]
        lines += ["", f"### {n}. {t[f'component.{key}']}", "", t[f"component.{key}.about"], ""]
        if f.stacks:
            stacks = ", ".join(
                f"`{s}` ({' / '.join(x for x in (a, r) if x) or '-'})"
                for s, a, r in sorted(f.stacks, key=str)
            )
            lines += [f"{t['hld.deployed_in']}: {stacks}", ""]
        if f.types:
            lines += [f"**{t['resources']}** ({sum(f.types.values())})", ""]
            lines += _table(
                [t["resource_type"], t["count"]],
                [[f"`{rt}`", count] for rt, count in sorted(f.types.items())],
            )
            lines.append("")
        lines += [f"**{t['hld.measures_carried']}** ({len(f.measures)})", ""]
        if f.measures:
            rows = []
            for mid in sorted(f.measures, key=measure_sort_key):
                m = measures.get(mid)
                kinds = f.measures[mid]
                resources = set().union(*kinds.values())
                rows.append(
                    [
                        mid,
                        summary_of(m, lang) if m else "",
                        ", ".join(t[k] for k in sorted(kinds)),
                        len(resources),
                        t[m.status] if m else "-",
                    ]
                )
            lines += _table(
                [t["measure"], t["summary"], t["evidence"], t["resources"], t["hld.measure_status"]], rows
            )
        else:
            lines.append(t["hld.no_measures"])
        if f.open_violations or f.accepted:
            lines += ["", f"**{t['hld.findings']}**", ""]
            lines += _table(
                [t["rule"], t["resource"], t["status"], t["detail"]],
                [
                    [
                        v.rule,
                        f"{v.stack}/{v.logical_id}",
                        t["accepted_risk"] if v.acknowledged else t[f"level.{v.level}"],
                        v.reason_in(lang) if v.acknowledged else manifest.text_of(v, lang),
                    ]
                    for v in sorted(
                        f.open_violations + f.accepted, key=lambda v: (v.stack, v.logical_id, v.rule)
                    )
                ],
            )

    by_theme = manifest.totals.measures_by_theme
    lines += ["", f"## {t['hld.beyond']}", "", t["hld.beyond_intro"], ""]
    lines += _table(
        [t["theme"], *(t[s] for s in STATUSES), t["total"]],
        [
            [
                t[f"theme.{th}"],
                *(by_theme[th].get(s, 0) for s in STATUSES),
                sum(by_theme[th].values()),
            ]
            for th in THEMES
            if th in by_theme
        ],
    )
    gaps = [m.id for m in manifest.measures if m.status == "gap"]
    lines += ["", f"{t['gaps']} ({len(gaps)}): {', '.join(gaps) if gaps else t['none']}"]
    return "\n".join(lines) + "\n"
