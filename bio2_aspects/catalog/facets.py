"""Facets: the parts a BIO2 measure asks for, each technical or organisational (our own words).

A measure is ``implemented`` only when every applicable facet is covered: technical facets by
``full`` evidence, organisational facets by an attestation (see ``bio2_aspects.evidence``).

Data: ``data/facets.json`` maps a measure ID to its facets::

    {"8.13.01": [
        {"id": "8.13.01.t1", "kind": "technical", "summary": {"en": "...", "nl": "..."}},
        {"id": "8.13.01.o1", "kind": "organisational", "summary": {"en": "...", "nl": "..."}}]}

A measure missing from the data gets one facet derived from its nature (``<id>.t1`` for technical,
``<id>.o1`` for organisational and physical); a test keeps the data complete.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

FACET_KINDS: tuple[str, ...] = ("technical", "organisational")


@dataclass(frozen=True)
class Facet:
    id: str
    measure: str
    kind: str
    summary_en: str = ""
    summary_nl: str = ""

    @property
    def is_technical(self) -> bool:
        return self.kind == "technical"


@cache
def facet_table() -> dict[str, tuple[Facet, ...]]:
    """The packaged facets (``data/facets.json``), keyed by measure ID."""
    path = resources.files(__package__).joinpath("data", "facets.json")
    if not path.is_file():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, tuple[Facet, ...]] = {}
    for measure, items in raw.items():
        facets = []
        for item in items:
            if item["kind"] not in FACET_KINDS:
                raise ValueError(f"{measure}: facet kind {item['kind']!r} is not one of {FACET_KINDS}")
            summary = item.get("summary") or {}
            en, nl = summary.get("en", ""), summary.get("nl", "")
            facets.append(Facet(item["id"], measure, item["kind"], en, nl))
        out[measure] = tuple(facets)
    return out


def facets_of(measure_id: str, nature: str | None = None) -> tuple[Facet, ...]:
    """The facets of a measure; one derived from ``nature`` when the data has none."""
    found = facet_table().get(measure_id)
    if found:
        return found
    kind = "technical" if nature == "technical" else "organisational"
    return (Facet(f"{measure_id}.{kind[0]}1", measure_id, kind),)
