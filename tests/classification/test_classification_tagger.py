"""The classification tagger on a small app: everything CDK's Tags do not reach gets its tags too.

One app exercises every gap: a stage (aspects and tags of the app stop at a stage boundary), a
stage in a stage, plain ``CfnResource`` objects with list and map tag formats (what CDK's own
custom resource providers create), a type that keeps its tags in another property
(``BackupVaultTags``), a workload override, tag type filters, and a value that is not a level.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_backup as backup
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns

from bio2_aspects import Bio2
from bio2_aspects.rules.tagging import CLASSIFICATION_TAGS, TAG_PROPERTIES, supports_tags
from landing_zone.classification import (
    ClassificationTagger,
    attach,
    classification_of,
    classify,
    classify_rating,
)

pytestmark = pytest.mark.synth

LOW = {"confidentiality": "low", "integrity": "low", "availability": "low"}
DEFAULT = {"confidentiality": "medium", "integrity": "medium", "availability": "medium"}


def _tags(resource: dict[str, Any]) -> dict[str, Any]:
    raw = resource.get("Properties", {}).get(TAG_PROPERTIES.get(resource["Type"], "Tags"))
    if isinstance(raw, dict):
        return raw
    return {entry["Key"]: entry["Value"] for entry in raw or []}


class Built:
    def __init__(self, outdir: Path, code: Path) -> None:
        self.app = cdk.App(outdir=str(outdir), context={"bio2:reportOnly": "true"})
        app = self.app
        top = cdk.Stack(app, "Top")
        classify_rating(top, LOW)
        sns.CfnTopic(top, "Topic")
        backup.CfnBackupVault(top, "Vault", backup_vault_name="lz-test")
        cdk.CfnResource(top, "RawTopic", type="AWS::SNS::Topic", properties={"TopicName": "raw"})
        cdk.CfnResource(
            top,
            "RawTopicWithTags",
            type="AWS::SNS::Topic",
            properties={
                "Tags": [{"Key": "bio2:availability", "Value": "high"}, {"Key": "team", "Value": "a"}]
            },
        )
        cdk.CfnResource(
            top, "RawParameter", type="AWS::SSM::Parameter", properties={"Type": "String", "Value": "x"}
        )
        workload = cdk.Stack(app, "Workload")
        classify_rating(workload, LOW)
        bucket = s3.CfnBucket(workload, "Bucket")
        classify(bucket, availability="high")
        filtered = cdk.Stack(app, "Filtered")
        cdk.Tags.of(filtered).add("bio2:confidentiality", "high", exclude_resource_types=["AWS::SNS::Topic"])
        sns.CfnTopic(filtered, "Topic")
        s3.CfnBucket(filtered, "Bucket")
        self.custom = cdk.Stack(app, "Custom")
        provider = cdk.CustomResourceProvider.get_or_create_provider(
            self.custom,
            "Custom::Probe",
            code_directory=str(code),
            runtime=cdk.CustomResourceProviderRuntime.NODEJS_22_X,
        )
        cdk.CustomResource(
            self.custom, "Probe", service_token=provider.service_token, resource_type="Custom::Probe"
        )

        stage = cdk.Stage(app, "Stg")
        inner = cdk.Stack(stage, "Inner")
        classify_rating(inner, {"confidentiality": "high", "integrity": "high", "availability": "high"})
        sns.CfnTopic(inner, "Topic")
        cdk.CfnResource(inner, "RawTopic", type="AWS::SNS::Topic", properties={})
        nested = cdk.Stage(stage, "Nested")
        unclassified = cdk.Stack(nested, "Unclassified")
        sns.CfnTopic(unclassified, "Topic")
        # classify the app: it does not reach the stages through CDK, the tagger carries it over
        classify(app, integrity="high")

        self.taggers: list[ClassificationTagger] = [
            attach(app, DEFAULT),
            attach(stage, DEFAULT),
            attach(nested, DEFAULT),
        ]
        self.bad = cdk.Stack(app, "Bad")
        classify_rating(self.bad, LOW)
        bad_topic = sns.CfnTopic(self.bad, "Topic")
        cdk.Tags.of(bad_topic).add("bio2:availability", "critical")
        Bio2(app)
        self.assembly = app.synth()
        self.outdir = outdir
        self.manifest = json.loads((outdir / "bio2" / "manifest.json").read_text(encoding="utf-8"))
        self.templates: dict[str, dict[str, Any]] = {}
        for t in self.manifest["templates"]:
            self.templates[t["file"]] = json.loads((outdir / t["file"]).read_text(encoding="utf-8"))

    def template(self, suffix: str) -> dict[str, Any]:
        matches = [tpl for name, tpl in self.templates.items() if Path(name).name.startswith(suffix)]
        assert len(matches) == 1, (suffix, sorted(self.templates))
        return matches[0]

    def resource(self, stack: str, logical_prefix: str) -> dict[str, Any]:
        resources = self.template(stack)["Resources"]
        assert logical_prefix in resources, (logical_prefix, sorted(resources))
        return resources[logical_prefix]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    code = tmp_path_factory.mktemp("provider-code")
    (code / "index.js").write_text("exports.handler = async () => ({});\n", encoding="utf-8")
    return Built(tmp_path_factory.mktemp("classification-tagger"), code)


def test_every_taggable_resource_of_every_template_is_classified(built: Built) -> None:
    seen = 0
    for name, template in built.templates.items():
        for lid, resource in template["Resources"].items():
            if not supports_tags(resource["Type"]):
                continue
            seen += 1
            tags = _tags(resource)
            assert all(tags.get(key) for key in CLASSIFICATION_TAGS), (name, lid, tags)
    assert seen >= 14
    # the stage and the nested stage produced templates of their own
    assert any(name.startswith("assembly-Stg/assembly-Stg-Nested/") for name in built.templates)


def test_l1_resources_get_the_stack_rating(built: Built) -> None:
    topic = _tags(built.resource("Top", "Topic"))
    assert {k: topic[k] for k in CLASSIFICATION_TAGS} == {
        "bio2:confidentiality": "low",
        "bio2:integrity": "low",
        "bio2:availability": "low",
    }
    # a type with a non-standard tag property, as a map
    vault = built.resource("Top", "Vault")["Properties"]["BackupVaultTags"]
    assert vault["bio2:availability"] == "low"


def test_plain_cfn_resources_get_tags_in_their_own_format(built: Built) -> None:
    raw_topic = built.resource("Top", "RawTopic")["Properties"]["Tags"]
    assert isinstance(raw_topic, list)
    assert {e["Key"]: e["Value"] for e in raw_topic}["bio2:integrity"] == "low"
    parameter = built.resource("Top", "RawParameter")["Properties"]["Tags"]
    assert isinstance(parameter, dict), "AWS::SSM::Parameter keeps its tags as a map"
    assert parameter["bio2:confidentiality"] == "low"


def test_tags_written_on_a_plain_resource_are_kept(built: Built) -> None:
    tags = _tags(built.resource("Top", "RawTopicWithTags"))
    assert tags["bio2:availability"] == "high"
    assert tags["team"] == "a"
    assert tags["bio2:confidentiality"] == "low"


def test_custom_resource_provider_resources_are_classified(built: Built) -> None:
    resources = built.template("Custom")["Resources"]
    types = {body["Type"] for body in resources.values()}
    assert {"AWS::IAM::Role", "AWS::Lambda::Function", "Custom::Probe"} <= types
    for lid, body in resources.items():
        if body["Type"] in ("AWS::IAM::Role", "AWS::Lambda::Function"):
            # CDK's Tags cannot reach these plain CfnResources; the default fills them
            assert _tags(body)["bio2:availability"] == "medium", lid
            assert _tags(body)["bio2:integrity"] == "high", lid  # classify(app, integrity=high)
    assert any("Custom/" in path for path in built.taggers[0].completed["property"])


def test_a_workload_overrides_its_account(built: Built) -> None:
    bucket = _tags(built.resource("Workload", "Bucket"))
    assert bucket["bio2:availability"] == "high"
    assert bucket["bio2:confidentiality"] == "low"


def test_tag_type_filters_are_respected(built: Built) -> None:
    assert _tags(built.resource("Filtered", "Bucket"))["bio2:confidentiality"] == "high"
    assert _tags(built.resource("Filtered", "Topic"))["bio2:confidentiality"] == "medium"


def test_stages_get_their_stack_rating_and_what_the_app_says(built: Built) -> None:
    inner = _tags(built.resource("StgInner", "Topic"))
    assert inner["bio2:confidentiality"] == "high"
    raw = _tags(built.resource("StgInner", "RawTopic"))
    assert raw["bio2:availability"] == "high"
    nested = _tags(built.resource("StgNestedUnclassified", "Topic"))
    classification = {k: v for k, v in nested.items() if not k.startswith("bio2:measures")}
    assert classification == {
        "bio2:availability": "medium",
        "bio2:confidentiality": "medium",
        "bio2:integrity": "high",
    }


def test_a_value_that_is_not_a_level_is_a_synth_error(built: Built) -> None:
    artifact = built.assembly.get_stack_by_name("Bad")
    errors = [m.entry.data for m in artifact.messages if m.entry.type == "aws:cdk:error"]
    assert any("bio2:availability='critical' is not a classification level" in str(e) for e in errors), errors


def test_the_engine_sees_the_tags(built: Built) -> None:
    failures = [
        v
        for v in built.manifest["violations"]
        if v["rule"] in ("BIO2-Tagging-Classification", "BIO2-Engine-TagMismatch")
    ]
    # The deliberately wrong level on the "Bad" stack's topic is the only one, and the engine sees it too.
    assert [(v["stack"], v["rule"]) for v in failures] == [("Bad", "BIO2-Tagging-Classification")]
    assert "bio2:availability='critical'" in failures[0]["detail"]


def test_classification_of_follows_cdk_priorities(built: Built) -> None:
    bucket = built.app.node.find_child("Workload").node.find_child("Bucket")
    assert classification_of(bucket)["bio2:availability"] == "high"
    assert classification_of(bucket)["bio2:integrity"] == "low"  # the stack beats the app: nearer


def test_classify_needs_a_level() -> None:
    app = cdk.App()
    stack = cdk.Stack(app, "S")
    with pytest.raises(ValueError, match="give at least one"):
        classify(stack)
    with pytest.raises(ValueError, match="use one of: low, medium, high"):
        classify(stack, availability="critical")


def test_cdk_tags_do_not_cross_a_stage(tmp_path: Path) -> None:
    """Why the tagger exists: ``Tags.of(app)`` leaves stacks in a stage untagged."""
    app = cdk.App(outdir=str(tmp_path))
    stage = cdk.Stage(app, "Stg")
    sns.CfnTopic(cdk.Stack(stage, "Inner"), "Topic")
    cdk.Tags.of(app).add("bio2:availability", "low")
    app.synth()
    template = json.loads(next(tmp_path.glob("assembly-Stg/*.template.json")).read_text(encoding="utf-8"))
    assert "Tags" not in template["Resources"]["Topic"].get("Properties", {})
