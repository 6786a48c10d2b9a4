"""Building blocks shared by every section model.

- :class:`ConfigModel`: the base of every model (unknown keys are errors, instances are frozen).
- :class:`Hint`: ``Annotated`` metadata that tells the error translator how to explain a bad
  value of a field in the user's terms. Pydantic ignores it.
- :func:`invalid`: the error a custom validator raises, carrying our own message and fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError


class ConfigModel(BaseModel):
    """Base model: unknown keys are rejected and validated instances cannot be changed."""

    model_config = ConfigDict(extra="forbid", frozen=True)


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
