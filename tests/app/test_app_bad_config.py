"""A bad configuration stops the app with exit code 2, the field path and a fix, and writes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BAD = """version: 1
organization:
  name: Test
  ous: [{name: Security}]
  accounts:
    - {name: management, id: "12345", email: a@b.example, ou: Root, role: management}
"""


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}:{env.get('PATH', '')}"
    env["CDK_OUTDIR"] = str(tmp_path / "out")
    return env


def test_app_py_exits_2_with_the_field_path(tmp_path):
    cfg = tmp_path / "landing-zone.yaml"
    cfg.write_text(BAD)
    env = _env(tmp_path)
    env["LZ_CONFIG"] = str(cfg)
    proc = subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 2, proc.stderr
    assert "organization.accounts[name=management].id" in proc.stderr
    assert "fix:" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not (tmp_path / "out").exists()


def test_app_py_reads_the_config_from_context(tmp_path):
    cfg = tmp_path / "landing-zone.yaml"
    cfg.write_text(BAD)
    env = _env(tmp_path)
    env["CDK_CONTEXT_JSON"] = json.dumps({"config": str(cfg)})
    proc = subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 2
    assert "organization.accounts[name=management].id" in proc.stderr


def test_make_synth_with_a_bad_config_exits_2(tmp_path):
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("version: 1\norganization:\n  name: X\n  acounts: []\n")
    proc = subprocess.run(
        ["make", "--no-print-directory", "synth", f"CONFIG={cfg}"], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "organization.acounts" in proc.stderr or "organization.acounts" in proc.stdout
    assert "did you mean" in (proc.stderr + proc.stdout).lower()
    assert "Traceback" not in proc.stderr + proc.stdout
