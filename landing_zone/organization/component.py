"""The organization component: OUs, organization policies and the member-baseline StackSet.

Everything goes into the management stack (``placement.stack("management")``), the only account that
may manage AWS Organizations. The component runs last: the composition root passes it every policy the
other components returned (``org_policies``), and every resource they added to the member baseline
(``placement.baseline.stack``) is there.

What the template does *not* do: move accounts. The accounts already exist, and CloudFormation can
only place an account it manages as ``AWS::Organizations::Account`` (which creates accounts, and
closes them when the resource is deleted) at one resource per account, so it cannot scale to a large
organization. The stack exports the ID of every OU instead, and ``python -m landing_zone.organization
placement`` prints the (idempotent) ``aws organizations move-account`` script for the accounts whose
parent differs from the configuration. See docs/guardrails.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_organizations as organizations
from constructs import Construct

from landing_zone.config.sections.organization import ROOT
from landing_zone.core.contracts import OrganizationOutputs, OrgPolicySpec, Placement
from landing_zone.organization import baseline, plan
from landing_zone.organization.placement import output_key
from landing_zone.organization.policies import PolicyInputs, build_guardrails, inputs_from_config
from landing_zone.organization.policies.common import PolicyTooLarge

if TYPE_CHECKING:
    from landing_zone.config import LandingZoneConfig

ROOT_ID_PARAMETER = "OrganizationRootId"


def build(
    config: LandingZoneConfig, placement: Placement, *, org_policies: Sequence[OrgPolicySpec] = ()
) -> OrganizationOutputs:
    stack = placement.stack("management")
    scope = Construct(stack, "Organization")

    root_id = config.organization.root_id or _root_id_parameter(stack)
    ou_ids = add_organizational_units(scope, config, root_id)

    try:
        guardrails = build_guardrails(config)
    except PolicyTooLarge as err:
        raise plan.GuardrailError(str(err)) from None
    policies = plan.plan(
        guardrails,
        org_policies,
        plan.known_targets(ou_ids, (account.name for account in config.organization.accounts)),
    )
    account_ids = {account.name: account.id for account in config.organization.accounts}
    inputs = inputs_from_config(config)
    for policy in policies:
        add_policy(scope, policy, root_id=root_id, ou_ids=ou_ids, account_ids=account_ids, inputs=inputs)

    baseline.add_baseline_resources(
        config, placement.baseline, password_policy=iam_users_allowed_somewhere(config)
    )
    stack_set = baseline.add_stack_set(config, placement.baseline, scope, root_id=root_id, ou_ids=ou_ids)
    return OrganizationOutputs(ou_ids=MappingProxyType(dict(ou_ids)), stack_set=stack_set)


def _root_id_parameter(stack: cdk.Stack) -> str:
    return cdk.CfnParameter(
        stack,
        ROOT_ID_PARAMETER,
        type="String",
        allowed_pattern=r"^r-[0-9a-z]{4,32}$",
        description="ID of the organization root (aws organizations list-roots); set organization.root_id "
        "in landing-zone.yaml to fix it in the template",
    ).value_as_string


def add_organizational_units(scope: Construct, config: LandingZoneConfig, root_id: str) -> dict[str, str]:
    """One ``AWS::Organizations::OrganizationalUnit`` per configured OU, parents first; their IDs by path.

    OUs are retained when removed from the configuration (an OU with accounts cannot be deleted, and
    deleting one is a decision for a person). Each OU ID is a stack output, for the placement script.
    """
    ids: dict[str, str] = {}
    keys: set[str] = set()
    for path in config.organization.ou_paths():
        parent, _, name = path.rpartition("/")
        ou = organizations.CfnOrganizationalUnit(
            scope, f"OU.{path.replace('/', '.')}", name=name, parent_id=ids[parent] if parent else root_id
        )
        ou.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
        ids[path] = ou.attr_id
        key = output_key(path, keys)
        cdk.CfnOutput(
            scope, f"OUId.{path.replace('/', '.')}", key=key, value=ou.attr_id, description=f"OU {path}"
        )
    return ids


def add_policy(
    scope: Construct,
    policy: plan.PlannedPolicy,
    *,
    root_id: str,
    ou_ids: dict[str, str],
    account_ids: dict[str, str],
    inputs: PolicyInputs | None = None,
) -> organizations.CfnPolicy:
    target_ids = [
        root_id if t == ROOT else ou_ids[t] if t in ou_ids else account_ids[t] for t in policy.targets
    ]
    resource = organizations.CfnPolicy(
        scope,
        f"Policy.{policy.policy_type}.{policy.name}",
        name=policy.name,
        type=policy.policy_type,
        content=policy.content,
        description=policy.description,
        target_ids=target_ids,
    )
    if inputs is not None:
        add_guardrail_claims(resource, policy, inputs)
    return resource


def add_guardrail_claims(
    resource: organizations.CfnPolicy, policy: plan.PlannedPolicy, inputs: PolicyInputs
) -> None:
    """Checked claims (landing_zone/claims.py) for the library guardrails in ``policy``.

    Every claim needs the organization root among the targets (an org-wide measure is not met by a
    policy on some OUs): a guardrail attached to some OUs by configuration makes a *narrowed* claim
    (partial evidence naming the OUs it does not cover); one emptied or detached later (override)
    fails its claim on the written template.
    """
    from landing_zone.claims import guardrail_claims, make_claim
    from landing_zone.organization.policies import LIBRARY

    if not policy.targets:
        return
    where = ", ".join(policy.targets)
    for key in policy.guardrails:
        found = guardrail_claims(key, inputs)
        if found is None:
            continue
        claim_id, checks = found
        text = LIBRARY[key](inputs).evidence
        make_claim(resource, claim_id, *checks, detail=f"{text} Attached to: {where}.")


def iam_users_allowed_somewhere(config: LandingZoneConfig) -> bool:
    """True when some member account is outside every target of the deny-IAM-users guardrail."""
    targets = set(config.organization.guardrails.attach.deny_iam_users)
    if ROOT in targets:
        return False
    for account in config.organization.accounts:
        if account.role == "management" or account.name in targets:
            continue
        parts = account.ou.split("/")
        if not any("/".join(parts[:depth]) in targets for depth in range(1, len(parts) + 1)):
            return True
    return False
