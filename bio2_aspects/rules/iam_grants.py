"""IAM identity policies: wildcard grants of whole services.

Measures: 8.03.02 (users, and the workloads acting for them, can use only what their task
needs: a grant of every action of a service, or of everything except a list, is broader than
any task).

``BIO2-IAM-NoAdminStatement`` already reports ``*`` on ``*``; this rule reports the
service-wide wildcards (``s3:*``, ``*`` on a named resource) and ``Allow`` with ``NotAction``.
A managed policy that no identity of the template attaches (a permissions boundary, a policy
attached elsewhere by name) grants nothing here and is not applicable.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bio2_aspects.messages import msg

from ._helpers import items, lookup, strings, synth_time
from ._policy import _scan, effect, label
from .base import Level, Outcome, Resource, Result, rule

ROLE = "AWS::IAM::Role"
USER = "AWS::IAM::User"
GROUP = "AWS::IAM::Group"
POLICY = "AWS::IAM::Policy"
MANAGED_POLICY = "AWS::IAM::ManagedPolicy"


def _wildcard_grant(st: Mapping[str, Any], i: int, swhere: str) -> str | None:
    if effect(st, swhere) != "Allow":
        return None
    if "NotAction" in st:
        return f"{label(st, i)} (Allow with NotAction)"
    wild = [a for a in strings(st.get("Action"), f"{swhere}.Action") if a == "*" or a.endswith(":*")]
    if wild:
        return f"{label(st, i)} (Action {', '.join(sorted(wild))})"
    return None


def wildcard_grants(document: Any, where: str) -> list[str]:
    """Labels of Allow statements that grant a whole service (``svc:*``, ``*``) or use NotAction."""
    return _scan(document, where, _wildcard_grant)


def _attached(policy: Resource) -> bool:
    """A managed policy that names identities, or that an identity of the template attaches."""
    if any(items(policy.properties.get(prop), prop) for prop in ("Roles", "Users", "Groups")):
        return True
    return bool(policy.stack.referrers(policy.logical_id, "ManagedPolicyArns", ROLE, USER, GROUP))


@rule(
    "BIO2-IAM-NoWildcardGrant",
    types=[POLICY, MANAGED_POLICY, ROLE, USER, GROUP],
    level=Level.WARNING,
    finding="Identity policy grants every action of a service (Action 'service:*' or '*') or uses "
    "Allow with NotAction",
    fix="List the actions the task needs (CDK: the construct's grant_* methods do)",
)
@synth_time
def iam_no_wildcard_grant(res: Resource) -> Outcome:
    """No Allow statement in the policy (or the inline Policies) grants a whole service."""
    found: list[str] = []
    if res.type == MANAGED_POLICY and not _attached(res):
        return (
            Result.NOT_APPLICABLE,
            "not attached to an identity in this template (e.g. a permissions boundary)",
        )
    if res.type in (POLICY, MANAGED_POLICY):
        found = wildcard_grants(res.properties.get("PolicyDocument"), "PolicyDocument")
    else:
        for i, pol in enumerate(items(res.properties.get("Policies"), "Policies")):
            doc = lookup(pol, "PolicyDocument", where=f"Policies[{i}]")
            found += wildcard_grants(doc, f"Policies[{i}].PolicyDocument")
    if found:
        return Result.NON_COMPLIANT, msg("rule.findings", findings_list=found)
    return Result.COMPLIANT
