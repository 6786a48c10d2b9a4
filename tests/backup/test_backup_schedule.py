"""The schedule follows from the RPO, honestly: interval plus start window never exceeds the RPO."""

from __future__ import annotations

import json
import re

import pytest

from landing_zone.backup.plans import completion_window_minutes
from landing_zone.backup.policy import backup_policy_content
from landing_zone.config import load_config, load_config_text
from landing_zone.config.sections.backup import MIN_RPO_HOURS, START_WINDOW_MINUTES, BackupTier

CRON = re.compile(r"^cron\(0 (\*|0|0/(\d+)) \* \* \? \*\)$")


def tier(rpo: int) -> BackupTier:
    return BackupTier(rpo_hours=rpo, rto_hours=rpo, retention_days=35, cross_region_copy=False)


@pytest.mark.parametrize("rpo", range(MIN_RPO_HOURS, 60))
def test_schedule_meets_the_rpo(rpo: int) -> None:
    t = tier(rpo)
    assert t.interval_hours + START_WINDOW_MINUTES / 60 <= rpo
    assert t.worst_case_data_loss_hours <= rpo
    assert 24 % t.interval_hours == 0, "backups spread evenly over the day"
    # the longest such interval: the next one up would break the RPO (or exceed a day)
    longer = [h for h in (1, 2, 3, 4, 6, 8, 12, 24) if h > t.interval_hours]
    assert not longer or longer[0] + START_WINDOW_MINUTES / 60 > rpo
    match = CRON.match(t.schedule_expression)
    assert match, t.schedule_expression
    hours = {"*": 1, "0": 24}.get(match.group(1)) or int(match.group(2))
    assert hours == t.interval_hours
    assert completion_window_minutes(t) >= 120


def test_examples() -> None:
    assert tier(2).schedule_expression == "cron(0 * * * ? *)"
    assert tier(12).interval_hours == 8
    assert tier(24).interval_hours == 12, "daily backups can lose 25 hours: not within a 24-hour RPO"
    assert tier(25).schedule_expression == "cron(0 0 * * ? *)"


def test_an_rpo_under_two_hours_is_refused(minimal_yaml: str) -> None:
    from landing_zone.config import ConfigError

    high = "{rpo_hours: 1, rto_hours: 4, retention_days: 180, cross_region_copy: true}"
    text = minimal_yaml + f"backup:\n  tiers:\n    high: {high}\n"
    with pytest.raises(ConfigError) as caught:
        load_config_text(text)
    (problem,) = caught.value.problems
    assert problem.path == "backup.tiers.high.rpo_hours"
    assert "start window" in problem.fix


def test_copy_targets_pair_the_regions() -> None:
    cfg = load_config()
    assert cfg.backup.copy_targets(cfg.regions) == {"eu-central-1": "eu-west-1", "eu-west-1": "eu-central-1"}


def test_backup_policy_documents() -> None:
    cfg = load_config()
    for level, t in cfg.backup.tiers.by_level().items():
        content = backup_policy_content(cfg, level)
        assert len(json.dumps(content)) < 10_000, "AWS limits a backup policy to 10,000 characters"
        assert sorted(content["plans"]) == [f"lz-{level}-{r}" for r in sorted(cfg.regions.allowed)]
        for name, plan in content["plans"].items():
            region = name.removeprefix(f"lz-{level}-")
            assert plan["regions"] == {"@@assign": [region]}
            (rule,) = plan["rules"].values()
            assert rule["schedule_expression"] == {"@@assign": t.schedule_expression}
            assert rule["start_backup_window_minutes"] == {"@@assign": "60"}
            assert rule["lifecycle"]["delete_after_days"] == {"@@assign": str(t.retention_days)}
            assert rule["target_backup_vault_name"] == {"@@assign": "lz-backup"}
            selection = plan["selections"]["tags"][f"lz-{level}-by-classification"]
            assert selection["tag_key"] == {"@@assign": "bio2:availability"}
            assert selection["tag_value"] == {"@@assign": [level]}
            assert selection["iam_role_arn"] == {"@@assign": f"arn:aws:iam::$account:role/lz-backup-{region}"}
            if t.cross_region_copy:
                (destination,) = rule["copy_actions"]
                target = cfg.backup.copy_targets(cfg.regions)[region]
                assert destination == f"arn:aws:backup:{target}:$account:backup-vault:lz-backup"
                assert target != region
            else:
                assert "copy_actions" not in rule
