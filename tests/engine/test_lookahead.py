"""The check after synthesis starts on each final template as its stack synthesizer writes it
(``engine.Lookahead``), and stays authoritative: an evaluation made ahead is used only for the
very bytes (and environment) the check reads after synthesis."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import jsii
import pytest
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs

from bio2_aspects import Bio2
from bio2_aspects import engine as engine_module
from bio2_aspects.engine import Lookahead, RuleSet, _evaluate_template
from bio2_aspects.synthesizer import Bio2StackSynthesizer

ENV = cdk.Environment(account="123456789012", region="eu-central-1")
TEMPLATE = {
    "Resources": {
        "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {}},
        "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"SqsManagedSseEnabled": True}},
    }
}


def test_taken_only_for_the_same_bytes_and_environment() -> None:
    rules = RuleSet()
    ahead = Lookahead(rules)
    data = json.dumps(TEMPLATE).encode()
    sha = hashlib.sha256(data).hexdigest()
    ahead.submit(data, sha, "123456789012", "eu-central-1")
    assert ahead.take("0" * 64, {"AWS::Region": "eu-central-1", "AWS::AccountId": "123456789012"}) is None
    assert ahead.take(sha, {"AWS::Region": "eu-west-1", "AWS::AccountId": "123456789012"}) is None
    pseudo = {"AWS::Region": "eu-central-1", "AWS::AccountId": "123456789012"}
    assert ahead.take(sha, pseudo) == _evaluate_template(TEMPLATE, pseudo, rules)
    assert ahead.take(sha, pseudo) is None  # taken once
    ahead.submit(data, sha, None, None)
    ahead.close()  # drops what was not taken
    assert ahead.take(sha, {}) is None


@jsii.implements(cdk.IPolicyValidationPlugin)
class _Tamper:
    """A plugin that runs before BIO2's and rewrites a template on disk: the bucket loses its
    versioning after the synthesizer has tagged it (and handed the bytes to the lookahead)."""

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


def _app(outdir: Path) -> tuple[cdk.App, cdk.Stack]:
    app = cdk.App(outdir=str(outdir), default_stack_synthesizer=Bio2StackSynthesizer())
    stack = cdk.Stack(app, "Orders", env=ENV)
    s3.Bucket(stack, "Data", versioned=True, enforce_ssl=True)
    sqs.Queue(stack, "Jobs", enforce_ssl=True)
    return app, stack


def test_a_synth_uses_the_evaluations_made_ahead(tmp_path: Path, monkeypatch: Any) -> None:
    taken: list[bool] = []
    real = Lookahead.take

    def recording(self: Lookahead, sha256: str, pseudo: Any) -> Any:
        found = real(self, sha256, pseudo)
        taken.append(found is not None)
        return found

    monkeypatch.setattr(Lookahead, "take", recording)
    app, _ = _app(tmp_path / "ahead")
    bio2 = Bio2(app, report_only=True)
    app.synth()
    assert taken == [True]
    with_lookahead = bio2.manifest

    monkeypatch.setattr(engine_module.Lookahead, "submit", lambda *a, **k: None)  # nothing made ahead
    app, _ = _app(tmp_path / "after")
    bio2 = Bio2(app, report_only=True)
    app.synth()
    assert taken == [True, False]
    assert bio2.manifest == with_lookahead


def test_a_template_changed_after_its_synthesizer_is_evaluated_again(tmp_path: Path) -> None:
    app, _ = _app(tmp_path)
    cdk.Validations.of(app).add_plugins(_Tamper())  # before BIO2's plugin
    bio2 = Bio2(app, report_only=True)
    app.synth()
    manifest = bio2.manifest
    assert manifest is not None
    rules = {v["rule"] for v in manifest["violations"]}
    # the versioning removed after tagging is seen, and the tag that claimed it is caught
    assert "BIO2-S3-Versioning" in rules
    assert "BIO2-Engine-TagMismatch" in rules


@pytest.mark.parametrize("env", [ENV, None])
def test_environment_of_the_lookahead_is_the_assemblys(tmp_path: Path, env: Any, monkeypatch: Any) -> None:
    seen: list[tuple[Any, Any]] = []
    real = Lookahead.submit

    def recording(self: Lookahead, data: bytes, sha256: str, account: Any, region: Any) -> None:
        seen.append((account, region))
        real(self, data, sha256, account, region)

    monkeypatch.setattr(Lookahead, "submit", recording)
    app = cdk.App(outdir=str(tmp_path), default_stack_synthesizer=Bio2StackSynthesizer())
    stack = cdk.Stack(app, "Orders", env=env)
    sqs.Queue(stack, "Jobs", enforce_ssl=True)
    Bio2(app, report_only=True)
    app.synth()
    assert seen == [("123456789012", "eu-central-1") if env else (None, None)]
