"""Amazon EC2 and VPC rules: security groups, flow logs, EBS, launch templates, subnets.

Measures: 8.20.02 (management interfaces are kept apart from the user network: no SSH/RDP
from the internet), 5.15.01 (access to the trusted zone only from authenticated sources),
8.22.01 (separated network groups keep their defined security level), 8.16.04 and
8.21.02 (network traffic is logged and can be analysed), 8.24.04 (EBS encryption).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ._helpers import Unverifiable, is_intrinsic, items, lookup, synth_time, to_bool, to_int, to_str
from .base import Level, Outcome, Resource, Result, refers_to, rule

SECURITY_GROUP = "AWS::EC2::SecurityGroup"
SG_INGRESS = "AWS::EC2::SecurityGroupIngress"
VPC = "AWS::EC2::VPC"
FLOW_LOG = "AWS::EC2::FlowLog"
VOLUME = "AWS::EC2::Volume"
LAUNCH_TEMPLATE = "AWS::EC2::LaunchTemplate"
SUBNET = "AWS::EC2::Subnet"
RESTRICT_DEFAULT_SG = "Custom::VpcRestrictDefaultSG"  # what CDK's restrictDefaultSecurityGroup creates

OPEN_CIDRS = frozenset({"0.0.0.0/0", "::/0"})
ADMIN_PORTS = (22, 3389)
_ALL_PROTOCOLS = frozenset({"-1", "all"})
_PORT_PROTOCOLS = frozenset({"tcp", "udp", "6", "17"})


def _open_source(entry: Mapping[str, Any], where: str) -> str | None:
    """The open CIDR (0.0.0.0/0 or ::/0) an ingress entry admits, if any.

    Raises :class:`Unverifiable` when the CIDR is an intrinsic. Prefix lists and source
    security groups are not CIDRs and are not treated as open.
    """
    for key in ("CidrIp", "CidrIpv6"):
        value = entry.get(key)
        if value is None:
            continue
        cidr = to_str(value, f"{where}.{key}")
        if cidr is not None and cidr.strip() in OPEN_CIDRS:
            return cidr.strip()
    return None


def _port_range(entry: Mapping[str, Any], where: str) -> tuple[str, int, int]:
    """(protocol, from, to) with absent or -1 ports meaning the full range."""
    proto = (to_str(entry.get("IpProtocol"), f"{where}.IpProtocol") or "").lower()
    low = to_int(entry.get("FromPort"), f"{where}.FromPort")
    high = to_int(entry.get("ToPort"), f"{where}.ToPort")
    low = 0 if low is None or low < 0 else low
    high = 65535 if high is None or high < 0 else high
    return proto, low, high


def _exposure(
    entry: Mapping[str, Any], where: str, ports_match: Callable[[str, int, int], str | None]
) -> str | None:
    """A finding when ``entry`` admits the internet to ports selected by ``ports_match``.

    Each half (source, ports) is read independently, so an intrinsic on one half only
    matters when the other half does not already rule the entry out.
    """
    try:
        cidr = _open_source(entry, where)
        cidr_error = None
    except Unverifiable as exc:
        cidr, cidr_error = None, exc
    if cidr is None and cidr_error is None:
        return None
    try:
        what = ports_match(*_port_range(entry, where))
        ports_error = None
    except Unverifiable as exc:
        what, ports_error = None, exc
    if what is None and ports_error is None:
        return None
    if cidr_error is not None:
        raise cidr_error
    if ports_error is not None:
        raise ports_error
    return f"{where}: {what} from {cidr}"


def _admin_ports(proto: str, low: int, high: int) -> str | None:
    if proto in _ALL_PROTOCOLS:
        return "all traffic (IpProtocol -1)"
    if proto in _PORT_PROTOCOLS:
        exposed = [p for p in ADMIN_PORTS if low <= p <= high]
        if exposed:
            return f"{proto} {low}-{high} (admin port {', '.join(map(str, exposed))})"
    return None


def _all_ports(proto: str, low: int, high: int) -> str | None:
    if proto in _ALL_PROTOCOLS:
        return "all traffic (IpProtocol -1)"
    if proto in _PORT_PROTOCOLS and low == 0 and high == 65535:
        return f"all {proto} ports"
    return None


def _admin_port_exposure(entry: Mapping[str, Any], where: str) -> str | None:
    return _exposure(entry, where, _admin_ports)


def _all_traffic_exposure(entry: Mapping[str, Any], where: str) -> str | None:
    return _exposure(entry, where, _all_ports)


def _ingress_findings(res: Resource, check: Callable[[Mapping[str, Any], str], str | None]) -> list[str]:
    """Apply ``check`` to a group's inline rules and its standalone ingress resources,
    or to a standalone AWS::EC2::SecurityGroupIngress itself.

    Definite findings win over unverifiable entries; when there are none, the first
    unverifiable entry is raised.
    """
    entries: list[tuple[Any, str]] = []
    if res.type == SG_INGRESS:
        entries.append((res.properties, res.logical_id))
    else:
        for i, entry in enumerate(items(res.properties.get("SecurityGroupIngress"), "SecurityGroupIngress")):
            entries.append((entry, f"SecurityGroupIngress[{i}]"))
        for ingress in res.stack.of_type(SG_INGRESS):
            if refers_to(ingress.properties.get("GroupId"), res.logical_id):
                entries.append((ingress.properties, f"{SG_INGRESS} {ingress.logical_id}"))
    out: list[str] = []
    pending: Unverifiable | None = None
    for entry, where in entries:
        try:
            if not isinstance(entry, Mapping) or is_intrinsic(entry):
                raise Unverifiable(where, entry)
            found = check(entry, where)
        except Unverifiable as exc:
            pending = pending or exc
            continue
        if found:
            out.append(found)
    if not out and pending is not None:
        raise pending
    return out


@rule(
    "BIO2-EC2-SgNoPublicAdminPorts",
    types=[SECURITY_GROUP, SG_INGRESS],
    finding="Security group allows SSH (22) or RDP (3389) from 0.0.0.0/0 or ::/0",
    fix="Remove the open ingress; administer through SSM Session Manager or a bastion reachable only "
    "from the management network",
)
@synth_time
def sg_no_public_admin_ports(res: Resource) -> Outcome:
    """No ingress from anywhere to the admin ports 22 and 3389 (or to all traffic).

    For a group, its standalone AWS::EC2::SecurityGroupIngress resources count too.
    """
    found = _ingress_findings(res, _admin_port_exposure)
    if found:
        return Result.NON_COMPLIANT, "; ".join(found)
    return Result.COMPLIANT


@rule(
    "BIO2-EC2-SgNoPublicAllTraffic",
    types=[SECURITY_GROUP, SG_INGRESS],
    finding="Security group allows all ports or all protocols from 0.0.0.0/0 or ::/0",
    fix="Allow only the ports the service needs, from the sources that need them",
)
@synth_time
def sg_no_public_all_traffic(res: Resource) -> Outcome:
    """No ingress from anywhere with IpProtocol -1 or the full TCP/UDP port range."""
    found = _ingress_findings(res, _all_traffic_exposure)
    if found:
        return Result.NON_COMPLIANT, "; ".join(found)
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
    for flow in res.stack.of_type(FLOW_LOG):
        if not refers_to(flow.properties.get("ResourceId"), res.logical_id):
            continue
        traffic = to_str(flow.properties.get("TrafficType"), f"{flow.logical_id}.TrafficType")
        if traffic == "ALL":
            return Result.COMPLIANT, f"flow log {flow.logical_id}"
        partial.append(f"{flow.logical_id} captures {traffic!r} only")
    if partial:
        return Result.NON_COMPLIANT, "; ".join(partial)
    return Result.NON_COMPLIANT, "no AWS::EC2::FlowLog references this VPC"


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
    for custom in res.stack.of_type(RESTRICT_DEFAULT_SG):
        if refers_to(custom.properties.get("DefaultSecurityGroupId"), res.logical_id):
            return Result.COMPLIANT
    return Result.NON_COMPLIANT, f"no {RESTRICT_DEFAULT_SG} resource for this VPC's default security group"


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
    return Result.NON_COMPLIANT, "Encrypted is not true"


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
        return Result.NON_COMPLIANT, f"{where} is not set (IMDSv1 stays available)"
    tokens = to_str(lookup(opts, "HttpTokens", where=where), f"{where}.HttpTokens")
    endpoint = to_str(lookup(opts, "HttpEndpoint", where=where), f"{where}.HttpEndpoint")
    if tokens == "required" or endpoint == "disabled":
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, f"{where}.HttpTokens is {tokens!r}"


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
        return Result.NON_COMPLIANT, "MapPublicIpOnLaunch is true"
    return Result.COMPLIANT
