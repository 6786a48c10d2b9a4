"""The guardrail library: organization policies as code.

Each guardrail is a builder ``(PolicyInputs) -> Guardrail`` that returns the policy document and the
BIO2 measures it enforces. :data:`LIBRARY` lists them in the order they are packed into policies;
the configuration (``organization.guardrails.attach``) says where each one is attached, and an empty
list leaves it out. The module is plain Python (no CDK), so the configuration validation can build
the documents to check their sizes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from landing_zone.organization.policies import ai_opt_out, declarative, rcp, scp, tag
from landing_zone.organization.policies.common import (
    AI_OPT_OUT,
    LIMITS,
    RCP,
    SCP,
    TAG_POLICY,
    Builder,
    Guardrail,
    PolicyInputs,
    PolicyTooLarge,
    check_size,
    minified,
    size_of,
)

if TYPE_CHECKING:
    from landing_zone.config import LandingZoneConfig

__all__ = [
    "AI_OPT_OUT",
    "LIBRARY",
    "LIMITS",
    "POLICY_TYPES",
    "RCP",
    "SCP",
    "TAG_POLICY",
    "Guardrail",
    "PolicyInputs",
    "PolicyTooLarge",
    "build_guardrails",
    "check_size",
    "inputs_from_config",
    "minified",
    "size_of",
]

#: Every guardrail of the library, by its key in ``organization.guardrails.attach``, in packing order.
LIBRARY: dict[str, Builder] = {
    "deny_leave_organization": scp.deny_leave_organization,
    "deny_root_user": scp.deny_root_user,
    "deny_outside_regions": scp.deny_outside_regions,
    "deny_iam_users": scp.deny_iam_users,
    "protect_platform_roles": scp.protect_platform_roles,
    "protect_logging": scp.protect_logging,
    "protect_security_services": scp.protect_security_services,
    "protect_backup": scp.protect_backup,
    "protect_account_defaults": scp.protect_account_defaults,
    "require_imdsv2": scp.require_imdsv2,
    "deny_network_escape": scp.deny_network_escape,
    "approved_services": scp.approved_services,
    "data_perimeter": rcp.data_perimeter,
    "classification_tags": tag.classification_tags,
    "ai_opt_out": ai_opt_out.ai_opt_out,
    "vpc_block_public_access": declarative.vpc_block_public_access,
}

#: The policy type of each guardrail (known without building it).
POLICY_TYPES: dict[str, str] = {
    **dict.fromkeys(
        (
            "deny_leave_organization",
            "deny_root_user",
            "deny_outside_regions",
            "deny_iam_users",
            "protect_platform_roles",
            "protect_logging",
            "protect_security_services",
            "protect_backup",
            "protect_account_defaults",
            "require_imdsv2",
            "deny_network_escape",
            "approved_services",
        ),
        SCP,
    ),
    "data_perimeter": RCP,
    "classification_tags": TAG_POLICY,
    "ai_opt_out": AI_OPT_OUT,
    "vpc_block_public_access": declarative.DECLARATIVE_POLICY_EC2,
}

#: Name prefix of the member baseline's role that turns on the account-level defaults (one per
#: region: ``lz-baseline-account-defaults-eu-central-1``).
ACCOUNT_DEFAULTS_ROLE_PREFIX = "lz-baseline-account-defaults"


def inputs_from_config(config: LandingZoneConfig) -> PolicyInputs:
    """The values the builders read, from a validated configuration."""
    from landing_zone import naming

    regions = tuple(config.regions.allowed)
    protected = (
        naming.role_arn(f"{naming.PREFIX}-*"),
        naming.role_arn(naming.STACKSET_EXECUTION_ROLE_PATTERN),
        *(naming.role_arn(name) for name in naming.PROTECTED_FOREIGN_ROLE_NAMES),
        # the IAM-user exception names one exact role: only the platform may create or change it
        *(
            (naming.role_arn(exception),)
            if (exception := config.organization.guardrails.iam_user_exception_role)
            else ()
        ),
    )
    unassumable = (
        *(naming.role_arn(name) for name in naming.cfn_exec_role_names(regions)),
        naming.role_arn(naming.STACKSET_EXECUTION_ROLE_PATTERN),
        naming.role_arn(naming.PLATFORM_ROLE_NAME),
    )
    guardrails = config.organization.guardrails
    return PolicyInputs(
        allowed_regions=regions,
        platform_role_arns=naming.exempt_principal_arns(regions),
        protected_role_arns=protected,
        log_bucket_names=(naming.log_archive_bucket_name(config), naming.access_log_bucket_name(config)),
        log_archive_account_id=naming.log_archive_account_id(config),
        log_archive_key_alias=naming.LOG_ARCHIVE_KEY_ALIAS,
        iam_user_exception_role=guardrails.iam_user_exception_role,
        approved_services=tuple(guardrails.approved_services),
        account_defaults_role_arns=tuple(
            naming.role_arn(f"{ACCOUNT_DEFAULTS_ROLE_PREFIX}-{region}") for region in sorted(regions)
        ),
        break_glass_arns=(naming.break_glass_arn(),),
        deploy_role_arns=tuple(
            naming.role_arn(naming.platform_bootstrap_role_name("deploy", region))
            for region in sorted(regions)
        ),
        unassumable_role_arns=unassumable,
        organization_id=config.logging.organization_id,
        network_account_id=naming.network_account_id(config),
    )


def build_guardrails(config: LandingZoneConfig) -> list[tuple[Guardrail, tuple[str, ...]]]:
    """Every guardrail the configuration attaches somewhere, with its targets, in library order.

    Raises :class:`PolicyTooLarge` (naming the guardrail) when one document is over its size quota.
    """
    inputs = inputs_from_config(config)
    attach = config.organization.guardrails.attach
    out: list[tuple[Guardrail, tuple[str, ...]]] = []
    for key, builder in LIBRARY.items():
        targets = tuple(getattr(attach, key))
        if not targets:
            continue
        guardrail = builder(inputs)
        check_size(guardrail.key, guardrail.policy_type, guardrail.document)
        out.append((guardrail, targets))
    return out
