"""Turn pydantic validation errors into :class:`Problem` objects in the user's terms.

Pydantic's own messages ("Input should be a valid string", links to errors.pydantic.dev)
never reach the user. Each error is located in the models again (:func:`_locate`) to word
the message and the fix: the allowed keys for a typo, the values a literal takes, the field's
:class:`~landing_zone.config.base.Hint`, bounds or description.
"""

from __future__ import annotations

import types
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from annotated_types import Ge, Le
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from landing_zone.config.base import Hint
from landing_zone.config.errors import Problem, did_you_mean, path_of
from landing_zone.config.yaml12 import source_text

_BOUND_WORDS = {
    "greater_than_equal": ("small", "at least"),
    "greater_than": ("small", "more than"),
    "less_than_equal": ("large", "at most"),
    "less_than": ("large", "less than"),
}


@dataclass
class _Location:
    """What the models say about the place an error points at."""

    annotation: Any = None
    metadata: list[Any] = field(default_factory=list)
    description: str = ""

    def first(self, kind: type) -> Any:
        return next((item for item in self.metadata if isinstance(item, kind)), None)

    @property
    def model(self) -> type[BaseModel] | None:
        annotation = self.annotation
        return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None

    @property
    def literals(self) -> list[str]:
        return (
            [str(arg) for arg in get_args(self.annotation)] if get_origin(self.annotation) is Literal else []
        )

    @property
    def range(self) -> str:
        """`` from 1 to 12``, `` of at least 1``... from the Ge/Le bounds, or empty."""
        low, high = self.first(Ge), self.first(Le)
        if low and high:
            return f" from {low.ge} to {high.le}"
        if low:
            return f" of at least {low.ge}"
        return f" of at most {high.le}" if high else ""


def _unwrap(annotation: Any, metadata: list[Any]) -> Any:
    """Strip ``Annotated`` (collecting its metadata, also from nested ``Field()``) and ``Optional``."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            for item in annotation.__metadata__:
                metadata.extend(item.metadata if isinstance(item, FieldInfo) else [item])
            annotation = annotation.__origin__
        elif origin in (Union, types.UnionType) and type(None) in get_args(annotation):
            members = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation


def _locate(root: type[BaseModel], loc: tuple[str | int, ...]) -> _Location:
    """Follow ``loc`` through the models; give up quietly where they do not say more."""
    here = _Location(root)
    for part in loc:
        origin = get_origin(here.annotation)
        if here.model is not None:
            info = here.model.model_fields.get(str(part))
            if info is None:
                return _Location()
            here = _Location(info.annotation, list(info.metadata), info.description or "")
        elif origin in (list, tuple) and isinstance(part, int):
            here = _Location(get_args(here.annotation)[0])
        elif origin is dict and part != "[key]":
            here = _Location(get_args(here.annotation)[1])
        else:
            return _Location()
        here.annotation = _unwrap(here.annotation, here.metadata)
    return here


def _show(value: Any) -> str:
    """A short description of a YAML value for messages."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return f"the number {source_text(value)}"
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 60 else f"'{value[:57]}...'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping (key: value pairs)"
    return type(value).__name__


def _message_and_fix(error: ErrorDetails, where: _Location, root: type[BaseModel]) -> tuple[str, str]:
    """The message and the generated fix for one pydantic error at ``where``."""
    loc = tuple(error["loc"])
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    key = str(loc[-1]) if loc else ""
    hint = where.first(Hint)
    expected = hint.expected if hint else None
    example = f", such as {hint.example}" if hint and hint.example else ""
    wanted = f"{expected}{example}" if expected else ""
    about = f" ({where.description.rstrip('.')})" if where.description else ""

    if kind == "missing":
        return f"required key '{key}' is missing", f"add '{key}:'{about}{example}"
    if kind in ("extra_forbidden", "invalid_key"):
        parent = _locate(root, loc[:-1]).model
        allowed = list(parent.model_fields) if parent else []
        suggestion = did_you_mean(key, allowed)
        home = _home_of(root, key, loc[:-1]) if not suggestion else None
        if home is not None:
            return (
                f"'{key}' is not a key here, but it is a key of {home}: it looks like it lost its "
                "indentation",
                f"indent '{key}' (and the lines that belong with it) under '{home.rsplit('.', 1)[-1]}:' so "
                f"that it is read as {home}.{key}; do not delete it, that would drop the setting",
            )
        fix = (
            f"{suggestion}fix the spelling"
            if suggestion
            else "fix its spelling, or remove it if it is not needed"
        )
        return f"unknown key '{key}'", fix + (f"; allowed keys here: {', '.join(allowed)}" if allowed else "")
    if kind == "literal_error":
        choices = where.literals or [str(ctx.get("expected", ""))]
        if len(choices) == 1:
            return f"{_show(value)} is not allowed here", f"write '{key}: {choices[0]}'"
        return (
            f"{_show(value)} is not allowed here",
            f"{did_you_mean(str(value), choices)}use one of: {', '.join(choices)}",
        )
    if kind == "string_type":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return f"expected text, got {_show(value)}", f'put the value in quotes: "{source_text(value)}"'
        return f"expected text, got {_show(value)}", f"write {wanted}" if wanted else f"write a value{about}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {_show(value)}", f"write a whole number{where.range}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {_show(value)}", "write true or false"
    if kind in ("list_type", "tuple_type"):
        return f"expected a list, got {_show(value)}", "write one item per line, each starting with '- '"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        if value is None:
            return (
                f"'{key}' is empty",
                f"add its keys indented below '{key}:', or remove the line to use the defaults",
            )
        return (
            f"expected a mapping (key: value pairs), got {_show(value)}",
            f"write 'key: value' lines under '{key}'",
        )
    if kind == "string_pattern_mismatch":
        return (
            f"{_show(value)} is not {expected or 'in the expected format'}",
            f"write {wanted}" if wanted else f"write a value that matches {ctx.get('pattern')}",
        )
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return f"'{key}' is empty", f"write a value{about}"
    if kind in ("string_too_short", "string_too_long"):
        short = kind == "string_too_short"
        limit = f"at least {ctx.get('min_length')}" if short else f"at most {ctx.get('max_length')}"
        return (
            f"{_show(value)} is too {'short' if short else 'long'}",
            f"write {expected or limit + ' characters'}",
        )
    if kind in ("too_short", "too_long"):
        limit = (
            f"at least {ctx.get('min_length')}" if kind == "too_short" else f"at most {ctx.get('max_length')}"
        )
        return f"'{key}' has {ctx.get('actual_length')} items", f"give {limit} items"
    if kind in _BOUND_WORDS:
        size, relation = _BOUND_WORDS[kind]
        limit = next(iter(ctx.values()), "?")
        return (
            f"{value} is too {size}: it must be {relation} {limit}",
            f"write {expected or f'a number{where.range}'}",
        )
    return (
        f"invalid value {_show(value)}",
        f"write {wanted or where.description.rstrip('.') or 'a valid value'}",
    )


def _home_of(root: type[BaseModel], key: str, here: tuple[str | int, ...]) -> str | None:
    """The config path of the one model (up to three levels deep) that has a field ``key``, else None."""
    found: list[str] = []
    queue: list[tuple[str, type[BaseModel], int]] = [("", root, 0)]
    while queue:
        path, model, depth = queue.pop(0)
        for name, info in model.model_fields.items():
            child = _unwrap(info.annotation, [])
            if isinstance(child, type) and issubclass(child, BaseModel):
                child_path = f"{path}.{name}" if path else name
                if key in child.model_fields and child_path != path_of(*(str(p) for p in here)):
                    found.append(child_path)
                if depth < 2:
                    queue.append((child_path, child, depth + 1))
    return found[0] if len(found) == 1 else None


def problems_from(error: ValidationError, root: type[BaseModel]) -> list[Problem]:
    """Every error of ``error`` as a Problem, in pydantic's order (which follows the models)."""
    details = error.errors(include_url=False)
    problems = []
    for detail in details:
        loc = tuple(detail["loc"])
        if detail["type"] == "too_short" and any(
            tuple(other["loc"])[: len(loc)] == loc != tuple(other["loc"]) for other in details
        ):
            continue  # pydantic counts only the valid items: the errors of the items say it all
        if detail["type"] == "invalid_key":
            loc = (*loc[:-1], str(loc[-1]))
        path = path_of(*(part for part in loc if part != "[key]")) or "(top level)"
        ctx = detail.get("ctx") or {}
        if "fix" in ctx:  # raised by our own validators through base.invalid()
            problems.append(Problem(path, str(ctx["message"]), str(ctx["fix"])))
            continue
        where = _locate(root, loc)
        message, fix = _message_and_fix(detail, where, root)
        hint = where.first(Hint)
        if hint and hint.fix:
            fix = f"add '{loc[-1]}:' and {hint.fix}" if detail["type"] == "missing" else hint.fix
        problems.append(Problem(path, message, fix))
    return problems
