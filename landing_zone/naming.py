"""Deterministic names shared across accounts.

Resources in different accounts cannot reference each other through CloudFormation, so the
landing zone agrees on names instead: the log archive bucket that every account's trail, Config
recorder and flow logs deliver to; the KMS alias that encrypts it; the roles the guardrails exempt.
Every name is derived from the configuration alone.
"""

from __future__ import annotations

from landing_zone.config import LandingZoneConfig

PREFIX = "lz"

#: A reserved platform automation role name (protected like every ``lz-*`` name; exempt from nothing).
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


#: Name pattern of the execution role that service-managed StackSets create in every target
#: account (``stacksets-exec-<32 hex characters>``: AWS picks the suffix, so no exact name can be
#: written). It is the ONLY pattern among the guardrail exemptions; ``protect_platform_roles``
#: denies creating, changing, assuming or passing any role with this name to every principal in
#: member accounts, so no account admin can make or become one (only the StackSets service-linked
#: role, which SCPs do not restrict, creates it; only the management account's StackSets service
#: role assumes it).
STACKSET_EXECUTION_ROLE_PATTERN = "stacksets-exec-*"
#: Roles other tools create under fixed names that would carry power if an account admin could
#: make or re-trust them (the management account's access role; Control Tower's role). They are
#: exempt from nothing: the guardrails only protect the names.
PROTECTED_FOREIGN_ROLE_NAMES: tuple[str, ...] = ("OrganizationAccountAccessRole", "AWSControlTowerExecution")


#: Tag (key, value) of every landing-zone KMS key and backup plan: the ``protect_backup`` SCP denies
#: disabling or deleting tagged keys, changing tagged plans and removing the tag in every account.
PLATFORM_TAG = (f"{PREFIX}:platform", "true")


def role_arn(name: str, account: str = "*") -> str:
    """``arn:aws:iam::<account>:role/<name>``; ``account="*"`` only in SCPs (see exempt_principal_arns)."""
    return f"arn:aws:iam::{account}:role/{name}"


def cfn_exec_role_names(regions) -> tuple[str, ...]:
    """The platform bootstrap's CloudFormation execution roles, one exact name per region."""
    return tuple(platform_bootstrap_role_name("cfn-exec", region) for region in sorted(regions))


def exempt_role_names(regions) -> tuple[str, ...]:
    """Exact names of the roles the protective guardrails exempt: the platform's CloudFormation
    execution role of every region (contract 1) and break-glass. Never a pattern."""
    return (*cfn_exec_role_names(regions), BREAK_GLASS_ROLE_NAME)


def exempt_principal_arns(regions, account: str = "*") -> tuple[str, ...]:
    """``aws:PrincipalArn`` values of every exemption: :func:`exempt_role_names` and the StackSets
    execution role (:data:`STACKSET_EXECUTION_ROLE_PATTERN`, the one protected pattern).

    In SCPs ``account`` stays ``*``: an SCP only ever evaluates principals of the member account it
    applies to, so the account field cannot widen the match, while the role name is exact. (The
    policy variable ``${aws:PrincipalAccount}`` would say the same at the cost of quota characters.)
    Resource policies (key, bucket, vault) are evaluated for callers of any account and pass their
    own account ID.
    """
    names = (*exempt_role_names(regions), STACKSET_EXECUTION_ROLE_PATTERN)
    return tuple(role_arn(name, account) for name in names)


def deployer_principal_arns(account: str, region: str) -> tuple[str, ...]:
    """Exempt principals of a resource policy in one account and region (literals or CDK tokens):
    the cfn-exec role of that region, the StackSets execution role and break-glass."""
    return (
        role_arn(platform_bootstrap_role_name("cfn-exec", region), account),
        role_arn(STACKSET_EXECUTION_ROLE_PATTERN, account),
        break_glass_arn(account),
    )


def break_glass_arn(account: str = "*") -> str:
    return role_arn(BREAK_GLASS_ROLE_NAME, account)


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
