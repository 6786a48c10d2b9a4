"""Every file in ``bad/`` is a small, realistic configuration with a mistake.

Header comments say what the loader must report:

- ``# expect: <substring>``: the path of a problem contains it (required);
- ``# expect-message: <substring>`` and ``# expect-fix: <substring>``: that problem's message
  or fix contains it;
- ``# expect-count: <n>``: the number of problems (default 1: one mistake, one problem).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from landing_zone.config import ConfigError, Problem, load_config

BAD = Path(__file__).parent / "bad"
FILES = sorted(BAD.glob("*.yaml"))
_HEADER = re.compile(r"^# (expect(?:-message|-fix|-count)?): (.+)$")


def expectations(path: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _HEADER.match(line)
        if match:
            found[match.group(1)] = match.group(2).strip()
    return found


def test_corpus_is_large_enough() -> None:
    assert len(FILES) >= 30
    for path in FILES:
        assert path.read_text(encoding="utf-8").startswith("# expect: "), path.name


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_bad_config_is_reported(path: Path) -> None:
    expected = expectations(path)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    error = caught.value
    text = str(error)

    matching: list[Problem] = [problem for problem in error.problems if expected["expect"] in problem.path]
    assert matching, f"no problem at {expected['expect']!r}:\n{text}"
    if "expect-message" in expected:
        assert any(expected["expect-message"] in problem.message for problem in matching), text
    if "expect-fix" in expected:
        assert any(expected["expect-fix"] in problem.fix for problem in matching), text
    assert len(error.problems) == int(expected.get("expect-count", 1)), text

    assert all(problem.fix.strip() for problem in error.problems), text
    assert all(problem.message.strip() and problem.path.strip() for problem in error.problems), text
    for leak in ("Traceback", "pydantic", "errors.pydantic.dev", "Input should be", "validation error"):
        assert leak not in text, f"{leak!r} leaked into:\n{text}"
    assert text.splitlines()[0].startswith(f"{path}: {len(error.problems)} problem")
