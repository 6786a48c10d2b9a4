"""Turn a guarantee off and the evidence for it goes: vault lock, cross-region copy, restore tests.

Also the choice of plan mechanism: with organization backup policies the baseline has no plans.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
import yaml
from aws_cdk import aws_backup as backup

from bio2_aspects import Bio2
from landing_zone import classification
from landing_zone.assembly import LandingZone
from landing_zone.backup import LockedBackupVault
from landing_zone.config import load_config, load_config_text
from landing_zone.config.loader import DEFAULT_CONFIG_PATH
from landing_zone.config.sections.backup import VaultLock

pytestmark = pytest.mark.synth


def _measure(manifest: dict[str, Any], measure: str) -> dict[str, Any]:
    return next(m for m in manifest["measures"] if m["id"] == measure)


def _evidence(manifest: dict[str, Any], measure: str, stack: str) -> list[dict[str, Any]]:
    return [e for e in _measure(manifest, measure)["evidence"] if e["stack"] == stack]


# ---------------------------------------------------------------------------------------- vault lock


@pytest.fixture(scope="module")
def vault_variants(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    outdir: Path = tmp_path_factory.mktemp("vault-variants")
    app = cdk.App(outdir=str(outdir), context={"bio2:reportOnly": "true"})
    lock = VaultLock()
    for name, kwargs in (
        ("Compliance", {"lock": lock}),
        ("Governance", {"lock": lock, "compliance": False}),
        ("Unlocked", {"lock": None}),
    ):
        stack = cdk.Stack(app, name)
        classification.classify(stack, confidentiality="high", integrity="high", availability="high")
        LockedBackupVault(stack, "BackupVault", **kwargs)
    Bio2(app)
    app.synth()
    return json.loads((outdir / "bio2" / "manifest.json").read_text(encoding="utf-8"))


def test_compliance_mode_is_verified_and_preventive(vault_variants: dict[str, Any]) -> None:
    items = _evidence(vault_variants, "8.13.01", "Compliance")
    assert {(e["kind"], e["rule"], e["result"]) for e in items} >= {
        ("verified", "BIO2-Backup-VaultLock", "pass"),
        ("preventive", None, "pass"),
    }


@pytest.mark.parametrize("variant", ["Governance", "Unlocked"])
def test_without_compliance_lock_the_evidence_goes(vault_variants: dict[str, Any], variant: str) -> None:
    items = _evidence(vault_variants, "8.13.01", variant)
    assert ("verified", "BIO2-Backup-VaultLock", "fail") in {
        (e["kind"], e["rule"], e["result"]) for e in items
    }
    assert not [e for e in items if e["kind"] == "preventive"]
    assert not [e for e in items if e["rule"] == "BIO2-Backup-VaultLock" and e["result"] == "pass"]
    violations = [v for v in vault_variants["violations"] if v["stack"] == variant]
    assert [v["rule"] for v in violations] == ["BIO2-Backup-VaultLock"]


# ----------------------------------------------------------------- no copy, no restore tests (config)


def _default_data() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"))


def _synth_landing_zone(outdir: Path, config: Any) -> Any:
    """``synth_landing_zone`` of tests/conftest.py, loaded by path (``import conftest`` may find the
    conftest of another test directory)."""
    path = Path(__file__).resolve().parents[1] / "conftest.py"
    spec = importlib.util.spec_from_file_location("lz_backup_tests_root_conftest", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module.synth_landing_zone(outdir, config)


@pytest.fixture(scope="module")
def weakened(tmp_path_factory: pytest.TempPathFactory):
    data = _default_data()
    data["backup"]["tiers"]["high"]["cross_region_copy"] = False
    data["backup"]["restore_testing"]["levels"] = []
    config = load_config_text(yaml.safe_dump(data, sort_keys=False))
    return _synth_landing_zone(tmp_path_factory.mktemp("weakened-lz"), config)


def test_without_a_copy_for_high_there_is_no_copy_evidence(weakened) -> None:
    for _, _, plan in weakened.resources("AWS::Backup::BackupPlan", "lz-member-baseline"):
        for rule in plan["Properties"]["BackupPlan"]["BackupPlanRule"]:
            assert "CopyActions" not in rule
    measure = _measure(weakened.manifest, "8.13.03")
    assert not [e for e in measure["evidence"] if e["result"] == "pass"]
    assert measure["status"] == "gap"
    assert len(measure["accepted_risks"]) == 3


def test_without_restore_testing_there_is_no_restore_evidence(weakened) -> None:
    assert weakened.resources("AWS::Backup::RestoreTestingPlan") == []
    for measure in ("8.13.04", "5.30.01"):
        found = _measure(weakened.manifest, measure)
        assert found["evidence"] == [], measure
        assert found["status"] == "unattested", measure  # an owner without an attested document


# ------------------------------------------------------------------------------ plan mechanism


def _built(config) -> LandingZone:
    return LandingZone(cdk.App(), config, components=["classification", "backup"])


def _plans(lz: LandingZone) -> list[Any]:
    return [c for c in lz.baseline.stack.node.find_all() if isinstance(c, backup.CfnBackupPlan)]


def test_baseline_mechanism_registers_no_backup_policy() -> None:
    lz = _built(load_config())
    assert len(_plans(lz)) == 3
    assert not [p for p in lz.org_policies if p.policy_type == "BACKUP_POLICY"]


def test_organization_policy_mechanism_replaces_the_baseline_plans() -> None:
    data = _default_data()
    data["backup"]["plan_mechanism"] = "organization_policy"
    config = load_config_text(yaml.safe_dump(data, sort_keys=False))
    lz = _built(config)
    assert _plans(lz) == [], "never both: resources would be backed up twice"
    policies = {p.name: p for p in lz.org_policies if p.policy_type == "BACKUP_POLICY"}
    assert sorted(policies) == ["lz-backup-high", "lz-backup-low", "lz-backup-medium"]
    for name, policy in policies.items():
        level = name.removeprefix("lz-backup-")
        assert policy.targets == tuple(config.organization.baseline.targets) == ("Root",)
        assert "cannot change or delete" in policy.evidence
        assert sorted(policy.content["plans"]) == [f"lz-{level}-eu-central-1", f"lz-{level}-eu-west-1"]
    assert policies["lz-backup-high"].measures == ("8.13.01", "8.13.03")
    assert policies["lz-backup-low"].measures == ("8.13.01",)
    # the vault, the role and restore testing stay in the baseline: the policies need them
    kinds = {c.cfn_resource_type for c in lz.baseline.stack.node.find_all() if isinstance(c, cdk.CfnResource)}
    assert {"AWS::Backup::BackupVault", "AWS::IAM::Role", "AWS::Backup::RestoreTestingPlan"} <= kinds


def test_default_config_keeps_the_baseline_mechanism() -> None:
    assert load_config().backup.plan_mechanism == "baseline"
