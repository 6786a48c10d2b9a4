"""Tags never overclaim on an app team's plain L2 stack.

The stack below is written the way an app team writes CDK (defaults, patterns, one quick SSH
group), not tuned to the rules. After synthesis no resource may carry a measure tag for which one
of its own rules fails, and every tagged measure must be evidenced by a rule that passed on that
resource itself, never by a neighbour's rule.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bio2_aspects.assembly import find_templates, read_assembly
from bio2_aspects.engine import RuleSet, evaluate_templates, measures_from_tags, rule_measures
from bio2_aspects.rules.base import Result, tags_of

pytestmark = pytest.mark.synth


def plain_app(outdir: Path):
    import aws_cdk as cdk
    from aws_cdk import aws_ec2 as ec2
    from aws_cdk import aws_ecs as ecs
    from aws_cdk import aws_ecs_patterns as ecs_patterns
    from aws_cdk import aws_lambda as lambda_
    from aws_cdk import aws_lambda_event_sources as sources
    from aws_cdk import aws_rds as rds
    from aws_cdk import aws_s3 as s3
    from aws_cdk import aws_sqs as sqs

    app = cdk.App(outdir=str(outdir))
    stack = cdk.Stack(app, "Shop", env=cdk.Environment(account="123456789012", region="eu-central-1"))
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2)
    cluster = ecs.Cluster(stack, "Cluster", vpc=vpc)
    web = ecs_patterns.ApplicationLoadBalancedFargateService(
        stack,
        "Web",
        cluster=cluster,
        task_image_options=ecs_patterns.ApplicationLoadBalancedTaskImageOptions(
            image=ecs.ContainerImage.from_registry("public.ecr.aws/nginx/nginx:latest"),
        ),
        public_load_balancer=True,
    )
    db = rds.DatabaseInstance(
        stack,
        "Db",
        engine=rds.DatabaseInstanceEngine.postgres(version=rds.PostgresEngineVersion.VER_16),
        vpc=vpc,
    )
    db.connections.allow_default_port_from(web.service)
    uploads = s3.Bucket(stack, "Uploads")
    queue = sqs.Queue(stack, "Jobs")
    worker = lambda_.Function(
        stack,
        "Worker",
        runtime=lambda_.Runtime.PYTHON_3_12,
        handler="index.handler",
        code=lambda_.Code.from_inline("def handler(event, context):\n    return None\n"),
        environment={"BUCKET": uploads.bucket_name},
    )
    worker.add_event_source(sources.SqsEventSource(queue))
    uploads.grant_read_write(worker)
    bastion = ec2.SecurityGroup(stack, "Bastion", vpc=vpc, description="ssh for the admins")
    bastion.add_ingress_rule(ec2.Peer.any_ipv4(), ec2.Port.tcp(22), "ssh")
    return app


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory):
    from bio2_aspects import Bio2

    out = tmp_path_factory.mktemp("plain-app")
    app = plain_app(out)
    Bio2(app, report_only=True)
    app.synth()
    manifest = json.loads((out / "bio2" / "manifest.json").read_text())
    [evaluation] = evaluate_templates(read_assembly(find_templates(out), out), RuleSet())
    return evaluation, manifest


def _results(evaluation):
    by_lid: dict[str, list] = {}
    for r in evaluation.results:
        by_lid.setdefault(r.logical_id, []).append(r)
    return by_lid


def _tagged(evaluation) -> dict[str, tuple[str, ...]]:
    out = {}
    for lid, body in evaluation.stack.resources.items():
        measures = measures_from_tags(tags_of(body.get("Properties", {})))
        if measures:
            out[lid] = measures
    return out


def _lid(evaluation, cfn_type: str, prefix: str) -> str:
    [lid] = [
        lid
        for lid, body in evaluation.stack.resources.items()
        if body["Type"] == cfn_type and lid.startswith(prefix)
    ]
    return lid


def test_no_tag_claims_a_measure_one_of_its_own_rules_fails(synthesized):
    evaluation, _ = synthesized
    results = _results(evaluation)
    tagged = _tagged(evaluation)
    assert len(tagged) >= 5, "the plain stack still earns some honest tags"
    for lid, measures in tagged.items():
        failing = {m for r in results[lid] if r.result is Result.NON_COMPLIANT for m in rule_measures(r.rule)}
        assert not set(measures) & failing, f"{lid} claims {set(measures) & failing} that its own rules fail"


def test_every_tag_is_evidenced_by_a_rule_on_the_resource_itself(synthesized):
    evaluation, _ = synthesized
    results = _results(evaluation)
    for lid, measures in _tagged(evaluation).items():
        own = {m for r in results[lid] if r.result is Result.COMPLIANT for m in rule_measures(r.rule)}
        assert set(measures) <= own, f"{lid}: {set(measures) - own} only a neighbour evidences"


def test_tags_are_what_the_manifest_proves_and_no_mismatch(synthesized):
    evaluation, manifest = synthesized
    proven = {r["logical_id"]: tuple(r["measures"]) for r in manifest["resources"]}
    for lid, measures in _tagged(evaluation).items():
        assert proven[lid] == measures, lid
    assert not [v for v in manifest["violations"] if v["rule"] == "BIO2-Engine-TagMismatch"]


def test_ssh_group_claims_no_segregation(synthesized):
    evaluation, _ = synthesized
    lid = _lid(evaluation, "AWS::EC2::SecurityGroup", "Bastion")
    results = {r.rule.id: r.result for r in _results(evaluation)[lid]}
    assert results["BIO2-EC2-SgNoPublicAdminPorts"] is Result.NON_COMPLIANT
    claimed = set(_tagged(evaluation).get(lid, ()))
    assert not claimed & {"8.22.01", "5.15.01", "8.20.02"}, claimed


def test_default_database_in_a_vpc_with_an_internet_gateway_is_not_claimed_private(synthesized):
    evaluation, _ = synthesized
    lid = _lid(evaluation, "AWS::RDS::DBInstance", "Db")
    body = evaluation.stack.resources[lid]
    assert "PubliclyAccessible" not in body["Properties"], "the app team left it to the default"
    results = {r.rule.id: r for r in _results(evaluation)[lid]}
    assert results["BIO2-RDS-NotPublic"].result is Result.NON_COMPLIANT, results["BIO2-RDS-NotPublic"].detail
    claimed = set(_tagged(evaluation).get(lid, ()))
    assert not claimed & {"5.15.01", "8.22.01"}, claimed


def test_plain_bucket_claims_nothing_its_rules_fail(synthesized):
    evaluation, _ = synthesized
    lid = _lid(evaluation, "AWS::S3::Bucket", "Uploads")
    claimed = set(_tagged(evaluation).get(lid, ()))
    failing = {
        m
        for r in _results(evaluation)[lid]
        if r.result is Result.NON_COMPLIANT
        for m in rule_measures(r.rule)
    }
    assert "8.13.01" in failing  # no versioning
    assert not claimed & failing


def test_the_app_team_gets_the_log_inventory_and_internet_facing_register(synthesized):
    """The inventories are the engine's, not the landing zone's: a plain app-team stack gets them."""
    _, manifest = synthesized
    facing = {(r["resource_type"], r["reason"]) for r in manifest["internet_facing"]}
    assert ("AWS::ElasticLoadBalancingV2::LoadBalancer", "load-balancer") in facing
    assert ("AWS::EC2::InternetGateway", "internet-gateway") in facing
    assert ("AWS::EC2::Subnet", "public-ip") in facing, "the VPC's public subnets map public IPs"
    assert not [r for r in manifest["internet_facing"] if r["resource_type"] == "AWS::RDS::DBInstance"]
    logs = {(r["resource_type"], r["log"]) for r in manifest["log_sources"]}
    assert ("AWS::Lambda::Function", "lambda-logs") in logs
    assert ("AWS::ECS::TaskDefinition", "container-logs") in logs
    m = {x["id"]: x for x in manifest["measures"]}
    assert any(
        i["rule"] == "BIO2-Inventory-InternetFacing" and i["result"] == "pass"
        for i in m["5.14.04"]["evidence"]
    )
