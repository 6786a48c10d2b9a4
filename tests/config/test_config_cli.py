"""``python -m landing_zone.config``, run as a user would run it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from landing_zone.config import docs, load_config_text

ROOT = Path(__file__).resolve().parents[2]
BAD = Path(__file__).parent / "bad"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "landing_zone.config", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_validate_default_is_ok() -> None:
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout
    assert "Gemeente Voorbeeldstad" in result.stdout


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("account-id-letters.yaml", "organization.accounts[name=security].id"),
        ("vpc-overlap.yaml", "network.vpcs[name=app-test].cidr"),
        ("yaml-syntax-error.yaml", "yaml-syntax-error.yaml:10:6"),
    ],
)
def test_validate_bad_file_exits_2_without_traceback(name: str, path: str) -> None:
    result = run("validate", str(BAD / name))
    assert result.returncode == 2
    assert result.stdout == ""
    assert f"error: {path}" in result.stderr or f"error: {BAD / name}" in result.stderr
    assert path in result.stderr
    assert "  fix: " in result.stderr
    assert "Traceback" not in result.stderr
    assert "pydantic" not in result.stderr


def test_validate_missing_file_exits_2(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2
    assert "file not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_example_prints_a_valid_config() -> None:
    result = run("example")
    assert result.returncode == 0
    assert load_config_text(result.stdout).organization.name == "Gemeente Voorbeeldstad"


def test_docs_check_and_write(tmp_path: Path) -> None:
    stale = run("docs", "--check", "--out-dir", str(tmp_path))
    assert stale.returncode == 2
    assert docs.REGENERATE in stale.stderr
    assert run("docs", "--out-dir", str(tmp_path)).returncode == 0
    assert run("docs", "--check", "--out-dir", str(tmp_path)).returncode == 0
    assert (tmp_path / docs.REFERENCE_FILE).read_text(encoding="utf-8") == docs.reference_text()


def test_schema_writes_only_the_schema(tmp_path: Path) -> None:
    assert run("schema", "--out-dir", str(tmp_path)).returncode == 0
    assert [path.name for path in tmp_path.iterdir()] == [docs.SCHEMA_FILE]
