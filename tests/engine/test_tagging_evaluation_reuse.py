"""Each template is evaluated once per synth where it can be: the check after synthesis takes the
evaluation the stack synthesizer made while tagging when the bytes on disk are the bytes tagged
(SHA-256), the rules are the library's own and the environment is the same (see
``engine.TaggingEvaluations``).

Taking it must change nothing: the evidence is the same as that of a check that evaluates every
template from disk. Where any condition fails (an app's own rule, a template changed after
tagging: ``test_check_after_synthesis.py``), the template is evaluated from disk.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs

from bio2_aspects import Bio2
from bio2_aspects import engine as engine_module
from bio2_aspects.engine import (
    RuleSet,
    TaggedEvaluation,
    TaggingEvaluations,
    measures_from_tags,
)
from bio2_aspects.rules import RULES_IN_FORCE, Result
from bio2_aspects.rules.base import Rule
from bio2_aspects.synthesizer import Bio2StackSynthesizer

pytestmark = pytest.mark.synth

ENV = cdk.Environment(account="123456789012", region="eu-central-1")


def _conditioned_bucket(stack: cdk.Stack, name: str) -> None:
    """A bucket created only in eu-central-1: provably created in a stack of that region, unknown
    in an environment-agnostic one."""
    bucket = s3.Bucket(stack, name, versioned=True, enforce_ssl=True)
    in_frankfurt = cdk.CfnCondition(
        stack, f"{name}InFrankfurt", expression=cdk.Fn.condition_equals(cdk.Aws.REGION, "eu-central-1")
    )
    bucket.node.default_child.cfn_options.condition = in_frankfurt  # type: ignore[union-attr]


def _workload(stack: cdk.Stack) -> None:
    s3.Bucket(stack, "Data", versioned=True, enforce_ssl=True)
    s3.Bucket(stack, "Plain")
    sqs.Queue(stack, "Jobs", enforce_ssl=True)
    _conditioned_bucket(stack, "Regional")
    # tags from a parameter as a whole (an escape hatch): the rules cannot read them, and tagging
    # must leave them so (a key beside the Ref would make them a map the rules can read)
    tag_list = cdk.CfnParameter(stack, "TagList", type="CommaDelimitedList")
    shared = s3.Bucket(stack, "Shared", versioned=True, enforce_ssl=True)
    shared.node.default_child.add_property_override("Tags", {"Ref": tag_list.logical_id})  # type: ignore[union-attr]


def _synth(outdir: Path, monkeypatch: pytest.MonkeyPatch, *, rules: Any = None) -> tuple[Bio2, int]:
    """Synthesize the app; the number of templates the check after synthesis evaluated itself."""
    app = cdk.App(outdir=str(outdir), default_stack_synthesizer=Bio2StackSynthesizer())
    _workload(cdk.Stack(app, "Orders", env=ENV))
    _workload(cdk.Stack(app, "Anywhere"))  # environment-agnostic
    _workload(cdk.Stack(cdk.Stage(app, "Prod", env=ENV), "Inner"))
    bio2 = Bio2(app, report_only=True, rules=rules)
    evaluated: list[str] = []
    evaluate_stack = engine_module.evaluate_stack

    def counting(view: Any, rule_set: RuleSet) -> Any:
        evaluated.append(view.name)
        return evaluate_stack(view, rule_set)

    with monkeypatch.context() as m:  # the check's own evaluations (the synthesizers import theirs)
        m.setattr(engine_module, "evaluate_stack", counting)
        app.synth()
    return bio2, len(evaluated)


def _evidence(bio2: Bio2) -> dict[str, Any]:
    manifest = bio2.manifest
    assert manifest is not None
    return manifest


def test_the_check_takes_what_tagging_evaluated_and_the_evidence_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken, evaluated = _synth(tmp_path / "taken", monkeypatch)
    assert evaluated == 0  # all three templates were evaluated once, while tagging
    with monkeypatch.context() as m:
        m.setattr(TaggingEvaluations, "find", lambda *args, **kwargs: None)
        from_disk, evaluated_again = _synth(tmp_path / "disk", monkeypatch)
    assert evaluated_again == 3
    assert _evidence(taken) == _evidence(from_disk)
    for name in ("manifest.json", "summary.md"):
        assert (tmp_path / "taken" / "bio2" / name).read_bytes() == (
            tmp_path / "disk" / "bio2" / name
        ).read_bytes(), name


def test_tags_follow_the_conditions_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tagging pass knows the region: the bucket created only in eu-central-1 is tagged in a
    stack of that region and not in an environment-agnostic one, and no tag is a mismatch."""
    bio2, _ = _synth(tmp_path, monkeypatch)
    manifest = _evidence(bio2)
    assert not [v for v in manifest["violations"] if v["rule"] == engine_module.TAG_MISMATCH_RULE]
    tagged: dict[str, tuple[str, ...]] = {}
    for template in sorted(tmp_path.rglob("*.template.json")):
        resources = json.loads(template.read_text(encoding="utf-8"))["Resources"]
        for lid, body in resources.items():
            if lid.startswith("Regional") and body["Type"] == "AWS::S3::Bucket":
                tags = {t["Key"]: t["Value"] for t in body["Properties"].get("Tags", [])}
                tagged[template.name] = measures_from_tags(tags)
    inner = [name for name in tagged if name.startswith("ProdInner")]
    assert len(tagged) == 3 and len(inner) == 1
    assert tagged["Orders.template.json"]
    assert tagged[inner[0]] == tagged["Orders.template.json"]
    assert tagged["Anywhere.template.json"] == ()


def test_an_apps_own_rule_has_every_template_evaluated_from_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = {r.id: r for r in RULES_IN_FORCE}["BIO2-S3-Versioning"]
    own = dataclasses.replace(library, check=library.check)  # equal, but not the library's object
    rules = [r for r in RULES_IN_FORCE if r.id != library.id] + [own]
    bio2, evaluated = _synth(tmp_path, monkeypatch, rules=rules)
    assert not bio2.rules.library_only
    assert evaluated == 3


def test_a_subset_of_the_library_rules_is_still_the_library() -> None:
    assert RuleSet().library_only
    assert RuleSet(RULES_IN_FORCE[:10]).library_only
    assert RuleSet(exclude=["BIO2-S3-Versioning"]).library_only
    copy = dataclasses.replace(RULES_IN_FORCE[0])
    assert not RuleSet([copy]).library_only


def _offer(rules: RuleSet, pseudo: dict[str, str]) -> TaggingEvaluations:
    offered = TaggingEvaluations()
    offered.offer(TaggedEvaluation("ab" * 32, pseudo, rules, (), {}))
    return offered


def test_an_evaluation_is_found_only_for_the_same_bytes_rules_and_environment() -> None:
    rules = RuleSet()
    frankfurt = {"AWS::Region": "eu-central-1", "AWS::AccountId": "123456789012"}
    offered = _offer(rules, frankfurt)
    assert offered.find("ab" * 32, dict(frankfurt), rules) is not None
    assert offered.find("cd" * 32, frankfurt, rules) is None  # other bytes
    assert offered.find("ab" * 32, {"AWS::Region": "eu-west-1"}, rules) is None  # other environment
    assert offered.find("ab" * 32, {}, rules) is None  # environment unknown on disk
    assert offered.find("ab" * 32, frankfurt, RuleSet()) is None  # another rule set
    own = Rule(
        id="BIO2-Own-Check",
        resource_types=("AWS::S3::Bucket",),
        measures=("8.15.01",),
        finding="f",
        fix="x",
        check=lambda res: Result.COMPLIANT,
    )
    custom = RuleSet([*RULES_IN_FORCE, own])
    assert _offer(custom, frankfurt).find("ab" * 32, frankfurt, custom) is None  # not the library's


def test_the_plugin_empties_the_offer_after_each_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bio2, _ = _synth(tmp_path, monkeypatch)
    assert bio2.pack.offered is not None and len(bio2.pack.offered) == 0


def test_measure_tags_in_another_tag_property_are_checked_too(tmp_path: Path) -> None:
    """Types that keep their tags elsewhere (``FileSystemTags``, ``BackupVaultTags``...) carry the
    measure tags there: a claim there that the template does not prove is a mismatch."""
    from bio2_aspects.assembly import StackTemplate
    from bio2_aspects.engine import evaluate_templates

    claim = [{"Key": "bio2:measures", "Value": "5.33.01 8.24.02"}]
    resources = {
        "Fs": {"Type": "AWS::EFS::FileSystem", "Properties": {"FileSystemTags": claim}},
        "Jobs": {"Type": "AWS::SQS::Queue", "Properties": {"Tags": claim}},
    }
    stack = StackTemplate("S", "S", "S.template.json", {"Resources": resources}, "0" * 64, None, None)
    [evaluation] = evaluate_templates([stack], RuleSet())
    assert set(evaluation.tag_mismatches) == {"Fs", "Jobs"}
