"""The landing zone's checked claims: the claim table (``claims.json``) and the checks per guardrail.

``claims.json`` is the landing zone's data: per claim ID its kind (preventive or detective) and its
measure mappings with strength and rationale (English and Dutch), re-mapped against the BIO2
measure texts (claim less rather than more). The components make the claims where they build the
guardrail or monitor, with the checks whose facts must hold on the synthesized template
(:mod:`bio2_aspects.claims`); the engine verifies them after synthesis.

The checks of the organization policies are here (:func:`guardrail_claims`), keyed by guardrail,
so that they test the *facts* a guardrail stands for (which actions are denied, to whom, where it
is attached), not the exact policy text.
"""

from __future__ import annotations

import fnmatch
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bio2_aspects.claims import (
    Check,
    ClaimTable,
    PolicyAttached,
    PolicyDenies,
    TagPolicyEnforces,
)
from bio2_aspects.messages import Message, match, phrase

if TYPE_CHECKING:
    from constructs import IConstruct

    from landing_zone.organization.policies import PolicyInputs

CLAIMS_FILE = Path(__file__).with_name("claims.json")


@cache
def claim_table() -> ClaimTable:
    """The landing zone's claim table (``landing_zone/claims.json``)."""
    return ClaimTable.from_file(CLAIMS_FILE)


DETAILS_FILE = Path(__file__).with_name("claim_details.json")


@cache
def _claim_details() -> tuple[dict[str, Any], dict[str, str]]:
    data = json.loads(DETAILS_FILE.read_text(encoding="utf-8"))
    return data["templates"], data["phrases"]


def claim_detail(claim_id: str, text: str) -> str:
    """The detail of a claim as a message with English and Dutch templates (``claim_details.json``)
    when one of the claim's templates renders exactly ``text``; else ``text`` as written. Parameter
    values that are our own sentences are translated through the file's phrases."""
    templates, phrases = _claim_details()
    # a claim's own template before a template for a family of claims (a pattern with "*")
    for name, entry in sorted(
        templates.items(), key=lambda kv: (any("*" in p for p in kv[1]["claims"]), kv[0])
    ):
        if not any(fnmatch.fnmatchcase(claim_id, pattern) for pattern in entry["claims"]):
            continue
        params = match(entry["en"], text)
        if params is None:
            continue
        values = {k: phrase(v, phrases, f"lz.phrase.{name}") for k, v in params.items()}
        return Message(f"lz.claim.{name}", {"en": entry["en"], "nl": entry["nl"]}, **values)
    return text


def make_claim(scope: IConstruct, claim_id: str, *checks: Check, detail: str) -> bool:
    """Make ``claim_id`` on ``scope`` when the table maps it to measures; False when it maps none.
    The detail becomes a message with its Dutch text where ``claim_details.json`` has its template."""
    table = claim_table()
    if claim_id not in table or not table[claim_id].mappings:
        return False
    table.claim(scope, claim_id, *checks, detail=claim_detail(claim_id, detail))
    return True


ORGANIZATION = PolicyAttached(scope="organization")

# The facts each guardrail stands for: a core set of actions that must stay denied, checked on the
# written policy (wildcards and NotAction are evaluated, conditions may only exempt the named roles).
_CLOUDTRAIL = (
    "cloudtrail:StopLogging",
    "cloudtrail:DeleteTrail",
    "cloudtrail:UpdateTrail",
    "cloudtrail:PutEventSelectors",
)
_LOG_OBJECTS = (
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:DeleteBucket",
    "s3:PutBucketPolicy",
    "s3:PutLifecycleConfiguration",
    "s3:PutObjectRetention",
    "s3:BypassGovernanceRetention",
)
_LOG_KEYS = ("kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy")
_SECURITY_SERVICES = (
    "config:StopConfigurationRecorder",
    "config:DeleteConfigurationRecorder",
    "config:DeleteDeliveryChannel",
    "guardduty:DeleteDetector",
    "guardduty:UpdateDetector",
    "guardduty:CreateFilter",
    "securityhub:DisableSecurityHub",
    "securityhub:BatchDisableStandards",
    "access-analyzer:DeleteAnalyzer",
    "access-analyzer:CreateArchiveRule",
)
_BACKUP = (
    "backup:DeleteRecoveryPoint",
    "backup:DeleteBackupVault",
    "backup:PutBackupVaultAccessPolicy",
    "backup:DeleteBackupVaultLockConfiguration",
    "backup:UpdateRecoveryPointLifecycle",
)
_PLATFORM_ROLES = (
    "iam:UpdateAssumeRolePolicy",
    "iam:AttachRolePolicy",
    "iam:PutRolePolicy",
    "iam:DeleteRole",
)
_PERIMETER = (
    "s3:GetObject",
    "s3:PutObject",
    "kms:Decrypt",
    "sts:AssumeRole",
    "secretsmanager:GetSecretValue",
)


def _perimeter_when(inputs: PolicyInputs) -> dict[str, dict[str, str]]:
    """The only narrowing the data perimeter may carry: principals outside the organization (its
    literal ID when the configuration gives it, as the RCP writes it), AWS services aside."""
    org = inputs.organization_id or "${aws:ResourceOrgID}"
    return {
        "StringNotEqualsIfExists": {"aws:PrincipalOrgID": org},
        "BoolIfExists": {"aws:PrincipalIsAWSService": "false"},
    }


def guardrail_claims(key: str, inputs: PolicyInputs) -> tuple[str, tuple[Check, ...]] | None:
    """(claim ID, checks) of the library guardrail ``key``; None for guardrails that claim nothing."""
    exempt = tuple(inputs.platform_role_arns)
    buckets = tuple(f"arn:aws:s3:::{name}/*" for name in inputs.log_bucket_names) + tuple(
        f"arn:aws:s3:::{name}" for name in inputs.log_bucket_names
    )
    key_arn = f"arn:aws:kms:*:{inputs.log_archive_account_id}:key/*"
    users = "arn:aws:iam::*:user/*"
    specs: dict[str, tuple[str, tuple[Check, ...]]] = {
        "deny_root_user": (
            "LZ-SCP-DenyRootUser",
            (PolicyDenies(actions=("*",), when={"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}}),),
        ),
        "deny_iam_users": (
            "LZ-SCP-DenyIamUsers",
            (
                PolicyDenies(
                    actions=("iam:CreateUser", "iam:CreateAccessKey"),
                    resources=(users,),
                    exempt=(f"arn:aws:iam::*:role/{inputs.iam_user_exception_role}",)
                    if inputs.iam_user_exception_role
                    else (),
                ),
                PolicyDenies(
                    actions=("iam:CreateLoginProfile", "iam:UpdateLoginProfile"), resources=(users,)
                ),
            ),
        ),
        "protect_logging": (
            "LZ-SCP-ProtectLogging",
            (
                PolicyDenies(actions=_CLOUDTRAIL, exempt=exempt),
                PolicyDenies(actions=_LOG_OBJECTS, resources=buckets, exempt=exempt),
                PolicyDenies(actions=_LOG_KEYS, resources=(key_arn,), exempt=exempt),
            ),
        ),
        "protect_security_services": (
            "LZ-SCP-ProtectSecurityServices",
            (PolicyDenies(actions=_SECURITY_SERVICES, exempt=exempt),),
        ),
        "protect_backup": ("LZ-SCP-ProtectBackup", (PolicyDenies(actions=_BACKUP, exempt=exempt),)),
        "protect_platform_roles": (
            "LZ-SCP-ProtectPlatformRoles",
            (
                PolicyDenies(
                    actions=_PLATFORM_ROLES, resources=tuple(inputs.protected_role_arns), exempt=exempt
                ),
            ),
        ),
        "protect_account_defaults": (
            "LZ-SCP-ProtectAccountDefaults",
            (
                PolicyDenies(
                    actions=("s3:PutAccountPublicAccessBlock",),
                    exempt=(*exempt, *inputs.account_defaults_role_arns),
                ),
                PolicyDenies(actions=("ec2:DisableEbsEncryptionByDefault",)),
            ),
        ),
        "approved_services": (
            "LZ-SCP-ApprovedServices",
            # the facts: some service outside the approved list is denied (every action of it)
            (PolicyDenies(actions=_unapproved_probe(inputs.approved_services)),),
        ),
        "data_perimeter": (
            "LZ-RCP-DataPerimeter",
            (
                PolicyDenies(
                    actions=_PERIMETER, policy_type="RESOURCE_CONTROL_POLICY", when=_perimeter_when(inputs)
                ),
            ),
        ),
        "classification_tags": ("LZ-TagPolicy-Classification", (_classification_check(),)),
    }
    found = specs.get(key)
    if found is None:
        return None
    claim_id, checks = found
    return claim_id, (*checks, ORGANIZATION)


def _unapproved_probe(approved: tuple[str, ...]) -> tuple[str, ...]:
    """Actions of services that are not approved: the policy must deny each of them."""
    probes = ("sagemaker", "gamelift", "braket", "ec2", "lambda", "iot", "mediaconvert", "lightsail")
    chosen = tuple(f"{p}:*" for p in probes if p not in set(approved))
    return chosen or ("lightsail:*",)


def _classification_check() -> Check:
    from bio2_aspects.rules.tagging import CLASSIFICATION_TAGS
    from landing_zone.config.sections.classification import LEVELS

    return TagPolicyEnforces(
        keys={k: tuple(LEVELS) for k in CLASSIFICATION_TAGS}, enforced_for=("s3:bucket",)
    )
