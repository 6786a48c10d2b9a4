"""The break-glass role: emergency administrator access when the identity provider is unavailable.

One role, ``lz-break-glass``, in every account: the member accounts get it through the baseline
StackSet, the management account from the management stack (StackSets do not deploy there). Only
the IAM users named in ``identity.break_glass.principals`` may assume it, and only with an MFA
sign-in of at most ``mfa_max_age_minutes``. Every use raises an alert (see :mod:`.alerts`).

Evidence: the role carries the checked claim ``LZ-Identity-BreakGlassTrust`` (landing_zone/claims.json):
the engine reads the role's trust policy in the written template, so a trust policy that lost its
MFA conditions or names anyone but IAM users (also by an escape-hatch override) fails the claim.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

import bio2_aspects
from bio2_aspects.claims import TrustRequiresMfa
from landing_zone.claims import make_claim
from landing_zone.config import LandingZoneConfig
from landing_zone.identity.names import BREAK_GLASS_ROLE_NAME
from landing_zone.nag import acknowledge_nag

ADMIN_RULE = "BIO2-IAM-NoAdminManagedPolicy"

_USER_ARN = re.compile(r"^arn:aws:iam::[0-9]{12}:user/\S+$")


def trust_policy(principals: Sequence[str], mfa_max_age_seconds: int) -> dict[str, Any]:
    """Trust the named IAM users, with MFA, and a recent MFA sign-in."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "BreakGlassUsersWithRecentMfa",
                "Effect": "Allow",
                "Principal": {"AWS": sorted(principals)},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "Bool": {"aws:MultiFactorAuthPresent": "true"},
                    "NumericLessThan": {"aws:MultiFactorAuthAge": str(mfa_max_age_seconds)},
                },
            }
        ],
    }


def _values(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _condition(statement: Mapping[str, Any], operators: Sequence[str], key: str) -> list[Any]:
    """Values of condition ``key`` under any of ``operators`` (keys compared case-insensitively)."""
    condition = statement.get("Condition")
    if not isinstance(condition, Mapping):
        return []
    found: list[Any] = []
    for operator, clauses in condition.items():
        if operator not in operators or not isinstance(clauses, Mapping):
            continue
        for name, value in clauses.items():
            if str(name).lower() == key.lower():
                found += _values(value)
    return found


def trust_is_guarded(document: Any, mfa_max_age_seconds: int) -> bool:
    """True when every Allow of ``document`` trusts only named IAM users, with MFA of bounded age."""
    if not isinstance(document, Mapping):
        return False
    statements = [s for s in _values(document.get("Statement")) if isinstance(s, Mapping)]
    allows = [s for s in statements if s.get("Effect") == "Allow"]
    if not allows:
        return False
    for statement in allows:
        principal = statement.get("Principal")
        if "NotPrincipal" in statement or not isinstance(principal, Mapping) or set(principal) != {"AWS"}:
            return False
        users = _values(principal["AWS"])
        if not users or not all(isinstance(u, str) and _USER_ARN.match(u) for u in users):
            return False
        present = _condition(statement, ("Bool",), "aws:MultiFactorAuthPresent")
        if not present or any(str(v).lower() != "true" for v in present):
            return False
        ages = _condition(statement, ("NumericLessThan", "NumericLessThanEquals"), "aws:MultiFactorAuthAge")
        try:
            if not ages or any(int(str(v)) > mfa_max_age_seconds for v in ages):
                return False
        except ValueError:
            return False
    return True


class BreakGlassRole(Construct):
    """The ``lz-break-glass`` role of one account (see the module documentation)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: LandingZoneConfig,
        condition: cdk.CfnCondition | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        bg = config.identity.break_glass
        max_age = bg.mfa_max_age_minutes * 60
        self.role = iam.CfnRole(
            self,
            "Role",
            role_name=BREAK_GLASS_ROLE_NAME,
            description=(
                "Emergency administrator access when the identity provider or IAM Identity Center is "
                "unavailable; MFA required, every use alerts (docs/break-glass.md)"
            ),
            assume_role_policy_document=trust_policy(bg.principals, max_age),
            managed_policy_arns=[f"arn:{cdk.Aws.PARTITION}:iam::aws:policy/AdministratorAccess"],
            max_session_duration=bg.session_hours * 3600,
        )
        if condition is not None:
            self.role.cfn_options.condition = condition
        if bg.justification:
            bio2_aspects.acknowledge(self.role, ADMIN_RULE, bg.justification)
            acknowledge_nag(
                self.role,
                "AwsSolutions-IAM4",
                "Break-glass emergency access by design: AdministratorAccess only for the named "
                f"break-glass users with MFA (at most {bg.mfa_max_age_minutes} minutes old), every use "
                f"alerts. {bg.justification}",
                findings=["Policy::arn:<AWS::Partition>:iam::aws:policy/AdministratorAccess"],
            )
        users = len(bg.principals)
        make_claim(
            self.role,
            "LZ-Identity-BreakGlassTrust",
            TrustRequiresMfa(max_age_seconds=max_age),
            detail=(
                f"The break-glass role ({BREAK_GLASS_ROLE_NAME}, administrator access) can be assumed "
                f"only by the {users} named break-glass IAM user{'s' if users != 1 else ''}, with MFA "
                f"used within the last {bg.mfa_max_age_minutes} minutes; nobody else, and never without "
                "MFA."
            ),
        )
