"""``logging``: the organization trail, the immutable log archive and export to a SIEM."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from landing_zone.config.base import ConfigModel, Hint
from landing_zone.config.errors import Problem

if TYPE_CHECKING:
    from landing_zone.config.model import LandingZoneConfig


class SiemExport(ConfigModel):
    """How logs reach the organisation's SIEM."""

    type: Literal["sqs", "firehose"] = Field(
        description=(
            "`sqs`: the SIEM reads new log objects from the archive bucket, notified through an SQS queue. "
            "`firehose`: a Firehose stream pushes CloudWatch Logs events to the SIEM's HTTPS endpoint."
        )
    )
    reader_arn: (
        Annotated[
            str,
            Field(pattern=r"^arn:aws:iam::[0-9]{12}:role/[\w+=,.@/-]+$"),
            Hint(expected="an IAM role ARN", example="arn:aws:iam::123456789012:role/siem-reader"),
        ]
        | None
    ) = Field(
        default=None,
        description="IAM role of the SIEM that may read the queue and the log objects (type `sqs`).",
    )
    endpoint_url: (
        Annotated[
            str,
            Field(pattern=r"^https://[^\s/]+(/\S*)?$"),
            Hint(expected="an https:// URL", example="https://siem.voorbeeldstad.example/ingest"),
        ]
        | None
    ) = Field(default=None, description="HTTPS endpoint the Firehose stream delivers to (type `firehose`).")


class LoggingSection(ConfigModel):
    """Central logging in the log-archive account."""

    retention_days: int = Field(
        default=365,
        ge=1,
        le=36500,
        description=(
            "Days the log archive keeps logs under S3 Object Lock. BIO2 sets no fixed term: measure "
            "8.15.04 asks for a risk-based term that allows for attackers who stay inside unnoticed "
            "for a long time. 365 days covers a year of such dwell time; logs that belong to an "
            "incident must be kept at least three years (measure 5.28.01), so preserve those separately."
        ),
    )
    object_lock_mode: Literal["COMPLIANCE", "GOVERNANCE"] = Field(
        default="COMPLIANCE",
        description=(
            "S3 Object Lock mode of the log archive. COMPLIANCE: nobody, not even the root user, can "
            "delete or shorten retention. GOVERNANCE: specially authorised users can."
        ),
    )
    data_events: bool = Field(
        default=True,
        description="Record S3 object-level and Lambda invoke data events in the organization trail.",
    )
    insights: bool = Field(default=False, description="Enable CloudTrail Insights (extra cost).")
    cloudwatch_delivery: bool = Field(
        default=False,
        description="Also deliver the organization trail to CloudWatch Logs in the home region.",
    )
    siem: SiemExport | None = Field(
        default=None, description="Export to a SIEM; leave out when there is none."
    )


def check(cfg: LandingZoneConfig) -> list[Problem]:
    """Logging checks:

    - A SIEM export of type `sqs` names its `reader_arn`; one of type `firehose` names its
      `endpoint_url` and needs `cloudwatch_delivery: true` (Firehose reads from CloudWatch Logs).
    """
    logging = cfg.logging
    siem = logging.siem
    if siem is None:
        return []
    problems: list[Problem] = []
    if siem.type == "sqs" and siem.reader_arn is None:
        problems.append(
            Problem(
                "logging.siem.reader_arn",
                "a SIEM export of type 'sqs' needs the IAM role the SIEM reads with",
                "set reader_arn to the SIEM's IAM role, such as arn:aws:iam::123456789012:role/siem-reader",
            )
        )
    if siem.type == "firehose":
        if siem.endpoint_url is None:
            problems.append(
                Problem(
                    "logging.siem.endpoint_url",
                    "a SIEM export of type 'firehose' needs the endpoint to deliver to",
                    "set endpoint_url to the SIEM's HTTPS ingestion endpoint",
                )
            )
        if not logging.cloudwatch_delivery:
            problems.append(
                Problem(
                    "logging.cloudwatch_delivery",
                    "a SIEM export of type 'firehose' reads the trail from CloudWatch Logs, which is off",
                    "set logging.cloudwatch_delivery: true, or use siem type 'sqs'",
                )
            )
    return problems
