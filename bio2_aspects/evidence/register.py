"""The control register: ``control-register.xlsx`` and the CSV files.

The workbook has the sheets Measures (one row per BIO2 measure), Statement of Applicability
(one row per ISO/IEC 27002 control), Evidence (one row per evidence item of a measure),
Violations, and About (where the register comes from). Headers are frozen and filtered.

Determinism: openpyxl stamps the current time into ``docProps/core.xml`` (``save_workbook``
sets ``modified``) and into every ZIP entry. Here the workbook is written with openpyxl's
``ExcelWriter`` into a ZIP archive whose entries all carry :data:`FIXED_TIMESTAMP`, with the
document's ``created`` and ``modified`` set to the same instant, so one manifest always gives
the same bytes. The rows themselves are written here (see ``_sheet_rows``): byte for byte what
openpyxl writes, without building an object per cell, which took seconds on a large app.

CSV: ``control-register.csv`` (measures) and ``statement-of-applicability.csv`` (controls) have
the same columns as their sheets. They are UTF-8 with a byte order mark (so Excel reads the
accents of Dutch text correctly), comma-separated, RFC 4180 quoted, with CRLF line ends. Cells
that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return) are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bio2_aspects.evidence.common import (
    FIXED_TIMESTAMP,
    STATUSES,
    audit_lines,
    basis_of,
    generated_at,
    justification_of,
    manifest_digest,
    measure_sort_key,
    resolve_lang,
    rule_measures,
    summary_of,
    title_of,
)
from bio2_aspects.evidence.i18n import labels, rule_text

Row = list[Any]


# ------------------------------------------------------------------ rows (shared by XLSX and CSV)


def _owner(o: dict[str, Any] | None) -> tuple[str, str]:
    if not o:
        return "", ""
    return o.get("name") or "", o.get("contact") or ""


def _assessment_headers(t: dict[str, str]) -> list[str]:
    """The auditor's own assessment: left empty for the auditor to fill in."""
    return [
        t["assessment.design"],
        t["assessment.existence"],
        t["assessment.operation"],
        t["assessment.remarks"],
    ]


def attestation_text(a: dict[str, Any] | None, t: dict[str, str]) -> str:
    """One cell describing an attestation: document, approval, review date and its problems."""
    if not a:
        return ""
    doc = a.get("document") or {}
    parts = [f"{a['scope']}: {a['owner']}"]
    if doc:
        version = f" v{doc['version']}" if doc.get("version") else ""
        parts.append(f"{t['attestation.document']}: {doc['title']}{version} ({doc['reference']})")
    if a.get("approved_by") or a.get("date"):
        parts.append(
            f"{t['attestation.approved_by']}: {a.get('approved_by') or '-'} ({a.get('date') or '-'})"
        )
    if a.get("review_date"):
        parts.append(f"{t['attestation.review_date']}: {a['review_date']}")
    flags = [t[f"attestation.{p}"] for p in a.get("problems") or []]
    if a.get("overdue"):
        flags.append(t["attestation.overdue"])
    if flags:
        parts.append("!! " + ", ".join(flags))
    return "; ".join(parts)


def _facet_attestations(m: dict[str, Any], t: dict[str, str]) -> str:
    seen: dict[str, str] = {}
    for f in m.get("facets") or []:
        a = f.get("attestation")
        if a and a["scope"] not in seen:
            seen[a["scope"]] = attestation_text(a, t)
    return "\n".join(seen.values())


def last_observed_text(m: dict[str, Any], t: dict[str, str], limit: int = 5) -> str:
    """Run-time evidence of a measure in one cell: when its monitors last reported and, when one
    reports NON_COMPLIANT, since when and where (monitor, account/region, resource, observed)."""
    runtime = m.get("runtime")
    if not runtime:
        return ""
    if runtime["state"] != "non_compliant":
        return f"{runtime['last_observed']} ({t['runtime.compliant']}: {runtime['observations']})"
    red = [i for i in m.get("evidence", []) if i.get("kind") == "runtime" and i.get("result") == "fail"]
    lines = [
        f"{runtime['last_observed']}; {t['runtime.non_compliant_since']} {runtime['non_compliant_since']}:"
    ]
    lines += [
        f"{i['rule']} {i['account']}/{i['region']} {i['logical_id']} ({i['observed_at']})"
        for i in red[:limit]
    ]
    if len(red) > limit:
        lines.append(f"+{len(red) - limit}")
    return "\n".join(lines)


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
        t["missing_facets"],
        t["attestation"],
        t["last_observed"],
        *_assessment_headers(t),
    ]
    rows: list[Row] = []
    for m in manifest.get("measures", []):
        name, contact = _owner(m.get("owner"))
        risks = "\n".join(
            f"{r['rule']} ({r['stack']}/{r['logical_id']}): {r['reason']}"
            for r in m.get("accepted_risks", [])
        )
        basis = basis_of(m, t)
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
                ", ".join(m.get("missing_facets") or []),
                _facet_attestations(m, t),
                last_observed_text(m, t),
                "",
                "",
                "",
                "",
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
        t["status_per_measure"],
        t["attestation"],
        *_assessment_headers(t),
    ]
    rows = [
        [
            c["id"],
            title_of(c, lang),
            t[f"theme.{c['theme']}"],
            t["yes"] if c["applicable"] else t["no"],
            justification_of(c, t),
            t[c["status"]],
            _owner(c.get("owner"))[0],
            ", ".join(c.get("measures", [])),
            ", ".join(
                f"{t[k]} {(c.get('measures_by_status') or {})[k]}"
                for k in STATUSES
                if (c.get("measures_by_status") or {}).get(k)
            ),
            attestation_text(c.get("attestation"), t),
            "",
            "",
            "",
            "",
        ]
        for c in manifest.get("controls", [])
    ]
    return headers, rows


def evidence_rows(manifest: dict[str, Any], lang: str) -> tuple[list[str], list[Row]]:
    """Headers and one row per evidence item, with the measures it supports.

    The manifest repeats an item under each measure its rule or declaration evidences; here it
    is one row whose first column lists those measures (sorted by kind, stack, logical ID, rule).
    A declaration has no rule: its mechanism (SCP, Config rule...) stands in the rule column.
    Account and region follow from the stack (see the About sheet).
    """
    t = labels(lang)
    headers = [
        t["measures"],
        t["kind"],
        t["result"],
        t["rule_or_mechanism"],
        t["stack"],
        t["logical_id"],
        t["resource_type"],
        t["path"],
        t["detail"],
        t["acknowledgement_reason"],
        t["strength_per_measure"],
        t["rationale"],
    ]
    items: dict[tuple[str, ...], tuple[dict[str, Any], list[str]]] = {}
    mapping: dict[tuple[str, ...], list[tuple[str, str, str]]] = {}
    for m in manifest.get("measures", []):
        mid = m["id"]
        for i in m.get("evidence", []):
            key = (
                i["kind"],
                i["stack"],
                i["logical_id"],
                i.get("rule") or "",
                i["result"],
                i.get("detail") or "",
                i.get("path") or "",
            )
            found = items.get(key)
            if found is None:
                items[key] = (i, [mid])
            else:
                found[1].append(mid)
            rationale = (i.get("rationale") or {}).get(lang) or ""
            mapping.setdefault(key, []).append((mid, i.get("strength") or "supporting", rationale))
    # Many items support the same measures: join each set of measures once.
    joined: dict[tuple[str, ...], str] = {}

    def measures_of(ms: list[str]) -> str:
        key = tuple(ms)
        text = joined.get(key)
        if text is None:
            text = joined[key] = ", ".join(sorted(set(ms), key=measure_sort_key))
        return text

    rows = [
        [
            measures_of(ms),
            t[i["kind"]],
            t[f"result.{i['result']}"],
            i.get("rule") or i.get("mechanism") or "",
            i["stack"],
            i["logical_id"],
            i.get("resource_type") or "",
            i.get("path") or "",
            i.get("detail") or "",
            i.get("acknowledgement_reason") or "",
            ", ".join(f"{mid} {t['strength.' + s]}" for mid, s, _r in sorted(mapping[_key])),
            "\n".join(f"{mid}: {r}" for mid, _s, r in sorted(mapping[_key]) if r),
        ]
        for _key, (i, ms) in sorted(items.items())
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
            rule_text(v["rule"], "finding", v.get("finding") or "", lang),
            v.get("detail") or "",
            rule_text(v["rule"], "fix", v.get("fix") or "", lang),
            t["yes"] if v.get("acknowledged") else t["no"],
            v.get("acknowledgement_reason") or "",
        ]
        for v in manifest.get("violations", [])
    ]
    return headers, rows


def acceptance_rows(manifest: dict[str, Any], lang: str) -> tuple[list[str], list[Row]]:
    """Headers and one row per risk acceptance (config and construct acknowledgements) and per
    exclusion, with every field: the register of accepted risks an auditor signs off."""
    t = labels(lang)
    headers = [
        t["kind"],
        t["rule"] + " / " + t["control"],
        t["acceptance.resources"],
        t["reason"],
        t["attestation.approved_by"],
        t["attestation.date"],
        t["acceptance.expires"],
        t["status"],
        t["risk_assessment"],
    ]
    rows: list[Row] = []
    for a in manifest.get("risk_acceptances") or []:
        state = t["acceptance.expired"] if a.get("expired") else (t["yes"] if a.get("used") else t["no"])
        rows.append(
            [
                t["acceptance.kind.risk"],
                a["rule"],
                ", ".join(a.get("resources") or []) or "*",
                a["reason"],
                a["approved_by"],
                a["date"],
                a["expires"],
                f"{t['acceptance.used']}: {state}" if not a.get("expired") else state,
                "",
            ]
        )
    for v in manifest.get("violations") or []:
        if v.get("acknowledged") and not v.get("acceptance"):
            rows.append(
                [
                    t["acceptance.kind.risk"],
                    v["rule"],
                    v.get("path") or v["logical_id"],
                    v.get("acknowledgement_reason") or "",
                    "",
                    "",
                    "",
                    t["accepted_risk"],
                    "",
                ]
            )
    for e in manifest.get("exclusions") or []:
        rows.append(
            [
                t["acceptance.kind.exclusion"],
                e["id"],
                "",
                e["justification"],
                e.get("approved_by") or "",
                e.get("date") or "",
                e.get("expires") or "",
                t["acceptance.expired"] if e.get("expired") else t["excluded"],
                e.get("risk_assessment") or "",
            ]
        )
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
        *([label, value] for label, value in audit_lines(manifest, t)),
        [],
        [t["stack"], t["template"], t["account"], t["region"], t["resources"], "SHA-256"],
    ]
    rows += [
        [
            tp["stack"],
            tp["file"],
            tp.get("account") or "",
            tp.get("region") or "",
            tp["resources"],
            tp["sha256"],
        ]
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
    "awaiting_attestation": "FFF1D6",
    "unattested": "FBEFFF",
    "excluded": "EAEEF2",
}
_ZIP_DATE = FIXED_TIMESTAMP.timetuple()[:6]
#: Deflate level of the archive's entries. The sheets are megabytes of repetitive XML: level 1
#: compresses them in less than half the time of the default level 6, into about 30% more bytes.
_ZIP_LEVEL = 1
#: What openpyxl writes for a sheet without rows; :class:`_FixedTimeZip` puts the rows in.
_EMPTY_SHEET_DATA = b"<sheetData></sheetData>"


class _FixedTimeZip(zipfile.ZipFile):
    """A ZIP archive whose entries all carry the same timestamp and permissions.

    ``ZipFile.writestr`` with a name stamps the current time and ``ZipFile.write`` the file's
    mtime; both are replaced by :data:`FIXED_TIMESTAMP`.

    ``sheet_data`` maps a worksheet's name in the archive (``xl/worksheets/sheet1.xml``) to the
    content of its ``<sheetData>`` element, which replaces the empty one openpyxl wrote.
    """

    def __init__(self, *args: Any, sheet_data: dict[str, bytes] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sheet_data = dict(sheet_data or {})

    def writestr(  # type: ignore[override]
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: str | bytes,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        name = (
            zinfo_or_arcname.filename if isinstance(zinfo_or_arcname, zipfile.ZipInfo) else zinfo_or_arcname
        )
        rows = self.sheet_data.pop(name, None)
        if rows is not None:
            raw = data.encode("utf-8") if isinstance(data, str) else data
            if raw.count(_EMPTY_SHEET_DATA) != 1:
                raise RuntimeError(f"{name}: no empty <sheetData> to fill (openpyxl changed?)")
            data = raw.replace(_EMPTY_SHEET_DATA, b"<sheetData>" + rows + b"</sheetData>")
        info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        info.create_system = 3  # Unix: the same bytes on every OS
        super().writestr(info, data, compresslevel=_ZIP_LEVEL)

    def write(  # type: ignore[override]
        self,
        filename: str,
        arcname: str | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        """openpyxl adds each worksheet from a temporary file: take its bytes, not its mtime."""
        with open(filename, "rb") as fh:
            data = fh.read()
        self.writestr(arcname or str(filename), data)


# The rows of each sheet are written here as SpreadsheetML, byte for byte what openpyxl's
# write-only worksheet writes for the same cells (tests/evidence/test_register.py compares the
# two), at a tenth of its cost: openpyxl builds an element tree per cell.
#
# openpyxl's rules, kept: a string is cleaned of the control characters XML cannot hold, cut to
# 32,767 characters (Excel's limit) and written as an inline string (``t="inlineStr"``), with
# ``xml:space="preserve"`` when it has leading or trailing white space; an empty string is an
# empty cell of that type. A plain string that is one of Excel's error codes (``#N/A``...)
# becomes an error cell (``t="e"``); a string in a styled column or starting with ``=`` is
# always text (never a formula). Integers and floats are ``t="n"`` with ``%.16g``, booleans
# ``t="b"``; None is no cell.

_ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
_MAX_CELL_TEXT = 32767
#: openpyxl's ``ILLEGAL_CHARACTERS_RE`` as one character class, which ``re`` scans much faster.
_ILLEGAL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ILLEGAL_BYTES = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0D))


def _xml_text(value: str) -> str:
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value


def _number(value: int | float) -> str:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return ""
    return "%.16g" % value  # noqa: UP031 - openpyxl's number format


def _value_cell(ref: str, value: Any) -> str:
    """A cell of a number or boolean (no style)."""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{_number(value)}</v></c>'
    if isinstance(value, int | float):
        text = _number(value)
        return f'<c r="{ref}" t="n"><v>{text}</v></c>' if text else f'<c r="{ref}" t="n"><v /></c>'
    raise TypeError(f"cannot write {value!r} ({type(value).__name__}) to the register")


_PLAIN, _WRAP, _STATUS = 0, 1, 2


def _row_xml(
    out: list[str],
    n: int,
    row: Sequence[Any],
    letters: Sequence[str],
    kinds: Sequence[int],
    style: Callable[[Any], str],
    fills: Mapping[str, Any],
    clean: Callable[[str], str] | None,
) -> None:
    """Append row ``n`` to ``out``. ``clean``: removes the characters XML cannot hold (None when
    no cell of the sheet has any)."""
    append = out.append
    r = str(n)
    append(f'<row r="{r}">')
    for col, value in enumerate(row):
        if value is None:
            continue
        if not isinstance(value, str):
            append(_value_cell(letters[col] + r, value))
            continue
        if clean is not None:
            value = clean(value)
        if len(value) > _MAX_CELL_TEXT:
            value = value[:_MAX_CELL_TEXT]
        kind = kinds[col]
        if kind == _PLAIN:
            if value in _ERROR_CODES:
                append(f'<c r="{letters[col]}{r}" t="e"><v>{value}</v></c>')
                continue
            attrs = f'<c r="{letters[col]}{r}" t="inlineStr"'
        elif kind == _WRAP:
            attrs = f'<c r="{letters[col]}{r}"{style("wrap")} t="inlineStr"'
        else:
            fill = style(("fill", value)) if value in fills else ""
            attrs = f'<c r="{letters[col]}{r}"{fill} t="inlineStr"'
        if not value:
            append(attrs + " />")
            continue
        text = _xml_text(value) if "&" in value or "<" in value or ">" in value else value
        if (value[0].isspace() or value[-1].isspace()) and not value.isspace():
            append(f'{attrs}><is><t xml:space="preserve">{text}</t></is></c>')
        else:
            append(f"{attrs}><is><t>{text}</t></is></c>")
    append("</row>")


def _sheet_rows(
    headers: Sequence[str],
    rows: Sequence[Row],
    style: Callable[[Any], str],
    status_col: int | None,
    wrap_cols: Sequence[int],
    fills: Mapping[str, Any],
) -> bytes:
    """The ``<row>`` elements of one sheet: the header row, then ``rows``.

    ``style(key)`` gives the ``s`` attribute of a style (``"header"``, ``"wrap"`` or
    ``("fill", status label)``), registering it in the workbook on first use, as openpyxl does.
    Columns are 1-based, like the sheet's.
    """
    from openpyxl.utils import get_column_letter

    width = max([len(headers), *(len(r) for r in rows)])
    letters = [get_column_letter(i) for i in range(1, width + 1)]
    kinds = [_PLAIN] * width
    for c in wrap_cols:
        kinds[c - 1] = _WRAP
    if status_col:
        kinds[status_col - 1] = _STATUS

    head = style("header")
    out = ['<row r="1">']
    for col, h in enumerate(headers):
        h = h[:_MAX_CELL_TEXT]
        stripped = h.strip()
        space = ' xml:space="preserve"' if stripped and stripped != h else ""
        cell = f'<c r="{letters[col]}1"{head} t="inlineStr"'
        out.append(f"{cell}><is><t{space}>{_xml_text(h)}</t></is></c>" if h else f"{cell} />")
    out.append("</row>")
    header = len(out)

    for n, row in enumerate(rows, start=2):
        _row_xml(out, n, row, letters, kinds, style, fills, None)
    body = "".join(out[header:]).encode("utf-8", "xmlcharrefreplace")
    # Control characters are rare: look for them once in the whole sheet (in UTF-8 no other
    # character has such a byte), and only when there are some, write the rows again with each
    # text cleaned (which may change its white space and its length).
    if len(body.translate(None, _ILLEGAL_BYTES)) != len(body):
        del out[header:]
        clean = functools.partial(_ILLEGAL_CHARACTERS.sub, "")
        for n, row in enumerate(rows, start=2):
            _row_xml(out, n, row, letters, kinds, style, fills, clean)
        body = "".join(out[header:]).encode("utf-8", "xmlcharrefreplace")
    return "".join(out[:header]).encode("utf-8") + body


def render_xlsx(manifest: dict[str, Any], lang: str | None = None, *, digest: str | None = None) -> bytes:
    """``control-register.xlsx`` as bytes (identical for identical manifests).

    openpyxl (write-only mode) writes the package: properties, styles, workbook, and each sheet
    with its column widths, frozen header and filter, but without rows; the rows are written
    by :func:`_sheet_rows` and put into the sheets as the archive is written.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    lang = resolve_lang(manifest, lang)
    t = labels(lang)
    digest = digest or manifest_digest(manifest)
    wb = Workbook(write_only=True)
    props = wb.properties
    props.creator = manifest["tool"]["name"]
    props.lastModifiedBy = manifest["tool"]["name"]
    props.title = t["register.title"]
    props.subject = manifest.get("organisation") or None
    props.identifier = digest
    props.language = lang
    props.created = generated_at(manifest).replace(tzinfo=None)
    props.modified = generated_at(manifest).replace(tzinfo=None)

    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="0B2E4F")
    header_align = Alignment(vertical="center", wrap_text=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    fills = {t[s]: PatternFill("solid", fgColor=c) for s, c in _STATUS_FILLS.items()}
    style_attrs: dict[Any, str] = {}

    def style(key: Any) -> str:
        """The ``s`` attribute of a style, registered in the workbook on first use."""
        attr = style_attrs.get(key)
        if attr is None:
            cell = WriteOnlyCell(wb.worksheets[0])
            if key == "header":
                cell.font, cell.fill, cell.alignment = header_font, header_fill, header_align
            elif key == "wrap":
                cell.alignment = wrap
            else:
                cell.fill = fills[key[1]]
            attr = style_attrs[key] = f' s="{cell.style_id}"'
        return attr

    sheet_data: dict[str, bytes] = {}

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
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        if table:
            ws.freeze_panes = "B2"
            ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
        # openpyxl names the n-th sheet's part xl/worksheets/sheet<n>.xml
        name = f"xl/worksheets/sheet{len(wb.worksheets)}.xml"
        sheet_data[name] = _sheet_rows(headers, rows, style, status_col, wrap_cols, fills)

    sheet(
        t["sheet.measures"],
        measure_rows(manifest, lang),
        [10, 9, 18, 60, 20, 24, 10, 10, 40, 22, 26, 18, 50, 18, 50, 40, 16, 16, 16, 30],
        status_col=5,
        wrap_cols=(4, 9, 13, 15, 16),
    )
    sheet(
        t["sheet.soa"],
        control_rows(manifest, lang),
        [9, 48, 18, 12, 50, 20, 22, 30, 30, 40, 16, 16, 16, 30],
        status_col=6,
        wrap_cols=(2, 5, 8, 9, 10),
    )
    sheet(
        t["sheet.evidence"],
        evidence_rows(manifest, lang),
        [18, 12, 12, 34, 30, 28, 30, 50, 60, 40, 30, 60],
    )
    sheet(
        t["sheet.violations"],
        violation_rows(manifest, lang),
        [32, 12, 20, 30, 28, 30, 45, 45, 45, 45, 14, 45],
        wrap_cols=(8, 9, 10, 12),
    )
    sheet(
        t["sheet.risks"],
        acceptance_rows(manifest, lang),
        [18, 32, 30, 60, 22, 12, 12, 16, 30],
        wrap_cols=(3, 4),
    )
    sheet(t["sheet.about"], about_rows(manifest, lang, digest), [30, 70, 16, 14, 12, 66], table=False)

    buf = io.BytesIO()
    with _FixedTimeZip(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True, sheet_data=sheet_data) as archive:
        ExcelWriter(wb, archive).write_data()
        if archive.sheet_data:
            raise RuntimeError(f"sheets not written: {', '.join(sorted(archive.sheet_data))}")
    return buf.getvalue()
