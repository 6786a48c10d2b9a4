"""The library's rules give the same result and detail with and without the measure tags, under
any construct path and stack name.

This is what lets the check after synthesis take the evaluation a stack synthesizer made while
tagging (``engine.TaggingEvaluations``): that evaluation ran on the template before its
``bio2:measures`` tags were set, without construct paths and under the stack's artifact ID, and
the template on disk differs from it by those tags alone (same SHA-256 as the bytes tagged). Every
case of every rule in force (each rule has a compliant and a non-compliant case) is evaluated as a
whole template both ways; a rule that reads the measure tags, a path or the stack name fails here.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from rules_cases import CASES, Case

from bio2_aspects.catalog import load_catalog
from bio2_aspects.engine import RuleSet, build_view, evaluate_stack, measure_tag_values
from bio2_aspects.rules import RULES_IN_FORCE
from bio2_aspects.synthesizer import _set_tags

#: enough measures to fill several tag keys (``bio2:measures``, ``bio2:measures:2``, ...)
_MEASURES = measure_tag_values(sorted(m.id for m in load_catalog().measures)[:60])


def _outcomes(tpl: dict[str, Any], name: str, with_paths: bool) -> list[tuple[str, str, str, str]]:
    resources = tpl.get("Resources", {})
    paths = {lid: f"{name}/{lid}/Resource" for lid in resources} if with_paths else None
    view = build_view(name, resources, paths, conditions=tpl.get("Conditions"))
    try:
        return [
            (r.rule.id, r.logical_id, r.result.value, str(r.detail)) for r in evaluate_stack(view, RuleSet())
        ]
    finally:
        view.release()


def _tagged(tpl: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """A copy of ``tpl`` with measure tags on every resource the synthesizer would tag."""
    out = copy.deepcopy(tpl)
    count = sum(
        _set_tags(body, _MEASURES) for body in out.get("Resources", {}).values() if isinstance(body, dict)
    )
    return out, count


def test_the_measure_tags_fill_several_keys() -> None:
    assert len(_MEASURES) >= 2


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_results_ignore_measure_tags_paths_and_stack_name(case: Case) -> None:
    before = _outcomes(case.template, "Tagging", with_paths=False)
    tagged, _ = _tagged(case.template)
    after = _outcomes(tagged, "stack.template.json", with_paths=True)
    assert after == before


def test_the_cases_tag_resources_of_every_rule() -> None:
    """The comparison above is not vacuous: for every rule in force some case of it has a resource
    that the synthesizer tags."""
    untagged = []
    for rule in RULES_IN_FORCE:
        if not any(_tagged(c.template)[1] for c in CASES if c.rule_id == rule.id):
            untagged.append(rule.id)
    # rules on types without tags in CloudFormation (policies, associations...) cannot see any
    without_tags = {
        r.id
        for r in RULES_IN_FORCE
        if not any(_set_tags({"Type": t, "Properties": {}}, _MEASURES) for t in r.resource_types)
    }
    assert set(untagged) <= without_tags, sorted(set(untagged) - without_tags)


_NO_VALUE = {"Ref": "AWS::NoValue"}
_IF = {"Fn::If": ["IsProd", [{"Key": "env", "Value": "prod"}], _NO_VALUE]}
_ODD_TAGS = [
    ("AWS::S3::Bucket", {"Ref": "TagList"}),  # the whole list from a parameter
    ("AWS::S3::Bucket", _IF),
    ("AWS::S3::Bucket", _NO_VALUE),
    ("AWS::S3::Bucket", {"team": "a"}),  # a map where the type takes a list
    ("AWS::S3::Bucket", [{"Key": "team", "Value": "a"}, _IF]),  # an intrinsic among the entries
    ("AWS::SSM::Parameter", {"Ref": "TagMap"}),  # a map-shaped type
    ("AWS::SSM::Parameter", _NO_VALUE),
    ("AWS::SSM::Parameter", [{"Key": "team", "Value": "a"}]),  # a list where the type takes a map
    ("AWS::AutoScaling::AutoScalingGroup", {"Fn::If": ["IsProd", [], _NO_VALUE]}),
    ("AWS::EFS::FileSystem", {"Ref": "TagList"}),  # tags in FileSystemTags
]


@pytest.mark.parametrize(
    ("cfn_type", "tags"), _ODD_TAGS, ids=[f"{t}-{i}" for i, (t, _) in enumerate(_ODD_TAGS)]
)
def test_a_tag_property_the_rules_cannot_read_as_tags_is_left_alone(cfn_type: str, tags: Any) -> None:
    """Setting the measure tags may change nothing else the rules read: a key added beside an
    intrinsic would turn it into a map of tags, and a value of the wrong shape into another one."""
    from bio2_aspects.rules.tagging import TAG_PROPERTIES

    body = {"Type": cfn_type, "Properties": {TAG_PROPERTIES.get(cfn_type, "Tags"): copy.deepcopy(tags)}}
    before = copy.deepcopy(body)
    assert not _set_tags(body, _MEASURES)
    assert body == before
    template = {"Resources": {"R": before}, "Conditions": {"IsProd": {"Fn::Equals": ["a", "b"]}}}
    assert _outcomes(template, "Tagging", with_paths=False) == _outcomes(
        {"Resources": {"R": body}, "Conditions": template["Conditions"]}, "x.template.json", with_paths=True
    )
