"""Amazon EC2 and VPC rules: security groups, flow logs, EBS, launch templates, subnets.

Measures: 8.20.02 (management interfaces are kept apart from the user network: no SSH/RDP
from the internet), 5.15.01 (access to the trusted zone only from authenticated sources),
8.22.01 (separated network groups keep their defined security level), 8.16.04 and
8.21.02 (network traffic is logged and can be analysed), 8.24.04 (EBS encryption).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping
from typing import Any

from bio2_aspects.messages import msg

from ._helpers import (
    Unverifiable,
    covers_internet,
    is_intrinsic,
    items,
    lookup,
    parse_cidr,
    public_addresses,
    synth_time,
    to_bool,
    to_int,
    to_str,
)
from .base import Level, Outcome, Resource, Result, refers_to, rule

SECURITY_GROUP = "AWS::EC2::SecurityGroup"
SG_INGRESS = "AWS::EC2::SecurityGroupIngress"
VPC = "AWS::EC2::VPC"
FLOW_LOG = "AWS::EC2::FlowLog"
VOLUME = "AWS::EC2::Volume"
LAUNCH_TEMPLATE = "AWS::EC2::LaunchTemplate"
SUBNET = "AWS::EC2::Subnet"
PREFIX_LIST = "AWS::EC2::PrefixList"
RESTRICT_DEFAULT_SG = "Custom::VpcRestrictDefaultSG"  # what CDK's restrictDefaultSecurityGroup creates

OPEN_CIDRS = frozenset({"0.0.0.0/0", "::/0"})
#: Ports of remote administration and management interfaces: SSH (22, and the common alternative
#: 2222), Telnet (23), SNMP (161), IPMI (623), Docker API (2375/2376), RDP (3389), VNC (5900),
#: WinRM (5985/5986), Kubernetes API (6443) and kubelet (10250). Any port range or protocol that
#: includes one of them exposes it.
ADMIN_PORTS = (22, 23, 161, 623, 2222, 2375, 2376, 3389, 5900, 5985, 5986, 6443, 10250)
_ALL_PROTOCOLS = frozenset({"-1", "all"})
_PORT_PROTOCOLS = frozenset({"tcp", "udp", "6", "17"})

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _sources(entry: Mapping[str, Any], where: str, res: Resource) -> list[Network]:
    """The CIDR sources an ingress entry admits: its CidrIp/CidrIpv6, and the entries of a customer
    managed prefix list (AWS::EC2::PrefixList) of the same template that it names. Security groups
    and prefix lists defined elsewhere are not CIDRs the template shows.

    Raises :class:`Unverifiable` when a CIDR is an intrinsic.
    """
    found: list[Network] = []
    for key in ("CidrIp", "CidrIpv6"):
        value = entry.get(key)
        if value is None:
            continue
        cidr = to_str(value, f"{where}.{key}")
        if cidr is not None:
            found.append(parse_cidr(cidr, f"{where}.{key}"))
    prefix_list = entry.get("SourcePrefixListId")
    if prefix_list is not None:
        for pl in res.stack.of_type(PREFIX_LIST):
            if not refers_to(prefix_list, pl.logical_id):
                continue
            pwhere = f"{pl.logical_id}.Entries"
            for i, pl_entry in enumerate(items(pl.properties.get("Entries"), pwhere)):
                cidr = to_str(lookup(pl_entry, "Cidr", where=f"{pwhere}[{i}]"), f"{pwhere}[{i}].Cidr")
                if cidr is not None:
                    found.append(parse_cidr(cidr, f"{pwhere}[{i}].Cidr"))
    return found


def _port_range(entry: Mapping[str, Any], where: str) -> tuple[str, int, int]:
    """(protocol, from, to) with absent or -1 ports meaning the full range."""
    proto = (to_str(entry.get("IpProtocol"), f"{where}.IpProtocol") or "").lower()
    low = to_int(entry.get("FromPort"), f"{where}.FromPort")
    high = to_int(entry.get("ToPort"), f"{where}.ToPort")
    low = 0 if low is None or low < 0 else low
    high = 65535 if high is None or high < 0 else high
    return proto, low, high


def _admin_ports(proto: str, low: int, high: int) -> list[str]:
    """The admin ports an entry's protocol and port range include (as labels)."""
    if proto in _ALL_PROTOCOLS:
        return [f"all/{p}" for p in ADMIN_PORTS]
    if proto in _PORT_PROTOCOLS:
        return [f"{proto}/{p}" for p in ADMIN_PORTS if low <= p <= high]
    return []


def _all_ports(proto: str, low: int, high: int) -> list[str]:
    if proto in _ALL_PROTOCOLS:
        return ["all traffic"]
    if proto in _PORT_PROTOCOLS and low == 0 and high == 65535:
        return ["all traffic"]
    return []


def _ingress_entries(res: Resource) -> list[tuple[Any, str]]:
    """A group's inline rules and its standalone ingress resources, or a standalone
    AWS::EC2::SecurityGroupIngress itself."""
    entries: list[tuple[Any, str]] = []
    if res.type == SG_INGRESS:
        entries.append((res.properties, res.logical_id))
    else:
        for i, entry in enumerate(items(res.properties.get("SecurityGroupIngress"), "SecurityGroupIngress")):
            entries.append((entry, f"SecurityGroupIngress[{i}]"))
        for ingress in res.stack.referrers(res.logical_id, "GroupId", SG_INGRESS):
            entries.append((ingress.properties, f"{SG_INGRESS} {ingress.logical_id}"))
    return entries


def _exposures(res: Resource, ports_of: Callable[[str, int, int], list[str]]) -> list[str]:
    """Findings where the entries that reach a port (as ``ports_of`` labels it) together admit the
    internet: one open entry (0.0.0.0/0), or several that cover it between them (0.0.0.0/1 and
    128.0.0.0/1), IPv4 or IPv6.

    An entry whose source is an intrinsic matters only when its ports match, and one whose ports are
    an intrinsic only when its source is public; definite findings win over unverifiable entries.
    """
    by_port: dict[str, list[tuple[Network, str]]] = {}
    pending: Unverifiable | None = None
    for entry, where in _ingress_entries(res):
        try:
            if not isinstance(entry, Mapping) or is_intrinsic(entry):
                raise Unverifiable(where, entry)
            try:
                sources, source_error = _sources(entry, where, res), None
            except Unverifiable as exc:
                sources, source_error = [], exc
            if not sources and source_error is None:
                continue
            try:
                ports, ports_error = ports_of(*_port_range(entry, where)), None
            except Unverifiable as exc:
                ports, ports_error = [], exc
            if ports_error is not None and (source_error is not None or covers_internet(sources)):
                raise ports_error
            if source_error is not None and ports:
                raise source_error
        except Unverifiable as exc:
            pending = pending or exc
            continue
        for port in ports:
            by_port.setdefault(port, []).extend((net, where) for net in sources)
    found: list[str] = []
    for port, pairs in by_port.items():
        if covers_internet([net for net, _ in pairs]):
            wheres = sorted({w for net, w in pairs if any(public_addresses([net]))})
            sources = ", ".join(sorted({str(net) for net, _ in pairs}))
            found.append(msg("rule.ec2.open_port", port=str(port), sources=str(sources), wheres_list=wheres))
    if not found and pending is not None:
        raise pending
    return found


def _summary(found: list[str], limit: int = 4) -> str:
    extra = f"; and {len(found) - limit} more" if len(found) > limit else ""
    return "; ".join(found[:limit]) + extra


@rule(
    "BIO2-EC2-SgNoPublicAdminPorts",
    types=[SECURITY_GROUP, SG_INGRESS],
    finding="Security group admits the internet to an administration port (SSH, RDP, WinRM, VNC...)",
    fix="Remove the open ingress; administer through SSM Session Manager or a bastion reachable only "
    "from the management network",
)
@synth_time
def sg_no_public_admin_ports(res: Resource) -> Outcome:
    """No ingress from the internet to any port in ``ADMIN_PORTS`` (port ranges and all-protocol
    rules included). "The internet" is any set of CIDRs that together admits more than a /16 of
    public IPv4 or a /48 of public IPv6 space, so split ranges count as open.

    For a group, its standalone AWS::EC2::SecurityGroupIngress resources count too.
    """
    found = _exposures(res, _admin_ports)
    if found:
        return Result.NON_COMPLIANT, _summary(found)
    return Result.COMPLIANT


@rule(
    "BIO2-EC2-SgNoPublicAllTraffic",
    types=[SECURITY_GROUP, SG_INGRESS],
    finding="Security group admits the internet on all ports or all protocols",
    fix="Allow only the ports the service needs, from the sources that need them",
)
@synth_time
def sg_no_public_all_traffic(res: Resource) -> Outcome:
    """No ingress from the internet (as in BIO2-EC2-SgNoPublicAdminPorts) with IpProtocol -1 or the
    full TCP/UDP port range."""
    found = _exposures(res, _all_ports)
    if found:
        return Result.NON_COMPLIANT, _summary(found)
    return Result.COMPLIANT


@rule(
    "BIO2-EC2-VpcFlowLogs",
    types=[VPC],
    finding="VPC has no flow log capturing all traffic",
    fix="Add an AWS::EC2::FlowLog for the VPC with TrafficType ALL (CDK: flow_logs=...)",
)
@synth_time
def vpc_flow_logs(res: Resource) -> Outcome:
    """An AWS::EC2::FlowLog in the template targets this VPC with TrafficType ALL."""
    partial = []
    for flow in res.stack.referrers(res.logical_id, "ResourceId", FLOW_LOG):
        traffic = to_str(flow.properties.get("TrafficType"), f"{flow.logical_id}.TrafficType")
        if traffic == "ALL":
            return Result.COMPLIANT, msg("rule.ec2.flow_log", flow_log=flow.logical_id)
        partial.append(msg("rule.ec2.flow_partial", flow_log=flow.logical_id, traffic=repr(traffic)))
    if partial:
        return Result.NON_COMPLIANT, msg("rule.findings", findings_list=partial)
    return Result.NON_COMPLIANT, msg("rule.ec2.no_flow_log")


@rule(
    "BIO2-EC2-DefaultSgRestricted",
    types=[VPC],
    level=Level.WARNING,
    finding="The VPC's default security group is not stripped of its rules",
    fix="Set restrict_default_security_group=True on the CDK Vpc (creates Custom::VpcRestrictDefaultSG)",
)
def vpc_default_sg_restricted(res: Resource) -> Outcome:
    """The default security group's allow rules are removed (CDK Custom::VpcRestrictDefaultSG).

    CloudFormation cannot describe the default group itself; the custom resource that
    revokes its rules, pointing at this VPC's DefaultSecurityGroup, is the evidence.
    """
    if res.stack.referrers(res.logical_id, "DefaultSecurityGroupId", RESTRICT_DEFAULT_SG):
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, msg("rule.ec2.default_sg", resource=RESTRICT_DEFAULT_SG)


@rule(
    "BIO2-EC2-EbsEncryption",
    types=[VOLUME],
    finding="EBS volume is not encrypted",
    fix="Set Encrypted to true (preferably with a customer managed KmsKeyId)",
)
@synth_time
def ebs_encrypted(res: Resource) -> Outcome:
    """The volume is encrypted (account-level default encryption is not visible in the template)."""
    if to_bool(res.properties.get("Encrypted"), "Encrypted") is True:
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, msg("rule.not_true", where="Encrypted")


@rule(
    "BIO2-EC2-LaunchTemplateImdsv2",
    types=[LAUNCH_TEMPLATE],
    finding="Launch template does not require IMDSv2 session tokens",
    fix="Set LaunchTemplateData.MetadataOptions.HttpTokens to required (CDK: require_imdsv2=True)",
)
@synth_time
def launch_template_imdsv2(res: Resource) -> Outcome:
    """Instances must use IMDSv2 (HttpTokens required) or have the metadata endpoint disabled."""
    opts = lookup(res.properties, "LaunchTemplateData", "MetadataOptions")
    where = "LaunchTemplateData.MetadataOptions"
    if opts is None:
        return Result.NON_COMPLIANT, msg("rule.ec2.imdsv1", where=where)
    tokens = to_str(lookup(opts, "HttpTokens", where=where), f"{where}.HttpTokens")
    endpoint = to_str(lookup(opts, "HttpEndpoint", where=where), f"{where}.HttpEndpoint")
    if tokens == "required" or endpoint == "disabled":
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, msg("rule.is", where=f"{where}.HttpTokens", value=repr(tokens))


@rule(
    "BIO2-EC2-SubnetNoAutoPublicIp",
    types=[SUBNET],
    level=Level.WARNING,
    finding="Subnet assigns public IPv4 addresses to instances automatically",
    fix="Set MapPublicIpOnLaunch to false; put internet-facing entry points behind load balancers or NAT",
)
@synth_time
def subnet_no_auto_public_ip(res: Resource) -> Outcome:
    """MapPublicIpOnLaunch is not true (absent means false)."""
    if to_bool(res.properties.get("MapPublicIpOnLaunch"), "MapPublicIpOnLaunch") is True:
        return Result.NON_COMPLIANT, msg("rule.is", where="MapPublicIpOnLaunch", value="true")
    return Result.COMPLIANT
