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
less rather than more); a test keeps the table complete. The table is authoritative: a rule's
``measures`` are the measures of its rows (see :class:`bio2_aspects.rules.Rule`).

A rule may evidence an ISO/IEC 27002 control that has no BIO2 measure (8.9, 8.14, 8.23, 5.7,
5.13). Those pairs live in ``data/controls.json``, same shape with ``control`` instead of
``measure`` and no facet::

    {"BIO2-RDS-MultiAz": [
        {"control": "8.14", "strength": "full", "rationale": {"en": "...", "nl": "..."}}]}

A rule whose row list is empty (``[]``) evidences no BIO2 measure; it must then have a control
pair (a test keeps that true).
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
    """The packaged rule mapping table (``data/rules.json``), keyed by rule ID.

    Rows that other branches wrote to ``pending/*.json`` (same format) count for rules the
    table does not have yet, until the integrator folds them into ``data/rules.json``; the
    table wins over a pending row for the same rule (``pending_conflicts`` names those).
    """
    out: dict[str, tuple[MeasureMapping, ...]] = {}
    path = resources.files(__name__).joinpath("data", "rules.json")
    if path.is_file():
        raw = json.loads(path.read_text(encoding="utf-8"))
        out = {rule_id: parse_mappings(rule_id, pairs) for rule_id, pairs in raw.items()}
    for rule_id, pairs in _pending_rows().items():
        out.setdefault(rule_id, parse_mappings(rule_id, pairs))
    return out


def _pending_rows() -> dict[str, list[dict[str, Any]]]:
    """Rows of ``pending/*.json`` in file-name order (the first file naming a rule wins)."""
    folder = resources.files(__name__).joinpath("pending")
    if not folder.is_dir():
        return {}
    rows: dict[str, list[dict[str, Any]]] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json") and entry.is_file():
            for rule_id, pairs in json.loads(entry.read_text(encoding="utf-8")).items():
                rows.setdefault(rule_id, pairs)
    return rows


def pending_conflicts() -> tuple[str, ...]:
    """Rule IDs that have rows both in ``data/rules.json`` and in ``pending/`` (fold them)."""
    path = resources.files(__name__).joinpath("data", "rules.json")
    table = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return tuple(sorted(set(table) & set(_pending_rows())))


def rule_mappings(rule_id: str, fallback_measures: tuple[str, ...] = ()) -> tuple[MeasureMapping, ...]:
    """The mappings of a rule; ``fallback_measures`` as ``supporting`` when the table lacks it."""
    found = rule_table().get(rule_id)
    if found is not None:
        return found
    return tuple(MeasureMapping(source=rule_id, measure=m, strength="supporting") for m in fallback_measures)


def full_sources(measure_id: str) -> tuple[str, ...]:
    """Rule IDs whose table row for ``measure_id`` is ``full`` (sorted; empty: no rule fully evidences it).

    For the status logic: a measure whose rule evidence is only ``supporting`` is never
    ``implemented`` on that evidence alone.
    """
    return tuple(
        sorted(
            rule_id
            for rule_id, pairs in rule_table().items()
            if any(p.measure == measure_id and p.strength == "full" for p in pairs)
        )
    )


def sources_of(measure_id: str) -> tuple[MeasureMapping, ...]:
    """Every rule row for ``measure_id`` (full and supporting), sorted by rule ID."""
    return tuple(
        p for rule_id in sorted(rule_table()) for p in rule_table()[rule_id] if p.measure == measure_id
    )


def full_facets(measure_id: str) -> dict[str, tuple[str, ...]]:
    """Per facet ID of ``measure_id``: the rules whose ``full`` row names that facet."""
    out: dict[str, list[str]] = {}
    for p in sources_of(measure_id):
        if p.strength == "full" and p.facet:
            out.setdefault(p.facet, []).append(p.source)
    return {facet: tuple(rules) for facet, rules in sorted(out.items())}


@dataclass(frozen=True)
class ControlMapping:
    """One source evidencing an ISO/IEC 27002 control directly (a control without BIO2 measures)."""

    source: str
    control: str
    strength: str
    rationale_en: str = ""
    rationale_nl: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "control": self.control,
            "strength": self.strength,
            "rationale": {"en": self.rationale_en, "nl": self.rationale_nl},
        }


def parse_control_mappings(source: str, raw: list[dict[str, Any]]) -> tuple[ControlMapping, ...]:
    """Control-level pairs of one source from their JSON form (``control``, ``strength``, ``rationale``)."""
    out = []
    for item in raw:
        strength = item.get("strength", "supporting")
        if strength not in STRENGTHS:
            raise ValueError(f"{source}: strength {strength!r} is not one of {STRENGTHS}")
        rationale = item.get("rationale") or {}
        out.append(
            ControlMapping(
                source, item["control"], strength, rationale.get("en", ""), rationale.get("nl", "")
            )
        )
    return tuple(out)


@cache
def control_table() -> dict[str, tuple[ControlMapping, ...]]:
    """The packaged rule -> control pairs (``data/controls.json``), keyed by rule ID."""
    path = resources.files(__name__).joinpath("data", "controls.json")
    if not path.is_file():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {rule_id: parse_control_mappings(rule_id, pairs) for rule_id, pairs in raw.items()}


def rule_controls(rule_id: str) -> tuple[ControlMapping, ...]:
    """The ISO-control-level pairs of a rule (empty when it has none)."""
    return control_table().get(rule_id, ())


@cache
def inventory_table() -> dict[str, tuple[MeasureMapping, ...]]:
    """The inventories the engine computes (``evidence/inventory.py``) -> measure pairs
    (``data/inventories.json``, same shape as ``data/rules.json``)."""
    path = resources.files(__name__).joinpath("data", "inventories.json")
    if not path.is_file():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {source: parse_mappings(source, pairs) for source, pairs in raw.items()}


def inventory_mappings(source: str) -> tuple[MeasureMapping, ...]:
    """The measure pairs of an inventory (empty when the table has none: it then evidences nothing)."""
    return inventory_table().get(source, ())
