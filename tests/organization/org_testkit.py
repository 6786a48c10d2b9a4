"""Helpers of the organization tests: the policies a configuration deploys, and which apply where."""

from __future__ import annotations

from landing_zone.config import load_config_text
from landing_zone.organization import plan
from landing_zone.organization.policies import build_guardrails


def planned_policies(config, specs=()):
    org = config.organization
    return plan.plan(
        build_guardrails(config), specs, plan.known_targets(org.ou_paths(), (a.name for a in org.accounts))
    )


def applies_to(policy, account) -> bool:
    """Whether ``policy`` applies to ``account`` (attached to Root, an OU above it, or the account)."""
    parts = account.ou.split("/")
    chain = {"Root", account.name, *("/".join(parts[:d]) for d in range(1, len(parts) + 1))}
    return bool(chain & set(policy.targets))


def effective(policies, config, account_name: str, policy_type: str) -> list[dict]:
    account = config.organization.account(account_name)
    return [p.content for p in policies if p.policy_type == policy_type and applies_to(p, account)]


def config_with(scope_decisions=(), **organization):
    """The default configuration with keys of the organization section replaced (deep-merged),
    and the given ``scope_decisions`` (opt-ins for what the whole-model checks refuse)."""
    import yaml

    from landing_zone.config import DEFAULT_CONFIG_PATH

    data = yaml.safe_load(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"))
    _merge(data["organization"], organization)
    if scope_decisions:
        data["scope_decisions"] = list(scope_decisions)
    return load_config_text(yaml.safe_dump(data, sort_keys=False))


def _merge(into: dict, changes: dict) -> None:
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value
