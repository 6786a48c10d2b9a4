"""Tests for the measure facets (bio2_aspects.catalog.facets, data/facets.json)."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest

from bio2_aspects.catalog import (
    OFFICIAL_MARKDOWN_ENV,
    OfficialEntry,
    find_official_markdown,
    load_catalog,
    parse_official_markdown,
)
from bio2_aspects.catalog.facets import FACET_KINDS, facet_table, facets_of
from tests.copycheck import MAX_SHARED_RUN, official_runs, word_runs

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OFFICIAL_MARKDOWN = REPO_ROOT / ".." / "shared" / "data" / "bio2" / "maatregelen-v1.3.md"
#: A facet summary may not share a run of this many consecutive words with the official text.
FACET_ID = re.compile(r"^(?P<measure>\d\.\d{2}\.\d{2})\.(?P<kind>[to])(?P<n>[1-9]\d*)$")


@pytest.fixture(scope="module")
def raw() -> dict:
    path = resources.files("bio2_aspects.catalog").joinpath("data", "facets.json")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def measure_ids() -> set[str]:
    return {e.id for e in load_catalog().measures}


def test_every_measure_has_facets_and_nothing_else(raw: dict, measure_ids: set[str]) -> None:
    assert len(measure_ids) == 117
    assert set(raw) == measure_ids
    assert all(raw[m] for m in measure_ids)
    assert set(facet_table()) == measure_ids


def test_facet_ids_are_unique_well_formed_and_numbered_per_kind(raw: dict) -> None:
    seen: set[str] = set()
    for measure, items in raw.items():
        per_kind: dict[str, list[int]] = {"t": [], "o": []}
        for item in items:
            match = FACET_ID.match(item["id"])
            assert match, f"{measure}: bad facet id {item['id']!r}"
            assert match["measure"] == measure, f"{item['id']} listed under {measure}"
            assert item["id"] not in seen, f"duplicate facet id {item['id']}"
            seen.add(item["id"])
            assert item["kind"] in FACET_KINDS
            assert match["kind"] == item["kind"][0], f"{item['id']}: id letter does not match its kind"
            per_kind[match["kind"]].append(int(match["n"]))
        for numbers in per_kind.values():
            assert numbers == list(range(1, len(numbers) + 1)), f"{measure}: facets not numbered 1..n"


def test_every_facet_has_both_languages(raw: dict) -> None:
    for items in raw.values():
        for item in items:
            assert set(item) == {"id", "kind", "summary"}
            for lang in ("en", "nl"):
                text = item["summary"][lang]
                assert text.strip() and "\n" not in text, f"{item['id']}: empty or multi-line {lang}"
            assert item["summary"]["en"] != item["summary"]["nl"], f"{item['id']}: untranslated"


def test_accessor_returns_the_data_and_falls_back_on_nature() -> None:
    facets = facets_of("8.13.01")
    assert [f.id for f in facets] == ["8.13.01.o1", "8.13.01.t1", "8.13.01.t2", "8.13.01.t3"]
    assert all(f.measure == "8.13.01" and f.summary_en and f.summary_nl for f in facets)
    assert [f.id for f in facets_of("9.99.99", "technical")] == ["9.99.99.t1"]


def test_technical_measures_have_a_technical_facet(raw: dict) -> None:
    """A measure the catalog calls technical asks something of systems: at least one facet says what."""
    technical = {e.id for e in load_catalog().measures if e.nature.value == "technical"}
    lacking = sorted(m for m in technical if not any(i["kind"] == "technical" for i in raw[m]))
    assert not lacking, f"technical measures without a technical facet: {lacking}"


@pytest.fixture(scope="module")
def official() -> dict[str, OfficialEntry]:
    try:
        path = find_official_markdown() or DEFAULT_OFFICIAL_MARKDOWN.resolve()
    except FileNotFoundError as exc:
        pytest.skip(f"official BIO2 markdown not available: {exc}")
    if not path.is_file():
        pytest.skip(f"official BIO2 markdown not available: set {OFFICIAL_MARKDOWN_ENV} or provide {path}")
    return parse_official_markdown(path)


def test_facet_summaries_do_not_copy_official_text(raw: dict, official: dict[str, OfficialEntry]) -> None:
    runs = official_runs(official.values())
    copied = []
    for items in raw.values():
        for item in items:
            for text in item["summary"].values():
                shared = word_runs(text) & runs
                copied += [f"{item['id']}: {' '.join(run)}" for run in shared]
    assert not copied, f"runs of {MAX_SHARED_RUN}+ words copied from the official text: {copied}"
