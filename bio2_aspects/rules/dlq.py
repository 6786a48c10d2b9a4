"""Dead-letter queues for AWS Lambda functions and Amazon SQS queues.

Measures: 8.27.01 (secure-by-default design of the processing chain: a message or event that
cannot be processed is kept for analysis and replay instead of being silently dropped).
"""

from __future__ import annotations

from bio2_aspects.messages import msg

from ._helpers import is_set, lookup, synth_time
from .base import Level, Outcome, Resource, Result, refers_to, rule

FUNCTION = "AWS::Lambda::Function"
INVOKE_CONFIG = "AWS::Lambda::EventInvokeConfig"
QUEUE = "AWS::SQS::Queue"
CUSTOM_RESOURCE = "AWS::CloudFormation::CustomResource"
SUBSCRIPTION = "AWS::SNS::Subscription"


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
    for other in res.stack.resources.values():
        if (other.type.startswith("Custom::") or other.type == CUSTOM_RESOURCE) and refers_to(
            other.properties.get("ServiceToken"), res.logical_id
        ):
            return Result.NOT_APPLICABLE, f"custom-resource handler of {other.logical_id}"
    if is_set(lookup(res.properties, "DeadLetterConfig", "TargetArn"), "DeadLetterConfig.TargetArn"):
        return Result.COMPLIANT
    for cfg in res.stack.of_type(INVOKE_CONFIG):
        if refers_to(cfg.properties.get("FunctionName"), res.logical_id):
            where = f"{cfg.logical_id}.DestinationConfig.OnFailure.Destination"
            if is_set(lookup(cfg.properties, "DestinationConfig", "OnFailure", "Destination"), where):
                return Result.COMPLIANT, msg("rule.dlq.on_failure", config=cfg.logical_id)
    return Result.NON_COMPLIANT, msg("rule.dlq.none")


def _is_dead_letter_queue(res: Resource) -> str | None:
    """The queue, function or subscription whose dead-letter queue ``res`` is, if any."""
    for other in res.stack.of_type(QUEUE, SUBSCRIPTION):
        if other.logical_id != res.logical_id and refers_to(
            lookup(other.properties, "RedrivePolicy", "deadLetterTargetArn"), res.logical_id
        ):
            return other.logical_id
    for function in res.stack.of_type(FUNCTION):
        if refers_to(lookup(function.properties, "DeadLetterConfig", "TargetArn"), res.logical_id):
            return function.logical_id
    return None


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
