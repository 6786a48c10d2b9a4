"""The spoke stacks of a region: what the hub does for each spoke VPC of another account.

The network of a region is split over stacks in the network account (issue #16: a province of a
hundred spoke VPCs per region does not fit CloudFormation's 500 resources in one stack):

* ``lz-network-<region>`` -- the hub: Transit Gateway, its route tables, the inspection VPC, the
  network account's own VPCs, VPN, DNS Firewall, the Route 53 Profile, the RAM share;
* ``lz-network-<region>-spokes-<n>`` (n = 1..4) -- per spoke VPC of another account: the
  association with its segment's route table, the propagation into the inspection route table
  and the inspection VPC's routes back to its CIDR (firewall and public subnets, every zone).
  Which stack: :func:`landing_zone.network.plan.spoke_part`, from the VPC's name alone.

The spoke stacks read the hub through CloudFormation exports with fixed names
(``lz-network-<region>:<key>``, :func:`export_name`), not through CDK's automatic references.
An export that another stack imports cannot change or disappear (CloudFormation refuses the hub's
update), and CDK's automatic references add and remove exports as consumers come and go, which
deadlocks the hub when the last consumer of a value goes. So the hub exports a fixed contract
(:func:`contract_keys`): it depends only on the hub itself (the inspection VPC and its zones),
never on which spokes exist, and it names resources that are never replaced in place (the
Transit Gateway, its route tables, the inspection VPC's route tables and firewall endpoints).
What could vanish while spokes exist stays in the hub: the on-premises route table (it exists
only with a VPN) keeps its routes to the spokes in the hub stack. The inspection VPC cannot go
while spokes exist (``validate`` refuses spokes without one).
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from landing_zone.config.sections.network import Vpc
from landing_zone.network.plan import SEGMENT_ROUTE_TABLES

ZONE_LETTERS = "ABC"


def camel(text: str) -> str:
    return "".join(part.capitalize() for part in text.replace(".", "-").split("-"))


def export_name(region: str, key: str) -> str:
    """``lz-network-<region>:<key>``: the name of one value of the hub's contract."""
    return f"lz-network-{region}:{key}"


def route_table_key(segment: str) -> str:
    return f"{camel(segment)}RouteTableId"


def contract_keys(inspection_zones: int) -> list[str]:
    """Every key the hub exports (``inspection_zones``: 0 without an inspection VPC)."""
    keys = ["TransitGatewayId", *(route_table_key(s) for s in SEGMENT_ROUTE_TABLES)]
    if inspection_zones:
        keys.append("InspectionAttachmentId")
        for letter in ZONE_LETTERS[:inspection_zones]:
            keys += [f"InspectionFirewallRouteTable{letter}", f"InspectionPublicRouteTable{letter}"]
            keys.append(f"FirewallEndpoint{letter}")
    return keys


class SpokeAttachments(Construct):
    """The hub's part of the spoke VPCs of one spoke stack (see the module docstring)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        region: str,
        vpcs: tuple[Vpc, ...],
        inspection_zones: int,
    ) -> None:
        super().__init__(scope, construct_id)

        def hub(key: str) -> str:
            return cdk.Fn.import_value(export_name(region, key))

        for vpc in vpcs:
            label = f"Vpc{camel(vpc.name)}"
            if vpc.transit_gateway_attachment_id:
                # Associated once the owner reported the attachment ID: with its segment's table
                # only, and propagated into the inspection table only (never a segment table).
                ec2.CfnTransitGatewayRouteTableAssociation(
                    self,
                    f"{label}Association",
                    transit_gateway_attachment_id=vpc.transit_gateway_attachment_id,
                    transit_gateway_route_table_id=hub(route_table_key(vpc.segment)),
                )
                ec2.CfnTransitGatewayRouteTablePropagation(
                    self,
                    f"{label}Propagation",
                    transit_gateway_attachment_id=vpc.transit_gateway_attachment_id,
                    transit_gateway_route_table_id=hub(route_table_key("inspection")),
                )
            # The inspection VPC's way back to the spoke: from the firewall subnets to the Transit
            # Gateway, from the public (NAT) subnets through the firewall endpoint of the same zone.
            for letter in ZONE_LETTERS[:inspection_zones]:
                ec2.CfnRoute(
                    self,
                    f"{label}FirewallRoute{letter}",
                    route_table_id=hub(f"InspectionFirewallRouteTable{letter}"),
                    destination_cidr_block=vpc.cidr,
                    transit_gateway_id=hub("TransitGatewayId"),
                )
                ec2.CfnRoute(
                    self,
                    f"{label}PublicRoute{letter}",
                    route_table_id=hub(f"InspectionPublicRouteTable{letter}"),
                    destination_cidr_block=vpc.cidr,
                    vpc_endpoint_id=hub(f"FirewallEndpoint{letter}"),
                )
