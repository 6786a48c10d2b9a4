"""What every guardrail has in common: its document, its limits and the BIO2 measures it enforces."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

VERSION = "2012-10-17"

SCP = "SERVICE_CONTROL_POLICY"
RCP = "RESOURCE_CONTROL_POLICY"
TAG_POLICY = "TAG_POLICY"
BACKUP_POLICY = "BACKUP_POLICY"
AI_OPT_OUT = "AISERVICES_OPT_OUT_POLICY"


@dataclass(frozen=True)
class PolicyTypeLimits:
    """AWS Organizations quotas of one policy type."""

    #: the longest document, in characters of minified JSON (AWS does not count whitespace)
    max_size: int
    #: the most policies of this type attached directly to one root, OU or account
    max_per_target: int
    #: AWS-managed policies of this type attached everywhere by default, which count for that limit
    default_attached: tuple[str, ...] = ()


#: AWS Organizations quotas ("Quotas and service limits for AWS Organizations").
LIMITS: dict[str, PolicyTypeLimits] = {
    SCP: PolicyTypeLimits(5120, 5, ("FullAWSAccess",)),
    RCP: PolicyTypeLimits(5120, 5, ("RCPFullAWSAccess",)),
    TAG_POLICY: PolicyTypeLimits(10000, 10),
    BACKUP_POLICY: PolicyTypeLimits(10000, 10),
    AI_OPT_OUT: PolicyTypeLimits(2500, 5),
    "CHATBOT_POLICY": PolicyTypeLimits(10000, 5),
    "DECLARATIVE_POLICY_EC2": PolicyTypeLimits(10000, 10),
}

#: Short names of the policy types, for policy names and messages.
TYPE_WORDS: dict[str, str] = {
    SCP: "service control policy",
    RCP: "resource control policy",
    TAG_POLICY: "tag policy",
    BACKUP_POLICY: "backup policy",
    AI_OPT_OUT: "AI services opt-out policy",
    "CHATBOT_POLICY": "chatbot policy",
    "DECLARATIVE_POLICY_EC2": "declarative policy",
}


def minified(document: Mapping[str, Any]) -> str:
    """The document as AWS measures it: JSON without insignificant whitespace."""
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)


def size_of(document: Mapping[str, Any]) -> int:
    """Characters of the minified document (the unit of the Organizations size quota)."""
    return len(minified(document))


class PolicyTooLarge(ValueError):
    """A policy document is over its type's size quota."""

    def __init__(self, name: str, policy_type: str, size: int):
        self.name, self.policy_type, self.size = name, policy_type, size
        limit = LIMITS[policy_type].max_size
        super().__init__(
            f"{TYPE_WORDS.get(policy_type, policy_type)} '{name}' is {size:,} characters of minified "
            f"JSON; AWS Organizations accepts at most {limit:,}"
        )


def check_size(name: str, policy_type: str, document: Mapping[str, Any]) -> int:
    """The document's size; raises :class:`PolicyTooLarge` when it is over the quota."""
    size = size_of(document)
    if policy_type in LIMITS and size > LIMITS[policy_type].max_size:
        raise PolicyTooLarge(name, policy_type, size)
    return size


def statement_document(statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Version": VERSION, "Statement": statements}


@dataclass(frozen=True)
class Guardrail:
    """One policy of the library: its document and what it enforces.

    ``measures`` are the BIO2 measures the policy makes impossible to violate (in the accounts it
    applies to); empty when the policy serves a requirement that is not a BIO2 measure of its own
    (data residency, for instance). ``evidence`` says precisely what is enforced and what is not: it
    becomes the description of the preventive evidence in the BIO2 manifest.
    """

    key: str
    title: str
    policy_type: str
    document: dict[str, Any]
    measures: tuple[str, ...]
    evidence: str

    @property
    def statements(self) -> list[dict[str, Any]]:
        return list(self.document.get("Statement", []))

    @property
    def size(self) -> int:
        return size_of(self.document)


@dataclass(frozen=True)
class PolicyInputs:
    """Everything from the configuration that the policy builders read (plain values, no CDK)."""

    allowed_regions: tuple[str, ...]
    platform_role_arns: tuple[str, ...]
    protected_role_arns: tuple[str, ...]
    log_bucket_names: tuple[str, ...]
    log_archive_account_id: str
    log_archive_key_alias: str
    iam_user_exception_role: str | None
    approved_services: tuple[str, ...]
    #: the member baseline's own roles (exact name per region) that set the account-level defaults
    account_defaults_role_arns: tuple[str, ...]
    #: break-glass, the only principal that may disable or delete protected KMS keys
    break_glass_arns: tuple[str, ...] = ()
    #: the platform bootstrap's deploy roles (exact names), which pass the cfn-exec role to CloudFormation
    deploy_role_arns: tuple[str, ...] = ()
    #: the platform roles nobody in a member account may assume (AWS services assume them)
    unassumable_role_arns: tuple[str, ...] = ()
    #: the organization's ID (``o-...``) when the configuration gives it
    organization_id: str | None = None
    #: the network account (runs the hub's internet egress and VPN), exempt from deny_network_escape
    network_account_id: str = ""


Builder = Callable[[PolicyInputs], Guardrail]


def platform_exemption(arns: tuple[str, ...]) -> dict[str, Any]:
    """Condition that leaves the platform's own roles out of a Deny statement.

    ``arns`` are exact role ARNs (``naming.exempt_principal_arns``); the only pattern among them is
    the StackSets execution role, whose name every policy protects.
    """
    return {"ArnNotLike": {"aws:PrincipalArn": _one_or_list(arns)}}


def _one_or_list(values: tuple[str, ...] | list[str]) -> str | list[str]:
    values = list(values)
    return values[0] if len(values) == 1 else values
