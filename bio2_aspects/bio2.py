"""``Bio2(app)``: one call that sets up the BIO2 checks, the measure tags and the evidence for any app."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

import aws_cdk as cdk

from bio2_aspects.engine import RuleSet
from bio2_aspects.pack import Bio2Checks
from bio2_aspects.rules.base import Rule
from bio2_aspects.scope import Scope
from bio2_aspects.tagger import MeasureTagger


class Bio2:
    """Attach the BIO2 engine to a CDK app (or stage).

    * registers :class:`~bio2_aspects.pack.Bio2Checks` as a validation plugin: after synthesis it
      evaluates every template, writes ``<outdir>/bio2/manifest.json`` and ``summary.md`` and fails
      the synth on unacknowledged error-level violations (unless ``report_only``);
    * adds :class:`~bio2_aspects.tagger.MeasureTagger` with read-only priority, so it runs after the
      mutating aspects and tags each resource with the measures it satisfies.

    Example::

        app = cdk.App()
        MyStack(app, "MyStack")
        Bio2(app, scope=Scope(organisation="Gemeente Voorbeeldstad", language="nl"))
        app.synth()
    """

    def __init__(
        self,
        app: cdk.Stage,
        *,
        scope: Scope | None = None,
        report_only: bool | None = None,
        tag_resources: bool = True,
        rules: Sequence[Rule] | None = None,
        exclude_rules: Iterable[str] = (),
        evidence_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        self.scope = scope or Scope()
        self.rules = RuleSet(rules, exclude_rules)
        if evidence_dir is None:
            evidence_dir = os.path.join(app.outdir, "bio2")
        self.pack = Bio2Checks(
            app, rules=self.rules, bio2_scope=self.scope, report_only=report_only, evidence_dir=evidence_dir
        )
        cdk.Validations.of(app).add_plugins(self.pack)
        self.tagger: MeasureTagger | None = None
        if tag_resources:
            self.tagger = MeasureTagger(self.rules)
            cdk.Aspects.of(app).add(self.tagger, priority=cdk.AspectPriority.READONLY)

    @property
    def manifest(self) -> dict | None:
        """The manifest of the last synth (None before synthesis)."""
        return self.pack.last_manifest
