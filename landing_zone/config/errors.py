"""Problems found in a configuration file, and the exception that carries all of them.

Every problem names *where* it is (a config path such as ``organization.accounts[2].id``, or
``file:line:column`` for YAML syntax), *what* is wrong and *how to fix it*. The loader
collects every problem before it raises, so a platform team sees all of them in one run.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the configuration."""

    path: str
    """Where: a config path (``network.vpcs[2].cidr``) or a file position (``landing-zone.yaml:12:5``)."""
    message: str
    """What is wrong, in one sentence."""
    fix: str
    """What to change to make it right."""

    def format(self) -> str:
        """Render as ``error: <path>: <message>`` and an indented ``fix:`` line."""
        return f"error: {self.path}: {self.message}\n  fix: {self.fix}"

    def __str__(self) -> str:
        return self.format()


class ConfigError(Exception):
    """The configuration cannot be used; :attr:`problems` lists every reason."""

    def __init__(self, problems: Sequence[Problem], source: str = "<string>") -> None:
        self.problems: list[Problem] = list(problems)
        self.source = source
        super().__init__(self.format())

    def format(self) -> str:
        """A header naming the file and the count, then every problem."""
        count = len(self.problems)
        header = f"{self.source}: {count} problem{'' if count == 1 else 's'}"
        return "\n".join([header, *(problem.format() for problem in self.problems)])

    def __str__(self) -> str:
        return self.format()

    def __reduce__(self) -> tuple[type[ConfigError], tuple[list[Problem], str]]:
        return (type(self), (self.problems, self.source))


def path_of(*parts: str | int) -> str:
    """Build a config path: ``path_of("network", "vpcs", 2, "cidr")`` -> ``network.vpcs[2].cidr``.

    Integers become list indexes; keys that are not plain words (``Workloads/Prod``) are quoted:
    ``classification.ous["Workloads/Prod"]``.
    """
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            out += f".{part}" if out else part
        else:
            out += f'["{part}"]'
    return out


def closest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The candidate most similar to ``word`` (difflib), or None when nothing is close."""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=cutoff)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str:
    """``"did you mean 'x'? "`` for the closest candidate, or an empty string."""
    match = closest(word, candidates, cutoff)
    return f"did you mean '{match}'? " if match else ""


def duplicates(values: Iterable[str]) -> list[tuple[int, int]]:
    """Pairs ``(index, index_of_first_occurrence)`` for every value seen before."""
    first: dict[str, int] = {}
    found: list[tuple[int, int]] = []
    for index, value in enumerate(values):
        if value in first:
            found.append((index, first[value]))
        else:
            first[value] = index
    return found
