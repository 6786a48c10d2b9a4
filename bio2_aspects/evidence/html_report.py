"""``report.html``: one self-contained HTML report of the manifest for auditors.

The page carries everything inline: the stylesheet, the script (vanilla JavaScript, no chart
library) and the data, as JSON in ``<script type="application/json" id="bio2-data">``. A
Content-Security-Policy forbids loading anything from elsewhere. The header (organisation,
catalog, template hashes) is rendered here, HTML-escaped; the script renders the charts
(inline SVG), the measure table with search and filters and expandable evidence, the gaps,
accepted risks, open violations, owners and the Statement of Applicability.

The data is a compact view of the manifest (resources are listed once and referenced by
index) in the chosen language. Escaping: every text written here goes through
:func:`html.escape`; the JSON block escapes ``<``, ``>`` and ``&`` as ``\\u003c``... so no
``</script>`` inside the data can end the block; the script only ever sets ``textContent``.
"""

from __future__ import annotations

from html import escape
from typing import Any

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
from bio2_aspects.evidence.html_assets import CSS, JS
from bio2_aspects.evidence.i18n import labels, rule_text
from bio2_aspects.evidence.register import attestation_text

#: No network, no plugins, no forms: only the inline style and script of the page itself.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
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


def _options(t: dict[str, str], values: list[tuple[str, str]], all_label: str) -> str:
    out = [f'<option value="">{escape(all_label)}</option>']
    out += [f'<option value="{escape(v)}">{escape(label)}</option>' for v, label in values]
    return "".join(out)


def render_html(manifest: dict[str, Any], lang: str | None = None, *, digest: str | None = None) -> str:
    """The report as one HTML document (``digest``: the manifest's SHA-256, if already known)."""
    lang = resolve_lang(manifest, lang)
    t = labels(lang)
    e = escape
    cat = manifest["catalog"]
    tool = manifest["tool"]
    org = manifest.get("organisation") or ""
    title = t["report.title"] + (f" \u2013 {org}" if org else "")
    by_status = manifest["totals"]["measures_by_status"]

    template_rows = "".join(
        "<tr>"
        f'<th scope="row"><code>{e(tp["stack"])}</code></th>'
        f"<td><code>{e(tp['file'])}</code></td>"
        f"<td>{e(tp.get('account') or '-')}</td>"
        f'<td class="nowrap">{e(tp.get("region") or "-")}</td>'
        f'<td class="num">{int(tp["resources"])}</td>'
        f'<td><code class="hash">{e(tp["sha256"])}</code></td>'
        "</tr>"
        for tp in manifest.get("templates", [])
    )
    sections = [
        ("overview", t["report.overview"]),
        ("measures", t["report.measures"]),
        ("gaps", t["gaps"]),
        ("risks", t["accepted_risks"]),
        ("violations", t["open_violations"]),
        ("owners", t["owners"]),
        ("soa", t["controls_soa"]),
        ("templates", t["templates"]),
    ]
    toc = "".join(f'<li><a href="#{k}">{e(v)}</a></li>' for k, v in sections)
    status_opts = _options(
        t, [(s, f"{t[s]} ({by_status.get(s, 0)})") for s in STATUSES], t["filter.all_statuses"]
    )
    theme_opts = _options(t, [(th, t[f"theme.{th}"]) for th in THEMES], t["filter.all_themes"])
    kind_opts = _options(
        t, [*((k, t[k]) for k in RESOURCE_KINDS), ("none", t["filter.no_evidence"])], t["filter.all_kinds"]
    )
    data = json_for_script(build_view(manifest, lang))

    return f"""<!DOCTYPE html>
<html lang="{e(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{e(CSP)}">
<meta name="generator" content="{e(tool["name"])} {e(tool["version"])}">
<title>{e(title)}</title>
<style>{CSS}</style>
</head>
<body>
<a class="skip" href="#main">{e(t["report.skip"])}</a>
<header class="top">
<h1>{e(title)}</h1>
<p class="sub">{e(t["report.subtitle"])}</p>
<dl>
<dt>{e(t["organisation"])}</dt><dd>{e(org or "-")}</dd>
<dt>{e(t["catalog"])}</dt><dd>{e(cat["name"])} {e(cat["version"])} ({e(cat["iso"])})</dd>
<dt>{e(t["report.tool"])}</dt><dd>{e(tool["name"])} {e(tool["version"])}, {e(t["report.schema"])} \
{e(manifest.get("schema_version", ""))}</dd>
<dt>{e(t["report.manifest_hash"])}</dt><dd><code>{e(digest or manifest_digest(manifest))}</code></dd>
<dt>{e(t["templates"])}</dt><dd>{len(manifest.get("templates", []))} \
(<a href="#templates">{e(t["report.hashes_below"])}</a>)</dd>
</dl>
</header>
<nav class="toc" aria-label="{e(t["report.contents"])}"><ul>{toc}</ul></nav>
<main id="main">
<noscript><p><strong>{e(t["report.noscript"])}</strong></p></noscript>
<section id="overview" aria-labelledby="h-overview">
<h2 id="h-overview">{e(t["report.overview"])}</h2>
<p class="muted">{e(t["report.overview_intro"])}</p>
<div class="kpis" id="kpis"></div>
<div class="charts" style="margin-top:1rem">
<div class="card"><h3>{e(t["coverage"])}</h3><div id="chart-themes"></div></div>
<div class="card"><h3>{e(t["status_overview"])}</h3><div id="chart-status"></div>
<h3 style="margin-top:.8rem">{e(t["evidence_kinds"])}</h3><div id="chart-kinds"></div></div>
</div>
</section>
<section id="measures" aria-labelledby="h-measures">
<h2 id="h-measures">{e(t["report.measures"])}</h2>
<form class="filters" role="search" onsubmit="return false">
<div><label for="f-search">{e(t["filter.search"])}</label>\
<input type="search" id="f-search" placeholder="{e(t["filter.search_hint"])}" autocomplete="off"></div>
<div><label for="f-status">{e(t["status"])}</label><select id="f-status">{status_opts}</select></div>
<div><label for="f-theme">{e(t["theme"])}</label><select id="f-theme">{theme_opts}</select></div>
<div><label for="f-kind">{e(t["filter.kind"])}</label><select id="f-kind">{kind_opts}</select></div>
<div><button type="button" id="f-reset">{e(t["filter.reset"])}</button> \
<button type="button" id="f-expand">{e(t["filter.expand"])}</button></div>
</form>
<p class="count" id="measure-count" aria-live="polite"></p>
<div id="measures-table"></div>
</section>
<section id="gaps" aria-labelledby="h-gaps"><h2 id="h-gaps">{e(t["gaps"])}</h2>\
<p class="muted">{e(t["report.gaps_intro"])}</p><div id="gaps-table"></div></section>
<section id="risks" aria-labelledby="h-risks"><h2 id="h-risks">{e(t["accepted_risks"])}</h2>\
<p class="muted">{e(t["report.risks_intro"])}</p><div id="risks-table"></div></section>
<section id="violations" aria-labelledby="h-violations"><h2 id="h-violations">{e(t["open_violations"])}</h2>\
<div id="violations-table"></div></section>
<section id="owners" aria-labelledby="h-owners"><h2 id="h-owners">{e(t["owners"])}</h2>\
<div id="owners-table"></div></section>
<section id="soa" aria-labelledby="h-soa"><h2 id="h-soa">{e(t["controls_soa"])}</h2>\
<p class="muted">{e(t["report.soa_intro"])}</p><div id="soa-table"></div></section>
<section id="templates" aria-labelledby="h-templates"><h2 id="h-templates">{e(t["templates"])}</h2>
<div class="wrap"><table class="data"><caption>{e(t["report.templates_caption"])}</caption>
<thead><tr><th scope="col">{e(t["stack"])}</th><th scope="col">{e(t["template"])}</th>\
<th scope="col">{e(t["account"])}</th><th scope="col">{e(t["region"])}</th>\
<th scope="col" class="num">{e(t["resources"])}</th><th scope="col">SHA-256</th></tr></thead>
<tbody>{template_rows}</tbody></table></div>
</section>
</main>
<footer>{e(t["report.footer"])}</footer>
<script type="application/json" id="bio2-data">{data}</script>
<script>{JS}</script>
</body>
</html>
"""
