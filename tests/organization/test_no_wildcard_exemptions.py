"""No guardrail exempts a role by a name pattern an account admin could create.

Scans EVERY policy document of the synthesized default landing zone (SCPs, RCPs, key policies,
bucket policies, backup vault policies, role trust and permission policies, topic/queue/bus policies,
permission-set inline policies, the inline StackSet template included) for principal conditions and
principals that name a role with a wildcard. The one allowed pattern is the StackSets execution role
(``stacksets-exec-*``: AWS picks its suffix), and only because the SCPs protect that name; the test
proves that protection, and the protection of every exact name that is exempt anywhere.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from landing_zone import naming
from landing_zone.config import load_config
from landing_zone.organization.evaluator import Decision, Request, evaluate_scps
from landing_zone.organization.policies import SCP
from tests.organization.attack_kit import policy_documents, resolve
from tests.organization.org_testkit import effective, planned_policies

#: Condition keys that identify the calling principal.
PRINCIPAL_KEYS = ("aws:principalarn", "aws:userid", "aws:username")
ALLOWED_PATTERN = naming.STACKSET_EXECUTION_ROLE_PATTERN
#: IAM refuses the /aws-reserved/ path to everyone but AWS: only IAM Identity Center creates roles there
IDENTITY_CENTER_PATH = "aws-reserved/sso.amazonaws.com/"
ROLE = re.compile(r"^arn:aws:iam::(?P<account>[^:]*):role/(?:.*/)?(?P<name>[^/]+)$")


def _values(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def principal_values(statement: dict[str, Any]) -> list[tuple[str, str]]:
    """(where, value) of every principal named in the statement: Principal/NotPrincipal AWS entries
    and the values of principal condition keys under any operator."""
    out: list[tuple[str, str]] = []
    for element in ("Principal", "NotPrincipal"):
        principal = statement.get(element)
        if isinstance(principal, dict):
            out += [(f"{element}.AWS", v) for v in _values(principal.get("AWS", []))]
    for operator, keys in (statement.get("Condition") or {}).items():
        for key, value in (keys or {}).items():
            if key.lower() in PRINCIPAL_KEYS:
                out += [(f"Condition.{operator}.{key}", v) for v in _values(value)]
    return out


def exemptions(statement: dict[str, Any]) -> list[str]:
    """Role ARNs a Deny statement leaves out through a negated principal condition."""
    if statement.get("Effect") != "Deny":
        return []
    out = []
    for operator, keys in (statement.get("Condition") or {}).items():
        if "Not" not in operator:
            continue
        for key, value in (keys or {}).items():
            if key.lower() == "aws:principalarn":
                out += _values(value)
    return out


@pytest.fixture(scope="module")
def documents(default_synth):
    found = []
    for stack, where, cfn_type, document in policy_documents(default_synth.templates):
        doc = resolve(document, "123456789012", "eu-central-1")
        statements = doc.get("Statement", doc) if isinstance(doc, dict) else doc
        statements = [statements] if isinstance(statements, dict) else list(statements)
        found.append((f"{stack}:{where} ({cfn_type})", statements))
    return found


def test_the_scan_sees_every_kind_of_policy(documents):
    kinds = " ".join(name for name, _ in documents)
    for cfn_type in (
        "AWS::Organizations::Policy",
        "AWS::KMS::Key",
        "AWS::S3::BucketPolicy",
        "AWS::Backup::BackupVault",
        "AWS::IAM::Role",
        "AWS::SSO::PermissionSet",
    ):
        assert cfn_type in kinds, cfn_type
    assert sum(len(statements) for _, statements in documents) > 200


def test_no_policy_names_a_role_by_a_wildcard(documents):
    findings = []
    for name, statements in documents:
        for statement in statements:
            for where, value in principal_values(statement):
                match = ROLE.match(value)
                if "cdk-hnb659fds" in value or re.search(r":role/cdk-", value):
                    findings.append(f"{name} {statement.get('Sid')} {where}: {value} (default CDK bootstrap)")
                if not match:
                    continue
                role_name = match.group("name")
                if f":role/{IDENTITY_CENTER_PATH}" in value and match.group("account").isdigit():
                    # an Identity Center role of one named account: AWS picks its suffix and only
                    # Identity Center can create roles under the reserved path (a trust, not an exemption)
                    continue
                if any(ch in role_name for ch in "*?") and role_name != ALLOWED_PATTERN:
                    findings.append(f"{name} {statement.get('Sid')} {where}: {value}")
    assert findings == []


def test_every_exemption_is_an_exact_name_or_the_protected_stackset_pattern(documents):
    exempt = {value for _, statements in documents for s in statements for value in exemptions(s)}
    assert exempt, "the scan found no exemption at all"
    names = set()
    for value in exempt:
        match = ROLE.match(value)
        assert match, value
        names.add(match.group("name"))
    expected = {
        *naming.exempt_role_names(load_config().regions.allowed),
        ALLOWED_PATTERN,
        *(f"lz-baseline-account-defaults-{r}" for r in load_config().regions.allowed),
        *(naming.platform_bootstrap_role_name("deploy", r) for r in load_config().regions.allowed),
    }
    assert names <= expected, sorted(names - expected)


@pytest.fixture(scope="module")
def app_scps():
    config = load_config()
    return effective(planned_policies(config), config, "app-prod", SCP)


def test_every_exempt_name_is_protected_by_the_scps(documents, app_scps):
    """No one in a member account but the platform can create, re-trust or pass a role with an exempt
    name (the StackSets pattern is tried with an arbitrary suffix)."""
    attacker = "arn:aws:iam::666666666666:role/AWSReservedSSO_platform-admin_0123456789abcdef"
    names = set()
    for _, statements in documents:
        for statement in statements:
            for value in exemptions(statement):
                names.add(ROLE.match(value).group("name").replace("*", "ffffffffffffffffffffffffffffffff"))
    for name in sorted(names):
        arn = f"arn:aws:iam::666666666666:role/{name}"
        for action in ("iam:CreateRole", "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:PassRole"):
            request = Request(action, arn, {"aws:PrincipalArn": attacker, "aws:RequestedRegion": "us-east-1"})
            decision = evaluate_scps(app_scps, request).decision
            assert decision is Decision.EXPLICIT_DENY, (name, action)


def test_the_scan_is_not_vacuous():
    old = {
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Action": "kms:ScheduleKeyDeletion",
        "Resource": "*",
        "Condition": {
            "ArnNotLike": {"aws:PrincipalArn": ["arn:aws:iam::*:role/cdk-*", "arn:aws:iam::1:role/x?"]}
        },
    }
    values = [v for _, v in principal_values(old)]
    assert values == ["*", "arn:aws:iam::*:role/cdk-*", "arn:aws:iam::1:role/x?"]
    assert exemptions(old) == values[1:]
    assert ROLE.match(values[1]).group("name") == "cdk-*"
