"""AWS Organizations backup policies: the plans as an organization policy instead of in the baseline.

Used when ``backup.plan_mechanism`` is ``organization_policy``. One policy per availability level,
attached to the organization root; in it one plan per allowed region (the AWS Backup service role
is per region, and a backup policy plan names one role). The plans write to the landing zone vault
that the member-account baseline creates in every account and region, and select resources by their
``bio2:availability`` tag, exactly like the baseline's plans.
"""

from __future__ import annotations

from typing import Any

from bio2_aspects.rules.tagging import AVAILABILITY_TAG
from landing_zone.backup.plans import ROLE_NAME_PREFIX, completion_window_minutes, plan_name
from landing_zone.backup.vault import VAULT_NAME
from landing_zone.config import LandingZoneConfig
from landing_zone.config.sections.backup import START_WINDOW_MINUTES


def _assign(value: Any) -> dict[str, Any]:
    return {"@@assign": value}


def _vault_arn(region: str) -> str:
    # $account is the backup policy variable for the account the policy is applied to.
    return f"arn:aws:backup:{region}:$account:backup-vault:{VAULT_NAME}"


def backup_policy_content(config: LandingZoneConfig, level: str) -> dict[str, Any]:
    """The BACKUP_POLICY document for availability ``level``."""
    tier = config.backup.tiers.by_level()[level]  # type: ignore[index]
    targets = config.backup.copy_targets(config.regions) if tier.cross_region_copy else {}
    lifecycle = {"delete_after_days": _assign(str(tier.retention_days))}
    plans: dict[str, Any] = {}
    for region in sorted(config.regions.allowed):
        rule: dict[str, Any] = {
            "schedule_expression": _assign(tier.schedule_expression),
            "start_backup_window_minutes": _assign(str(START_WINDOW_MINUTES)),
            "complete_backup_window_minutes": _assign(str(completion_window_minutes(tier))),
            "lifecycle": lifecycle,
            "target_backup_vault_name": _assign(VAULT_NAME),
            "recovery_point_tags": {
                AVAILABILITY_TAG: {"tag_key": _assign(AVAILABILITY_TAG), "tag_value": _assign(level)}
            },
        }
        destinations = [_vault_arn(targets[region])] if region in targets else []
        isolated = config.backup.isolated_copy
        if isolated is not None and level in isolated.levels:
            destinations.append(isolated.vault_arn)
        if destinations:
            rule["copy_actions"] = {
                destination: {"target_backup_vault_arn": _assign(destination), "lifecycle": lifecycle}
                for destination in destinations
            }
        plans[f"{plan_name(level)}-{region}"] = {
            "regions": _assign([region]),
            "rules": {f"every-{tier.interval_hours}h": rule},
            "selections": {
                "tags": {
                    f"lz-{level}-by-classification": {
                        "iam_role_arn": _assign(f"arn:aws:iam::$account:role/{ROLE_NAME_PREFIX}{region}"),
                        "tag_key": _assign(AVAILABILITY_TAG),
                        "tag_value": _assign([level]),
                    }
                }
            },
        }
    return {"plans": plans}


def backup_policy_description(config: LandingZoneConfig, level: str) -> str:
    tier = config.backup.tiers.by_level()[level]  # type: ignore[index]
    copy = " with a copy in a second region" if tier.cross_region_copy else ""
    return (
        f"Backups of resources classified availability {level}: every {tier.interval_hours} h, kept "
        f"{tier.retention_days} days{copy}"
    )[:512]
