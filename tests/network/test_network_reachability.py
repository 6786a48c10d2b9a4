"""Every path between segments, to the internet and from on-premises passes the firewall.

The paths are computed from the synthesized templates (VPC route tables, Transit Gateway route
tables with their associations, propagations and static routes, firewall endpoints): the default
landing zone's network stack plus the app teams' VPCs built with WorkloadVpc. The negative tests
change one template the way a mistake would and check that the model finds the bypass.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from network_testkit import NETWORK_STACK, only, topology_of

from landing_zone.network.reachability import Topology, Trace

pytestmark = pytest.mark.synth

INTERNET = "192.0.2.80"
ON_PREMISES_HOST = "10.1.2.3"


def paths(topology: Topology, source_cidr: str, destination: str) -> list[Trace]:
    """Every path from the subnets where the source VPC's workloads run."""
    subnets = topology.workload_subnets(topology.vpc_with_cidr(source_cidr))
    return [t for subnet in subnets for t in topology.trace_from_subnet(subnet, destination)]


def assert_only_through_firewall(traces: list[Trace], expected_outcome: str) -> None:
    assert traces, "no path at all"
    delivered = [t for t in traces if t.delivered]
    assert delivered, "nothing arrives:\n" + "\n".join(map(str, traces))
    bypass = [t for t in delivered if not t.inspected]
    assert not bypass, "paths that skip the firewall:\n" + "\n".join(map(str, bypass))
    assert {t.outcome.split(":")[0] for t in delivered} == {expected_outcome}, "\n".join(map(str, delivered))
    dropped = [t for t in traces if not t.delivered]
    assert not dropped, "\n".join(map(str, dropped))


PROD, NONPROD, ENDPOINTS = "10.17.0.0/20", "10.18.0.0/20", "10.16.4.0/22"


def test_production_reaches_nonproduction_only_through_the_firewall(topology: Topology) -> None:
    target = topology.host_in(topology.vpc_with_cidr(NONPROD))
    assert_only_through_firewall(paths(topology, PROD, target), "vpc")


def test_nonproduction_reaches_production_only_through_the_firewall(topology: Topology) -> None:
    target = topology.host_in(topology.vpc_with_cidr(PROD))
    assert_only_through_firewall(paths(topology, NONPROD, target), "vpc")


@pytest.mark.parametrize("source", [PROD, NONPROD, ENDPOINTS])
def test_internet_only_through_the_firewall_and_nat(topology: Topology, source: str) -> None:
    traces = paths(topology, source, INTERNET)
    assert_only_through_firewall(traces, "internet")
    for trace in traces:
        kinds = [hop.kind for hop in trace.hops]
        assert kinds.index("firewall") < kinds.index("nat"), str(trace)


def test_on_premises_reaches_production_only_through_the_firewall(topology: Topology) -> None:
    [vpn] = topology.vpn_connections()
    target = topology.host_in(topology.vpc_with_cidr(PROD))
    assert_only_through_firewall(topology.trace_from_vpn(vpn, target), "vpc")


def test_production_reaches_on_premises_only_through_the_firewall(topology: Topology) -> None:
    assert_only_through_firewall(paths(topology, PROD, ON_PREMISES_HOST), "on-premises")


def test_workloads_reach_the_central_endpoints_through_the_firewall(topology: Topology) -> None:
    target = topology.host_in(topology.vpc_with_cidr(ENDPOINTS))
    assert_only_through_firewall(paths(topology, PROD, target), "vpc")


def test_return_traffic_from_the_internet_passes_the_firewall(topology: Topology) -> None:
    """Answers to NAT come back through the public subnets' route to the firewall endpoint."""
    inspection = topology.vpc_with_cidr("10.16.0.0/22")
    public = [s for s in topology.subnets_of(inspection) if "Public" in s.logical_id]
    target = topology.host_in(topology.vpc_with_cidr(PROD))
    for subnet in public:
        traces = topology.trace_from_subnet(subnet, target)
        assert traces and all(t.delivered and t.inspected for t in traces), "\n".join(map(str, traces))


# --------------------------------------------------------------------------- negative tests


def mutated(network_templates: dict[str, Any], workload_synth: Any, change: Any) -> Topology:
    templates = copy.deepcopy(network_templates)
    change(templates)
    return topology_of(templates, workload_synth.stacks_by_attachment, ["10.0.0.0/12"])


def _route_table(templates: dict[str, Any], segment: str) -> str:
    return next(
        lid
        for lid, r in templates[NETWORK_STACK]["Resources"].items()
        if r["Type"] == "AWS::EC2::TransitGatewayRouteTable"
        and {"Key": "lz:segment", "Value": segment} in r["Properties"]["Tags"]
    )


def test_a_propagation_into_a_segment_route_table_is_a_detected_bypass(
    network_templates: dict[str, Any], workload_synth: Any
) -> None:
    def propagate_nonprod_into_production(templates: dict[str, Any]) -> None:
        templates[NETWORK_STACK]["Resources"]["Mistake"] = {
            "Type": "AWS::EC2::TransitGatewayRouteTablePropagation",
            "Properties": {
                "TransitGatewayAttachmentId": "tgw-attach-0a18000000000000a",
                "TransitGatewayRouteTableId": {"Ref": _route_table(templates, "production")},
            },
        }

    topology = mutated(network_templates, workload_synth, propagate_nonprod_into_production)
    traces = paths(topology, PROD, topology.host_in(topology.vpc_with_cidr(NONPROD)))
    assert [t for t in traces if t.delivered and not t.inspected]
    with pytest.raises(AssertionError, match="skip the firewall"):
        assert_only_through_firewall(traces, "vpc")


def test_an_internet_gateway_in_a_workload_vpc_is_a_detected_bypass(
    network_templates: dict[str, Any], workload_synth: Any
) -> None:
    stack = workload_synth.stacks_by_attachment["tgw-attach-0a17000000000000a"]

    def add_internet_gateway(templates: dict[str, Any]) -> None:
        resources = templates[stack]["Resources"]
        vpc = only(templates[stack], "AWS::EC2::VPC")
        resources["Igw"] = {"Type": "AWS::EC2::InternetGateway", "Properties": {}}
        resources["IgwAttachment"] = {
            "Type": "AWS::EC2::VPCGatewayAttachment",
            "Properties": {"VpcId": {"Ref": vpc}, "InternetGatewayId": {"Ref": "Igw"}},
        }
        for route in resources.values():  # the default routes now go straight out
            if route["Type"] == "AWS::EC2::Route":
                route["Properties"].pop("TransitGatewayId")
                route["Properties"]["GatewayId"] = {"Ref": "Igw"}

    topology = mutated(network_templates, workload_synth, add_internet_gateway)
    traces = paths(topology, PROD, INTERNET)
    assert traces and all(t.outcome == "internet" and not t.inspected for t in traces)
    with pytest.raises(AssertionError, match="skip the firewall"):
        assert_only_through_firewall(traces, "internet")


def test_a_transit_route_around_the_firewall_is_a_detected_bypass(
    network_templates: dict[str, Any], workload_synth: Any
) -> None:
    def route_transit_subnets_to_nat(templates: dict[str, Any]) -> None:
        resources = templates[NETWORK_STACK]["Resources"]
        for lid, route in resources.items():
            if route["Type"] == "AWS::EC2::Route" and "TransitDefaultRoute" in lid:
                zone = lid.split("TransitDefaultRoute")[1][0]
                nat = next(k for k in resources if k.startswith(f"NetworkInspectionNatGateway{zone}"))
                route["Properties"] = {
                    "RouteTableId": route["Properties"]["RouteTableId"],
                    "DestinationCidrBlock": "0.0.0.0/0",
                    "NatGatewayId": {"Ref": nat},
                }

    topology = mutated(network_templates, workload_synth, route_transit_subnets_to_nat)
    traces = paths(topology, NONPROD, INTERNET)
    assert [t for t in traces if t.outcome == "internet" and not t.inspected]


def test_on_premises_routed_straight_to_production_is_a_detected_bypass(
    network_templates: dict[str, Any], workload_synth: Any
) -> None:
    def static_route_to_production(templates: dict[str, Any]) -> None:
        resources = templates[NETWORK_STACK]["Resources"]
        for route in resources.values():
            props = route.get("Properties", {})
            if (
                route["Type"] == "AWS::EC2::TransitGatewayRoute"
                and props.get("DestinationCidrBlock") == PROD
                and props["TransitGatewayRouteTableId"] == {"Ref": _route_table(templates, "on-premises")}
            ):
                props["TransitGatewayAttachmentId"] = "tgw-attach-0a17000000000000a"

    topology = mutated(network_templates, workload_synth, static_route_to_production)
    [vpn] = topology.vpn_connections()
    traces = topology.trace_from_vpn(vpn, topology.host_in(topology.vpc_with_cidr(PROD)))
    assert traces and all(t.delivered and not t.inspected for t in traces)


def test_an_unassociated_attachment_carries_nothing(
    network_templates: dict[str, Any], workload_synth: Any
) -> None:
    """Before the network account associates a workload attachment, the VPC reaches nothing."""

    def drop_association(templates: dict[str, Any]) -> None:
        dropped = 0
        for template in templates.values():  # the association is in one of the spoke stacks
            resources = template["Resources"]
            for lid in [
                lid
                for lid, r in resources.items()
                if r["Type"] == "AWS::EC2::TransitGatewayRouteTableAssociation"
                and r["Properties"]["TransitGatewayAttachmentId"] == "tgw-attach-0a17000000000000a"
            ]:
                del resources[lid]
                dropped += 1
        assert dropped == 1

    topology = mutated(network_templates, workload_synth, drop_association)
    traces = paths(topology, PROD, INTERNET)
    assert traces and all(
        t.outcome == "dropped: attachment not associated with a route table" for t in traces
    )


def test_a_propagation_into_a_segment_table_from_a_spoke_stack_is_a_detected_bypass(
    network_templates: dict[str, Any], workload_synth: Any
) -> None:
    """The spoke stacks reach the hub's route tables through exports: the model follows them."""
    spoke_stack = next(name for name in network_templates if name.startswith(f"{NETWORK_STACK}-spokes-"))

    def propagate_through_the_export(templates: dict[str, Any]) -> None:
        templates[spoke_stack]["Resources"]["Mistake"] = {
            "Type": "AWS::EC2::TransitGatewayRouteTablePropagation",
            "Properties": {
                "TransitGatewayAttachmentId": "tgw-attach-0a18000000000000a",
                "TransitGatewayRouteTableId": {
                    "Fn::ImportValue": "lz-network-eu-central-1:ProductionRouteTableId"
                },
            },
        }

    topology = mutated(network_templates, workload_synth, propagate_through_the_export)
    traces = paths(topology, PROD, topology.host_in(topology.vpc_with_cidr(NONPROD)))
    assert [t for t in traces if t.delivered and not t.inspected]
