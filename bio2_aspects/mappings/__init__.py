"""Mappings from evidence sources (rules, claims) to BIO2 measures, kept as data.

Every pair says *which part* of a measure the source evidences and how strongly:

* ``full``: the checked property is what the measure (or the named facet) asks;
* ``supporting``: a necessary technical part, not enough on its own.

A pair that evidences neither is not a mapping and is removed. The rationale is our own words in
English and Dutch (never the official measure text).

Data: ``data/rules.json`` maps rule IDs to their pairs::

    {"BIO2-S3-Versioning": [
        {"measure": "8.13.01", "strength": "supporting", "facet": "8.13.01.t1",
         "rationale": {"en": "...", "nl": "..."}}]}

This module is the contract between the rules, the claims and the status logic. A rule missing
from the table falls back to its ``measures`` with strength ``supporting`` and no rationale (claim
less rather than more); a test keeps the table complete.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

Strength = Literal["full", "supporting"]
STRENGTHS: tuple[str, ...] = ("full", "supporting")


@dataclass(frozen=True)
class MeasureMapping:
    """One source (rule ID or claim ID) evidencing one measure (optionally one facet of it)."""

    source: str
    measure: str
    strength: str
    facet: str | None = None
    rationale_en: str = ""
    rationale_nl: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "strength": self.strength,
            "facet": self.facet,
            "rationale": {"en": self.rationale_en, "nl": self.rationale_nl},
        }


def parse_mappings(source: str, raw: list[dict[str, Any]]) -> tuple[MeasureMapping, ...]:
    """Mappings of one source from their JSON form (see the module docstring)."""
    out = []
    for item in raw:
        strength = item["strength"]
        if strength not in STRENGTHS:
            raise ValueError(f"{source}: strength {strength!r} is not one of {STRENGTHS}")
        rationale = item.get("rationale") or {}
        out.append(
            MeasureMapping(
                source=source,
                measure=item["measure"],
                strength=strength,
                facet=item.get("facet"),
                rationale_en=rationale.get("en", ""),
                rationale_nl=rationale.get("nl", ""),
            )
        )
    return tuple(out)


@cache
def rule_table() -> dict[str, tuple[MeasureMapping, ...]]:
    """The packaged rule mapping table (``data/rules.json``), keyed by rule ID."""
    path = resources.files(__name__).joinpath("data", "rules.json")
    if not path.is_file():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {rule_id: parse_mappings(rule_id, pairs) for rule_id, pairs in raw.items()}


def rule_mappings(rule_id: str, fallback_measures: tuple[str, ...] = ()) -> tuple[MeasureMapping, ...]:
    """The mappings of a rule; ``fallback_measures`` as ``supporting`` when the table lacks it."""
    found = rule_table().get(rule_id)
    if found is not None:
        return found
    return tuple(MeasureMapping(source=rule_id, measure=m, strength="supporting") for m in fallback_measures)
