"""Deterministic names shared across accounts.

Resources in different accounts cannot reference each other through CloudFormation, so the
landing zone agrees on names instead: the log archive bucket that every account's trail, Config
recorder and flow logs deliver to; the KMS alias that encrypts it; the roles the guardrails exempt.
Every name is derived from the configuration alone.
"""

from __future__ import annotations

from landing_zone.config import LandingZoneConfig

PREFIX = "lz"

#: The platform's own deployment and automation roles: the guardrails (SCPs) exempt these, and
#: only these, from the protections of the logging, security and backup set-up.
PLATFORM_ROLE_NAME = f"{PREFIX}-platform-automation"
#: The emergency role (break-glass): MFA required, every use alerts.
BREAK_GLASS_ROLE_NAME = f"{PREFIX}-break-glass"
#: The platform's own CDK bootstrap (docs/deploy.md). Never the shared default qualifier
#: ``hnb659fds``: the default bootstrap's deploy role trusts the whole account, so any account
#: admin could become it. The platform bootstrap names its roles exactly (no ``cdk-*`` pattern).
BOOTSTRAP_QUALIFIER = "lzbio2"
#: Purposes of the platform bootstrap roles in every landing-zone account and region.
BOOTSTRAP_ROLE_PURPOSES: tuple[str, ...] = ("deploy", "cfn-exec", "file-publishing", "lookup")


def platform_bootstrap_role_name(purpose: str, region: str) -> str:
    """Exact name of a platform bootstrap role, e.g. ``lz-cdk-cfn-exec-eu-central-1``.

    IAM role names are global per account, so the region is part of the name (one bootstrap stack
    per account and region). The guardrails exempt the ``cfn-exec`` role by this exact name and
    deny everyone else creating, changing, assuming or passing any ``lz-*`` role.
    """
    if purpose not in BOOTSTRAP_ROLE_PURPOSES:
        raise ValueError(f"unknown bootstrap role purpose {purpose!r}; one of {BOOTSTRAP_ROLE_PURPOSES}")
    return f"{PREFIX}-cdk-{purpose}-{region}"


#: IAM role name patterns (for aws:PrincipalArn conditions) of the platform's own roles.
PLATFORM_ROLE_ARN_PATTERNS: tuple[str, ...] = (
    f"arn:aws:iam::*:role/{PLATFORM_ROLE_NAME}",
    f"arn:aws:iam::*:role/{BREAK_GLASS_ROLE_NAME}",
    "arn:aws:iam::*:role/cdk-*",  # CDK bootstrap deploy and execution roles
    "arn:aws:iam::*:role/stacksets-exec-*",  # service-managed StackSets
    "arn:aws:iam::*:role/AWSControlTowerExecution",
)


def _account_id(config: LandingZoneConfig, role: str) -> str:
    accounts = [a for a in config.organization.accounts if a.role == role]
    if len(accounts) != 1:  # the configuration validation guarantees one
        raise ValueError(f"expected exactly one {role} account, found {len(accounts)}")
    return accounts[0].id


def log_archive_account_id(config: LandingZoneConfig) -> str:
    return _account_id(config, "log-archive")


def security_account_id(config: LandingZoneConfig) -> str:
    return _account_id(config, "security")


def network_account_id(config: LandingZoneConfig) -> str:
    return _account_id(config, "network")


def management_account_id(config: LandingZoneConfig) -> str:
    return _account_id(config, "management")


def log_archive_bucket_name(config: LandingZoneConfig) -> str:
    """The central log bucket (CloudTrail, Config, flow logs), in the log archive's home region."""
    return f"{PREFIX}-logs-{log_archive_account_id(config)}-{config.regions.home}"


def access_log_bucket_name(config: LandingZoneConfig) -> str:
    """Server access logs of the central log bucket."""
    return f"{PREFIX}-access-logs-{log_archive_account_id(config)}-{config.regions.home}"


LOG_ARCHIVE_KEY_ALIAS = f"alias/{PREFIX}-log-archive"


def log_archive_key_arn_pattern(config: LandingZoneConfig) -> str:
    """The log archive key's alias ARN (usable where AWS accepts an alias ARN, e.g. CloudTrail)."""
    return f"arn:aws:kms:{config.regions.home}:{log_archive_account_id(config)}:{LOG_ARCHIVE_KEY_ALIAS}"
