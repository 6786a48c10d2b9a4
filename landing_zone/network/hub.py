"""The network of one region in the network account: Transit Gateway, segments, inspection, DNS, VPN.

Segment route tables (production, nonproduction, shared) hold only static routes to the inspection
attachment: the default route and the on-premises ranges. The inspection route table learns every
spoke and the VPN (propagation), so traffic leaving the firewall reaches its destination. The
on-premises route table (VPN) holds static routes for the spokes, again to the inspection
attachment. Nothing propagates into a segment route table, so no path between segments, to
on-premises or to the internet skips the firewall; ``landing_zone.network.reachability`` proves it
from the synthesized templates.
"""

from __future__ import annotations

import json

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ram as ram
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_route53profiles as route53profiles
from aws_cdk import aws_route53resolver as route53resolver
from constructs import Construct

from landing_zone import naming
from landing_zone.acknowledgements import acknowledge
from landing_zone.config import LandingZoneConfig
from landing_zone.config.sections.network import ENDPOINT_DNS_NAMES, VpnConnection
from landing_zone.network.helper import NetworkHelper, encrypted_log_group
from landing_zone.network.inspection import InspectionVpc, firewall_endpoint
from landing_zone.network.plan import SEGMENT_ROUTE_TABLES, RegionPlan, east_west_rules
from landing_zone.network.spokes import ZONE_LETTERS, contract_keys, export_name, route_table_key
from landing_zone.network.spokes import camel as _camel
from landing_zone.workloads.vpc import FlowLogDestination, WorkloadVpc, endpoint_security_group

ON_PREMISES_TABLE = "on-premises"
DNS_FIREWALL_PRIORITY = 200
"""Priority of the landing zone's DNS Firewall rule group on a VPC (101-9899); app teams can add
their own rule groups before (lower) or after (higher) it."""


class RegionalNetwork(Construct):
    """Everything the network account runs in one region (see the module docstring)."""

    def __init__(
        self, scope: Construct, construct_id: str, *, config: LandingZoneConfig, plan: RegionPlan
    ) -> None:
        super().__init__(scope, construct_id)
        self.config = config
        self.plan = plan
        network = config.network
        log_bucket = naming.log_archive_bucket_name(config)

        self.transit_gateway = ec2.CfnTransitGateway(
            self,
            "TransitGateway",
            amazon_side_asn=plan.asn,
            description=f"Landing zone hub {plan.region}: segments reach others only through inspection",
            default_route_table_association="disable",
            default_route_table_propagation="disable",
            auto_accept_shared_attachments="enable"
            if network.transit_gateway.auto_accept_shared_attachments
            else "disable",
            dns_support="enable",
            vpn_ecmp_support="enable",
            multicast_support="disable",
            tags=[cdk.CfnTag(key="Name", value=f"lz-hub-{plan.region}")],
        )
        if network.transit_gateway.auto_accept_shared_attachments:
            acknowledge(
                self.transit_gateway,
                "BIO2-TransitGateway-NoAutoAccept",
                "Chosen in network.transit_gateway.auto_accept_shared_attachments: default route table "
                "association and propagation are off, so an accepted attachment carries no traffic until the "
                "network account associates it with a segment route table, which it does only for the "
                "attachment IDs listed in network.vpcs.",
            )
        tables = list(SEGMENT_ROUTE_TABLES) + ([ON_PREMISES_TABLE] if plan.vpns else [])
        self.route_tables = {
            name: ec2.CfnTransitGatewayRouteTable(
                self,
                f"{_camel(name)}RouteTable",
                transit_gateway_id=self.transit_gateway.ref,
                tags=[cdk.CfnTag(key="Name", value=f"lz-{name}"), cdk.CfnTag(key="lz:segment", value=name)],
            )
            for name in tables
        }

        self.inspection: InspectionVpc | None = None
        inspection_attachment: str | None = None
        if plan.inspection is not None:
            self.inspection = InspectionVpc(
                self,
                "Inspection",
                vpc=plan.inspection,
                transit_gateway=self.transit_gateway,
                # the spoke stacks add the routes back to the spokes of other accounts
                internal_cidrs=plan.hub_internal_cidrs,
                home_net=plan.spoke_cidrs or [plan.inspection.cidr],
                east_west_rules=east_west_rules(plan),
                egress_allowlist=network.egress_allowlist,
                log_bucket_name=log_bucket,
            )
            inspection_attachment = self.inspection.attachment.ref
            self._associate("Inspection", inspection_attachment, "inspection", propagate=False)

        # Spoke VPCs of the network account (the shared VPC with the central endpoints).
        self.local_vpcs: dict[str, WorkloadVpc] = {}
        endpoint_vpc = plan.endpoint_vpc
        for vpc in plan.local_vpcs:
            built = WorkloadVpc(
                self,
                f"Vpc{_camel(vpc.name)}",
                name=vpc.name,
                cidr=vpc.cidr,
                transit_gateway_id=self.transit_gateway.ref,
                segment=vpc.segment,
                availability_zones=vpc.availability_zones,
                subnet_prefix=vpc.subnet_prefix,
                flow_logs=FlowLogDestination.bucket(log_bucket),
                endpoint_services=plan.endpoint_services if plan.endpoint_mode == "per-vpc" else (),
            )
            self.local_vpcs[vpc.name] = built
            self._associate(f"Vpc{_camel(vpc.name)}", built.attachment_id, vpc.segment, propagate=True)
        # Spoke VPCs in other accounts: their association, propagation and the inspection VPC's
        # routes back to them are in the spoke stacks (landing_zone.network.spokes).

        self.vpn_attachments: dict[str, str] = {}
        for vpn in plan.vpns:
            self.vpn_attachments[vpn.name] = self._vpn(vpn)

        if inspection_attachment is not None:
            self._segment_routes(inspection_attachment)

        self.hosted_zones: list[route53.CfnHostedZone] = []
        if endpoint_vpc is not None:
            self._central_endpoints(self.local_vpcs[endpoint_vpc.name])
        self.dns_rule_group = self._dns_firewall() if network.dns_firewall.enabled else None
        self.profile = self._profile()
        self.share = self._share()

        self._export_contract()
        if self.profile is not None:
            cdk.CfnOutput(self, "DnsProfileId", value=self.profile.attr_id, description="For WorkloadVpc")
        if self.dns_rule_group is not None:
            cdk.CfnOutput(self, "DnsFirewallRuleGroupId", value=self.dns_rule_group.attr_id)
        for name, attachment in sorted(self.vpn_attachments.items()):
            cdk.CfnOutput(self, f"Vpn{_camel(name)}AttachmentId", value=attachment)

    def _export_contract(self) -> None:
        """The values the spoke stacks import, under fixed export names (see ``spokes``): always all
        of them, whether or not a spoke stack uses one, so that no spoke ever changes the hub's exports."""
        region = self.plan.region
        values = {"TransitGatewayId": self.transit_gateway.ref}
        values |= {route_table_key(name): self.route_tables[name].ref for name in SEGMENT_ROUTE_TABLES}
        if self.inspection is not None:
            values["InspectionAttachmentId"] = self.inspection.attachment.ref
            tables = self.inspection.route_tables
            for index, zone in enumerate(self.inspection.availability_zones):
                letter = ZONE_LETTERS[index]
                values[f"InspectionFirewallRouteTable{letter}"] = tables["firewall"][index].ref
                values[f"InspectionPublicRouteTable{letter}"] = tables["public"][index].ref
                values[f"FirewallEndpoint{letter}"] = firewall_endpoint(self.inspection.firewall, zone)
        zones = len(self.inspection.availability_zones) if self.inspection is not None else 0
        assert list(values) == contract_keys(zones)
        for key, value in values.items():
            cdk.CfnOutput(
                self,
                key,
                value=value,
                export_name=export_name(region, key),
                description="For WorkloadVpc and the spoke stacks" if key == "TransitGatewayId" else None,
            )

    # ------------------------------------------------------------------ Transit Gateway routing

    def _associate(self, label: str, attachment_id: str, segment: str, *, propagate: bool) -> None:
        """Associate an attachment with its segment's route table; ``propagate``: teach the inspection
        route table its routes (never the segment tables: they only lead to inspection)."""
        ec2.CfnTransitGatewayRouteTableAssociation(
            self,
            f"{label}Association",
            transit_gateway_attachment_id=attachment_id,
            transit_gateway_route_table_id=self.route_tables[segment].ref,
        )
        if propagate:
            ec2.CfnTransitGatewayRouteTablePropagation(
                self,
                f"{label}Propagation",
                transit_gateway_attachment_id=attachment_id,
                transit_gateway_route_table_id=self.route_tables["inspection"].ref,
            )

    def _segment_routes(self, inspection_attachment: str) -> None:
        """Static routes that send segment and on-premises traffic to the inspection attachment."""
        for segment in ("production", "nonproduction", "shared"):
            table = self.route_tables[segment]
            destinations = ["0.0.0.0/0", *self.plan.on_premises]
            for number, cidr in enumerate(destinations):
                ec2.CfnTransitGatewayRoute(
                    self,
                    f"{_camel(segment)}ToInspection{number}",
                    transit_gateway_route_table_id=table.ref,
                    destination_cidr_block=cidr,
                    transit_gateway_attachment_id=inspection_attachment,
                )
        if ON_PREMISES_TABLE in self.route_tables:
            for number, cidr in enumerate(self.plan.spoke_cidrs):
                ec2.CfnTransitGatewayRoute(
                    self,
                    f"OnPremisesToInspection{number}",
                    transit_gateway_route_table_id=self.route_tables[ON_PREMISES_TABLE].ref,
                    destination_cidr_block=cidr,
                    transit_gateway_attachment_id=inspection_attachment,
                )

    def _vpn(self, vpn: VpnConnection) -> str:
        """Customer gateway and Site-to-Site VPN on the Transit Gateway; returns the attachment ID."""
        label = f"Vpn{_camel(vpn.name)}"
        scope = Construct(self, label)
        gateway = ec2.CfnCustomerGateway(
            scope,
            "CustomerGateway",
            ip_address=vpn.customer_gateway_ip,
            bgp_asn=vpn.bgp_asn,
            type="ipsec.1",
            tags=[cdk.CfnTag(key="Name", value=vpn.name)],
        )
        tunnel_logs = encrypted_log_group(scope, "TunnelLogs")
        tunnel = ec2.CfnVPNConnection.VpnTunnelOptionsSpecificationProperty(
            ike_versions=[{"value": "ikev2"}],
            phase1_encryption_algorithms=[{"value": "AES256-GCM-16"}, {"value": "AES256"}],
            phase1_integrity_algorithms=[{"value": "SHA2-384"}, {"value": "SHA2-256"}],
            phase1_dh_group_numbers=[{"value": 21}, {"value": 20}, {"value": 19}],
            phase2_encryption_algorithms=[{"value": "AES256-GCM-16"}, {"value": "AES256"}],
            phase2_integrity_algorithms=[{"value": "SHA2-384"}, {"value": "SHA2-256"}],
            phase2_dh_group_numbers=[{"value": 21}, {"value": 20}, {"value": 19}],
            dpd_timeout_action="restart",
            log_options=ec2.CfnVPNConnection.VpnTunnelLogOptionsSpecificationProperty(
                cloudwatch_log_options=ec2.CfnVPNConnection.CloudwatchLogOptionsSpecificationProperty(
                    log_enabled=True, log_group_arn=tunnel_logs.log_group_arn, log_output_format="json"
                )
            ),
        )
        connection = ec2.CfnVPNConnection(
            scope,
            "Connection",
            customer_gateway_id=gateway.ref,
            transit_gateway_id=self.transit_gateway.ref,
            type="ipsec.1",
            static_routes_only=not vpn.bgp,
            vpn_tunnel_options_specifications=[tunnel, tunnel],
            tags=[cdk.CfnTag(key="Name", value=vpn.name)],
        )
        attachment = NetworkHelper.of(self).vpn_attachment_id(scope, connection)
        ec2.CfnTransitGatewayRouteTableAssociation(
            scope,
            "Association",
            transit_gateway_attachment_id=attachment,
            transit_gateway_route_table_id=self.route_tables[ON_PREMISES_TABLE].ref,
        )
        if vpn.bgp:
            ec2.CfnTransitGatewayRouteTablePropagation(
                scope,
                "Propagation",
                transit_gateway_attachment_id=attachment,
                transit_gateway_route_table_id=self.route_tables["inspection"].ref,
            )
        else:
            for number, cidr in enumerate(self.plan.on_premises):
                ec2.CfnTransitGatewayRoute(
                    scope,
                    f"InspectionToOnPremises{number}",
                    transit_gateway_route_table_id=self.route_tables["inspection"].ref,
                    destination_cidr_block=cidr,
                    transit_gateway_attachment_id=attachment,
                )
        return attachment

    # ------------------------------------------------------------------ endpoints and DNS

    def _central_endpoints(self, vpc: WorkloadVpc) -> None:
        """Interface endpoints in the shared VPC, named through private hosted zones.

        Private DNS is off on the endpoints themselves: a private hosted zone per service (for
        example ``sts.eu-central-1.amazonaws.com``) points at the endpoint instead, and the Route 53
        Profile shares those zones with every workload VPC that associates the profile.
        """
        region = cdk.Stack.of(self).region
        scope = Construct(self, "CentralEndpoints")
        group = endpoint_security_group(scope, "SecurityGroup", vpc.vpc_id, self.plan.spoke_cidrs)
        for service in sorted(set(self.plan.endpoint_services)):
            label = _camel(service)
            endpoint = ec2.CfnVPCEndpoint(
                scope,
                label,
                vpc_id=vpc.vpc_id,
                service_name=f"com.amazonaws.{region}.{service}",
                vpc_endpoint_type="Interface",
                private_dns_enabled=False,
                subnet_ids=[s.ref for s in vpc.subnets["private"]],
                security_group_ids=[group.attr_group_id],
                policy_document=endpoint_policy(self.config.logging.organization_id),
            )
            zone_name = f"{ENDPOINT_DNS_NAMES[service]}.{region}.amazonaws.com"
            zone = route53.CfnHostedZone(
                scope,
                f"{label}Zone",
                name=zone_name,
                vpcs=[route53.CfnHostedZone.VPCProperty(vpc_id=vpc.vpc_id, vpc_region=region)],
                hosted_zone_config=route53.CfnHostedZone.HostedZoneConfigProperty(
                    comment=f"Central interface endpoint for {service} (landing zone)"
                ),
            )
            # DnsEntries: "<hosted zone ID>:<DNS name>"; the first entry is the regional name.
            first = cdk.Fn.select(0, endpoint.attr_dns_entries)
            alias = route53.CfnRecordSet.AliasTargetProperty(
                dns_name=cdk.Fn.select(1, cdk.Fn.split(":", first)),
                hosted_zone_id=cdk.Fn.select(0, cdk.Fn.split(":", first)),
                evaluate_target_health=False,
            )
            for suffix, name in (("", zone_name), ("Wildcard", f"*.{zone_name}")):
                route53.CfnRecordSet(
                    scope,
                    f"{label}{suffix}Record",
                    hosted_zone_id=zone.attr_id,
                    name=name,
                    type="A",
                    alias_target=alias,
                )
            self.hosted_zones.append(zone)

    def _dns_firewall(self) -> route53resolver.CfnFirewallRuleGroup:
        """DNS Firewall rule group blocking the AWS managed threat lists, on the network account's VPCs."""
        settings = self.config.network.dns_firewall
        pinned = settings.domain_list_ids.get(self.plan.region, {})
        unpinned = [name for name in settings.managed_domain_lists if name not in pinned]
        resolved = NetworkHelper.of(self).domain_list_ids(self, unpinned) if unpinned else None
        rules = []
        for number, name in enumerate(settings.managed_domain_lists, start=1):
            list_id = pinned.get(name) or resolved.get_att_string(name)  # type: ignore[union-attr]
            rules.append(
                route53resolver.CfnFirewallRuleGroup.FirewallRuleProperty(
                    action="BLOCK",
                    block_response=settings.block_response,
                    firewall_domain_list_id=list_id,
                    priority=number * 100,
                )
            )
        group = route53resolver.CfnFirewallRuleGroup(
            self, "DnsFirewall", name=f"lz-dns-firewall-{self.plan.region}", firewall_rules=rules
        )
        vpcs: list[tuple[str, str]] = []
        if self.inspection is not None:
            vpcs.append(("Inspection", self.inspection.cfn_vpc.ref))
        vpcs += [(f"Vpc{_camel(name)}", vpc.vpc_id) for name, vpc in self.local_vpcs.items()]
        for label, vpc_id in vpcs:
            route53resolver.CfnFirewallRuleGroupAssociation(
                self,
                f"{label}DnsFirewall",
                firewall_rule_group_id=group.attr_id,
                vpc_id=vpc_id,
                priority=DNS_FIREWALL_PRIORITY,
                mutation_protection="ENABLED",
                name=f"lz-dns-firewall-{label[3:].lower() if label.startswith('Vpc') else label.lower()}",
            )
        return group

    def _profile(self) -> route53profiles.CfnProfile | None:
        """The Route 53 Profile that workload VPCs associate: DNS Firewall and endpoint zones."""
        if self.dns_rule_group is None and not self.hosted_zones:
            return None
        profile = route53profiles.CfnProfile(self, "DnsProfile", name=f"lz-network-{self.plan.region}")
        if self.dns_rule_group is not None:
            route53profiles.CfnProfileResourceAssociation(
                self,
                "DnsProfileFirewall",
                name="dns-firewall",
                profile_id=profile.attr_id,
                resource_arn=self.dns_rule_group.attr_arn,
                resource_properties=json.dumps({"priority": DNS_FIREWALL_PRIORITY}),
            )
        partition = cdk.Stack.of(self).partition
        for zone in self.hosted_zones:
            route53profiles.CfnProfileResourceAssociation(
                self,
                f"DnsProfile{zone.node.id}",
                name=zone.node.id.lower(),
                profile_id=profile.attr_id,
                resource_arn=f"arn:{partition}:route53:::hostedzone/{zone.attr_id}",
            )
        return profile

    # ------------------------------------------------------------------ sharing

    def _share(self) -> ram.CfnResourceShare:
        """Share the Transit Gateway, the DNS profile and the DNS Firewall rule group through AWS RAM."""
        stack = cdk.Stack.of(self)
        resources = [
            f"arn:{stack.partition}:ec2:{stack.region}:{stack.account}:transit-gateway/{self.transit_gateway.ref}"
        ]
        if self.profile is not None:
            resources.append(self.profile.attr_arn)
        if self.dns_rule_group is not None:
            resources.append(self.dns_rule_group.attr_arn)
        return ram.CfnResourceShare(
            self,
            "Share",
            name=f"lz-network-{self.plan.region}",
            allow_external_principals=False,
            principals=share_principals(self.config, stack.partition),
            resource_arns=resources,
        )


def endpoint_policy(organization_id: str | None) -> dict:
    """Policy of a central interface endpoint: only the organization's principals, and only on the
    organization's resources (or AWS-owned ones, which carry no organization), so the endpoint is no
    path to write into another organization's accounts (logs, SSM, STS...)."""
    org = organization_id or "${aws:PrincipalOrgID}"
    condition: dict = {"StringEqualsIfExists": {"aws:ResourceOrgID": org}}
    if organization_id:
        condition["StringEquals"] = {"aws:PrincipalOrgID": organization_id}
    else:
        condition["Null"] = {"aws:PrincipalOrgID": "false"}
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "OrganizationOnly",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "*",
                "Resource": "*",
                "Condition": condition,
            }
        ],
    }


def share_principals(config: LandingZoneConfig, partition: str = "aws") -> list[str]:
    """The organization (when ``network.organization_id`` is set), else the workload and
    shared-services accounts one by one. Sandbox accounts never get the Transit Gateway."""
    org_id = config.network.organization_id
    if org_id:
        management = naming.management_account_id(config)
        return [f"arn:{partition}:organizations::{management}:organization/{org_id}"]
    return sorted(a.id for a in config.organization.accounts if a.role in ("workload", "shared-services"))
