"""The check after synthesis is authoritative: it reads the templates as they are on disk when the
plugins run. A template changed after its stack synthesizer tagged it (here by a plugin that runs
before BIO2's) is judged as changed, and the tag that no longer holds is an error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import jsii
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs

from bio2_aspects import Bio2
from bio2_aspects.synthesizer import Bio2StackSynthesizer

ENV = cdk.Environment(account="123456789012", region="eu-central-1")


@jsii.implements(cdk.IPolicyValidationPlugin)
class _Tamper:
    """Removes each bucket's versioning from the written template."""

    name = "TAMPER"
    version = "1"
    rule_ids: list[str] = []

    def validate(self, context: Any) -> cdk.PolicyValidationPluginReport:
        for p in context.template_paths:
            template = json.loads(Path(p).read_text(encoding="utf-8"))
            for body in template["Resources"].values():
                if body["Type"] == "AWS::S3::Bucket":
                    body["Properties"].pop("VersioningConfiguration", None)
            Path(p).write_text(json.dumps(template, indent=1), encoding="utf-8")
        return cdk.PolicyValidationPluginReport(success=True, violations=[])


def _violations(outdir: Path, tamper: bool) -> set[tuple[str, str]]:
    app = cdk.App(outdir=str(outdir), default_stack_synthesizer=Bio2StackSynthesizer())
    stack = cdk.Stack(app, "Orders", env=ENV)
    s3.Bucket(stack, "Data", versioned=True, enforce_ssl=True)
    sqs.Queue(stack, "Jobs", enforce_ssl=True)
    if tamper:
        cdk.Validations.of(app).add_plugins(_Tamper())  # runs before BIO2's plugin
    bio2 = Bio2(app, report_only=True)
    app.synth()
    assert bio2.manifest is not None
    return {
        (v["rule"], v["logical_id"])
        for v in bio2.manifest["violations"]
        if v["logical_id"].startswith("Data")
    }


def test_a_template_changed_after_tagging_is_judged_as_changed(tmp_path: Path) -> None:
    untouched = _violations(tmp_path / "untouched", tamper=False)
    assert not {rule for rule, _ in untouched} & {"BIO2-S3-Versioning", "BIO2-Engine-TagMismatch"}
    changed = {rule for rule, _ in _violations(tmp_path / "changed", tamper=True)}
    assert "BIO2-S3-Versioning" in changed  # the versioning removed after tagging is seen
    assert "BIO2-Engine-TagMismatch" in changed  # and the tag that claimed it is caught
