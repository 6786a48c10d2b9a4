"""``deployment``: where the landing zone is deployed from (platform bootstrap, pipeline, Control Tower).

The deployment account runs the CDK CLI or the pipeline. Every landing-zone account and region is
bootstrapped with the platform's own qualifier and trusts only this account (docs/deploy.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from landing_zone.config.base import ConfigModel, Hint
from landing_zone.config.errors import Problem

if TYPE_CHECKING:
    from landing_zone.config.model import LandingZoneConfig


class PipelineSource(ConfigModel):
    """Where the pipeline reads the project from (no CodeCommit)."""

    type: Literal["codestar", "s3"] = Field(
        default="codestar",
        description="`codestar`: a CodeStar (CodeConnections) connection to a Git host; `s3`: a zip in S3.",
    )
    connection_arn: (
        Annotated[
            str,
            Field(
                pattern=r"^arn:aws:(codestar-connections|codeconnections):[a-z0-9-]+:[0-9]{12}:connection/[\w-]+$"
            ),
            Hint(
                expected="a CodeStar / CodeConnections connection ARN",
                example="arn:aws:codeconnections:eu-central-1:111111111111:connection/abcd-1234",
            ),
        ]
        | None
    ) = Field(default=None, description="Connection ARN (type `codestar`).")
    repository: (
        Annotated[
            str,
            Field(pattern=r"^[\w.-]+/[\w.-]+$"),
            Hint(expected="owner/name of the repository", example="gemeente/landing-zone"),
        ]
        | None
    ) = Field(default=None, description="Repository `owner/name` (type `codestar`).")
    branch: str = Field(default="main", min_length=1, description="Branch to deploy (type `codestar`).")
    bucket: (
        Annotated[
            str,
            Field(pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"),
            Hint(expected="an S3 bucket name", example="lz-pipeline-source-111111111111"),
        ]
        | None
    ) = Field(default=None, description="Versioned bucket holding the project zip (type `s3`).")
    object_key: str = Field(
        default="landing-zone.zip", min_length=1, description="Key of the project zip (type `s3`)."
    )


class PipelineSettings(ConfigModel):
    """The CDK Pipelines deployment of the landing zone (off by default)."""

    enabled: bool = Field(
        default=False,
        description="Synthesize the pipeline stack (`lz-pipeline`) into the deployment account.",
    )
    source: PipelineSource = Field(default=PipelineSource(), description="Where the project comes from.")


class DeploymentSection(ConfigModel):
    """Deployment account, pipeline and Control Tower coexistence."""

    account: str | None = Field(
        default=None,
        description=(
            "Name of the account that deploys the landing zone (runs the CDK CLI or the pipeline); "
            "default: the management account. Every other account trusts only this one."
        ),
    )
    pipeline: PipelineSettings = Field(default=PipelineSettings(), description="The deployment pipeline.")
    control_tower: bool = Field(
        default=False,
        description=(
            "Coexist with AWS Control Tower: leave the Config recorders, delivery channels and the "
            "organization trail to Control Tower and cite them as evidence."
        ),
    )


def check(cfg: LandingZoneConfig) -> list[Problem]:
    from landing_zone.config.sections.organization import unknown_account

    section = cfg.deployment
    problems: list[Problem] = []
    if section.account is not None:
        problems += unknown_account(cfg, section.account, "deployment.account")
    siem = cfg.logging.siem
    if section.control_tower and siem is not None and siem.type == "firehose":
        problems.append(
            Problem(
                "deployment.control_tower",
                "the Firehose SIEM export reads our organization trail, which Control Tower replaces",
                "use logging.siem.type: sqs (reads the log archive), or set deployment.control_tower: false",
            )
        )
    source = section.pipeline.source
    if (
        section.pipeline.enabled
        and source.type == "codestar"
        and not (source.connection_arn and source.repository)
    ):
        problems.append(
            Problem(
                "deployment.pipeline.source",
                "a codestar source needs connection_arn and repository",
                "set deployment.pipeline.source.connection_arn and .repository, or type: s3 with a bucket",
            )
        )
    if section.pipeline.enabled and source.type == "s3" and not source.bucket:
        problems.append(
            Problem(
                "deployment.pipeline.source.bucket",
                "an s3 source needs a bucket",
                "set deployment.pipeline.source.bucket to a versioned bucket in the deployment account",
            )
        )
    return problems
