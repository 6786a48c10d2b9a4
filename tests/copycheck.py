"""Our texts stay our own: no run of MAX_SHARED_RUN or more words shared with the official BIO2 text.

One helper for every test that checks summaries, facets and rationales against the official wording
(``from tests.copycheck import MAX_SHARED_RUN, official_runs, word_runs``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

#: Longest run of consecutive words our texts may share with the official measure texts.
MAX_SHARED_RUN = 8


def word_runs(text: str, n: int = MAX_SHARED_RUN) -> set[tuple[str, ...]]:
    """Every run of ``n`` consecutive words of ``text`` (lower case, punctuation dropped)."""
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def official_runs(entries: Iterable[Any]) -> set[tuple[str, ...]]:
    """The runs of every official entry's ``text`` (entry by entry)."""
    runs: set[tuple[str, ...]] = set()
    for entry in entries:
        runs |= word_runs(entry.text)
    return runs
