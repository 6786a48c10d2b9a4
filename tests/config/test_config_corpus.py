"""The bad-config corpus of issue 16 (``tests/config/corpus/``, written by ``make_corpus.py``).

For every file: ``validate`` and the CDK entry both exit 2 without a traceback, name the path and
the fix, write nothing; and the fix, applied to the file, gives a configuration that validates.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from landing_zone import entry
from landing_zone.config import ConfigError, load_config_text
from landing_zone.config.__main__ import main as config_main

CORPUS = Path(__file__).parent / "corpus"
FILES = sorted(CORPUS.glob("*.yaml"))
_HEADER = re.compile(r"^# (class|expect|expect-fix|fix-replace): (.*)$")


def body(path: Path) -> str:
    """The file without its header comments (the fix is applied to this)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    while lines and _HEADER.match(lines[0]):
        lines.pop(0)
    return "\n".join(lines)


def header(path: Path) -> tuple[dict[str, str], list[tuple[str, str]]]:
    found: dict[str, str] = {}
    fixes: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _HEADER.match(line)
        if not match:
            break
        key, value = match.groups()
        if key == "fix-replace":
            old, _, new = value.partition(" => ")
            fixes.append((old.replace("\\n", "\n"), new.replace("\\n", "\n")))
        else:
            found[key] = value
    return found, fixes


def test_corpus_has_at_least_80_files_in_every_class() -> None:
    assert len(FILES) >= 80
    classes = {header(path)[0]["class"] for path in FILES}
    assert {
        "yaml-types",
        "firewall-order",
        "segment-isolation",
        "baseline-coverage",
        "region-guardrails",
        "routing",
        "identity",
        "conflict",
        "capacity",
        "messages",
    } <= classes


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_bad_file_is_refused_cleanly_and_its_fix_works(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    expected, fixes = header(path)
    monkeypatch.chdir(tmp_path)

    # validate: exit 2, the path and the fix, no traceback
    assert config_main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    problem_lines = [line for line in err.splitlines() if line.startswith("error: ")]
    matching = [line for line in problem_lines if expected["expect"] in line.split(": ", 2)[1]]
    assert matching, f"no problem at {expected['expect']!r}:\n{err}"
    assert err.count("  fix: ") == len(problem_lines)
    if expected.get("expect-fix"):
        assert expected["expect-fix"] in err, err
    assert "KNOWN_REGIONS" not in err and "landing_zone/" not in err, err

    # the CDK entry: exit 2, same report, nothing written
    monkeypatch.setenv("LZ_CONFIG", str(path))
    monkeypatch.setenv("CDK_OUTDIR", str(tmp_path / "cdk.out"))
    monkeypatch.delenv("CDK_CONTEXT_JSON", raising=False)
    assert entry.main() == 2
    assert expected["expect"] in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []

    # the fix leads to a valid configuration
    text = body(path)
    assert fixes, "every corpus file says how to apply its fix"
    for old, new in fixes:
        assert text.count(old) == 1, f"fix text not found once: {old!r}"
        text = text.replace(old, new)
    try:
        load_config_text(text, f"{path.name} (fixed)")
    except ConfigError as error:  # pragma: no cover - the message is the point
        pytest.fail(f"the fix does not lead to a valid configuration:\n{error}")
