"""The classification model: levels, tags, Dutch terms, tag policy values, baseline rating."""

from __future__ import annotations

import pytest

from bio2_aspects.rules.tagging import CLASSIFICATION_TAGS
from landing_zone.classification.labels import (
    BBN_LEVELS,
    DUTCH_ASPECTS,
    DUTCH_LEVELS,
    LEVELS,
    TAG_KEYS,
    allowed_tag_values,
    check_level,
    rating_tags,
    tag_policy_content,
)
from landing_zone.config import load_config, load_config_text
from landing_zone.config.sections.classification import Rating, highest


def test_levels_and_terms_cover_each_other() -> None:
    assert LEVELS == ("low", "medium", "high")
    assert set(DUTCH_LEVELS) == set(BBN_LEVELS) == set(LEVELS)
    assert set(DUTCH_ASPECTS) == set(TAG_KEYS) == {"confidentiality", "integrity", "availability"}
    assert set(TAG_KEYS.values()) == set(CLASSIFICATION_TAGS)


def test_check_level_names_the_allowed_values() -> None:
    assert check_level("availability", "high") == "high"
    with pytest.raises(ValueError, match="use one of: low, medium, high"):
        check_level("availability", "critical")


def test_rating_tags_from_a_rating_or_a_mapping() -> None:
    rating = Rating(confidentiality="low", integrity="medium", availability="high")
    expected = {"bio2:confidentiality": "low", "bio2:integrity": "medium", "bio2:availability": "high"}
    assert rating_tags(rating) == expected
    assert rating_tags({"confidentiality": "low", "integrity": "medium", "availability": "high"}) == expected


def test_tag_policy_allows_exactly_the_levels() -> None:
    assert allowed_tag_values() == {key: LEVELS for key in CLASSIFICATION_TAGS}
    report_only = tag_policy_content()
    for key in CLASSIFICATION_TAGS:
        assert report_only["tags"][key]["tag_key"] == {"@@assign": key}
        assert report_only["tags"][key]["tag_value"] == {"@@assign": list(LEVELS)}
        assert "enforced_for" not in report_only["tags"][key]
    enforced = tag_policy_content(["s3:bucket", "ec2:volume"])
    assert enforced["tags"]["bio2:availability"]["enforced_for"] == {"@@assign": ["ec2:volume", "s3:bucket"]}


def test_highest_takes_each_aspect_separately() -> None:
    ratings = [
        Rating(confidentiality="high", integrity="low", availability="low"),
        Rating(confidentiality="low", integrity="medium", availability="low"),
    ]
    assert highest(ratings) == Rating(confidentiality="high", integrity="medium", availability="low")
    assert highest([]) is None


def test_baseline_rating_is_the_highest_member_rating() -> None:
    cfg = load_config()
    classification = cfg.classification
    members = [a for a in cfg.organization.accounts if a.role != "management"]
    expected = highest(classification.rating_for(a.name, a.ou) for a in members)
    assert classification.baseline_rating(cfg.organization.accounts) == expected
    # In the example the Security OU is confidentiality high and the network account availability high.
    assert expected == Rating(confidentiality="high", integrity="high", availability="high")


def test_baseline_rating_from_the_config(minimal_yaml: str) -> None:
    text = minimal_yaml + (
        "classification:\n  baseline: {confidentiality: medium, integrity: high, availability: medium}\n"
    )
    cfg = load_config_text(text)
    assert cfg.classification.baseline_rating(cfg.organization.accounts) == Rating(
        confidentiality="medium", integrity="high", availability="medium"
    )


def test_map_tag_types_are_up_to_date() -> None:
    pytest.importorskip("cfnlint")
    from landing_zone.classification import gen_tag_formats

    assert gen_tag_formats.main(["--check"]) == 0, "run python -m landing_zone.classification.gen_tag_formats"
    from landing_zone.classification._map_tag_types import MAP_TAG_TYPES

    assert {"AWS::Backup::BackupVault", "AWS::SSM::Parameter"} <= MAP_TAG_TYPES
    assert "AWS::S3::Bucket" not in MAP_TAG_TYPES
