"""``network``: the hub-and-spoke network, its IP address plan and its filters.

A Transit Gateway per region in the network account connects the VPCs; every route between
segments, to on-premises and to the internet passes the inspection VPC (AWS Network Firewall,
default drop). The IP address plan (``vpcs``, ``on_premises_cidrs``) is checked here: no overlaps,
and every VPC's subnets fit its CIDR block (the same carving the constructs deploy,
:mod:`landing_zone.network.ipplan`).
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AfterValidator, Field

from landing_zone.config.base import ConfigModel, Hint, invalid
from landing_zone.config.errors import Problem, did_you_mean, duplicates, path_of
from landing_zone.config.sections.organization import unknown_account
from landing_zone.config.sections.regions import Region, unlisted_region
from landing_zone.network import ipplan

if TYPE_CHECKING:
    from landing_zone.config.model import LandingZoneConfig

VPC_MIN_PREFIX, VPC_MAX_PREFIX = 16, 28
"""AWS allows VPC CIDR blocks from /16 (65,536 addresses) to /28 (16 addresses)."""

_CIDR_SCHEMA = {"pattern": r"^[0-9]{1,3}(\.[0-9]{1,3}){3}/[0-9]{1,2}$", "examples": ["10.16.0.0/20"]}

Segment = Literal["production", "nonproduction", "shared", "inspection"]
SPOKE_SEGMENTS: tuple[str, ...] = ("production", "nonproduction", "shared")
"""Segments whose VPCs are spokes: their traffic leaves only through the inspection VPC."""

ON_PREMISES = "on-premises"
"""Name of the on-premises network in firewall rules."""

PRIVATE_ASN_RANGES: tuple[tuple[int, int], ...] = ((64512, 65534), (4200000000, 4294967294))
"""Private BGP ASNs that AWS accepts for a Transit Gateway's Amazon side."""

RESERVED_CUSTOMER_ASNS: dict[str, int] = {
    "us-east-1": 7224,
    "eu-west-1": 9059,
    "ap-northeast-1": 10124,
    "ap-southeast-1": 17493,
}
"""ASNs AWS reserves in a region; a customer gateway there cannot use them."""

ENDPOINT_DNS_NAMES: dict[str, str] = {
    "ec2": "ec2",
    "ec2messages": "ec2messages",
    "ecr.api": "api.ecr",
    "ecr.dkr": "dkr.ecr",
    "elasticloadbalancing": "elasticloadbalancing",
    "events": "events",
    "kms": "kms",
    "lambda": "lambda",
    "logs": "logs",
    "monitoring": "monitoring",
    "secretsmanager": "secretsmanager",
    "sns": "sns",
    "sqs": "sqs",
    "ssm": "ssm",
    "ssmmessages": "ssmmessages",
    "sts": "sts",
}
"""Interface endpoint services the landing zone can centralise, with the first labels of their
private DNS name (``<labels>.<region>.amazonaws.com``): a central endpoint gets a private hosted
zone of that name."""

DEFAULT_ENDPOINT_SERVICES = ("ssm", "ssmmessages", "ec2messages", "sts", "logs", "kms")

DEFAULT_DOMAIN_LISTS = (
    "AWSManagedDomainsAggregateThreatList",
    "AWSManagedDomainsMalwareDomainList",
    "AWSManagedDomainsBotnetCommandandControl",
)


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


_DOCUMENTATION_NETS = tuple(
    ipaddress.IPv4Network(net) for net in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")
)
"""RFC 5737 documentation ranges: accepted as placeholders in examples (never routed)."""


def _public_ipv4(value: str) -> str:
    try:
        address = ipaddress.IPv4Address(value)
    except ValueError:
        raise invalid(f"'{value}' is not an IPv4 address", "write the address like 203.0.113.10") from None
    if not (address.is_global or any(address in net for net in _DOCUMENTATION_NETS)):
        raise invalid(
            f"{address} is not a public internet address",
            "use the public IPv4 address of the on-premises VPN device (its outside interface); "
            "AWS connects the tunnels to it over the internet",
        )
    return str(address)


def _private_asn(value: int) -> int:
    if not any(low <= value <= high for low, high in PRIVATE_ASN_RANGES):
        raise invalid(
            f"{value} is not a private ASN",
            "use a private ASN from 64512 to 65534, or from 4200000000 to 4294967294",
        )
    return value


def _endpoint_rule_target(value: str) -> str:
    """A firewall rule source or destination: a segment name, 'on-premises', or a CIDR block."""
    if value in (*SPOKE_SEGMENTS, ON_PREMISES):
        return value
    if any(ch.isdigit() for ch in value[:1]):
        return _ipv4_cidr(value)
    names = (*SPOKE_SEGMENTS, ON_PREMISES)
    raise invalid(
        f"'{value}' is neither a segment nor a CIDR block",
        f"{did_you_mean(value, names, 0.5)}use one of: {', '.join(names)}, "
        "or a CIDR block such as 10.0.0.0/12",
    )


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

OrganizationId = Annotated[
    str,
    Field(pattern=r"^o-[a-z0-9]{10,32}$"),
    Hint(
        expected="an AWS Organizations ID: 'o-' and 10 to 32 lowercase letters or digits",
        example="o-a1b2c3d4e5",
    ),
]

AttachmentId = Annotated[
    str,
    Field(pattern=r"^tgw-attach-[0-9a-f]{8,17}$"),
    Hint(expected="a Transit Gateway attachment ID", example="tgw-attach-0123456789abcdef0"),
]

DomainListName = Annotated[
    str,
    Field(pattern=r"^AWSManagedDomains[A-Za-z0-9]{1,47}$"),
    Hint(
        expected="the name of an AWS managed DNS Firewall domain list",
        example="AWSManagedDomainsAggregateThreatList",
    ),
]

DomainListId = Annotated[
    str,
    Field(pattern=r"^rslvr-fdl-[0-9a-z]{1,54}$"),
    Hint(expected="a DNS Firewall domain list ID", example="rslvr-fdl-0123456789abcdef"),
]

EndpointService = Literal[tuple(ENDPOINT_DNS_NAMES)]  # type: ignore[valid-type]
"""An interface endpoint service the landing zone knows the private DNS name of."""

PublicIpv4 = Annotated[
    str, AfterValidator(_public_ipv4), Field(json_schema_extra={"examples": ["203.0.113.10"]})
]
"""A public (globally routable) IPv4 address."""

PrivateAsn = Annotated[int, AfterValidator(_private_asn)]
"""A private BGP ASN: 64512-65534 or 4200000000-4294967294."""

RuleTarget = Annotated[str, AfterValidator(_endpoint_rule_target)]
"""A segment name, ``on-premises`` or a CIDR block."""


class Vpc(ConfigModel):
    """A VPC of the IP address plan, attached to the Transit Gateway of its region.

    VPCs in the network account are built by the landing zone (the inspection VPC; a `shared` VPC
    holds the central interface endpoints). VPCs in other accounts are built by their owners with
    `landing_zone.workloads.WorkloadVpc`; the network account connects them to their segment once
    `transit_gateway_attachment_id` is filled in.
    """

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
    segment: Segment = Field(
        description=(
            "Network segment; traffic between segments passes the inspection VPC. `inspection` VPCs "
            "belong in the network account."
        )
    )
    availability_zones: int = Field(
        default=3,
        ge=2,
        le=3,
        description="Number of availability zones (a, b, c) the subnets are spread over.",
    )
    subnet_prefix: int | None = Field(
        default=None,
        ge=16,
        le=28,
        description=(
            "Prefix length of the private (workload) subnets, one per availability zone. Leave out for "
            "the largest size that fits next to the /28 transit subnets. Not used for inspection VPCs "
            "(their subnets are /28)."
        ),
    )
    transit_gateway_attachment_id: AttachmentId | None = Field(
        default=None,
        description=(
            "For a VPC in another account than the network account: the ID of its Transit Gateway "
            "attachment, reported by the owner's deployment. Until it is set the VPC is not associated "
            "with any segment route table and carries no traffic."
        ),
    )


class TransitGatewaySettings(ConfigModel):
    """The Transit Gateway in each allowed region (network account)."""

    amazon_side_asn: PrivateAsn = Field(
        default=64512,
        description=(
            "Private BGP ASN of the Transit Gateway in the home region; the one in the n-th other allowed "
            "region (in the order of regions.allowed) gets this number plus n."
        ),
    )
    auto_accept_shared_attachments: bool = Field(
        default=False,
        description=(
            "Accept attachments from other accounts automatically. Off: the network team accepts each "
            "attachment (`aws ec2 accept-transit-gateway-vpc-attachment`). An accepted attachment still "
            "carries no traffic until it is associated with a segment (transit_gateway_attachment_id)."
        ),
    )


class FirewallRule(ConfigModel):
    """A flow that the inspection firewall lets pass; everything else between segments is dropped."""

    description: str = Field(min_length=3, max_length=200, description="Why this flow is needed.")
    source: RuleTarget = Field(
        description=(
            "Where the flow starts: a segment (`production`, `nonproduction`, `shared`), `on-premises`, "
            "or a CIDR block."
        ),
        json_schema_extra={"examples": ["on-premises", "10.0.0.0/12"]},
    )
    destination: RuleTarget = Field(
        description="Where the flow goes: a segment, `on-premises` or a CIDR block.",
        json_schema_extra={"examples": ["production"]},
    )
    protocol: Literal["tcp", "udp", "icmp"] = Field(description="IP protocol.")
    ports: tuple[Annotated[int, Field(ge=1, le=65535)], ...] = Field(
        default=(), description="Destination ports (tcp and udp; leave out for icmp)."
    )


class EndpointSettings(ConfigModel):
    """Interface VPC endpoints (AWS PrivateLink) for AWS services, reached without the internet."""

    mode: Literal["central", "per-vpc"] = Field(
        default="per-vpc",
        description=(
            "`per-vpc`: every VPC creates its own endpoints (WorkloadVpc `endpoint_services`). "
            "`central`: one set of endpoints per region in the network account's `shared` VPC (which "
            "the IP plan must then have), with private hosted zones shared to the workload VPCs through "
            "a Route 53 Profile: fewer endpoints to pay for, and their traffic passes the firewall."
        ),
    )
    services: tuple[EndpointService, ...] = Field(
        default=DEFAULT_ENDPOINT_SERVICES, description="Interface endpoint services, such as `ssm` or `sts`."
    )


class DnsFirewallSettings(ConfigModel):
    """Route 53 Resolver DNS Firewall: blocks DNS names on AWS managed threat lists."""

    enabled: bool = Field(
        default=True, description="Create the DNS Firewall rule group and its associations."
    )
    managed_domain_lists: tuple[DomainListName, ...] = Field(
        default=DEFAULT_DOMAIN_LISTS,
        min_length=1,
        description="AWS managed domain lists whose names are blocked, by name.",
    )
    domain_list_ids: dict[Region, dict[DomainListName, DomainListId]] = Field(
        default={},
        description=(
            "IDs of the managed lists per region (`aws route53resolver list-firewall-domain-lists`). "
            "The IDs differ per region and cannot be looked up at synth time; a list without an ID here "
            "is found by name at deploy time by a small read-only function in the network stack."
        ),
    )
    block_response: Literal["NODATA", "NXDOMAIN"] = Field(
        default="NODATA", description="Answer to a blocked query."
    )


class VpnConnection(ConfigModel):
    """A Site-to-Site VPN from the Transit Gateway to an on-premises VPN device."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,49}$", description="Unique name of the connection.")
    region: Region = Field(description="Region of the Transit Gateway it attaches to.")
    customer_gateway_ip: PublicIpv4 = Field(description="Public IPv4 address of the on-premises VPN device.")
    bgp_asn: int = Field(
        ge=1,
        le=4294967294,
        description="BGP ASN of the on-premises device; differs from the Transit Gateway's.",
    )
    bgp: bool = Field(
        default=True,
        description=(
            "Exchange routes with BGP. false: static routes to network.on_premises_cidrs (for devices "
            "without BGP)."
        ),
    )


class NetworkSection(ConfigModel):
    """The hub-and-spoke network: a Transit Gateway in the network account connects the VPCs."""

    organization_id: OrganizationId | None = Field(
        default=None,
        description=(
            "ID of the AWS Organization. Set: the Transit Gateway and the DNS profile are shared with the "
            "whole organization through AWS RAM. Left out: they are shared with each workload and "
            "shared-services account by account ID."
        ),
    )
    transit_gateway: TransitGatewaySettings = Field(
        default=TransitGatewaySettings(), description="Transit Gateway settings."
    )
    vpcs: tuple[Vpc, ...] = Field(
        default=(), description="The IP address plan: every VPC on the Transit Gateway."
    )
    on_premises_cidrs: tuple[Ipv4Cidr, ...] = Field(
        default=(), description="Address ranges of the on-premises network; VPCs may not overlap them."
    )
    egress_allowlist: tuple[Domain, ...] = Field(
        default=(),
        description=(
            "Domains workloads may reach on the internet through the inspection VPC (TLS SNI and HTTP "
            "Host); all other egress is denied. A leading '.' includes subdomains."
        ),
    )
    firewall_rules: tuple[FirewallRule, ...] = Field(
        default=(),
        description=(
            "Flows the inspection firewall lets pass between segments and on-premises. All other traffic "
            "between them is dropped and logged."
        ),
    )
    endpoints: EndpointSettings = Field(default=EndpointSettings(), description="Interface VPC endpoints.")
    dns_firewall: DnsFirewallSettings = Field(default=DnsFirewallSettings(), description="DNS Firewall.")
    vpn: tuple[VpnConnection, ...] = Field(
        default=(),
        description="Site-to-Site VPN connections to on-premises, attached to the Transit Gateway.",
    )

    def transit_gateway_asn(self, region: str, home: str, allowed: tuple[str, ...]) -> int:
        """The Amazon-side ASN of the Transit Gateway in ``region``."""
        others = [r for r in allowed if r != home]
        offset = 0 if region == home else others.index(region) + 1
        return self.transit_gateway.amazon_side_asn + offset


def subnet_groups(vpc: Vpc) -> list[tuple[str, int]]:
    """The subnet groups (name, prefix length) of ``vpc``; raises :class:`ipplan.PlanError`."""
    if vpc.segment == "inspection":
        return list(ipplan.INSPECTION_GROUPS)
    return ipplan.workload_groups(vpc.cidr, vpc.availability_zones, vpc.subnet_prefix)


def check(cfg: LandingZoneConfig) -> list[Problem]:
    """Network checks:

    - VPC names are unique and every VPC is in a known account and an allowed region.
    - An `inspection` VPC is in the account with role network; a `production` VPC is not in
      an account whose environment is nonprod or sandbox, and a `nonproduction` VPC is not in
      a prod account. At most one inspection VPC per region. (A region without one gives its
      spoke VPCs no route anywhere: nothing may leave a segment uninspected.)
    - No two VPCs overlap, no VPC overlaps an on-premises range, and on-premises ranges do not
      overlap each other.
    - The subnets fit each VPC: one subnet per availability zone for each group (inspection:
      3 x /28; others: the private subnets and a /28 transit subnet).
    - `transit_gateway_attachment_id` is only given for VPCs outside the network account, and
      only once.
    - With `endpoints.mode: central`, every region with a spoke VPC has a `shared` VPC in the
      network account for the endpoints.
    - The Transit Gateway ASNs (one per allowed region) are private ASNs; VPN connections are in
      allowed regions, have unique names and customer gateway ASNs that differ from the Transit
      Gateway's and from the ASN AWS reserves in that region.
    - Firewall rules give ports for tcp and udp and none for icmp.
    - The egress allowlist, endpoint services and domain lists have no duplicates; domain list
      IDs are for allowed regions.
    """
    network = cfg.network
    problems: list[Problem] = []
    problems += _vpc_problems(cfg)
    problems += _overlap_problems(cfg)
    problems += _hub_problems(cfg)
    problems += _vpn_problems(cfg)
    problems += _rule_problems(cfg)
    for field, values in (
        ("egress_allowlist", network.egress_allowlist),
        ("endpoints.services", network.endpoints.services),
        ("dns_firewall.managed_domain_lists", network.dns_firewall.managed_domain_lists),
    ):
        for index, first in duplicates(values):
            problems.append(
                Problem(
                    f"network.{field}[{index}]",
                    f"'{values[index]}' is listed twice (also at network.{field}[{first}])",
                    "remove the duplicate",
                )
            )
    for region in network.dns_firewall.domain_list_ids:
        problems += unlisted_region(
            cfg, region, path_of("network", "dns_firewall", "domain_list_ids", region)
        )
    return problems


def _vpc_problems(cfg: LandingZoneConfig) -> list[Problem]:
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
    attachment_ids = [vpc.transit_gateway_attachment_id or "" for vpc in network.vpcs]
    for index, first in duplicates(attachment_ids):
        if attachment_ids[index]:
            problems.append(
                Problem(
                    path_of("network", "vpcs", index, "transit_gateway_attachment_id"),
                    f"{attachment_ids[index]} is also the attachment of network.vpcs[{first}]",
                    "every VPC has its own attachment: copy the ID from that VPC's deployment",
                )
            )
    for index, vpc in enumerate(network.vpcs):
        account = cfg.organization.account(vpc.account)
        if account is None:
            problems += unknown_account(cfg, vpc.account, path_of("network", "vpcs", index, "account"))
        else:
            if problem := _segment_problem(index, vpc, account.role, account.environment):
                problems.append(problem)
            if vpc.transit_gateway_attachment_id and account.role == "network":
                problems.append(
                    Problem(
                        path_of("network", "vpcs", index, "transit_gateway_attachment_id"),
                        f"VPC '{vpc.name}' is in the network account, which attaches it itself",
                        "remove transit_gateway_attachment_id; it is only for VPCs in other accounts",
                    )
                )
        problems += unlisted_region(cfg, vpc.region, path_of("network", "vpcs", index, "region"))
        if vpc.segment == "inspection" and vpc.subnet_prefix is not None:
            problems.append(
                Problem(
                    path_of("network", "vpcs", index, "subnet_prefix"),
                    "an inspection VPC has fixed /28 subnets (NAT, firewall, transit)",
                    "remove subnet_prefix from the inspection VPC",
                )
            )
            continue
        try:
            ipplan.carve(vpc.cidr, subnet_groups(vpc), vpc.availability_zones)
        except ipplan.PlanError as error:
            field = "subnet_prefix" if vpc.subnet_prefix is not None else "cidr"
            problems.append(
                Problem(
                    path_of("network", "vpcs", index, field),
                    f"the subnets of VPC '{vpc.name}' do not fit: {error}",
                    "use a larger CIDR block, fewer availability_zones"
                    + (", or a longer subnet_prefix (smaller subnets)" if field == "subnet_prefix" else ""),
                )
            )
    return problems


def _overlap_problems(cfg: LandingZoneConfig) -> list[Problem]:
    network = cfg.network
    problems: list[Problem] = []
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
    for index, cidr in enumerate(on_premises):
        for other, net in enumerate(on_premises[:index]):
            if cidr.overlaps(net):
                problems.append(
                    Problem(
                        path_of("network", "on_premises_cidrs", index),
                        f"{cidr} overlaps network.on_premises_cidrs[{other}] ({net})",
                        "list each on-premises range once; merge or remove the overlapping one",
                    )
                )
    return problems


def _hub_problems(cfg: LandingZoneConfig) -> list[Problem]:
    """Inspection and endpoint VPCs per region, and the Transit Gateway ASNs."""
    network = cfg.network
    problems: list[Problem] = []
    network_accounts = {a.name for a in cfg.organization.accounts if a.role == "network"}
    inspection_by_region: dict[str, int] = {}
    for index, vpc in enumerate(network.vpcs):
        if vpc.segment != "inspection":
            continue
        if vpc.region in inspection_by_region:
            problems.append(
                Problem(
                    path_of("network", "vpcs", index, "region"),
                    f"{vpc.region} already has an inspection VPC "
                    f"(network.vpcs[{inspection_by_region[vpc.region]}])",
                    "keep one inspection VPC per region; it holds the firewall for the whole region",
                )
            )
        else:
            inspection_by_region[vpc.region] = index
    reported: set[tuple[str, str]] = set()
    for vpc in network.vpcs:
        if vpc.segment not in SPOKE_SEGMENTS:
            continue
        has_endpoint_vpc = any(
            other.segment == "shared" and other.region == vpc.region and other.account in network_accounts
            for other in network.vpcs
        )
        if (
            network.endpoints.mode == "central"
            and not has_endpoint_vpc
            and (vpc.region, "endpoints") not in reported
        ):
            reported.add((vpc.region, "endpoints"))
            problems.append(
                Problem(
                    "network.endpoints.mode",
                    f"endpoints are central, but {vpc.region} has no shared VPC in the network account "
                    "for them",
                    f"add a VPC with segment: shared in the network account in {vpc.region}"
                    + (
                        ""
                        if vpc.region in inspection_by_region
                        else f" (and an inspection VPC: without one the route tables of {vpc.region} stay "
                        "empty)"
                    )
                    + ", or set endpoints.mode: per-vpc",
                )
            )
    for region in cfg.regions.allowed:
        asn = network.transit_gateway_asn(region, cfg.regions.home, cfg.regions.allowed)
        if not any(low <= asn <= high for low, high in PRIVATE_ASN_RANGES):
            problems.append(
                Problem(
                    "network.transit_gateway.amazon_side_asn",
                    f"the Transit Gateway in {region} would get ASN {asn}, which is not a private ASN",
                    "use a private ASN from 64512 to 65534 (or 4200000000 to 4294967294) that leaves room "
                    "for one more per allowed region",
                )
            )
    return problems


def _vpn_problems(cfg: LandingZoneConfig) -> list[Problem]:
    network = cfg.network
    problems: list[Problem] = []
    for index, first in duplicates(v.name for v in network.vpn):
        problems.append(
            Problem(
                path_of("network", "vpn", index, "name"),
                f"VPN name '{network.vpn[index].name}' is also used by network.vpn[{first}]",
                "give every VPN connection its own name",
            )
        )
    for index, vpn in enumerate(network.vpn):
        problems += unlisted_region(cfg, vpn.region, path_of("network", "vpn", index, "region"))
        if vpn.region in cfg.regions.allowed:
            tgw_asn = network.transit_gateway_asn(vpn.region, cfg.regions.home, cfg.regions.allowed)
            if vpn.bgp_asn == tgw_asn:
                problems.append(
                    Problem(
                        path_of("network", "vpn", index, "bgp_asn"),
                        f"{vpn.bgp_asn} is also the ASN of the Transit Gateway in {vpn.region}",
                        "use the ASN of the on-premises network; BGP needs two different ASNs",
                    )
                )
        if RESERVED_CUSTOMER_ASNS.get(vpn.region) == vpn.bgp_asn:
            problems.append(
                Problem(
                    path_of("network", "vpn", index, "bgp_asn"),
                    f"AWS reserves ASN {vpn.bgp_asn} in {vpn.region}",
                    "use another ASN for the customer gateway, such as a private ASN from 64512 to 65534",
                )
            )
        if not vpn.bgp and not network.on_premises_cidrs:
            problems.append(
                Problem(
                    path_of("network", "vpn", index, "bgp"),
                    "a VPN without BGP needs static routes, but network.on_premises_cidrs is empty",
                    "list the on-premises ranges in network.on_premises_cidrs, or set bgp: true",
                )
            )
    return problems


def _rule_problems(cfg: LandingZoneConfig) -> list[Problem]:
    problems: list[Problem] = []
    for index, rule in enumerate(cfg.network.firewall_rules):
        if rule.protocol in ("tcp", "udp") and not rule.ports:
            problems.append(
                Problem(
                    path_of("network", "firewall_rules", index, "ports"),
                    f"a {rule.protocol} rule without ports would allow every port",
                    "list the destination ports the flow needs, such as [443]",
                )
            )
        if rule.protocol == "icmp" and rule.ports:
            problems.append(
                Problem(
                    path_of("network", "firewall_rules", index, "ports"),
                    "icmp has no ports",
                    "remove ports from the icmp rule",
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
