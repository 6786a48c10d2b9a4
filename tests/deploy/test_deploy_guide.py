"""docs/deploy.md: every command in it is a CDK CLI command the pinned CLI accepts, or runs offline.

Commands are the lines of the ```sh blocks. A project command runs with ``--help`` appended (the
arguments are parsed up to the help), ``make`` targets with ``make -n``; a ``cdk`` command must name
a subcommand of the pinned CLI and only options its ``--help`` lists. ``| bash`` (running what a
command printed) and ``> file`` are allowed around a checked command.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.deploy.clihelp import run_module

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "deploy.md"
CDK = [str(ROOT / ".venv" / "bin" / "node"), str(ROOT / "node_modules" / "aws-cdk" / "bin" / "cdk")]
ENV = {**os.environ, "CDK_DISABLE_CLI_TELEMETRY": "true", "CDK_DISABLE_VERSION_CHECK": "true"}


def commands() -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"^ *```sh\n(.*?)^ *```", text, flags=re.S | re.M):
        for line in block.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                out.append(line)
    return out


COMMANDS = commands()


def segments(command: str) -> list[list[str]]:
    """The command split at pipes, without output redirections."""
    out = []
    for part in command.split(" | "):
        words = shlex.split(part)
        if ">" in words:
            words = words[: words.index(">")]
        out.append(words)
    return out


@functools.cache
def cdk_help(subcommand: str) -> str:
    proc = subprocess.run(
        [*CDK, subcommand, "--help"], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout + proc.stderr


def test_the_guide_has_the_sections_in_order():
    headings = re.findall(r"^## \d+\. (.+)$", GUIDE.read_text(encoding="utf-8"), flags=re.M)
    order = ["Prerequisites", "Bootstrap", "Before the first deploy", "First deploy", "pipeline"]
    order += ["Adding an account", "Upgrading", "Rolling back"]
    positions = [next(i for i, h in enumerate(headings) if key.lower() in h.lower()) for key in order]
    assert positions == sorted(positions), headings


def test_the_guide_has_commands():
    assert len(COMMANDS) >= 15
    assert any(c.startswith("python -m landing_zone.pipeline bootstrap --dry-run") for c in COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_command(command):
    for index, words in enumerate(segments(command)):
        if index > 0:
            assert words == ["bash"], f"only '| bash' may follow a command: {command}"
            continue
        check(words, command)


def check(words: list[str], command: str) -> None:
    program = words[0]
    if program == "alias":
        assert words[1].startswith("cdk=") and words[1].endswith("/node_modules/aws-cdk/bin/cdk")
        assert "/.venv/bin/node " in words[1]
        assert json.loads((ROOT / "package.json").read_text())["devDependencies"]["aws-cdk"]
    elif program == "cdk":
        help_text = cdk_help(words[1])
        for option in (w.split("=")[0] for w in words[2:] if w.startswith("--")):
            assert option in help_text, f"{option} is not an option of 'cdk {words[1]}'"
    elif program == "make":
        proc = subprocess.run(["make", "-n", *words[1:]], cwd=ROOT, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
    elif program in ("python", "bio2"):
        if program == "python":
            assert words[1] == "-m", command
            module, args = words[2], words[3:]
        else:
            module, args = "bio2_aspects.cli", words[1:]
        code, out, err = run_module(module, [*args, "--help"])
        assert code == 0, f"{command}: {err[-1500:]}"
        assert out.startswith("usage:")
    else:
        pytest.fail(f"not a CDK CLI command nor a project command: {command}")


def stack_patterns() -> list[str]:
    """The stack patterns of the guide's ``cdk deploy`` / ``cdk rollback`` commands."""
    out = []
    for command in COMMANDS:
        words = shlex.split(command)
        if words[0] == "cdk" and words[1] in ("deploy", "rollback"):
            values = ("broadening", "lz-management")  # the values of --require-approval, --profile
            out += [w for w in words[2:] if not w.startswith("-") and w not in values]
    return sorted(set(out))


@pytest.mark.synth
def test_the_guides_stack_patterns_select_stacks_of_the_landing_zone_stage(default_synth):
    """The landing-zone stacks live in the Stage ``LandingZone``: a pattern must start with it (the
    pinned CLI matches a pattern against the stack's path, and ``--all`` takes top-level stacks only)."""
    patterns = stack_patterns()
    assert "LandingZone/*" in patterns and "lz-pipeline" in patterns
    assert not any("--all" in c for c in COMMANDS if c.startswith("cdk deploy"))
    for pattern in patterns:
        if pattern == "lz-pipeline":  # the pipeline stack is top-level, and only there when enabled
            continue
        proc = subprocess.run(
            [*CDK, "ls", "--app", str(default_synth.outdir), "--no-notices", "--ci", pattern],
            cwd=ROOT,
            env=ENV,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, f"{pattern}: {proc.stderr[-1500:]}"
        listed = proc.stdout.splitlines()
        assert listed and all(s.startswith("LandingZone/lz-") for s in listed), (pattern, proc.stdout)
