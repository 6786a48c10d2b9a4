"""``network``: VPCs, the on-premises address space and the egress allowlist."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AfterValidator, Field

from landing_zone.config.base import ConfigModel, Hint, invalid
from landing_zone.config.errors import Problem, duplicates, path_of
from landing_zone.config.sections.organization import unknown_account
from landing_zone.config.sections.regions import Region, unlisted_region

if TYPE_CHECKING:
    from landing_zone.config.model import LandingZoneConfig

VPC_MIN_PREFIX, VPC_MAX_PREFIX = 16, 28
"""AWS allows VPC CIDR blocks from /16 (65,536 addresses) to /28 (16 addresses)."""

_CIDR_SCHEMA = {"pattern": r"^[0-9]{1,3}(\.[0-9]{1,3}){3}/[0-9]{1,2}$", "examples": ["10.16.0.0/20"]}


def _network(value: str) -> ipaddress.IPv4Network:
    """Parse an IPv4 network in CIDR notation, explaining every way it can be wrong."""
    if "/" not in value:
        raise invalid(f"'{value}' has no prefix length", f"write it in CIDR notation, such as {value}/16")
    try:
        return ipaddress.IPv4Network(value, strict=True)
    except ipaddress.NetmaskValueError:
        raise invalid(f"'{value}' has an invalid prefix length", "use a prefix from /0 to /32") from None
    except ValueError as error:
        if "has host bits set" in str(error):
            network = ipaddress.IPv4Network(value, strict=False)
            raise invalid(
                f"'{value}' is not a network address (host bits are set)",
                f"did you mean {network}? A CIDR block starts at its network address",
            ) from None
        raise invalid(f"'{value}' is not an IPv4 CIDR block", "write it like 10.16.0.0/20") from None


def _ipv4_cidr(value: str) -> str:
    return str(_network(value))


def _vpc_cidr(value: str) -> str:
    network = _network(value)
    if not VPC_MIN_PREFIX <= network.prefixlen <= VPC_MAX_PREFIX:
        raise invalid(
            f"/{network.prefixlen} is outside the VPC sizes AWS allows (/{VPC_MIN_PREFIX} to "
            f"/{VPC_MAX_PREFIX})",
            f"choose a prefix length from /{VPC_MIN_PREFIX} to /{VPC_MAX_PREFIX}",
        )
    return str(network)


Ipv4Cidr = Annotated[str, AfterValidator(_ipv4_cidr), Field(json_schema_extra=_CIDR_SCHEMA)]
"""An IPv4 network in CIDR notation at its network address, such as ``10.0.0.0/12``."""

VpcCidr = Annotated[str, AfterValidator(_vpc_cidr), Field(json_schema_extra=_CIDR_SCHEMA)]
"""An IPv4 CIDR block that AWS accepts for a VPC: /16 to /28."""

Domain = Annotated[
    str,
    Field(pattern=r"^\.?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"),
    Hint(
        expected="a lowercase domain name, optionally starting with '.' to include its subdomains",
        example=".ubuntu.com",
    ),
]


class Vpc(ConfigModel):
    """A VPC the landing zone creates and attaches to the Transit Gateway."""

    name: str = Field(
        pattern=r"^[a-z0-9][a-z0-9-]{0,49}$", description="Unique name of the VPC (lowercase, digits, '-')."
    )
    account: str = Field(
        min_length=1, description="Name of the account (from organization.accounts) it is in."
    )
    region: Region = Field(description="Region of the VPC; one of regions.allowed.")
    cidr: VpcCidr = Field(
        description="IPv4 CIDR block, /16 to /28, overlapping no other VPC or on-premises range."
    )
    segment: Literal["production", "nonproduction", "shared", "inspection"] = Field(
        description=(
            "Network segment; traffic between segments passes the inspection VPC. `inspection` VPCs "
            "belong in the network account."
        )
    )


class NetworkSection(ConfigModel):
    """The hub-and-spoke network: a Transit Gateway in the network account connects the VPCs."""

    vpcs: tuple[Vpc, ...] = Field(default=(), description="VPCs to create.")
    on_premises_cidrs: tuple[Ipv4Cidr, ...] = Field(
        default=(), description="Address ranges of the on-premises network; VPCs may not overlap them."
    )
    egress_allowlist: tuple[Domain, ...] = Field(
        default=(),
        description=(
            "Domains workloads may reach on the internet through the inspection VPC; all other egress "
            "is denied. A leading '.' includes subdomains."
        ),
    )


def check(cfg: LandingZoneConfig) -> list[Problem]:
    """Network checks:

    - VPC names are unique and every VPC is in a known account and an allowed region.
    - An `inspection` VPC is in the account with role network; a `production` VPC is not in
      an account whose environment is nonprod or sandbox, and a `nonproduction` VPC is not in
      a prod account.
    - No two VPCs overlap, and no VPC overlaps an on-premises range.
    - The egress allowlist has no duplicates.
    """
    network = cfg.network
    problems: list[Problem] = []
    for index, first in duplicates(vpc.name for vpc in network.vpcs):
        problems.append(
            Problem(
                path_of("network", "vpcs", index, "name"),
                f"VPC name '{network.vpcs[index].name}' is also used by network.vpcs[{first}]",
                "give every VPC its own name",
            )
        )

    for index, vpc in enumerate(network.vpcs):
        account = cfg.organization.account(vpc.account)
        if account is None:
            problems += unknown_account(cfg, vpc.account, path_of("network", "vpcs", index, "account"))
        elif problem := _segment_problem(index, vpc, account.role, account.environment):
            problems.append(problem)
        problems += unlisted_region(cfg, vpc.region, path_of("network", "vpcs", index, "region"))

    vpc_networks = [ipaddress.IPv4Network(vpc.cidr) for vpc in network.vpcs]
    on_premises = [ipaddress.IPv4Network(cidr) for cidr in network.on_premises_cidrs]
    for index, cidr in enumerate(vpc_networks):
        others = [(path_of("network", "vpcs", other), net) for other, net in enumerate(vpc_networks[:index])]
        others += [(path_of("network", "on_premises_cidrs", k), net) for k, net in enumerate(on_premises)]
        for where, other in others:
            if cidr.overlaps(other):
                problems.append(
                    Problem(
                        path_of("network", "vpcs", index, "cidr"),
                        f"{cidr} overlaps {where} ({other})",
                        "choose a CIDR block that overlaps no other VPC and no on-premises range; "
                        "routing through the Transit Gateway needs unique addresses",
                    )
                )

    for index, first in duplicates(network.egress_allowlist):
        problems.append(
            Problem(
                path_of("network", "egress_allowlist", index),
                f"'{network.egress_allowlist[index]}' is listed twice (also at "
                f"network.egress_allowlist[{first}])",
                "remove the duplicate",
            )
        )
    return problems


def _segment_problem(index: int, vpc: Vpc, role: str, environment: str | None) -> Problem | None:
    """A VPC whose segment does not fit its account, or None."""
    where = path_of("network", "vpcs", index, "segment")
    if vpc.segment == "inspection" and role != "network":
        return Problem(
            where,
            f"inspection VPC '{vpc.name}' is in account '{vpc.account}', which has role '{role}'",
            "put inspection VPCs in the account with role network, next to the Transit Gateway",
        )
    if (vpc.segment == "production" and environment in ("nonprod", "sandbox")) or (
        vpc.segment == "nonproduction" and environment == "prod"
    ):
        return Problem(
            where,
            f"{vpc.segment} VPC '{vpc.name}' is in account '{vpc.account}' with environment '{environment}'",
            "keep production and non-production apart: use an account of the matching environment",
        )
    return None
