"""Reachability over synthesized templates: where can a packet go, and does it pass the firewall?

A small model of AWS routing, read from CloudFormation templates (plain Python, no AWS calls):

* a packet in a subnet follows its subnet's route table (longest prefix match; the VPC's own CIDR
  is the ``local`` route);
* a route to an internet gateway reaches the internet, to a NAT gateway continues from the NAT's
  subnet, to a Network Firewall endpoint passes the firewall and continues from the firewall
  subnet of that availability zone, to a Transit Gateway enters the VPC's attachment;
* at the Transit Gateway the attachment's associated route table decides (static routes, and
  propagated routes: a VPC attachment propagates its VPC's CIDR, a VPN attachment the on-premises
  ranges it advertises over BGP); a VPC attachment delivers the packet into any of its subnets
  (every availability zone is explored), whose route table decides again.

Every branch is followed, so a :class:`Trace` list covers every path a packet can take.
A region's network spans several stacks (the hub and its spoke stacks): an ``Fn::ImportValue`` is
followed to the output that exports that name, in whichever template it is.
Cross-account references are IDs that exist only after deployment (the Transit Gateway ID in a
workload stack, a workload attachment ID in the network account's configuration); ``bindings``
maps such literal IDs to the resource that will carry them.

The model is deliberately small: no security groups or NACLs (they can only drop, never
reroute), no gateway or interface endpoints other than Network Firewall, no peering (a route
to anything the model does not know ends the path as ``unknown target``, which a test treats as
a failure).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Network = ipaddress.IPv4Network
Address = ipaddress.IPv4Address


@dataclass(frozen=True, order=True)
class Ref:
    """A resource: its stack and logical ID."""

    stack: str
    logical_id: str

    def __str__(self) -> str:
        return f"{self.stack}/{self.logical_id}"


@dataclass(frozen=True)
class Hop:
    kind: str  # subnet, nat, firewall, tgw-attachment, tgw-route-table, vpn
    ref: Ref
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref}" + (f"({self.detail})" if self.detail else "")


@dataclass(frozen=True)
class Trace:
    """One path: its hops and where it ended."""

    hops: tuple[Hop, ...]
    #: ``vpc:<stack/id>``, ``internet``, ``on-premises:<stack/id>`` or ``dropped: <reason>``
    outcome: str

    @property
    def inspected(self) -> bool:
        """True when the path passes a Network Firewall endpoint."""
        return any(h.kind == "firewall" for h in self.hops)

    @property
    def delivered(self) -> bool:
        return not self.outcome.startswith("dropped")

    def __str__(self) -> str:
        return " -> ".join(str(h) for h in self.hops) + f" => {self.outcome}"


@dataclass
class _Route:
    destination: Network
    kind: str  # local, igw, nat, tgw, firewall, unknown
    target: Ref | None = None
    zone: str | None = None
    detail: str = ""


@dataclass
class _TgwRoute:
    destination: Network
    attachment: Ref | None  # None: blackhole
    origin: str


@dataclass
class _Attachment:
    ref: Ref
    kind: str  # vpc, vpn
    tgw: Ref | None
    vpc: Ref | None = None
    subnets: list[Ref] = field(default_factory=list)


class Topology:
    """The routing of a set of templates.

    Args:
        templates: template dicts by stack name.
        bindings: literal IDs (``tgw-...``, ``tgw-attach-...``) to the resource that will have them.
        advertised: prefixes an on-premises network announces over BGP (propagated by VPN
            attachments); usually ``network.on_premises_cidrs``.
    """

    def __init__(
        self,
        templates: Mapping[str, Mapping[str, Any]],
        *,
        bindings: Mapping[str, Ref] | None = None,
        advertised: Sequence[str] = (),
    ) -> None:
        self.templates = templates
        self.bindings = dict(bindings or {})
        self.advertised = [ipaddress.IPv4Network(c) for c in advertised]
        self.resources: dict[Ref, Mapping[str, Any]] = {
            Ref(stack, lid): body
            for stack, tpl in templates.items()
            for lid, body in (tpl.get("Resources") or {}).items()
            if isinstance(body, Mapping)
        }
        self.vpcs: dict[Ref, Network] = {}
        self.subnets: dict[Ref, tuple[Ref, Network, str | None]] = {}
        self.subnet_table: dict[Ref, Ref] = {}
        self.routes: dict[Ref, list[_Route]] = {}
        self.nat_subnet: dict[Ref, Ref] = {}
        self.igw_vpcs: dict[Ref, set[Ref]] = {}
        self.firewall_subnets: dict[Ref, list[Ref]] = {}
        self.attachments: dict[Ref, _Attachment] = {}
        self.associations: dict[Ref, Ref] = {}
        self.tgw_routes: dict[Ref, list[_TgwRoute]] = {}
        self.propagations: dict[Ref, list[Ref]] = {}
        #: export name -> (stack, value) of the output that exports it
        self.exports: dict[str, tuple[str, Any]] = {}
        for stack, tpl in templates.items():
            for output in (tpl.get("Outputs") or {}).values():
                name = (output.get("Export") or {}).get("Name") if isinstance(output, Mapping) else None
                if isinstance(name, str):
                    self.exports[name] = (stack, output.get("Value"))
        self._read()

    # ------------------------------------------------------------------ reading templates

    def _of_type(self, *types: str) -> Iterable[tuple[Ref, Mapping[str, Any]]]:
        for ref, body in sorted(self.resources.items()):
            if body.get("Type") in types:
                yield ref, body.get("Properties") or {}

    def deref(self, stack: str, value: Any) -> tuple[str, Any]:
        """``(stack, value)`` with an ``Fn::ImportValue`` replaced by the exported output's value."""
        seen: set[str] = set()
        while isinstance(value, Mapping) and isinstance(value.get("Fn::ImportValue"), str):
            name = value["Fn::ImportValue"]
            if name in seen or name not in self.exports:
                break
            seen.add(name)
            stack, value = self.exports[name]
        return stack, value

    def resolve(self, stack: str, value: Any) -> Ref | None:
        """The resource a property value points at (Ref, GetAtt, an import or a bound literal ID)."""
        stack, value = self.deref(stack, value)
        ref: Ref | None = None
        if isinstance(value, str):
            ref = self.bindings.get(value)
        elif isinstance(value, Mapping) and "Ref" in value and isinstance(value["Ref"], str):
            ref = Ref(stack, value["Ref"])
        elif isinstance(value, Mapping) and "Fn::GetAtt" in value:
            target = value["Fn::GetAtt"]
            name = target[0] if isinstance(target, list) else str(target).split(".")[0]
            ref = Ref(stack, name)
        if ref is None or ref not in self.resources:
            return None
        body = self.resources[ref]
        if body.get("Type") == "Custom::LzVpnAttachment":  # deploy-time look-up of a VPN's attachment
            return self.resolve(ref.stack, (body.get("Properties") or {}).get("VpnConnectionId"))
        return ref

    def _firewall_endpoint(self, stack: str, value: Any) -> tuple[Ref, str | None] | None:
        """``(firewall, zone)`` when ``value`` picks an endpoint from a firewall's ``EndpointIds``."""
        stack, value = self.deref(stack, value)
        found: dict[str, Any] = {}

        def walk(node: Any) -> None:
            if isinstance(node, Mapping):
                att = node.get("Fn::GetAtt")
                if isinstance(att, list) and len(att) == 2 and att[1] == "EndpointIds":
                    found["firewall"] = Ref(stack, att[0])
                split = node.get("Fn::Split")
                if isinstance(split, list) and isinstance(split[0], str) and split[0].endswith(":"):
                    found["zone"] = split[0][:-1]
                for child in node.values():
                    walk(child)
            elif isinstance(node, list):
                for child in node:
                    walk(child)

        walk(value)
        if "firewall" not in found:
            return None
        return found["firewall"], found.get("zone")

    def _read(self) -> None:
        for ref, props in self._of_type("AWS::EC2::VPC"):
            cidr = props.get("CidrBlock")
            if isinstance(cidr, str):
                self.vpcs[ref] = ipaddress.IPv4Network(cidr)
        for ref, props in self._of_type("AWS::EC2::Subnet"):
            vpc = self.resolve(ref.stack, props.get("VpcId"))
            cidr = props.get("CidrBlock")
            zone = props.get("AvailabilityZone")
            if vpc is not None and isinstance(cidr, str):
                self.subnets[ref] = (
                    vpc,
                    ipaddress.IPv4Network(cidr),
                    zone if isinstance(zone, str) else None,
                )
        for ref, props in self._of_type("AWS::EC2::SubnetRouteTableAssociation"):
            subnet = self.resolve(ref.stack, props.get("SubnetId"))
            table = self.resolve(ref.stack, props.get("RouteTableId"))
            if subnet is not None and table is not None:
                self.subnet_table[subnet] = table
        for ref, props in self._of_type("AWS::EC2::Route"):
            table = self.resolve(ref.stack, props.get("RouteTableId"))
            dest = props.get("DestinationCidrBlock")
            if table is None or not isinstance(dest, str):
                continue
            self.routes.setdefault(table, []).append(self._route(ref, props, ipaddress.IPv4Network(dest)))
        for ref, props in self._of_type("AWS::EC2::NatGateway"):
            subnet = self.resolve(ref.stack, props.get("SubnetId"))
            if subnet is not None:
                self.nat_subnet[ref] = subnet
        for ref, props in self._of_type("AWS::EC2::VPCGatewayAttachment"):
            igw = self.resolve(ref.stack, props.get("InternetGatewayId"))
            vpc = self.resolve(ref.stack, props.get("VpcId"))
            if igw is not None and vpc is not None:
                self.igw_vpcs.setdefault(igw, set()).add(vpc)
        for ref, props in self._of_type("AWS::NetworkFirewall::Firewall"):
            mappings = props.get("SubnetMappings") or []
            self.firewall_subnets[ref] = [
                s for m in mappings if (s := self.resolve(ref.stack, (m or {}).get("SubnetId"))) is not None
            ]
        for ref, props in self._of_type(
            "AWS::EC2::TransitGatewayVpcAttachment", "AWS::EC2::TransitGatewayAttachment"
        ):
            self.attachments[ref] = _Attachment(
                ref=ref,
                kind="vpc",
                tgw=self.resolve(ref.stack, props.get("TransitGatewayId")),
                vpc=self.resolve(ref.stack, props.get("VpcId")),
                subnets=[
                    s for v in props.get("SubnetIds") or [] if (s := self.resolve(ref.stack, v)) is not None
                ],
            )
        for ref, props in self._of_type("AWS::EC2::VPNConnection"):
            tgw = self.resolve(ref.stack, props.get("TransitGatewayId"))
            if tgw is not None:
                self.attachments[ref] = _Attachment(ref=ref, kind="vpn", tgw=tgw)
        for ref, props in self._of_type("AWS::EC2::TransitGatewayRouteTableAssociation"):
            attachment = self.resolve(ref.stack, props.get("TransitGatewayAttachmentId"))
            table = self.resolve(ref.stack, props.get("TransitGatewayRouteTableId"))
            if attachment is not None and table is not None:
                self.associations[attachment] = table
        for ref, props in self._of_type("AWS::EC2::TransitGatewayRouteTablePropagation"):
            attachment = self.resolve(ref.stack, props.get("TransitGatewayAttachmentId"))
            table = self.resolve(ref.stack, props.get("TransitGatewayRouteTableId"))
            if attachment is not None and table is not None:
                self.propagations.setdefault(table, []).append(attachment)
        for ref, props in self._of_type("AWS::EC2::TransitGatewayRoute"):
            table = self.resolve(ref.stack, props.get("TransitGatewayRouteTableId"))
            dest = props.get("DestinationCidrBlock")
            if table is None or not isinstance(dest, str):
                continue
            attachment = (
                None
                if props.get("Blackhole")
                else self.resolve(ref.stack, props.get("TransitGatewayAttachmentId"))
            )
            self.tgw_routes.setdefault(table, []).append(
                _TgwRoute(ipaddress.IPv4Network(dest), attachment, f"static {ref.logical_id}")
            )

    def _route(self, ref: Ref, props: Mapping[str, Any], dest: Network) -> _Route:
        stack = ref.stack
        if "NatGatewayId" in props:
            return _Route(dest, "nat", self.resolve(stack, props["NatGatewayId"]))
        if "TransitGatewayId" in props:
            return _Route(dest, "tgw", self.resolve(stack, props["TransitGatewayId"]))
        if "VpcEndpointId" in props:
            endpoint = self._firewall_endpoint(stack, props["VpcEndpointId"])
            if endpoint is not None:
                return _Route(dest, "firewall", endpoint[0], zone=endpoint[1])
            return _Route(dest, "unknown", detail=f"VPC endpoint route {ref.logical_id}")
        if "GatewayId" in props:
            gateway = self.resolve(stack, props["GatewayId"])
            if gateway is not None and self.resources[gateway].get("Type") == "AWS::EC2::InternetGateway":
                return _Route(dest, "igw", gateway)
            return _Route(dest, "unknown", detail=f"gateway route {ref.logical_id}")
        return _Route(dest, "unknown", detail=f"route {ref.logical_id} to an unmodelled target")

    # ------------------------------------------------------------------ queries

    def vpc_with_cidr(self, cidr: str) -> Ref:
        network = ipaddress.IPv4Network(cidr)
        matches = [ref for ref, net in self.vpcs.items() if net == network]
        if len(matches) != 1:
            raise KeyError(f"expected one VPC with CIDR {cidr}, found {len(matches)}")
        return matches[0]

    def subnets_of(self, vpc: Ref) -> list[Ref]:
        return sorted(ref for ref, (owner, _, _) in self.subnets.items() if owner == vpc)

    def host_in(self, vpc: Ref) -> str:
        """An address in the VPC's largest subnet (where workloads run)."""
        subnets = self.subnets_of(vpc)
        if not subnets:
            raise KeyError(f"{vpc} has no subnets")
        largest = min(subnets, key=lambda s: (self.subnets[s][1].prefixlen, self.subnets[s][1]))
        return str(self.subnets[largest][1].network_address + 4)

    def vpn_connections(self) -> list[Ref]:
        return sorted(ref for ref, a in self.attachments.items() if a.kind == "vpn")

    def _internal(self, address: Address) -> bool:
        return any(address in net for net in self.vpcs.values()) or any(
            address in net for net in self.advertised
        )

    # ------------------------------------------------------------------ tracing

    def workload_subnets(self, vpc: Ref) -> list[Ref]:
        """The VPC's largest subnets: where workloads run (not the /28 transit or firewall subnets)."""
        subnets = self.subnets_of(vpc)
        largest = min((self.subnets[s][1].prefixlen for s in subnets), default=32)
        return [s for s in subnets if self.subnets[s][1].prefixlen == largest]

    def trace_from_subnet(self, subnet: Ref, destination: str) -> list[Trace]:
        """Every path from ``subnet`` to ``destination``."""
        return self._at_subnet(subnet, ipaddress.IPv4Address(destination), (), frozenset())

    def trace_from_vpc(self, vpc: Ref, destination: str) -> list[Trace]:
        """Every path from every subnet of ``vpc`` to ``destination``."""
        return [t for subnet in self.subnets_of(vpc) for t in self.trace_from_subnet(subnet, destination)]

    def trace_from_vpn(self, vpn: Ref, destination: str) -> list[Trace]:
        """Every path from on-premises, entering through ``vpn``, to ``destination``."""
        address = ipaddress.IPv4Address(destination)
        return self._at_tgw(vpn, address, (Hop("vpn", vpn),), frozenset())

    def _at_subnet(
        self, subnet: Ref, address: Address, hops: tuple[Hop, ...], seen: frozenset
    ) -> list[Trace]:
        state = ("subnet", subnet, address)
        vpc, _, _ = self.subnets[subnet]
        hops = (*hops, Hop("subnet", subnet))
        if state in seen:
            return [Trace(hops, "dropped: routing loop")]
        seen = seen | {state}
        table = self.subnet_table.get(subnet)
        candidates = [_Route(self.vpcs[vpc], "local")]
        if table is not None:
            candidates += self.routes.get(table, [])
        matching = [r for r in candidates if address in r.destination]
        if not matching:
            return [Trace(hops, "dropped: no route")]
        best = max(r.destination.prefixlen for r in matching)
        out: list[Trace] = []
        for route in [r for r in matching if r.destination.prefixlen == best]:
            out += self._follow(route, vpc, address, hops, seen)
        return out

    def _follow(
        self, route: _Route, vpc: Ref, address: Address, hops: tuple[Hop, ...], seen: frozenset
    ) -> list[Trace]:
        if route.kind == "local":
            return [Trace(hops, f"vpc:{vpc}")]
        if route.kind == "igw":
            if route.target is None or vpc not in self.igw_vpcs.get(route.target, set()):
                return [Trace(hops, "dropped: internet gateway not attached to this VPC")]
            if self._internal(address):
                return [Trace(hops, "dropped: internal address sent to the internet gateway")]
            return [Trace(hops, "internet")]
        if route.kind == "nat":
            subnet = self.nat_subnet.get(route.target) if route.target else None
            if subnet is None:
                return [Trace(hops, "dropped: unknown NAT gateway")]
            return self._at_subnet(subnet, address, (*hops, Hop("nat", route.target)), seen)
        if route.kind == "firewall":
            firewall = route.target
            subnets = (
                [
                    s
                    for s in self.firewall_subnets.get(firewall, [])
                    if route.zone is None or self.subnets[s][2] == route.zone
                ]
                if firewall
                else []
            )
            if not subnets:
                return [Trace(hops, f"dropped: no firewall endpoint in {route.zone}")]
            out: list[Trace] = []
            for subnet in subnets:
                out += self._at_subnet(
                    subnet, address, (*hops, Hop("firewall", firewall, route.zone or "")), seen
                )
            return out
        if route.kind == "tgw":
            attachment = next(
                (
                    a
                    for a in self.attachments.values()
                    if a.kind == "vpc" and a.vpc == vpc and a.tgw == route.target
                ),
                None,
            )
            if attachment is None:
                return [Trace(hops, "dropped: VPC has no attachment to that Transit Gateway")]
            return self._at_tgw(attachment.ref, address, (*hops, Hop("tgw-attachment", attachment.ref)), seen)
        return [Trace(hops, f"dropped: unknown target ({route.detail})")]

    def _tgw_routes(self, table: Ref) -> list[_TgwRoute]:
        routes = list(self.tgw_routes.get(table, []))
        for attachment_ref in self.propagations.get(table, []):
            attachment = self.attachments.get(attachment_ref)
            if attachment is None:
                continue
            if attachment.kind == "vpc" and attachment.vpc in self.vpcs:
                routes.append(_TgwRoute(self.vpcs[attachment.vpc], attachment_ref, "propagated"))
            elif attachment.kind == "vpn":
                routes += [_TgwRoute(net, attachment_ref, "propagated (BGP)") for net in self.advertised]
        return routes

    def _at_tgw(
        self, attachment: Ref, address: Address, hops: tuple[Hop, ...], seen: frozenset
    ) -> list[Trace]:
        state = ("tgw", attachment, address)
        if state in seen:
            return [Trace(hops, "dropped: routing loop")]
        seen = seen | {state}
        table = self.associations.get(attachment)
        if table is None:
            return [Trace(hops, "dropped: attachment not associated with a route table")]
        hops = (*hops, Hop("tgw-route-table", table))
        matching = [r for r in self._tgw_routes(table) if address in r.destination]
        if not matching:
            return [Trace(hops, "dropped: no Transit Gateway route")]
        # Static routes win over propagated ones of the same length.
        best = max(matching, key=lambda r: (r.destination.prefixlen, r.origin.startswith("static")))
        if best.attachment is None:
            return [Trace(hops, "dropped: blackhole route")]
        target = self.attachments.get(best.attachment)
        if target is None:
            return [Trace(hops, f"dropped: unknown attachment {best.attachment}")]
        if target.kind == "vpn":
            if any(address in net for net in self.advertised):
                return [Trace((*hops, Hop("vpn", target.ref)), f"on-premises:{target.ref}")]
            return [Trace((*hops, Hop("vpn", target.ref)), "dropped: on-premises does not have this address")]
        out: list[Trace] = []
        for subnet in target.subnets:
            out += self._at_subnet(subnet, address, (*hops, Hop("tgw-attachment", target.ref, "in")), seen)
        return out or [Trace(hops, "dropped: attachment without subnets")]
