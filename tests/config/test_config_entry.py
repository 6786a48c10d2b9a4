"""The CDK entry (landing_zone.entry): every failure is exit 2 with a path and a fix, never partial output."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import jsii
import pytest
from constructs import IValidation

from landing_zone import entry
from landing_zone.config import ConfigError, Problem


@jsii.implements(IValidation)
class _Fails:
    def validate(self) -> list[str]:
        return ["invalid on purpose"]


@pytest.fixture
def outdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("LZ_CONFIG", raising=False)
    monkeypatch.delenv("CDK_CONTEXT_JSON", raising=False)
    target = tmp_path / "cdk.out"
    monkeypatch.setenv("CDK_OUTDIR", str(target))
    return target


def _nothing_but(directory: Path, *names: str) -> bool:
    return sorted(p.name for p in directory.iterdir()) == sorted(names)


def test_a_crash_while_building_is_exit_2_without_traceback_or_output(
    outdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def build(app: cdk.App, config: object) -> None:
        cdk.Stack(app, "Half")  # something is already in the tree
        raise RuntimeError("boom in a component")

    assert entry.main(build) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "error: " in err and "fix: run `python -m landing_zone.config validate" in err
    assert "boom in a component" in err
    assert _nothing_but(outdir.parent)


def test_a_config_error_raised_while_building_is_reported_as_such(
    outdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def build(app: cdk.App, config: object) -> None:
        raise ConfigError([Problem("network.vpcs[name=hub]", "does not fit", "make it fit")], "lz.yaml")

    assert entry.main(build) == 2
    err = capsys.readouterr().err
    assert "error: network.vpcs[name=hub]: does not fit\n  fix: make it fit" in err
    assert _nothing_but(outdir.parent)


def test_a_failure_after_templates_were_written_leaves_the_previous_output_alone(
    outdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outdir.mkdir()
    (outdir / "previous.template.json").write_text("{}")

    def build(app: cdk.App, config: object) -> None:
        stack = cdk.Stack(app, "Written")
        cdk.CfnResource(stack, "R", type="AWS::SNS::Topic")
        stack.node.add_validation(_Fails())

    assert entry.main(build) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert _nothing_but(outdir.parent, "cdk.out")
    assert _nothing_but(outdir, "previous.template.json")


def test_success_replaces_the_output_and_keeps_the_cli_lock(outdir: Path) -> None:
    outdir.mkdir()
    (outdir / "stale.template.json").write_text("{}")
    (outdir / "synth.lock").write_text("")

    def build(app: cdk.App, config: object) -> None:
        stack = cdk.Stack(app, "Fresh")
        cdk.CfnResource(stack, "R", type="AWS::SNS::Topic")

    assert entry.main(build) == 0
    names = {p.name for p in outdir.iterdir()}
    assert "Fresh.template.json" in names and "manifest.json" in names and "synth.lock" in names
    assert "stale.template.json" not in names
    assert _nothing_but(outdir.parent, "cdk.out")


def test_a_failed_bio2_gate_names_the_config_key(tmp_path: Path) -> None:
    report = tmp_path / "validation-report.json"
    report.write_text(
        json.dumps(
            {
                "pluginReports": [
                    {
                        "pluginName": "BIO2",
                        "violations": [
                            {
                                "ruleName": "BIO2-S3-LogBucketObjectLock",
                                "description": "Log bucket has no S3 Object Lock in COMPLIANCE mode",
                                "violatingConstructs": [{"constructPath": "lz-log-archive/Bucket"}],
                            }
                        ],
                    }
                ]
            }
        )
    )
    (problem,) = entry._gate_problems(report)
    assert problem.path == "logging.object_lock_mode"
    assert "BIO2-S3-LogBucketObjectLock" in problem.message
    assert "COMPLIANCE" in problem.fix


def test_a_bad_config_is_refused_before_anything_is_written(
    outdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = outdir.parent / "lz.yaml"
    config.write_text("version: 1\norganization:\n  name: X\n  acounts: []\n")
    monkeypatch.setenv("CDK_CONTEXT_JSON", json.dumps({"config": str(config)}))
    assert entry.main() == 2
    err = capsys.readouterr().err
    assert "organization.acounts" in err and "Traceback" not in err
    assert _nothing_but(outdir.parent, "lz.yaml")


def test_a_config_error_raised_while_building_names_the_config_file(
    outdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from landing_zone.pipeline.pipeline import check_stage_capacity

    def build(app: cdk.App, config: object) -> None:
        check_stage_capacity(30, 5)  # a builder's check knows the key, not the file

    assert entry.main(build) == 2
    err = capsys.readouterr().err
    assert "<string>" not in err.splitlines()[-3]
    assert "landing-zone" in err.splitlines()[-3] or ".yaml" in err.splitlines()[-3]
    assert "error: deployment.pipeline.enabled:" in err
    assert "fix: set deployment.pipeline.enabled: false" in err
    assert _nothing_but(outdir.parent)
