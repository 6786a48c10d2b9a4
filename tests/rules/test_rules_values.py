"""Values the rules accept are values the landing zone's own policies accept."""

from __future__ import annotations

from rules_cases import CASES

from bio2_aspects.rules import Result
from bio2_aspects.rules.tagging import CLASSIFICATION_LEVELS, CLASSIFICATION_TAGS


def test_engine_levels_are_the_tag_policy_levels() -> None:
    """The engine keeps its own copy (it must not import landing_zone); the two must agree."""
    from landing_zone.classification.labels import allowed_tag_values

    assert allowed_tag_values() == dict.fromkeys(CLASSIFICATION_TAGS, CLASSIFICATION_LEVELS)


def test_compliant_classification_cases_use_tag_policy_values() -> None:
    from landing_zone.classification.labels import allowed_tag_values

    allowed = allowed_tag_values()
    checked = 0
    for case in CASES:
        if case.rule_id != "BIO2-Tagging-Classification" or case.expected is not Result.COMPLIANT:
            continue
        props = case.template["Resources"][case.target].get("Properties", {})
        for prop in ("Tags", "BackupVaultTags"):
            raw = props.get(prop)
            tags = {t["Key"]: t["Value"] for t in raw} if isinstance(raw, list) else dict(raw or {})
            for key, values in allowed.items():
                if key in tags:
                    assert tags[key] in values, f"{case.id}: {key}={tags[key]!r}"
                    checked += 1
    assert checked >= 3
