"""The rule mapping table (bio2_aspects/mappings/data/rules.json) and the control-level pairs.

Every rule x measure pair says which facet of the measure it evidences, how strongly (``full`` or
``supporting``) and why, in our own words in English and Dutch. These tests keep the table
complete, consistent with the catalog and the facets, authoritative for ``Rule.measures``, and free
of the unsound pairs the re-mapping removed.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from bio2_aspects.catalog import (
    OFFICIAL_MARKDOWN_ENV,
    find_official_markdown,
    load_catalog,
    parse_official_markdown,
)
from bio2_aspects.catalog.facets import facets_of
from bio2_aspects.mappings import (
    STRENGTHS,
    control_table,
    full_facets,
    full_sources,
    pending_conflicts,
    rule_mappings,
    rule_table,
    sources_of,
)
from bio2_aspects.rules import ALL_RULES, CONTROL_ONLY_RULES, get_rule
from bio2_aspects.rules.base import Result, Rule
from tests.copycheck import MAX_SHARED_RUN, official_runs, word_runs

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OFFICIAL_MARKDOWN = REPO_ROOT / ".." / "shared" / "data" / "bio2" / "maatregelen-v1.3.md"
EVERY_RULE = ALL_RULES + CONTROL_ONLY_RULES

#: Measures with at least one ``full`` rule pair. A change here is a deliberate re-mapping: review it
#: against the official measure text and update docs/mappings.md.
MEASURES_WITH_FULL_RULE_EVIDENCE = {
    "5.09.01",
    "8.13.01",
    "8.15.01",
    "8.15.06",
    "8.16.04",
    "8.18.02",
    "8.21.04",
    "8.24.02",
    "8.24.04",
}
#: Measures that rules evidence only in part (``supporting``): never implemented on rules alone.
MEASURES_WITH_ONLY_SUPPORTING_RULE_EVIDENCE = {
    "5.17.03",  # Secrets Manager rotation: the system enforces one password requirement, not all
    "8.19.01",  # a read-only root filesystem limits installing software in a container, no more
    "8.27.01",  # secure defaults are one application of security-by-design principles
    "8.07.01",  # egress allowlist and DNS Firewall: they limit downloads, they do not scan them
    "8.15.02",  # a data protection policy masks what it knows of; it is not every log record
    "5.12.01",
    "5.14.01",
    "5.15.01",
    "5.16.01",
    "5.17.01",
    "5.18.01",
    "5.28.01",
    "5.33.01",
    "8.03.02",
    "8.08.01",
    "8.13.03",
    "8.15.04",
    "8.15.05",
    "8.18.01",
    "8.20.02",
    "8.21.01",
    "8.21.02",
    "8.22.01",
}


@pytest.fixture(scope="module")
def raw() -> dict:
    path = resources.files("bio2_aspects.mappings").joinpath("data", "rules.json")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def raw_controls() -> dict:
    path = resources.files("bio2_aspects.mappings").joinpath("data", "controls.json")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


# -- completeness ------------------------------------------------------------------------------


def test_table_covers_exactly_the_rules(raw: dict) -> None:
    assert set(rule_table()) == {r.id for r in EVERY_RULE}, "every rule has rows, no rows for unknown rules"
    assert set(raw) <= set(rule_table())
    assert list(raw) == sorted(raw), "keep the table sorted by rule ID"
    assert pending_conflicts() == (), "rules with rows in both data/rules.json and pending/: fold them"


@pytest.mark.parametrize("rule", ALL_RULES, ids=[r.id for r in ALL_RULES])
def test_every_rule_has_rows(rule: Rule) -> None:
    assert rule_table()[rule.id], f"{rule.id} has no mapping rows"


def test_control_only_rules_have_control_pairs_and_no_measure(raw: dict) -> None:
    assert [r.id for r in CONTROL_ONLY_RULES] == ["BIO2-RDS-MultiAz"]
    for rule in CONTROL_ONLY_RULES:
        assert raw[rule.id] == []
        assert rule.measures == ()
        assert rule.controls, f"{rule.id} evidences no measure and no control"
        assert get_rule(rule.id) is rule


# -- every row well formed ---------------------------------------------------------------------


def _rows(raw: dict):
    for rule_id, rows in raw.items():
        for row in rows:
            yield rule_id, row


def test_rows_name_real_measures_and_their_facets(raw: dict, catalog) -> None:
    measures = {e.id for e in catalog.measures}
    problems = []
    for rule_id, row in _rows(raw):
        assert set(row) == {"measure", "strength", "facet", "rationale"}, f"{rule_id}: keys {sorted(row)}"
        if row["measure"] not in measures:
            problems.append(f"{rule_id}: {row['measure']} is not a BIO2 measure")
            continue
        facet_ids = {f.id for f in facets_of(row["measure"])}
        if row["facet"] is not None and row["facet"] not in facet_ids:
            problems.append(f"{rule_id}: facet {row['facet']} is not a facet of {row['measure']}")
    assert not problems, problems


def test_rows_have_strength_facet_and_rationale_in_both_languages(raw: dict) -> None:
    for rule_id, row in _rows(raw):
        assert row["strength"] in STRENGTHS, f"{rule_id}: {row['strength']}"
        assert row["facet"], f"{rule_id} -> {row['measure']}: name the facet the pair evidences"
        en, nl = row["rationale"]["en"], row["rationale"]["nl"]
        for lang, text in (("en", en), ("nl", nl)):
            assert len(text.strip()) >= 30, f"{rule_id} -> {row['measure']}: {lang} rationale too short"
            assert "\n" not in text
        assert en != nl, f"{rule_id} -> {row['measure']}: rationale not translated"


def test_one_row_per_rule_and_measure(raw: dict) -> None:
    for rule_id, rows in raw.items():
        measures = [r["measure"] for r in rows]
        assert len(measures) == len(set(measures)), f"{rule_id}: duplicate measure rows"


def test_full_pairs_name_a_technical_facet(raw: dict) -> None:
    """A rule checks a template: it can fully evidence a technical facet, never an organisational one."""
    for rule_id, row in _rows(raw):
        if row["strength"] == "full":
            kinds = {f.id: f.kind for f in facets_of(row["measure"])}
            assert kinds[row["facet"]] == "technical", f"{rule_id}: full pair on {row['facet']}"


# -- the table is authoritative ----------------------------------------------------------------


@pytest.mark.parametrize("rule", EVERY_RULE, ids=[r.id for r in EVERY_RULE])
def test_rule_measures_and_mappings_come_from_the_table(rule: Rule, raw: dict) -> None:
    rows = raw[rule.id]
    assert rule.measures == tuple(sorted({r["measure"] for r in rows}))
    assert [m.to_json() for m in rule.mappings] == rows
    for row in rows:
        mapping = rule.mapping(row["measure"])
        assert mapping is not None and mapping.strength == row["strength"]


def test_a_rule_missing_from_the_table_falls_back_to_supporting() -> None:
    rule = Rule(
        id="BIO2-Test-NotInTable",
        resource_types=("AWS::Test::Thing",),
        measures=("8.15.01",),
        finding="f",
        fix="x",
        check=lambda res: Result.COMPLIANT,
    )
    assert rule.measures == ("8.15.01",)
    assert [(m.measure, m.strength, m.facet) for m in rule.mappings] == [("8.15.01", "supporting", None)]
    assert rule_mappings("BIO2-Test-NotInTable") == ()


def test_the_table_overrides_the_measures_a_rule_is_given() -> None:
    rule = Rule(
        id="BIO2-S3-KmsEncryption",
        resource_types=("AWS::S3::Bucket",),
        measures=("8.24.04",),
        finding="f",
        fix="x",
        check=lambda res: Result.COMPLIANT,
    )
    assert rule.measures == ("8.24.02",)


def test_a_rule_with_neither_measures_nor_controls_is_refused() -> None:
    with pytest.raises(ValueError, match="evidences no measures and no controls"):
        Rule(
            id="BIO2-Test-Nothing",
            resource_types=("AWS::Test::Thing",),
            measures=(),
            finding="f",
            fix="x",
            check=lambda res: Result.COMPLIANT,
        )


# -- full versus supporting per measure (input for the status logic) ---------------------------


def test_which_measures_have_full_rule_evidence(catalog) -> None:
    """Per measure: does any rule evidence it fully? The status logic must not mark a measure
    implemented on supporting pairs alone; this list is what it gets from the rules."""
    with_full, only_supporting = set(), set()
    for entry in catalog.measures:
        rows = sources_of(entry.id)
        if not rows:
            continue
        if full_sources(entry.id):
            with_full.add(entry.id)
            assert full_facets(entry.id), f"{entry.id}: full pairs without a facet"
        else:
            only_supporting.add(entry.id)
            assert all(r.strength == "supporting" for r in rows)
    assert with_full == MEASURES_WITH_FULL_RULE_EVIDENCE
    assert only_supporting == MEASURES_WITH_ONLY_SUPPORTING_RULE_EVIDENCE


def test_full_sources_lists_rules_sorted() -> None:
    assert full_sources("8.21.04") == (
        "BIO2-CloudFront-HttpsOnly",
        "BIO2-CloudFront-OriginTls",
        "BIO2-ELB-EncryptedListener",
        "BIO2-S3-TlsOnly",
        "BIO2-SNS-TlsOnly",
        "BIO2-SQS-TlsOnly",
    )
    assert full_sources("8.02.01") == ()
    assert full_facets("8.13.01") == {"8.13.01.t2": ("BIO2-Backup-VaultLock",)}


# -- the unsound pairs stay removed ------------------------------------------------------------


def _pairs() -> set[tuple[str, str]]:
    return {(m.source, m.measure) for r in EVERY_RULE for m in r.mappings}


@pytest.mark.parametrize(
    ("rule_id", "measure"),
    [
        # key ownership and rotation are not cryptographic strength per NCSC advice
        *[
            (r, "8.24.04")
            for r in (
                "BIO2-Backup-VaultKms",
                "BIO2-CloudTrail-KmsEncryption",
                "BIO2-DynamoDB-KmsEncryption",
                "BIO2-KMS-KeyRotation",
                "BIO2-Lambda-EnvironmentKms",
                "BIO2-Logs-KmsEncryption",
                "BIO2-S3-KmsEncryption",
                "BIO2-S3-TlsOnly",
            )
        ],
        ("BIO2-RDS-MultiAz", "8.13.03"),  # a standby is not a backup at another location
        ("BIO2-NetworkFirewall-StrictOrder", "8.21.01"),  # rule order is not DDoS protection
        ("BIO2-NetworkFirewall-DefaultDrop", "8.21.01"),
        ("BIO2-NetworkFirewall-ChangeProtection", "8.21.01"),
        ("BIO2-IAM-NoAdminManagedPolicy", "8.02.01"),  # not a quarterly review
        ("BIO2-Backup-PlanHasRules", "8.13.02"),  # a schedule does not set RPO/RTO by risk
        ("BIO2-RDS-BackupRetention", "8.13.02"),
        ("BIO2-DynamoDB-PointInTimeRecovery", "8.13.02"),
        ("BIO2-S3-PublicAccessBlock", "8.03.01"),  # not isolation of special information
        ("BIO2-CloudTrail-MultiRegion", "8.15.01"),  # coverage, not log record content
    ],
)
def test_removed_pair_stays_removed(rule_id: str, measure: str) -> None:
    assert (rule_id, measure) not in _pairs()


@pytest.mark.parametrize(
    ("measure", "why"),
    [
        ("5.33.01", "DeletionPolicy/DeletionProtection/retention settings are not a retention term"),
        ("8.08.01", "a static runtime deny-list is not one-week vulnerability mitigation"),
        ("5.18.01", "recording is not monitoring"),
        ("8.21.01", "a web ACL whose rules are not checked is not DDoS mitigation"),
        ("5.15.01", "one closed entry point is not a trusted zone"),
    ],
)
def test_known_partial_claims_are_only_supporting(measure: str, why: str) -> None:
    assert sources_of(measure), measure
    assert full_sources(measure) == (), why


# -- our own words ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def official() -> set[tuple[str, ...]]:
    try:
        path = find_official_markdown() or DEFAULT_OFFICIAL_MARKDOWN.resolve()
    except FileNotFoundError as exc:
        pytest.skip(f"official BIO2 markdown not available: {exc}")
    if not path.is_file():
        pytest.skip(f"official BIO2 markdown not available: set {OFFICIAL_MARKDOWN_ENV} or provide {path}")
    return official_runs(parse_official_markdown(path).values())


def test_rationales_do_not_copy_official_text(raw: dict, raw_controls: dict, official: set) -> None:
    copied = []
    for rule_id, row in [*_rows(raw), *_rows(raw_controls)]:
        for text in row["rationale"].values():
            shared = word_runs(text) & official
            copied += [f"{rule_id}: {' '.join(run)}" for run in shared]
    assert not copied, f"runs of {MAX_SHARED_RUN}+ words copied from the official text: {copied}"


# -- ISO-control-level pairs (controls without BIO2 measures) ----------------------------------


def test_control_pairs_name_rules_and_measureless_controls(raw_controls: dict, catalog) -> None:
    known = {r.id for r in EVERY_RULE}
    for rule_id, rows in raw_controls.items():
        assert rule_id in known, f"controls.json names unknown rule {rule_id}"
        assert rows
        for row in rows:
            assert set(row) == {"control", "strength", "rationale"}
            assert catalog.is_control_id(row["control"])
            assert not catalog.measures_of(row["control"]), (
                f"{rule_id}: control {row['control']} has BIO2 measures; map the rule to those instead"
            )
            assert row["strength"] in STRENGTHS
            assert row["rationale"]["en"].strip() and row["rationale"]["nl"].strip()
            assert row["rationale"]["en"] != row["rationale"]["nl"]


def test_control_pairs_reach_the_rule(raw_controls: dict) -> None:
    for rule_id, rows in raw_controls.items():
        assert [c.to_json() for c in get_rule(rule_id).controls] == rows
    assert set(control_table()) == set(raw_controls)
    assert {row["control"] for rows in raw_controls.values() for row in rows} <= {
        "8.9",
        "8.14",
        "8.23",
        "5.7",
        "5.13",
    }


def test_pending_rows_count_until_folded_and_never_override_the_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import bio2_aspects.mappings as mappings

    row = {
        "measure": "8.15.01",
        "strength": "supporting",
        "facet": "8.15.01.t1",
        "rationale": {"en": "pending english rationale", "nl": "pending nederlandse onderbouwing"},
    }
    monkeypatch.setattr(
        mappings, "_pending_rows", lambda: {"BIO2-New-Rule": [row], "BIO2-S3-Versioning": [row]}
    )
    mappings.rule_table.cache_clear()
    try:
        assert [m.measure for m in mappings.rule_mappings("BIO2-New-Rule", ("9.99.99",))] == ["8.15.01"]
        assert [m.measure for m in mappings.rule_mappings("BIO2-S3-Versioning")] == ["8.13.01"]
        assert mappings.pending_conflicts() == ("BIO2-S3-Versioning",)
    finally:
        monkeypatch.undo()
        mappings.rule_table.cache_clear()
