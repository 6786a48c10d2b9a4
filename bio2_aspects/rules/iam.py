"""AWS IAM (and IAM Identity Center permission set) rules.

Measures: (strength, facet and rationale per rule in bio2_aspects/mappings/data/rules.json)
8.03.02 (no grant of everything), 8.18.01 (only
authorised staff have powerful, system-wide privileges), 5.15.01 (trust only authenticated
principals), 5.16.01 and 5.17.01 (identities are managed centrally with MFA rather than as
local IAM users and long-lived keys).
"""

from __future__ import annotations

from typing import Any

from bio2_aspects.messages import msg

from ._helpers import Unverifiable, is_set, items, lookup, render, synth_time, to_str
from ._policy import admin_statements, public_allows, service_wildcard_statements
from .base import Level, Outcome, Resource, Result, rule

ROLE = "AWS::IAM::Role"
USER = "AWS::IAM::User"
GROUP = "AWS::IAM::Group"
POLICY = "AWS::IAM::Policy"
MANAGED_POLICY = "AWS::IAM::ManagedPolicy"
ACCESS_KEY = "AWS::IAM::AccessKey"
PERMISSION_SET = "AWS::SSO::PermissionSet"

ADMIN_POLICY_SUFFIX = ":policy/AdministratorAccess"


@rule(
    "BIO2-IAM-NoAdminStatement",
    types=[POLICY, MANAGED_POLICY, PERMISSION_SET],
    finding="Policy grants administrator access on every resource: Action '*', Allow with NotAction, "
    "or all of IAM (iam:*)",
    fix="Grant the specific actions and resources the task needs",
)
@synth_time
def iam_no_admin_statement(res: Resource) -> Outcome:
    """Standalone policies (and permission set inline policies) do not grant full admin."""
    prop = "InlinePolicy" if res.type == PERMISSION_SET else "PolicyDocument"
    found = admin_statements(res.properties.get(prop), prop)
    if found:
        return Result.NON_COMPLIANT, msg("rule.findings", findings_list=found)
    return Result.COMPLIANT


@rule(
    "BIO2-IAM-NoInlineAdmin",
    types=[ROLE, USER, GROUP],
    finding="Role, user or group has an inline policy that grants administrator access on every resource "
    "(Action '*', Allow with NotAction, or iam:*)",
    fix="Remove the admin statement from the inline Policies; grant least privilege",
)
@synth_time
def iam_no_inline_admin(res: Resource) -> Outcome:
    """Inline ``Policies`` embedded in roles, users and groups do not grant full admin."""
    found = []
    for i, pol in enumerate(items(res.properties.get("Policies"), "Policies")):
        doc = lookup(pol, "PolicyDocument", where=f"Policies[{i}]")
        found += admin_statements(doc, f"Policies[{i}].PolicyDocument")
    if found:
        return Result.NON_COMPLIANT, msg("rule.findings", findings_list=found)
    return Result.COMPLIANT


def _is_admin_arn(value: Any, res: Resource, where: str) -> bool:
    """True for the AWS-managed AdministratorAccess policy ARN.

    References to managed policies defined in the same template are fine (that policy is
    checked by BIO2-IAM-NoAdminStatement). Any other intrinsic (parameter, import,
    condition) cannot be verified.
    """
    if isinstance(value, dict) and len(value) == 1 and "Ref" in value:
        target = res.stack.get(str(value["Ref"]))
        if target is not None and target.type == MANAGED_POLICY:
            return False
        raise Unverifiable(where, value)
    text = render(value)
    if text is None:
        raise Unverifiable(where, value)
    return text.endswith(ADMIN_POLICY_SUFFIX)


@rule(
    "BIO2-IAM-NoAdminManagedPolicy",
    types=[ROLE, USER, GROUP, PERMISSION_SET],
    level=Level.WARNING,
    finding="Identity has the AWS-managed AdministratorAccess policy attached",
    fix="Attach a least-privilege policy; where admin is truly needed (break-glass), acknowledge it with "
    "the reason and include it in the quarterly review of special privileges",
)
@synth_time
def iam_no_admin_managed(res: Resource) -> Outcome:
    """AdministratorAccess is not attached (flagged for justification and review when it is)."""
    prop = "ManagedPolicies" if res.type == PERMISSION_SET else "ManagedPolicyArns"
    for i, arn in enumerate(items(res.properties.get(prop), prop)):
        if _is_admin_arn(arn, res, f"{prop}[{i}]"):
            return Result.NON_COMPLIANT, msg("rule.iam.admin_managed", where=f"{prop}[{i}]")
    return Result.COMPLIANT


@rule(
    "BIO2-IAM-NoConsoleUser",
    types=[USER],
    finding="IAM user has a console password (LoginProfile)",
    fix="Give people access through IAM Identity Center (federated, with MFA) instead of IAM user passwords",
)
@synth_time
def iam_no_console_user(res: Resource) -> Outcome:
    """No IAM user has a LoginProfile (console password)."""
    if is_set(res.properties.get("LoginProfile"), "LoginProfile"):
        return Result.NON_COMPLIANT, msg("rule.iam.login_profile")
    return Result.COMPLIANT


@rule(
    "BIO2-IAM-NoAccessKeys",
    types=[ACCESS_KEY],
    level=Level.WARNING,
    finding="Template creates an active long-lived IAM access key",
    fix="Use roles with temporary credentials (IAM Roles Anywhere, OIDC federation) instead of access keys",
)
@synth_time
def iam_no_access_keys(res: Resource) -> Outcome:
    """No active IAM access keys: long-lived keys bypass MFA. An Inactive key is compliant."""
    status = to_str(res.properties.get("Status"), "Status") or "Active"
    if status == "Inactive":
        return Result.COMPLIANT, msg("rule.iam.key_inactive")
    return Result.NON_COMPLIANT, msg("rule.iam.key_status", status=status)


@rule(
    "BIO2-IAM-TrustNoWildcard",
    types=[ROLE],
    finding="Role trust policy lets any principal assume the role without a restricting condition",
    fix="Name the trusted principals, or restrict with aws:PrincipalOrgID / aws:SourceAccount conditions",
)
@synth_time
def iam_trust_no_wildcard(res: Resource) -> Outcome:
    """The AssumeRolePolicyDocument does not trust Principal '*' unconditionally."""
    found = public_allows(res.properties.get("AssumeRolePolicyDocument"), "AssumeRolePolicyDocument")
    if found:
        return Result.NON_COMPLIANT, msg("rule.findings", findings_list=found)
    return Result.COMPLIANT


def _documents(res: Resource) -> list[tuple[object, str]]:
    """The policy documents a resource holds: its own, or the inline policies of an identity."""
    if res.type == PERMISSION_SET:
        return [(res.properties.get("InlinePolicy"), "InlinePolicy")]
    if res.type in (POLICY, MANAGED_POLICY):
        return [(res.properties.get("PolicyDocument"), "PolicyDocument")]
    return [
        (lookup(pol, "PolicyDocument", where=f"Policies[{i}]"), f"Policies[{i}].PolicyDocument")
        for i, pol in enumerate(items(res.properties.get("Policies"), "Policies"))
    ]


@rule(
    "BIO2-IAM-NoServiceWildcard",
    types=[POLICY, MANAGED_POLICY, PERMISSION_SET, ROLE, USER, GROUP],
    level=Level.WARNING,
    finding="Policy allows every action of a service on every resource (e.g. s3:* on '*')",
    fix="Name the actions the task needs, or limit the statement to the task's resources",
)
@synth_time
def iam_no_service_wildcard(res: Resource) -> Outcome:
    """No Allow statement grants a whole service (``svc:*``, or a pattern that matches every action
    of it) on Resource '*'."""
    found: list[str] = []
    for document, where in _documents(res):
        found += service_wildcard_statements(document, where)
    if found:
        return Result.NON_COMPLIANT, msg("rule.findings", findings_list=found)
    return Result.COMPLIANT
