"""Properties every synthesized template of the default landing zone must have."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from syrupy.extensions.json import JSONSnapshotExtension

pytestmark = pytest.mark.synth

STATEFUL_TYPES = (
    "AWS::S3::Bucket",
    "AWS::KMS::Key",
    "AWS::Logs::LogGroup",
    "AWS::Backup::BackupVault",
    "AWS::DynamoDB::Table",
    "AWS::DynamoDB::GlobalTable",
    "AWS::RDS::DBInstance",
    "AWS::RDS::DBCluster",
)

_ASSET_HASH = re.compile(r"\b[0-9a-f]{64}\b")


def _normalize(value):
    """Asset hashes change with the CDK version and bundled code: replace them in snapshots."""
    if isinstance(value, dict):
        return {k: _normalize(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalize(v) for v in value]
    if isinstance(value, str):
        return _ASSET_HASH.sub("<asset-hash>", value)
    return value


@pytest.fixture
def snapshot_json(snapshot):
    return snapshot.use_extension(JSONSnapshotExtension)


def test_every_template_matches_its_snapshot(default_synth, snapshot_json):
    """Review template changes with `pytest --snapshot-update` and the diff in tests/app/__snapshots__."""
    for name in sorted(default_synth.templates):
        assert _normalize(default_synth.templates[name]) == snapshot_json(name=name)


def test_every_stateful_resource_is_retained(default_synth):
    offenders = []
    for cfn_type in STATEFUL_TYPES:
        for stack, lid, res in default_synth.resources(cfn_type):
            if res.get("DeletionPolicy") != "Retain" or res.get("UpdateReplacePolicy") != "Retain":
                offenders.append(f"{stack}/{lid} ({cfn_type})")
    assert not offenders, (
        "stateful resources without DeletionPolicy/UpdateReplacePolicy Retain: " + ", ".join(offenders)
    )


def test_cfn_lint_reports_no_error(default_synth):
    files = [str(p) for p in default_synth.files.values()]
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "cfnlint",
            "--format",
            "json",
            "-r",
            "eu-central-1",
            "eu-west-1",
            "--",
            *files,
        ],
        capture_output=True,
        text=True,
    )
    findings = json.loads(out.stdout or "[]")
    errors = [f for f in findings if f.get("Level") == "Error"]
    assert not errors, json.dumps(errors[:10], indent=2)


def test_two_synths_give_identical_bytes(default_synth, tmp_path):
    from tests.synthkit import synth_landing_zone

    again = synth_landing_zone(tmp_path / "again")
    assert sorted(again.files) == sorted(default_synth.files)
    for name, path in default_synth.files.items():
        assert Path(path).read_bytes() == Path(again.files[name]).read_bytes(), name
    for name in sorted(p.name for p in (default_synth.outdir / "bio2").iterdir()):
        assert (default_synth.outdir / "bio2" / name).read_bytes() == (
            again.outdir / "bio2" / name
        ).read_bytes(), name


def test_default_landing_zone_has_no_open_bio2_error(default_synth):
    errors = default_synth.open_errors()
    assert not errors, "\n".join(f"{e['rule']} {e['stack']} {e['path']}: {e['detail']}" for e in errors[:30])
