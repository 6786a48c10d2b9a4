"""The inventories of the manifest (``log_sources``, ``internet_facing``) as rows for the reports.

One place builds the headers and rows, in English or Dutch, for the register (XLSX sheets), the
HLD (Markdown tables) and the HTML report. Labels are data (``data/inventory_labels.json``, the
same keys in both languages); the stable keys of the manifest (``log``, ``reason``,
``destination_type``) are translated here, a key without a label is shown as written.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bio2_aspects.evidence.models import Manifest

Row = list[Any]
SECTIONS: tuple[str, ...] = ("log_sources", "internet_facing")


@cache
def inventory_labels(lang: str) -> dict[str, str]:
    path = resources.files(__package__).joinpath("data", "inventory_labels.json")
    table = json.loads(path.read_text(encoding="utf-8"))
    if lang not in table:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(sorted(table))}")
    return table[lang]


def _label(t: dict[str, str], prefix: str, key: str) -> str:
    return t.get(f"{prefix}.{key}", key)


def _yes_no(t: dict[str, str], value: bool) -> str:
    return t["yes"] if value else t["no"]


def log_source_rows(manifest: Manifest, lang: str) -> tuple[list[str], list[Row]]:
    """Headers and one row per log source of the manifest."""
    t = inventory_labels(lang)
    cols = ("stack", "region", "logical_id", "resource_type", "log", "detail", "destination_type")
    headers = [t[f"col.{c}"] for c in (*cols, "destination", "retention_days", "conditional", "path")]
    rows = [
        [
            r.stack,
            r.region or "",
            r.logical_id,
            r.resource_type,
            _label(t, "log", r.log),
            r.detail or "",
            _label(t, "dest", r.destination_type),
            r.destination or "",
            r.retention_days or "",
            _yes_no(t, r.conditional),
            r.path or "",
        ]
        for r in manifest.log_sources
    ]
    return headers, rows


def internet_facing_rows(manifest: Manifest, lang: str) -> tuple[list[str], list[Row]]:
    """Headers and one row per internet-facing resource of the manifest."""
    t = inventory_labels(lang)
    cols = ("stack", "region", "logical_id", "resource_type", "reason", "detail", "conditional", "path")
    headers = [t[f"col.{c}"] for c in cols]
    rows = [
        [
            r.stack,
            r.region or "",
            r.logical_id,
            r.resource_type,
            _label(t, "reason", r.reason),
            r.detail or "",
            _yes_no(t, r.conditional),
            r.path or "",
        ]
        for r in manifest.internet_facing
    ]
    return headers, rows


ROWS = {"log_sources": log_source_rows, "internet_facing": internet_facing_rows}


def inventory_sections(manifest: Manifest, lang: str) -> list[dict[str, Any]]:
    """Per inventory: key, title, intro, text when empty, sheet name, headers and rows."""
    t = inventory_labels(lang)
    out = []
    for key in SECTIONS:
        headers, rows = ROWS[key](manifest, lang)
        out.append(
            {
                "key": key,
                "title": t[f"{key}.title"],
                "intro": t[f"{key}.intro"],
                "none": t[f"{key}.none"],
                "sheet": t[f"sheet.{key}"],
                "headers": headers,
                "rows": rows,
            }
        )
    return out


def inventory_toc(manifest: Manifest, lang: str) -> list[tuple[str, str]]:
    """(anchor, title) of each inventory section, for the HTML report's table of contents."""
    return [(s["key"].replace("_", "-"), s["title"]) for s in inventory_sections(manifest, lang)]


def inventory_sheets(manifest: Manifest, lang: str) -> list[tuple[str, list[str], list[Row]]]:
    """(sheet name, headers, rows) of each inventory, for the register's XLSX sheets."""
    return [(s["sheet"], s["headers"], s["rows"]) for s in inventory_sections(manifest, lang)]


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def inventory_markdown(manifest: Manifest, lang: str) -> list[str]:
    """The inventories as Markdown sections (``##`` headings, one table each), for the HLD."""
    lines: list[str] = []
    for s in inventory_sections(manifest, lang):
        lines += ["", f"## {s['title']}", "", s["intro"], ""]
        if not s["rows"]:
            lines.append(s["none"])
            continue
        lines.append("| " + " | ".join(_cell(h) for h in s["headers"][:-1]) + " |")
        lines.append("|" + "---|" * (len(s["headers"]) - 1))
        lines += ["| " + " | ".join(_cell(c) or "-" for c in row[:-1]) + " |" for row in s["rows"]]
    return lines
