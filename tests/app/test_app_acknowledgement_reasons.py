"""landing_zone/acknowledgement_reasons.json: the Dutch reasons of the landing zone's BIO2
acknowledgements. Every reason a component gives has its Dutch text (checked on the source, so
branches the default configuration does not take are covered too), no entry is stale, and the
Dutch texts keep the English placeholders."""

from __future__ import annotations

import ast
import json
import re
import string
from pathlib import Path

import pytest

import landing_zone
from landing_zone.acknowledgements import REASONS_FILE, dutch_reason

SOURCE = Path(landing_zone.__file__).parent
WRAPPER = "landing_zone.acknowledgements"
DATA = json.loads(REASONS_FILE.read_text(encoding="utf-8"))


def _template(node: ast.expr) -> str | None:
    """A string literal as a template (``{}`` for each value of an f-string), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                parts.append(str(v.value))
            else:
                parts.append("{}")
        return "".join(parts)
    return None


def _normal(template: str) -> str:
    return re.sub(r"\{[^{}]*\}", "{}", template)


def _literals() -> set[str]:
    """Every string literal (as a template) in the landing zone's source."""
    out: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.expr) and (t := _template(node)) is not None:
                out.add(t)
    return out


def _reasons_given() -> dict[str, set[str]]:
    """Per module using the wrapper: the reason templates passed to its ``acknowledge`` (a variable
    resolved to every literal assigned to that name in the module)."""
    out: dict[str, set[str]] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if not any(isinstance(n, ast.ImportFrom) and n.module == WRAPPER for n in ast.walk(tree)):
            continue
        assigned: dict[str, set[str]] = {}
        for n in ast.walk(tree):
            if isinstance(n, ast.Assign) and (t := _template(n.value)) is not None:
                for target in n.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, set()).add(t)
        found: set[str] = set()
        for n in ast.walk(tree):
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "acknowledge":
                arg = n.args[2]
                t = _template(arg)
                if t is not None:
                    found.add(t)
                elif isinstance(arg, ast.Name) and arg.id in assigned:
                    found |= assigned[arg.id]
                else:
                    found.add(f"<unresolved {ast.unparse(arg)}>")
        out[str(path.relative_to(SOURCE))] = found
    return out


def stale_entries(reasons: dict[str, str], phrases: dict[str, str]) -> list[str]:
    """Entries of the data file that no literal of the landing zone's source gives."""
    literals = {_normal(t) for t in _literals()}
    stale = [en for en in reasons if _normal(en) not in literals]
    stale += [en for en in phrases if en not in literals]
    return sorted(stale)


def test_every_reason_a_component_gives_has_its_dutch_text():
    given = _reasons_given()
    assert len(given) >= 10, sorted(given)
    known = {_normal(en) for en in DATA["reasons"]}
    missing = {f"{mod}: {t[:90]}" for mod, ts in given.items() for t in ts if _normal(t) not in known}
    assert not missing, sorted(missing)


def test_no_entry_is_stale():
    assert stale_entries(DATA["reasons"], DATA["phrases"]) == []


def test_a_stale_entry_is_found():
    reasons = {**DATA["reasons"], "A reason no component gives any more, long enough.": "Een oude reden."}
    phrases = {**DATA["phrases"], "An old sentence.": "Een oude zin."}
    assert stale_entries(reasons, phrases) == [
        "A reason no component gives any more, long enough.",
        "An old sentence.",
    ]


@pytest.mark.parametrize("en", sorted(DATA["reasons"]))
def test_the_dutch_text_keeps_the_placeholders(en):
    nl = DATA["reasons"][en]
    names = {f for _, f, _, _ in string.Formatter().parse(en) if f}
    assert {f for _, f, _, _ in string.Formatter().parse(nl) if f} == names
    assert nl != en and len(nl) >= 20


def test_values_are_shown_as_written_and_our_sentences_translated():
    text = (
        "backup.tiers.high.cross_region_copy is false: the organisation decided that availability high "
        "(RPO 4 h, RTO 12 h) needs no copy outside the region; the recovery points stay in the locked "
        "vault of the account."
    )
    nl = dutch_reason(text)
    assert nl is not None and "beschikbaarheidsniveau high (RPO 4 uur, RTO 12 uur)" in nl
    siem = next(en for en in DATA["reasons"] if "{trail_reads}" in en)
    for en, phrase_nl in DATA["phrases"].items():
        nl = dutch_reason(siem.format(trail_reads=en))
        assert nl is not None and nl.endswith(phrase_nl)
    assert dutch_reason("A reason of an app team, not ours.") is None
