"""Read ``landing-zone.yaml``: file access, YAML 1.2 parsing with positions, then validation.

The file is read with the YAML 1.2 core schema (:mod:`landing_zone.config.yaml12`): no octal
account IDs, no base-60 times, no ``yes``/``no`` booleans, no implicit dates.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from landing_zone.config.errors import ConfigError, Problem
from landing_zone.config.model import LandingZoneConfig
from landing_zone.config.validate import validate
from landing_zone.config.yaml12 import CLoader, PyLoader

DEFAULT_CONFIG_PATH = Path(__file__).parent / "defaults" / "landing-zone.yaml"
"""The embedded example configuration (a fictional municipality), used when no path is given."""

_START_FROM_EXAMPLE = "start from the example: python -m landing_zone.config example > landing-zone.yaml"


class _DuplicateKeys:
    """Reports keys written twice in one mapping (PyYAML silently keeps the last)."""

    def __init__(self, stream: str, source: str) -> None:
        super().__init__(stream)
        self.source = source
        self.problems: list[Problem] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[str, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            line = key_node.start_mark.line + 1
            if key_node.value in seen:
                self.problems.append(
                    Problem(
                        _position(self.source, key_node.start_mark),
                        f"key '{key_node.value}' is written twice in one mapping (first on line "
                        f"{seen[key_node.value]}); YAML would silently keep only the last one",
                        "merge the two entries into one, or remove one of them",
                    )
                )
            else:
                seen[key_node.value] = line
        return super().construct_mapping(node, deep=deep)


class _Loader(_DuplicateKeys, PyLoader):
    """The pure-Python YAML 1.2 loader: slower, with the most precise syntax error messages."""


class _FastLoader(_DuplicateKeys, CLoader):
    """libyaml's parser when PyYAML was built with it (about ten times faster on large organisations),
    with the YAML 1.2 core schema (:mod:`landing_zone.config.yaml12`)."""


def _position(source: str, mark: yaml.Mark) -> str:
    return f"{source}:{mark.line + 1}:{mark.column + 1}"


def _syntax_problem(error: yaml.YAMLError, source: str) -> Problem:
    """A YAML parse error as a problem at ``file:line:column``."""
    if not isinstance(error, yaml.MarkedYAMLError):
        return Problem(source, "the file is not valid YAML", "check the YAML syntax")
    mark = error.problem_mark or error.context_mark
    where = _position(source, mark) if mark else source
    problem = error.problem or "invalid YAML"
    context = (
        f" ({error.context} on line {error.context_mark.line + 1})"
        if error.context and error.context_mark
        else ""
    )
    if "'\\t'" in problem:
        fix = "YAML does not allow tabs for indentation: indent with spaces"
    else:
        fix = (
            f"check the indentation and punctuation on line {mark.line + 1 if mark else '?'} and the line "
            "before it; quote values that contain ': ' or start with a special character such as '*', "
            "'&' or '@'"
        )
    return Problem(where, f"invalid YAML: {problem}{context}", fix)


def parse(text: str, source: str = "<string>") -> tuple[Any, list[Problem]]:
    """Parse YAML text into plain data, with the problems found on the way."""
    loader = _FastLoader(text, source)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError:
        # report syntax errors with the pure-Python parser, whose messages name the culprit
        loader.dispose()
        loader = _Loader(text, source)
        try:
            data = loader.get_single_data()
        except yaml.YAMLError as error:
            return None, [*loader.problems, _syntax_problem(error, source)]
    finally:
        loader.dispose()
    if data is None:
        return None, [
            *loader.problems,
            Problem(source, "the file is empty (or only has comments)", _START_FROM_EXAMPLE),
        ]
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({data!r})"[:80]
        return None, [
            *loader.problems,
            Problem(
                source,
                f"the top level is {kind}, but it must be a mapping with keys such as 'version' and "
                "'organization'",
                f"write 'key: value' lines at the top level; {_START_FROM_EXAMPLE}",
            ),
        ]
    return data, loader.problems


def load_config_text(text: str, source: str = "<string>") -> LandingZoneConfig:
    """Load a configuration from YAML text; raise :class:`ConfigError` with every problem."""
    data, problems = parse(text, source)
    if data is None:
        raise ConfigError(problems, source)
    return validate(data, source, problems)


def load_config(path: str | os.PathLike[str] | None = None) -> LandingZoneConfig:
    """Load and validate ``landing-zone.yaml`` at ``path`` (None: the embedded example)."""
    file = Path(path) if path is not None else DEFAULT_CONFIG_PATH
    source = str(file)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        problem = Problem(source, "file not found", f"check the path; {_START_FROM_EXAMPLE}")
        raise ConfigError([problem], source) from None
    except UnicodeDecodeError:
        problem = Problem(source, "the file is not UTF-8 text", "save the file as UTF-8")
        raise ConfigError([problem], source) from None
    except OSError as error:
        problem = Problem(
            source, f"cannot read the file: {error.strerror or error}", "check the path and permissions"
        )
        raise ConfigError([problem], source) from None
    return load_config_text(text, source)
