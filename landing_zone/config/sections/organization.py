"""``organization``: the AWS Organization: its organizational units (OUs), member accounts and guardrails.

The guardrails are the organization policies of :mod:`landing_zone.organization.policies`
(service control, resource control, tag and AI opt-out policies): ``guardrails.attach`` says where
each one is attached, ``guardrails.approved_services`` is the allow-list of AWS services and
``baseline`` says which OUs get the member-account baseline StackSet.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from landing_zone.config.base import ConfigModel, Email, Hint
from landing_zone.config.errors import Problem, did_you_mean, duplicates, path_of

if TYPE_CHECKING:
    from landing_zone.config.model import LandingZoneConfig

ROOT = "Root"
"""The ``ou`` of the management account: the organization root itself."""

MAX_OU_DEPTH = 5
"""AWS Organizations nests OUs at most five levels below the root."""

Role = Literal["management", "log-archive", "security", "network", "shared-services", "workload", "sandbox"]
Environment = Literal["prod", "nonprod", "sandbox"]

ROLE_PURPOSE: dict[str, str] = {
    "management": "the organization's management (payer) account, at Root",
    "log-archive": "the account that keeps the organization trail, AWS Config and VPC flow logs",
    "security": "the audit account that runs GuardDuty, Security Hub and the other security services",
    "network": "the account with the Transit Gateway, the inspection VPC and central egress",
    "shared-services": "the account for shared platform services",
}
"""What each core role is for; used in error messages and docs."""

REQUIRED_ROLES = ("management", "log-archive", "security", "network")
"""Roles the landing zone needs exactly one account for."""

SINGLE_ROLES = (*REQUIRED_ROLES, "shared-services")
"""Roles that at most one account may have."""

OuName = Annotated[
    str,
    Field(pattern=r"^[A-Za-z][A-Za-z0-9-]{0,63}$"),
    Hint(expected="an OU name: a letter, then up to 63 letters, digits or '-'", example="Workloads"),
]
AccountId = Annotated[
    str,
    Field(pattern=r"^[0-9]{12}$"),
    Hint(expected="an AWS account ID of exactly 12 digits, in quotes", example='"111111111111"'),
]
AccountName = Annotated[
    str,
    Field(pattern=r"^[a-z0-9][a-z0-9-]{0,49}$"),
    Hint(expected="an account name: lowercase letters, digits and '-', at most 50", example="app-prod"),
]
RootId = Annotated[
    str,
    Field(pattern=r"^r-[0-9a-z]{4,32}$"),
    Hint(
        expected="an organization root ID: 'r-' and 4 to 32 lowercase letters or digits",
        example="r-a1b2",
        fix="copy the root ID from `aws organizations list-roots --query 'Roots[0].Id'`, such as r-a1b2",
    ),
]
ServicePrefix = Annotated[
    str,
    Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$"),
    Hint(expected="an AWS service prefix as used in IAM actions, in lowercase", example="s3"),
]
RoleName = Annotated[
    str,
    Field(pattern=r"^[\w+=,.@-]{1,64}$"),
    Hint(expected="an IAM role name (letters, digits and +=,.@_-, at most 64)", example="smtp-user-admin"),
]
Targets = tuple[Annotated[str, Field(min_length=1)], ...]
"""Where a policy is attached: `Root`, OU paths (`Workloads/Prod`) or account names."""

PLATFORM_REQUIRED_SERVICES: tuple[str, ...] = (
    "access-analyzer",
    "cloudformation",
    "cloudtrail",
    "config",
    "ec2",
    "iam",
    "kms",
    "lambda",
    "logs",
    "organizations",
    "s3",
    "ssm",
    "sts",
)
"""Services the platform itself uses in every member account: the StackSet and CDK deployments
(CloudFormation, IAM, STS, SSM for the CDK bootstrap version, S3, KMS), the member baseline (Lambda,
CloudWatch Logs, EC2, Access Analyzer) and the logging and monitoring set-up (CloudTrail, Config).
An approved-services list without them would lock the platform out of the accounts it applies to."""

DEFAULT_APPROVED_SERVICES: tuple[str, ...] = (
    *PLATFORM_REQUIRED_SERVICES,
    "acm",
    "apigateway",
    "application-autoscaling",
    "athena",
    "autoscaling",
    "backup",
    "cloudfront",
    "cloudwatch",
    "dynamodb",
    "ec2messages",
    "ecr",
    "ecs",
    "elasticfilesystem",
    "elasticloadbalancing",
    "events",
    "execute-api",
    "firehose",
    "glue",
    "guardduty",
    "health",
    "inspector2",
    "kinesis",
    "network-firewall",
    "ram",
    "rds",
    "resource-groups",
    "route53",
    "route53resolver",
    "secretsmanager",
    "securityhub",
    "servicequotas",
    "sns",
    "sqs",
    "ssmmessages",
    "states",
    "support",
    "tag",
    "wafv2",
    "xray",
)
"""The allow-list used when ``guardrails.approved_services`` is not given."""


class OrganizationalUnit(ConfigModel):
    """An organizational unit; nest OUs with `children`."""

    name: OuName = Field(description="Name of the OU, unique among its siblings. `Root` is reserved.")
    children: tuple[OrganizationalUnit, ...] = Field(default=(), description="OUs nested in this one.")


class Account(ConfigModel):
    """An existing AWS account and its place in the organization."""

    name: AccountName = Field(
        description="Short, unique name of the account; other sections refer to accounts by this name."
    )
    id: AccountId = Field(description="The 12-digit AWS account ID, as a quoted string.")
    email: Email = Field(description="Root user e-mail address of the account; unique in the organization.")
    ou: str = Field(
        min_length=1,
        description=(
            "Path of the OU the account is in, such as `Workloads/Prod`; `Root` for the management account."
        ),
    )
    role: Role = Field(default="workload", description="What the account is for in the landing zone.")
    environment: Environment | None = Field(
        default=None, description="Environment of the workloads in the account; leave out for core accounts."
    )


def _targets(default: tuple[str, ...], what: str) -> Targets:
    return Field(default=default, description=what)


class GuardrailAttachments(ConfigModel):
    """Where each guardrail is attached: `Root`, OU paths or account names; `[]` leaves it out.

    A policy attached to an OU applies to every account below it. Guardrails attached to the same
    targets are packed into as few policies as the size quotas allow.
    """

    deny_leave_organization: Targets = _targets(("Root",), "SCP: no account can leave the organization.")
    deny_root_user: Targets = _targets(("Root",), "SCP: the root user of member accounts can do nothing.")
    deny_outside_regions: Targets = _targets(
        ("Root",), "SCP: no request outside `regions.allowed` (global services exempt): data residency."
    )
    deny_iam_users: Targets = _targets(
        ("Root",), "SCP: no IAM users, access keys or console passwords (federation only)."
    )
    protect_platform_roles: Targets = _targets(
        ("Root",), "SCP: only the platform's roles can change the platform's roles."
    )
    protect_logging: Targets = _targets(
        ("Root",), "SCP: CloudTrail, the log archive buckets and their KMS keys are out of reach."
    )
    protect_security_services: Targets = _targets(
        ("Root",), "SCP: AWS Config, GuardDuty, Security Hub and Access Analyzer stay on."
    )
    protect_backup: Targets = _targets(("Root",), "SCP: backup vaults and recovery points cannot be removed.")
    protect_account_defaults: Targets = _targets(
        ("Root",), "SCP: EBS default encryption and the S3 account public access block stay on."
    )
    require_imdsv2: Targets = _targets(("Root",), "SCP: EC2 instances use IMDSv2 only.")
    deny_network_escape: Targets = _targets(
        ("Root",),
        "SCP: no internet or egress-only gateways, NAT, peering, VPN, own transit gateways or Global "
        "Accelerator outside the network account: traffic leaves through the inspected hub.",
    )
    approved_services: Targets = _targets(
        (), "SCP: only the services in `guardrails.approved_services` can be used."
    )
    data_perimeter: Targets = _targets(
        ("Root",), "RCP: S3, KMS, STS, SQS and Secrets Manager only for the organization's identities."
    )
    classification_tags: Targets = _targets(
        ("Root",), "Tag policy: the classification tags take only the values low, medium and high."
    )
    ai_opt_out: Targets = _targets(("Root",), "AI services opt-out policy: AWS may not use our content.")
    vpc_block_public_access: Targets = _targets(
        (),
        "EC2 declarative policy: VPC Block Public Access, bidirectional, no exclusions. Attach it to the "
        "workload OUs, never to the network account (its inspection VPC is the way out).",
    )


class Guardrails(ConfigModel):
    """Organization policies (SCPs, RCPs, tag and AI opt-out policies) and their exceptions."""

    attach: GuardrailAttachments = Field(
        default=GuardrailAttachments(), description="Where each guardrail of the library is attached."
    )
    approved_services: tuple[ServicePrefix, ...] = Field(
        default=DEFAULT_APPROVED_SERVICES,
        description=(
            "AWS services (IAM service prefixes, such as `s3` or `access-analyzer`) that accounts under "
            "`attach.approved_services` may use; every other service is denied. Must include the "
            "services the platform needs: " + ", ".join(PLATFORM_REQUIRED_SERVICES) + "."
        ),
    )
    iam_user_exception_role: RoleName | None = Field(
        default=None,
        description=(
            "Name of the one IAM role that may still create IAM users and access keys (for integrations "
            "that accept nothing else); console passwords stay denied. Leave out for none."
        ),
    )


class BaselineDeployment(ConfigModel):
    """Where and how the member-account baseline StackSet is deployed."""

    targets: tuple[Annotated[str, Field(min_length=1)], ...] = Field(
        default=(ROOT,),
        min_length=1,
        description=(
            "OU paths whose accounts (nested OUs included) get the baseline; `Root` for every member "
            "account. New accounts in these OUs get it automatically."
        ),
    )
    failure_tolerance_percentage: int = Field(
        default=10,
        ge=0,
        le=100,
        description="Share of accounts per region that may fail before a rollout stops.",
    )
    max_concurrent_percentage: int = Field(
        default=25, ge=1, le=100, description="Share of accounts per region deployed at the same time."
    )


class OrganizationSection(ConfigModel):
    """The organization: display name, root ID, OU tree, accounts, guardrails and member baseline."""

    name: str = Field(
        min_length=1,
        max_length=128,
        description='Display name of the organisation, such as "Gemeente Voorbeeldstad".',
    )
    root_id: RootId | None = Field(
        default=None,
        description=(
            "ID of the organization root (`r-...`), the parent of the top-level OUs. Leave out to pass it "
            "at deploy time as the management stack's `OrganizationRootId` parameter."
        ),
    )
    ous: tuple[OrganizationalUnit, ...] = Field(
        default=(), description="Top-level OUs (directly under Root), each with optional `children`."
    )
    accounts: tuple[Account, ...] = Field(
        min_length=1, description="Every account of the organization, including the management account."
    )
    guardrails: Guardrails = Field(default=Guardrails(), description="Organization policies and exceptions.")
    baseline: BaselineDeployment = Field(
        default=BaselineDeployment(), description="Deployment of the member-account baseline StackSet."
    )

    def ou_paths(self) -> list[str]:
        """Every OU path (``Workloads/Prod``), parents before children, in file order."""
        return [path for path, _, _ in _walk(self.ous)]

    def account(self, name: str) -> Account | None:
        """The account called ``name``, or None."""
        return next((account for account in self.accounts if account.name == name), None)

    def accounts_with_role(self, role: Role) -> list[Account]:
        """All accounts with ``role``, in file order."""
        return [account for account in self.accounts if account.role == role]


def unknown_account(cfg: LandingZoneConfig, name: str, path: str) -> list[Problem]:
    """A problem at ``path`` when no account is called ``name``; for sections that refer to accounts."""
    names = [account.name for account in cfg.organization.accounts]
    if name in names:
        return []
    return [
        Problem(
            path,
            f"unknown account '{name}'",
            f"{did_you_mean(name, names)}use the name of an account in organization.accounts",
        )
    ]


def unknown_ou(cfg: LandingZoneConfig, ou_path: str, path: str) -> list[Problem]:
    """A problem at ``path`` when ``ou_path`` is not an OU path; for sections that refer to OUs."""
    ou_paths = cfg.organization.ou_paths()
    if ou_path in ou_paths:
        return []
    return [
        Problem(
            path,
            f"unknown OU '{ou_path}'",
            f"{did_you_mean(ou_path, ou_paths)}use an OU path from organization.ous, such as "
            "'Workloads/Prod', or add the OU",
        )
    ]


def _walk(
    ous: tuple[OrganizationalUnit, ...],
    prefix: str = "",
    loc: tuple[str | int, ...] = ("organization", "ous"),
) -> Iterator[tuple[str, tuple[str | int, ...], OrganizationalUnit]]:
    """Yield ``(ou_path, config_loc, ou)`` depth-first."""
    for index, ou in enumerate(ous):
        path = f"{prefix}{ou.name}"
        yield path, (*loc, index), ou
        yield from _walk(ou.children, f"{path}/", (*loc, index, "children"))


def check(cfg: LandingZoneConfig) -> list[Problem]:
    """Organization checks:

    - OU names are unique among siblings, `Root` is not used as an OU name, and OUs nest at
      most five levels deep (an AWS Organizations limit).
    - Account IDs, names and e-mail addresses (case-insensitive) are unique.
    - Exactly one account each has the roles management, log-archive, security and network;
      at most one has the role shared-services.
    - The management account is at `Root`, and no other account is.
    - Every account's `ou` is an existing OU path (the error suggests the closest one).
    - Every guardrail target is `Root`, an OU path or an account name, listed once; service and
      resource control policies are not attached to the management account (they do not apply there).
    - Every approved service is an AWS service prefix (the error suggests the closest one); when the
      approved-services guardrail is attached, the list includes the services the platform needs,
      and its policy stays within the 5,120-character SCP quota.
    - Every baseline target is `Root` or an OU path, listed once.
    """
    org = cfg.organization
    problems: list[Problem] = []

    for ou_path, loc, ou in _walk(org.ous):
        if ou.name == ROOT:
            problems.append(
                Problem(
                    path_of(*loc, "name"),
                    "'Root' is reserved for the organization root",
                    "give the OU another name; accounts directly under the root use `ou: Root`",
                )
            )
        if ou_path.count("/") >= MAX_OU_DEPTH:
            problems.append(
                Problem(
                    path_of(*loc, "name"),
                    f"OU '{ou_path}' is nested more than {MAX_OU_DEPTH} levels below Root",
                    f"AWS Organizations allows at most {MAX_OU_DEPTH} levels of OUs: flatten the tree",
                )
            )
        problems += _duplicate_ous(ou.children, (*loc, "children"))
    problems += _duplicate_ous(org.ous, ("organization", "ous"))

    for attribute, fold in (("id", False), ("name", False), ("email", True)):
        values = [str(getattr(account, attribute)) for account in org.accounts]
        for index, first in duplicates(value.lower() if fold else value for value in values):
            problems.append(
                Problem(
                    path_of("organization", "accounts", index, attribute),
                    f"{attribute} '{values[index]}' is also used by organization.accounts[{first}]",
                    f"every account needs its own {attribute}: correct one of the two",
                )
            )

    for role in SINGLE_ROLES:
        holders = [index for index, account in enumerate(org.accounts) if account.role == role]
        if not holders and role in REQUIRED_ROLES:
            problems.append(
                Problem(
                    "organization.accounts",
                    f"no account has role '{role}' ({ROLE_PURPOSE[role]})",
                    f"add an account with `role: {role}`, or give that role to the account meant for it",
                )
            )
        for index in holders[1:]:
            problems.append(
                Problem(
                    path_of("organization", "accounts", index, "role"),
                    f"a second account with role '{role}' (the first is organization.accounts[{holders[0]}])",
                    f"keep exactly one '{role}' account; give this one another role, such as 'workload'",
                )
            )

    for index, account in enumerate(org.accounts):
        loc = path_of("organization", "accounts", index, "ou")
        if account.role == "management":
            if account.ou != ROOT:
                problems.append(
                    Problem(
                        loc,
                        f"the management account must be at Root, not in '{account.ou}'",
                        "set `ou: Root`",
                    )
                )
        elif account.ou == ROOT:
            problems.append(
                Problem(
                    loc,
                    f"only the management account may be at Root, but '{account.name}' has role "
                    f"'{account.role}'",
                    "move the account into an OU, so that the OU's SCPs and baseline apply to it",
                )
            )
        else:
            problems += unknown_ou(cfg, account.ou, loc)
    problems += _check_guardrails(cfg)
    problems += _check_baseline(cfg)
    return problems


def unknown_target(cfg: LandingZoneConfig, target: str, path: str) -> list[Problem]:
    """A problem at ``path`` when ``target`` is not `Root`, an OU path or an account name."""
    org = cfg.organization
    if target == ROOT or target in org.ou_paths() or org.account(target) is not None:
        return []
    candidates = [ROOT, *org.ou_paths(), *(account.name for account in org.accounts)]
    return [
        Problem(
            path,
            f"unknown target '{target}': not Root, an OU path or an account name",
            f"{did_you_mean(target, candidates)}use `Root`, an OU path from organization.ous (such as "
            "'Workloads/Prod') or the name of an account in organization.accounts",
        )
    ]


def _check_guardrails(cfg: LandingZoneConfig) -> list[Problem]:
    from landing_zone.organization.policies import POLICY_TYPES, RCP, SCP
    from landing_zone.organization.service_prefixes import SERVICE_PREFIXES

    org = cfg.organization
    guardrails = org.guardrails
    problems: list[Problem] = []
    management = {account.name for account in org.accounts if account.role == "management"}
    for key in type(guardrails.attach).model_fields:
        targets = getattr(guardrails.attach, key)
        loc = ("organization", "guardrails", "attach", key)
        for index, first in duplicates(targets):
            problems.append(
                Problem(
                    path_of(*loc, index),
                    f"'{targets[index]}' is listed twice (also {path_of(*loc, first)})",
                    "list each target once",
                )
            )
        for index, target in enumerate(targets):
            problems += unknown_target(cfg, target, path_of(*loc, index))
            if target in management and POLICY_TYPES[key] in (SCP, RCP):
                problems.append(
                    Problem(
                        path_of(*loc, index),
                        f"'{target}' is the management account: service and resource control policies "
                        "do not apply to it",
                        "remove it from the list; protect the management account by keeping workloads "
                        "out of it and its access to a few people",
                    )
                )

    network = next((a for a in org.accounts if a.role == "network"), None)
    if network is not None:
        # the hub's inspection VPC is the landing zone's one way out: VPC Block Public Access there
        # would cut off every account's internet egress
        covering = {"Root", network.name, *("/".join(network.ou.split("/")[:d]) for d in range(1, 9))}
        loc = ("organization", "guardrails", "attach", "vpc_block_public_access")
        for index, target in enumerate(guardrails.attach.vpc_block_public_access):
            if target in covering:
                problems.append(
                    Problem(
                        path_of(*loc, index),
                        f"'{target}' covers the network account {network.name}, whose inspection VPC "
                        "carries the landing zone's internet egress: blocking it cuts every account off",
                        "attach it to the workload OUs only (for example [Workloads, Sandbox])",
                    )
                )

    services = guardrails.approved_services
    loc = ("organization", "guardrails", "approved_services")
    for index, first in duplicates(services):
        problems.append(
            Problem(
                path_of(*loc, index),
                f"service '{services[index]}' is listed twice (also {path_of(*loc, first)})",
                "list each service once",
            )
        )
    for index, prefix in enumerate(services):
        if prefix not in SERVICE_PREFIXES:
            problems.append(
                Problem(
                    path_of(*loc, index),
                    f"'{prefix}' is not an AWS service prefix",
                    f"{did_you_mean(prefix, SERVICE_PREFIXES)}use the prefix of the service's IAM actions "
                    "(s3 in s3:GetObject), as listed in the Service Authorization Reference",
                )
            )
    if guardrails.attach.approved_services:
        missing = [prefix for prefix in PLATFORM_REQUIRED_SERVICES if prefix not in services]
        if missing:
            problems.append(
                Problem(
                    path_of(*loc),
                    f"the approved services lack {', '.join(missing)}, which the platform needs: the "
                    "approved-services SCP would lock the platform's own roles out of "
                    + ", ".join(guardrails.attach.approved_services),
                    f"add {', '.join(missing)} to organization.guardrails.approved_services",
                )
            )
        problems += _approved_services_size(cfg)
    return problems


def _approved_services_size(cfg: LandingZoneConfig) -> list[Problem]:
    from landing_zone.organization.policies import LIMITS, SCP, scp, size_of
    from landing_zone.organization.policies.common import PolicyInputs

    inputs = PolicyInputs((), (), (), (), "", "", None, cfg.organization.guardrails.approved_services, "")
    size = size_of(scp.approved_services(inputs).document)
    limit = LIMITS[SCP].max_size
    if size <= limit:
        return []
    return [
        Problem(
            "organization.guardrails.approved_services",
            f"the approved-services SCP would be {size:,} characters; AWS accepts at most {limit:,} per SCP",
            "approve fewer services (a Deny with NotAction cannot be split over several SCPs), or attach "
            "the guardrail nowhere and restrict services per OU with smaller lists",
        )
    ]


def _check_baseline(cfg: LandingZoneConfig) -> list[Problem]:
    targets = cfg.organization.baseline.targets
    loc = ("organization", "baseline", "targets")
    problems = [
        Problem(
            path_of(*loc, index),
            f"'{targets[index]}' is listed twice (also {path_of(*loc, first)})",
            "list each OU once",
        )
        for index, first in duplicates(targets)
    ]
    for index, target in enumerate(targets):
        if target != ROOT:
            problems += unknown_ou(cfg, target, path_of(*loc, index))
    return problems


def _duplicate_ous(ous: tuple[OrganizationalUnit, ...], loc: tuple[str | int, ...]) -> list[Problem]:
    """Problems for OU names used twice in one list of siblings (``loc`` is the list's location)."""
    return [
        Problem(
            path_of(*loc, index, "name"),
            f"OU name '{ous[index].name}' is also used by {path_of(*loc, first)}",
            "OU names must be unique under one parent: rename one of them or merge them",
        )
        for index, first in duplicates(ou.name for ou in ous)
    ]
