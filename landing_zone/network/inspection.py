"""The inspection VPC: AWS Network Firewall, NAT gateways and the region's only internet gateway.

Three /28 subnets per availability zone::

    transit   Transit Gateway ENIs      0.0.0.0/0 -> firewall endpoint (same zone)
    firewall  Network Firewall          0.0.0.0/0 -> NAT gateway (same zone); internal -> TGW
    public    NAT gateways              0.0.0.0/0 -> internet gateway; internal -> firewall endpoint

So traffic from a spoke to the internet goes TGW -> firewall -> NAT -> IGW and its answers come
back NAT -> firewall -> TGW; traffic between spokes (and to on-premises) goes TGW -> firewall ->
TGW. The Transit Gateway attachment has appliance mode on, so both directions of a flow use the
same zone and the same firewall endpoint (a stateful firewall must see both).

The firewall policy evaluates stateful rules in strict order and drops what no rule passes
(``aws:drop_established``, with ``aws:alert_established`` so every drop is logged).
"""

from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_networkfirewall as nfw
from constructs import Construct

from bio2_aspects.claims import FirewallDropsByDefault, FirewallLogs
from landing_zone.claims import make_claim
from landing_zone.config.sections.network import Vpc
from landing_zone.nag import acknowledge_nag
from landing_zone.network import ipplan
from landing_zone.network.helper import NetworkHelper

FIREWALL_NAME = "lz-inspection"
EAST_WEST_CAPACITY = 1000
EGRESS_CAPACITY = 1000
"""Rule group capacities; fixed at creation (changing one replaces the group), so generous."""


#: Last rule group of the firewall policy (strict order): drop every flow that is not TCP.
DROP_NON_TCP_RULE = (
    'drop ip any any -> any any (msg:"lz: non-TCP flow not allowed"; ip_proto:!6; sid:9990001; rev:1;)'
)
DROP_NON_TCP_PRIORITY = 65000
DROP_NON_TCP_CAPACITY = 10


def firewall_endpoint(firewall: nfw.CfnFirewall, availability_zone: str) -> str:
    """The firewall's endpoint ID in ``availability_zone``, picked from ``EndpointIds`` at deploy time.

    ``EndpointIds`` is a list of ``<az>:<vpce-id>`` in no particular order, so selecting by index
    would mix zones up. Joining the list and splitting at ``<az>:`` finds the right one whatever the
    order: ``join(",")`` -> split at ``"eu-central-1b:"`` -> second part -> split at ``","`` -> first.
    """
    joined = cdk.Fn.join(",", firewall.attr_endpoint_ids)
    after = cdk.Fn.select(1, cdk.Fn.split(f"{availability_zone}:", joined))
    return cdk.Fn.select(0, cdk.Fn.split(",", after))


class InspectionVpc(Construct):
    """The inspection and egress VPC of one region (see the module docstring)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: Vpc,
        transit_gateway: ec2.CfnTransitGateway,
        internal_cidrs: Sequence[str],
        home_net: Sequence[str],
        east_west_rules: Sequence[str],
        egress_allowlist: Sequence[str],
        log_bucket_name: str,
    ) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        region = stack.region
        azs = ipplan.availability_zones(region, vpc.availability_zones)
        plan = ipplan.carve(vpc.cidr, ipplan.INSPECTION_GROUPS, vpc.availability_zones)
        self.availability_zones = azs

        self.cfn_vpc = ec2.CfnVPC(
            self,
            "Vpc",
            cidr_block=vpc.cidr,
            enable_dns_hostnames=True,
            enable_dns_support=True,
            tags=[cdk.CfnTag(key="Name", value=vpc.name)],
        )
        self.subnets: dict[str, list[ec2.CfnSubnet]] = {}
        self.route_tables: dict[str, list[ec2.CfnRouteTable]] = {}
        for item in plan:
            zone = "abc"[item.az_index]
            label = f"{item.group.capitalize()}{zone.upper()}"
            subnet = ec2.CfnSubnet(
                self,
                f"{label}Subnet",
                vpc_id=self.cfn_vpc.ref,
                cidr_block=item.cidr,
                availability_zone=azs[item.az_index],
                map_public_ip_on_launch=False,
                tags=[cdk.CfnTag(key="Name", value=f"{vpc.name}-{item.group}-{zone}")],
            )
            table = ec2.CfnRouteTable(
                self,
                f"{label}RouteTable",
                vpc_id=self.cfn_vpc.ref,
                tags=[cdk.CfnTag(key="Name", value=f"{vpc.name}-{item.group}-{zone}")],
            )
            ec2.CfnSubnetRouteTableAssociation(
                self, f"{label}RouteTableAssociation", subnet_id=subnet.ref, route_table_id=table.ref
            )
            self.subnets.setdefault(item.group, []).append(subnet)
            self.route_tables.setdefault(item.group, []).append(table)

        igw = ec2.CfnInternetGateway(self, "InternetGateway", tags=[cdk.CfnTag(key="Name", value=vpc.name)])
        igw_attachment = ec2.CfnVPCGatewayAttachment(
            self, "InternetGatewayAttachment", vpc_id=self.cfn_vpc.ref, internet_gateway_id=igw.ref
        )
        nats = []
        for index, subnet in enumerate(self.subnets["public"]):
            zone = "ABC"[index]
            eip = ec2.CfnEIP(
                self,
                f"NatAddress{zone}",
                domain="vpc",
                tags=[cdk.CfnTag(key="Name", value=f"{vpc.name}-nat")],
            )
            nat = ec2.CfnNatGateway(
                self,
                f"NatGateway{zone}",
                subnet_id=subnet.ref,
                allocation_id=eip.attr_allocation_id,
                tags=[cdk.CfnTag(key="Name", value=f"{vpc.name}-nat-{zone.lower()}")],
            )
            nat.node.add_dependency(igw_attachment)
            nats.append(nat)

        self.attachment = ec2.CfnTransitGatewayVpcAttachment(
            self,
            "TransitGatewayAttachment",
            transit_gateway_id=transit_gateway.ref,
            vpc_id=self.cfn_vpc.ref,
            subnet_ids=[s.ref for s in self.subnets["transit"]],
            # Appliance mode: both directions of a flow use the same zone, so the same firewall endpoint.
            options={"ApplianceModeSupport": "enable", "DnsSupport": "enable"},
            tags=[cdk.CfnTag(key="Name", value=vpc.name), cdk.CfnTag(key="lz:segment", value="inspection")],
        )

        self.policy = self._policy(home_net, east_west_rules, egress_allowlist)
        self.firewall = nfw.CfnFirewall(
            self,
            "Firewall",
            firewall_name=FIREWALL_NAME,
            firewall_policy_arn=self.policy.attr_firewall_policy_arn,
            vpc_id=self.cfn_vpc.ref,
            subnet_mappings=[
                nfw.CfnFirewall.SubnetMappingProperty(subnet_id=s.ref) for s in self.subnets["firewall"]
            ],
            delete_protection=True,
            firewall_policy_change_protection=True,
            subnet_change_protection=True,
            description="Inspects all traffic between segments, to on-premises and to the internet",
        )
        self.logging = nfw.CfnLoggingConfiguration(
            self,
            "FirewallLogging",
            firewall_arn=self.firewall.attr_firewall_arn,
            logging_configuration=nfw.CfnLoggingConfiguration.LoggingConfigurationProperty(
                log_destination_configs=[
                    nfw.CfnLoggingConfiguration.LogDestinationConfigProperty(
                        log_type=log_type,
                        log_destination_type="S3",
                        log_destination={
                            "bucketName": log_bucket_name,
                            "prefix": f"network-firewall/{log_type.lower()}",
                        },
                    )
                    for log_type in ("ALERT", "FLOW")
                ]
            ),
        )

        internal = list(internal_cidrs)
        for index, zone in enumerate(azs):
            letter = "ABC"[index]
            endpoint = firewall_endpoint(self.firewall, zone)
            ec2.CfnRoute(
                self,
                f"TransitDefaultRoute{letter}",
                route_table_id=self.route_tables["transit"][index].ref,
                destination_cidr_block="0.0.0.0/0",
                vpc_endpoint_id=endpoint,
            )
            ec2.CfnRoute(
                self,
                f"FirewallDefaultRoute{letter}",
                route_table_id=self.route_tables["firewall"][index].ref,
                destination_cidr_block="0.0.0.0/0",
                nat_gateway_id=nats[index].ref,
            )
            public_default = ec2.CfnRoute(
                self,
                f"PublicDefaultRoute{letter}",
                route_table_id=self.route_tables["public"][index].ref,
                destination_cidr_block="0.0.0.0/0",
                gateway_id=igw.ref,
            )
            public_default.node.add_dependency(igw_attachment)
            acknowledge_nag(
                public_default,
                "NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW",
                "Central egress by design: this is the public (NAT gateway) subnet of the inspection VPC. "
                "Only the NAT gateways live here; all workload traffic reaches them after the Network "
                "Firewall, and return traffic to internal ranges goes back through the firewall endpoint.",
            )
            for number, cidr in enumerate(internal):
                to_tgw = ec2.CfnRoute(
                    self,
                    f"FirewallInternalRoute{letter}{number}",
                    route_table_id=self.route_tables["firewall"][index].ref,
                    destination_cidr_block=cidr,
                    transit_gateway_id=transit_gateway.ref,
                )
                to_tgw.node.add_dependency(self.attachment)
                ec2.CfnRoute(
                    self,
                    f"PublicInternalRoute{letter}{number}",
                    route_table_id=self.route_tables["public"][index].ref,
                    destination_cidr_block=cidr,
                    vpc_endpoint_id=endpoint,
                )

        self.flow_log = ec2.CfnFlowLog(
            self,
            "FlowLog",
            resource_id=self.cfn_vpc.ref,
            resource_type="VPC",
            traffic_type="ALL",
            log_destination_type="s3",
            log_destination=f"arn:{stack.partition}:s3:::{log_bucket_name}/flow-logs/",
            max_aggregation_interval=60,
            tags=[cdk.CfnTag(key="Name", value=vpc.name)],
        )
        NetworkHelper.of(self).restrict_default_security_group(self, self.cfn_vpc)
        cdk.Validations.of(self).acknowledge(
            cdk.Acknowledgment(
                id="CloudFormation-Validate::W3010",
                reason=(
                    "The inspection subnets name their zones (<region>a/b/c) on purpose: each zone's "
                    "route to the firewall picks that zone's endpoint out of EndpointIds with Fn::Split, "
                    "whose delimiter must be a literal zone name."
                ),
            )
        )

        make_claim(
            self.policy,
            "LZ-Network-FirewallPolicy",
            FirewallDropsByDefault(),
            detail=(
                "Every Transit Gateway segment route table sends traffic to other segments, on-premises and "
                "the internet only to the inspection VPC, where this firewall policy passes only the flows "
                "configured for the segments (network.firewall_rules, network.egress_allowlist) and drops "
                "the rest (STRICT_ORDER, aws:drop_established): the segments keep the security level "
                "their rules define."
            ),
        )
        make_claim(
            self.firewall,
            "LZ-Network-FirewallInspection",
            FirewallLogs(log_types=("ALERT", "FLOW")),
            detail=(
                "AWS Network Firewall inspects all traffic into and out of the segments with Suricata "
                "rules; every dropped flow raises an alert, and alert and flow logs go to the log archive "
                "bucket for analysis."
            ),
        )

    def _policy(
        self, home_net: Sequence[str], east_west_rules: Sequence[str], egress_allowlist: Sequence[str]
    ) -> nfw.CfnFirewallPolicy:
        variables = nfw.CfnRuleGroup.RuleVariablesProperty(
            ip_sets={"HOME_NET": nfw.CfnRuleGroup.IPSetProperty(definition=list(home_net))}
        )
        strict = nfw.CfnRuleGroup.StatefulRuleOptionsProperty(rule_order="STRICT_ORDER")
        references = []
        if east_west_rules:
            group = nfw.CfnRuleGroup(
                self,
                "EastWestRules",
                rule_group_name=f"{FIREWALL_NAME}-segments",
                type="STATEFUL",
                capacity=EAST_WEST_CAPACITY,
                description="Flows allowed between segments and on-premises (network.firewall_rules)",
                rule_group=nfw.CfnRuleGroup.RuleGroupProperty(
                    rules_source=nfw.CfnRuleGroup.RulesSourceProperty(
                        rules_string="\n".join(east_west_rules)
                    ),
                    rule_variables=variables,
                    stateful_rule_options=strict,
                ),
            )
            references.append((100, group))
        if egress_allowlist:
            group = nfw.CfnRuleGroup(
                self,
                "EgressAllowlist",
                rule_group_name=f"{FIREWALL_NAME}-egress-allowlist",
                type="STATEFUL",
                capacity=EGRESS_CAPACITY,
                description="Internet domains workloads may reach (network.egress_allowlist)",
                rule_group=nfw.CfnRuleGroup.RuleGroupProperty(
                    rules_source=nfw.CfnRuleGroup.RulesSourceProperty(
                        rules_source_list=nfw.CfnRuleGroup.RulesSourceListProperty(
                            generated_rules_type="ALLOWLIST",
                            target_types=["TLS_SNI", "HTTP_HOST"],
                            targets=list(egress_allowlist),
                        )
                    ),
                    rule_variables=variables,
                    stateful_rule_options=strict,
                ),
            )
            references.append((200, group))
        # The default action aws:drop_established only drops flows that reach an established state:
        # UDP, ICMP and other non-TCP flows never do, so they are dropped explicitly, last.
        drop = nfw.CfnRuleGroup(
            self,
            "ExplicitDropNonTcp",
            rule_group_name=f"{FIREWALL_NAME}-drop-non-tcp",
            type="STATEFUL",
            capacity=DROP_NON_TCP_CAPACITY,
            description="Drops every non-TCP flow that no earlier rule group passed",
            rule_group=nfw.CfnRuleGroup.RuleGroupProperty(
                rules_source=nfw.CfnRuleGroup.RulesSourceProperty(rules_string=DROP_NON_TCP_RULE),
                stateful_rule_options=strict,
            ),
        )
        references.append((DROP_NON_TCP_PRIORITY, drop))
        return nfw.CfnFirewallPolicy(
            self,
            "FirewallPolicy",
            firewall_policy_name=f"{FIREWALL_NAME}-policy",
            description="Strict order, default drop: only configured flows and allowlisted domains pass",
            firewall_policy=nfw.CfnFirewallPolicy.FirewallPolicyProperty(
                stateless_default_actions=["aws:forward_to_sfe"],
                stateless_fragment_default_actions=["aws:forward_to_sfe"],
                stateful_default_actions=["aws:drop_established", "aws:alert_established"],
                stateful_engine_options=nfw.CfnFirewallPolicy.StatefulEngineOptionsProperty(
                    rule_order="STRICT_ORDER", stream_exception_policy="DROP"
                ),
                stateful_rule_group_references=[
                    nfw.CfnFirewallPolicy.StatefulRuleGroupReferenceProperty(
                        resource_arn=group.attr_rule_group_arn, priority=priority
                    )
                    for priority, group in references
                ],
            ),
        )
