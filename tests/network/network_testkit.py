"""Helpers of the network tests: the app teams' VPCs of the default configuration, and the topology.

The default landing zone's network stack associates the workload VPCs by the attachment IDs in
``network.vpcs[].transit_gateway_attachment_id``; the VPCs themselves are built by the app teams
with ``WorkloadVpc`` in their own apps. ``workload_synth`` builds them the way an app team would,
and ``bindings`` ties the deploy-time IDs together (Transit Gateway ID, attachment IDs).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from landing_zone.network.reachability import Ref, Topology

NETWORK_STACK = "lz-network-eu-central-1"
#: The Transit Gateway ID an app team would read from the network stack's output (placeholder).
TGW_ID = "tgw-0a1b2c3d4e5f60718"


@dataclass
class WorkloadSynth:
    templates: dict[str, dict[str, Any]]
    manifest: dict[str, Any]
    #: attachment ID from the configuration -> stack of the app team's VPC
    stacks_by_attachment: dict[str, str]


def synth_workload_vpcs(outdir: Path, config: Any) -> WorkloadSynth:
    """Every non-network-account VPC of ``config`` built with WorkloadVpc in a plain app with Bio2."""
    import aws_cdk as cdk

    from bio2_aspects import Bio2
    from landing_zone import naming
    from landing_zone.workloads import FlowLogDestination, WorkloadVpc

    app = cdk.App(outdir=str(outdir), context={"bio2:reportOnly": "true"})
    network_account = naming.network_account_id(config)
    stacks_by_attachment = {}
    for vpc in config.network.vpcs:
        account = config.organization.account(vpc.account)
        if account.id == network_account:
            continue
        stack = cdk.Stack(app, f"app-{vpc.name}", env=cdk.Environment(account=account.id, region=vpc.region))
        WorkloadVpc(
            stack,
            "Vpc",
            name=vpc.name,
            cidr=vpc.cidr,
            transit_gateway_id=TGW_ID,
            segment=vpc.segment,
            availability_zones=vpc.availability_zones,
            subnet_prefix=vpc.subnet_prefix,
            flow_logs=FlowLogDestination.bucket(naming.log_archive_bucket_name(config)),
            dns_profile_id="rp-0123456789abcdef",
        )
        if vpc.transit_gateway_attachment_id:
            stacks_by_attachment[vpc.transit_gateway_attachment_id] = stack.stack_name
    Bio2(app)
    app.synth()
    manifest = json.loads((outdir / "bio2" / "manifest.json").read_text(encoding="utf-8"))
    templates = {
        t["stack"]: json.loads((outdir / t["file"]).read_text(encoding="utf-8"))
        for t in manifest["templates"]
    }
    return WorkloadSynth(templates, manifest, stacks_by_attachment)


def only(template: dict[str, Any], cfn_type: str) -> str:
    ids = [lid for lid, res in template["Resources"].items() if res["Type"] == cfn_type]
    assert len(ids) == 1, (cfn_type, ids)
    return ids[0]


def topology_of(
    templates: dict[str, dict[str, Any]], stacks_by_attachment: dict[str, str], on_premises: list[str]
) -> Topology:
    """The routing of the landing zone's network stack and the app teams' stacks, with the
    deploy-time IDs bound to the resources that will carry them."""
    bindings = {TGW_ID: Ref(NETWORK_STACK, only(templates[NETWORK_STACK], "AWS::EC2::TransitGateway"))}
    for attachment_id, stack in stacks_by_attachment.items():
        bindings[attachment_id] = Ref(stack, only(templates[stack], "AWS::EC2::TransitGatewayVpcAttachment"))
    return Topology(templates, bindings=bindings, advertised=on_premises)
