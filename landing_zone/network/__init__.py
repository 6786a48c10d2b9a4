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

from landing_zone.core.contracts import NetworkOutputs, Placement, StackKey

if TYPE_CHECKING:
    from landing_zone.config import LandingZoneConfig


def extra_stacks(config: LandingZoneConfig) -> tuple[StackKey, ...]:
    """The spoke stacks (``lz-network-<region>-spokes-<n>``) this configuration needs, in build order.

    The composition root creates them up front with the other stacks (so they are classified and
    placed like every stack); :func:`build` fills them. Plain Python: no CDK.
    """
    from landing_zone.network.plan import region_plans

    return tuple(
        StackKey("network", plan.region, part)
        for plan in region_plans(config)
        for part in plan.spoke_stacks()
    )


def build(config: LandingZoneConfig, placement: Placement) -> NetworkOutputs:
    """Add the regional network to the network account's stack in every allowed region: the hub to
    ``lz-network-<region>``, the spokes of other accounts to its spoke stacks (:mod:`.spokes`,
    created by the composition root from :func:`extra_stacks`)."""
    from landing_zone.network.hub import RegionalNetwork
    from landing_zone.network.plan import region_plans
    from landing_zone.network.spokes import SpokeAttachments

    networks = {}
    for plan in region_plans(config):
        if not placement.has_stack("network", plan.region):
            continue
        networks[plan.region] = RegionalNetwork(
            placement.stack("network", plan.region), "Network", config=config, plan=plan
        )
        zones = plan.inspection.availability_zones if plan.inspection is not None else 0
        for part, vpcs in plan.spoke_stacks().items():
            SpokeAttachments(
                placement.stack("network", plan.region, part),
                "Spokes",
                region=plan.region,
                vpcs=vpcs,
                inspection_zones=zones,
            )
    return NetworkOutputs(networks=MappingProxyType(networks))
