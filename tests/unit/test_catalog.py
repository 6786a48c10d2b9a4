"""Tests for the BIO2 catalog (bio2_aspects.catalog): data, loader validation and importer."""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from bio2_aspects.catalog import (
    KNOWN_DEFECTS,
    OFFICIAL_MARKDOWN_ENV,
    Catalog,
    CatalogError,
    Nature,
    OfficialEntry,
    Responsibility,
    Status,
    Theme,
    control_id_of,
    find_official_markdown,
    id_sort_key,
    load_catalog,
    normalise_control_id,
    parse_official_markdown,
    parse_official_text,
)
from tests.copycheck import MAX_SHARED_RUN, official_runs, word_runs

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OFFICIAL_MARKDOWN = REPO_ROOT / ".." / "shared" / "data" / "bio2" / "maatregelen-v1.3.md"

#: A summary may not share a run of this many consecutive words with the official text.

Raw = dict[str, Any]


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _read_data(name: str) -> Any:
    path = resources.files("bio2_aspects.catalog").joinpath("data", name)
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pristine() -> Raw:
    return {
        "controls": _read_data("controls.json"),
        "entries": _read_data("measures.json"),
        "metadata": _read_data("catalog.json"),
    }


@pytest.fixture
def raw(pristine: Raw) -> Raw:
    """A fresh deep copy of the packaged data, safe to mutate."""
    return copy.deepcopy(pristine)


def _build(raw: Raw) -> Catalog:
    return Catalog.from_dicts(raw["controls"], raw["entries"], raw["metadata"])


def _entry(raw: Raw, entry_id: str) -> dict[str, Any]:
    return next(e for e in raw["entries"] if e["id"] == entry_id)


def _control(raw: Raw, control_id: str) -> dict[str, Any]:
    return next(c for c in raw["controls"] if c["id"] == control_id)


@pytest.fixture(scope="module")
def official() -> dict[str, OfficialEntry]:
    """The official BIO2 v1.3 measures markdown, from the env var or the shared data folder."""
    try:
        path = find_official_markdown() or DEFAULT_OFFICIAL_MARKDOWN.resolve()
    except FileNotFoundError as exc:
        pytest.skip(f"official BIO2 markdown not available: {exc}")
    if not path.is_file():
        pytest.skip(
            f"official BIO2 markdown not available: set {OFFICIAL_MARKDOWN_ENV} or provide {path} "
            "(the project does not ship the official texts)"
        )
    return parse_official_markdown(path)


# -- counts and structure ---------------------------------------------------------------------


def test_control_counts(catalog: Catalog) -> None:
    assert len(catalog.controls) == 93
    per_theme = Counter(c.theme for c in catalog.controls)
    assert per_theme == {
        Theme.ORGANISATIONAL: 37,
        Theme.PEOPLE: 8,
        Theme.PHYSICAL: 14,
        Theme.TECHNOLOGICAL: 34,
    }
    assert [c.id for c in catalog.controls][:3] == ["5.1", "5.2", "5.3"]
    assert catalog.controls[-1].id == "8.34"


def test_entry_and_status_counts(catalog: Catalog) -> None:
    assert len(catalog.entries) == len(catalog) == 166
    assert len(catalog.measures) == 117
    assert all(e.status is Status.MEASURE for e in catalog.measures)
    assert Counter(e.status for e in catalog.entries) == {
        Status.MEASURE: 117,
        Status.NO_GOVERNMENT_MEASURE: 39,
        Status.MOVED: 5,
        Status.WITHDRAWN: 4,
        Status.REFERENCE: 1,
    }


def test_measures_per_theme(catalog: Catalog) -> None:
    assert Counter(e.theme for e in catalog.measures) == {
        Theme.ORGANISATIONAL: 54,
        Theme.PEOPLE: 7,
        Theme.PHYSICAL: 6,
        Theme.TECHNOLOGICAL: 50,
    }
    references = [e for e in catalog.entries if e.status is Status.REFERENCE]
    assert [(e.id, e.target) for e in references] == [("8.08.06", "5.24.08")]


def test_every_control_has_an_entry(catalog: Catalog) -> None:
    for control in catalog.controls:
        assert catalog.entries_of(control.id), f"control {control.id} has no BIO2 entry"
    assert {e.control for e in catalog.entries} == {c.id for c in catalog.controls}


def test_sorted_numerically(catalog: Catalog, pristine: Raw) -> None:
    ids = [e.id for e in catalog.entries]
    assert ids == sorted(ids, key=id_sort_key)
    # The JSON files themselves are kept in numeric order too (readable diffs).
    assert [e["id"] for e in pristine["entries"]] == ids
    assert [c["id"] for c in pristine["controls"]] == [c.id for c in catalog.controls]
    assert ids.index("5.09.01") < ids.index("5.10.01")


def test_measure_fields(catalog: Catalog) -> None:
    for entry in catalog.measures:
        assert entry.summary and entry.summary_nl
        for text in (entry.summary, entry.summary_nl):
            assert 30 <= len(text) <= 140, f"{entry.id}: summary length {len(text)} outside 30-140"
            assert "\n" not in text
        assert isinstance(entry.nature, Nature)
        assert isinstance(entry.responsibility, Responsibility)
        assert entry.summary != entry.summary_nl
    for entry in catalog.entries:
        if not entry.is_measure:
            assert entry.summary is entry.summary_nl is entry.nature is entry.responsibility is None
        assert (entry.target is not None) == (entry.status in {Status.MOVED, Status.REFERENCE})


def test_summaries_are_unique(catalog: Catalog) -> None:
    for attr in ("summary", "summary_nl"):
        texts = [getattr(e, attr) for e in catalog.measures]
        duplicates = [t for t, n in Counter(texts).items() if n > 1]
        assert not duplicates, f"duplicate {attr}: {duplicates}"
    titles = [c.title for c in catalog.controls]
    assert len(set(titles)) == len(titles)


def test_physical_measures_are_not_on_workload_teams(catalog: Catalog) -> None:
    for entry in catalog.measures:
        if entry.nature is Nature.PHYSICAL:
            assert entry.responsibility in {Responsibility.CLOUD_PROVIDER, Responsibility.ORGANISATION}


def test_metadata(catalog: Catalog) -> None:
    meta = catalog.metadata
    assert (meta.name, meta.version, meta.date) == ("BIO2", "1.3", "2026-01-09")
    assert catalog.version == "1.3"
    assert meta.iso == "ISO/IEC 27002:2022"
    assert meta.source_commit == "270c203df857df7f57b9bdf0faf87c389edc38e7"
    assert "MinBZK/Baseline-Informatiebeveiliging-Overheid" in meta.source


def test_load_catalog_is_cached() -> None:
    assert load_catalog() is load_catalog()


# -- lookups ----------------------------------------------------------------------------------


def test_lookups(catalog: Catalog) -> None:
    assert catalog.control("5.15").title
    assert catalog.control("5.01") is catalog.control("5.1")
    assert catalog.entry("8.15.02").control == "8.15"
    assert catalog.control_of("5.01.01") == "5.1"
    assert catalog.control_of("8.15.02") == "8.15"
    assert [e.id for e in catalog.measures_of("8.15")] == [f"8.15.0{n}" for n in range(1, 7)]
    assert catalog.measures_of("5.3") == ()
    assert [e.id for e in catalog.entries_of("5.3")] == ["5.03.01"]
    assert [e.id for e in catalog.measures_of("5.4")] == ["5.04.01"]  # 5.04.02/03 moved away

    with pytest.raises(KeyError, match=r"5\.38"):
        catalog.control("5.38")
    with pytest.raises(KeyError, match=r"9\.01\.01"):
        catalog.entry("9.01.01")
    with pytest.raises(KeyError):
        catalog.control_of("5.99.01")
    with pytest.raises(KeyError):
        catalog.measures_of("not-a-control")


def test_id_predicates(catalog: Catalog) -> None:
    assert catalog.is_measure_id("8.15.02")
    assert not catalog.is_measure_id("5.03.01")  # placeholder
    assert not catalog.is_measure_id("5.04.02")  # moved
    assert not catalog.is_measure_id("5.21.01")  # withdrawn
    assert not catalog.is_measure_id("8.08.06")  # reference
    assert not catalog.is_measure_id("8.15.07")
    assert not catalog.is_measure_id("8.15")
    assert catalog.is_entry_id("5.03.01")
    assert not catalog.is_entry_id("5.25.02")

    assert catalog.is_control_id("5.1")
    assert catalog.is_control_id("5.01")
    assert catalog.is_control_id("8.34")
    assert not catalog.is_control_id("8.35")
    assert not catalog.is_control_id("4.1")
    assert not catalog.is_control_id("5.01.01")
    assert not catalog.is_control_id("")


def test_theme_of(catalog: Catalog) -> None:
    assert catalog.theme_of("5.1") is Theme.ORGANISATIONAL
    assert catalog.theme_of("6.03.02") is Theme.PEOPLE
    assert catalog.theme_of("7.10") is Theme.PHYSICAL
    assert catalog.theme_of("8.15.02") is Theme.TECHNOLOGICAL
    with pytest.raises(KeyError):
        catalog.theme_of("9.1")


def test_resolve_and_known_defect(catalog: Catalog) -> None:
    assert catalog.resolve("8.08.06") is catalog.entry("5.24.08")
    assert catalog.resolve("5.04.02") is catalog.entry("5.10.02")
    assert catalog.resolve("8.15.02") is catalog.entry("8.15.02")
    # 5.26.01 says "moved to 5.25.02", which does not exist in BIO2 v1.3.
    defect = catalog.entry("5.26.01")
    assert (defect.status, defect.target) == (Status.MOVED, "5.25.02")
    assert catalog.resolve("5.26.01") is None
    assert catalog.known_defects == KNOWN_DEFECTS


def test_id_helpers() -> None:
    assert id_sort_key("8.15.02") == (8, 15, 2)
    assert sorted(["5.10", "5.9", "5.1"], key=id_sort_key) == ["5.1", "5.9", "5.10"]
    assert sorted(["5.10.01", "5.09.02", "5.1"], key=id_sort_key) == ["5.1", "5.09.02", "5.10.01"]
    with pytest.raises(ValueError, match="numeric"):
        id_sort_key("8.x.02")
    assert control_id_of("5.01.01") == "5.1"
    assert control_id_of("8.15.02") == "8.15"
    with pytest.raises(ValueError):
        control_id_of("5.1.1")
    assert normalise_control_id("5.01") == "5.1"
    with pytest.raises(ValueError):
        normalise_control_id("9.1")


# -- validation -------------------------------------------------------------------------------


def test_from_dicts_accepts_packaged_data(raw: Raw) -> None:
    built = _build(raw)
    assert len(built.entries) == 166 and len(built.measures) == 117


def _duplicate_control(raw: Raw) -> None:
    raw["controls"].append(dict(_control(raw, "5.1")))


def _duplicate_entry(raw: Raw) -> None:
    raw["entries"].append(dict(_entry(raw, "8.15.02")))


def _entry_of_unknown_control(raw: Raw) -> None:
    raw["entries"].append({**_entry(raw, "8.34.01"), "id": "8.35.01", "control": "8.35"})


def _control_mismatch(raw: Raw) -> None:
    _entry(raw, "5.01.01")["control"] = "5.2"


def _padded_control_in_entry(raw: Raw) -> None:
    _entry(raw, "5.01.01")["control"] = "5.01"


def _bad_entry_id(raw: Raw) -> None:
    _entry(raw, "5.01.01")["id"] = "5.1.1"


def _bad_status(raw: Raw) -> None:
    _entry(raw, "5.01.01")["status"] = "retired"


def _bad_nature(raw: Raw) -> None:
    _entry(raw, "8.15.02")["nature"] = "magical"


def _bad_responsibility(raw: Raw) -> None:
    _entry(raw, "8.15.02")["responsibility"] = "nobody"


def _missing_summary(raw: Raw) -> None:
    _entry(raw, "8.15.02")["summary"] = None


def _blank_summary_nl(raw: Raw) -> None:
    _entry(raw, "8.15.02")["summary_nl"] = "   "


def _multiline_summary(raw: Raw) -> None:
    _entry(raw, "8.15.02")["summary"] = "first line\nsecond line"


def _summary_on_placeholder(raw: Raw) -> None:
    _entry(raw, "5.03.01")["summary"] = "Something"


def _nature_on_withdrawn(raw: Raw) -> None:
    _entry(raw, "5.21.01")["nature"] = "technical"


def _dangling_moved_target(raw: Raw) -> None:
    _entry(raw, "5.04.02")["target"] = "5.10.09"


def _dangling_reference_target(raw: Raw) -> None:
    _entry(raw, "8.08.06")["target"] = "5.24.09"


def _known_defect_with_other_target(raw: Raw) -> None:
    _entry(raw, "5.26.01")["target"] = "5.25.03"


def _moved_without_target(raw: Raw) -> None:
    _entry(raw, "5.04.02")["target"] = None


def _target_on_measure(raw: Raw) -> None:
    _entry(raw, "5.01.01")["target"] = "5.01.02"


def _self_target(raw: Raw) -> None:
    _entry(raw, "5.04.02")["target"] = "5.04.02"


def _missing_control(raw: Raw) -> None:
    raw["controls"] = [c for c in raw["controls"] if c["id"] != "8.34"]
    raw["entries"] = [e for e in raw["entries"] if e["control"] != "8.34"]


def _extra_control(raw: Raw) -> None:
    raw["controls"].append({"id": "8.35", "theme": "technological", "title": "Extra", "title_nl": "Extra"})


def _padded_control_id(raw: Raw) -> None:
    _control(raw, "5.1")["id"] = "5.01"


def _wrong_theme(raw: Raw) -> None:
    _control(raw, "6.1")["theme"] = "technological"


def _control_without_entries(raw: Raw) -> None:
    raw["entries"] = [e for e in raw["entries"] if e["control"] != "5.3"]


def _missing_field(raw: Raw) -> None:
    del _entry(raw, "8.15.02")["responsibility"]


def _unexpected_field(raw: Raw) -> None:
    _entry(raw, "8.15.02")["owner"] = "me"


def _missing_metadata(raw: Raw) -> None:
    del raw["metadata"]["version"]


VALIDATION_CASES: list[tuple[Callable[[Raw], None], str]] = [
    (_duplicate_control, "duplicate control id 5.1"),
    (_duplicate_entry, "duplicate entry id 8.15.02"),
    (_entry_of_unknown_control, "control '8.35' does not exist"),
    (_control_mismatch, "control '5.2' does not match its id (expected '5.1')"),
    (_padded_control_in_entry, "control '5.01' does not match its id"),
    (_bad_entry_id, "bad entry id '5.1.1'"),
    (_bad_status, "bad status 'retired'"),
    (_bad_nature, "bad nature 'magical'"),
    (_bad_responsibility, "bad responsibility 'nobody'"),
    (_missing_summary, "field 'summary' must be a non-empty string"),
    (_blank_summary_nl, "field 'summary_nl' must be a non-empty string"),
    (_multiline_summary, "must be one line"),
    (_summary_on_placeholder, "must have null summary"),
    (_nature_on_withdrawn, "must have null nature"),
    (_dangling_moved_target, "moved target 5.10.09 does not exist"),
    (_dangling_reference_target, "reference target 5.24.09 does not exist"),
    (_known_defect_with_other_target, "entry 5.26.01: moved target 5.25.03 does not exist"),
    (_moved_without_target, "needs a target"),
    (_target_on_measure, "must not have a target"),
    (_self_target, "target points at itself"),
    (_missing_control, "expected the 93 ISO/IEC 27002:2022 controls, found 92 valid controls (missing 8.34)"),
    (_extra_control, "not in ISO/IEC 27002:2022: 8.35"),
    (_padded_control_id, "bad control id '5.01'"),
    (_wrong_theme, "theme 'technological' does not match its id (expected 'people')"),
    (_control_without_entries, "control(s) without any BIO2 entry: 5.3"),
    (_missing_field, "missing field(s) responsibility"),
    (_unexpected_field, "unexpected field(s) owner"),
    (_missing_metadata, "catalog metadata: missing field(s) version"),
]


@pytest.mark.parametrize(
    ("mutate", "message"), VALIDATION_CASES, ids=[fn.__name__.lstrip("_") for fn, _ in VALIDATION_CASES]
)
def test_validation_errors(raw: Raw, mutate: Callable[[Raw], None], message: str) -> None:
    mutate(raw)
    with pytest.raises(CatalogError) as info:
        _build(raw)
    assert any(message in p for p in info.value.problems), info.value.problems
    assert message in str(info.value)


def test_validation_reports_every_problem(raw: Raw) -> None:
    _bad_nature(raw)
    _duplicate_entry(raw)
    _dangling_moved_target(raw)
    with pytest.raises(CatalogError) as info:
        _build(raw)
    assert len(info.value.problems) == 3
    assert str(info.value).startswith("invalid BIO2 catalog (3 problems):")


def test_catalog_error_is_a_value_error() -> None:
    assert issubclass(CatalogError, ValueError)


# -- importer ---------------------------------------------------------------------------------

# Trailing spaces are written as \x20 so that linters and editors keep them.
FIXTURE_MARKDOWN = """\
!!! warning "Disclaimer"
    Preamble text that is not part of any measure.

# DEEL 2 TEST
Introductory text.<br><br>

## 5.01.01
First line of a real measure.<br><br>
Second paragraph\x20\x20\x20
- a list item

## 5.03.01
Geen overheidsmaatregel, zie inleiding deel 2 BIO-overheidsmaatregelen.\x20

## 5.04.02\x20\x20
Verplaatst naar 5.10.02.

## 5.21.01
Vervallen.

## 5.24.08
A measure that others point at; see also overheidsmaatregel 5.21.01 within longer text.

## 8.08.06
Zie overheidsmaatregel 5.24.08.
"""


def test_importer_statuses_and_targets() -> None:
    entries = parse_official_text(FIXTURE_MARKDOWN, source="fixture.md")
    assert list(entries) == ["5.01.01", "5.03.01", "5.04.02", "5.21.01", "5.24.08", "8.08.06"]
    got = {k: (e.status, e.target) for k, e in entries.items()}
    assert got == {
        "5.01.01": (Status.MEASURE, None),
        "5.03.01": (Status.NO_GOVERNMENT_MEASURE, None),
        "5.04.02": (Status.MOVED, "5.10.02"),
        "5.21.01": (Status.WITHDRAWN, None),
        "5.24.08": (Status.MEASURE, None),
        "8.08.06": (Status.REFERENCE, "5.24.08"),
    }
    first = entries["5.01.01"]
    assert first.text == "First line of a real measure.\n\nSecond paragraph\n- a list item"
    assert first.line == 7
    assert first.control == "5.1"
    assert entries["8.08.06"].control == "8.8"


def test_importer_handles_crlf_and_whitespace(tmp_path: Path) -> None:
    path = tmp_path / "crlf.md"
    path.write_bytes(FIXTURE_MARKDOWN.replace("\n", "\r\n").encode("utf-8"))
    crlf = parse_official_markdown(path)
    lf = parse_official_text(FIXTURE_MARKDOWN)
    assert {k: (e.status, e.target, e.text, e.line) for k, e in crlf.items()} == {
        k: (e.status, e.target, e.text, e.line) for k, e in lf.items()
    }
    messy = "##   5.04.02   \n\n   Verplaatst   naar 5.10.02 .<BR/>\n\n\n## 6.01.01\nText<br />more\n"
    entries = parse_official_text(messy)
    assert (entries["5.04.02"].status, entries["5.04.02"].target) == (Status.MOVED, "5.10.02")
    assert entries["6.01.01"].text == "Text\nmore"


def test_importer_ignores_other_headings() -> None:
    text = "## 5.01.01\nBody.\n### Sub heading\nnot body\n## Inleiding\nignored\n## 5.01.02\nMore.\n"
    entries = parse_official_text(text)
    assert list(entries) == ["5.01.01", "5.01.02"]
    assert entries["5.01.01"].text == "Body."


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("intro\n## 5.01.01\nok\n## 5.1.1\nbody\n", 4, "malformed measure heading '## 5.1.1'"),
        ("## 5.01\nbody\n", 1, "malformed measure heading '## 5.01'"),
        ("## 5.01.01 Beleid\nbody\n", 1, "malformed measure heading"),
        ("## 5.01.01\nok\n##5.01.02\nbody\n", 3, "malformed measure heading '##5.01.02'"),
        ("## 5.01.01\nok\n\n## 5.01.01\nagain\n", 4, "duplicate measure heading 5.01.01 (first at line 1)"),
        ("## 5.01.01\n\n<br>\n## 5.01.02\nok\n", 1, "measure heading 5.01.01 has no text"),
        ("## 5.04.02\nVerplaatst naar elders.\n", 1, "cannot read the target of moved entry 5.04.02"),
    ],
)
def test_importer_errors_name_the_line(text: str, line: int, fragment: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_official_text(text, source="bad.md")
    assert f"bad.md:{line}:" in str(info.value)
    assert fragment in str(info.value)


def test_find_official_markdown(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(OFFICIAL_MARKDOWN_ENV, raising=False)
    assert find_official_markdown() is None
    monkeypatch.setenv(OFFICIAL_MARKDOWN_ENV, "")
    assert find_official_markdown() is None
    path = tmp_path / "maatregelen.md"
    path.write_text(FIXTURE_MARKDOWN, encoding="utf-8")
    monkeypatch.setenv(OFFICIAL_MARKDOWN_ENV, str(path))
    assert find_official_markdown() == path
    monkeypatch.setenv(OFFICIAL_MARKDOWN_ENV, str(tmp_path / "missing.md"))
    with pytest.raises(FileNotFoundError, match=OFFICIAL_MARKDOWN_ENV):
        find_official_markdown()


# -- against the official text ----------------------------------------------------------------


def test_official_file_facts(official: dict[str, OfficialEntry]) -> None:
    assert len(official) == 166
    assert Counter(e.status for e in official.values()) == {
        Status.MEASURE: 117,
        Status.NO_GOVERNMENT_MEASURE: 39,
        Status.MOVED: 5,
        Status.WITHDRAWN: 4,
        Status.REFERENCE: 1,
    }
    assert official["8.08.06"].target == "5.24.08"
    assert official["5.26.01"].target == "5.25.02"
    assert "5.25.02" not in official


def test_catalog_equals_official(catalog: Catalog, official: dict[str, OfficialEntry]) -> None:
    ours = {e.id: (e.status, e.target) for e in catalog.entries}
    theirs = {e.id: (e.status, e.target) for e in official.values()}
    assert ours.keys() == theirs.keys()
    assert ours == theirs
    assert {catalog.control_of(i) for i in official} == {c.id for c in catalog.controls}


def test_summaries_do_not_copy_official_text(catalog: Catalog, official: dict[str, OfficialEntry]) -> None:
    runs = official_runs(official.values())
    copied = []
    for entry in catalog.measures:
        for text in (entry.summary_nl, entry.summary):
            shared = word_runs(text or "") & runs
            copied += [f"{entry.id}: {' '.join(run)}" for run in shared]
    for control in catalog.controls:
        shared = word_runs(control.title_nl) & runs
        copied += [f"control {control.id}: {' '.join(run)}" for run in shared]
    assert not copied, f"runs of {MAX_SHARED_RUN}+ words copied from the official text: {copied}"
