"""Stacks with each workload construct at its defaults (shared by the tests and the example)."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb

from landing_zone.workloads import SecureBucket, SecureQueue, SecureTable, SecureTopic


def bucket(stack: cdk.Stack) -> None:
    SecureBucket(stack, "Documents")


def queue(stack: cdk.Stack) -> None:
    SecureQueue(stack, "Jobs")


def topic(stack: cdk.Stack) -> None:
    SecureTopic(stack, "Events")


def table(stack: cdk.Stack) -> None:
    SecureTable(
        stack, "Orders", partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING)
    )


BUILDERS = {"Bucket": bucket, "Queue": queue, "Topic": topic, "Table": table}


def _vpc(stack: cdk.Stack):
    from landing_zone.workloads import WorkloadVpc

    return WorkloadVpc(
        stack, "Vpc", cidr="10.20.0.0/20", transit_gateway_id="tgw-0123456789abcdef0", segment="production"
    ).vpc


def function(stack: cdk.Stack) -> None:
    from aws_cdk import aws_lambda as lambda_

    from landing_zone.workloads import SecureFunction

    SecureFunction(
        stack,
        "Handler",
        runtime=lambda_.Runtime.PYTHON_3_14,
        handler="index.handler",
        code=lambda_.Code.from_inline("def handler(event, context):\n    return event\n"),
        environment={"STAGE": "test"},
    )


def database(stack: cdk.Stack) -> None:
    from landing_zone.workloads import EncryptedDatabase

    EncryptedDatabase(stack, "Db", vpc=_vpc(stack))


BUILDERS.update({"Function": function, "Database": database})
