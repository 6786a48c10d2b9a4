"""Resource ``Condition``s: a resource that synth time cannot prove is created never counts as evidence."""

from __future__ import annotations

from typing import Any

import pytest

from bio2_aspects.engine import RuleSet, build_view, evaluate_stack, satisfied_measures
from bio2_aspects.rules import get_rule
from bio2_aspects.rules.base import Result, condition_value

IS_PROD = {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}  # depends on a parameter: unknown
TRUE = {"Fn::Equals": ["eu-central-1", "eu-central-1"]}
FALSE = {"Fn::Equals": ["a", "b"]}
HOME = {"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-central-1"]}

FLOW_RULES = RuleSet([get_rule("BIO2-EC2-VpcFlowLogs")])
KMS_RULES = RuleSet([get_rule("BIO2-KMS-KeyRotation")])


def _vpc_with_flow_log(condition: str | None) -> dict[str, Any]:
    flow: dict[str, Any] = {
        "Type": "AWS::EC2::FlowLog",
        "Properties": {"ResourceId": {"Ref": "Vpc"}, "ResourceType": "VPC", "TrafficType": "ALL"},
    }
    if condition:
        flow["Condition"] = condition
    return {"Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}}, "Flow": flow}


def _result(view, rules) -> tuple[Result, str]:
    [r] = evaluate_stack(view, rules)
    return r.result, r.detail


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (TRUE, True),
        (FALSE, False),
        (IS_PROD, None),
        ({"Fn::Not": [FALSE]}, True),
        ({"Fn::Not": [IS_PROD]}, None),
        ({"Fn::And": [TRUE, IS_PROD]}, None),
        ({"Fn::And": [FALSE, IS_PROD]}, False),
        ({"Fn::Or": [TRUE, IS_PROD]}, True),
        ({"Fn::Or": [FALSE, IS_PROD]}, None),
        ({"Condition": "Missing"}, None),
        ({"Fn::Equals": [{"Fn::FindInMap": ["M", "k", "v"]}, "x"]}, None),
        ("true", None),
    ],
)
def test_condition_value(expr, expected) -> None:
    assert condition_value(expr, {}) is expected


def test_condition_cycles_are_unknown() -> None:
    conditions = {"A": {"Condition": "B"}, "B": {"Condition": "A"}}
    assert condition_value({"Condition": "A"}, conditions) is None


def test_pseudo_parameters_known_at_synth_time() -> None:
    assert condition_value(HOME, {}, {"AWS::Region": "eu-central-1"}) is True
    assert condition_value(HOME, {}, {"AWS::Region": "eu-west-1"}) is False
    assert condition_value(HOME, {}, {}) is None


def test_flow_log_with_unknown_condition_proves_nothing() -> None:
    view = build_view("s", _vpc_with_flow_log("IsProd"), conditions={"IsProd": IS_PROD})
    result, detail = _result(view, FLOW_RULES)
    assert result is Result.NON_COMPLIANT
    assert "Condition holds" in detail


def test_flow_log_with_false_condition_proves_nothing() -> None:
    view = build_view("s", _vpc_with_flow_log("Never"), conditions={"Never": FALSE})
    assert _result(view, FLOW_RULES)[0] is Result.NON_COMPLIANT


def test_flow_log_with_literally_true_condition_counts() -> None:
    view = build_view("s", _vpc_with_flow_log("Always"), conditions={"Always": TRUE})
    assert _result(view, FLOW_RULES)[0] is Result.COMPLIANT


def test_flow_log_in_the_home_region_counts_only_where_the_region_is_known() -> None:
    tpl = _vpc_with_flow_log("Home")
    known = build_view("s", tpl, conditions={"Home": HOME}, pseudo={"AWS::Region": "eu-central-1"})
    unknown = build_view("s", tpl, conditions={"Home": HOME})
    assert _result(known, FLOW_RULES)[0] is Result.COMPLIANT
    assert _result(unknown, FLOW_RULES)[0] is Result.NON_COMPLIANT


def _key(condition: str | None, rotation: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": rotation}}
    if condition:
        body["Condition"] = condition
    return {"Key": body}


def test_conditional_resource_pass_does_not_count() -> None:
    view = build_view("s", _key("IsProd", True), conditions={"IsProd": IS_PROD})
    results = evaluate_stack(view, KMS_RULES)
    assert [r.result for r in results] == [Result.NOT_APPLICABLE]
    assert "unknown at synth time" in results[0].detail
    assert satisfied_measures(results) == {}


def test_conditional_resource_failure_still_fails() -> None:
    view = build_view("s", _key("IsProd", False), conditions={"IsProd": IS_PROD})
    assert _result(view, KMS_RULES)[0] is Result.NON_COMPLIANT


def test_never_created_resource_is_not_applicable() -> None:
    view = build_view("s", _key("Never", False), conditions={"Never": FALSE})
    result, detail = _result(view, KMS_RULES)
    assert result is Result.NOT_APPLICABLE and "never created" in detail


def test_unconditional_resource_is_unchanged() -> None:
    view = build_view("s", _key(None, True))
    assert _result(view, KMS_RULES)[0] is Result.COMPLIANT


def test_conditional_security_group_ingress_still_opens_the_group() -> None:
    """A failure that may deploy stands: an SSH ingress with an unknown Condition fails its group."""
    tpl = {
        "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "d"}},
        "In": {
            "Type": "AWS::EC2::SecurityGroupIngress",
            "Condition": "IsProd",
            "Properties": {
                "GroupId": {"Fn::GetAtt": ["Sg", "GroupId"]},
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "CidrIp": "0.0.0.0/0",
            },
        },
    }
    view = build_view("s", tpl, conditions={"IsProd": IS_PROD})
    results = {
        r.logical_id: r.result
        for r in evaluate_stack(view, RuleSet([get_rule("BIO2-EC2-SgNoPublicAdminPorts")]))
    }
    assert results == {"Sg": Result.NON_COMPLIANT, "In": Result.NON_COMPLIANT}


def test_the_tagger_sees_conditions() -> None:
    """Before synthesis the tagger reads conditions too, so it never tags a conditional resource."""
    cdk = pytest.importorskip("aws_cdk")
    from aws_cdk import aws_kms as kms

    from bio2_aspects.tagger import MeasureTagger, render_stack

    app = cdk.App()
    stack = cdk.Stack(app, "S")
    stage = cdk.CfnParameter(stack, "Stage", default="dev")
    cond = cdk.CfnCondition(
        stack, "IsProd", expression=cdk.Fn.condition_equals(stage.value_as_string, "prod")
    )
    conditional = kms.Key(stack, "Key", enable_key_rotation=True)
    conditional.node.default_child.cfn_options.condition = cond
    kms.Key(stack, "Plain", enable_key_rotation=True)  # the control: the same key without a Condition
    view, _ = render_stack(stack, RuleSet())
    by_lid = {r.logical_id: r for r in view.of_type("AWS::KMS::Key")}
    assert {lid[:4]: view.deployed(r) for lid, r in by_lid.items()} == {"Key9": None, "Plai": True}
    MeasureTagger().visit(stack)
    tpl = app.synth().get_stack_by_name("S").template
    measures = {
        lid[:4]: [t for t in body["Properties"].get("Tags", []) if t["Key"].startswith("bio2:measures")]
        for lid, body in tpl["Resources"].items()
        if body["Type"] == "AWS::KMS::Key"
    }
    assert measures["Plai"], "the unconditional key is tagged"
    assert measures["Key9"] == [], "the conditional key claims nothing"


def test_a_never_true_flow_log_proves_nothing_end_to_end(tmp_path) -> None:
    """A flow log switched off by a Condition (set by escape hatch) takes the evidence away."""
    import json

    cdk = pytest.importorskip("aws_cdk")
    from aws_cdk import aws_ec2 as ec2

    from bio2_aspects import Bio2

    def synth(never: bool) -> dict:
        out = tmp_path / str(never)
        app = cdk.App(outdir=str(out))
        stack = cdk.Stack(app, "Net", env=cdk.Environment(account="123456789012", region="eu-central-1"))
        vpc = ec2.Vpc(stack, "Vpc", max_azs=1, nat_gateways=0, subnet_configuration=[])
        flow = ec2.FlowLog(stack, "Flow", resource_type=ec2.FlowLogResourceType.from_vpc(vpc))
        if never:
            cond = cdk.CfnCondition(stack, "Never", expression=cdk.Fn.condition_equals("a", "b"))
            flow.node.default_child.cfn_options.condition = cond
        Bio2(app, report_only=True)
        app.synth()
        return json.loads((out / "bio2" / "manifest.json").read_text())

    def flow_results(manifest: dict) -> set[str]:
        [m] = [m for m in manifest["measures"] if m["id"] == "8.16.04"]
        return {e["result"] for e in m["evidence"] if e.get("rule") == "BIO2-EC2-VpcFlowLogs"}

    before, after = synth(False), synth(True)
    assert flow_results(before) == {"pass"}
    assert flow_results(after) == {"fail"}
    assert not [v for v in after["violations"] if v["rule"] == "BIO2-Engine-TagMismatch"]
