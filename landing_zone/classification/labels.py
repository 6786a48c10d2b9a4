"""The BIV classification: levels, tag keys, Dutch terms and the tag policy values.

Dutch government classifies information by *beschikbaarheid, integriteit, vertrouwelijkheid* (BIV:
availability, integrity, confidentiality). Each aspect gets a level ``low``, ``medium`` or
``high``. Every taggable resource carries its levels as three tags, ``bio2:confidentiality``,
``bio2:integrity`` and ``bio2:availability``; the availability level picks the backup tier.
This module imports no CDK: the CLI, the config and the organization component can use it cheaply.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bio2_aspects.rules.tagging import AVAILABILITY_TAG, CONFIDENTIALITY_TAG, INTEGRITY_TAG
from landing_zone.config.sections.classification import ASPECTS, LEVELS, Level, Rating

__all__ = [
    "ASPECTS",
    "BBN_LEVELS",
    "DUTCH_ASPECTS",
    "DUTCH_LEVELS",
    "LEVELS",
    "TAG_KEYS",
    "Level",
    "Rating",
    "allowed_tag_values",
    "check_level",
    "rating_tags",
    "tag_policy_content",
]

#: Aspect -> tag key.
TAG_KEYS: Mapping[str, str] = {
    "confidentiality": CONFIDENTIALITY_TAG,
    "integrity": INTEGRITY_TAG,
    "availability": AVAILABILITY_TAG,
}
#: Aspect -> Dutch term.
DUTCH_ASPECTS: Mapping[str, str] = {
    "confidentiality": "vertrouwelijkheid",
    "integrity": "integriteit",
    "availability": "beschikbaarheid",
}
#: Level -> Dutch term as used in BIV classifications.
DUTCH_LEVELS: Mapping[str, str] = {"low": "laag", "medium": "midden", "high": "hoog"}
#: Level -> the basisbeveiligingsniveau of the BIO (2019) it corresponds to. BIO2 no longer has
#: fixed BBNs (it asks for a risk-based classification, 5.12.01); organisations moving from the
#: BIO keep using their BBN decisions through this mapping (docs/backup-and-classification.md).
BBN_LEVELS: Mapping[str, str] = {"low": "BBN1", "medium": "BBN2", "high": "BBN3"}


def check_level(aspect: str, value: str) -> Level:
    """``value`` if it is a classification level, else a ValueError that says what is allowed."""
    if value not in LEVELS:
        raise ValueError(f"{aspect} {value!r} is not a classification level; use one of: {', '.join(LEVELS)}")
    return value  # type: ignore[return-value]


def rating_tags(rating: Rating | Mapping[str, str]) -> dict[str, str]:
    """The three classification tags of ``rating`` (a Rating or an aspect -> level mapping)."""
    get = rating.get if isinstance(rating, Mapping) else (lambda aspect: getattr(rating, aspect))
    return {TAG_KEYS[aspect]: check_level(aspect, get(aspect)) for aspect in ASPECTS}


def allowed_tag_values() -> dict[str, tuple[str, ...]]:
    """Tag key -> the values it may take: the input of a tag policy."""
    return {TAG_KEYS[aspect]: LEVELS for aspect in ASPECTS}


def tag_policy_content(enforced_for: Sequence[str] = ()) -> dict[str, Any]:
    """An AWS Organizations TAG_POLICY document that fixes the keys' spelling and allowed values.

    ``enforced_for`` lists ``service:resource`` types (``s3:bucket``) where a non-compliant tag
    operation is refused; empty means report-only. Tag policies check values when tags are set;
    they do not make a tag mandatory (the BIO2 tagging rule and the classification aspect do).
    """
    tags: dict[str, Any] = {}
    for key, values in allowed_tag_values().items():
        entry: dict[str, Any] = {
            "tag_key": {"@@assign": key},
            "tag_value": {"@@assign": list(values)},
        }
        if enforced_for:
            entry["enforced_for"] = {"@@assign": sorted(enforced_for)}
        tags[key] = entry
    return {"tags": tags}
