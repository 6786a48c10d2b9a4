"""``SecureFunction``: a Lambda function with the landing zone's defaults (a ``lambda_.Function``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from bio2_aspects.rules.lambda_ import DEPRECATED_RUNTIMES
from landing_zone.nag import acknowledge_nag
from landing_zone.workloads._common import apply_classification, encrypted_log_group, workload_key
from landing_zone.workloads.messaging import SecureQueue

#: Reserved concurrency when none is given: caps what one function can take from the account pool
#: (and what a flood of events can cost). New accounts may have a quota of 10 concurrent executions,
#: below which Lambda refuses any reservation: pass ``reserved_concurrent_executions=None`` there.
DEFAULT_RESERVED_CONCURRENCY = 10


class SecureFunction(lambda_.Function):
    """A ``lambda_.Function`` whose defaults pass BIO2 and AwsSolutions.

    Secure defaults (override with the ``lambda_.Function`` keyword of the same name):

    * ``runtime``: required, and refused when AWS has deprecated it (no more security patches);
    * a dead-letter queue for failed asynchronous invocations (:attr:`dead_letter`, a
      ``SecureQueue`` without a DLQ of its own); ``dead_letter_queue_enabled=False`` turns it off;
    * ``reserved_concurrent_executions`` = :data:`DEFAULT_RESERVED_CONCURRENCY`;
    * ``environment_encryption``: a new customer managed key (rotation on) when there are
      environment variables; keep secrets in Secrets Manager, not in variables;
    * ``log_group``: a new log group, KMS-encrypted, kept 365 days, retained;
    * ``role``: a new role with only write access to that log group (no AWS managed policy);
      ``vpc``/``vpc_subnets`` as for ``lambda_.Function`` (VPC access is then added to the role);
    * ``tracing=ACTIVE`` (X-Ray).

    The L1 ``CfnFunction`` is ``node.default_child``; ``grant_invoke`` is that of ``lambda_.Function``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        runtime: lambda_.Runtime,
        classification: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        if runtime.name in DEPRECATED_RUNTIMES:
            raise ValueError(
                f"SecureFunction '{construct_id}': runtime {runtime.name} is deprecated by AWS Lambda and no "
                "longer receives security patches; use a supported runtime (e.g. Runtime.PYTHON_3_13)"
            )
        key = None
        if kwargs.get("environment") and "environment_encryption" not in kwargs:
            key = workload_key(
                scope, f"{construct_id}Key", f"Encrypts the environment of function {construct_id}"
            )
            kwargs["environment_encryption"] = key
        self.dead_letter: SecureQueue | None = None
        if (
            kwargs.get("dead_letter_queue_enabled", True)
            and "dead_letter_queue" not in kwargs
            and "dead_letter_topic" not in kwargs
        ):
            self.dead_letter = SecureQueue(
                scope,
                f"{construct_id}DeadLetters",
                classification=classification,
                create_dead_letter_queue=False,
                retention_period=cdk.Duration.days(14),
            )
            kwargs["dead_letter_queue"] = self.dead_letter
            kwargs.pop("dead_letter_queue_enabled", None)
        kwargs.setdefault("reserved_concurrent_executions", DEFAULT_RESERVED_CONCURRENCY)
        kwargs.setdefault("tracing", lambda_.Tracing.ACTIVE)
        if "log_group" not in kwargs:
            log_key = workload_key(
                scope,
                f"{construct_id}LogKey",
                f"Encrypts the logs of function {construct_id}",
                logs_service=True,
            )
            kwargs["log_group"] = encrypted_log_group(scope, f"{construct_id}Logs", log_key)
            apply_classification(log_key, classification)
        created_role = "role" not in kwargs
        if created_role:
            kwargs["role"] = iam.Role(
                scope,
                f"{construct_id}Role",
                assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                description=f"Execution role of function {construct_id}",
            )
        super().__init__(scope, construct_id, runtime=runtime, **kwargs)
        if created_role:
            role: iam.Role = kwargs["role"]
            role.add_to_policy(
                iam.PolicyStatement(
                    actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                    resources=[f"{kwargs['log_group'].log_group_arn}:*"],
                )
            )
            log_group_id = cdk.Stack.of(self).get_logical_id(kwargs["log_group"].node.default_child)
            acknowledge_nag(
                role,
                "AwsSolutions-IAM5",
                "Lambda creates the function's log streams at run time with generated names: the role may "
                "write to any stream of the function's own log group only; X-Ray actions support no "
                "resource-level permissions.",
                findings=[f"Resource::<{log_group_id}.Arn>:*", "Resource::*"],
            )
            if kwargs.get("vpc") is not None:
                acknowledge_nag(
                    role,
                    "AwsSolutions-IAM4",
                    "Lambda attaches AWSLambdaVPCAccessExecutionRole to functions in a VPC: AWS's policy for "
                    "creating and removing the function's network interfaces, which have no resource-level "
                    "permissions to scope.",
                )
            apply_classification(role, classification)
        if key is not None:
            apply_classification(key, classification)
        apply_classification(kwargs["log_group"], classification)
        apply_classification(self, classification)
