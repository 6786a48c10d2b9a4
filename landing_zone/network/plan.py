"""What the network component builds in each region, derived from the configuration (plain Python).

Also renders the inspection firewall's Suricata rules, so that tests can read them without CDK.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from landing_zone.config import LandingZoneConfig
from landing_zone.config.sections.network import ON_PREMISES, SPOKE_SEGMENTS, FirewallRule, Vpc, VpnConnection

SEGMENT_ROUTE_TABLES: tuple[str, ...] = ("production", "nonproduction", "shared", "inspection")
"""Transit Gateway route tables, one per segment; ``on-premises`` is added when a VPN exists."""

FIRST_SID = 1_000_001

SPOKE_STACKS = 4
"""Spoke stacks per region (``lz-network-<region>-spokes-1`` to ``-4``): see :func:`spoke_part`.
Fixed: changing it would move spokes between stacks."""


def network_stack_name(region: str, part: str = "") -> str:
    """``lz-network-<region>[-<part>]``, as :func:`landing_zone.stacks.stack_name` names it (without
    importing the CDK: the config checks use this module)."""
    return f"lz-network-{region}" + (f"-{part}" if part else "")


def spoke_part(vpc_name: str) -> str:
    """The stack part of a spoke VPC of another account: ``spokes-<n>``, from its name alone.

    The network of a region is split: the hub (Transit Gateway, route tables, inspection VPC, the
    network account's own VPCs, VPN, DNS) stays in ``lz-network-<region>``; what each spoke of another
    account needs (route table association, propagation, the inspection VPC's routes back to its
    CIDR) goes into one of :data:`SPOKE_STACKS` spoke stacks, chosen by a hash of the VPC's name.
    So adding, removing or reordering VPCs never moves another VPC between stacks (a move would
    delete and recreate its association, an outage of that VPC), and the logical IDs in a spoke
    stack are named after the VPC, not numbered. SHA-256, not ``hash()``: the same in every process.
    """
    digest = hashlib.sha256(vpc_name.encode("utf-8")).digest()
    return f"spokes-{1 + int.from_bytes(digest[:8], 'big') % SPOKE_STACKS}"


@dataclass(frozen=True)
class RegionPlan:
    """The network of one region."""

    region: str
    asn: int
    inspection: Vpc | None
    #: non-inspection VPCs in the network account: built here (the `shared` one holds the endpoints)
    local_vpcs: tuple[Vpc, ...]
    #: VPCs in other accounts: built by their owners; associated here once their attachment is known
    remote_vpcs: tuple[Vpc, ...]
    vpns: tuple[VpnConnection, ...]
    on_premises: tuple[str, ...]
    endpoint_mode: str
    endpoint_services: tuple[str, ...]
    firewall_rules: tuple[FirewallRule, ...] = field(default=())

    @property
    def spokes(self) -> tuple[Vpc, ...]:
        return (*self.local_vpcs, *self.remote_vpcs)

    @property
    def spoke_cidrs(self) -> list[str]:
        return sorted({vpc.cidr for vpc in self.spokes}, key=_cidr_key)

    @property
    def hub_internal_cidrs(self) -> list[str]:
        """The internal ranges whose inspection VPC routes stay in the hub stack: on-premises and the
        network account's own VPCs (the spoke stacks carry the routes of the other spokes)."""
        return sorted({*(vpc.cidr for vpc in self.local_vpcs), *self.on_premises}, key=_cidr_key)

    def spoke_stacks(self) -> dict[str, tuple[Vpc, ...]]:
        """Spoke VPCs of other accounts by stack part (``spokes-<n>``), only parts with work to do:
        an attachment to associate, or an inspection VPC whose routes lead back to the spoke."""
        parts: dict[str, list[Vpc]] = {}
        for vpc in self.remote_vpcs:
            if vpc.transit_gateway_attachment_id or self.inspection is not None:
                parts.setdefault(spoke_part(vpc.name), []).append(vpc)
        return {part: tuple(parts[part]) for part in sorted(parts)}

    @property
    def internal_cidrs(self) -> list[str]:
        """Everything the inspection VPC routes back to the Transit Gateway: spokes and on-premises."""
        return sorted({*self.spoke_cidrs, *self.on_premises}, key=_cidr_key)

    @property
    def endpoint_vpc(self) -> Vpc | None:
        """The network account's `shared` VPC that holds the central interface endpoints."""
        if self.endpoint_mode != "central" or not self.endpoint_services:
            return None
        return next((vpc for vpc in self.local_vpcs if vpc.segment == "shared"), None)

    def cidrs_of(self, target: str) -> list[str]:
        """CIDRs of a firewall rule target: a segment, ``on-premises`` or a CIDR block."""
        if target == ON_PREMISES:
            return list(self.on_premises)
        if target in SPOKE_SEGMENTS:
            return sorted({vpc.cidr for vpc in self.spokes if vpc.segment == target}, key=_cidr_key)
        return [target]


def _cidr_key(cidr: str) -> tuple[int, ...]:
    address, _, prefix = cidr.partition("/")
    return (*(int(part) for part in address.split(".")), int(prefix or 32))


def region_plans(cfg: LandingZoneConfig) -> list[RegionPlan]:
    """One plan per allowed region, home region first."""
    network = cfg.network
    network_accounts = {a.name for a in cfg.organization.accounts if a.role == "network"}
    regions = sorted(cfg.regions.allowed, key=lambda r: (r != cfg.regions.home, r))
    plans = []
    for region in regions:
        vpcs = [vpc for vpc in network.vpcs if vpc.region == region]
        plans.append(
            RegionPlan(
                region=region,
                asn=network.transit_gateway_asn(region, cfg.regions.home, cfg.regions.allowed),
                inspection=next((vpc for vpc in vpcs if vpc.segment == "inspection"), None),
                local_vpcs=tuple(
                    v for v in vpcs if v.segment != "inspection" and v.account in network_accounts
                ),
                remote_vpcs=tuple(
                    v for v in vpcs if v.segment != "inspection" and v.account not in network_accounts
                ),
                vpns=tuple(v for v in network.vpn if v.region == region),
                on_premises=tuple(network.on_premises_cidrs),
                endpoint_mode=network.endpoints.mode,
                endpoint_services=tuple(network.endpoints.services),
                firewall_rules=tuple(network.firewall_rules),
            )
        )
    return plans


def _msg(text: str) -> str:
    """Text safe inside a Suricata ``msg:"..."`` option."""
    return re.sub(r'[";\\]', "", text).strip()[:120]


def _group(values: Iterable[str]) -> str:
    items = list(values)
    return items[0] if len(items) == 1 else "[" + ",".join(items) + "]"


def east_west_rules(plan: RegionPlan) -> list[str]:
    """Suricata pass rules for the configured flows (and the central endpoints), in strict order.

    Rules whose source or destination has no address in this region are left out. Everything
    these rules do not pass meets the policy's default action: drop (and alert).
    """
    rules: list[str] = []
    sid = FIRST_SID
    endpoint_vpc = plan.endpoint_vpc
    if endpoint_vpc is not None:
        clients = [cidr for cidr in plan.spoke_cidrs if cidr != endpoint_vpc.cidr]
        if clients:
            rules.append(
                f"pass tcp {_group(clients)} any -> {endpoint_vpc.cidr} 443 "
                f'(msg:"workloads to the central AWS service endpoints"; sid:{sid}; rev:1;)'
            )
            sid += 1
    for rule in plan.firewall_rules:
        sources, destinations = plan.cidrs_of(rule.source), plan.cidrs_of(rule.destination)
        if not sources or not destinations:
            continue
        ports = "any" if rule.protocol == "icmp" else _group(str(p) for p in rule.ports)
        rules.append(
            f"pass {rule.protocol} {_group(sources)} any -> {_group(destinations)} {ports} "
            f'(msg:"{_msg(rule.description)}"; sid:{sid}; rev:1;)'
        )
        sid += 1
    return rules
