"""Dead-letter queues for AWS Lambda functions and Amazon SQS queues.

Measures: 8.27.01 (secure-by-default design of the processing chain: a message or event that
cannot be processed is kept for analysis and replay instead of being silently dropped).
"""

from __future__ import annotations

from bio2_aspects.messages import msg

from ._helpers import Unverifiable, is_set, lookup, synth_time
from .base import Level, Outcome, Resource, Result, StackView, referenced_ids, rule

FUNCTION = "AWS::Lambda::Function"
INVOKE_CONFIG = "AWS::Lambda::EventInvokeConfig"
QUEUE = "AWS::SQS::Queue"
CUSTOM_RESOURCE = "AWS::CloudFormation::CustomResource"
SUBSCRIPTION = "AWS::SNS::Subscription"


def _custom_resource_handlers(view: StackView) -> dict[str, str]:
    """Logical ID of each resource a custom resource's ServiceToken refers to -> the first such
    custom resource (in template order)."""
    out: dict[str, str] = {}
    for other in view.resources.values():
        if other.type.startswith("Custom::") or other.type == CUSTOM_RESOURCE:
            for target in referenced_ids(other.properties.get("ServiceToken")):
                out.setdefault(target, other.logical_id)
    return out


@rule(
    "BIO2-Lambda-DeadLetterQueue",
    types=[FUNCTION],
    level=Level.WARNING,
    finding="Lambda function keeps no failed asynchronous invocations (no dead-letter queue or on-failure "
    "destination)",
    fix="Set DeadLetterConfig.TargetArn to an SQS queue or SNS topic (CDK: dead_letter_queue_enabled=True), "
    "or add an AWS::Lambda::EventInvokeConfig with DestinationConfig.OnFailure",
)
@synth_time
def lambda_dlq(res: Resource) -> Outcome:
    """DeadLetterConfig.TargetArn is set, or an EventInvokeConfig sends failures to a destination.

    A custom-resource handler (the ServiceToken of a ``Custom::*`` or
    ``AWS::CloudFormation::CustomResource`` in the same template) is NOT_APPLICABLE: CloudFormation
    invokes it and a failure fails the stack operation, so there is no event to lose.
    """
    custom = res.stack.derived("dlq.handlers", _custom_resource_handlers).get(res.logical_id)
    if custom is not None:
        return Result.NOT_APPLICABLE, f"custom-resource handler of {custom}"
    if is_set(lookup(res.properties, "DeadLetterConfig", "TargetArn"), "DeadLetterConfig.TargetArn"):
        return Result.COMPLIANT
    for cfg in res.stack.referrers(res.logical_id, "FunctionName", INVOKE_CONFIG):
        where = f"{cfg.logical_id}.DestinationConfig.OnFailure.Destination"
        if is_set(lookup(cfg.properties, "DestinationConfig", "OnFailure", "Destination"), where):
            return Result.COMPLIANT, msg("rule.dlq.on_failure", config=cfg.logical_id)
    return Result.NON_COMPLIANT, msg("rule.dlq.none")


#: Where a dead-letter target is set: (resource types, property path), searched in this order.
_DLQ_SOURCES = (
    ((QUEUE, SUBSCRIPTION), ("RedrivePolicy", "deadLetterTargetArn")),
    ((FUNCTION,), ("DeadLetterConfig", "TargetArn")),
)


_Targets = tuple[Resource, tuple[str, ...], frozenset[str] | None]


def _dead_letter_targets(view: StackView) -> tuple[list[_Targets], dict[str, list[int]], list[int]]:
    """Each queue, subscription and function of the view (in search order) with the logical IDs
    its dead-letter target refers to, None where that property passes through an intrinsic; with
    the positions of the sources by the logical IDs they name, and the positions of those None."""
    out: list[_Targets] = []
    for types, keys in _DLQ_SOURCES:
        for source in view.of_type(*types):
            try:
                out.append((source, keys, frozenset(referenced_ids(lookup(source.properties, *keys)))))
            except Unverifiable:
                out.append((source, keys, None))
    by_target: dict[str, list[int]] = {}
    unreadable: list[int] = []
    for i, (_, _, targets) in enumerate(out):
        if targets is None:
            unreadable.append(i)
        else:
            for lid in targets:
                by_target.setdefault(lid, []).append(i)
    return out, by_target, unreadable


def _is_dead_letter_queue(res: Resource) -> str | None:
    """The queue, function or subscription whose dead-letter queue ``res`` is, if any (the first
    in search order, skipping ``res`` itself; the targets of a template are read once, see
    ``StackView.derived``). A source before it whose target cannot be read raises
    :class:`Unverifiable`, as reading the sources in order does."""
    sources, by_target, unreadable = res.stack.derived("dlq.targets", _dead_letter_targets)
    lid = res.logical_id
    found = next((i for i in by_target.get(lid, ()) if sources[i][0].logical_id != lid), None)
    blocked = next((i for i in unreadable if sources[i][0].logical_id != lid), None)
    if blocked is not None and (found is None or blocked < found):
        source, keys, _ = sources[blocked]
        lookup(source.properties, *keys)  # raises Unverifiable
    return sources[found][0].logical_id if found is not None else None


@rule(
    "BIO2-SQS-DeadLetterQueue",
    types=[QUEUE],
    finding="SQS queue has no dead-letter queue: messages that keep failing are lost after retention",
    fix="Set RedrivePolicy with deadLetterTargetArn and maxReceiveCount "
    "(CDK: dead_letter_queue=DeadLetterQueue(queue=..., max_receive_count=...))",
)
@synth_time
def sqs_dlq(res: Resource) -> Outcome:
    """RedrivePolicy.deadLetterTargetArn is set.

    A queue that is itself a dead-letter queue (of a queue, a Lambda function or an SNS
    subscription in the same template) is NOT_APPLICABLE."""
    if is_set(
        lookup(res.properties, "RedrivePolicy", "deadLetterTargetArn"), "RedrivePolicy.deadLetterTargetArn"
    ):
        return Result.COMPLIANT
    source = _is_dead_letter_queue(res)
    if source:
        return Result.NOT_APPLICABLE, f"dead-letter queue of {source}"
    if is_set(res.properties.get("RedriveAllowPolicy"), "RedriveAllowPolicy"):
        return Result.NOT_APPLICABLE, "declares a RedriveAllowPolicy (a dead-letter queue for other queues)"
    return Result.NON_COMPLIANT, msg("rule.not_set", where="RedrivePolicy.deadLetterTargetArn")
