"""`security.evidence_collector`: the collection role trusts exactly one known principal."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from landing_zone.config import ConfigError, load_config, load_config_text
from landing_zone.security.collector import trusted_principal_pattern


def _with(minimal_yaml: str, collector: dict[str, Any]) -> str:
    data = yaml.safe_load(minimal_yaml)
    data.setdefault("security", {})["evidence_collector"] = collector
    return yaml.safe_dump(data)


def test_default_trusts_the_security_auditors_permission_set() -> None:
    cfg = load_config()
    account, pattern = trusted_principal_pattern(cfg)
    assert cfg.security.evidence_collector.enabled
    assert pattern == (
        f"arn:aws:iam::{account}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_security-audit_*"
    )


def test_a_role_in_the_management_account(minimal_yaml: str) -> None:
    cfg = load_config_text(_with(minimal_yaml, {"trusted_account": "management", "role_name": "lz-evidence"}))
    account, pattern = trusted_principal_pattern(cfg)
    assert pattern == f"arn:aws:iam::{account}:role/lz-evidence"


@pytest.mark.parametrize(
    ("collector", "path", "message"),
    [
        ({"permission_set": "nobody"}, "security.evidence_collector.permission_set", "not in identity"),
        (
            {"permission_set": "security-audit", "role_name": "x"},
            "security.evidence_collector",
            "exactly one principal",
        ),
        ({"permission_set": None}, "security.evidence_collector", "exactly one principal"),
    ],
)
def test_problems(minimal_yaml: str, collector: dict[str, Any], path: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config_text(_with(minimal_yaml, collector))
    assert any(p.path == path and message in p.message for p in caught.value.problems), caught.value.problems


def test_disabled_needs_nothing(minimal_yaml: str) -> None:
    cfg = load_config_text(_with(minimal_yaml, {"enabled": False, "permission_set": None}))
    assert not cfg.security.evidence_collector.enabled


def test_the_default_permission_set_may_assume_the_role() -> None:
    """The trust policy names the account (Identity Center role names carry a random suffix), so
    the permission set itself must allow sts:AssumeRole on the collection role."""
    from landing_zone.organization.evaluator import Request, evaluate
    from landing_zone.security import names

    cfg = load_config()
    account, _pattern = trusted_principal_pattern(cfg)
    policy = cfg.identity.permission_set(cfg.security.evidence_collector.permission_set).inline_policy
    role = f"arn:aws:iam::{account}:role/{names.EVIDENCE_COLLECTOR_ROLE_NAME}"
    assert evaluate([policy], Request("sts:AssumeRole", resource=role)).allowed
    assert not evaluate(
        [policy], Request("sts:AssumeRole", resource=f"arn:aws:iam::{account}:role/lz-break-glass")
    ).allowed
