"""``identity``: workforce sign-in through IAM Identity Center and an external identity provider.

People sign in with the organisation's identity provider (Microsoft Entra ID); SCIM provisions its
groups into IAM Identity Center, and the landing zone gives those groups *permission sets* in
accounts (*assignments*). Accounts that must federate directly get an IAM SAML provider and roles.
A break-glass role, guarded by MFA and an alert, covers an outage of the identity provider.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field

from landing_zone.config.base import ConfigModel, Email, Hint
from landing_zone.config.errors import Problem, did_you_mean, duplicates, path_of
from landing_zone.config.sections.organization import ROOT, Account, AccountName, Role, unknown_account

if TYPE_CHECKING:
    from landing_zone.config.model import LandingZoneConfig

SessionHours = Annotated[int, Field(ge=1, le=12), Hint(expected="a whole number of hours from 1 to 12")]

#: Shortest justification of administrator access that the configuration accepts.
MIN_JUSTIFICATION = 20

#: The AWS managed policy that grants everything.
ADMIN_MANAGED_POLICY = "AdministratorAccess"

#: The customer managed permissions boundary that the landing zone creates in every account.
WORKLOAD_BOUNDARY_POLICY = "lz-workload-boundary"

#: IAM allows at most 20 managed policies (AWS and customer managed together) per permission set.
MAX_POLICIES = 20

#: The largest inline policy a permission set takes (characters of JSON).
MAX_INLINE_POLICY_CHARS = 32_768

#: IAM refuses SAML metadata documents shorter than this (a real document, with its certificate, is longer).
MIN_SAML_METADATA_CHARS = 1_000

#: Largest SAML metadata document the configuration accepts: it is embedded in the member-account
#: baseline, whose inline StackSet body CloudFormation limits to 51,200 bytes.
MAX_SAML_METADATA_CHARS = 20_000

#: Assignments and permission sets go into the management stack, which CloudFormation limits to
#: 500 resources; the rest of the management stack (organization, policies, StackSets) needs room.
MAX_IDENTITY_RESOURCES = 300

_GROUP_ID = r"^([0-9a-f]{10}-)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
_SAML_MD = "urn:oasis:names:tc:SAML:2.0:metadata"
_XML_DSIG = "http://www.w3.org/2000/09/xmldsig#"

GroupId = Annotated[
    str,
    Field(pattern=_GROUP_ID),
    Hint(
        expected=(
            "an IAM Identity Center group ID: a UUID, optionally after 10 hexadecimal characters and '-' "
            "(Identity Center console > Groups > the group > Group ID; not the Entra ID object ID)"
        ),
        example="90676ef3a4-6d1f2b7e-1c3a-4f5e-9a0b-2c4d6e8f0a1b",
    ),
]
GroupName = Annotated[
    str,
    Field(pattern=r"^[\w+=,.@ -]{1,128}$"),
    Hint(expected="a group name: letters, digits, spaces and +=,.@_- (at most 128)", example="aws-admins"),
]
PermissionSetName = Annotated[
    str,
    Field(pattern=r"^[\w+=,.@-]{1,32}$"),
    Hint(
        expected="a permission set name: letters, digits and +=,.@_- (at most 32)", example="platform-admin"
    ),
]
ManagedPolicyName = Annotated[
    str,
    Field(pattern=r"^([a-z][a-z0-9-]*/)?[A-Za-z0-9+=,.@_-]{1,128}$"),
    Hint(
        expected="the name of an AWS managed policy, with its path when it has one",
        example="job-function/ViewOnlyAccess",
    ),
]
CustomerPolicyName = Annotated[
    str,
    Field(pattern=r"^[\w+=,.@-]{1,128}$"),
    Hint(expected="the name of a customer managed IAM policy", example="lz-workload-boundary"),
]
RoleName = Annotated[
    str,
    Field(pattern=r"^[\w+=,.@-]{1,64}$"),
    Hint(expected="an IAM role name: letters, digits and +=,.@_- (at most 64)", example="app-operator"),
]
UserArn = Annotated[
    str,
    Field(pattern=r"^arn:aws:iam::[0-9]{12}:user/[\w+=,.@/-]{1,64}$"),
    Hint(
        expected="an IAM user ARN (break-glass principals are IAM users with MFA, not roles or accounts)",
        example="arn:aws:iam::111111111111:user/break-glass-1",
    ),
]
Justification = Annotated[
    str,
    Field(min_length=MIN_JUSTIFICATION),
    Hint(
        expected=f"a justification of at least {MIN_JUSTIFICATION} characters",
        fix=(
            "explain why this access must be administrator access, who holds it and how it is reviewed "
            f"(at least {MIN_JUSTIFICATION} characters): the BIO2 manifest shows it to auditors"
        ),
    ),
]


class Group(ConfigModel):
    """A group of the identity provider, provisioned into IAM Identity Center by SCIM."""

    name: GroupName = Field(
        description="Name of the group (use its display name in Entra ID); assignments refer to it."
    )
    id: GroupId = Field(
        description=(
            "The group's ID in IAM Identity Center (console: Groups > the group > Group ID). SCIM creates "
            "the group; this is not the Entra ID object ID."
        )
    )


class PermissionSet(ConfigModel):
    """An IAM Identity Center permission set: what a person may do in an account they are assigned to."""

    name: PermissionSetName = Field(description="Name of the permission set, shown on the AWS access portal.")
    description: str | None = Field(
        default=None, min_length=1, max_length=700, description="What the permission set is for."
    )
    managed_policies: tuple[ManagedPolicyName, ...] = Field(
        default=(),
        description=(
            "AWS managed policies by name, with their path when they have one (`ReadOnlyAccess`, "
            "`job-function/ViewOnlyAccess`)."
        ),
    )
    customer_managed_policies: tuple[CustomerPolicyName, ...] = Field(
        default=(),
        description=(
            "Customer managed policies by name (path `/`). They must exist in every account the "
            "permission set is assigned to, or provisioning fails."
        ),
    )
    inline_policy: dict[str, Any] | None = Field(
        default=None,
        description=(
            "An IAM policy document (`Version`, `Statement`) added to the permission set's inline policy."
        ),
    )
    protect_landing_zone: bool = Field(
        default=True,
        description=(
            "Add the landing zone's protective deny statements: no IAM users or access keys, no changes to "
            "the organization or leaving it, no disabling of logging and security services, no changes to "
            "the landing zone's own roles and policies."
        ),
    )
    workload_iam: bool = Field(
        default=False,
        description=(
            "Let holders create IAM roles, policies and instance profiles under the path `/workload/`, "
            f"only with the permissions boundary `{WORKLOAD_BOUNDARY_POLICY}` attached to every role "
            "(PowerUserAccess gives no IAM). Roles made this way can never do more than the boundary."
        ),
    )
    permissions_boundary: CustomerPolicyName | None = Field(
        default=None,
        description=(
            "Customer managed policy that caps the permission set (permissions boundary). "
            f"`{WORKLOAD_BOUNDARY_POLICY}` is created by the landing zone in every account; any other "
            "name must exist in every account the permission set is assigned to."
        ),
    )
    session_hours: SessionHours | None = Field(
        default=None,
        description=(
            "Session length in hours; default and maximum: `identity.max_session_hours`, or "
            "`identity.admin_max_session_hours` for privileged permission sets."
        ),
    )
    privileged: bool = Field(
        default=False,
        description=(
            "Administrative access (short sessions, quarterly review). Permission sets that grant "
            "administrator access are privileged whatever this says."
        ),
    )
    account_roles: tuple[Role, ...] = Field(
        default=(),
        description=(
            "Account roles this permission set may be assigned in (such as `[workload, sandbox]`); empty: "
            "any account."
        ),
    )
    justification: Justification | None = Field(
        default=None,
        description=(
            "Why this permission set needs administrator access; required when it grants it "
            "(`AdministratorAccess` or an `Allow` of `*` on `*`). The BIO2 manifest carries it as the "
            "reason of the accepted risk."
        ),
    )

    @property
    def grants_admin(self) -> bool:
        """True when the permission set grants administrator access (see :func:`grants_admin`)."""
        return grants_admin(self.managed_policies, self.inline_policy)

    @property
    def is_privileged(self) -> bool:
        return self.privileged or self.grants_admin


class Assignment(ConfigModel):
    """Gives a group a permission set in accounts, listed by name or by OU."""

    group: str = Field(min_length=1, description="Name of a group in `identity.groups`.")
    permission_set: str = Field(
        min_length=1, description="Name of a permission set in `identity.permission_sets`."
    )
    accounts: tuple[AccountName, ...] = Field(default=(), description="Accounts by name.")
    ous: tuple[str, ...] = Field(
        default=(),
        description=(
            "OU paths (`Workloads/Prod`): every account in the OU and the OUs below it, or `Root` for every "
            "account. Expanded from `organization.accounts` at synthesis: after adding an account, deploy "
            "the landing zone again."
        ),
    )


class BreakGlass(ConfigModel):
    """The emergency role for when the identity provider or IAM Identity Center is unavailable."""

    principals: tuple[UserArn, ...] = Field(
        default=(),
        description=(
            "IAM users that may assume the break-glass role, each with its own hardware MFA device, "
            "typically two in the management account. Empty: no break-glass role."
        ),
    )
    mfa_max_age_minutes: int = Field(
        default=15,
        ge=1,
        le=60,
        description=(
            "How recent the MFA sign-in must be to assume the role (aws:MultiFactorAuthAge), in minutes."
        ),
    )
    session_hours: SessionHours = Field(
        default=1,
        description="Longest break-glass session, in hours; at most `identity.admin_max_session_hours`.",
    )
    justification: Justification | None = Field(
        default=None,
        description=(
            "Why the break-glass role has administrator access; required when `principals` are given. The "
            "BIO2 manifest carries it as the reason of the accepted risk."
        ),
    )


class SamlRole(ConfigModel):
    """An IAM role that people assume directly through the SAML provider."""

    name: RoleName = Field(description="Name of the IAM role; the identity provider's role claim names it.")
    description: str | None = Field(
        default=None, min_length=1, max_length=1000, description="What it is for."
    )
    managed_policies: tuple[ManagedPolicyName, ...] = Field(
        min_length=1, max_length=10, description="AWS managed policies by name (`ReadOnlyAccess`)."
    )
    session_hours: SessionHours | None = Field(
        default=None,
        description="Session length in hours; default and maximum as for permission sets.",
    )
    privileged: bool = Field(default=False, description="Administrative access (short sessions).")
    justification: Justification | None = Field(
        default=None, description="Why the role needs administrator access; required when it has it."
    )

    @property
    def grants_admin(self) -> bool:
        return grants_admin(self.managed_policies, None)

    @property
    def is_privileged(self) -> bool:
        return self.privileged or self.grants_admin


class SamlFederation(ConfigModel):
    """Direct SAML federation for accounts that cannot use IAM Identity Center (discouraged)."""

    provider_name: Annotated[
        str,
        Field(pattern=r"^[\w._-]{1,128}$"),
        Hint(expected="a SAML provider name: letters, digits and ._- (at most 128)", example="entra-id"),
    ] = Field(description="Name of the IAM SAML provider in each listed account.")
    metadata_xml: str = Field(
        min_length=1,
        description=(
            "The identity provider's SAML 2.0 metadata document, pasted inline (`metadata_xml: |`). It is "
            f"public information; at most {MAX_SAML_METADATA_CHARS} characters."
        ),
    )
    accounts: tuple[AccountName, ...] = Field(
        min_length=1, description="Accounts that get the SAML provider and the roles."
    )
    roles: tuple[SamlRole, ...] = Field(min_length=1, description="Roles people assume through the provider.")


class IdentitySection(ConfigModel):
    """People sign in with the organisation's identity provider through IAM Identity Center."""

    provider: Literal["entra-id", "other-saml"] = Field(
        default="entra-id",
        description=(
            "Identity provider federated with IAM Identity Center: Microsoft Entra ID or another SAML "
            "2.0 IdP."
        ),
    )
    identity_center_instance_arn: (
        Annotated[
            str,
            Field(pattern=r"^arn:aws:sso:::instance/ssoins-[0-9a-f]{16}$"),
            Hint(
                expected="an IAM Identity Center instance ARN",
                example="arn:aws:sso:::instance/ssoins-0123456789abcdef",
            ),
        ]
        | None
    ) = Field(
        default=None,
        description=(
            "ARN of the existing IAM Identity Center instance (enable it once in the management account, "
            "home region). Without it, no permission sets or assignments are created."
        ),
    )
    identity_store_id: (
        Annotated[
            str,
            Field(pattern=r"^d-[0-9a-f]{10}$"),
            Hint(expected="an identity store ID: 'd-' and 10 hexadecimal characters", example="d-0123456789"),
        ]
        | None
    ) = Field(default=None, description="ID of the Identity Center identity store.")
    max_session_hours: SessionHours = Field(
        default=8, description="Longest sign-in session for ordinary permission sets, in hours."
    )
    admin_max_session_hours: SessionHours = Field(
        default=1, description="Longest sign-in session for administrative permission sets, in hours."
    )
    alert_emails: tuple[Email, ...] = Field(
        default=(),
        description=(
            "Who is told, by e-mail, of every use of the break-glass role and every change of Identity "
            "Center permission sets and assignments."
        ),
    )
    groups: tuple[Group, ...] = Field(default=(), description="Identity provider groups that get access.")
    permission_sets: tuple[PermissionSet, ...] = Field(
        default=(), description="Permission sets in IAM Identity Center."
    )
    assignments: tuple[Assignment, ...] = Field(
        default=(), description="Which group gets which permission set in which accounts."
    )
    break_glass: BreakGlass = Field(default=BreakGlass(), description="The emergency role.")
    saml_federation: SamlFederation | None = Field(
        default=None, description="Direct SAML federation for accounts that cannot use Identity Center."
    )

    def permission_set(self, name: str) -> PermissionSet | None:
        return next((ps for ps in self.permission_sets if ps.name == name), None)

    def group(self, name: str) -> Group | None:
        return next((group for group in self.groups if group.name == name), None)

    def session_hours_of(self, item: PermissionSet | SamlRole) -> int:
        """The session length of a permission set or SAML role: its own, else the cap that applies."""
        return item.session_hours or self.session_cap(item)

    def session_cap(self, item: PermissionSet | SamlRole) -> int:
        return self.admin_max_session_hours if item.is_privileged else self.max_session_hours


# --------------------------------------------------------------------------- helpers (also used by the build)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str)]
    return []


def policy_statements(document: Mapping[str, Any] | None) -> list[Any]:
    """The statements of an IAM policy document (a single statement counts as a list of one)."""
    if not document:
        return []
    statements = document.get("Statement")
    if isinstance(statements, Mapping):
        return [statements]
    return list(statements) if isinstance(statements, list | tuple) else []


def grants_admin(managed_policies: Iterable[str], inline_policy: Mapping[str, Any] | None) -> bool:
    """Administrator access: the AdministratorAccess policy, or an Allow of ``*`` on every resource.

    The same test as the BIO2 rules BIO2-IAM-NoAdminManagedPolicy and BIO2-IAM-NoAdminStatement.
    """
    if ADMIN_MANAGED_POLICY in managed_policies:
        return True
    for statement in policy_statements(inline_policy):
        if not isinstance(statement, Mapping) or str(statement.get("Effect", "")).capitalize() != "Allow":
            continue
        if {"*", "*:*"} & set(_strings(statement.get("Action"))) and (
            "*" in _strings(statement.get("Resource")) or "NotResource" in statement
        ):
            return True
    return False


def accounts_in_ou(cfg: LandingZoneConfig, ou_path: str) -> list[Account]:
    """Accounts in the OU ``ou_path`` and every OU below it, in file order; ``Root``: every account."""
    if ou_path == ROOT:
        return list(cfg.organization.accounts)
    return [a for a in cfg.organization.accounts if a.ou == ou_path or a.ou.startswith(f"{ou_path}/")]


def assignment_accounts(cfg: LandingZoneConfig, assignment: Assignment) -> list[Account]:
    """The accounts an assignment reaches: named accounts, then the accounts of its OUs, each once."""
    found: dict[str, Account] = {}
    for name in assignment.accounts:
        account = cfg.organization.account(name)
        if account is not None:
            found.setdefault(account.name, account)
    for ou_path in assignment.ous:
        for account in accounts_in_ou(cfg, ou_path):
            found.setdefault(account.name, account)
    return list(found.values())


def _needs_workload_boundary(ps: PermissionSet) -> bool:
    return ps.permissions_boundary == WORKLOAD_BOUNDARY_POLICY or WORKLOAD_BOUNDARY_POLICY in (
        ps.customer_managed_policies
    )


def _boundary_accounts(cfg: LandingZoneConfig) -> set[str]:
    """Accounts that have the workload boundary: the management account and the baseline's targets."""
    names = {a.name for a in cfg.organization.accounts if a.role == "management"}
    for target in cfg.organization.baseline.targets:
        names |= {a.name for a in accounts_in_ou(cfg, target)}
    return names


def saml_metadata_problem(xml_text: str) -> str | None:
    """Why ``xml_text`` is not usable SAML 2.0 identity provider metadata, or None when it is."""
    if len(xml_text) > MAX_SAML_METADATA_CHARS:
        return (
            f"the metadata has {len(xml_text)} characters, more than the {MAX_SAML_METADATA_CHARS} the "
            "member-account baseline can carry"
        )
    if re.search(r"<!(DOCTYPE|ENTITY)", xml_text, re.IGNORECASE):
        return "the metadata declares a DOCTYPE or entities, which SAML metadata never needs"
    if len(xml_text.strip()) < MIN_SAML_METADATA_CHARS:
        return (
            f"the metadata has {len(xml_text.strip())} characters; IAM needs at least "
            f"{MIN_SAML_METADATA_CHARS}: it is incomplete"
        )
    try:
        root = ET.fromstring(xml_text.strip())
    except ET.ParseError as error:
        return f"the metadata is not well-formed XML ({error})"
    if root.tag != f"{{{_SAML_MD}}}EntityDescriptor" or not root.get("entityID"):
        return "the metadata is not a SAML 2.0 EntityDescriptor with an entityID"
    idp = root.find(f"{{{_SAML_MD}}}IDPSSODescriptor")
    if idp is None:
        return "the metadata has no IDPSSODescriptor: it does not describe an identity provider"
    if idp.find(f"{{{_SAML_MD}}}SingleSignOnService") is None:
        return "the metadata has no SingleSignOnService endpoint"
    certificates = [
        key.find(f".//{{{_XML_DSIG}}}X509Certificate")
        for key in idp.findall(f"{{{_SAML_MD}}}KeyDescriptor")
        if key.get("use") in (None, "signing")
    ]
    if not any(cert is not None and (cert.text or "").strip() for cert in certificates):
        return "the metadata has no signing certificate (KeyDescriptor with an X509Certificate)"
    return None


# --------------------------------------------------------------------------- checks


def check(cfg: LandingZoneConfig) -> list[Problem]:
    """Identity checks:

    - Administrative sessions are no longer than ordinary ones; no permission set, SAML role or
      break-glass session is longer than its cap (`admin_max_session_hours` for privileged ones).
    - Group names and IDs, permission set names and SAML role names are unique.
    - Administrator access (`AdministratorAccess`, or an `Allow` of `*` on `*`) has a `justification`.
    - Inline policies are IAM policy documents of at most 32,768 characters; at most 20 managed
      policies per permission set.
    - Assignments name a known group, permission set, accounts and OUs (`Root`: every account),
      reach at least one target, respect the permission set's `account_roles`, reach only
      accounts that have the workload boundary when the permission set uses it, and do not grant
      the same access twice; they need `identity_center_instance_arn`.
    - With Identity Center, break-glass principals and `alert_emails` are given; break-glass
      principals are IAM users in accounts of the organization, with a `justification`.
    - SAML federation: known accounts, well-formed identity provider metadata with a signing
      certificate, unique role names.
    """
    identity = cfg.identity
    problems: list[Problem] = []
    if identity.admin_max_session_hours > identity.max_session_hours:
        problems.append(
            Problem(
                "identity.admin_max_session_hours",
                f"administrative sessions ({identity.admin_max_session_hours} h) are longer than ordinary "
                f"sessions ({identity.max_session_hours} h)",
                "set admin_max_session_hours to at most max_session_hours: privileged sessions should be "
                "short",
            )
        )
    problems += _check_unique(identity)
    for index, ps in enumerate(identity.permission_sets):
        problems += _check_permission_set(identity, ps, ("identity", "permission_sets", index))
    problems += _check_assignments(cfg)
    problems += _check_break_glass(cfg)
    if identity.saml_federation is not None:
        problems += _check_saml(cfg, identity.saml_federation)
    return problems


def _check_unique(identity: IdentitySection) -> list[Problem]:
    problems: list[Problem] = []
    lists: list[tuple[str, str, list[str]]] = [
        ("groups", "name", [g.name for g in identity.groups]),
        ("groups", "id", [g.id.lower() for g in identity.groups]),
        ("permission_sets", "name", [ps.name for ps in identity.permission_sets]),
    ]
    if identity.saml_federation is not None:
        lists.append(("saml_federation.roles", "name", [r.name for r in identity.saml_federation.roles]))
    for key, attribute, values in lists:
        for index, first in duplicates(values):
            where = f"identity.{key}[{index}].{attribute}"
            problems.append(
                Problem(
                    where,
                    f"{attribute} '{values[index]}' is also used by identity.{key}[{first}]",
                    f"every entry needs its own {attribute}: merge the two entries or correct one of them",
                )
            )
    return problems


def _check_session(identity: IdentitySection, item: PermissionSet | SamlRole, loc: tuple) -> list[Problem]:
    cap = identity.session_cap(item)
    if item.session_hours is None or item.session_hours <= cap:
        return []
    kind, key = (
        ("administrative", "admin_max_session_hours")
        if item.is_privileged
        else ("ordinary", "max_session_hours")
    )
    return [
        Problem(
            path_of(*loc, "session_hours"),
            f"a session of {item.session_hours} h is longer than the {cap} h allowed for {kind} access "
            f"(identity.{key})",
            f"set session_hours to at most {cap}, or leave it out to get {cap} h",
        )
    ]


def _check_justification(item: PermissionSet | SamlRole, loc: tuple) -> list[Problem]:
    if not item.grants_admin or item.justification:
        return []
    return [
        Problem(
            path_of(*loc, "justification"),
            f"'{item.name}' grants administrator access (AdministratorAccess or an Allow of '*' on '*') "
            "without a justification",
            "add `justification:` with why administrator access is needed, who holds it and how it is "
            "reviewed, or grant less: the BIO2 manifest shows the justification as the reason of the "
            "accepted risk",
        )
    ]


def _check_permission_set(identity: IdentitySection, ps: PermissionSet, loc: tuple) -> list[Problem]:
    problems = _check_session(identity, ps, loc) + _check_justification(ps, loc)
    count = len(ps.managed_policies) + len(ps.customer_managed_policies)
    if count > MAX_POLICIES:
        problems.append(
            Problem(
                path_of(*loc, "managed_policies"),
                f"'{ps.name}' has {count} managed policies; IAM Identity Center allows {MAX_POLICIES}",
                "combine policies, or move statements into inline_policy",
            )
        )
    if ps.inline_policy is not None:
        problems += _check_policy_document(ps.inline_policy, path_of(*loc, "inline_policy"))
    if not (ps.managed_policies or ps.customer_managed_policies or ps.inline_policy or ps.workload_iam):
        problems.append(
            Problem(
                path_of(*loc, "managed_policies"),
                f"'{ps.name}' grants nothing",
                "add managed_policies, customer_managed_policies or an inline_policy, or remove the "
                "permission set",
            )
        )
    return problems


def _check_policy_document(document: dict[str, Any], where: str) -> list[Problem]:
    statements = document.get("Statement")
    if not isinstance(statements, list | dict) or not statements:
        return [
            Problem(
                where,
                "the inline policy has no Statement",
                "write an IAM policy document: `Version: '2012-10-17'` and a `Statement` list",
            )
        ]
    problems = []
    for index, statement in enumerate(policy_statements(document)):
        if not isinstance(statement, Mapping) or statement.get("Effect") not in ("Allow", "Deny"):
            problems.append(
                Problem(
                    f"{where}.Statement[{index}]",
                    "the statement has no Effect of Allow or Deny",
                    "give every statement `Effect: Allow` or `Effect: Deny`, an Action and a Resource",
                )
            )
    size = len(json.dumps(document, separators=(",", ":")))
    if size > MAX_INLINE_POLICY_CHARS // 2:
        # the landing zone adds its own statements (about 4,000 characters) to the inline policy
        problems.append(
            Problem(
                where,
                f"the inline policy has {size} characters; with the landing zone's own statements it would "
                f"pass the {MAX_INLINE_POLICY_CHARS} characters a permission set allows",
                "move statements into a customer managed policy and list it in customer_managed_policies",
            )
        )
    return problems


def _check_assignments(cfg: LandingZoneConfig) -> list[Problem]:
    identity = cfg.identity
    problems: list[Problem] = []
    groups = [g.name for g in identity.groups]
    sets = [ps.name for ps in identity.permission_sets]
    ou_paths = [ROOT, *cfg.organization.ou_paths()]
    granted: dict[tuple[str, str, str], int] = {}
    total = 0
    boundary: set[str] | None = None  # the accounts with the workload boundary, computed once
    for index, assignment in enumerate(identity.assignments):
        loc = ("identity", "assignments", index)
        if assignment.group not in groups:
            problems.append(
                Problem(
                    path_of(*loc, "group"),
                    f"unknown group '{assignment.group}'",
                    f"{did_you_mean(assignment.group, groups)}use the name of a group in identity.groups, or "
                    "add the group with its Identity Center group ID",
                )
            )
        ps = identity.permission_set(assignment.permission_set)
        if ps is None:
            problems.append(
                Problem(
                    path_of(*loc, "permission_set"),
                    f"unknown permission set '{assignment.permission_set}'",
                    f"{did_you_mean(assignment.permission_set, sets)}use the name of a permission set in "
                    "identity.permission_sets",
                )
            )
        if not assignment.accounts and not assignment.ous:
            problems.append(
                Problem(
                    path_of(*loc),
                    "the assignment has no target",
                    "list the accounts (`accounts: [app-prod]`) or OUs (`ous: [Workloads/Prod]`) it is for",
                )
            )
        for i, name in enumerate(assignment.accounts):
            problems += unknown_account(cfg, name, path_of(*loc, "accounts", i))
        for i, ou_path in enumerate(assignment.ous):
            if ou_path not in ou_paths:
                problems.append(
                    Problem(
                        path_of(*loc, "ous", i),
                        f"unknown OU '{ou_path}'",
                        f"{did_you_mean(ou_path, ou_paths)}use an OU path from organization.ous, such as "
                        "'Workloads/Prod', or 'Root' for every account",
                    )
                )
        accounts = assignment_accounts(cfg, assignment)
        total += len(accounts)
        if ps is not None and ps.account_roles:
            wrong = [a for a in accounts if a.role not in ps.account_roles]
            if wrong:
                problems.append(
                    Problem(
                        path_of(*loc),
                        f"permission set '{ps.name}' is for accounts with role "
                        f"{', '.join(ps.account_roles)}, but the assignment reaches "
                        f"{', '.join(f'{a.name} ({a.role})' for a in wrong)}",
                        "assign it only to accounts or OUs with those roles, or use another permission set",
                    )
                )
        if ps is not None and _needs_workload_boundary(ps):
            if boundary is None:
                boundary = _boundary_accounts(cfg)
            missing = [a for a in accounts if a.name not in boundary]
            if missing:
                problems.append(
                    Problem(
                        path_of(*loc),
                        f"permission set '{ps.name}' needs the policy {WORKLOAD_BOUNDARY_POLICY}, which the "
                        "member baseline creates, but the baseline does not reach "
                        f"{', '.join(a.name for a in missing)} (organization.baseline.targets)",
                        "assign it only to accounts the baseline reaches, or add their OUs to "
                        "organization.baseline.targets",
                    )
                )
        for account in accounts:
            key = (assignment.group, assignment.permission_set, account.name)
            if key in granted and granted[key] != index:
                problems.append(
                    Problem(
                        path_of(*loc),
                        f"group '{assignment.group}' already gets '{assignment.permission_set}' in account "
                        f"'{account.name}' through identity.assignments[{granted[key]}]",
                        "grant each permission set to a group once per account: remove the overlap",
                    )
                )
                break
            granted.setdefault(key, index)
    if identity.assignments and identity.identity_center_instance_arn is None:
        problems.append(
            Problem(
                "identity.identity_center_instance_arn",
                "assignments are configured, but not the IAM Identity Center instance",
                "enable IAM Identity Center in the management account and set identity_center_instance_arn "
                "(arn:aws:sso:::instance/ssoins-...)",
            )
        )
    if total + len(identity.permission_sets) > MAX_IDENTITY_RESOURCES:
        problems.append(
            Problem(
                "identity.assignments",
                f"the assignments reach {total} account assignments; with the permission sets that is more "
                f"than the {MAX_IDENTITY_RESOURCES} resources the management stack can hold for identity",
                "assign fewer groups per account: combine groups in the identity provider",
            )
        )
    return problems


def _check_break_glass(cfg: LandingZoneConfig) -> list[Problem]:
    identity = cfg.identity
    bg = identity.break_glass
    problems: list[Problem] = []
    if identity.identity_center_instance_arn is not None and not bg.principals:
        problems.append(
            Problem(
                "identity.break_glass.principals",
                "IAM Identity Center is the only way in, but no break-glass principals are configured: an "
                "outage of the identity provider would lock everybody out",
                "list the IAM users (with hardware MFA) that may assume the break-glass role, such as "
                "arn:aws:iam::111111111111:user/break-glass-1; see docs/break-glass.md",
            )
        )
    account_ids = {a.id for a in cfg.organization.accounts}
    for index, arn in enumerate(bg.principals):
        account_id = arn.split(":")[4]
        if account_id not in account_ids:
            problems.append(
                Problem(
                    path_of("identity", "break_glass", "principals", index),
                    f"account {account_id} of '{arn}' is not an account of the organization",
                    "name IAM users in your own accounts, typically the management account",
                )
            )
    for index, first in duplicates(bg.principals):
        problems.append(
            Problem(
                path_of("identity", "break_glass", "principals", index),
                f"'{bg.principals[index]}' is also listed as identity.break_glass.principals[{first}]",
                "list every break-glass user once",
            )
        )
    if bg.principals and not bg.justification:
        problems.append(
            Problem(
                "identity.break_glass.justification",
                "the break-glass role has administrator access, but no justification is given",
                "add `justification:` with why emergency administrator access is needed and how its use is "
                "controlled: the BIO2 manifest shows it as the reason of the accepted risk",
            )
        )
    if bg.session_hours > identity.admin_max_session_hours:
        problems.append(
            Problem(
                "identity.break_glass.session_hours",
                f"a break-glass session of {bg.session_hours} h is longer than the "
                f"{identity.admin_max_session_hours} h allowed for administrative access "
                "(identity.admin_max_session_hours)",
                f"set session_hours to at most {identity.admin_max_session_hours}",
            )
        )
    needs_alerts = bg.principals or identity.identity_center_instance_arn is not None
    if needs_alerts and not identity.alert_emails:
        problems.append(
            Problem(
                "identity.alert_emails",
                "nobody would be told when the break-glass role is used or Identity Center access changes",
                "list at least one monitored address, such as the security team's: "
                "`alert_emails: [security-alerts@example.org]`",
            )
        )
    return problems


def _check_saml(cfg: LandingZoneConfig, saml: SamlFederation) -> list[Problem]:
    identity = cfg.identity
    problems: list[Problem] = []
    for index, name in enumerate(saml.accounts):
        problems += unknown_account(cfg, name, path_of("identity", "saml_federation", "accounts", index))
        account = cfg.organization.account(name)
        if account is not None and account.role == "management":
            problems.append(
                Problem(
                    path_of("identity", "saml_federation", "accounts", index),
                    "direct SAML federation into the management account bypasses Identity Center where it "
                    "matters most",
                    "give people access to the management account through Identity Center permission sets",
                )
            )
    reason = saml_metadata_problem(saml.metadata_xml)
    if reason:
        problems.append(
            Problem(
                "identity.saml_federation.metadata_xml",
                reason,
                "paste the identity provider's SAML 2.0 federation metadata (Entra ID: the enterprise "
                "application's 'Federation Metadata XML'), without a DOCTYPE",
            )
        )
    for index, role in enumerate(saml.roles):
        loc = ("identity", "saml_federation", "roles", index)
        if role.name.startswith("lz-"):
            problems.append(
                Problem(
                    path_of(*loc, "name"),
                    f"role name '{role.name}' starts with 'lz-', which is reserved for the landing zone's "
                    "own roles (the guardrails protect them)",
                    "choose a name without the 'lz-' prefix, such as 'app-operator'",
                )
            )
        problems += _check_session(identity, role, loc) + _check_justification(role, loc)
    return problems
