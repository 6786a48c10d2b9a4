"""The run-time mapping table (``bio2_aspects/mappings/data/runtime.json``).

Same form as ``rules.json``: every row names a real measure and one of its facets, a strength and
a rationale in both languages, in our own words. The organization conformance pack deploys
exactly the table's Config rules, with the same identifiers and measures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bio2_aspects.catalog import find_official_markdown, load_catalog
from bio2_aspects.catalog.facets import facets_of
from bio2_aspects.collect import table
from bio2_aspects.mappings import STRENGTHS
from tests.copycheck import word_runs

#: the official text: BIO2_OFFICIAL_MARKDOWN, else the shared copy next to the repository (or
#: next to the worktrees' folder)
_SHARED = Path("shared") / "data" / "bio2" / "maatregelen-v1.3.md"
_HERE = Path(__file__).resolve()
OFFICIAL = next(
    (p / _SHARED for p in (_HERE.parents[3], _HERE.parents[4]) if (p / _SHARED).is_file()), _SHARED
)


def _rows() -> list[tuple[str, dict]]:
    raw = table.raw_table()
    out = []
    for section, prefix in (
        ("config_rules", table.CONFIG_PREFIX),
        ("securityhub_controls", table.SECURITYHUB_PREFIX),
        ("findings", table.FINDINGS_PREFIX),
        ("prowler_checks", table.PROWLER_PREFIX),
    ):
        for key, entry in raw[section].items():
            # a conformance-pack rule may be deployed as a hygiene monitor that evidences no measure
            # (its pairs were removed on review, see docs/mappings.md); every other monitor maps
            assert entry["mappings"] or section == "config_rules", f"{prefix}{key} has no rows"
            out += [(prefix + key, row) for row in entry["mappings"]]
    return out


ROWS = _rows()


@pytest.mark.parametrize(("monitor", "row"), ROWS, ids=[f"{m}-{r['measure']}" for m, r in ROWS])
def test_rows_name_real_measures_facets_and_both_languages(monitor: str, row: dict) -> None:
    catalog = load_catalog()
    assert set(row) == {"measure", "strength", "facet", "rationale"}
    assert catalog.is_measure_id(row["measure"]), monitor
    entry = catalog.entry(row["measure"])
    facets = {f.id: f for f in facets_of(row["measure"], str(entry.nature))}
    assert row["facet"] in facets, f"{monitor}: {row['facet']} is not a facet of {row['measure']}"
    assert row["strength"] in STRENGTHS
    if row["strength"] == "full":
        assert facets[row["facet"]].is_technical
    # a monitor watches the technical part: it never stands in for a process
    assert facets[row["facet"]].is_technical, f"{monitor}: monitors map to technical facets only"
    assert row["rationale"]["en"].strip() and row["rationale"]["nl"].strip()
    assert row["rationale"]["en"] != row["rationale"]["nl"]
    assert table.mappings_of(monitor)


def test_one_row_per_monitor_and_measure() -> None:
    pairs = [(m, r["measure"]) for m, r in ROWS]
    assert len(pairs) == len(set(pairs))


def test_rationales_do_not_copy_official_text() -> None:
    try:
        path = find_official_markdown() or OFFICIAL
    except FileNotFoundError:
        path = OFFICIAL
    if not path.is_file():
        pytest.skip("official BIO2 markdown not available")
    runs = word_runs(path.read_text(encoding="utf-8"))  # the whole file, across entries
    copied = [
        monitor for monitor, row in ROWS for text in row["rationale"].values() if word_runs(text) & runs
    ]
    assert not copied


def test_the_conformance_pack_deploys_exactly_the_tables_rules() -> None:
    from landing_zone.security.conformance import MANAGED_RULES

    pack = {r.name: (r.identifier, tuple(sorted(r.measures))) for r in MANAGED_RULES}
    tab = {
        name: (table.config_rule_identifier(name), table.measures_of(table.CONFIG_PREFIX + name))
        for name in table.config_rule_names()
    }
    assert pack == tab


@pytest.mark.parametrize(
    ("reported", "expected"),
    [
        ("s3-bucket-versioning-enabled", "s3-bucket-versioning-enabled"),
        ("s3-bucket-versioning-enabled-conformance-pack-ab12cd34", "s3-bucket-versioning-enabled"),
        ("OrgConfigRule-s3-bucket-versioning-enabled-ab12cd34", "s3-bucket-versioning-enabled"),
        ("s3-bucket-versioning-enabled-extra", None),
        ("someone-elses-rule-conformance-pack-ab12cd34", None),
    ],
)
def test_rule_names_as_aws_reports_them(reported: str, expected: str | None) -> None:
    assert table.pack_rule_name(reported) == expected


def test_unknown_monitor_maps_to_nothing() -> None:
    assert table.mappings_of("securityhub:Nope.1") == ()
    assert table.mappings_of("other:thing") == ()


def test_prowler_checks_are_not_config_rules_of_the_pack() -> None:
    """Prowler input is for what the conformance pack does not deploy: no check duplicates a rule's
    managed identifier (Prowler names checks in snake case)."""
    identifiers = {table.config_rule_identifier(n).lower() for n in table.config_rule_names()}
    assert not set(table.prowler_checks()) & identifiers
