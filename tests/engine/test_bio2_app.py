"""Bio2 on an app-team style app: ordinary L2 constructs, written without the rules in mind."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import jsonschema
import pytest
from aws_cdk import Duration
from aws_cdk import aws_dynamodb as ddb
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs

from bio2_aspects import Bio2, Bio2Checks, Exclusion, Owner, Scope, acknowledge, declare_preventive
from bio2_aspects.engine import measures_from_tags
from bio2_aspects.evidence.schema import manifest_schema

pytestmark = pytest.mark.synth

ENV = cdk.Environment(account="123456789012", region="eu-central-1")


def app_team_stack(app: cdk.App) -> cdk.Stack:
    stack = cdk.Stack(app, "Orders", env=ENV)
    key = kms.Key(stack, "DataKey", enable_key_rotation=True)
    s3.Bucket(stack, "Uploads")  # all defaults: no KMS, no versioning
    s3.Bucket(
        stack,
        "Invoices",
        encryption=s3.BucketEncryption.KMS,
        encryption_key=key,
        versioned=True,
        enforce_ssl=True,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )
    sqs.Queue(stack, "Jobs", visibility_timeout=Duration.seconds(30))
    ddb.Table(stack, "Orders", partition_key=ddb.Attribute(name="id", type=ddb.AttributeType.STRING))
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2, nat_gateways=1)
    sg = ec2.SecurityGroup(stack, "Admin", vpc=vpc)
    sg.add_ingress_rule(ec2.Peer.any_ipv4(), ec2.Port.tcp(22), "ssh from anywhere")
    lambda_.Function(
        stack,
        "Handler",
        runtime=lambda_.Runtime.PYTHON_3_12,
        handler="index.handler",
        code=lambda_.Code.from_inline("def handler(event, context):\n    return event\n"),
    )
    return stack


SCOPE = Scope(
    organisation="Gemeente Testdorp",
    owners=(Owner(scope="organisational", owner="CISO"), Owner(scope="8.15.01", owner="Platform team")),
    exclusions=(
        Exclusion(id="6.7", justification="Remote working is covered by the municipal telework policy."),
    ),
    language="en",
)


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory):
    out = tmp_path_factory.mktemp("appteam")
    app = cdk.App(outdir=str(out))
    stack = app_team_stack(app)
    bucket = stack.node.find_child("Uploads")
    acknowledge(bucket, "BIO2-S3-Versioning", "Uploads are transient; the source system keeps the originals.")
    bio2 = Bio2(app, scope=SCOPE, report_only=True)
    app.synth()
    manifest = json.loads((out / "bio2" / "manifest.json").read_text())
    return out, manifest, bio2


def test_manifest_is_schema_valid_and_complete(synthesized):
    _out, manifest, _ = synthesized
    jsonschema.Draft202012Validator(manifest_schema()).validate(manifest)
    assert len(manifest["measures"]) == 117
    assert len(manifest["controls"]) == 93
    assert {c["id"] for c in manifest["controls"]} >= {"5.1", "6.7", "7.14", "8.34"}


def test_evidence_points_at_real_resources(synthesized):
    out, manifest, _ = synthesized
    templates = {t["stack"]: json.loads((out / t["file"]).read_text()) for t in manifest["templates"]}
    verified = [e for m in manifest["measures"] for e in m["evidence"] if e["kind"] == "verified"]
    assert verified, "the app must produce verified evidence"
    for e in verified:
        if e["resource_type"] == "BIO2::Inventory":  # an inventory of the whole assembly
            assert e["path"] == f"manifest.json#/{e['logical_id']}" and e["logical_id"] in manifest
            continue
        res = templates[e["stack"]]["Resources"][e["logical_id"]]
        assert res["Type"] == e["resource_type"]


def test_template_hashes_match_the_files(synthesized):
    import hashlib

    out, manifest, _ = synthesized
    for t in manifest["templates"]:
        assert hashlib.sha256((out / t["file"]).read_bytes()).hexdigest() == t["sha256"]


def test_tags_on_resources_equal_the_verified_measures(synthesized):
    out, manifest, _ = synthesized
    template = json.loads((out / "Orders.template.json").read_text())
    by_lid = {r["logical_id"]: r for r in manifest["resources"]}
    tagged = 0
    for lid, res in template["Resources"].items():
        tags = res.get("Properties", {}).get("Tags")
        if not isinstance(tags, list):
            continue
        measures = measures_from_tags({t["Key"]: t["Value"] for t in tags})
        assert tuple(by_lid[lid]["measures"]) == measures, lid
        tagged += bool(measures)
    assert tagged >= 3


def test_violations_of_default_constructs_are_reported(synthesized):
    _out, manifest, _ = synthesized
    rules = {(v["rule"], v["logical_id"].rstrip("0123456789ABCDEF")) for v in manifest["violations"]}
    open_rules = {v["rule"] for v in manifest["violations"] if not v["acknowledged"]}
    assert any(r.startswith("BIO2-EC2-") for r in open_rules), "ssh from 0.0.0.0/0 must be flagged"
    assert any(r.startswith("BIO2-S3-") for r in open_rules), "a default bucket is not KMS encrypted"
    assert rules


def test_acknowledged_violation_is_an_accepted_risk_with_its_reason(synthesized):
    _out, manifest, _ = synthesized
    accepted = [v for v in manifest["violations"] if v["acknowledged"]]
    assert [v["rule"] for v in accepted] == ["BIO2-S3-Versioning"]
    assert "source system keeps the originals" in accepted[0]["acknowledgement_reason"]
    risks = [r for m in manifest["measures"] for r in m["accepted_risks"]]
    assert risks and all(r["rule"] == "BIO2-S3-Versioning" for r in risks)


def test_scope_decisions_reach_the_statement_of_applicability(synthesized):
    _out, manifest, _ = synthesized
    soa = {c["id"]: c for c in manifest["controls"]}
    assert soa["6.7"]["applicable"] is False and soa["6.7"]["status"] == "excluded"
    assert "telework" in soa["6.7"]["justification"]
    measures = {m["id"]: m for m in manifest["measures"]}
    assert measures["8.15.01"]["owner"]["name"] == "Platform team"
    # an owner without an attested document leaves an organisational measure unattested
    org = [m for m in manifest["measures"] if m["status"] == "unattested"]
    assert org and all(m["owner"] for m in org)
    assert not [
        m for m in manifest["measures"] if m["status"] == "implemented" and m["nature"] != "technical"
    ]


def test_unacknowledged_error_fails_the_synth(tmp_path):
    app = cdk.App(outdir=str(tmp_path))
    stack = cdk.Stack(app, "Bad", env=ENV)
    s3.Bucket(stack, "Plain")
    Bio2(app)
    with pytest.raises(Exception, match="ValidationFailed"):
        app.synth()
    # the evidence is still written, so the failure can be read
    manifest = json.loads((tmp_path / "bio2" / "manifest.json").read_text())
    assert manifest["totals"]["violations"]["open_errors"] > 0


def test_report_only_from_context(tmp_path):
    app = cdk.App(outdir=str(tmp_path), context={"bio2:reportOnly": "true"})
    stack = cdk.Stack(app, "Bad", env=ENV)
    s3.Bucket(stack, "Plain")
    Bio2(app)
    app.synth()
    assert (tmp_path / "bio2" / "summary.md").is_file()


def test_escape_hatch_override_cannot_leave_a_false_tag(tmp_path):
    app = cdk.App(outdir=str(tmp_path))
    stack = cdk.Stack(app, "Hatch", env=ENV)
    bucket = s3.Bucket(stack, "Versioned", versioned=True)
    bucket.node.default_child.add_property_override("VersioningConfiguration.Status", "Suspended")
    Bio2(app, report_only=True)
    app.synth()
    manifest = json.loads((tmp_path / "bio2" / "manifest.json").read_text())
    mismatches = [v for v in manifest["violations"] if v["rule"] == "BIO2-Engine-TagMismatch"]
    assert mismatches, "a tag set before the override must be caught after synthesis"


def _mapping(measure: str):
    from bio2_aspects.mappings import MeasureMapping

    return [
        MeasureMapping("App-SCP-DenyLeave", measure, "supporting", None, "test rationale", "testrationale")
    ]


def test_claimed_preventive_evidence_is_checked_on_the_written_template(tmp_path):
    from constructs import Construct

    from bio2_aspects import claim
    from bio2_aspects.claims import PolicyAttached, PolicyDenies

    app = cdk.App(outdir=str(tmp_path))
    stack = cdk.Stack(app, "Guardrails", env=ENV)
    content = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "cloudtrail:StopLogging", "Resource": "*"}],
    }
    policy = cdk.CfnResource(
        stack,
        "DenyStop",
        type="AWS::Organizations::Policy",
        properties={
            "Name": "deny-stop",
            "Type": "SERVICE_CONTROL_POLICY",
            "Content": content,
            "TargetIds": ["r-ab12"],
        },
    )
    weak = cdk.CfnResource(
        stack,
        "Weak",
        type="AWS::Organizations::Policy",
        properties={
            "Name": "weak",
            "Type": "SERVICE_CONTROL_POLICY",
            "Content": content,
            "TargetIds": ["r-ab12"],
        },
    )
    weak.add_property_override("Content.Statement.0.Effect", "Allow")
    checks = (PolicyDenies(actions=("cloudtrail:StopLogging",)), PolicyAttached(scope="organization"))
    claim(
        policy,
        "App-SCP-DenyStop",
        *checks,
        kind="preventive",
        detail="SCP denies stopping trails",
        mappings=_mapping("8.15.05"),
    )
    claim(weak, "App-SCP-Weak", *checks, kind="preventive", detail="overridden", mappings=_mapping("8.15.04"))
    claim(
        Construct(stack, "Nothing"),
        "App-SCP-Nothing",
        *checks,
        kind="preventive",
        detail="x",
        mappings=_mapping("8.20.01"),
    )
    Bio2(app, report_only=True)
    app.synth()
    manifest = json.loads((tmp_path / "bio2" / "manifest.json").read_text())
    m = {x["id"]: x for x in manifest["measures"]}
    [item] = [e for e in m["8.15.05"]["evidence"] if e["kind"] == "preventive"]
    assert (item["result"], item["claim"], item["strength"]) == ("pass", "App-SCP-DenyStop", "supporting")
    assert item["rationale"] == {"en": "test rationale", "nl": "testrationale"}
    # a supporting claim is part of the measure, never the whole of it
    assert m["8.15.05"]["status"] == "partially_implemented"
    [failed] = [e for e in m["8.15.04"]["evidence"] if e["kind"] == "preventive"]
    assert (
        failed["result"] == "fail" and "no Deny statement covers cloudtrail:StopLogging" in failed["detail"]
    )
    assert m["8.15.04"]["status"] != "implemented"
    assert "BIO2-Engine-ClaimFailed" in [
        v["rule"] for v in manifest["violations"] if v["logical_id"].startswith("Weak")
    ]
    assert all(e["kind"] != "preventive" for e in m["8.20.01"]["evidence"])
    assert [d["path"] for d in manifest["unbacked_declarations"]] == ["Guardrails/Nothing"]


def test_the_old_declarations_fail_with_a_pointer_to_claims():
    from bio2_aspects import declare_detective

    app = cdk.App()
    stack = cdk.Stack(app, "S")
    for fn in (declare_preventive, declare_detective):
        with pytest.raises(TypeError, match=r"bio2_aspects\.claim"):
            fn(stack, ["8.15.05"], description="x")


def test_two_synths_give_identical_evidence(tmp_path):
    def once(d: Path) -> bytes:
        app = cdk.App(outdir=str(d))
        app_team_stack(app)
        Bio2(app, scope=SCOPE, report_only=True)
        app.synth()
        return (d / "bio2" / "manifest.json").read_bytes() + (d / "Orders.template.json").read_bytes()

    assert once(tmp_path / "a") == once(tmp_path / "b")


def test_validate_scope_runs_the_same_rules_the_cdk_nag_way():
    app = cdk.App()
    stack = cdk.Stack(app, "Unit", env=ENV)
    s3.Bucket(stack, "Plain")
    report = Bio2Checks(stack).validate_scope(stack)
    names = {v.rule_name for v in report.violations}
    assert "BIO2-S3-Versioning" in names, names
    assert report.success is False
    # acknowledged on the construct: gone from the cdk-nag style report too
    acknowledge(stack.node.find_child("Plain"), "BIO2-S3-Versioning", "Reason long enough for the auditors.")
    again = Bio2Checks(stack).validate_scope(stack)
    assert "BIO2-S3-Versioning" not in {v.rule_name for v in again.violations}


def test_tags_from_tags_of_and_stages_are_seen_before_tagging(tmp_path):
    """Classification tags added with Tags.of(stack) and stacks inside a Stage are tagged correctly."""
    app = cdk.App(outdir=str(tmp_path))
    stage = cdk.Stage(app, "Baseline")
    for scope_stack in (cdk.Stack(app, "Top", env=ENV), cdk.Stack(stage, "Inner")):
        s3.Bucket(
            scope_stack,
            "Logs",
            encryption=s3.BucketEncryption.KMS,
            versioned=True,
            enforce_ssl=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        for key in ("bio2:confidentiality", "bio2:integrity", "bio2:availability"):
            cdk.Tags.of(scope_stack).add(key, "medium")
    Bio2(app, report_only=True)
    app.synth()
    manifest = json.loads((tmp_path / "bio2" / "manifest.json").read_text())
    assert not [v for v in manifest["violations"] if v["rule"] == "BIO2-Engine-TagMismatch"]
    tagged = {
        (r["stack"], r["type"]): r["measures"]
        for r in manifest["resources"]
        if r["type"] == "AWS::S3::Bucket"
    }
    assert len(tagged) == 2
    for (stack, _type), measures in tagged.items():
        assert "5.12.01" in measures, stack  # the classification tags were there when the tagger ran
    inner = next(t for t in manifest["templates"] if t["stack"].endswith("Inner"))
    template = json.loads((tmp_path / inner["file"]).read_text())
    bucket = next(r for r in template["Resources"].values() if r["Type"] == "AWS::S3::Bucket")
    keys = {t["Key"] for t in bucket["Properties"]["Tags"]}
    assert "bio2:measures" in keys, "stacks inside a Stage get measure tags too"
