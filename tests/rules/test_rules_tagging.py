"""Classification tagging: taggable-type data, engine tags ignored, generator in sync."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from rules_testkit import single

from bio2_aspects.rules import ALL_RULES, Result, get_rule, rules_for_type
from bio2_aspects.rules.tagging import (
    AVAILABILITY_TAG,
    CLASSIFICATION_TAGS,
    CONFIDENTIALITY_TAG,
    INTEGRITY_TAG,
    TAG_PROPERTIES,
    TAGGABLE_TYPES,
)

RULE = "BIO2-Tagging-Classification"


def test_constants() -> None:
    assert CLASSIFICATION_TAGS == (CONFIDENTIALITY_TAG, INTEGRITY_TAG, AVAILABILITY_TAG)
    assert CONFIDENTIALITY_TAG == "bio2:confidentiality"
    assert INTEGRITY_TAG == "bio2:integrity"
    assert AVAILABILITY_TAG == "bio2:availability"


def test_taggable_types_data() -> None:
    raw = json.loads(
        resources.files("bio2_aspects.rules").joinpath("data", "taggable_types.json").read_text()
    )
    assert raw == sorted(set(raw)), "taggable_types.json is a sorted list without duplicates"
    assert {"AWS::S3::Bucket", "AWS::KMS::Key", "AWS::Logs::LogGroup", "AWS::EC2::VPC"} <= TAGGABLE_TYPES
    assert "AWS::IAM::Policy" not in TAGGABLE_TYPES
    assert "AWS::S3::BucketPolicy" not in TAGGABLE_TYPES
    assert TAG_PROPERTIES["AWS::Backup::BackupVault"] == "BackupVaultTags"


def test_rule_scope_is_every_taggable_type() -> None:
    rule = get_rule(RULE)
    assert set(rule.resource_types) == TAGGABLE_TYPES | set(TAG_PROPERTIES)
    assert rule in rules_for_type("AWS::S3::Bucket")
    assert rule not in rules_for_type("AWS::IAM::Policy")


def test_measures_tags_do_not_influence_the_rule(make_resource) -> None:
    classified = [
        {"Key": CONFIDENTIALITY_TAG, "Value": "medium"},
        {"Key": INTEGRITY_TAG, "Value": "high"},
        {"Key": AVAILABILITY_TAG, "Value": "low"},
    ]
    engine_tags = [
        {"Key": "bio2:measures", "Value": "5.12.01 8.24.04"},
        {"Key": "bio2:measures:2", "Value": "8.15.01"},
    ]
    rule = get_rule(RULE)
    with_engine = rule.evaluate(make_resource(single("AWS::S3::Bucket", {"Tags": classified + engine_tags})))
    without = rule.evaluate(make_resource(single("AWS::S3::Bucket", {"Tags": classified})))
    assert with_engine == without == (Result.COMPLIANT, "")

    # Engine tags never stand in for a classification tag, whatever their value.
    sneaky = [{"Key": "bio2:measures:" + CONFIDENTIALITY_TAG, "Value": "x"}]
    result, _ = rule.evaluate(make_resource(single("AWS::S3::Bucket", {"Tags": classified[1:] + sneaky})))
    assert result is Result.NON_COMPLIANT


@pytest.mark.parametrize("rule", ALL_RULES, ids=[r.id for r in ALL_RULES])
def test_measures_tags_do_not_influence_any_rule(make_resource, rule) -> None:
    """Adding bio2:measures tags to a resource never changes any rule's outcome."""
    from rules_cases import CASES

    for case in (c for c in CASES if c.rule_id == rule.id):
        res = make_resource(case.template, case.target)
        before = rule.evaluate(res)
        tpl = json.loads(json.dumps(case.template))
        props = tpl["Resources"][case.target].setdefault("Properties", {})
        prop = TAG_PROPERTIES.get(res.type, "Tags")
        extra = {"bio2:measures": "8.24.04 5.12.01", "bio2:measures:2": "5.09.01"}
        current = props.get(prop)
        if isinstance(current, dict) and "Fn::If" not in current:
            props[prop] = {**current, **extra}
        elif current is None or isinstance(current, list):
            props[prop] = (current or []) + [{"Key": k, "Value": v} for k, v in extra.items()]
        else:
            continue
        assert rule.evaluate(make_resource(tpl, case.target)) == before, case.id


def test_generated_files_match_generator() -> None:
    pytest.importorskip("cfnlint", reason="cfn-lint is not installed")
    from bio2_aspects.rules import gen_taggable_types

    for name, content in gen_taggable_types.render().items():
        current = resources.files("bio2_aspects.rules").joinpath("data", name).read_text(encoding="utf-8")
        assert current == content, f"{name} is stale: run python -m bio2_aspects.rules.gen_taggable_types"
