"""Structured per-resource texts: a message ID and parameters, rendered per language from data.

A rule's or claim check's detail (``Result.NON_COMPLIANT, msg("s3.versioning.status", ...)``) is a
:class:`Message`: a ``str`` holding the English text (so every existing use of the detail keeps
working) that also knows its ID and parameters. The manifest stores both (``detail`` in English,
``message`` as ``{"id", "params"}``) and the exporters render the message in the output language
(:func:`render`). Templates are data, one file per language with the same keys:
``bio2_aspects/evidence/locales/<lang>/messages.json``; a test keeps the files in parity (same IDs,
same placeholders). Parameters are values from the templates (names, IDs, numbers): never
translated. A parameter may itself be a message (rendered in the same language) or a list
(joined with ", ").

An app may bring its own texts (a claim's detail, see ``bio2_aspects.claims``): then the message
carries its templates (``{"en": ..., "nl": ...}``) and the manifest keeps them under ``messages``.

This module is light: the ``bio2`` CLI imports it through the exporters.
"""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES = ("en", "nl")
_FORMATTER = string.Formatter()


@cache
def templates(lang: str) -> dict[str, str]:
    """Message ID -> template of the engine's own texts in ``lang`` (empty for another language)."""
    path = resources.files("bio2_aspects.evidence").joinpath("locales", lang, "messages.json")
    if not path.is_file():
        return {}
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("$")}


def placeholders(template: str) -> set[str]:
    """The parameter names a template uses."""
    return {name for _text, name, _spec, _conv in _FORMATTER.parse(template) if name}


def _param_text(value: Any, lang: str, own: Mapping[str, Mapping[str, str]] | None) -> str:
    if type(value) is str:  # most parameters: a name or a value as written
        return value
    if isinstance(value, Message):
        return value.text(lang, own)
    if isinstance(value, Mapping) and "id" in value:
        return render(value, lang, own)
    if isinstance(value, list | tuple):
        return ", ".join(_param_text(v, lang, own) for v in value)
    return str(value)


def template_of(msg_id: str, lang: str, own: Mapping[str, Mapping[str, str]] | None = None) -> str | None:
    """The template of ``msg_id`` in ``lang``: the app's own (``own``: ID -> language -> template)
    first, then the engine's; None when there is none in that language."""
    if own is not None and msg_id in own and lang in own[msg_id]:
        return own[msg_id][lang]
    return templates(lang).get(msg_id)


def render(message: Mapping[str, Any], lang: str, own: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """A message (``{"id", "params"}``, as in the manifest) as text in ``lang``, falling back to
    English when ``lang`` has no template; ``KeyError`` when no language has one."""
    msg_id = str(message["id"])
    template = template_of(msg_id, lang, own) or template_of(msg_id, "en", own)
    if template is None:
        raise KeyError(f"no template for message {msg_id!r}")
    params = message.get("params") or {}
    return template.format_map({k: _param(k, v, lang, own) for k, v in params.items()})


def _param(name: str, value: Any, lang: str, own: Mapping[str, Mapping[str, str]] | None) -> str:
    """A parameter's text: a list whose name ends in ``_list`` is joined with "; " (sentences),
    any other list with ", " (names)."""
    if name.endswith("_list") and isinstance(value, list | tuple):
        return "; ".join(_param_text(v, lang, own) for v in value)
    return _param_text(value, lang, own)


class Message(str):
    """The English text of a message, carrying its ID and parameters (see the module doc)."""

    id: str
    params: dict[str, Any]
    own: dict[str, str] | None

    def __new__(cls, msg_id: str, /, _templates: Mapping[str, str] | None = None, **params: Any) -> Message:
        own = {msg_id: dict(_templates)} if _templates else None
        template = None if own is not None else templates("en").get(msg_id)
        if template is not None:  # the engine's own text (``render``'s first choice), rendered here
            text = template.format_map({k: _param(k, v, "en", None) for k, v in params.items()})
        else:
            text = render({"id": msg_id, "params": params}, "en", own)
        obj = super().__new__(cls, text)
        obj.id = msg_id
        obj.params = params
        obj.own = dict(_templates) if _templates else None
        return obj

    def text(self, lang: str, own: Mapping[str, Mapping[str, str]] | None = None) -> str:
        """This message in ``lang``."""
        if self.own is not None:
            own = {**(own or {}), self.id: self.own}
        return render({"id": self.id, "params": self.params}, lang, own)

    def to_json(self) -> dict[str, Any]:
        """``{"id", "params"}`` as the manifest stores it (nested messages as the same form).

        Made once per message and shared (a result's detail appears under every measure it
        evidences): read it, do not change it."""
        made = self.__dict__.get("_json")
        if made is None:
            made = {"id": self.id, "params": {k: _param_json(v) for k, v in self.params.items()}}
            self._json = made
        return made

    def own_templates(self) -> dict[str, dict[str, str]]:
        """The app's own templates of this message and of the messages in its parameters."""
        out: dict[str, dict[str, str]] = {}
        if self.own is not None:
            out[self.id] = self.own
        for v in self.params.values():
            for item in v if isinstance(v, list | tuple) else (v,):
                if isinstance(item, Message):
                    out.update(item.own_templates())
        return out

    def __reduce__(self) -> Any:  # copy and pickle keep the message
        return (_rebuild, (self.id, self.own, self.params))


def _rebuild(msg_id: str, own: Mapping[str, str] | None, params: dict[str, Any]) -> Message:
    return Message(msg_id, own, **params)


def _param_json(value: Any) -> Any:
    if isinstance(value, Message):
        return value.to_json()
    if isinstance(value, list | tuple):
        return [_param_json(v) for v in value]
    if isinstance(value, bool | int):
        return value
    return str(value)


def msg(msg_id: str, /, **params: Any) -> Message:
    """A message of the engine's catalog (``locales/<lang>/messages.json``).

    The same message (ID and parameters) is made once and shared: a rule gives the same detail to
    every resource that fails it the same way (on a 2,000-resource app, 6,700 details are 15
    distinct messages). Read a message, never change it."""
    key = _memo_key(msg_id, params)
    if key is None:
        return Message(msg_id, **params)
    found = _MEMO.get(key)
    if found is None:
        if len(_MEMO) >= _MEMO_SIZE:
            _MEMO.clear()
        found = _MEMO[key] = Message(msg_id, **params)
    return found


#: Messages made by ``msg``, by ``_memo_key``; emptied when full.
_MEMO: dict[tuple[Any, ...], Message] = {}
_MEMO_SIZE = 4096


def _memo_key(msg_id: str, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """A key that tells the messages ``msg`` makes apart, or None when a parameter is of a type it
    does not cover (the message is then made anew)."""
    parts: list[Any] = [msg_id]
    for name, value in params.items():
        frozen = _frozen(value)
        if frozen is None:
            return None
        parts.append((name, frozen))
    return tuple(parts)


def _frozen(value: Any) -> tuple[Any, ...] | None:
    """``value`` as a hashable key, with its type: 1, 1.0 and True render differently but are
    equal in Python. Exact str, int, float, bool and None, lists and tuples of them, and messages
    (by ID, parameters and templates); None for anything else."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return (kind, value)
    if kind is list or kind is tuple:
        items = []
        for v in value:
            f = _frozen(v)
            if f is None:
                return None
            items.append(f)
        return (kind, tuple(items))
    if kind is Message:
        key = _memo_key(value.id, value.params)
        if key is None:
            return None
        own = tuple(sorted(value.own.items())) if value.own else None
        return (kind, key, own)
    return None


def message_json(text: str) -> dict[str, Any] | None:
    """The manifest form of a detail: ``{"id", "params"}`` when it is a :class:`Message`."""
    return text.to_json() if isinstance(text, Message) else None


def from_json(data: Mapping[str, Any], own: Mapping[str, Mapping[str, str]] | None = None) -> Message:
    """A :class:`Message` back from its manifest form (``own``: the app's templates, by ID)."""

    def param(value: Any) -> Any:
        if isinstance(value, Mapping) and "id" in value:
            return from_json(value, own)
        if isinstance(value, list):
            return [param(v) for v in value]
        return value

    msg_id = str(data["id"])
    params = {k: param(v) for k, v in (data.get("params") or {}).items()}
    return Message(msg_id, (own or {}).get(msg_id), **params)


def match(template: str, text: str) -> dict[str, str] | None:
    """The parameters that make ``template`` render as ``text`` exactly, or None: how a text
    written in code (an English sentence with values in it) becomes a message with parameters."""
    import re

    pattern, seen = [], set()
    for literal, name, _spec, _conv in _FORMATTER.parse(template):
        pattern.append(re.escape(literal))
        if name is None:
            continue
        if name in seen:
            pattern.append(f"(?P={name})")
        else:
            seen.add(name)
            pattern.append(f"(?P<{name}>.*?)")
    found = re.fullmatch("".join(pattern), text, flags=re.DOTALL)
    return None if found is None else found.groupdict()


def phrase(text: str, translations: Mapping[str, str], prefix: str) -> Message | str:
    """``text`` as a message when ``translations`` has it (an app's own sentence and its Dutch),
    else as written (a name or value)."""
    if text not in translations:
        return text
    import hashlib

    def literal(s: str) -> str:
        return s.replace("{", "{{").replace("}", "}}")

    key = f"{prefix}.{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}"
    return Message(key, {"en": literal(text), "nl": literal(translations[text])})
