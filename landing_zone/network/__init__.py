"""Network component: segmentation, inspection and hybrid connectivity (BIO2 8.20-8.22; 8.23 guidance).

In each allowed region the network account gets a :class:`~landing_zone.network.hub.RegionalNetwork`:
a Transit Gateway with one route table per segment, shared through AWS RAM; the inspection VPC
(AWS Network Firewall, NAT gateways, the only internet gateway); the network account's own spoke
VPCs (central interface endpoints); Route 53 Resolver DNS Firewall and a Route 53 Profile for the
workload VPCs; Site-to-Site VPN to on-premises. App teams build their VPCs with
:class:`landing_zone.workloads.WorkloadVpc`. Design: ``docs/network.md``.

Modules: :mod:`.ipplan` and :mod:`.plan` are plain Python (the config checks use them),
:mod:`.reachability` proves the routing from synthesized templates. CDK is imported only by
:func:`build` and the construct modules.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING

from landing_zone.core.contracts import NetworkOutputs, Placement

if TYPE_CHECKING:
    from landing_zone.config import LandingZoneConfig


def build(config: LandingZoneConfig, placement: Placement) -> NetworkOutputs:
    """Add the regional network to the network account's stack in every allowed region."""
    from landing_zone.network.hub import RegionalNetwork
    from landing_zone.network.plan import region_plans

    networks = {}
    for plan in region_plans(config):
        if placement.has_stack("network", plan.region):
            networks[plan.region] = RegionalNetwork(
                placement.stack("network", plan.region), "Network", config=config, plan=plan
            )
    return NetworkOutputs(networks=MappingProxyType(networks))
