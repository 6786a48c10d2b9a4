"""Indexes that keep the evaluation linear in the size of a template: same answers as a scan."""

from __future__ import annotations

from typing import Any

from bio2_aspects.assembly import StackTemplate
from bio2_aspects.engine import build_view
from bio2_aspects.evidence import inventory


def _resources() -> dict[str, Any]:
    kinds = ["AWS::SQS::Queue", "AWS::SNS::Subscription", "AWS::Lambda::Function", "AWS::SQS::Queue"]
    return {f"R{i:03d}": {"Type": kinds[i % len(kinds)], "Properties": {}} for i in range(40)}


def test_of_type_answers_as_a_scan_in_template_order() -> None:
    view = build_view("T.template.json", _resources())
    for types in (
        ("AWS::SQS::Queue",),
        ("AWS::SQS::Queue", "AWS::SNS::Subscription"),
        ("AWS::SNS::Subscription", "AWS::SQS::Queue"),
        ("AWS::Lambda::Function", "AWS::Nope::Nope"),
        ("AWS::Nope::Nope",),
        (),
    ):
        scan = [r.logical_id for r in view.resources.values() if r.type in types]
        assert [r.logical_id for r in view.of_type(*types)] == scan, types
        assert [r.logical_id for r in view.of_type(*types)] == scan, types  # the second answer too


def test_log_groups_are_indexed_once_per_template(monkeypatch: Any) -> None:
    resources = {
        **{
            f"Group{i}": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 365}}
            for i in range(5)
        },
        **{f"Fn{i}": {"Type": "AWS::Lambda::Function", "Properties": {}} for i in range(30)},
    }
    stacks = [
        StackTemplate(
            artifact_id=f"S{n}",
            stack_name=f"S{n}",
            template_file=f"S{n}.template.json",
            template={"Resources": resources},
            sha256="0" * 64,
            account="123456789012",
            region="eu-central-1",
        )
        for n in range(2)
    ]
    calls: list[int] = []
    real = inventory._log_group_index

    def counting(res: Any) -> Any:
        calls.append(len(res))
        return real(res)

    monkeypatch.setattr(inventory, "_log_group_index", counting)
    rows = inventory.log_sources(stacks)
    assert len(calls) == 2  # one per template, not one per resource
    assert sum(r["log"] == "log-group" for r in rows) == 10


# ------------------------------------------------------------------ references and dead-letter queues


def _ref(lid: str) -> dict[str, Any]:
    return {"Ref": lid}


def _att(lid: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [lid, "Arn"]}


REFERENCE_VALUES: list[Any] = [
    None,
    "R001",
    _ref("R001"),
    _att("R002"),
    {"Fn::GetAtt": "R003.Arn"},
    {"Fn::If": ["Cond", _att("R004"), {"Ref": "AWS::NoValue"}]},
    {"Fn::Join": ["", ["arn:", _ref("R005"), ":", {"Fn::GetAtt": ["R006", "Arn"]}]]},
    [_ref("R007"), {"Nested": {"Deeper": [_att("R008")]}}],
    {"Ref": 7},
    {"Fn::GetAtt": [8, "Arn"]},
    {"Ref": "R009", "Other": "two keys: not a reference itself"},
    {"Sub": {"Ref": "R010"}},
]


def test_referenced_ids_are_the_ids_refers_to_finds() -> None:
    from bio2_aspects.rules.base import referenced_ids, refers_to

    candidates = [f"R{i:03d}" for i in range(12)] + ["AWS::NoValue", "Cond"]
    for value in REFERENCE_VALUES:
        found = {c for c in candidates if refers_to(value, c)}
        assert found == referenced_ids(value) & set(candidates), value


def _scan_dead_letter_source(res: Any) -> str | None:
    """The scan ``dlq._is_dead_letter_queue`` replaced, kept here as the oracle."""
    from bio2_aspects.rules._helpers import lookup
    from bio2_aspects.rules.base import refers_to

    for other in res.stack.of_type("AWS::SQS::Queue", "AWS::SNS::Subscription"):
        if other.logical_id != res.logical_id and refers_to(
            lookup(other.properties, "RedrivePolicy", "deadLetterTargetArn"), res.logical_id
        ):
            return other.logical_id
    for function in res.stack.of_type("AWS::Lambda::Function"):
        if refers_to(lookup(function.properties, "DeadLetterConfig", "TargetArn"), res.logical_id):
            return function.logical_id
    return None


def _dead_letter_template() -> dict[str, Any]:
    q, sub, fn = "AWS::SQS::Queue", "AWS::SNS::Subscription", "AWS::Lambda::Function"
    redrive = "RedrivePolicy"
    return {
        "Dlq": {"Type": q, "Properties": {}},
        "Dlq2": {"Type": q, "Properties": {}},
        "Self": {"Type": q, "Properties": {redrive: {"deadLetterTargetArn": _att("Self")}}},
        "A": {"Type": q, "Properties": {redrive: {"deadLetterTargetArn": _att("Dlq")}}},
        "B": {"Type": q, "Properties": {redrive: {"deadLetterTargetArn": _att("Dlq")}}},  # second source
        "Sub": {"Type": sub, "Properties": {redrive: {"deadLetterTargetArn": _att("Dlq2")}}},
        "Fn": {"Type": fn, "Properties": {"DeadLetterConfig": {"TargetArn": _att("FnDlq")}}},
        "FnDlq": {"Type": q, "Properties": {}},
        "Lonely": {"Type": q, "Properties": {}},
    }


def test_dead_letter_sources_answer_as_the_scan() -> None:
    from bio2_aspects.rules import dlq

    view = build_view("T.template.json", _dead_letter_template())
    for res in view.of_type("AWS::SQS::Queue"):
        assert dlq._is_dead_letter_queue(res) == _scan_dead_letter_source(res), res.logical_id
    assert dlq._is_dead_letter_queue(view.resources["Dlq"]) == "A"
    assert dlq._is_dead_letter_queue(view.resources["Self"]) is None


def test_an_unverifiable_source_raises_where_the_scan_raised() -> None:
    import pytest

    from bio2_aspects.rules import dlq
    from bio2_aspects.rules._helpers import Unverifiable

    resources = _dead_letter_template()
    # "0Early" comes first in template order (sorted IDs): its RedrivePolicy is a whole intrinsic
    resources["0Early"] = {
        "Type": "AWS::SQS::Queue",
        "Properties": {"RedrivePolicy": {"Fn::If": ["Cond", {"deadLetterTargetArn": _att("Dlq")}, {}]}},
    }
    view = build_view("T.template.json", resources)
    for res in view.of_type("AWS::SQS::Queue"):
        try:
            expected: Any = _scan_dead_letter_source(res)
        except Unverifiable:
            expected = Unverifiable
        if expected is Unverifiable:
            with pytest.raises(Unverifiable):
                dlq._is_dead_letter_queue(res)
        else:
            assert dlq._is_dead_letter_queue(res) == expected, res.logical_id
    with pytest.raises(Unverifiable):  # reached before any source that names it
        dlq._is_dead_letter_queue(view.resources["Dlq"])
    assert dlq._is_dead_letter_queue(view.resources["0Early"]) is None  # skips itself, as the scan did


def _dead_letter_answer(find: Any, res: Any) -> Any:
    from bio2_aspects.rules._helpers import Unverifiable

    try:
        return find(res)
    except Unverifiable as exc:
        return ("raises", exc.detail)


def test_generated_dead_letter_sources_answer_as_the_scan() -> None:
    import random

    from bio2_aspects.rules import dlq

    rng = random.Random(3)
    ids = [f"N{i}" for i in range(8)]
    kinds = [
        ("AWS::SQS::Queue", ("RedrivePolicy", "deadLetterTargetArn")),
        ("AWS::SNS::Subscription", ("RedrivePolicy", "deadLetterTargetArn")),
        ("AWS::Lambda::Function", ("DeadLetterConfig", "TargetArn")),
    ]
    for _ in range(300):
        resources: dict[str, Any] = {}
        for lid in ids[: rng.randrange(1, len(ids) + 1)]:
            cfn_type, (outer, inner) = rng.choice(kinds)
            target = rng.choice([_att(rng.choice(ids)), _ref(rng.choice(ids)), [_att(rng.choice(ids))], None])
            props: dict[str, Any] = rng.choice(
                [
                    {},
                    {outer: {inner: target}},
                    {outer: {inner: {"Fn::If": ["C", target, _att(rng.choice(ids))]}}},
                    {outer: {"Fn::If": ["C", {inner: target}, {}]}},  # unreadable: a whole intrinsic
                    {outer: {"Ref": "Param"}},
                ]
            )
            resources[lid] = {"Type": cfn_type, "Properties": props}
        view = build_view("T", resources)
        for res in view.of_type("AWS::SQS::Queue"):  # what the rule asks about
            expected = _dead_letter_answer(_scan_dead_letter_source, res)
            assert _dead_letter_answer(dlq._is_dead_letter_queue, res) == expected, (
                resources,
                res.logical_id,
            )


def test_custom_resource_handlers_answer_as_the_scan() -> None:
    from bio2_aspects.engine import RuleSet, evaluate_stack

    fn = "AWS::Lambda::Function"
    resources = {
        "Handler": {"Type": fn, "Properties": {}},
        "Other": {"Type": fn, "Properties": {}},
        "Custom1": {"Type": "Custom::Thing", "Properties": {"ServiceToken": _att("Handler")}},
        "Custom2": {
            "Type": "AWS::CloudFormation::CustomResource",
            "Properties": {"ServiceToken": _att("Handler")},
        },
    }
    results = {
        r.logical_id: (r.result.value, str(r.detail))
        for r in evaluate_stack(build_view("T", resources), RuleSet())
        if r.rule.id == "BIO2-Lambda-DeadLetterQueue"
    }
    assert results["Handler"] == ("not_applicable", "custom-resource handler of Custom1")
    assert results["Other"][0] == "non_compliant"


# ------------------------------------------------------------------ StackView.referrers


def _scan_referrers(view: Any, logical_id: str, key: str, *types: str) -> tuple[Any, ...]:
    """The scan the rules made before ``StackView.referrers``, kept here as the oracle."""
    from bio2_aspects.rules.base import refers_to

    return tuple(r for r in view.of_type(*types) if refers_to(r.properties.get(key), logical_id))


def test_referrers_answer_as_the_scan() -> None:
    from types import MappingProxyType

    kinds = ["AWS::EC2::SecurityGroupIngress", "AWS::EC2::FlowLog", "AWS::SQS::QueuePolicy"]
    values = [*REFERENCE_VALUES, MappingProxyType({"Ref": "R011"}), [_ref("R001"), _ref("R001")]]
    resources = {
        f"X{i:03d}": {"Type": kinds[i % len(kinds)], "Properties": {"GroupId": value, "Other": _ref("R000")}}
        for i, value in enumerate(values * 2)
    }
    candidates = [f"R{i:03d}" for i in range(12)] + ["X000", "AWS::NoValue", "Cond"]
    for view in (build_view("T", resources), build_view("T", dict(reversed(list(resources.items()))))):
        for types in ((kinds[0],), (kinds[0], kinds[1]), (kinds[2], kinds[0]), ("AWS::Nope::Nope",)):
            for key in ("GroupId", "Other", "Missing"):
                for lid in candidates:
                    expected = _scan_referrers(view, lid, key, *types)
                    got = view.referrers(lid, key, *types)
                    assert got == expected and all(a is b for a, b in zip(got, expected, strict=True))
    assert [r.logical_id for r in build_view("T", resources).referrers("R001", "GroupId", *kinds)] == [
        "X002",  # {"Ref": "R001"}, not the string "R001" (X001)
        "X013",  # [Ref, Ref]: once
        "X016",
        "X027",
    ]


#: (type, property that refers to another resource, the resource it mostly refers to, further
#: properties the rules read) of the resources that rules look up with ``StackView.referrers``
_REFERRER_KINDS: list[tuple[str, str, str, dict[str, list[Any]]]] = [
    (
        "AWS::EC2::SecurityGroupIngress",
        "GroupId",
        "Sg",
        {"CidrIp": ["0.0.0.0/0", "10.0.0.0/8"], "IpProtocol": ["-1"]},
    ),
    ("AWS::EC2::FlowLog", "ResourceId", "Vpc", {"TrafficType": ["ALL", "REJECT", {"Ref": "P"}]}),
    ("Custom::VpcRestrictDefaultSG", "DefaultSecurityGroupId", "Vpc", {}),
    (
        "AWS::SQS::QueuePolicy",
        "Queues",
        "Queue",
        {"PolicyDocument": [{"Statement": []}, {"Fn::If": ["C", {}, {}]}]},
    ),
    ("AWS::SNS::TopicPolicy", "Topics", "Topic", {"PolicyDocument": [{"Statement": []}]}),
    ("AWS::IAM::Role", "ManagedPolicyArns", "Managed", {}),
    ("AWS::IAM::User", "ManagedPolicyArns", "Managed", {}),
    (
        "AWS::Lambda::EventInvokeConfig",
        "FunctionName",
        "Fn",
        {"DestinationConfig": [{"OnFailure": {"Destination": "a"}}, {}]},
    ),
    (
        "AWS::WAFv2::LoggingConfiguration",
        "ResourceArn",
        "Acl",
        {"LogDestinationConfigs": [["a"], [], {"Ref": "P"}]},
    ),
    ("AWS::Shield::Protection", "ResourceArn", "Dist", {}),
    (
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        "ListenerArn",
        "Listener",
        {"Actions": [[{"Type": "forward"}], []]},
    ),
    (
        "AWS::Logs::DeliverySource",
        "ResourceArn",
        "Dist",
        {"LogType": ["ACCESS_LOGS", "OTHER"], "Name": ["src"]},
    ),
    ("AWS::EC2::VPCGatewayAttachment", "VpcId", "Vpc", {"InternetGatewayId": [_ref("Igw"), None, ""]}),
]
_REFERRED: dict[str, dict[str, Any]] = {
    "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "d"}},
    "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
    "Queue": {"Type": "AWS::SQS::Queue", "Properties": {}},
    "Topic": {"Type": "AWS::SNS::Topic", "Properties": {}},
    "Managed": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Statement": []}}},
    "Fn": {"Type": "AWS::Lambda::Function", "Properties": {}},
    "Acl": {"Type": "AWS::WAFv2::WebACL", "Properties": {"Rules": []}},
    "Lb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Scheme": "internet-facing"}},
    "Dist": {"Type": "AWS::CloudFront::Distribution", "Properties": {"DistributionConfig": {}}},
    "Listener": {
        "Type": "AWS::ElasticLoadBalancingV2::Listener",
        "Properties": {
            "Protocol": "HTTP",
            "LoadBalancerArn": _ref("Lb0"),
            "DefaultActions": [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS"}}],
        },
    },
}


def _referrer_stack(rng: Any) -> dict[str, Any]:
    import copy

    ids = [f"{prefix}{i}" for prefix in _REFERRED for i in range(2)]

    def value(prefix: str, depth: int = 0) -> Any:
        lid = f"{prefix}{rng.randrange(2)}" if rng.random() < 0.7 else rng.choice(ids)
        kind = rng.randrange(7 if depth < 2 else 4)
        if kind == 0:
            return _ref(lid)
        if kind == 1:
            return _att(lid)
        if kind == 2:
            return {"Fn::GetAtt": f"{lid}.Arn"}
        if kind == 3:
            return rng.choice([lid, None, 7, {"Ref": "AWS::NoValue"}])
        if kind == 4:
            return [value(prefix, depth + 1) for _ in range(rng.randrange(3))]
        if kind == 5:
            return {"Fn::Join": ["", ["arn:", value(prefix, depth + 1)]]}
        return {"Fn::If": ["C", value(prefix, depth + 1), value(prefix, depth + 1)]}

    out: dict[str, Any] = {}
    for prefix, body in _REFERRED.items():
        for i in range(rng.randrange(1, 3)):
            out[f"{prefix}{i}"] = copy.deepcopy(body)
    # an RDS instance in a subnet of each VPC, so the internet-gateway lookup runs
    out["Subnet"] = {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": _ref(rng.choice(["Vpc0", "Vpc1"]))}}
    out["Group"] = {"Type": "AWS::RDS::DBSubnetGroup", "Properties": {"SubnetIds": [_ref("Subnet")]}}
    out["Db"] = {"Type": "AWS::RDS::DBInstance", "Properties": {"DBSubnetGroupName": _ref("Group")}}
    out["Delivery"] = {"Type": "AWS::Logs::Delivery", "Properties": {"DeliverySourceName": "src"}}
    for n in range(rng.randrange(4, 20)):
        cfn_type, key, prefix, extra = rng.choice(_REFERRER_KINDS)
        props = {key: value(prefix)}
        for name, choices in extra.items():
            if rng.random() < 0.8:
                props[name] = copy.deepcopy(rng.choice(choices))
        out[f"Z{n}"] = {"Type": cfn_type, "Properties": props}
    return out


def test_rules_evaluate_as_with_the_referrer_scans(monkeypatch: Any) -> None:
    """Whole evaluations, resource Conditions (and so sub-views) included: the same results with the
    indexed ``StackView.referrers`` as with the scans it replaced."""
    import random

    from bio2_aspects.rules.base import StackView
    from tests.rules.rules_testkit import evaluation_rows

    rng = random.Random(7)
    stacks = []
    for _ in range(150):
        resources = _referrer_stack(rng)
        for body in resources.values():
            if rng.random() < 0.15:
                body["Condition"] = rng.choice(["Unknown", "False"])
        stacks.append(resources)
    conditions = {"Unknown": {"Fn::Equals": [{"Ref": "P"}, "x"]}, "False": {"Fn::Equals": ["a", "b"]}}
    found: list[int] = []

    def results() -> list[tuple[str, str, str, str]]:
        return evaluation_rows(stacks, conditions)

    indexed = results()
    with monkeypatch.context() as m:

        def scan(view: Any, logical_id: str, key: str, *types: str) -> tuple[Any, ...]:
            hits = _scan_referrers(view, logical_id, key, *types)
            found.append(len(hits))
            return hits

        m.setattr(StackView, "referrers", scan)
        scanned = results()
    assert indexed == scanned
    assert (
        sum(1 for n in found if n) > 500 and sum(1 for n in found if n > 1) > 50
    )  # the lookups found things
