"""The control register: ``control-register.xlsx`` and the CSV files.

The workbook has the sheets Measures (one row per BIO2 measure), Statement of Applicability
(one row per ISO/IEC 27002 control), Evidence (one row per evidence item of a measure),
Violations, and About (where the register comes from). Headers are frozen and filtered.

Determinism: openpyxl stamps the current time into ``docProps/core.xml`` (``save_workbook``
sets ``modified``) and into every ZIP entry. Here the workbook is written with openpyxl's
``ExcelWriter`` into a ZIP archive whose entries all carry :data:`FIXED_TIMESTAMP`, with the
document's ``created`` and ``modified`` set to the same instant, so one manifest always gives
the same bytes.

CSV: ``control-register.csv`` (measures) and ``statement-of-applicability.csv`` (controls) have
the same columns as their sheets. They are UTF-8 with a byte order mark (so Excel reads the
accents of Dutch text correctly), comma-separated, RFC 4180 quoted, with CRLF line ends. Cells
that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return) are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from typing import Any

from bio2_aspects.evidence.common import (
    FIXED_TIMESTAMP,
    manifest_digest,
    resolve_lang,
    rule_measures,
    summary_of,
    title_of,
)
from bio2_aspects.evidence.i18n import labels

Row = list[Any]


# ------------------------------------------------------------------ rows (shared by XLSX and CSV)


def _owner(o: dict[str, Any] | None) -> tuple[str, str]:
    if not o:
        return "", ""
    return o.get("name") or "", o.get("contact") or ""


def measure_rows(manifest: dict[str, Any], lang: str) -> tuple[list[str], list[Row]]:
    """Headers and one row per measure."""
    t = labels(lang)
    headers = [
        t["measure"],
        t["control"],
        t["theme"],
        t["summary"],
        t["status"],
        t["evidence_kinds_col"],
        t["evidence_count"],
        t["open_violations"],
        t["accepted_risks"],
        t["owner"],
        t["contact"],
        t["responsibility"],
        t["basis"],
    ]
    rows: list[Row] = []
    for m in manifest.get("measures", []):
        name, contact = _owner(m.get("owner"))
        risks = "\n".join(
            f"{r['rule']} ({r['stack']}/{r['logical_id']}): {r['reason']}" for r in m.get("accepted_risks", [])
        )
        basis = m.get("basis") or ""
        exclusion = m.get("exclusion") or {}
        if exclusion.get("risk_assessment"):
            basis = f"{basis} ({t['risk_assessment']}: {exclusion['risk_assessment']})".strip()
        rows.append(
            [
                m["id"],
                m["control"],
                t[f"theme.{m['theme']}"],
                summary_of(m, lang),
                t[m["status"]],
                ", ".join(t[k] for k in m.get("evidence_kinds", [])),
                len(m.get("evidence", [])),
                int(m.get("open_violations", 0)),
                risks,
                name,
                contact,
                t[f"responsibility.{m['responsibility']}"],
                basis,
            ]
        )
    return headers, rows


def control_rows(manifest: dict[str, Any], lang: str) -> tuple[list[str], list[Row]]:
    """Headers and one row per control: the Statement of Applicability."""
    t = labels(lang)
    headers = [
        t["control"],
        t["title_col"],
        t["theme"],
        t["applicable"],
        t["justification"],
        t["status"],
        t["owner"],
        t["measures"],
    ]
    rows = [
        [
            c["id"],
            title_of(c, lang),
            t[f"theme.{c['theme']}"],
            t["yes"] if c["applicable"] else t["no"],
            c.get("justification") or "",
            t[c["status"]],
            _owner(c.get("owner"))[0],
            ", ".join(c.get("measures", [])),
        ]
        for c in manifest.get("controls", [])
    ]
    return headers, rows


def evidence_rows(manifest: dict[str, Any], lang: str) -> tuple[list[str], list[Row]]:
    """Headers and one row per evidence item of each measure."""
    t = labels(lang)
    headers = [
        t["measure"],
        t["kind"],
        t["result"],
        t["rule"],
        t["mechanism"],
        t["stack"],
        t["account"],
        t["region"],
        t["logical_id"],
        t["resource_type"],
        t["path"],
        t["detail"],
        t["acknowledgement_reason"],
    ]
    rows = [
        [
            m["id"],
            t[i["kind"]],
            t[f"result.{i['result']}"],
            i.get("rule") or "",
            i.get("mechanism") or "",
            i["stack"],
            i.get("account") or "",
            i.get("region") or "",
            i["logical_id"],
            i.get("resource_type") or "",
            i.get("path") or "",
            i.get("detail") or "",
            i.get("acknowledgement_reason") or "",
        ]
        for m in manifest.get("measures", [])
        for i in m.get("evidence", [])
    ]
    return headers, rows


def violation_rows(manifest: dict[str, Any], lang: str) -> tuple[list[str], list[Row]]:
    """Headers and one row per violation (open and accepted)."""
    t = labels(lang)
    by_rule = rule_measures(manifest)
    headers = [
        t["rule"],
        t["level"],
        t["measures"],
        t["stack"],
        t["logical_id"],
        t["resource_type"],
        t["path"],
        t["finding"],
        t["detail"],
        t["fix"],
        t["accepted_risk"],
        t["acknowledgement_reason"],
    ]
    rows = [
        [
            v["rule"],
            t[f"level.{v['level']}"],
            ", ".join(by_rule.get(v["rule"], [])),
            v["stack"],
            v["logical_id"],
            v.get("resource_type") or "",
            v.get("path") or "",
            v.get("finding") or "",
            v.get("detail") or "",
            v.get("fix") or "",
            t["yes"] if v.get("acknowledged") else t["no"],
            v.get("acknowledgement_reason") or "",
        ]
        for v in manifest.get("violations", [])
    ]
    return headers, rows


def about_rows(manifest: dict[str, Any], lang: str, digest: str | None = None) -> tuple[list[str], list[Row]]:
    """Where the register comes from: organisation, catalog, tool, manifest hash, templates."""
    t = labels(lang)
    cat, tool = manifest["catalog"], manifest["tool"]
    rows: list[Row] = [
        [t["organisation"], manifest.get("organisation") or ""],
        [t["catalog"], f"{cat['name']} {cat['version']} ({cat['iso']})"],
        [t["report.tool"], f"{tool['name']} {tool['version']}"],
        [t["report.schema"], manifest.get("schema_version", "")],
        [t["report.manifest_hash"], digest or manifest_digest(manifest)],
        [t["language"], lang],
        [],
        [t["stack"], t["template"], t["account"], t["region"], t["resources"], "SHA-256"],
    ]
    rows += [
        [tp["stack"], tp["file"], tp.get("account") or "", tp.get("region") or "", tp["resources"], tp["sha256"]]
        for tp in manifest.get("templates", [])
    ]
    return [t["register.about_key"], t["register.about_value"]], rows


# ------------------------------------------------------------------ CSV

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def render_csv(headers: Sequence[str], rows: Sequence[Row]) -> bytes:
    """UTF-8 (with BOM) CSV bytes, comma-separated, CRLF line ends."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([_csv_cell(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_cell(c) for c in row])
    return buf.getvalue().encode("utf-8-sig")


def render_register_csv(manifest: dict[str, Any], lang: str | None = None) -> bytes:
    """``control-register.csv``: one row per measure."""
    return render_csv(*measure_rows(manifest, resolve_lang(manifest, lang)))


def render_soa_csv(manifest: dict[str, Any], lang: str | None = None) -> bytes:
    """``statement-of-applicability.csv``: one row per control."""
    return render_csv(*control_rows(manifest, resolve_lang(manifest, lang)))


# ------------------------------------------------------------------ XLSX

_STATUS_FILLS = {
    "implemented": "DAFBE1",
    "partially_implemented": "FFF8C5",
    "gap": "FFEBE9",
    "inherited": "DDF4FF",
    "organisational": "FBEFFF",
    "excluded": "EAEEF2",
}
_ZIP_DATE = FIXED_TIMESTAMP.timetuple()[:6]


class _FixedTimeZip(zipfile.ZipFile):
    """A ZIP archive whose entries all carry the same timestamp and permissions."""

    def writestr(  # type: ignore[override]
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: str | bytes,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        name = zinfo_or_arcname.filename if isinstance(zinfo_or_arcname, zipfile.ZipInfo) else zinfo_or_arcname
        info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        info.create_system = 3  # Unix: the same bytes on every OS
        super().writestr(info, data, compresslevel=9)


def render_xlsx(manifest: dict[str, Any], lang: str | None = None, *, digest: str | None = None) -> bytes:
    """``control-register.xlsx`` as bytes (identical for identical manifests)."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    lang = resolve_lang(manifest, lang)
    t = labels(lang)
    digest = digest or manifest_digest(manifest)
    wb = Workbook()
    wb.remove(wb.active)
    props = wb.properties
    props.creator = manifest["tool"]["name"]
    props.lastModifiedBy = manifest["tool"]["name"]
    props.title = t["register.title"]
    props.subject = manifest.get("organisation") or None
    props.identifier = digest
    props.language = lang
    props.created = FIXED_TIMESTAMP.replace(tzinfo=None)
    props.modified = FIXED_TIMESTAMP.replace(tzinfo=None)

    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="0B2E4F")
    wrap = Alignment(wrap_text=True, vertical="top")
    fills = {t[s]: PatternFill("solid", fgColor=c) for s, c in _STATUS_FILLS.items()}

    def clean(value: Any) -> Any:
        return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value

    def sheet(
        title: str,
        data: tuple[list[str], list[Row]],
        widths: Sequence[int],
        status_col: int | None = None,
        wrap_cols: Sequence[int] = (),
        table: bool = True,
    ) -> None:
        headers, rows = data
        ws = wb.create_sheet(title[:31])
        ws.append(headers)
        for cell in ws[1]:
            cell.font = header_font
            cell.fill = header_fill
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        for row in rows:
            ws.append([clean(v) for v in row])
        wrap_set = set(wrap_cols)
        for col_cells in ws.iter_cols(min_row=2, max_row=ws.max_row):
            for cell in col_cells:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text from the manifest is never a formula
                if cell.column in wrap_set:
                    cell.alignment = wrap
                elif cell.column == status_col and cell.value in fills:
                    cell.fill = fills[cell.value]
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        if table:
            ws.freeze_panes = "B2"
            ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(ws.max_row, 1)}"
        ws.sheet_view.zoomScale = 100

    sheet(
        t["sheet.measures"],
        measure_rows(manifest, lang),
        [10, 9, 18, 60, 20, 24, 10, 10, 40, 22, 26, 18, 50],
        status_col=5,
        wrap_cols=(4, 9, 13),
    )
    sheet(
        t["sheet.soa"],
        control_rows(manifest, lang),
        [9, 48, 18, 12, 50, 20, 22, 30],
        status_col=6,
        wrap_cols=(2, 5, 8),
    )
    sheet(
        t["sheet.evidence"],
        evidence_rows(manifest, lang),
        [10, 14, 14, 32, 16, 30, 15, 14, 28, 30, 50, 50, 40],
        wrap_cols=(12, 13),
    )
    sheet(
        t["sheet.violations"],
        violation_rows(manifest, lang),
        [32, 12, 20, 30, 28, 30, 45, 45, 45, 45, 14, 45],
        wrap_cols=(8, 9, 10, 12),
    )
    sheet(t["sheet.about"], about_rows(manifest, lang, digest), [30, 70, 16, 14, 12, 66], table=False)
    wb.active = 0

    buf = io.BytesIO()
    with _FixedTimeZip(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()
    return buf.getvalue()

