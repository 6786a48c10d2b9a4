"""The landing zone's BIO2 acknowledgements, with their Dutch reasons.

The components accept a BIO2 finding with :func:`acknowledge` (same arguments as
``bio2_aspects.acknowledge``); the reason is our product's text, so the Dutch outputs show it in
Dutch. The Dutch reasons are data: ``acknowledgement_reasons.json`` maps each English reason (a
template where it holds a value from the configuration, ``{name}``) to its Dutch text, and
``phrases`` translates parameter values that are our own sentences. A reason the file does not know
is shown as written (tests keep every acknowledgement of the landing zone translated and the file
free of stale entries). Justifications from the configuration are the user's own text: their
call sites use ``bio2_aspects.acknowledge`` directly, shown as written.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from constructs import IConstruct

import bio2_aspects
from bio2_aspects.messages import match

REASONS_FILE = Path(__file__).with_name("acknowledgement_reasons.json")


@cache
def _reasons() -> tuple[dict[str, str], dict[str, str]]:
    data = json.loads(REASONS_FILE.read_text(encoding="utf-8"))
    return data["reasons"], data["phrases"]


def dutch_reason(reason: str) -> str | None:
    """The Dutch text of the landing zone's ``reason``, or None when ``acknowledgement_reasons.json``
    has none."""
    reasons, phrases = _reasons()
    if reason in reasons:
        return reasons[reason]
    for en, nl in reasons.items():
        if "{" not in en:
            continue
        params = match(en, reason)
        if params is not None:
            return nl.format(**{k: phrases.get(v, v) for k, v in params.items()})
    return None


def acknowledge(scope: IConstruct, rule_id: str, reason: str) -> None:
    """Accept the BIO2 violation ``rule_id`` on ``scope`` (and below) for ``reason``, with its Dutch
    text from ``acknowledgement_reasons.json``."""
    bio2_aspects.acknowledge(scope, rule_id, reason, reason_nl=dutch_reason(reason))
