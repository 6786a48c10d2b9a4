"""The S3 rules find a bucket's policies and log deliveries through indexes made once per template
(``StackView.derived``): the same answers, in the same order, as the scans they replaced, which are
kept here as the oracle."""

from __future__ import annotations

import random
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rules_testkit import evaluation_rows, stack_from

from bio2_aspects.engine import RuleSet, build_view, evaluate_stack
from bio2_aspects.messages import msg
from bio2_aspects.rules import Resource, StackView, s3
from bio2_aspects.rules.base import refers_to

BUCKET, POLICY = "AWS::S3::Bucket", "AWS::S3::BucketPolicy"
ARN = "arn:aws:s3:::"

# ------------------------------------------------------------------ the oracle: the scans as they were


def _scan_bucket_name(bucket: Resource) -> str | None:
    name = bucket.properties.get("BucketName")
    return name if isinstance(name, str) else None


def _scan_mentions_literal(value: Any, literals: tuple[str, ...]) -> bool:
    if isinstance(value, str):
        return value in literals or any(value.startswith(lit + "/") for lit in literals)
    if isinstance(value, dict):
        return any(_scan_mentions_literal(v, literals) for v in value.values())
    if isinstance(value, list):
        return any(_scan_mentions_literal(v, literals) for v in value)
    return False


def _scan_mentions_bucket(value: Any, bucket: Resource) -> bool:
    if refers_to(value, bucket.logical_id):
        return True
    name = _scan_bucket_name(bucket)
    if name is None:
        return False
    return _scan_mentions_literal(value, (name, f"arn:aws:s3:::{name}"))


def scan_log_sources(bucket: Resource) -> list[str]:
    found = []
    by_type: dict[str, list[tuple[str, ...]]] = {}
    for cfn_type, path in s3.LOG_SOURCES:
        by_type.setdefault(cfn_type, []).append(path)
    for src in bucket.stack.of_type(*sorted({t for t, _ in s3.LOG_SOURCES})):
        if src.logical_id == bucket.logical_id:
            continue
        for path in by_type[src.type]:
            value = src.prop(*path)
            if value is not None and _scan_mentions_bucket(value, bucket):
                found.append(f"{src.type} {src.logical_id} ({'.'.join(path)})")
    return found


def scan_bucket_policies(bucket: Resource) -> list[Resource]:
    return [
        p for p in bucket.stack.of_type(POLICY) if _scan_mentions_bucket(p.properties.get("Bucket"), bucket)
    ]


def assert_same_answers(view: StackView, buckets: list[Resource] | None = None) -> None:
    for bucket in buckets if buckets is not None else list(view.of_type(BUCKET)):
        assert s3.log_sources(bucket) == scan_log_sources(bucket), bucket.logical_id
        got, expected = s3.bucket_policies(bucket), scan_bucket_policies(bucket)
        assert [p.logical_id for p in got] == [p.logical_id for p in expected], bucket.logical_id
        assert all(a is b for a, b in zip(got, expected, strict=True))


# ------------------------------------------------------------------ literal names


def _all_substrings(text: str) -> set[str]:
    return {text[i:j] for i in range(len(text) + 1) for j in range(i, len(text) + 1)}


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", "b", "/", ":", "*", ARN, "arn:aws:s3::", "arn:aws:s3:::a", "a/", "/*"]),
        max_size=6,
    ).map("".join)
)
def test_names_a_string_matches_are_the_names_the_scan_matches(text: str) -> None:
    # a name the scan matches is a substring of the text, so trying every substring tries them all
    candidates = _all_substrings(text) | {"", "a", "b", "x"}
    names = set(s3._BucketNames.of(candidates).matched(text))
    for name in candidates:
        expected = _scan_mentions_literal(text, (name, f"{ARN}{name}"))
        assert (name in names) == expected, (text, name)
    # only the names asked for are found
    assert set(s3._BucketNames.of({"x", "zz"}).matched(text)) == names & {"x", "zz"}


def test_literal_names_walk_dicts_and_lists_only() -> None:
    value = {
        "Fn::Join": ["", [ARN, "joined", "/*"]],
        "Sub": {"Fn::Sub": "arn:aws:s3:::subbed/*"},
        "Proxy": MappingProxyType({"Name": "hidden"}),  # not a dict: the scan does not look inside
        "Tuple": ("tupled",),
        "List": [["deep/er"]],
    }
    known = s3._BucketNames.of({"joined", "subbed", "deep", "deep/er", "hidden", "tupled", "absent"})
    names = known.in_value(value)
    assert names == {"joined", "subbed", "deep", "deep/er"}
    assert known.in_value(None) == set() and known.in_value(7) == set()
    assert s3._BucketNames.of(()).in_value(value) == set()


# ------------------------------------------------------------------ hand-made stacks


def _bucket(name: Any = None, logging: Any = None) -> dict[str, Any]:
    props: dict[str, Any] = {}
    if name is not None:
        props["BucketName"] = name
    if logging is not None:
        props["LoggingConfiguration"] = {"DestinationBucketName": logging}
    return {"Type": BUCKET, "Properties": props}


def _policy(bucket: Any) -> dict[str, Any]:
    return {"Type": POLICY, "Properties": {"Bucket": bucket, "PolicyDocument": {"Statement": []}}}


def test_tricky_cases() -> None:
    resources = {
        "PolicyFirst": _policy({"Ref": "Plain"}),  # before its bucket in template order
        "Plain": _bucket(),
        "Named": _bucket("logs"),
        "NamedPrefix": _bucket("logs-archive"),
        "Slashed": _bucket("logs/a"),
        "Empty": _bucket(""),
        "ParamName": _bucket({"Ref": "BucketNameParam"}),
        "Same1": _bucket("twin"),
        "Same2": _bucket("twin"),
        "SelfLogging": _bucket("self", logging={"Ref": "SelfLogging"}),
        "ToNamed": _bucket(logging="logs"),
        "PolicyArn": _policy(f"{ARN}logs/*"),
        "PolicyName": _policy("logs"),
        "PolicyNotAPrefix": _policy("logs-archivex"),
        "PolicyDeep": _policy("logs/a/b"),
        "PolicyJoin": _policy({"Fn::Join": ["", [ARN, "logs-archive", "/*"]]}),
        "PolicySub": _policy({"Fn::Sub": [f"{ARN}${{B}}/*", {"B": {"Ref": "Plain"}}]}),
        "PolicySubText": _policy({"Fn::Sub": f"{ARN}twin/*"}),
        "PolicyTwo": _policy([{"Ref": "Plain"}, {"Fn::GetAtt": ["Named", "Arn"]}, "logs-archive"]),
        "PolicyGetAttText": _policy({"Fn::GetAtt": "ParamName.Arn"}),
        "PolicyEmpty": _policy("/x"),
        "PolicyArnEmpty": _policy(ARN),
        "PolicyNone": {"Type": POLICY, "Properties": {}},
        "PolicyIf": _policy({"Fn::If": ["C", {"Ref": "Same1"}, "self"]}),
        "PolicyProxy": _policy(MappingProxyType({"Ref": "Named"})),  # a reference in any mapping
        "PolicyProxyName": _policy(MappingProxyType({"Name": "logs"})),  # a name only in a dict or list
        "Trail": {
            "Type": "AWS::CloudTrail::Trail",
            "Properties": {"S3BucketName": {"Fn::If": ["C", "logs", {"Ref": "Plain"}]}},
        },
        "Lb": {
            "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "Properties": {
                "LoadBalancerAttributes": [
                    {"Key": "access_logs.s3.enabled", "Value": "true"},
                    {"Key": "access_logs.s3.bucket", "Value": "twin"},
                ]
            },
        },
        "Distribution": {
            "Type": "AWS::CloudFront::Distribution",
            "Properties": {
                "DistributionConfig": {
                    "Logging": {"Bucket": {"Fn::GetAtt": ["Slashed", "RegionalDomainName"]}}
                }
            },
        },
        "Delivery": {
            "Type": "AWS::Logs::DeliveryDestination",
            "Properties": {"DestinationResourceArn": f"{ARN}logs/AWSLogs/"},
        },
        "FlowLog": {"Type": "AWS::EC2::FlowLog", "Properties": {"LogDestination": None}},
    }
    for order in (list(resources), sorted(resources), list(reversed(resources))):
        view = stack_from({"Resources": {lid: resources[lid] for lid in order}})
        assert_same_answers(view)
    view = build_view("T.template.json", resources)
    assert_same_answers(view)
    named = view.resources["Named"]
    assert [p.logical_id for p in s3.bucket_policies(named)] == [
        "PolicyArn",
        "PolicyDeep",
        "PolicyName",
        "PolicyProxy",
        "PolicyTwo",
    ]
    assert s3.log_sources(named) == [
        "AWS::Logs::DeliveryDestination Delivery (DestinationResourceArn)",
        "AWS::S3::Bucket ToNamed (LoggingConfiguration)",
        "AWS::CloudTrail::Trail Trail (S3BucketName)",
    ]
    assert s3.log_sources(view.resources["SelfLogging"]) == []  # a bucket is not its own log source
    # an empty BucketName matches any string that starts with "/" (the Join's "/*" too), as in the scan
    assert [p.logical_id for p in s3.bucket_policies(view.resources["Empty"])] == [
        "PolicyArnEmpty",
        "PolicyEmpty",
        "PolicyJoin",
    ]


def test_long_strings_of_slashes_cost_memory_in_proportion_to_their_length() -> None:
    """A destination or policy value of thousands of ``/`` (a typo, generated text) is matched
    against the view's bucket names only: the index does not hold every prefix of the string (which
    took memory in the square of its length: 457 MB for 30,000 slashes, found by the review)."""
    import tracemalloc

    slashes, pairs = "/" * 20_000, "a/" * 10_000
    view = stack_from(
        {
            "Resources": {
                "Bucket": _bucket("a", logging="a/" + slashes),
                "Empty": _bucket(""),
                "Policy": _policy(pairs),
                "Arn": _policy(ARN + slashes),
                "Trail": {"Type": "AWS::CloudTrail::Trail", "Properties": {"S3BucketName": slashes}},
            }
        }
    )
    tracemalloc.start()
    try:
        assert_same_answers(view)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000, peak  # the strings themselves are about 60 KB; every prefix would be 400 MB
    assert [p.logical_id for p in s3.bucket_policies(view.resources["Bucket"])] == ["Policy"]
    assert [p.logical_id for p in s3.bucket_policies(view.resources["Empty"])] == ["Arn"]


def test_a_reference_nested_beyond_the_recursion_limit_is_found() -> None:
    """The one known difference from the scans, on purpose: they recursed, so a reference nested
    about 350 levels deep (which ``json.loads`` reads) made the rule raise RecursionError for every
    bucket of the template; the indexes walk with a loop and find it (found by the review)."""
    deep: Any = {"Ref": "Bucket"}
    for _ in range(5_000):
        deep = [deep]
    view = stack_from({"Resources": {"Bucket": _bucket("b"), "Policy": _policy(deep)}})
    assert [p.logical_id for p in s3.bucket_policies(view.resources["Bucket"])] == ["Policy"]
    with pytest.raises(RecursionError):
        scan_bucket_policies(view.resources["Bucket"])


def test_a_bucket_outside_its_view_is_answered_as_the_scan_answered() -> None:
    view = stack_from({"Resources": {"P": _policy("ghost"), "T": _policy({"Ref": "Ghost"})}})
    ghost = Resource("Ghost", BUCKET, {"BucketName": "ghost"}, view)
    assert_same_answers(view, [ghost])
    assert [p.logical_id for p in s3.bucket_policies(ghost)] == ["P", "T"]


def test_the_indexes_are_made_once_per_view(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    for name in ("_policy_index", "_log_source_index"):
        real = getattr(s3, name)
        monkeypatch.setattr(s3, name, lambda view, real=real, name=name: calls.append(name) or real(view))
    resources = {f"B{i}": _bucket(f"b{i}", logging={"Ref": "B0"}) for i in range(20)}
    resources.update({f"P{i}": _policy({"Ref": f"B{i}"}) for i in range(20)})
    results = evaluate_stack(build_view("T.template.json", resources), RuleSet())
    assert results
    assert sorted(calls) == ["_log_source_index", "_policy_index"]


# ------------------------------------------------------------------ generated stacks

LIDS = ["B0", "B1", "B2", "B3", "Log", "Other"]
NAMES = ["logs", "logs-a", "a", "logs/x", "", "arn:aws:s3:::logs", "twin"]


def _value(rng: random.Random, depth: int = 0) -> Any:
    lid, name = rng.choice(LIDS), rng.choice(NAMES)
    leaves: list[Any] = [
        {"Ref": lid},
        {"Fn::GetAtt": [lid, "Arn"]},
        {"Fn::GetAtt": f"{lid}.Arn"},
        name,
        f"{ARN}{name}",
        f"{ARN}{name}/*",
        f"{name}/prefix/{rng.choice(NAMES)}",
        f"{name}-suffix",
        f"{ARN}{name}x/*",
        {"Fn::Sub": f"{ARN}{name}/*"},
        {"Fn::Sub": f"{ARN}${{{lid}}}/*"},
        {"Ref": "AWS::NoValue"},
        7,
        None,
    ]
    if depth >= 3 or rng.random() < 0.5:
        return rng.choice(leaves)
    kind = rng.randrange(6)
    if kind == 0:
        return {"Fn::Join": ["", [_value(rng, depth + 1) for _ in range(rng.randrange(1, 4))]]}
    if kind == 1:
        return {"Fn::Sub": [f"{ARN}${{X}}/*", {"X": _value(rng, depth + 1)}]}
    if kind == 2:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(0, 4))]
    if kind == 3:
        return {"Fn::If": ["C", _value(rng, depth + 1), _value(rng, depth + 1)]}
    if kind == 4:
        return {"Ref": lid, "Also": _value(rng, depth + 1)}  # two keys: not a reference itself
    return MappingProxyType({"Inner": _value(rng, depth + 1)})


def _log_source(rng: random.Random) -> dict[str, Any]:
    value = _value(rng)
    kind = rng.randrange(6)
    if kind == 0:
        return {"Type": "AWS::CloudTrail::Trail", "Properties": {"S3BucketName": value}}
    if kind == 1:
        return {"Type": "AWS::Config::DeliveryChannel", "Properties": {"S3BucketName": value}}
    if kind == 2:
        return {"Type": "AWS::EC2::FlowLog", "Properties": {"LogDestination": value}}
    if kind == 3:
        attributes = [{"Key": "access_logs.s3.bucket", "Value": value}, {"Key": "x", "Value": _value(rng)}]
        return {
            "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "Properties": {"LoadBalancerAttributes": attributes},
        }
    if kind == 4:
        return {
            "Type": "AWS::CloudFront::Distribution",
            "Properties": {"DistributionConfig": {"Logging": value}},
        }
    return {"Type": "AWS::WAFv2::LoggingConfiguration", "Properties": {"LogDestinationConfigs": [value]}}


def _resources(rng: random.Random) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for lid in LIDS[: rng.randrange(1, len(LIDS) + 1)]:
        name = rng.choice([None, None, rng.choice(NAMES), {"Ref": "Param"}, 5])
        out[lid] = _bucket(name, logging=_value(rng) if rng.random() < 0.4 else None)
    for i in range(rng.randrange(0, 7)):
        out[f"Policy{i}"] = _policy(_value(rng))
    for i in range(rng.randrange(0, 5)):
        out[f"Source{i}"] = _log_source(rng)
    order = list(out)
    rng.shuffle(order)  # policies and sources before and after their buckets
    return {lid: out[lid] for lid in order}


@pytest.mark.parametrize("seed", range(8))
def test_generated_stacks_answer_as_the_scan(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(60):
        resources = _resources(rng)
        assert_same_answers(stack_from({"Resources": resources}))
        assert_same_answers(build_view("T.template.json", resources))


@pytest.mark.parametrize("seed", range(4))
def test_generated_stacks_evaluate_as_with_the_scan(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whole evaluations, resource Conditions (and so sub-views) included: the same results."""
    rng = random.Random(1000 + seed)
    stacks = []
    for _ in range(25):
        resources = _resources(rng)
        for body in resources.values():
            if rng.random() < 0.25:
                body["Condition"] = rng.choice(["Unknown", "False", "True"])
        stacks.append(resources)
    conditions = {
        "Unknown": {"Fn::Equals": [{"Ref": "Param"}, "x"]},
        "False": {"Fn::Equals": ["a", "b"]},
        "True": {"Fn::Equals": ["a", "a"]},
    }

    def results() -> list[tuple[str, str, str, str]]:
        return evaluation_rows(stacks, conditions, "T.template.json")

    indexed = results()
    with monkeypatch.context() as m:
        m.setattr(s3, "log_sources", scan_log_sources)
        m.setattr(s3, "bucket_policies", scan_bucket_policies)
        scanned = results()
    assert indexed == scanned
    # the generated stacks exercise both answers of both lookups
    tls = {r[3] == msg("rule.s3.no_bucket_policy") for r in indexed if r[0] == "BIO2-S3-TlsOnly"}
    lock = {r[2] == "not_applicable" for r in indexed if r[0] == "BIO2-S3-LogBucketObjectLock"}
    assert tls == {True, False} and lock == {True, False}
