"""Every module command line answers --help (and nothing else happens), bio2 --version, no deprecated APIs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.clihelp import run_module

ROOT = Path(__file__).resolve().parents[2]


def _module_clis() -> list[str]:
    """Every module under landing_zone/ and bio2_aspects/ with a ``__main__`` guard or a __main__.py."""
    modules = []
    for package in ("landing_zone", "bio2_aspects"):
        for path in sorted((ROOT / package).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            if path.name == "__main__.py" or 'if __name__ == "__main__"' in text:
                parts = path.relative_to(ROOT).with_suffix("").parts
                modules.append(".".join(parts[:-1] if path.name == "__main__.py" else parts))
    return modules


MODULES = _module_clis()


def test_the_known_module_clis_are_found():
    assert {"landing_zone.security.runbook", "landing_zone.config", "bio2_aspects.cli"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_module_help(module):
    before = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout
    code, out, err = run_module(module, ["--help"])
    assert code == 0, err[-2000:]
    assert out.startswith("usage:"), out[:300]
    after = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout
    assert before == after, "--help wrote files"


def test_bio2_version():
    from bio2_aspects import __version__

    proc = subprocess.run(
        [sys.executable, "-m", "bio2_aspects.cli", "--version"], capture_output=True, text=True
    )
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"bio2 {__version__}"


def test_runbook_with_a_missing_config_exits_2_without_traceback(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "landing_zone.security.runbook", str(tmp_path / "nope.yaml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "file not found" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.synth
def test_the_default_landing_zone_uses_no_deprecated_api(tmp_path):
    """JSII_DEPRECATED=fail turns every deprecated aws-cdk-lib call into an error."""
    code = (
        "import sys; from pathlib import Path; from tests.synthkit import synth_landing_zone; "
        "synth_landing_zone(Path(sys.argv[1]))"
    )
    env = {**os.environ, "JSII_DEPRECATED": "fail"}
    proc = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "out")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "is deprecated" not in proc.stderr
