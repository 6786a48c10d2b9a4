"""Amazon SNS and SQS rules.

Measures: 8.24.04 (messages encrypted at rest), 8.21.04 (messages travel only over TLS).
"""

from __future__ import annotations

from collections.abc import Callable

from bio2_aspects.messages import msg

from ._helpers import Unverifiable, customer_managed_key, kms_key, synth_time, to_bool
from ._policy import find_tls_deny
from .base import Outcome, Resource, Result, rule

TOPIC = "AWS::SNS::Topic"
TOPIC_POLICY = "AWS::SNS::TopicPolicy"
QUEUE = "AWS::SQS::Queue"
QUEUE_POLICY = "AWS::SQS::QueuePolicy"


@rule(
    "BIO2-SNS-KmsEncryption",
    types=[TOPIC],
    finding="SNS topic is not encrypted with a customer managed KMS key",
    fix="Set KmsMasterKeyId to a customer managed key (CDK: master_key=...), not alias/aws/sns",
)
@synth_time
def sns_kms(res: Resource) -> Outcome:
    """KmsMasterKeyId names a customer managed key."""
    ok, why = customer_managed_key(res.properties.get("KmsMasterKeyId"), res, "KmsMasterKeyId")
    if ok:
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, why


@rule(
    "BIO2-SQS-Encryption",
    types=[QUEUE],
    finding="SQS queue does not declare server-side encryption",
    fix="Set KmsMasterKeyId (SSE-KMS, preferred) or SqsManagedSseEnabled: true",
)
@synth_time
def sqs_encryption(res: Resource) -> Outcome:
    """SSE-KMS (KmsMasterKeyId) or SSE-SQS (SqsManagedSseEnabled true) is declared explicitly."""
    kind = kms_key(res.properties.get("KmsMasterKeyId"), res, "KmsMasterKeyId")
    if kind == "customer":
        return Result.COMPLIANT
    if kind == "aws":
        return Result.COMPLIANT, msg("rule.messaging.sse_kms_aws")
    if to_bool(res.properties.get("SqsManagedSseEnabled"), "SqsManagedSseEnabled") is True:
        return Result.COMPLIANT, msg("rule.messaging.sse_sqs")
    return Result.NON_COMPLIANT, msg("rule.messaging.no_sse")


def _tls_only(res: Resource, policy_type: str, list_prop: str, action_ok: Callable[[str], bool]) -> Outcome:
    policies = res.stack.referrers(res.logical_id, list_prop, policy_type)
    if not policies:
        return Result.NON_COMPLIANT, msg("rule.messaging.no_policy", policy_type=policy_type)
    pending: Unverifiable | None = None
    notes = []
    for pol in policies:
        try:
            ok, note = find_tls_deny(
                pol.properties.get("PolicyDocument"), f"{pol.logical_id}.PolicyDocument", action_ok
            )
        except Unverifiable as exc:
            pending = pending or exc
            continue
        if ok:
            return Result.COMPLIANT
        if note:
            notes.append(msg("rule.s3.policy_note", policy=pol.logical_id, note=note))
    if pending is not None:
        raise pending
    if notes:
        return Result.NON_COMPLIANT, msg("rule.findings", findings_list=notes)
    return Result.NON_COMPLIANT, msg("rule.messaging.no_tls_deny")


@rule(
    "BIO2-SNS-TlsOnly",
    types=[TOPIC],
    finding="SNS topic has no policy that denies publishing without TLS",
    fix="Add a topic policy statement Deny sns:Publish for Principal '*' when aws:SecureTransport is false "
    "(CDK: enforce_ssl=True)",
)
@synth_time
def sns_tls_only(res: Resource) -> Outcome:
    """An AWS::SNS::TopicPolicy for the topic denies sns:Publish (or all) over plain HTTP."""
    return _tls_only(res, TOPIC_POLICY, "Topics", lambda a: a in ("*", "sns:*", "sns:Publish"))


@rule(
    "BIO2-SQS-TlsOnly",
    types=[QUEUE],
    finding="SQS queue has no policy that denies access without TLS",
    fix="Add a queue policy statement Deny sqs:* for Principal '*' when aws:SecureTransport is false "
    "(CDK: enforce_ssl=True)",
)
@synth_time
def sqs_tls_only(res: Resource) -> Outcome:
    """An AWS::SQS::QueuePolicy for the queue denies all SQS actions over plain HTTP."""
    return _tls_only(res, QUEUE_POLICY, "Queues", lambda a: a in ("*", "sqs:*"))
