"""The IP address plan: how a VPC's CIDR block is carved into subnets, in plain Python.

The configuration checks (``network.vpcs[].cidr`` must hold its subnets) and the constructs
(``WorkloadVpc``, the inspection VPC) use the same functions, so a plan that validates is the
plan that is deployed. No CDK imports here: the config CLI loads this module.

Carving: every subnet group gets one subnet per availability zone; groups are laid out from the
largest subnets to the smallest, so every subnet starts on a boundary of its own size and no
address is wasted between them.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

TRANSIT_PREFIX = 28
"""Transit Gateway attachment subnets: /28 per AZ (AWS's advice: small, dedicated subnets)."""

SMALLEST_SUBNET_PREFIX = 28
"""AWS subnets are /16 to /28."""

LARGEST_SUBNET_PREFIX = 16

INSPECTION_GROUPS: tuple[tuple[str, int], ...] = (("public", 28), ("firewall", 28), ("transit", 28))
"""Inspection VPC: NAT gateways (public), Network Firewall endpoints, Transit Gateway ENIs."""

AZ_SUFFIXES = ("a", "b", "c")


def availability_zones(region: str, count: int) -> list[str]:
    """Explicit AZ names (``eu-central-1a``...): no look-up at synth time.

    AZ *names* map to different physical zones per account; that is fine for a landing zone,
    which only needs the VPC's subnets to be spread over distinct zones of its own account.
    """
    if not 1 <= count <= len(AZ_SUFFIXES):
        raise ValueError(f"availability zone count must be 1 to {len(AZ_SUFFIXES)}, got {count}")
    return [f"{region}{suffix}" for suffix in AZ_SUFFIXES[:count]]


def addresses(prefix: int) -> int:
    return 2 ** (32 - prefix)


def required_addresses(groups: Sequence[tuple[str, int]], az_count: int) -> int:
    return sum(addresses(prefix) for _, prefix in groups) * az_count


def auto_subnet_prefix(vpc_cidr: str, az_count: int, fixed: Sequence[tuple[str, int]]) -> int | None:
    """The largest workload subnet (smallest prefix) of which ``az_count`` fit next to the
    ``fixed`` groups, or None. Sizes are powers of two, so with three AZs a quarter of the VPC or
    more stays free for later subnet groups."""
    network = ipaddress.IPv4Network(vpc_cidr)
    room = network.num_addresses - required_addresses(fixed, az_count)
    for prefix in range(max(network.prefixlen, LARGEST_SUBNET_PREFIX), SMALLEST_SUBNET_PREFIX + 1):
        if addresses(prefix) * az_count <= room:
            return prefix
    return None


@dataclass(frozen=True)
class SubnetPlan:
    """One subnet of a plan."""

    group: str
    az_index: int
    cidr: str


class PlanError(ValueError):
    """The subnets do not fit the VPC's CIDR block; the message says by how much."""


def carve(vpc_cidr: str, groups: Sequence[tuple[str, int]], az_count: int) -> list[SubnetPlan]:
    """Subnets for ``groups`` (name, prefix length) in each of ``az_count`` AZs.

    Raises :class:`PlanError` when they do not fit, or a prefix is outside /16-/28 or larger
    than the VPC itself.
    """
    network = ipaddress.IPv4Network(vpc_cidr)
    for name, prefix in groups:
        if not LARGEST_SUBNET_PREFIX <= prefix <= SMALLEST_SUBNET_PREFIX:
            raise PlanError(
                f"subnet group '{name}': /{prefix} is outside the subnet sizes AWS allows (/16-/28)"
            )
        if prefix < network.prefixlen:
            raise PlanError(f"subnet group '{name}': a /{prefix} subnet is larger than the VPC {network}")
    need = required_addresses(groups, az_count)
    if need > network.num_addresses:
        detail = " + ".join(f"{az_count} x /{prefix} ({name})" for name, prefix in groups)
        raise PlanError(
            f"{detail} need {need:,} addresses; {network} has {network.num_addresses:,}",
        )
    ordered = sorted(enumerate(groups), key=lambda item: (item[1][1], item[0]))
    cursor = int(network.network_address)
    out: list[SubnetPlan] = []
    for _, (name, prefix) in ordered:
        for az in range(az_count):
            subnet = ipaddress.IPv4Network((cursor, prefix))
            out.append(SubnetPlan(group=name, az_index=az, cidr=str(subnet)))
            cursor += addresses(prefix)
    return out


def workload_groups(
    vpc_cidr: str, az_count: int, subnet_prefix: int | None, extra: Mapping[str, int] | None = None
) -> list[tuple[str, int]]:
    """Subnet groups of a spoke VPC: ``private`` (workloads) and ``transit`` (/28, TGW attachment).

    ``subnet_prefix`` None picks the largest private subnets that fit (:func:`auto_subnet_prefix`).
    Raises :class:`PlanError` when nothing fits.
    """
    fixed = [("transit", TRANSIT_PREFIX), *(extra or {}).items()]
    prefix = subnet_prefix or auto_subnet_prefix(vpc_cidr, az_count, fixed)
    if prefix is None:
        need = required_addresses([*fixed, ("private", SMALLEST_SUBNET_PREFIX)], az_count)
        raise PlanError(
            f"{vpc_cidr} is too small for {az_count} private /{SMALLEST_SUBNET_PREFIX} subnets next to the "
            f"transit subnets ({need:,} addresses needed)"
        )
    return [("private", prefix), *fixed]


def first_host(cidr: str) -> str:
    """The first usable address of a subnet (AWS reserves the network address and the next three)."""
    network = ipaddress.IPv4Network(cidr)
    return str(network.network_address + 4)
