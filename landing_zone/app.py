"""Wire the landing zone and the BIO2 engine into a CDK app."""

from __future__ import annotations

import hashlib
import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

import aws_cdk as cdk

from bio2_aspects import Bio2, Exclusion, Owner, Scope
from bio2_aspects.scope import Attestation, ConfigSource, Document, RiskAcceptance
from landing_zone.assembly import LandingZone
from landing_zone.config import LandingZoneConfig


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


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def config_source(config: LandingZoneConfig, path: str | os.PathLike[str] | None = None) -> ConfigSource:
    """What the manifest says about the configuration: the SHA-256 of the file's bytes when its
    path is known, else of the validated configuration (canonical JSON)."""
    if path is not None and Path(path).is_file():
        return ConfigSource(Path(path).name, hashlib.sha256(Path(path).read_bytes()).hexdigest(), "file")
    text = json.dumps(config.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return ConfigSource("validated configuration", hashlib.sha256(text.encode()).hexdigest(), "model")


def bio2_scope(config: LandingZoneConfig, config_path: str | os.PathLike[str] | None = None) -> Scope:
    """The organisation's BIO2 scope decisions from the configuration's ``bio2`` section."""
    b = config.bio2
    return Scope(
        organisation=b.organisation_name or config.organization.name,
        owners=tuple(
            Owner(scope=o.scope, owner=o.owner, contact=o.contact, process=o.process) for o in b.owners
        ),
        exclusions=tuple(
            Exclusion(
                id=e.id,
                justification=e.justification,
                risk_assessment=e.risk_assessment,
                approved_by=e.approved_by,
                date=_date(e.date),
                expires=_date(e.expires),
            )
            for e in b.exclusions
        ),
        language=b.language,
        attestations=tuple(
            Attestation(
                scope=a.scope,
                owner=a.owner,
                document=None
                if a.document is None
                else Document(a.document.title, a.document.reference, a.document.version),
                date=_date(a.date),
                approved_by=a.approved_by,
                review_date=_date(a.review_date),
            )
            for a in b.attestations
        ),
        risk_acceptances=tuple(
            RiskAcceptance(
                rule=r.rule,
                reason=r.reason,
                approved_by=r.approved_by,
                date=r.date.isoformat(),
                expires=r.expires.isoformat(),
                resources=r.resources,
            )
            for r in b.risk_acceptances
        ),
        config=config_source(config, config_path),
    )


def build_app(
    app: cdk.App, config: LandingZoneConfig, config_path: str | os.PathLike[str] | None = None
) -> tuple[LandingZone, Bio2]:
    """Build every stack of the landing zone and attach the BIO2 engine to the app (``config_path``:
    the file ``config`` was read from, hashed into the manifest; None: the embedded default).

    The landing-zone stacks are always built in one
    :class:`~landing_zone.pipeline.stage.LandingZoneStage` (``cdk.out/assembly-LandingZone/``, stacks in
    wave order, docs/deploy.md); with ``deployment.pipeline.enabled`` the app also holds the pipeline
    stack (deployment account), which deploys that same Stage.
    """
    if config.deployment.pipeline.enabled:
        from landing_zone.pipeline.pipeline import PipelineStack

        lz = PipelineStack(app, config, stage_scope=app).stage.landing_zone
    else:
        from landing_zone.pipeline.stage import LandingZoneStage

        lz = LandingZoneStage(app, config).landing_zone
    # the landing zone is what auditors read: every synth writes the full report set
    bio2 = Bio2(app, scope=bio2_scope(config, config_path), reports="all")
    return lz, bio2
