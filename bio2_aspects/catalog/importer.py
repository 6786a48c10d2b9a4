"""Parser for the official BIO2 measures markdown (part 2, "BIO-overheidsmaatregelen").

The project does not ship the official Dutch texts. A user who has their own copy of
the markdown (``docs/maatregelen/index.md`` of the public repository
``MinBZK/Baseline-Informatiebeveiliging-Overheid``) can point the project at it with the
environment variable ``BIO2_OFFICIAL_MARKDOWN``; reports can then show the official
wording next to our summaries, and tests can check that our identifiers, statuses and
targets equal the official ones.

The format is one level-2 heading per identifier, followed by its text::

    ## 5.04.02
    Verplaatst naar 5.10.02.

The status of an entry is recognised from its text:

* ``Geen overheidsmaatregel ...`` -> ``no_government_measure``
* ``Verplaatst naar C.CC.NN.`` -> ``moved`` (with target)
* ``Vervallen.`` -> ``withdrawn``
* ``Zie overheidsmaatregel C.CC.NN.`` as the whole text -> ``reference`` (with target)
* anything else -> ``measure``
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .loader import Status, control_id_of

__all__ = [
    "OFFICIAL_MARKDOWN_ENV",
    "OfficialEntry",
    "find_official_markdown",
    "parse_official_markdown",
    "parse_official_text",
]

#: Environment variable naming the user's copy of the official BIO2 measures markdown.
OFFICIAL_MARKDOWN_ENV = "BIO2_OFFICIAL_MARKDOWN"

_ID = r"\d\.\d{2}\.\d{2}"
_ENTRY_ID = re.compile(rf"^{_ID}$")
# Any markdown ATX heading; the level is the number of '#'.
_HEADING = re.compile(r"^[ ]{0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$")
# A level-2 heading attempt without the space markdown requires, e.g. "##5.01.01".
_SQUASHED_HEADING = re.compile(r"^[ ]{0,3}##(?!#)\S")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"^geen overheidsmaatregel\b", re.IGNORECASE)
_MOVED_PREFIX = re.compile(r"^verplaatst\b", re.IGNORECASE)
_MOVED = re.compile(rf"^verplaatst naar ({_ID})\s*\.?$", re.IGNORECASE)
_WITHDRAWN = re.compile(r"^vervallen\s*\.?$", re.IGNORECASE)
_REFERENCE = re.compile(rf"^zie (?:overheids)?maatregel ({_ID})\s*\.?$", re.IGNORECASE)


@dataclass(frozen=True)
class OfficialEntry:
    """One ``## C.CC.NN`` section of the official markdown.

    ``text`` is the official body as found in the user's file, with ``<br>`` tags turned
    into line breaks, trailing whitespace removed and blank-line runs collapsed. It is
    meant for display next to our own summary and must not be copied into the project.
    """

    id: str
    status: Status
    target: str | None
    text: str
    line: int

    @property
    def control(self) -> str:
        """ISO control ID of the entry: ``"5.01.01"`` -> ``"5.1"``."""
        return control_id_of(self.id)


def find_official_markdown() -> Path | None:
    """Path of the user's official markdown from ``BIO2_OFFICIAL_MARKDOWN``, or None if unset.

    Raises:
        FileNotFoundError: if the variable is set but does not name an existing file, so a
            misconfiguration is reported instead of silently ignored.
    """
    value = os.environ.get(OFFICIAL_MARKDOWN_ENV, "").strip()
    if not value:
        return None
    path = Path(value).expanduser()
    if not path.is_file():
        raise FileNotFoundError(f"{OFFICIAL_MARKDOWN_ENV}={value!r} does not name an existing file")
    return path


def parse_official_markdown(path: str | os.PathLike[str]) -> dict[str, OfficialEntry]:
    """Parse the official BIO2 measures markdown file at ``path``.

    Returns:
        Every ``## C.CC.NN`` entry keyed by ID, in document order.

    Raises:
        ValueError: for a malformed or duplicate identifier heading, an empty entry or an
            unreadable "Verplaatst" line; the message names the file and line.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    return parse_official_text(text, source=str(path))


def parse_official_text(text: str, source: str = "<text>") -> dict[str, OfficialEntry]:
    """Parse official BIO2 measures markdown given as a string (see :func:`parse_official_markdown`).

    Level-2 headings whose text starts with a digit must be a BIO2 identifier
    ``C.CC.NN``; other headings end the current entry and are otherwise ignored, as is
    everything before the first identifier heading.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    entries: dict[str, OfficialEntry] = {}
    current: tuple[str, int] | None = None  # (id, heading line number)
    body: list[str] = []

    def close() -> None:
        if current is None:
            return
        entry_id, line_no = current
        entries[entry_id] = _make_entry(entry_id, line_no, body, source)

    for line_no, line in enumerate(lines, start=1):
        heading = _HEADING.match(line)
        if heading is None:
            if _SQUASHED_HEADING.match(line) and line.strip()[2:3].isdigit():
                raise ValueError(
                    f"{source}:{line_no}: malformed measure heading {line.strip()!r} "
                    "(expected '## C.CC.NN' with a space after '##')"
                )
            body.append(line)
            continue
        close()
        current, body = None, []
        level, title = len(heading.group(1)), (heading.group(2) or "").strip()
        if level != 2 or not title[:1].isdigit():
            continue
        if not _ENTRY_ID.match(title):
            raise ValueError(
                f"{source}:{line_no}: malformed measure heading {line.strip()!r} "
                "(expected '## C.CC.NN', e.g. '## 8.15.02')"
            )
        if title in entries:
            raise ValueError(
                f"{source}:{line_no}: duplicate measure heading {title} (first at line {entries[title].line})"
            )
        current = (title, line_no)
    close()
    return entries


def _clean_body(lines: list[str]) -> str:
    """Turn ``<br>`` into line breaks, strip trailing spaces and surplus blank lines."""
    text = _BR.sub("\n", "\n".join(lines)).replace("\u00a0", " ")
    out: list[str] = []
    for raw in text.split("\n"):
        line = raw.rstrip()
        if not line and (not out or not out[-1]):
            continue  # drop leading blank lines and collapse runs of blank lines
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def _make_entry(entry_id: str, line_no: int, lines: list[str], source: str) -> OfficialEntry:
    text = _clean_body(lines)
    flat = " ".join(text.split())
    if not flat:
        raise ValueError(f"{source}:{line_no}: measure heading {entry_id} has no text")

    status, target = Status.MEASURE, None
    if _PLACEHOLDER.match(flat):
        status = Status.NO_GOVERNMENT_MEASURE
    elif _WITHDRAWN.match(flat):
        status = Status.WITHDRAWN
    elif moved := _MOVED.match(flat):
        status, target = Status.MOVED, moved.group(1)
    elif _MOVED_PREFIX.match(flat):
        raise ValueError(
            f"{source}:{line_no}: cannot read the target of moved entry {entry_id}: {flat!r} "
            "(expected 'Verplaatst naar C.CC.NN.')"
        )
    elif reference := _REFERENCE.match(flat):
        status, target = Status.REFERENCE, reference.group(1)
    return OfficialEntry(id=entry_id, status=status, target=target, text=text, line=line_no)
