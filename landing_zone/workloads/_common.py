"""Shared pieces of the workload constructs: classification, KMS keys and encrypted log groups."""

from __future__ import annotations

from collections.abc import Mapping

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct, IConstruct

from landing_zone.classification import attach, classify_rating
from landing_zone.classification.labels import TAG_KEYS, rating_tags
from landing_zone.core.keys import allow_cloudwatch_logs

DEFAULT_RATING: Mapping[str, str] = {
    "confidentiality": "medium",
    "integrity": "medium",
    "availability": "medium",
}
"""The rating a workload construct carries when neither it nor an enclosing scope was classified.

Applied with a low tag priority (:data:`FALLBACK_PRIORITY`): ``classify(stack, ...)`` or the
landing zone's account rating wins over it. The availability level is also the backup tag: the
landing zone's backup plans select resources by ``bio2:availability``."""

FALLBACK_PRIORITY = 50

LOG_RETENTION = logs.RetentionDays.ONE_YEAR
"""365 days, the BIO2 minimum for log groups (BIO2-Logs-Retention)."""


def apply_classification(construct: IConstruct, classification: Mapping[str, str] | None) -> dict[str, str]:
    """Classify ``construct``: with ``classification`` (as ``classify(...)``), else with the fallback.

    Returns the tags (key -> level) the construct asks for."""
    if classification is not None:
        classify_rating(construct, classification)
        return rating_tags(classification)
    tags = rating_tags(DEFAULT_RATING)
    for aspect, key in TAG_KEYS.items():
        cdk.Tags.of(construct).add(key, DEFAULT_RATING[aspect], priority=FALLBACK_PRIORITY)
    stage = cdk.Stage.of(construct)
    if stage is not None:
        attach(stage)
    return tags


def workload_key(
    scope: Construct, construct_id: str, description: str, *, logs_service: bool = False
) -> kms.Key:
    """A customer managed KMS key: yearly rotation on, retained when the stack is deleted.

    ``logs_service``: also let CloudWatch Logs of this account and region use it for log groups."""
    key = kms.Key(
        scope,
        construct_id,
        description=description,
        enable_key_rotation=True,
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )
    if logs_service:
        allow_cloudwatch_logs(key)
    return key


def encrypted_log_group(
    scope: Construct, construct_id: str, key: kms.IKey, *, log_group_name: str | None = None
) -> logs.LogGroup:
    """A log group encrypted with ``key``, kept :data:`LOG_RETENTION`, retained on delete."""
    return logs.LogGroup(
        scope,
        construct_id,
        log_group_name=log_group_name,
        retention=LOG_RETENTION,
        encryption_key=key,
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )
