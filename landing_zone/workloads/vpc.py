"""``WorkloadVpc``: the VPC an app team gets, already wired into the landing zone network.

Private subnets only: no internet gateway, no NAT gateway, no public subnet, no public IP. The
only way out is the Transit Gateway attachment to the VPC's segment, whose route tables lead to
the inspection VPC (AWS Network Firewall, default drop) for the internet, on-premises and every
other segment. Flow logs capture all traffic; the default security group has no rules.

Built from CloudFormation resources (L1) rather than ``ec2.Vpc``: the L2 VPC asks for the
account's availability zones through a context look-up, which the landing zone forbids. App
teams still get an ``ec2.IVpc`` (:attr:`WorkloadVpc.vpc`) to place their resources in.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_route53profiles as route53profiles
from aws_cdk import aws_route53resolver as route53resolver
from constructs import Construct

from landing_zone.nag import acknowledge_nag
from landing_zone.network import ipplan
from landing_zone.network.helper import NetworkHelper, encrypted_log_group

SEGMENTS = ("production", "nonproduction", "shared")
"""Segments a WorkloadVpc can join (the inspection segment is the network account's own)."""

SEGMENT_TAG = "lz:segment"

DEFAULT_RATINGS: Mapping[str, Mapping[str, str]] = {
    "production": {"confidentiality": "medium", "integrity": "high", "availability": "high"},
    "nonproduction": {"confidentiality": "low", "integrity": "medium", "availability": "low"},
    "shared": {"confidentiality": "medium", "integrity": "high", "availability": "high"},
}
"""Fallback BIV rating per segment, applied with a low tag priority: a rating the stack or app
already tags wins. Pass ``classification=`` to set the VPC's own rating."""

_CLASSIFICATION_TAGS = {
    "confidentiality": "bio2:confidentiality",
    "integrity": "bio2:integrity",
    "availability": "bio2:availability",
}
_TGW_ID = re.compile(r"^tgw-[0-9a-f]{8,17}$")
_LEVELS = ("low", "medium", "high")


@dataclass(frozen=True)
class FlowLogDestination:
    """Where the VPC's flow logs go: the landing zone's log archive bucket, or an encrypted log group."""

    bucket_name: str | None = None
    prefix: str = "flow-logs/"

    @classmethod
    def bucket(cls, bucket_name: str, prefix: str = "flow-logs/") -> FlowLogDestination:
        """Deliver to S3, e.g. ``landing_zone.naming.log_archive_bucket_name(config)`` (its bucket policy
        must admit the account's flow logs under ``prefix``)."""
        if not prefix.endswith("/"):
            raise ValueError(f"flow log prefix '{prefix}' must end with '/'")
        return cls(bucket_name=bucket_name, prefix=prefix)

    @classmethod
    def log_group(cls) -> FlowLogDestination:
        """Deliver to a new CloudWatch log group: KMS-encrypted, kept 365 days, retained on delete."""
        return cls()


class WorkloadVpc(Construct):
    """A private VPC attached to the landing zone's Transit Gateway.

    Args:
        cidr: the VPC's block from the IP address plan (``network.vpcs`` in landing-zone.yaml).
        transit_gateway_id: the Transit Gateway of the region (output ``TransitGatewayId`` of the
            network stack ``lz-network-<region>``), shared with the account through AWS RAM.
        segment: ``production``, ``nonproduction`` or ``shared``; the network account associates the
            attachment with that segment's route table once its ID is in the configuration.
        availability_zones: 2 or 3 (zones a, b, c of the region).
        subnet_prefix: size of the private subnets; default: the largest that fits.
        flow_logs: :class:`FlowLogDestination`; default: an encrypted log group.
        dns_profile_id: the Route 53 Profile shared by the network account (DNS Firewall and the
            private zones of the central endpoints): associated with this VPC.
        dns_firewall_rule_group_id: associate a shared DNS Firewall rule group directly instead.
        endpoint_services: interface endpoints to create in this VPC (``endpoints.mode: per-vpc``),
            such as ``["ssm", "sts"]``.
        classification: BIV rating, e.g. ``{"confidentiality": "high", "integrity": "high",
            "availability": "medium"}``; default: the segment's fallback rating.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        cidr: str,
        transit_gateway_id: str,
        segment: str,
        availability_zones: int = 3,
        subnet_prefix: int | None = None,
        flow_logs: FlowLogDestination | None = None,
        dns_profile_id: str | None = None,
        dns_firewall_rule_group_id: str | None = None,
        endpoint_services: Sequence[str] = (),
        classification: Mapping[str, str] | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        _validate(construct_id, cidr, transit_gateway_id, segment, availability_zones, classification)
        self.segment = segment
        self.cidr = cidr
        self.vpc_name = name or construct_id
        try:
            groups = ipplan.workload_groups(cidr, availability_zones, subnet_prefix)
            plan = ipplan.carve(cidr, groups, availability_zones)
        except ipplan.PlanError as error:
            raise ValueError(f"WorkloadVpc '{construct_id}': {error}") from None
        self.availability_zone_names = _availability_zones(availability_zones)

        self.cfn_vpc = ec2.CfnVPC(
            self,
            "Vpc",
            cidr_block=cidr,
            enable_dns_hostnames=True,
            enable_dns_support=True,
            tags=[cdk.CfnTag(key="Name", value=self.vpc_name)],
        )
        self.vpc_id = self.cfn_vpc.ref

        self.subnets: dict[str, list[ec2.CfnSubnet]] = {}
        self.route_tables: dict[str, list[ec2.CfnRouteTable]] = {}
        for item in plan:
            label = f"{item.group.capitalize()}{'abc'[item.az_index].upper()}"
            subnet = ec2.CfnSubnet(
                self,
                f"{label}Subnet",
                vpc_id=self.vpc_id,
                cidr_block=item.cidr,
                availability_zone=self.availability_zone_names[item.az_index],
                map_public_ip_on_launch=False,
                tags=[cdk.CfnTag(key="Name", value=f"{self.vpc_name}-{item.group}-{'abc'[item.az_index]}")],
            )
            table = ec2.CfnRouteTable(
                self,
                f"{label}RouteTable",
                vpc_id=self.vpc_id,
                tags=[cdk.CfnTag(key="Name", value=f"{self.vpc_name}-{item.group}-{'abc'[item.az_index]}")],
            )
            ec2.CfnSubnetRouteTableAssociation(
                self, f"{label}RouteTableAssociation", subnet_id=subnet.ref, route_table_id=table.ref
            )
            self.subnets.setdefault(item.group, []).append(subnet)
            self.route_tables.setdefault(item.group, []).append(table)

        self.attachment = ec2.CfnTransitGatewayVpcAttachment(
            self,
            "TransitGatewayAttachment",
            transit_gateway_id=transit_gateway_id,
            vpc_id=self.vpc_id,
            subnet_ids=[s.ref for s in self.subnets["transit"]],
            options={"ApplianceModeSupport": "disable", "DnsSupport": "enable"},
            tags=[
                cdk.CfnTag(key="Name", value=self.vpc_name),
                cdk.CfnTag(key=SEGMENT_TAG, value=segment),
            ],
        )
        self.attachment_id = self.attachment.ref
        # Everything that is not in this VPC goes to the Transit Gateway; the segment's route table
        # there sends it on to the inspection VPC. No other way out exists.
        for index, table in enumerate(self.route_tables["private"]):
            route = ec2.CfnRoute(
                self,
                f"PrivateDefaultRoute{'ABC'[index]}",
                route_table_id=table.ref,
                destination_cidr_block="0.0.0.0/0",
                transit_gateway_id=transit_gateway_id,
            )
            route.node.add_dependency(self.attachment)

        self.flow_log = self._flow_log(flow_logs or FlowLogDestination.log_group())
        NetworkHelper.of(self).restrict_default_security_group(self, self.cfn_vpc)

        if dns_profile_id:
            route53profiles.CfnProfileAssociation(
                self,
                "DnsProfile",
                name=f"{self.vpc_name}-dns",
                profile_id=dns_profile_id,
                resource_id=self.vpc_id,
            )
        if dns_firewall_rule_group_id:
            route53resolver.CfnFirewallRuleGroupAssociation(
                self,
                "DnsFirewall",
                firewall_rule_group_id=dns_firewall_rule_group_id,
                vpc_id=self.vpc_id,
                priority=200,
                name=f"{self.vpc_name}-dns-firewall",
            )
        self.endpoints = self._endpoints(endpoint_services)

        self.rating = dict(classification or DEFAULT_RATINGS[segment])
        tag_resources(
            self, {**_rating_tags(self.rating), SEGMENT_TAG: segment}, 150 if classification else 50
        )
        NetworkHelper.of(self).raise_rating(self.rating)

        private = self.subnets["private"]
        self.vpc: ec2.IVpc = ec2.Vpc.from_vpc_attributes(
            self,
            "View",
            vpc_id=self.vpc_id,
            vpc_cidr_block=cidr,
            availability_zones=self.availability_zone_names,
            isolated_subnet_ids=[s.ref for s in private],
            isolated_subnet_ipv4_cidr_blocks=[s.cidr_block for s in private],
            isolated_subnet_route_table_ids=[t.ref for t in self.route_tables["private"]],
            isolated_subnet_names=["private"],
        )
        """The VPC for app resources (``vpc_subnets=ec2.SubnetSelection(subnet_group_name="private")``)."""

    def _flow_log(self, destination: FlowLogDestination) -> ec2.CfnFlowLog:
        stack = cdk.Stack.of(self)
        if destination.bucket_name:
            return ec2.CfnFlowLog(
                self,
                "FlowLog",
                resource_id=self.vpc_id,
                resource_type="VPC",
                traffic_type="ALL",
                log_destination_type="s3",
                log_destination=f"arn:{stack.partition}:s3:::{destination.bucket_name}/{destination.prefix}",
                max_aggregation_interval=60,
                tags=[cdk.CfnTag(key="Name", value=self.vpc_name)],
            )
        log_group = encrypted_log_group(self, "FlowLogGroup")
        role = iam.Role(
            self,
            "FlowLogRole",
            assumed_by=iam.ServicePrincipal(
                "vpc-flow-logs.amazonaws.com",
                conditions={
                    "StringEquals": {"aws:SourceAccount": stack.account},
                    "ArnLike": {
                        "aws:SourceArn": (
                            f"arn:{stack.partition}:ec2:{stack.region}:{stack.account}:vpc-flow-log/*"
                        )
                    },
                },
            ),
            description="VPC flow log delivery to its log group",
        )
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                resources=[log_group.log_group_arn, f"{log_group.log_group_arn}:*"],
            )
        )
        acknowledge_nag(
            role,
            "AwsSolutions-IAM5",
            "VPC Flow Logs creates its log streams at run time with generated names: the role may write "
            "to any stream of this VPC's own flow log group only.",
            findings=[f"Resource::<{cdk.Stack.of(self).get_logical_id(log_group.node.default_child)}.Arn>:*"],
        )
        flow_log = ec2.CfnFlowLog(
            self,
            "FlowLog",
            resource_id=self.vpc_id,
            resource_type="VPC",
            traffic_type="ALL",
            log_destination_type="cloud-watch-logs",
            log_destination=log_group.log_group_arn,
            deliver_logs_permission_arn=role.role_arn,
            max_aggregation_interval=60,
            tags=[cdk.CfnTag(key="Name", value=self.vpc_name)],
        )
        flow_log.node.add_dependency(role)
        return flow_log

    def _endpoints(self, services: Sequence[str]) -> dict[str, ec2.CfnVPCEndpoint]:
        if not services:
            return {}
        stack = cdk.Stack.of(self)
        group = endpoint_security_group(self, "EndpointSecurityGroup", self.vpc_id, [self.cidr])
        out: dict[str, ec2.CfnVPCEndpoint] = {}
        for service in sorted(set(services)):
            out[service] = ec2.CfnVPCEndpoint(
                self,
                f"Endpoint{_camel(service)}",
                vpc_id=self.vpc_id,
                service_name=f"com.amazonaws.{stack.region}.{service}",
                vpc_endpoint_type="Interface",
                private_dns_enabled=True,
                subnet_ids=[s.ref for s in self.subnets["private"]],
                security_group_ids=[group.attr_group_id],
            )
        return out


def endpoint_security_group(
    scope: Construct, construct_id: str, vpc_id: str, client_cidrs: Sequence[str]
) -> ec2.CfnSecurityGroup:
    """HTTPS from ``client_cidrs`` to interface endpoints; no egress (endpoints only answer)."""
    return ec2.CfnSecurityGroup(
        scope,
        construct_id,
        vpc_id=vpc_id,
        group_description="Interface endpoints: HTTPS from the landing zone networks",
        security_group_ingress=[
            ec2.CfnSecurityGroup.IngressProperty(
                ip_protocol="tcp", from_port=443, to_port=443, cidr_ip=cidr, description="HTTPS to AWS APIs"
            )
            for cidr in sorted(client_cidrs)
        ],
        # An explicit rule that matches nothing replaces the default allow-all egress.
        security_group_egress=[
            ec2.CfnSecurityGroup.EgressProperty(
                ip_protocol="icmp",
                from_port=252,
                to_port=86,
                cidr_ip="255.255.255.255/32",
                description="No egress: endpoints only answer requests",
            )
        ],
    )


def tag_resources(scope: Construct, tags: Mapping[str, str], priority: int) -> None:
    """Set ``tags`` on every taggable resource below ``scope`` right away (not through an aspect).

    The BIO2 tagger reads a stack's resources when it visits the stack node, before aspects on
    nodes further down run, so tags added with ``Tags.of(construct)`` would come too late for it.
    Priority 50 is a fallback: the usual tag priority (100, e.g. the landing zone's stack-level
    classification) wins over it; 150 overrides it.
    """
    for node in scope.node.find_all():
        if isinstance(node, cdk.CfnResource):
            manager = cdk.TagManager.of(node)
            if manager is not None:
                for key, value in tags.items():
                    manager.set_tag(key, value, priority, True)


def _rating_tags(rating: Mapping[str, str]) -> dict[str, str]:
    return {tag: rating[field] for field, tag in _CLASSIFICATION_TAGS.items()}


def _camel(service: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[.\-]", service))


def _availability_zones(count: int) -> list[str]:
    """The first ``count`` zones the account can use in the stack's region (``Fn::GetAZs``).

    Resolved by CloudFormation at deploy time: no context look-up at synth time, and no
    hard-coded zone names that a particular account may not have.
    """
    return [cdk.Fn.select(index, cdk.Fn.get_azs()) for index in range(count)]


def _validate(
    construct_id: str,
    cidr: str,
    transit_gateway_id: str,
    segment: str,
    availability_zones: int,
    classification: Mapping[str, str] | None,
) -> None:
    where = f"WorkloadVpc '{construct_id}'"
    try:
        network = ipaddress.IPv4Network(cidr, strict=True)
    except ValueError as error:
        raise ValueError(
            f"{where}: cidr '{cidr}' is not an IPv4 network address in CIDR notation ({error})"
        ) from None
    if not 16 <= network.prefixlen <= 28:
        raise ValueError(f"{where}: cidr {cidr} must be /16 to /28 (the VPC sizes AWS allows)")
    if segment not in SEGMENTS:
        raise ValueError(f"{where}: segment '{segment}' must be one of {', '.join(SEGMENTS)}")
    if availability_zones not in (2, 3):
        raise ValueError(f"{where}: availability_zones must be 2 or 3, got {availability_zones}")
    if not cdk.Token.is_unresolved(transit_gateway_id) and not _TGW_ID.match(transit_gateway_id):
        raise ValueError(
            f"{where}: transit_gateway_id '{transit_gateway_id}' is not a Transit Gateway ID (tgw-...)"
        )
    if classification is not None:
        missing = [k for k in _CLASSIFICATION_TAGS if classification.get(k) not in _LEVELS]
        if missing:
            raise ValueError(
                f"{where}: classification needs {', '.join(missing)} as one of {', '.join(_LEVELS)}"
            )
