"""The control register: ``control-register.xlsx`` and the CSV files.

The workbook has the sheets Measures (one row per BIO2 measure), Statement of Applicability
(one row per ISO/IEC 27002 control), Evidence (one row per evidence item of a measure),
Violations, and About (where the register comes from). Headers are frozen and filtered.

Determinism: the workbook is written with XlsxWriter in memory, with the document's
``created`` and ``modified`` set to the manifest's generation time (never the clock); the ZIP
archive is then written again with every entry carrying :data:`FIXED_TIMESTAMP`, mode 0644 and
Unix as its system, so one manifest always gives the same bytes on every machine. Text is always
written as text (a cell starting with ``=`` is never a formula), without the control characters
XML cannot hold and cut to Excel's limit of 32,767 characters.

CSV: ``control-register.csv`` (measures) and ``statement-of-applicability.csv`` (controls) have
the same columns as their sheets. They are UTF-8 with a byte order mark (so Excel reads the
accents of Dutch text correctly), comma-separated, RFC 4180 quoted, with CRLF line ends. Cells
that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return) are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Mapping, Sequence
from datetime import UTC
from typing import Any

from bio2_aspects.evidence.common import (
    FIXED_TIMESTAMP,
    STATUSES,
    audit_lines,
    basis_of,
    control_evidence_text,
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
from bio2_aspects.evidence.models import Attestation, EvidenceItem, Manifest, Measure, Owner, as_manifest

Row = list[Any]


# ------------------------------------------------------------------ rows (shared by XLSX and CSV)


def _owner(o: Owner | None) -> tuple[str, str]:
    if o is None:
        return "", ""
    return o.name or "", o.contact or ""


def _assessment_headers(t: Mapping[str, str]) -> list[str]:
    """The auditor's own assessment: left empty for the auditor to fill in."""
    return [
        t["assessment.design"],
        t["assessment.existence"],
        t["assessment.operation"],
        t["assessment.remarks"],
    ]


def attestation_text(a: Attestation | None, t: Mapping[str, str]) -> str:
    """One cell describing an attestation: document, approval, review date and its problems."""
    if a is None:
        return ""
    doc = a.document
    parts = [f"{a.scope}: {a.owner}"]
    if doc is not None:
        version = f" v{doc.version}" if doc.version else ""
        parts.append(f"{t['attestation.document']}: {doc.title}{version} ({doc.reference})")
    if a.approved_by or a.date:
        parts.append(f"{t['attestation.approved_by']}: {a.approved_by or '-'} ({a.date or '-'})")
    if a.review_date:
        parts.append(f"{t['attestation.review_date']}: {a.review_date}")
    flags = [t[f"attestation.{p}"] for p in a.problems]
    if a.overdue:
        flags.append(t["attestation.overdue"])
    if flags:
        parts.append("!! " + ", ".join(flags))
    return "; ".join(parts)


def _facet_attestations(m: Measure, t: Mapping[str, str]) -> str:
    seen: dict[str, str] = {}
    for f in m.facets:
        a = f.attestation
        if a is not None and a.scope not in seen:
            seen[a.scope] = attestation_text(a, t)
    return "\n".join(seen.values())


def last_observed_text(m: Measure, t: Mapping[str, str], limit: int = 5) -> str:
    """Run-time evidence of a measure in one cell: when its monitors last reported and, when one
    reports NON_COMPLIANT, since when and where (monitor, account/region, resource, observed)."""
    runtime = m.runtime
    if runtime is None:
        return ""
    if runtime.state != "non_compliant":
        return f"{runtime.last_observed} ({t['runtime.compliant']}: {runtime.observations})"
    red = [i for i in m.evidence if i.kind == "runtime" and i.result == "fail"]
    lines = [f"{runtime.last_observed}; {t['runtime.non_compliant_since']} {runtime.non_compliant_since}:"]
    lines += [f"{i.rule} {i.account}/{i.region} {i.logical_id} ({i.observed_at})" for i in red[:limit]]
    if len(red) > limit:
        lines.append(f"+{len(red) - limit}")
    return "\n".join(lines)


def measure_rows(manifest: Manifest | Mapping[str, Any], lang: str) -> tuple[list[str], list[Row]]:
    """Headers and one row per measure."""
    manifest = as_manifest(manifest)
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
    for m in manifest.measures:
        name, contact = _owner(m.owner)
        risks = "\n".join(
            f"{r.rule} ({r.stack}/{r.logical_id}): {r.reason_in(lang)}" for r in m.accepted_risks
        )
        basis = basis_of(m, t, lang)
        if m.exclusion is not None and m.exclusion.risk_assessment:
            basis = f"{basis} ({t['risk_assessment']}: {m.exclusion.risk_assessment})".strip()
        rows.append(
            [
                m.id,
                m.control,
                t[f"theme.{m.theme}"],
                summary_of(m, lang),
                t[m.status],
                ", ".join(t[k] for k in m.evidence_kinds),
                len(m.evidence),
                m.open_violations,
                risks,
                name,
                contact,
                t[f"responsibility.{m.responsibility}"],
                basis,
                ", ".join(m.missing_facets),
                _facet_attestations(m, t),
                last_observed_text(m, t),
                "",
                "",
                "",
                "",
            ]
        )
    return headers, rows


def control_rows(manifest: Manifest | Mapping[str, Any], lang: str) -> tuple[list[str], list[Row]]:
    """Headers and one row per control: the Statement of Applicability."""
    manifest = as_manifest(manifest)
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
        t["control_evidence"],
        *_assessment_headers(t),
    ]
    rows = [
        [
            c.id,
            title_of(c, lang),
            t[f"theme.{c.theme}"],
            t["yes"] if c.applicable else t["no"],
            justification_of(c, t),
            t[c.status],
            _owner(c.owner)[0],
            ", ".join(c.measures),
            ", ".join(f"{t[k]} {c.measures_by_status[k]}" for k in STATUSES if c.measures_by_status.get(k)),
            attestation_text(c.attestation, t),
            control_evidence_text(c, t),
            "",
            "",
            "",
            "",
        ]
        for c in manifest.controls
    ]
    return headers, rows


def evidence_rows(manifest: Manifest | Mapping[str, Any], lang: str) -> tuple[list[str], list[Row]]:
    """Headers and one row per evidence item, with the measures it supports.

    The manifest repeats an item under each measure its rule or declaration evidences; here it
    is one row whose first column lists those measures (sorted by kind, stack, logical ID, rule).
    A declaration has no rule: its mechanism (SCP, Config rule...) stands in the rule column.
    Account and region follow from the stack (see the About sheet).
    """
    manifest = as_manifest(manifest)
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
    items: dict[tuple[str, ...], tuple[EvidenceItem, list[str]]] = {}
    mapping: dict[tuple[str, ...], list[tuple[str, str, str]]] = {}
    for m in manifest.measures:
        mid = m.id
        for i in m.evidence:
            key = (i.kind, i.stack, i.logical_id, i.rule or "", i.result, i.detail or "", i.path or "")
            found = items.get(key)
            if found is None:
                items[key] = (i, [mid])
            else:
                found[1].append(mid)
            rationale = (i.rationale.nl if lang == "nl" else i.rationale.en) or ""
            mapping.setdefault(key, []).append((mid, i.strength or "supporting", rationale))
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
            t[i.kind],
            t[f"result.{i.result}"],
            i.rule or i.mechanism or "",
            i.stack,
            i.logical_id,
            i.resource_type or "",
            i.path or "",
            manifest.text_of(i, lang),
            i.reason_in(lang) or "",
            ", ".join(f"{mid} {t['strength.' + s]}" for mid, s, _r in sorted(mapping[_key])),
            "\n".join(f"{mid}: {r}" for mid, _s, r in sorted(mapping[_key]) if r),
        ]
        for _key, (i, ms) in sorted(items.items())
    ]
    return headers, rows


def violation_rows(manifest: Manifest | Mapping[str, Any], lang: str) -> tuple[list[str], list[Row]]:
    """Headers and one row per violation (open and accepted)."""
    manifest = as_manifest(manifest)
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
            v.rule,
            t[f"level.{v.level}"],
            ", ".join(by_rule.get(v.rule, [])),
            v.stack,
            v.logical_id,
            v.resource_type or "",
            v.path or "",
            rule_text(v.rule, "finding", v.finding or "", lang),
            manifest.text_of(v, lang),
            rule_text(v.rule, "fix", v.fix or "", lang),
            t["yes"] if v.acknowledged else t["no"],
            v.reason_in(lang) or "",
        ]
        for v in manifest.violations
    ]
    return headers, rows


def acceptance_rows(manifest: Manifest | Mapping[str, Any], lang: str) -> tuple[list[str], list[Row]]:
    """Headers and one row per risk acceptance (config and construct acknowledgements) and per
    exclusion, with every field: the register of accepted risks an auditor signs off."""
    manifest = as_manifest(manifest)
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
    for a in manifest.risk_acceptances:
        state = t["acceptance.expired"] if a.expired else (t["yes"] if a.used else t["no"])
        rows.append(
            [
                t["acceptance.kind.risk"],
                a.rule,
                ", ".join(a.resources) or "*",
                a.reason,
                a.approved_by,
                a.date,
                a.expires,
                f"{t['acceptance.used']}: {state}" if not a.expired else state,
                "",
            ]
        )
    for v in manifest.violations:
        if v.acknowledged and v.acceptance is None:
            rows.append(
                [
                    t["acceptance.kind.risk"],
                    v.rule,
                    v.path or v.logical_id,
                    v.reason_in(lang) or "",
                    "",
                    "",
                    "",
                    t["accepted_risk"],
                    "",
                ]
            )
    for e in manifest.exclusions:
        rows.append(
            [
                t["acceptance.kind.exclusion"],
                e.id,
                "",
                e.justification,
                e.approved_by or "",
                e.date or "",
                e.expires or "",
                t["acceptance.expired"] if e.expired else t["excluded"],
                e.risk_assessment or "",
            ]
        )
    return headers, rows


def about_rows(
    manifest: Manifest | Mapping[str, Any], lang: str, digest: str | None = None
) -> tuple[list[str], list[Row]]:
    """Where the register comes from: organisation, catalog, tool, manifest hash, templates."""
    manifest = as_manifest(manifest)
    t = labels(lang)
    cat, tool = manifest.catalog, manifest.tool
    rows: list[Row] = [
        [t["organisation"], manifest.organisation],
        [t["catalog"], f"{cat.name} {cat.version} ({cat.iso})"],
        [t["report.tool"], f"{tool.name} {tool.version}"],
        [t["report.schema"], manifest.schema_version],
        [t["report.manifest_hash"], digest or manifest_digest(manifest)],
        [t["language"], lang],
        *([label, value] for label, value in audit_lines(manifest, t)),
        [],
        [t["stack"], t["template"], t["account"], t["region"], t["resources"], "SHA-256"],
    ]
    rows += [
        [tp.stack, tp.file, tp.account or "", tp.region or "", tp.resources, tp.sha256]
        for tp in manifest.templates
    ]
    return [t["register.about_key"], t["register.about_value"]], rows


def _inventory_sheets(sheet: Any, manifest: Manifest, lang: str) -> None:
    """The log-source inventory and the internet-facing register, one sheet each."""
    from bio2_aspects.evidence.inventory_report import inventory_sheets

    widths = [30, 14, 38, 38, 34, 50, 18, 50, 14, 12, 60]
    for name, headers, rows in inventory_sheets(manifest, lang):
        sheet(name, (headers, rows), widths[: len(headers)])


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


def render_register_csv(manifest: Manifest | Mapping[str, Any], lang: str | None = None) -> bytes:
    """``control-register.csv``: one row per measure."""
    manifest = as_manifest(manifest)
    return render_csv(*measure_rows(manifest, resolve_lang(manifest, lang)))


def render_soa_csv(manifest: Manifest | Mapping[str, Any], lang: str | None = None) -> bytes:
    """``statement-of-applicability.csv``: one row per control."""
    manifest = as_manifest(manifest)
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
_MAX_CELL_TEXT = 32767
#: The control characters XML cannot hold (openpyxl's ``ILLEGAL_CHARACTERS_RE``): removed.
_ILLEGAL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CORE_END = b"</cp:coreProperties>"


def _text(value: str) -> str:
    """A text cell's content: without the characters XML cannot hold, at most 32,767 long."""
    value = _ILLEGAL_CHARACTERS.sub("", value)
    return value[:_MAX_CELL_TEXT] if len(value) > _MAX_CELL_TEXT else value


def _fixed_zip(data: bytes, core_extra: bytes) -> bytes:
    """The archive ``data`` again, each entry with :data:`FIXED_TIMESTAMP`, mode 0644 and Unix as
    its system (XlsxWriter records the OS it runs on), and ``core_extra`` added to
    ``docProps/core.xml`` (XlsxWriter writes no ``dc:identifier`` or ``dc:language``)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as dst,
    ):
        for item in src.infolist():
            raw = src.read(item)
            if item.filename == "docProps/core.xml":
                if raw.count(_CORE_END) != 1:
                    raise RuntimeError("docProps/core.xml: no </cp:coreProperties> (XlsxWriter changed?)")
                raw = raw.replace(_CORE_END, core_extra + _CORE_END)
            info = zipfile.ZipInfo(item.filename, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix: the same bytes on every OS
            dst.writestr(info, raw, compresslevel=_ZIP_LEVEL)
    return out.getvalue()


def render_xlsx(
    manifest: Manifest | Mapping[str, Any], lang: str | None = None, *, digest: str | None = None
) -> bytes:
    """``control-register.xlsx`` as bytes (identical for identical manifests).

    XlsxWriter writes the workbook in memory: each sheet with its column widths, frozen header
    and filter, text always as text (never a formula), numbers as numbers. The archive is then
    written again with fixed entry metadata (see :func:`_fixed_zip`).
    """
    from xml.sax.saxutils import escape as xml_escape

    import xlsxwriter

    manifest = as_manifest(manifest)
    lang = resolve_lang(manifest, lang)
    t = labels(lang)
    digest = digest or manifest_digest(manifest)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    props: dict[str, Any] = {
        "title": t["register.title"],
        "author": manifest.tool.name,  # also cp:lastModifiedBy
        # dcterms:created and dcterms:modified: the manifest's generation time, never the clock
        "created": generated_at(manifest).astimezone(UTC).replace(tzinfo=None),
    }
    if manifest.organisation:
        props["subject"] = manifest.organisation
    wb.set_properties(props)

    header = wb.add_format(
        {"bold": True, "font_color": "#FFFFFF", "bg_color": "#0B2E4F", "valign": "vcenter", "text_wrap": True}
    )
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    fills = {t[s]: wb.add_format({"bg_color": f"#{c}", "pattern": 1}) for s, c in _STATUS_FILLS.items()}

    def sheet(
        title: str,
        data: tuple[list[str], list[Row]],
        widths: Sequence[int],
        status_col: int | None = None,
        wrap_cols: Sequence[int] = (),
        table: bool = True,
    ) -> None:
        headers, rows = data
        ws = wb.add_worksheet(title[:31])
        for i, width in enumerate(widths):
            ws.set_column(i, i, width)
        if table:
            ws.freeze_panes(1, 1)
            ws.autofilter(0, 0, len(rows), len(headers) - 1)
        write_string, write_number, write_boolean = ws.write_string, ws.write_number, ws.write_boolean
        for col, h in enumerate(headers):
            write_string(0, col, _text(h), header)
        # column (0-based) -> format: wrapped text; the status column is filled by its value
        formats: dict[int, Any] = {c - 1: wrap for c in wrap_cols}
        status = status_col - 1 if status_col else -1
        # Control characters are rare: look for them once in the whole sheet, and only when
        # there are some, clean each text.
        clean = bool(_ILLEGAL_CHARACTERS.search("\n".join(v for r in rows for v in r if isinstance(v, str))))
        sub = _ILLEGAL_CHARACTERS.sub
        for n, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    fmt = fills.get(value) if col == status else formats.get(col)
                    if clean:
                        value = sub("", value)
                    if len(value) > _MAX_CELL_TEXT:
                        value = value[:_MAX_CELL_TEXT]
                    if value or fmt is not None:
                        write_string(n, col, value, fmt)
                elif isinstance(value, bool):
                    write_boolean(n, col, value)
                elif isinstance(value, int | float):
                    if not (math.isnan(value) or math.isinf(value)):  # no number: an empty cell
                        write_number(n, col, value)
                else:
                    raise TypeError(f"cannot write {value!r} ({type(value).__name__}) to the register")

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
        [9, 48, 18, 12, 50, 20, 22, 30, 30, 40, 60, 16, 16, 16, 30],
        status_col=6,
        wrap_cols=(2, 5, 8, 9, 10, 11),
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
    _inventory_sheets(sheet, manifest, lang)
    sheet(t["sheet.about"], about_rows(manifest, lang, digest), [30, 70, 16, 14, 12, 66], table=False)
    wb.close()
    core_extra = (
        f"<dc:identifier>{xml_escape(digest)}</dc:identifier><dc:language>{xml_escape(lang)}</dc:language>"
    )
    return _fixed_zip(buf.getvalue(), core_extra.encode("utf-8"))
