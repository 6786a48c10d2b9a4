"""backup.isolated_copy: a copy of every recovery point outside the workload accounts."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
import yaml
from aws_cdk.assertions import Template

from landing_zone.backup import BackupServiceRole, TierBackupPlan, isolated_vault_arn
from landing_zone.backup.policy import backup_policy_content
from landing_zone.config import ConfigError, load_config_text
from landing_zone.config.loader import DEFAULT_CONFIG_PATH

VAULT = "arn:aws:backup:eu-central-1:888888888888:backup-vault:lz-isolated"


def config(isolated):
    data = yaml.safe_load(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"))
    data.setdefault("backup", {})["isolated_copy"] = isolated
    return load_config_text(yaml.safe_dump(data, sort_keys=False))


def test_once_set_it_covers_availability_high_only_by_default():
    cfg = config({"vault_arn": VAULT})
    assert [isolated_vault_arn(cfg.backup, level) for level in ("low", "medium", "high")] == [
        None,
        None,
        VAULT,
    ]


def test_the_organization_backup_policy_copies_there_too():
    cfg = config({"vault_arn": VAULT})
    (plan,) = [
        p for name, p in backup_policy_content(cfg, "high")["plans"].items() if name.endswith("eu-central-1")
    ]
    (rule,) = plan["rules"].values()
    assert VAULT in rule["copy_actions"]
    low = backup_policy_content(cfg, "low")["plans"]
    assert all(VAULT not in str(p) for p in low.values())


def test_the_baseline_plan_copies_there():
    cfg = config({"vault_arn": VAULT, "levels": ["medium", "high"]})
    stack = cdk.Stack(cdk.App(), "T")
    role = BackupServiceRole(stack, "Role")
    for level, tier in cfg.backup.tiers.by_level().items():
        TierBackupPlan(
            stack,
            level,
            level=level,
            tier=tier,
            vault_name="lz-backup",
            role=role,
            copy_to_region=None,
            isolated_vault_arn=isolated_vault_arn(cfg.backup, level),
        )
    plans = Template.from_stack(stack).find_resources("AWS::Backup::BackupPlan")
    copies = {
        p["Properties"]["BackupPlan"]["BackupPlanName"]: [
            c["DestinationBackupVaultArn"]
            for c in p["Properties"]["BackupPlan"]["BackupPlanRule"][0].get("CopyActions", [])
        ]
        for p in plans.values()
    }
    assert copies == {"lz-low": [], "lz-medium": [VAULT], "lz-high": [VAULT]}


def test_a_vault_in_a_workload_account_is_refused():
    with pytest.raises(ConfigError) as error:
        config({"vault_arn": "arn:aws:backup:eu-central-1:666666666666:backup-vault:lz-isolated"})
    assert "backup.isolated_copy.vault_arn" in str(error.value)
    with pytest.raises(ConfigError):
        config({"vault_arn": "arn:aws:backup:us-east-1:888888888888:backup-vault:lz-isolated"})
