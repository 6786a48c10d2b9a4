"""One config, every command: make synth, the CDK CLI and app.py build the same organisation."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from landing_zone.config_source import REMEMBERED, ROOT_CONFIG, ConfigChoice, choose_config, main
from landing_zone.summary import summary

ROOT = Path(__file__).resolve().parents[2]
OTHER_YAML = """\
version: 1
organization:
  name: Gemeente Anders
  ous: [{name: Security}, {name: Infrastructure}]
  accounts:
    - {name: management, id: "555555555555", email: a@anders.example, ou: Root, role: management}
    - {name: log-archive, id: "666666666666", email: b@anders.example, ou: Security, role: log-archive}
    - {name: security, id: "777777777777", email: c@anders.example, ou: Security, role: security}
    - {name: network, id: "888888888888", email: d@anders.example, ou: Infrastructure, role: network}
regions: {home: eu-west-1, allowed: [eu-west-1, eu-central-1]}
"""


def test_the_order_context_env_remembered_root_example(tmp_path):
    assert choose_config(None, {}, tmp_path) == ConfigChoice(None, "example")
    (tmp_path / ROOT_CONFIG).write_text("version: 1\n")
    assert choose_config(None, {}, tmp_path) == ConfigChoice(str(tmp_path / ROOT_CONFIG), "root")
    (tmp_path / REMEMBERED).write_text(json.dumps({"config": "/x/other.yaml"}))
    assert choose_config(None, {}, tmp_path) == ConfigChoice("/x/other.yaml", "remembered")
    assert choose_config(None, {"LZ_CONFIG": "env.yaml"}, tmp_path) == ConfigChoice("env.yaml", "env")
    assert choose_config("ctx.yaml", {"LZ_CONFIG": "env.yaml"}, tmp_path) == ConfigChoice(
        "ctx.yaml", "context"
    )


def test_the_example_and_the_remembered_file_are_announced_in_one_line():
    example = ConfigChoice(None, "example").announcement()
    assert example and "\n" not in example and "embedded example" in example
    remembered = ConfigChoice("/x/other.yaml", "remembered").announcement()
    assert remembered and "\n" not in remembered and "/x/other.yaml" in remembered
    assert ConfigChoice("a.yaml", "context").announcement() is None


def test_the_app_entry_announces_the_embedded_example(tmp_path, monkeypatch, capsys):
    from landing_zone import entry

    monkeypatch.chdir(tmp_path)  # no landing-zone.yaml, nothing remembered
    for var in ("LZ_CONFIG", "CDK_CONTEXT_JSON", "CONTEXT_OVERFLOW_LOCATION_ENV"):
        monkeypatch.delenv(var, raising=False)
    assert entry.config_path(announce=True) is None
    lines = [line for line in capsys.readouterr().err.splitlines() if line]
    assert len(lines) == 1 and "embedded example" in lines[0]


def test_a_corrupt_remembered_file_is_ignored(tmp_path):
    (tmp_path / REMEMBERED).write_text("{not json")
    assert choose_config(None, {}, tmp_path).source == "example"


def test_prepare_remembers_then_forgets(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LZ_CONFIG", raising=False)
    (tmp_path / "other.yaml").write_text(OTHER_YAML)
    assert main(["prepare", "other.yaml"]) == 0
    assert json.loads((tmp_path / REMEMBERED).read_text())["config"] == str(tmp_path / "other.yaml")
    assert choose_config(None, {}, tmp_path).path == str(tmp_path / "other.yaml")
    assert main(["prepare"]) == 0  # make synth without CONFIG: the example, and forget
    assert not (tmp_path / REMEMBERED).exists()
    assert "embedded example" in capsys.readouterr().out


def test_prepare_with_a_bad_config_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yaml").write_text("version: 1\norganization:\n  name: X\n")
    assert main(["prepare", "bad.yaml"]) == 2
    assert not (tmp_path / REMEMBERED).exists()
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "Traceback" not in err


def test_make_synth_prepares_and_summarises():
    recipe = (ROOT / "Makefile").read_text().split("\nsynth:", 1)[1].split("\n\n", 1)[0]
    assert "-m landing_zone.config_source prepare" in recipe
    assert "-m landing_zone.summary" in recipe
    assert REMEMBERED in (ROOT / ".gitignore").read_text()
    app = json.loads((ROOT / "cdk.json").read_text())["app"]
    assert ".venv/bin/python app.py" in app and "python3" not in app


def test_cdk_json_fails_clearly_without_the_venv(tmp_path):
    app = json.loads((ROOT / "cdk.json").read_text())["app"]
    (tmp_path / "app.py").write_text("")
    proc = subprocess.run(["sh", "-c", app], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 2
    assert "make setup" in proc.stderr


def test_summary_names_statuses_violations_and_the_report(tmp_path):
    (tmp_path / "bio2").mkdir()
    manifest = {
        "organisation": "Gemeente X",
        "totals": {"measures": 3, "measures_by_status": {"implemented": 2, "gap": 1, "excluded": 0}},
        "violations": [{"level": "error", "acknowledged": False}, {"level": "error", "acknowledged": True}],
        "templates": [
            {"stack": "lz-a", "file": "assembly-LandingZone/A.template.json"},
            {"stack": "lz-b", "file": "assembly-LandingZone/B.template.json"},
        ],
    }
    (tmp_path / "bio2" / "manifest.json").write_text(json.dumps(manifest))
    (tmp_path / "bio2" / "report.html").write_text("<html>")
    text = summary(tmp_path)
    assert "2 implemented, 1 gap" in text and "excluded" not in text
    assert "open violations: 1 errors" in text
    assert str(tmp_path / "bio2" / "report.html") in text
    assert f"templates: 2 stacks in {tmp_path / 'assembly-LandingZone'}" in text


@pytest.mark.synth
def test_the_pinned_cdk_cli_lists_the_config_make_synth_chose(tmp_path):
    """After make synth CONFIG=other.yaml (its prepare step), `cdk ls` builds other.yaml's organisation."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("app.py", "cdk.json", "landing_zone", "bio2_aspects", ".venv", "node_modules"):
        (project / name).symlink_to(ROOT / name)
    (project / "other.yaml").write_text(OTHER_YAML)
    env = {k: v for k, v in os.environ.items() if k not in ("LZ_CONFIG", "CDK_CONTEXT_JSON", "CDK_OUTDIR")}
    env.update(
        CDK_DISABLE_CLI_TELEMETRY="true",
        CDK_DISABLE_VERSION_CHECK="true",
        PATH=f"{ROOT / '.venv' / 'bin'}:{env.get('PATH', '')}",
    )
    prep = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-m", "landing_zone.config_source", "prepare", "other.yaml"],
        cwd=project,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert prep.returncode == 0, prep.stderr
    cdk = [str(ROOT / ".venv/bin/node"), "node_modules/aws-cdk/bin/cdk"]
    proc = subprocess.run(
        [*cdk, "ls", "--long", "--no-notices", "--ci", "-o", str(tmp_path / "out")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "lz-management-eu-west-1" in proc.stdout and "555555555555" in proc.stdout
    # every command builds the one LandingZone Stage: its stacks are listed by their path in it
    assert "id: LandingZone/lz-management-eu-west-1" in proc.stdout
    assert "111111111111" not in proc.stdout and "Voorbeeldstad" not in proc.stdout
    assert str(project / "other.yaml") in proc.stderr  # the remembered file is announced
    assert "embedded example" not in proc.stderr

    # make synth without CONFIG forgets; with no configuration anywhere the CLI says so, in one line
    forget = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-m", "landing_zone.config_source", "prepare"],
        cwd=project,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert forget.returncode == 0, forget.stderr
    proc = subprocess.run(
        [*cdk, "ls", "--no-notices", "--ci", "-o", str(tmp_path / "out2")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = [line for line in proc.stderr.splitlines() if "embedded example" in line]
    assert len(lines) == 1 and lines[0].startswith("landing-zone: ")
    assert "LandingZone/lz-management-eu-central-1" in proc.stdout  # the example's home region
