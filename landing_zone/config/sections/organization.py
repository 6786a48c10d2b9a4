"""``organization``: the AWS Organization: its organizational units (OUs) and member accounts."""

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


class OrganizationSection(ConfigModel):
    """The organization: display name, OU tree and accounts."""

    name: str = Field(
        min_length=1,
        max_length=128,
        description='Display name of the organisation, such as "Gemeente Voorbeeldstad".',
    )
    ous: tuple[OrganizationalUnit, ...] = Field(
        default=(), description="Top-level OUs (directly under Root), each with optional `children`."
    )
    accounts: tuple[Account, ...] = Field(
        min_length=1, description="Every account of the organization, including the management account."
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
