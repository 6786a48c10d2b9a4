"""``control-register.xlsx`` and the CSV registers."""

from __future__ import annotations

import csv
import io
import time
import zipfile
from typing import Any

import openpyxl
import pydantic
import pytest

from bio2_aspects.evidence.common import manifest_digest
from bio2_aspects.evidence.i18n import labels
from bio2_aspects.evidence.register import render_register_csv, render_soa_csv, render_xlsx


def _rows(ws: Any) -> list[tuple[Any, ...]]:
    return list(ws.iter_rows(values_only=True))


def test_xlsx_opens_with_a_row_per_measure_and_control(manifest: dict[str, Any]) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(manifest)))
    assert wb.sheetnames == [
        "Measures",
        "Statement of Applicability",
        "Evidence",
        "Violations",
        "Risk acceptances and exclusions",
        "Log sources",
        "Internet-facing",
        "About",
    ]
    measures = _rows(wb["Measures"])
    assert measures[0][:5] == ("Measure", "Control", "Theme", "Summary", "Status")
    assert [r[0] for r in measures[1:]] == [m["id"] for m in manifest["measures"]]
    assert len(measures) == 1 + 117
    soa = _rows(wb["Statement of Applicability"])
    assert [r[0] for r in soa[1:]] == [c["id"] for c in manifest["controls"]]
    assert len(soa) == 1 + 93
    evidence = _rows(wb["Evidence"])
    unique = {
        (i["kind"], i["stack"], i["logical_id"], i["rule"] or "", i["result"])
        for m in manifest["measures"]
        for i in m["evidence"]
    }
    assert len(evidence) == 1 + len(unique)
    # Each evidence row lists every measure that its item supports.
    row = next(r for r in evidence if r[3] == "BIO2-CloudTrail-MultiRegion")
    assert row[0] == "5.18.01, 8.15.01"
    violations = _rows(wb["Violations"])
    assert len(violations) == 1 + len(manifest["violations"])
    about = dict((r[0], r[1]) for r in _rows(wb["About"]) if r and r[0])
    assert about["Organisation"] == "Gemeente Voorbeeld"
    assert len(about["Manifest SHA-256"]) == 64


def test_xlsx_sheets_are_frozen_and_filtered(manifest: dict[str, Any]) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(manifest)))
    for name in ("Measures", "Statement of Applicability", "Evidence", "Violations"):
        ws = wb[name]
        assert ws.freeze_panes == "B2", name
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}", name
        assert ws.cell(1, 1).font.bold
        assert ws.column_dimensions["A"].width >= 9


def test_xlsx_row_content(manifest: dict[str, Any]) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(manifest)))
    t = labels("en")
    by_id = {r[0]: r for r in _rows(wb["Measures"])[1:]}
    m = next(m for m in manifest["measures"] if m["accepted_risks"])
    row = by_id[m["id"]]
    assert row[4] == t[m["status"]]
    assert m["accepted_risks"][0]["rule"] in row[8]
    excluded = next(m for m in manifest["measures"] if m["status"] == "excluded")
    assert excluded["exclusion"]["justification"] in by_id[excluded["id"]][12]
    assert (
        wb["Measures"]
        .cell(2, 5)
        .fill.fgColor.rgb.endswith(("FBEFFF", "FFEBE9", "DAFBE1", "FFF8C5", "DDF4FF", "EAEEF2"))
    )
    soa = {r[0]: r for r in _rows(wb["Statement of Applicability"])[1:]}
    assert soa["7.5"][3] == "no"


def test_xlsx_dutch(manifest: dict[str, Any]) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(manifest, "nl")))
    assert wb.sheetnames[:2] == ["Maatregelen", "Verklaring van toepasselijkheid"]
    assert wb["Maatregelen"].cell(1, 1).value == "Maatregel"
    assert wb.properties.language == "nl"


def test_xlsx_bytes_carry_no_time(manifest: dict[str, Any]) -> None:
    data = render_xlsx(manifest)
    assert render_xlsx(manifest) == data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    # the document dates are the manifest's generation time (audit.generated_at), never the clock
    assert "<dcterms:created" in core and "2026-12-01T09:30:00Z" in core
    assert "<dcterms:modified" in core and core.count("2026-12-01T09:30:00Z") == 2
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.properties.creator == "bio2-aspects"


def test_xlsx_never_writes_formulas(manifest: dict[str, Any]) -> None:
    manifest["violations"][0]["detail"] = '=HYPERLINK("http://evil.example","x")'
    data = render_xlsx(manifest)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in sheets
    ws = openpyxl.load_workbook(io.BytesIO(data))["Violations"]
    assert ws.cell(2, 9).value == '=HYPERLINK("http://evil.example","x")'
    assert ws.cell(2, 9).data_type == "s"


def _edge_manifest(manifest: dict[str, Any]) -> dict[str, Any]:
    """Texts that take the writer's special cases: white space, markup, control characters,
    Excel's limit of 32,767 characters, error codes, formulas, and numbers of every kind."""
    ms, vs, tps = manifest["measures"], manifest["violations"], manifest["templates"]
    ms[0]["summary"] = "  leading and trailing  "
    ms[1]["summary"] = "#N/A"
    ms[2]["summary"] = "=1+1"
    ms[3]["summary"] = "a & b < c > d \"q\" 'x' \r\n\ttab"
    ms[4]["summary"] = "x" * 40_000
    ms[5]["summary"] = "bad\x00\x01\x0bchars\x1f é 😀 \u2028"
    ms[6]["summary"] = "   "
    ms[7]["basis"] = "#REF!"
    ms[8]["summary"] = "\x00 starts with a control character"
    vs[0]["detail"] = '=HYPERLINK("http://evil.example","x")'
    vs[0]["path"] = "#NAME?"
    vs[1]["detail"] = "#DIV/0!"
    vs[1]["fix"] = "="
    tps[0]["resources"] = 12_345_678_901_234_567_890
    manifest["organisation"] = " Gemeente <Voorbeeld> & co "
    return manifest


@pytest.mark.parametrize(
    ("where", "value"),
    [("resources", 1.5), ("resources", float("nan")), ("resources", -1), ("schema_version", "\n")],
)
def test_values_the_register_cannot_show_are_refused_by_the_contract(
    manifest: dict[str, Any], where: str, value: Any
) -> None:
    """Fractional, NaN or negative resource counts and a blank schema version never reach a writer:
    the manifest model refuses them (the exporters read the validated model only)."""
    if where == "resources":
        manifest["templates"][1]["resources"] = value
    else:
        manifest[where] = value
    with pytest.raises(pydantic.ValidationError):
        render_xlsx(manifest)


def test_xlsx_is_the_same_later_and_on_every_os(manifest: dict[str, Any]) -> None:
    """Written again after a pause: the same bytes; every entry as written on Unix, mode 0644."""
    data = render_xlsx(manifest)
    time.sleep(1.1)
    assert render_xlsx(manifest) == data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {(i.create_system, i.external_attr >> 16) for i in z.infolist()} == {(3, 0o644)}
        core = z.read("docProps/core.xml").decode()
    assert f"<dc:identifier>{manifest_digest(manifest)}</dc:identifier>" in core


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_xlsx_edge_cases_are_deterministic(manifest: dict[str, Any], lang: str) -> None:
    manifest = _edge_manifest(manifest)
    assert render_xlsx(manifest, lang) == render_xlsx(manifest, lang)


def test_xlsx_edge_case_content(manifest: dict[str, Any]) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(_edge_manifest(manifest))))
    summaries = [r[3] for r in _rows(wb["Measures"])[1:10]]
    assert summaries[0] == "  leading and trailing  "
    assert summaries[3].startswith("a & b < c > d \"q\" 'x' ")
    assert summaries[4] == "x" * 32_767
    assert summaries[5] == "badchars é 😀 \u2028"
    assert summaries[8] == " starts with a control character"
    # A formula from the manifest stays text.
    ws = wb["Violations"]
    assert ws.cell(2, 9).value == '=HYPERLINK("http://evil.example","x")'
    assert ws.cell(2, 9).data_type == "s"


def _csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM"
    assert b"\r\n" in data
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_row_counts(manifest: dict[str, Any]) -> None:
    register = _csv(render_register_csv(manifest))
    assert len(register) == 1 + 117
    assert register[0][0] == "Measure"
    assert {len(r) for r in register} == {len(register[0])}
    soa = _csv(render_soa_csv(manifest))
    assert len(soa) == 1 + 93
    assert soa[0][:2] == ["Control", "Title"]


def test_csv_dutch_keeps_accents(manifest: dict[str, Any]) -> None:
    register = _csv(render_register_csv(manifest, "nl"))
    assert register[0][0] == "Maatregel"
    assert any("geïmplementeerd" in cell for row in register for cell in row)


@pytest.mark.parametrize("payload", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx"])
def test_csv_neutralises_formulas(manifest: dict[str, Any], payload: str) -> None:
    manifest["measures"][0]["summary"] = payload
    register = _csv(render_register_csv(manifest))
    assert register[1][3] == "'" + payload
