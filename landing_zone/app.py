"""Wire the landing zone and the BIO2 engine into a CDK app."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import aws_cdk as cdk

from bio2_aspects import Bio2, Exclusion, Owner, Scope
from landing_zone.config import LandingZoneConfig
from landing_zone.stacks import LandingZone


def feature_flags() -> dict[str, Any]:
    """The CDK feature flags the landing zone is built and tested with.

    aws-cdk-lib's recommended flags for new projects (partitions limited to ``aws``). They live in
    code, not in cdk.json, so that ``cdk synth`` and every test build identical templates.
    """
    text = resources.files("landing_zone").joinpath("feature_flags.json").read_text(encoding="utf-8")
    return json.loads(text)


def new_app(outdir: str | None = None, context: dict[str, Any] | None = None) -> cdk.App:
    """A CDK App with the landing zone's feature flags (``context`` entries take precedence)."""
    return cdk.App(outdir=outdir, context={**feature_flags(), **(context or {})})


def bio2_scope(config: LandingZoneConfig) -> Scope:
    """The organisation's BIO2 scope decisions from the configuration's ``bio2`` section."""
    b = config.bio2
    return Scope(
        organisation=b.organisation_name or config.organization.name,
        owners=tuple(
            Owner(scope=o.scope, owner=o.owner, contact=o.contact, process=o.process) for o in b.owners
        ),
        exclusions=tuple(
            Exclusion(id=e.id, justification=e.justification, risk_assessment=e.risk_assessment)
            for e in b.exclusions
        ),
        language=b.language,
    )


def build_app(app: cdk.App, config: LandingZoneConfig) -> tuple[LandingZone, Bio2]:
    """Build every stack of the landing zone and attach the BIO2 engine to the app.

    With ``deployment.pipeline.enabled`` the app holds the pipeline stack (deployment account) and
    the :class:`~landing_zone.pipeline.stage.LandingZoneStage` it deploys (``cdk.out/assembly-LandingZone/``);
    otherwise the landing-zone stacks themselves, in wave order (docs/deploy.md).
    """
    if config.deployment.pipeline.enabled:
        from landing_zone.pipeline.pipeline import PipelineStack

        lz = PipelineStack(app, config, stage_scope=app).stage.landing_zone
    else:
        from landing_zone.pipeline.stage import order_stacks

        lz = LandingZone(app, config)
        order_stacks(lz)
    bio2 = Bio2(app, scope=bio2_scope(config))
    return lz, bio2
