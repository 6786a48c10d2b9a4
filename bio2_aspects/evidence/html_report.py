"""``report.html``: one self-contained HTML report of the manifest for auditors.

The page carries everything inline: the stylesheet, the script (vanilla JavaScript, no chart
library) and the data, as JSON in ``<script type="application/json" id="bio2-data">``. A
Content-Security-Policy forbids loading anything from elsewhere. The header (organisation,
catalog, template hashes) is rendered from the Jinja2 template ``templates/report.html.j2``
(autoescaped); the stylesheet and script are the package files ``templates/report.css`` and
``templates/report.js``, allowed by the Content Security Policy through their SHA-256 (no
``unsafe-inline``). The script renders the charts
(inline SVG), the measure table with search and filters and expandable evidence, the gaps,
accepted risks, open violations, owners and the Statement of Applicability.

The data is a compact view of the manifest (resources are listed once and referenced by
index) in the chosen language. Escaping: every text in the template is autoescaped; the JSON
block escapes ``<``, ``>`` and ``&`` as ``\\u003c``... so no
``</script>`` inside the data can end the block; the script only ever sets ``textContent``.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import jinja2

from bio2_aspects.evidence.common import (
    RESOURCE_KINDS,
    STATUSES,
    THEMES,
    basis_of,
    compact_json,
    control_evidence_text,
    justification_of,
    manifest_digest,
    measure_sort_key,
    owner_name,
    resolve_lang,
    rule_measures,
    summary_of,
    title_of,
)
from bio2_aspects.evidence.i18n import labels, rule_text
from bio2_aspects.evidence.models import Manifest, Owner, as_manifest
from bio2_aspects.evidence.register import attestation_text


#: No network, no plugins, no forms: only the inline style and script of the page itself.
def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("templates", name).read_text(encoding="utf-8")


#: The stylesheet and script, package files next to the template (no external resources, no
#: libraries). The script builds every table and chart with DOM calls (``textContent``,
#: ``createElementNS``), never with ``innerHTML``: no text from the manifest is parsed as markup.
CSS = _asset("report.css")
JS = _asset("report.js")


def _sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


#: No 'unsafe-inline': the one stylesheet and the one script are allowed by their SHA-256 (the
#: JSON data block is not executed), and the script sets styles through the CSSOM only.
CSP = (
    f"default-src 'none'; style-src {_sha256_source(CSS)}; script-src {_sha256_source(JS)}; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)


def json_for_script(data: Any) -> str:
    """JSON text that is safe inside a ``<script>`` element (no ``</script>``, no ``<!--``)."""
    text = compact_json(data)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


class _Resources:
    """Resources listed once, referenced by index: [stack, logical ID, type, path]."""

    def __init__(self) -> None:
        self.rows: list[list[str]] = []
        self._index: dict[tuple[str, str], int] = {}

    def ref(self, stack: str, logical_id: str, rtype: str | None, path: str | None) -> int:
        key = (stack, logical_id)
        idx = self._index.get(key)
        if idx is None:
            idx = self._index[key] = len(self.rows)
            self.rows.append([stack, logical_id, rtype or "", path or ""])
        return idx


def _owner_entry(owners: dict[str, dict[str, Any]], o: Owner) -> dict[str, Any]:
    return owners.setdefault(o.name, {"name": o.name, "contact": o.contact, "scopes": set(), "measures": []})


def build_view(manifest: Manifest | Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The data the report's script renders, in ``lang``."""
    manifest = as_manifest(manifest)
    res = _Resources()
    t = labels(lang)
    types = {(r.stack, r.logical_id): r.type for r in manifest.resources}
    measures = []
    for m in manifest.measures:
        ev = []
        words = {m.id, m.control, summary_of(m, lang), owner_name(m.owner) or "", basis_of(m, t, lang)}
        for item in m.evidence:
            stack, lid, rule = item.stack, item.logical_id, item.rule or ""
            idx = res.ref(stack, lid, item.resource_type, item.path)
            ev.append(
                [
                    item.kind,
                    item.result,
                    rule,
                    idx,
                    manifest.text_of(item, lang),
                    item.reason_in(lang) or "",
                    item.mechanism or "",
                ]
            )
            words.update((rule, lid, stack))
        owner = m.owner
        measures.append(
            {
                "id": m.id,
                "control": m.control,
                "theme": m.theme,
                "summary": summary_of(m, lang),
                "status": m.status,
                "kinds": list(m.evidence_kinds),
                "owner": owner.name if owner else None,
                "contact": owner.contact if owner else None,
                "basis": basis_of(m, t, lang) or None,
                "facets": [
                    [
                        f.id,
                        t[f"facet.kind.{f.kind}"],
                        t[f"facet.state.{f.state}"],
                        (f.summary.nl if lang == "nl" else f.summary.en) or f.summary.en or "",
                        attestation_text(f.attestation, t),
                    ]
                    for f in m.facets
                ],
                "exclusion_ra": m.exclusion.risk_assessment if m.exclusion else None,
                "open": m.open_violations,
                "risks": [
                    {
                        "rule": r.rule,
                        "res": res.ref(r.stack, r.logical_id, types.get((r.stack, r.logical_id)), r.path),
                        "reason": r.reason_in(lang),
                    }
                    for r in m.accepted_risks
                ],
                "ev": ev,
                "search": " ".join(sorted({w.lower() for w in words if w})),
            }
        )
    by_rule = rule_measures(manifest)
    violations = [
        {
            "rule": v.rule,
            "level": v.level,
            "res": res.ref(v.stack, v.logical_id, v.resource_type, v.path),
            "finding": rule_text(v.rule, "finding", v.finding or "", lang),
            "detail": manifest.text_of(v, lang),
            "fix": rule_text(v.rule, "fix", v.fix or "", lang),
            "ack": (v.reason_in(lang) or "") if v.acknowledged else None,
            "measures": by_rule.get(v.rule, []),
        }
        for v in manifest.violations
    ]
    owners: dict[str, dict[str, Any]] = {}
    for m in manifest.measures:
        if m.owner is None:
            continue
        entry = _owner_entry(owners, m.owner)
        entry["scopes"].add(m.owner.scope or "")
        entry["measures"].append(m.id)
    for c in manifest.controls:
        if c.owner is not None:
            _owner_entry(owners, c.owner)["scopes"].add(c.owner.scope or "")
    return {
        "lang": lang,
        "labels": labels(lang),
        "statuses": list(STATUSES),
        "themes": list(THEMES),
        "kinds": list(RESOURCE_KINDS),
        "totals": manifest.totals.model_dump(mode="json"),
        "resources": res.rows,
        "measures": measures,
        "controls": [
            {
                "id": c.id,
                "theme": c.theme,
                "title": title_of(c, lang),
                "applicable": c.applicable,
                "justification": justification_of(c, t),
                "status": c.status,
                "owner": owner_name(c.owner),
                "measures": list(c.measures),
                "evidence": control_evidence_text(c, t),
            }
            for c in manifest.controls
        ],
        "violations": violations,
        "unbacked": [
            {"path": u.path or "", "kind": u.kind, "measures": sorted(u.measures, key=measure_sort_key)}
            for u in manifest.unbacked_declarations
        ],
        "owners": [
            {**o, "scopes": sorted(o["scopes"]), "measures": sorted(o["measures"], key=measure_sort_key)}
            for o in sorted(owners.values(), key=lambda o: o["name"])
        ],
    }


def render_html(
    manifest: Manifest | Mapping[str, Any], lang: str | None = None, *, digest: str | None = None
) -> str:
    """The report as one HTML document (``digest``: the manifest's SHA-256, if already known)."""
    manifest = as_manifest(manifest)
    lang = resolve_lang(manifest, lang)
    t = labels(lang)
    cat = manifest.catalog
    tool = manifest.tool
    org = manifest.organisation
    title = t["report.title"] + (f" \u2013 {org}" if org else "")
    by_status = manifest.totals.measures_by_status

    sections = [
        ("overview", t["report.overview"]),
        ("measures", t["report.measures"]),
        ("gaps", t["gaps"]),
        ("risks", t["accepted_risks"]),
        ("violations", t["open_violations"]),
        ("owners", t["owners"]),
        ("soa", t["controls_soa"]),
        *_inventory_toc(manifest, lang),
        ("templates", t["templates"]),
    ]
    return _template().render(
        lang=lang,
        t=t,
        CSP=CSP,
        tool=tool,
        cat=cat,
        org=org,
        title=title,
        schema_version=manifest.schema_version,
        digest=digest or manifest_digest(manifest),
        n_templates=len(manifest.templates),
        templates=manifest.templates,
        inventories=_inventory_sections(manifest, lang),
        sections=sections,
        status_options=[(s, f"{t[s]} ({by_status.get(s, 0)})") for s in STATUSES],
        theme_options=[(th, t[f"theme.{th}"]) for th in THEMES],
        kind_options=[*((k, t[k]) for k in RESOURCE_KINDS), ("none", t["filter.no_evidence"])],
        css=CSS,
        js=JS,
        data=json_for_script(build_view(manifest, lang)),
    )


def _inventory_sections(manifest: Manifest, lang: str) -> list[dict[str, Any]]:
    """The log-source inventory and the internet-facing register, rendered as static tables."""
    from bio2_aspects.evidence.inventory_report import inventory_sections

    return inventory_sections(manifest, lang)


def _inventory_toc(manifest: Manifest, lang: str) -> list[tuple[str, str]]:
    from bio2_aspects.evidence.inventory_report import inventory_toc

    return inventory_toc(manifest, lang)


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("bio2_aspects.evidence", "templates"),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("report.html.j2")
