"""The landing zone's claim details as data: English and Dutch templates in parity."""

from __future__ import annotations

import fnmatch
import json

from bio2_aspects.messages import placeholders
from landing_zone.claims import DETAILS_FILE, claim_detail, claim_table


def _data() -> dict:
    return json.loads(DETAILS_FILE.read_text(encoding="utf-8"))


def test_templates_have_the_same_placeholders_in_both_languages() -> None:
    for name, entry in _data()["templates"].items():
        assert placeholders(entry["en"]) == placeholders(entry["nl"]), name
        assert entry["en"] != entry["nl"] or entry["en"] == "Amazon GuardDuty: {what}.", name


def test_every_template_names_claims_of_the_table() -> None:
    ids = set(claim_table().specs)
    for name, entry in _data()["templates"].items():
        for pattern in entry["claims"]:
            assert any(fnmatch.fnmatchcase(i, pattern) for i in ids), (name, pattern)


def test_phrases_are_translated() -> None:
    for en, nl in _data()["phrases"].items():
        if en == "s":  # the English plural ending; the Dutch sentence says "gebruiker(s)"
            continue
        assert nl.strip() and (nl != en or len(en) < 14), en


def test_a_detail_the_templates_do_not_know_is_kept_as_written() -> None:
    text = "A new guardrail nobody translated yet."
    assert claim_detail("LZ-SCP-DenyRootUser", text) == text
    assert not hasattr(claim_detail("LZ-SCP-DenyRootUser", text), "id")
    message = claim_detail(
        "LZ-Logging-ObjectLockThreeYears",
        "S3 Object Lock in COMPLIANCE mode keeps the organization trail's logs 1095 days, at least the "
        "three years that information for analysing incidents must be kept.",
    )
    assert message.params == {"days": "1095"}
    assert "1095 dagen" in message.text("nl")
