"""Building blocks shared by every section model.

- :class:`ConfigModel`: the base of every model (unknown keys are errors, instances are frozen).
- :class:`Hint`: ``Annotated`` metadata that tells the error translator how to explain a bad
  value of a field in the user's terms. Pydantic ignores it.
- :func:`invalid`: the error a custom validator raises, carrying our own message and fix.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError


def _is_bool(annotation: Any) -> bool:
    """``bool`` or ``bool | None`` (optionally ``Annotated``)."""
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        members = [arg for arg in get_args(annotation) if arg is not type(None)]
        return len(members) == 1 and _is_bool(members[0])
    return annotation is bool


class ConfigModel(BaseModel):
    """Base model: unknown keys are rejected and validated instances cannot be changed.

    A boolean is only ``true`` or ``false``: pydantic would also take ``yes``, ``on``, ``1`` or
    ``"off"``, which YAML 1.1 and 1.2 read differently (YAML 1.2 keeps them as text).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _only_true_or_false(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, bool) or value is None:
            return value
        fields = cls.__dict__.get("_bool_fields_cache")
        if fields is None:
            fields = frozenset(name for name, f in cls.model_fields.items() if _is_bool(f.annotation))
            type.__setattr__(cls, "_bool_fields_cache", fields)
        if info.field_name in fields:
            from landing_zone.config.yaml12 import source_text

            raise invalid(
                f"expected true or false, got '{source_text(value)}'",
                f"write {info.field_name}: true or {info.field_name}: false (YAML 1.2 booleans; yes, no, on "
                "and off are text)",
            )
        return value


@dataclass(frozen=True)
class Hint:
    """How to explain a bad value of a field.

    ``expected`` completes the sentence "the value must be ...", ``example`` shows a valid
    value and ``fix`` (optional) replaces the generated fix text entirely.
    """

    expected: str
    example: str | None = None
    fix: str | None = None


def invalid(message: str, fix: str) -> PydanticCustomError:
    """An error for a custom validator to raise: the translator shows ``message`` and ``fix`` as is."""
    return PydanticCustomError("landing_zone", "{message}", {"message": message, "fix": fix})


EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"

Email = Annotated[
    str,
    Field(pattern=EMAIL_PATTERN, max_length=254),
    Hint(expected="an e-mail address", example="aws-security@voorbeeldstad.example"),
]
"""An e-mail address (a light syntax check; AWS checks deliverability)."""
