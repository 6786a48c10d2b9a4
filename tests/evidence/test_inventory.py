"""The log-source inventory (8.15.03) and the internet-facing register (5.14.04) the engine computes.

Each test tries to break a claim the inventories make: that every kind of source or exposure is
found (and nothing internal is listed), that Conditions are honoured, that a value known only at
deploy time makes the register incomplete (and its evidence stop counting), that removing every
log source takes the 8.15.03 evidence away, and that the reports show both in English and Dutch.
"""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest

from bio2_aspects.assembly import StackTemplate
from bio2_aspects.evidence.inventory import (
    FACING_EXTRACTORS,
    INTERNET_FACING_ID,
    LOG_EXTRACTORS,
    LOG_SOURCES_ID,
    internet_facing,
    inventories,
    inventory_evidence,
    log_sources,
)
from bio2_aspects.evidence.inventory_report import inventory_labels, inventory_markdown
from bio2_aspects.evidence.models import InternetFacingResource, LogSource
from bio2_aspects.mappings import inventory_table
from tests.claims.conftest import STATUS_RANK, Evidence, evidence_from, manifest_of, mutate


@pytest.fixture(scope="module")
def lz(default_synth: Any) -> Evidence:
    from landing_zone.app import bio2_scope
    from landing_zone.config import load_config

    return evidence_from(default_synth.outdir, bio2_scope(load_config(None)))


def stack(
    resources: dict[str, Any], conditions: dict[str, Any] | None = None, name: str = "App"
) -> StackTemplate:
    template: dict[str, Any] = {"Resources": resources}
    if conditions:
        template["Conditions"] = conditions
    return StackTemplate(
        artifact_id=name,
        stack_name=name,
        template_file=f"{name}.template.json",
        template=template,
        sha256="0" * 64,
        account="123456789012",
        region="eu-central-1",
    )


def res(cfn_type: str, **props: Any) -> dict[str, Any]:
    return {"Type": cfn_type, "Properties": props}


def facing(resources: dict[str, Any], **kw: Any) -> dict[str, str]:
    return {r["logical_id"]: r["reason"] for r in internet_facing([stack(resources, **kw)])}


def logs(resources: dict[str, Any], **kw: Any) -> list[tuple[str, str, str, str]]:
    return [
        (r["logical_id"], r["log"], r["destination_type"], r["destination"])
        for r in log_sources([stack(resources, **kw)])
    ]


# ------------------------------------------------------------------ internet-facing register

EXPOSED = {
    "Igw": (res("AWS::EC2::InternetGateway"), "internet-gateway"),
    "Eip": (res("AWS::EC2::EIP", Domain="vpc"), "elastic-ip"),
    "Nat": (res("AWS::EC2::NatGateway", SubnetId="subnet-1"), "nat-gateway"),
    "AlbDefault": (res("AWS::ElasticLoadBalancingV2::LoadBalancer"), "load-balancer"),
    "Nlb": (
        res("AWS::ElasticLoadBalancingV2::LoadBalancer", Type="network", Scheme="internet-facing"),
        "load-balancer",
    ),
    "Elb": (res("AWS::ElasticLoadBalancing::LoadBalancer"), "load-balancer"),
    "Cdn": (res("AWS::CloudFront::Distribution", DistributionConfig={"Enabled": True}), "cloudfront"),
    "RestEdge": (res("AWS::ApiGateway::RestApi", Name="a"), "rest-api"),
    "RestRegional": (
        res("AWS::ApiGateway::RestApi", EndpointConfiguration={"Types": ["REGIONAL"]}),
        "rest-api",
    ),
    "HttpApi": (res("AWS::ApiGatewayV2::Api", ProtocolType="HTTP"), "http-api"),
    "Url": (res("AWS::Lambda::Url", AuthType="NONE", TargetFunctionArn="x"), "function-url"),
    "DbPublic": (res("AWS::RDS::DBInstance", PubliclyAccessible=True), "database-public"),
    "Vm": (
        res("AWS::EC2::Instance", NetworkInterfaces=[{"DeviceIndex": "0", "AssociatePublicIpAddress": True}]),
        "public-ip",
    ),
    "PublicSubnet": (res("AWS::EC2::Subnet", MapPublicIpOnLaunch=True, CidrBlock="10.0.0.0/24"), "public-ip"),
    "DbCluster": (res("AWS::RDS::DBCluster", PubliclyAccessible="true"), "database-public"),
    "Lt": (
        res(
            "AWS::EC2::LaunchTemplate",
            LaunchTemplateData={"NetworkInterfaces": [{"AssociatePublicIpAddress": True}]},
        ),
        "public-ip",
    ),
    "Ga": (res("AWS::GlobalAccelerator::Accelerator", Name="ga"), "global-accelerator"),
    "Sftp": (res("AWS::Transfer::Server"), "transfer-server"),
    "ClientVpn": (res("AWS::EC2::ClientVpnEndpoint"), "client-vpn"),
    "S2s": (res("AWS::EC2::VPNConnection", Type="ipsec.1"), "site-to-site-vpn"),
    "Gql": (res("AWS::AppSync::GraphQLApi", Name="g"), "graphql-api"),
    "Search": (res("AWS::OpenSearchService::Domain"), "search-domain"),
    "Eks": (res("AWS::EKS::Cluster", ResourcesVpcConfig={"SubnetIds": []}), "kubernetes-api"),
    "Site": (res("AWS::S3::Bucket", WebsiteConfiguration={"IndexDocument": "index.html"}), "s3-website"),
}

INTERNAL = {
    "PrivateNat": res("AWS::EC2::NatGateway", ConnectivityType="private"),
    "InternalAlb": res("AWS::ElasticLoadBalancingV2::LoadBalancer", Scheme="internal"),
    "Gwlb": res("AWS::ElasticLoadBalancingV2::LoadBalancer", Type="gateway"),
    "PrivateApi": res("AWS::ApiGateway::RestApi", EndpointConfiguration={"Types": ["PRIVATE"]}),
    "Db": res("AWS::RDS::DBInstance", PubliclyAccessible=False),
    "DbDefault": res("AWS::RDS::DBInstance"),
    "Vm": res("AWS::EC2::Instance", SubnetId="subnet-1"),
    "PrivateSubnet": res("AWS::EC2::Subnet", CidrBlock="10.0.1.0/24"),
    "VpcSftp": res("AWS::Transfer::Server", EndpointType="VPC", EndpointDetails={"VpcId": "vpc-1"}),
    "PrivateGql": res("AWS::AppSync::GraphQLApi", Visibility="PRIVATE"),
    "VpcSearch": res("AWS::OpenSearchService::Domain", VPCOptions={"SubnetIds": ["s"]}),
    "PrivateEks": res("AWS::EKS::Cluster", ResourcesVpcConfig={"EndpointPublicAccess": False}),
    "Bucket": res("AWS::S3::Bucket"),
    "Queue": res("AWS::SQS::Queue"),
}


def test_every_kind_of_internet_facing_resource_is_registered_with_why() -> None:
    found = facing({lid: body for lid, (body, _) in EXPOSED.items()})
    assert found == {lid: reason for lid, (_, reason) in EXPOSED.items()}
    covered = {body["Type"] for body, _ in EXPOSED.values()}
    assert covered == set(FACING_EXTRACTORS), "a type the register knows has no test case"


def test_internal_resources_are_not_registered() -> None:
    assert facing(INTERNAL) == {}


def test_the_default_scheme_of_a_load_balancer_is_internet_facing() -> None:
    rows = internet_facing([stack({"Alb": res("AWS::ElasticLoadBalancingV2::LoadBalancer")})])
    assert "Scheme (default) internet-facing" in rows[0]["detail"]


def test_a_value_known_only_at_deploy_time_makes_the_register_incomplete() -> None:
    param = {"Ref": "SchemeParam"}
    inv = inventories([stack({"Alb": res("AWS::ElasticLoadBalancingV2::LoadBalancer", Scheme=param)})])
    assert [r["reason"] for r in inv.internet_facing] == ["undetermined"]
    items = [i for _m, i in inventory_evidence(inv) if i["rule"] == INTERNET_FACING_ID]
    assert items and all(i["result"] == "unknown" for i in items)
    for bad in (
        res("AWS::RDS::DBInstance", PubliclyAccessible={"Fn::If": ["C", True, False]}),
        res("AWS::ApiGateway::RestApi", EndpointConfiguration={"Types": {"Ref": "T"}}),
        res("AWS::EC2::Instance", NetworkInterfaces=[{"AssociatePublicIpAddress": {"Ref": "P"}}]),
    ):
        assert facing({"X": bad}) == {"X": "undetermined"}


def test_conditions_decide_what_is_listed() -> None:
    conditions = {
        "Never": {"Fn::Equals": ["a", "b"]},
        "Later": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
    }
    igw = res("AWS::EC2::InternetGateway")
    rows = internet_facing(
        [stack({"Gone": {**igw, "Condition": "Never"}, "Maybe": {**igw, "Condition": "Later"}}, conditions)]
    )
    assert [(r["logical_id"], r["conditional"]) for r in rows] == [("Maybe", True)]


def test_an_empty_register_is_evidence_that_nothing_is_internet_facing() -> None:
    inv = inventories([stack({"Q": res("AWS::SQS::Queue")})])
    assert inv.internet_facing == []
    [(measure, item)] = [(m, i) for m, i in inventory_evidence(inv) if i["rule"] == INTERNET_FACING_ID]
    assert (measure, item["result"], item["strength"], item["facet"]) == (
        "5.14.04",
        "pass",
        "full",
        "5.14.04.t1",
    )


# ------------------------------------------------------------------ log sources

BUCKET = {"Ref": "Logs"}
SOURCES = {
    "Trail": res("AWS::CloudTrail::Trail", IsLogging=True, S3BucketName=BUCKET),
    "Channel": res("AWS::Config::DeliveryChannel", S3BucketName="archive"),
    "Flow": res("AWS::EC2::FlowLog", LogDestinationType="s3", LogDestination="arn:aws:s3:::archive"),
    "Web": res("AWS::S3::Bucket", LoggingConfiguration={"DestinationBucketName": BUCKET}),
    "Alb": res(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        Scheme="internal",
        LoadBalancerAttributes=[
            {"Key": "access_logs.s3.enabled", "Value": "true"},
            {"Key": "access_logs.s3.bucket", "Value": "archive"},
        ],
    ),
    "Cdn": res("AWS::CloudFront::Distribution", DistributionConfig={"Logging": {"Bucket": "archive.s3"}}),
    "WafLog": res("AWS::WAFv2::LoggingConfiguration", LogDestinationConfigs=["arn:aws:firehose:x"]),
    "FwLog": res(
        "AWS::NetworkFirewall::LoggingConfiguration",
        LoggingConfiguration={
            "LogDestinationConfigs": [
                {"LogType": "ALERT", "LogDestinationType": "S3", "LogDestination": {"bucketName": "archive"}}
            ]
        },
    ),
    "Stage": res(
        "AWS::ApiGateway::Stage", AccessLogSetting={"DestinationArn": {"Fn::GetAtt": ["Group", "Arn"]}}
    ),
    "Deployment": res(
        "AWS::ApiGateway::Deployment",
        StageDescription={"AccessLogSetting": {"DestinationArn": "arn:aws:logs:x"}},
    ),
    "HttpStage": res("AWS::ApiGatewayV2::Stage", AccessLogSettings={"DestinationArn": "arn:aws:logs:y"}),
    "Dns": res("AWS::Route53Resolver::ResolverQueryLoggingConfig", DestinationArn="arn:aws:s3:::archive"),
    "Db": res("AWS::RDS::DBInstance", EnableCloudwatchLogsExports=["postgresql"]),
    "Cluster": res("AWS::RDS::DBCluster", EnableCloudwatchLogsExports=["audit"]),
    "Fn": res("AWS::Lambda::Function", FunctionName="worker"),
    "Task": res(
        "AWS::ECS::TaskDefinition",
        ContainerDefinitions=[
            {
                "Name": "web",
                "LogConfiguration": {"LogDriver": "awslogs", "Options": {"awslogs-group": "/app"}},
            }
        ],
    ),
    "Sm": res(
        "AWS::StepFunctions::StateMachine",
        LoggingConfiguration={
            "Level": "ALL",
            "Destinations": [{"CloudWatchLogsLogGroup": {"LogGroupArn": "a"}}],
        },
    ),
    "Eks": res("AWS::EKS::Cluster", Logging={"ClusterLogging": {"EnabledTypes": [{"Type": "audit"}]}}),
    "GdExport": res(
        "AWS::GuardDuty::PublishingDestination", DestinationProperties={"DestinationArn": "arn:aws:s3:::a"}
    ),
    "Delivery": res("AWS::Logs::Delivery", DeliverySourceName="src", DeliveryDestinationArn="arn:aws:logs:z"),
    "Forward": res("AWS::Logs::SubscriptionFilter", LogGroupName="/app", DestinationArn="arn:aws:firehose:q"),
    "Group": res("AWS::Logs::LogGroup", RetentionInDays=365),
    "Logs": res("AWS::S3::Bucket"),
}


def test_every_kind_of_log_source_is_listed_with_its_destination() -> None:
    rows = log_sources([stack(SOURCES)])
    by_id = {r["logical_id"]: r for r in rows}
    expected = set(SOURCES) - {"Group", "Logs"}
    assert set(by_id) == expected, "every source once; the log group is written by Stage, not listed alone"
    covered = {SOURCES[lid]["Type"] for lid in expected}
    assert covered == set(LOG_EXTRACTORS), "a type the inventory knows has no test case"
    assert (
        by_id["Stage"]["retention_days"] == "365" and by_id["Stage"]["destination_type"] == "cloudwatch-logs"
    )
    assert by_id["Trail"]["destination"] == "Ref Logs" and by_id["Trail"]["destination_type"] == "s3"
    assert by_id["Fn"]["destination"] == "/aws/lambda/worker"
    assert by_id["Db"]["destination"].startswith("/aws/rds/instance/")
    assert by_id["Cluster"]["destination"].startswith("/aws/rds/cluster/")
    assert by_id["WafLog"]["destination_type"] == "firehose"
    for r in rows:
        LogSource.model_validate(r)


def test_a_log_group_no_source_writes_to_is_listed_with_its_retention() -> None:
    rows = log_sources([stack({"G": res("AWS::Logs::LogGroup", LogGroupName="/app/audit")})])
    assert [(r["log"], r["destination"], r["retention_days"]) for r in rows] == [
        ("log-group", "/app/audit", None)
    ]


def test_a_literal_log_group_name_or_arn_resolves_but_a_longer_name_does_not() -> None:
    groups = {
        "G": res("AWS::Logs::LogGroup", LogGroupName="/app", RetentionInDays=400),
        "Other": res("AWS::Logs::LogGroup", LogGroupName="/app-audit", RetentionInDays=731),
    }
    fns = {
        "ByName": res("AWS::Lambda::Function", LoggingConfig={"LogGroup": "/app"}),
        "ByArn": res(
            "AWS::ApiGateway::Stage",
            AccessLogSetting={"DestinationArn": "arn:aws:logs:eu-central-1:1:log-group:/app"},
        ),
        "Longer": res("AWS::Lambda::Function", LoggingConfig={"LogGroup": "/app-audit"}),
    }
    rows = {r["logical_id"]: r["retention_days"] for r in log_sources([stack({**groups, **fns})])}
    assert rows == {"ByName": "400", "ByArn": "400", "Longer": "731"}


def test_switched_off_sources_are_not_listed() -> None:
    off = {
        "Trail": res("AWS::CloudTrail::Trail", IsLogging=False, S3BucketName="a"),
        "Alb": res(
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            Scheme="internal",
            LoadBalancerAttributes=[{"Key": "access_logs.s3.enabled", "Value": "false"}],
        ),
        "Sm": res("AWS::StepFunctions::StateMachine", LoggingConfiguration={"Level": "OFF"}),
        "Bucket": res("AWS::S3::Bucket"),
    }
    assert logs(off) == []
    inv = inventories([stack(off)])
    assert not [i for _m, i in inventory_evidence(inv) if i["rule"] == LOG_SOURCES_ID], (
        "no log source: no evidence"
    )


def test_a_source_under_a_false_condition_is_not_listed() -> None:
    trail = {**res("AWS::CloudTrail::Trail", IsLogging=True, S3BucketName="a"), "Condition": "Never"}
    assert logs({"Trail": trail}, conditions={"Never": {"Fn::Equals": ["1", "2"]}}) == []


def test_the_inventories_are_deterministic_and_valid() -> None:
    stacks = [stack(SOURCES, name="B"), stack({lid: b for lid, (b, _) in EXPOSED.items()}, name="A")]
    first = inventories(stacks)
    again = inventories(list(reversed(copy.deepcopy(stacks))))
    assert json.dumps(first.log_sources) == json.dumps(again.log_sources)
    assert json.dumps(first.internet_facing) == json.dumps(again.internet_facing)
    for r in first.internet_facing:
        InternetFacingResource.model_validate(r)


# ------------------------------------------------------------------ mapping and labels


def test_the_inventory_mappings_are_data_with_rationale() -> None:
    table = inventory_table()
    assert set(table) == {LOG_SOURCES_ID, INTERNET_FACING_ID}
    for pairs in table.values():
        for p in pairs:
            assert p.strength == "full" and p.facet and p.rationale_en and p.rationale_nl
    assert [p.measure for p in table[LOG_SOURCES_ID]] == ["8.15.03"]
    assert [p.measure for p in table[INTERNET_FACING_ID]] == ["5.14.04"]


def test_the_measures_keep_an_organisational_facet_to_attest() -> None:
    from bio2_aspects.catalog.facets import facets_of

    for measure in ("8.15.03", "5.14.04"):
        kinds = {f.kind for f in facets_of(measure)}
        assert kinds == {"technical", "organisational"}, measure


def test_every_key_has_a_label_in_both_languages() -> None:
    en, nl = inventory_labels("en"), inventory_labels("nl")
    assert set(en) == set(nl)
    keys = {r["log"] for r in log_sources([stack(SOURCES)])} | {
        "network-firewall-flow-logs",
        "network-firewall-tls-logs",
        "log-group",
        "elb-connection-logs",
        "elb-health-check-logs",
    }
    reasons = {reason for _b, reason in EXPOSED.values()} | {"undetermined"}
    for lang in (en, nl):
        assert all(f"log.{k}" in lang for k in keys)
        assert all(f"reason.{k}" in lang for k in reasons)
    assert all(en[k] != nl[k] for k in en if k.endswith((".title", ".intro", ".none")))


def test_the_rationales_copy_no_official_text() -> None:
    from bio2_aspects.catalog import find_official_markdown, parse_official_markdown
    from tests.copycheck import MAX_SHARED_RUN, official_runs, word_runs

    path = find_official_markdown()
    if path is None:
        path = Path(__file__).resolve().parents[3] / "shared" / "data" / "bio2" / "maatregelen-v1.3.md"
    if not path.is_file():
        pytest.skip("official BIO2 markdown not available")
    runs = official_runs(parse_official_markdown(path).values())
    texts = [
        t for pairs in inventory_table().values() for p in pairs for t in (p.rationale_en, p.rationale_nl)
    ]
    texts += list(inventory_labels("nl").values())
    for text in texts:
        assert not (word_runs(text, MAX_SHARED_RUN) & runs), text


# ------------------------------------------------------------------ on the default landing zone


def test_the_default_landing_zone_lists_its_logs_and_exposure(lz: Evidence) -> None:
    m = lz.manifest
    logs_of = {(r["resource_type"], r["log"]) for r in m["log_sources"]}
    assert ("AWS::CloudTrail::Trail", "cloudtrail") in logs_of
    assert ("AWS::Config::DeliveryChannel", "config-history") in logs_of
    assert ("AWS::EC2::FlowLog", "vpc-flow-logs") in logs_of
    assert ("AWS::NetworkFirewall::LoggingConfiguration", "network-firewall-alert-logs") in logs_of
    reasons = {r["reason"] for r in m["internet_facing"]}
    assert {"internet-gateway", "elastic-ip", "nat-gateway"} <= reasons
    for measure, source in (("8.15.03", LOG_SOURCES_ID), ("5.14.04", INTERNET_FACING_ID)):
        entry = lz.measure(measure)
        assert [i["result"] for i in entry["evidence"] if i["rule"] == source] == ["pass"]
        assert entry["status"] == "awaiting_attestation", "technical part evidenced, organisational facet not"
        assert entry["missing_facets"] == [f"{measure}.o1"]


def _drop_log_sources(stacks: list[StackTemplate]) -> int:
    n = 0
    for st in stacks:
        for lid in list(st.resources):
            rtype = st.resources[lid].get("Type")
            if rtype in LOG_EXTRACTORS or rtype == "AWS::Logs::LogGroup":
                if rtype == "AWS::S3::Bucket":
                    if st.resources[lid].get("Properties", {}).pop("LoggingConfiguration", None) is None:
                        continue
                elif rtype == "AWS::ElasticLoadBalancingV2::LoadBalancer":
                    continue
                else:
                    del st.resources[lid]
                n += 1
    return n


def test_removing_every_log_source_takes_the_evidence_away(lz: Evidence) -> None:
    after = mutate(lz, _drop_log_sources)
    assert after.manifest["log_sources"] == []
    assert not [i for i in after.measure("8.15.03")["evidence"] if i["rule"] == LOG_SOURCES_ID]
    assert STATUS_RANK[after.status("8.15.03")] < STATUS_RANK[lz.status("8.15.03")]


def test_a_trail_that_is_never_created_leaves_the_inventory(lz: Evidence) -> None:
    def never(stacks: list[StackTemplate]) -> int:
        n = 0
        for st in stacks:
            for body in st.resources.values():
                if body.get("Type") == "AWS::CloudTrail::Trail":
                    body["Condition"] = "InventoryTestNever"
                    st.template.setdefault("Conditions", {})["InventoryTestNever"] = {
                        "Fn::Equals": ["a", "b"]
                    }
                    n += 1
        return n

    after = mutate(lz, never)
    assert not [r for r in after.manifest["log_sources"] if r["log"] == "cloudtrail"]
    assert [r for r in lz.manifest["log_sources"] if r["log"] == "cloudtrail"]


def test_an_undeterminable_exposure_lowers_5_14_04(lz: Evidence) -> None:
    def by_parameter(stacks: list[StackTemplate]) -> int:
        for st in stacks:
            for body in st.resources.values():
                if body.get("Type") == "AWS::EC2::NatGateway":
                    body.setdefault("Properties", {})["ConnectivityType"] = {"Ref": "NatType"}
                    return 1
        return 0

    after = mutate(lz, by_parameter)
    items = [i for i in after.measure("5.14.04")["evidence"] if i["rule"] == INTERNET_FACING_ID]
    assert [i["result"] for i in items] == ["unknown"]
    assert STATUS_RANK[after.status("5.14.04")] < STATUS_RANK[lz.status("5.14.04")]


def test_a_new_internet_facing_resource_appears_in_the_register(lz: Evidence) -> None:
    def add_alb(stacks: list[StackTemplate]) -> int:
        stacks[0].resources["InventoryTestAlb"] = res("AWS::ElasticLoadBalancingV2::LoadBalancer")
        return 1

    after = mutate(lz, add_alb)
    assert [
        r["reason"] for r in after.manifest["internet_facing"] if r["logical_id"] == "InventoryTestAlb"
    ] == ["load-balancer"]


def test_reports_show_both_inventories_in_both_languages(lz: Evidence) -> None:
    import openpyxl

    from bio2_aspects.evidence.exporters import render_files

    for lang in ("en", "nl"):
        t = inventory_labels(lang)
        files = render_files(lz.manifest, ["xlsx", "hld", "html"], lang=lang)
        wb = openpyxl.load_workbook(io.BytesIO(files["control-register.xlsx"]))
        for key in ("log_sources", "internet_facing"):
            rows = list(wb[t[f"sheet.{key}"]].iter_rows(values_only=True))
            assert len(rows) == 1 + len(lz.manifest[key])
            assert t[f"{key}.title"] in files["hld.md"].decode()
            assert t[f"{key}.title"] in files["report.html"].decode()
        assert t["reason.internet-gateway"] in files["hld.md"].decode()
    from bio2_aspects.evidence.models import validate

    empty = validate({**lz.manifest, "log_sources": [], "internet_facing": []})
    assert inventory_markdown(empty, "nl")[-1] == inventory_labels("nl")["internet_facing.none"]


def test_manifest_of_is_unchanged_by_rendering(lz: Evidence) -> None:
    again = manifest_of(copy.deepcopy(lz.stacks), lz.scope)
    assert again["log_sources"] == lz.manifest["log_sources"]
    assert again["internet_facing"] == lz.manifest["internet_facing"]
