"""A YAML 1.2 reading of ``landing-zone.yaml``: the core schema, on libyaml's parser.

PyYAML implements YAML 1.1, whose implicit types turn configuration values into something else
than the text the user wrote: ``012345678901`` is octal, ``72:00`` is base 60 (4,320),
``yes``/``no``/``on``/``off`` are booleans and ``2026-12-31`` is a date. The YAML 1.2 core
schema has none of these: a plain scalar is ``null``, ``true``/``false``, a decimal, octal
(``0o``) or hexadecimal (``0x``) integer, a float, or text.

Numbers keep the text they were written as (:class:`YamlInt`, :class:`YamlFloat`), so that an
ID written without quotes (``id: 8.30``) is reported with the text the user wrote and the fix
quotes that text (``"8.30"``, not ``"8.3"``).
"""

from __future__ import annotations

import re
from typing import Any

import yaml


class YamlInt(int):
    """An integer read from YAML that remembers how it was written."""

    yaml_text: str

    def __new__(cls, value: int, text: str) -> YamlInt:
        self = super().__new__(cls, value)
        self.yaml_text = text
        return self

    def __reduce__(self) -> tuple[type[int], tuple[int]]:
        return (int, (int(self),))


class YamlFloat(float):
    """A float read from YAML that remembers how it was written."""

    yaml_text: str

    def __new__(cls, value: float, text: str) -> YamlFloat:
        self = super().__new__(cls, value)
        self.yaml_text = text
        return self

    def __reduce__(self) -> tuple[type[float], tuple[float]]:
        return (float, (float(self),))


def source_text(value: Any) -> str:
    """The text a YAML value was written as (numbers as written: ``8.30``), else ``str(value)``."""
    text = getattr(value, "yaml_text", None)
    if text is not None:
        return text
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


class Yaml12Resolver(yaml.resolver.Resolver):
    """Implicit types of the YAML 1.2 core schema (plus ``<<`` merge keys, which PyYAML documents use)."""

    yaml_implicit_resolvers: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {}


for _tag, _regexp, _first in (
    ("tag:yaml.org,2002:null", _NULL, ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", _BOOL, list("tTfF")),
    ("tag:yaml.org,2002:int", _INT, list("-+0123456789")),
    ("tag:yaml.org,2002:float", _FLOAT, list("-+.0123456789")),
    ("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"]),
):
    Yaml12Resolver.add_implicit_resolver(_tag, _regexp, _first)


class Yaml12Constructor(yaml.constructor.SafeConstructor):
    """Builds the core-schema values; numbers keep their text."""

    yaml_constructors = dict(yaml.constructor.SafeConstructor.yaml_constructors)

    def construct_core_bool(self, node: yaml.ScalarNode) -> bool:
        return str(self.construct_scalar(node)).lower() == "true"

    def construct_core_int(self, node: yaml.ScalarNode) -> int:
        text = str(self.construct_scalar(node))
        if text.startswith("0o"):
            value = int(text[2:], 8)
        elif text.startswith("0x"):
            value = int(text[2:], 16)
        else:
            value = int(text, 10)  # YAML 1.2: a leading zero is still decimal, never octal
        return YamlInt(value, text)

    def construct_core_float(self, node: yaml.ScalarNode) -> float:
        text = str(self.construct_scalar(node))
        lowered = text.lower()
        if lowered.endswith(".inf"):
            value = float("-inf") if lowered.startswith("-") else float("inf")
        elif lowered == ".nan":
            value = float("nan")
        else:
            value = float(text)
        return YamlFloat(value, text)


Yaml12Constructor.add_constructor("tag:yaml.org,2002:bool", Yaml12Constructor.construct_core_bool)
Yaml12Constructor.add_constructor("tag:yaml.org,2002:int", Yaml12Constructor.construct_core_int)
Yaml12Constructor.add_constructor("tag:yaml.org,2002:float", Yaml12Constructor.construct_core_float)
# an explicit !!timestamp stays text: no implicit dates in YAML 1.2
Yaml12Constructor.add_constructor(
    "tag:yaml.org,2002:timestamp", yaml.constructor.SafeConstructor.construct_yaml_str
)


class PyLoader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    Yaml12Constructor,
    Yaml12Resolver,
):
    """The pure-Python YAML 1.2 loader: slower, with the most precise syntax error messages."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        Yaml12Constructor.__init__(self)
        Yaml12Resolver.__init__(self)


try:
    from yaml.cyaml import CParser
except ImportError:  # pragma: no cover - PyYAML without libyaml
    CParser = None

if CParser is not None:

    class CLoader(CParser, Yaml12Constructor, Yaml12Resolver):  # type: ignore[misc]
        """libyaml's parser (about ten times faster on large organisations) with the YAML 1.2 core schema."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Yaml12Constructor.__init__(self)
            Yaml12Resolver.__init__(self)

else:  # pragma: no cover - PyYAML without libyaml
    CLoader = PyLoader  # type: ignore[misc,assignment]


def load(text: str) -> Any:
    """Parse one YAML document with the YAML 1.2 core schema (for tests and tools)."""
    loader = CLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


class Dumper(yaml.SafeDumper):
    """Writes what :func:`load` read (numbers as written); strings that look like numbers are quoted."""


Dumper.add_representer(
    YamlInt, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:int", value.yaml_text)
)
Dumper.add_representer(
    YamlFloat, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:float", value.yaml_text)
)


def dump(data: Any) -> str:
    """YAML text for ``data`` that :func:`load` reads back to the same values."""
    return yaml.dump(data, Dumper=Dumper, sort_keys=False, width=120, allow_unicode=True)
