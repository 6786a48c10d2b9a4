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


def container_service(stack: cdk.Stack) -> None:
    from aws_cdk import aws_ecs as ecs

    from landing_zone.workloads import ContainerService

    ContainerService(
        stack,
        "Web",
        vpc=_vpc(stack),
        image=ecs.ContainerImage.from_registry("public.ecr.aws/nginx/nginx:1.27"),
    )


BUILDERS.update({"Containers": container_service})

CERTIFICATE_ARN = "arn:aws:acm:eu-central-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"


def public_vpc(stack: cdk.Stack):
    """A VPC with public subnets for an internet-facing load balancer (flow logs, no NAT)."""
    from aws_cdk import aws_ec2 as ec2

    from landing_zone.workloads._common import encrypted_log_group, workload_key

    vpc = ec2.Vpc(
        stack,
        "PublicVpc",
        ip_addresses=ec2.IpAddresses.cidr("10.30.0.0/20"),
        max_azs=2,
        nat_gateways=0,
        restrict_default_security_group=False,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="public", subnet_type=ec2.SubnetType.PUBLIC, cidr_mask=24),
            ec2.SubnetConfiguration(
                name="private", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED, cidr_mask=24
            ),
        ],
    )
    from landing_zone.classification import classify

    classify(stack, confidentiality="medium", integrity="medium", availability="medium")
    key = workload_key(stack, "FlowLogKey", "Flow logs", logs_service=True)
    vpc.add_flow_log(
        "FlowLog",
        destination=ec2.FlowLogDestination.to_cloud_watch_logs(encrypted_log_group(stack, "FlowLogs", key)),
    )
    return vpc


def web_entry(stack: cdk.Stack) -> None:
    from landing_zone.workloads import WebApplicationEntry

    WebApplicationEntry(stack, "Entry", vpc=public_vpc(stack), certificate_arn=CERTIFICATE_ARN)


BUILDERS.update({"Web": web_entry})
