"""``Message.to_json`` is made once per message and shared: the same data as a fresh rendering,
and a copy of a message (pickle, ``copy``) renders the same."""

from __future__ import annotations

import copy
import pickle

from bio2_aspects.messages import Message, from_json, msg


def test_to_json_is_made_once_and_equals_a_fresh_rendering() -> None:
    inner = msg("rule.not_set", where="KmsMasterKeyId")
    outer = msg("rule.findings", findings_list=[inner, msg("rule.not_set", where="Tags")])
    first = outer.to_json()
    assert outer.to_json() is first  # shared, not rebuilt
    fresh = Message(outer.id, **outer.params).to_json()
    assert first == fresh
    expected = {"id": "rule.not_set", "params": {"where": "KmsMasterKeyId"}}
    assert first["params"]["findings_list"][0] == expected
    for twin in (copy.copy(outer), copy.deepcopy(outer), pickle.loads(pickle.dumps(outer))):
        assert twin.to_json() == first and str(twin) == str(outer)
    assert from_json(first) == outer and from_json(first).to_json() == first
