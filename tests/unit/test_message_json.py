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


def test_the_same_message_is_made_once_and_shared() -> None:
    first = msg("rule.tagging.missing", tags=["bio2:integrity", "bio2:availability"])
    assert msg("rule.tagging.missing", tags=["bio2:integrity", "bio2:availability"]) is first
    nested = msg("rule.findings", findings_list=[first])
    assert (
        msg("rule.findings", findings_list=[msg("rule.tagging.missing", tags=list(first.params["tags"]))])
        is nested
    )
    assert msg("rule.tagging.missing", tags=["bio2:integrity"]) is not first


def test_equal_values_that_render_differently_are_different_messages() -> None:
    """1, 1.0 and True are equal (and hash alike) in Python, but render as 1, 1.0 and True; a list
    and a tuple render alike but are kept apart; an app's own templates with the same ID differ."""
    texts = {str(msg("rule.not_set", where=value)) for value in (1, 1.0, True)}
    assert texts == {"1 is not set", "1.0 is not set", "True is not set"}
    as_list = msg("rule.tagging.missing", tags=["a", "b"])
    as_tuple = msg("rule.tagging.missing", tags=("a", "b"))
    assert as_list is not as_tuple and str(as_list) == str(as_tuple)
    en = Message("app.own", {"en": "one", "nl": "een"})
    other = Message("app.own", {"en": "two", "nl": "twee"})
    assert msg("rule.findings", findings_list=[en]) is not msg("rule.findings", findings_list=[other])
    assert str(msg("rule.findings", findings_list=[other])).endswith("two")


def test_a_parameter_of_another_type_makes_a_new_message() -> None:
    class Name(str):
        pass

    a, b = msg("rule.not_set", where=Name("X")), msg("rule.not_set", where=Name("X"))
    assert a is not b and a == b and a.to_json() == b.to_json()
    # NaN equals nothing, not even itself: two of them are two keys (never a wrong text)
    assert msg("rule.not_set", where=float("nan")) is not msg("rule.not_set", where=float("nan"))


def test_the_memo_is_bounded(monkeypatch) -> None:
    from bio2_aspects import messages

    monkeypatch.setattr(messages, "_MEMO", {})
    monkeypatch.setattr(messages, "_MEMO_SIZE", 3)
    made = [msg("rule.not_set", where=f"P{i}") for i in range(10)]
    assert len(messages._MEMO) <= 3
    assert [str(m) for m in made] == [str(Message("rule.not_set", where=f"P{i}")) for i in range(10)]
