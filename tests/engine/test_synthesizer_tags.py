"""Measure tags written by the Bio2 stack synthesizers (one bridge call per stack).

The synthesizer route must give exactly the templates of the construct-tree route (same bytes, same
asset hashes), keep the tags equal to what the final templates prove, and serve every kind of app:
an App-wide default synthesizer, an explicit one per stack, nested Stages, a custom synthesizer
class of the app's own, stacks that keep CDK's synthesizers (tree route), the StackSet member
baseline of the landing zone, and ``Template.from_stack`` in unit tests.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_ssm as ssm
from aws_cdk.assertions import Template

from bio2_aspects import Bio2
from bio2_aspects.engine import measures_from_tags
from bio2_aspects.synthesizer import (
    Bio2CliCredentialsStackSynthesizer,
    Bio2StackSynthesizer,
    TemplateTagging,
)

pytestmark = pytest.mark.synth

ENV = cdk.Environment(account="123456789012", region="eu-central-1")


class MyOwnSynthesizer(TemplateTagging, cdk.DefaultStackSynthesizer):
    """An app's own synthesizer class, made tag-writing with the mixin."""


def _workload(stack: cdk.Stack) -> None:
    s3.Bucket(stack, "Data", versioned=True, enforce_ssl=True)
    s3.Bucket(stack, "Plain")
    sqs.Queue(stack, "Jobs", enforce_ssl=True)
    ssm.StringParameter(stack, "Setting", string_value="x")  # map-shaped tags
    vpc = ec2.Vpc(
        stack,
        "Vpc",
        max_azs=1,
        nat_gateways=0,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="app", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
        ],
    )
    autoscaling.AutoScalingGroup(  # list tags with PropagateAtLaunch
        stack,
        "Workers",
        vpc=vpc,
        instance_type=ec2.InstanceType("t3.micro"),
        machine_image=ec2.MachineImage.generic_linux({"eu-central-1": "ami-12345678"}),
    )
    cdk.Tags.of(stack).add("bio2:confidentiality", "intern")
    cdk.Tags.of(stack).add("Name", "workload")


def _build(outdir: Path, route: str) -> cdk.App:
    """The same app; ``route`` picks how its stacks are synthesized."""
    if route == "default":
        app = cdk.App(outdir=str(outdir), default_stack_synthesizer=Bio2StackSynthesizer())
        explicit = {}
    else:
        app = cdk.App(outdir=str(outdir))
        explicit = {
            "json": Bio2StackSynthesizer,
            "own": MyOwnSynthesizer,
            "cli": Bio2CliCredentialsStackSynthesizer,
        }
    for name in ("Api", "Worker"):
        synth = explicit[route]() if route in explicit else None
        _workload(cdk.Stack(app, name, env=ENV, synthesizer=synth))
    stage = cdk.Stage(app, "Prod", env=ENV)
    synth = explicit[route]() if route in explicit else None
    _workload(cdk.Stack(stage, "Inner", synthesizer=synth))
    Bio2(app, report_only=True)
    app.synth()
    return app


def _files(outdir: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(outdir)): p.read_bytes()
        for p in sorted(outdir.rglob("*"))
        if p.is_file() and (p.name.endswith(".template.json") or p.name.endswith(".assets.json"))
    }


@pytest.fixture(scope="module")
def routes(tmp_path_factory):
    out = {}
    for route in ("tree", "json", "default", "own", "cli"):
        d = tmp_path_factory.mktemp(route)
        _build(d, route)
        out[route] = d
    return out


def test_synthesizer_route_writes_the_same_bytes_as_the_tree_route(routes):
    tree = _files(routes["tree"])
    assert tree
    for route in ("json", "default", "own"):
        files = _files(routes[route])
        assert files.keys() == tree.keys(), route
        for name in tree:
            assert files[name] == tree[name], (route, name)


def test_cli_credentials_variant_tags_like_the_others(routes):
    """It writes no bootstrap-version check, so only the resources compare: they are the same."""
    tree, cli = _files(routes["tree"]), _files(routes["cli"])
    templates = [n for n in tree if n.endswith(".template.json")]
    assert templates
    for name in templates:
        assert json.loads(cli[name])["Resources"] == json.loads(tree[name])["Resources"], name


def test_tags_are_set_and_match_what_the_final_templates_prove(routes):
    manifest = json.loads((routes["json"] / "bio2" / "manifest.json").read_text())
    assert not [v for v in manifest["violations"] if v["rule"] == "BIO2-Engine-TagMismatch"]
    proven = {(r["template"], r["logical_id"]): tuple(r["measures"]) for r in manifest["resources"]}
    tagged = 0
    for path in routes["json"].rglob("*.template.json"):
        template = json.loads(path.read_text())
        rel = str(path.relative_to(routes["json"]))
        for lid, body in template["Resources"].items():
            tags = body.get("Properties", {}).get("Tags")
            if isinstance(tags, list):
                tags = {t["Key"]: t["Value"] for t in tags}
            found = measures_from_tags(tags or {})
            if found:
                tagged += 1
                assert found == proven[(rel, lid)], (rel, lid)
    assert tagged >= 10


def test_asset_manifest_carries_the_hash_of_the_tagged_template(routes):
    out = routes["json"]
    assets = json.loads((out / "Api.assets.json").read_text())
    data = (out / "Api.template.json").read_bytes()
    assert b"bio2:measures" in data
    digest = hashlib.sha256(data).hexdigest()
    entry = assets["files"][digest]
    assert entry["source"]["path"] == "Api.template.json"
    assert all(d["objectKey"] == f"{digest}.json" for d in entry["destinations"].values())
    manifest = json.loads((out / "manifest.json").read_text())
    url = manifest["artifacts"]["Api"]["properties"]["stackTemplateAssetObjectUrl"]
    assert url.endswith(f"/{digest}.json")


def test_without_bio2_the_synthesizer_is_cdks_own(tmp_path):
    files = {}
    for route, synth in (("cdk", cdk.DefaultStackSynthesizer), ("bio2", Bio2StackSynthesizer)):
        app = cdk.App(outdir=str(tmp_path / route))
        _workload(cdk.Stack(app, "Api", env=ENV, synthesizer=synth()))
        app.synth()
        files[route] = _files(tmp_path / route)
    assert files["cdk"] == files["bio2"]


def test_escape_hatch_after_tagging_is_still_seen(tmp_path):
    """The synthesizer tags the template as written, overrides included: no stale tag is possible."""
    app = cdk.App(outdir=str(tmp_path), default_stack_synthesizer=Bio2StackSynthesizer())
    stack = cdk.Stack(app, "Api", env=ENV)
    bucket = s3.Bucket(stack, "Data", versioned=True, enforce_ssl=True)
    bucket.node.default_child.add_property_override("VersioningConfiguration.Status", "Suspended")
    Bio2(app, report_only=True)
    app.synth()
    template = json.loads((tmp_path / "Api.template.json").read_text())
    lid = stack.get_logical_id(bucket.node.default_child)
    tags = {t["Key"]: t["Value"] for t in template["Resources"][lid]["Properties"].get("Tags", [])}
    assert "8.13.01" not in " ".join(v for k, v in tags.items() if k.startswith("bio2:measures"))
    manifest = json.loads((tmp_path / "bio2" / "manifest.json").read_text())
    assert not [v for v in manifest["violations"] if v["rule"] == "BIO2-Engine-TagMismatch"]


def test_template_from_stack_in_unit_tests_sees_the_tags():
    app = cdk.App()
    stack = cdk.Stack(app, "Api", env=ENV, synthesizer=Bio2StackSynthesizer())
    s3.Bucket(stack, "Data", versioned=True, enforce_ssl=True)
    Bio2(app, report_only=True)
    template = Template.from_stack(stack)
    buckets = template.find_resources("AWS::S3::Bucket")
    (body,) = buckets.values()
    keys = [t["Key"] for t in body["Properties"]["Tags"]]
    assert "bio2:measures" in keys


def test_landing_zone_stackset_body_carries_the_same_tags_as_the_baseline(default_synth):
    baseline = default_synth.template("lz-member-baseline")
    (stackset,) = [r for _, _, r in default_synth.resources("AWS::CloudFormation::StackSet")]
    body = json.loads(stackset["Properties"]["TemplateBody"])
    tagged = 0
    for lid, res in baseline["Resources"].items():
        props = res.get("Properties", {})
        for key in ("Tags", "BackupPlanTags", "BackupVaultTags"):
            if key in props:
                assert body["Resources"][lid]["Properties"][key] == props[key]
                tagged += "bio2:measures" in json.dumps(props[key])
    assert tagged >= 3


def test_tree_route_sees_overridden_logical_ids(tmp_path):
    """A resource renamed with ``override_logical_id`` keeps its relations (a bucket policy's Ref to
    its bucket) before rendering too, so its tags equal what the final template proves."""
    app = cdk.App(outdir=str(tmp_path))
    stack = cdk.Stack(app, "Api", env=ENV)
    bucket = s3.Bucket(stack, "Data", versioned=True, enforce_ssl=True)
    bucket.node.default_child.override_logical_id("DataBucket")
    Bio2(app, report_only=True)
    app.synth()
    manifest = json.loads((tmp_path / "bio2" / "manifest.json").read_text())
    assert not [v for v in manifest["violations"] if v["rule"] == "BIO2-Engine-TagMismatch"]
    template = json.loads((tmp_path / "Api.template.json").read_text())
    tags = {t["Key"]: t["Value"] for t in template["Resources"]["DataBucket"]["Properties"]["Tags"]}
    assert "8.21.04" in tags["bio2:measures"].split()  # the TLS-only policy found its bucket


def test_a_template_with_a_lone_surrogate_is_tagged_and_stays_json(tmp_path: Path) -> None:
    """Node writes a lone surrogate (here in an output) as an escape, which UTF-8 cannot hold as a
    character: the tagged template writes it escaped too, instead of failing the synth."""
    app = cdk.App(outdir=str(tmp_path), default_stack_synthesizer=Bio2StackSynthesizer())
    stack = cdk.Stack(app, "Odd", env=ENV)
    sqs.Queue(stack, "Jobs", enforce_ssl=True)
    cdk.CfnOutput(stack, "Label", value="caf\u00e9 \ud800")
    Bio2(app, report_only=True)
    app.synth()
    data = (tmp_path / "Odd.template.json").read_bytes()
    assert b"\\ud800" in data
    template = json.loads(data)
    assert template["Outputs"]["Label"]["Value"] == "caf\u00e9 \ud800"
    queue = next(r for r in template["Resources"].values() if r["Type"] == "AWS::SQS::Queue")
    assert measures_from_tags({t["Key"]: t["Value"] for t in queue["Properties"]["Tags"]})
