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
