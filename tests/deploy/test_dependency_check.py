"""`.ci/run` refuses dependencies on local files or URLs (checked on temp copies of the project files)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / ".ci" / "check_dependencies.py"
FILES = ("constraints.txt", "pyproject.toml", "package.json", "package-lock.json")


def _copy(tmp_path: Path) -> Path:
    for name in FILES:
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def _run(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(CHECK), str(root)], capture_output=True, text=True)


def test_the_project_uses_registry_dependencies_only():
    proc = _run(ROOT)
    assert proc.returncode == 0, proc.stderr


def test_ci_runs_the_check_before_anything_else():
    lines = [
        line
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.startswith(("python3", "make"))
    ]
    assert lines[0] == "python3 .ci/check_dependencies.py"


@pytest.mark.parametrize(
    "line",
    [
        "sarif-kit @ file:///tmp/wheels/sarif_kit-0.3.0-py3-none-any.whl",
        "sarif-kit @ https://example.org/sarif_kit-0.3.0.tar.gz",
        "/tmp/wheels/sarif_kit-0.3.0-py3-none-any.whl",
        "./vendor/sarif_kit",
        "-e ../sarif-kit",
        "git+https://github.com/example/sarif-kit@v0.3.0",
        "--find-links /tmp/wheels",
        "--extra-index-url https://mirror.example/simple",
    ],
)
def test_a_local_or_url_dependency_in_constraints_fails(tmp_path, line):
    root = _copy(tmp_path)
    with (root / "constraints.txt").open("a") as fh:
        fh.write(line + "\n")
    proc = _run(root)
    assert proc.returncode == 1
    assert "constraints.txt:" in proc.stderr and line in proc.stderr
    assert "fix:" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_direct_reference_in_pyproject_fails(tmp_path):
    root = _copy(tmp_path)
    text = (root / "pyproject.toml").read_text()
    text = text.replace('"PyYAML>=6.0,<7",', '"PyYAML @ file:///tmp/PyYAML-6.0.3.whl",')
    (root / "pyproject.toml").write_text(text)
    proc = _run(root)
    assert proc.returncode == 1
    assert "pyproject.toml [project.dependencies]" in proc.stderr


def test_a_requirements_file_anywhere_is_checked(tmp_path):
    root = _copy(tmp_path)
    (root / "docs").mkdir()
    (root / "docs" / "requirements-docs.txt").write_text("mkdocs==1.6.1\nfoo @ file:///tmp/foo.whl\n")
    proc = _run(root)
    assert proc.returncode == 1
    assert "docs/requirements-docs.txt:2" in proc.stderr


def test_a_local_npm_package_fails(tmp_path):
    root = _copy(tmp_path)
    text = (root / "package.json").read_text().replace('"2.1148.1"', '"file:../aws-cdk"', 1)
    (root / "package.json").write_text(text)
    proc = _run(root)
    assert proc.returncode == 1
    assert "package.json [devDependencies.aws-cdk]" in proc.stderr


def test_registry_pins_and_ranges_pass(tmp_path):
    root = _copy(tmp_path)
    with (root / "constraints.txt").open("a") as fh:
        fh.write("# a comment with a URL https://example.org is fine\nzope.interface==7.2\nfoo[bar]>=1,<2\n")
    assert _run(root).returncode == 0
