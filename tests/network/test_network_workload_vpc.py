"""WorkloadVpc in an app team's own app, and evidence that disappears with the guarantee behind it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from bio2_aspects import Bio2
from landing_zone.classification import classify_rating
from landing_zone.config import load_config
from landing_zone.network.hub import RegionalNetwork
from landing_zone.network.plan import region_plans
from landing_zone.workloads import FlowLogDestination, WorkloadVpc

pytestmark = pytest.mark.synth

TGW = "tgw-0a1b2c3d4e5f60718"
ENV = cdk.Environment(account="666666666666", region="eu-central-1")


def synth(app: cdk.App, outdir: Path) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    app.synth()
    manifest = json.loads((outdir / "bio2" / "manifest.json").read_text(encoding="utf-8"))
    templates = {
        t["stack"]: json.loads((outdir / t["file"]).read_text(encoding="utf-8"))
        for t in manifest["templates"]
    }
    return manifest, templates


def of_type(template: dict[str, Any], cfn_type: str) -> dict[str, dict[str, Any]]:
    return {lid: r for lid, r in template["Resources"].items() if r["Type"] == cfn_type}


def results(manifest: dict[str, Any], stack: str, rule: str) -> set[str]:
    return {
        e["result"]
        for m in manifest["measures"]
        for e in m["evidence"]
        if e["stack"] == stack and e["rule"] == rule
    }


@pytest.fixture(scope="module")
def app_team(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """An app team's app: WorkloadVpc with defaults (env-aware and env-agnostic), and a copy with its
    flow log and default-security-group lock-down removed."""
    outdir = tmp_path_factory.mktemp("app-team")
    app = cdk.App(outdir=str(outdir), context={"bio2:reportOnly": "true"})
    WorkloadVpc(
        cdk.Stack(app, "Orders", env=ENV),
        "Vpc",
        cidr="10.17.0.0/20",
        transit_gateway_id=TGW,
        segment="production",
    )
    WorkloadVpc(
        cdk.Stack(app, "Agnostic"),
        "Vpc",
        cidr="10.18.0.0/20",
        transit_gateway_id=TGW,
        segment="nonproduction",
        availability_zones=2,
        endpoint_services=["ssm", "sts"],
        dns_profile_id="rp-0123456789abcdef",
        flow_logs=FlowLogDestination.bucket("lz-logs-222222222222-eu-central-1"),
        classification={"confidentiality": "high", "integrity": "high", "availability": "medium"},
    )
    broken = WorkloadVpc(
        cdk.Stack(app, "Broken", env=ENV),
        "Vpc",
        cidr="10.19.0.0/20",
        transit_gateway_id=TGW,
        segment="production",
    )
    assert broken.node.try_remove_child("FlowLog")
    assert broken.node.try_remove_child("RestrictDefaultSecurityGroup")
    Bio2(app)
    return synth(app, outdir)


def test_defaults_pass_every_bio2_rule(app_team: Any) -> None:
    manifest, _ = app_team
    open_errors = [
        v
        for v in manifest["violations"]
        if v["stack"] != "Broken" and v["level"] == "error" and not v["acknowledged"]
    ]
    assert open_errors == []
    assert [v for v in manifest["violations"] if v["stack"] != "Broken"] == []


def test_private_subnets_only(app_team: Any) -> None:
    _, templates = app_team
    for stack in ("Orders", "Agnostic"):
        template = templates[stack]
        for cfn_type in (
            "AWS::EC2::InternetGateway",
            "AWS::EC2::NatGateway",
            "AWS::EC2::EIP",
            "AWS::EC2::VPCGatewayAttachment",
        ):
            assert not of_type(template, cfn_type), (stack, cfn_type)
        subnets = of_type(template, "AWS::EC2::Subnet")
        assert all(r["Properties"]["MapPublicIpOnLaunch"] is False for r in subnets.values())
        routes = of_type(template, "AWS::EC2::Route")
        assert routes and all(
            r["Properties"]
            == {
                "DestinationCidrBlock": "0.0.0.0/0",
                "RouteTableId": r["Properties"]["RouteTableId"],
                "TransitGatewayId": TGW,
            }
            for r in routes.values()
        )
        [attachment] = of_type(template, "AWS::EC2::TransitGatewayVpcAttachment")
        assert all(attachment in r.get("DependsOn", []) for r in routes.values())


def test_subnets_are_carved_from_the_plan(app_team: Any) -> None:
    _, templates = app_team
    cidrs = sorted(
        r["Properties"]["CidrBlock"] for r in of_type(templates["Orders"], "AWS::EC2::Subnet").values()
    )
    assert cidrs == [
        "10.17.0.0/22",
        "10.17.12.0/28",
        "10.17.12.16/28",
        "10.17.12.32/28",
        "10.17.4.0/22",
        "10.17.8.0/22",
    ]
    zones = [
        r["Properties"]["AvailabilityZone"] for r in of_type(templates["Orders"], "AWS::EC2::Subnet").values()
    ]
    assert all("Fn::Select" in zone for zone in zones)  # Fn::GetAZs at deploy time, no look-up


def test_flow_logs_and_default_security_group(app_team: Any) -> None:
    _, templates = app_team
    orders = templates["Orders"]
    [vpc] = of_type(orders, "AWS::EC2::VPC")
    [flow] = of_type(orders, "AWS::EC2::FlowLog").values()
    assert flow["Properties"]["ResourceId"] == {"Ref": vpc}
    assert flow["Properties"]["TrafficType"] == "ALL"
    assert flow["Properties"]["LogDestinationType"] == "cloud-watch-logs"
    [group] = [g for lid, g in of_type(orders, "AWS::Logs::LogGroup").items() if "FlowLog" in lid]
    assert group["Properties"]["RetentionInDays"] >= 365 and "KmsKeyId" in group["Properties"]
    assert group["DeletionPolicy"] == group["UpdateReplacePolicy"] == "Retain"
    [restrict] = of_type(orders, "Custom::VpcRestrictDefaultSG").values()
    assert restrict["Properties"]["DefaultSecurityGroupId"] == {"Fn::GetAtt": [vpc, "DefaultSecurityGroup"]}
    # No asset: the handler is inline code.
    [function] = of_type(orders, "AWS::Lambda::Function").values()
    assert "ZipFile" in function["Properties"]["Code"]
    agnostic = templates["Agnostic"]
    [flow] = of_type(agnostic, "AWS::EC2::FlowLog").values()
    assert ":s3:::lz-logs-222222222222-eu-central-1/flow-logs/" in json.dumps(
        flow["Properties"]["LogDestination"]
    )
    assert len(of_type(agnostic, "AWS::EC2::VPCEndpoint")) == 2
    assert len(of_type(agnostic, "AWS::Route53Profiles::ProfileAssociation")) == 1


def test_classification_tags(app_team: Any) -> None:
    _, templates = app_team

    def tags(stack: str, cfn_type: str) -> dict[str, str]:
        [res] = of_type(templates[stack], cfn_type).values()
        return {t["Key"]: t["Value"] for t in res["Properties"]["Tags"]}

    assert tags("Orders", "AWS::EC2::VPC")["bio2:integrity"] == "high"  # production fallback rating
    assert tags("Orders", "AWS::EC2::VPC")["lz:segment"] == "production"
    assert tags("Agnostic", "AWS::EC2::VPC")["bio2:confidentiality"] == "high"  # explicit rating


def test_removing_a_guarantee_removes_its_evidence(app_team: Any) -> None:
    manifest, _ = app_team
    assert results(manifest, "Orders", "BIO2-EC2-VpcFlowLogs") == {"pass"}
    assert results(manifest, "Broken", "BIO2-EC2-VpcFlowLogs") == {"fail"}
    assert results(manifest, "Orders", "BIO2-EC2-DefaultSgRestricted") == {"pass"}
    assert results(manifest, "Broken", "BIO2-EC2-DefaultSgRestricted") == {"fail"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cidr": "10.17.0.1/20"}, "not an IPv4 network address"),
        ({"cidr": "10.17.0.0/29"}, "/16 to /28"),
        ({"cidr": "10.17.0.0/27"}, "too small"),
        ({"subnet_prefix": 21}, "need 6,192 addresses"),
        ({"segment": "inspection"}, "segment 'inspection'"),
        ({"transit_gateway_id": "vpc-123"}, "not a Transit Gateway ID"),
        ({"availability_zones": 4}, "2 or 3"),
        ({"classification": {"confidentiality": "secret"}}, "classification needs"),
    ],
)
def test_invalid_input_is_explained(kwargs: dict[str, Any], message: str) -> None:
    args: dict[str, Any] = {
        "cidr": "10.17.0.0/20",
        "transit_gateway_id": TGW,
        "segment": "production",
        **kwargs,
    }
    with pytest.raises(ValueError, match=message):
        WorkloadVpc(cdk.Stack(cdk.App(), "S"), "Vpc", **args)


@pytest.fixture(scope="module")
def network_pair(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The default home-region network twice: as built, and with its firewall logging removed and
    its default action turned into pass (a mistake made through an escape hatch)."""
    config = load_config(None)
    plan = region_plans(config)[0]
    outdir = tmp_path_factory.mktemp("network-pair")
    app = cdk.App(outdir=str(outdir), context={"bio2:reportOnly": "true"})
    rating = config.classification.rating_for("network", "Infrastructure")
    for name in ("Intact", "Weakened"):
        stack = cdk.Stack(app, name, env=cdk.Environment(account="444444444444", region="eu-central-1"))
        classify_rating(stack, rating)
        network = RegionalNetwork(stack, "Network", config=config, plan=plan)
        if name == "Weakened":
            assert network.inspection is not None
            assert network.inspection.node.try_remove_child("FirewallLogging")
            network.inspection.policy.add_property_override(
                "FirewallPolicy.StatefulDefaultActions", ["aws:pass"]
            )
    # A third copy with auto-accepted attachments, as a platform team may choose.
    auto = config.network.transit_gateway.model_copy(update={"auto_accept_shared_attachments": True})
    auto_config = config.model_copy(
        update={"network": config.network.model_copy(update={"transit_gateway": auto})}
    )
    stack = cdk.Stack(app, "AutoAccept", env=cdk.Environment(account="444444444444", region="eu-central-1"))
    classify_rating(stack, rating)
    RegionalNetwork(stack, "Network", config=auto_config, plan=plan)
    Bio2(app)
    return synth(app, outdir)


def test_auto_accept_is_an_accepted_risk_with_its_reason(network_pair: Any) -> None:
    manifest, templates = network_pair
    [res] = [
        r for r in templates["AutoAccept"]["Resources"].values() if r["Type"] == "AWS::EC2::TransitGateway"
    ]
    assert res["Properties"]["AutoAcceptSharedAttachments"] == "enable"
    [violation] = [v for v in manifest["violations"] if v["stack"] == "AutoAccept"]
    assert violation["rule"] == "BIO2-TransitGateway-NoAutoAccept" and violation["acknowledged"]
    assert "associates it with a segment route table" in violation["acknowledgement_reason"]


def test_weakened_firewall_loses_its_evidence(network_pair: Any) -> None:
    manifest, _ = network_pair
    for rule in ("BIO2-NetworkFirewall-Logging", "BIO2-NetworkFirewall-DefaultDrop"):
        assert results(manifest, "Intact", rule) == {"pass"}
        assert results(manifest, "Weakened", rule) == {"fail"}
    intact = [v for v in manifest["violations"] if v["stack"] == "Intact"]
    assert intact == []
