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


def build_view(manifest: dict[str, Any], lang: str) -> dict[str, Any]:
    """The data the report's script renders, in ``lang``."""
    res = _Resources()
    t = labels(lang)
    types = {(r["stack"], r["logical_id"]): r.get("type") for r in manifest.get("resources", [])}
    measures = []
    for m in manifest.get("measures", []):
        ev = []
        words = {
            m["id"],
            m["control"],
            summary_of(m, lang),
            owner_name(m.get("owner")) or "",
            basis_of(m, t),
        }
        for item in m.get("evidence", []):
            stack, lid, rule = item["stack"], item["logical_id"], item.get("rule") or ""
            idx = res.ref(stack, lid, item.get("resource_type"), item.get("path"))
            ev.append(
                [
                    item["kind"],
                    item["result"],
                    rule,
                    idx,
                    item.get("detail") or "",
                    item.get("acknowledgement_reason") or "",
                    item.get("mechanism") or "",
                ]
            )
            words.update((rule, lid, stack))
        owner = m.get("owner") or {}
        exclusion = m.get("exclusion") or {}
        measures.append(
            {
                "id": m["id"],
                "control": m["control"],
                "theme": m["theme"],
                "summary": summary_of(m, lang),
                "status": m["status"],
                "kinds": list(m.get("evidence_kinds", [])),
                "owner": owner.get("name"),
                "contact": owner.get("contact"),
                "basis": basis_of(m, t) or None,
                "facets": [
                    [
                        f["id"],
                        t[f"facet.kind.{f['kind']}"],
                        t[f"facet.state.{f['state']}"],
                        (f.get("summary") or {}).get(lang) or (f.get("summary") or {}).get("en") or "",
                        attestation_text(f.get("attestation"), t),
                    ]
                    for f in m.get("facets") or []
                ],
                "exclusion_ra": exclusion.get("risk_assessment"),
                "open": m.get("open_violations", 0),
                "risks": [
                    {
                        "rule": r["rule"],
                        "res": res.ref(
                            r["stack"],
                            r["logical_id"],
                            types.get((r["stack"], r["logical_id"])),
                            r.get("path"),
                        ),
                        "reason": r["reason"],
                    }
                    for r in m.get("accepted_risks", [])
                ],
                "ev": ev,
                "search": " ".join(sorted({w.lower() for w in words if w})),
            }
        )
    by_rule = rule_measures(manifest)
    violations = [
        {
            "rule": v["rule"],
            "level": v["level"],
            "res": res.ref(v["stack"], v["logical_id"], v.get("resource_type"), v.get("path")),
            "finding": rule_text(v["rule"], "finding", v.get("finding") or "", lang),
            "detail": v.get("detail") or "",
            "fix": rule_text(v["rule"], "fix", v.get("fix") or "", lang),
            "ack": (v.get("acknowledgement_reason") or "") if v.get("acknowledged") else None,
            "measures": by_rule.get(v["rule"], []),
        }
        for v in manifest.get("violations", [])
    ]
    owners: dict[str, dict[str, Any]] = {}
    for m in manifest.get("measures", []):
        o = m.get("owner")
        if not o:
            continue
        entry = owners.setdefault(
            o["name"], {"name": o["name"], "contact": o.get("contact"), "scopes": set(), "measures": []}
        )
        entry["scopes"].add(o.get("scope") or "")
        entry["measures"].append(m["id"])
    for c in manifest.get("controls", []):
        o = c.get("owner")
        if o:
            entry = owners.setdefault(
                o["name"], {"name": o["name"], "contact": o.get("contact"), "scopes": set(), "measures": []}
            )
            entry["scopes"].add(o.get("scope") or "")
    return {
        "lang": lang,
        "labels": labels(lang),
        "statuses": list(STATUSES),
        "themes": list(THEMES),
        "kinds": list(RESOURCE_KINDS),
        "totals": manifest["totals"],
        "resources": res.rows,
        "measures": measures,
        "controls": [
            {
                "id": c["id"],
                "theme": c["theme"],
                "title": title_of(c, lang),
                "applicable": c["applicable"],
                "justification": justification_of(c, t),
                "status": c["status"],
                "owner": owner_name(c.get("owner")),
                "measures": list(c.get("measures", [])),
            }
            for c in manifest.get("controls", [])
        ],
        "violations": violations,
        "unbacked": [
            {
                "path": u.get("path") or "",
                "kind": u.get("kind"),
                "measures": sorted(u.get("measures") or [], key=measure_sort_key),
            }
            for u in manifest.get("unbacked_declarations", [])
        ],
        "owners": [
            {**o, "scopes": sorted(o["scopes"]), "measures": sorted(o["measures"], key=measure_sort_key)}
            for o in sorted(owners.values(), key=lambda o: o["name"])
        ],
    }


def render_html(manifest: dict[str, Any], lang: str | None = None, *, digest: str | None = None) -> str:
    """The report as one HTML document (``digest``: the manifest's SHA-256, if already known)."""
    lang = resolve_lang(manifest, lang)
    t = labels(lang)
    cat = manifest["catalog"]
    tool = manifest["tool"]
    org = manifest.get("organisation") or ""
    title = t["report.title"] + (f" \u2013 {org}" if org else "")
    by_status = manifest["totals"]["measures_by_status"]

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
        schema_version=manifest.get("schema_version", ""),
        digest=digest or manifest_digest(manifest),
        n_templates=len(manifest.get("templates", [])),
        templates=manifest.get("templates", []),
        inventories=_inventory_sections(manifest, lang),
        sections=sections,
        status_options=[(s, f"{t[s]} ({by_status.get(s, 0)})") for s in STATUSES],
        theme_options=[(th, t[f"theme.{th}"]) for th in THEMES],
        kind_options=[*((k, t[k]) for k in RESOURCE_KINDS), ("none", t["filter.no_evidence"])],
        css=CSS,
        js=JS,
        data=json_for_script(build_view(manifest, lang)),
    )


def _inventory_sections(manifest: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The log-source inventory and the internet-facing register, rendered as static tables."""
    from bio2_aspects.evidence.inventory_report import inventory_sections

    return inventory_sections(manifest, lang)


def _inventory_toc(manifest: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    return [(s["key"].replace("_", "-"), s["title"]) for s in _inventory_sections(manifest, lang)]


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("bio2_aspects.evidence", "templates"),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("report.html.j2")
