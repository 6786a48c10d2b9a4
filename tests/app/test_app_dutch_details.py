"""The default landing zone's Dutch outputs hold the Dutch text of every claim and rule detail."""

from __future__ import annotations

import pytest

from bio2_aspects.evidence.exporters import ALL_FORMATS, render_files
from bio2_aspects.evidence.models import validate
from tests.evidence.test_dutch import _text_of

pytestmark = pytest.mark.synth


def test_every_claim_and_rule_detail_is_a_message(default_synth):
    model = validate(default_synth.manifest)
    plain = [c.id for c in model.claims if c.message is None]
    plain += [
        i.rule or i.claim or "" for m in model.measures for i in m.evidence if i.detail and not i.message
    ]
    assert not plain, f"details without a message (no Dutch text): {sorted(set(plain))}"


def test_dutch_outputs_hold_no_english_claim_or_rule_detail(default_synth):
    model = validate({**default_synth.manifest, "language": "nl"})
    items = [*model.claims, *(i for m in model.measures for i in m.evidence)]
    english = {
        i.detail for i in items if i.message and len(i.detail) >= 14 and model.text_of(i, "nl") != i.detail
    }
    assert len(english) > 40
    found = {}
    for name, data in render_files(model, ALL_FORMATS, "nl").items():
        text = _text_of(name, data)
        hits = sorted(e[:80] for e in english if e in text)
        if hits:
            found[name] = hits
    assert not found, found


def _config_justifications() -> set[str]:
    """The justifications written in the configuration: the user's own text, shown as written."""
    from landing_zone.config import load_config

    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "justification" and isinstance(v, str):
                    found.add(v)
                walk(v)
        elif isinstance(node, list | tuple):
            for v in node:
                walk(v)

    walk(load_config(None).model_dump())
    return found


def test_every_landing_zone_acknowledgement_has_a_dutch_reason(default_synth):
    model = validate(default_synth.manifest)
    user = _config_justifications()
    ours = [v for v in model.violations if v.acknowledged and v.acceptance is None]
    ours = [v for v in ours if v.acknowledgement_reason not in user]
    assert len({v.acknowledgement_reason for v in ours}) >= 10
    missing = sorted(
        {f"{v.rule}: {v.acknowledgement_reason}" for v in ours if not v.acknowledgement_reason_nl}
    )
    assert not missing, missing
    items = [i for m in model.measures for i in m.evidence if i.acknowledgement_reason]
    assert all(i.acknowledgement_reason_nl for i in items if i.acknowledgement_reason not in user)


def test_dutch_outputs_hold_no_english_landing_zone_reason(default_synth):
    model = validate({**default_synth.manifest, "language": "nl"})
    english = {v.acknowledgement_reason for v in model.violations if v.acknowledgement_reason_nl}
    dutch = {v.acknowledgement_reason_nl for v in model.violations if v.acknowledgement_reason_nl}
    assert len(english) >= 10
    found = {}
    for name, data in render_files(model, ALL_FORMATS, "nl").items():
        text = _text_of(name, data)
        hits = sorted(str(e)[:80] for e in english if e in text)
        if hits:
            found[name] = hits
    assert not found, found
    register = _text_of("control-register.csv", render_files(model, ["csv"], "nl")["control-register.csv"])
    assert all(d in register for d in dutch)
    # the user's own justifications (the configuration's) are shown as written
    assert any(j in register for j in _config_justifications())
