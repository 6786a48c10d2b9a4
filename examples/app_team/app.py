#!/usr/bin/env python3
"""An app team's CDK app on the landing zone: a web application behind AWS WAF, its containers,
database, documents, work queue, worker function, events topic and table, checked with ``Bio2`` and
cdk-nag's AwsSolutions pack side by side.

Run it with ``cdk synth`` (cdk.json next to this file) or ``python examples/app_team/app.py``: the
templates and ``bio2/`` evidence land in ``CDK_OUTDIR`` (default ``cdk.out``). Any unacknowledged
BIO2 or AwsSolutions error fails the synth.
"""

from __future__ import annotations

import os

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from cdk_nag import AwsSolutionsChecks
from constructs import Construct

from bio2_aspects import Bio2, Scope, acknowledge
from landing_zone.classification import classify
from landing_zone.nag import acknowledge_nag
from landing_zone.workloads import (
    ContainerService,
    EncryptedDatabase,
    SecureBucket,
    SecureFunction,
    SecureQueue,
    SecureTable,
    SecureTopic,
    WebApplicationEntry,
    encrypted_log_group,
    workload_key,
)

ENV = cdk.Environment(account="123456789012", region="eu-central-1")
CERTIFICATE_ARN = "arn:aws:acm:eu-central-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
WORKER_CODE = "def handler(event, context):\n    return {'processed': len(event.get('Records', []))}\n"


class PermitStack(cdk.Stack):
    """Permit applications of a municipality: citizens upload documents, case workers handle them."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: object) -> None:
        super().__init__(scope, construct_id, **kwargs)
        # Personal data of citizens: confidentiality high; the availability level also picks the
        # landing zone's backup plan (bio2:availability).
        classify(self, confidentiality="high", integrity="high", availability="medium")

        vpc = ec2.Vpc(
            self,
            "Vpc",
            ip_addresses=ec2.IpAddresses.cidr("10.50.0.0/20"),
            max_azs=2,
            nat_gateways=0,
            restrict_default_security_group=False,
            subnet_configuration=[
                ec2.SubnetConfiguration(name="public", subnet_type=ec2.SubnetType.PUBLIC, cidr_mask=24),
                ec2.SubnetConfiguration(
                    name="app", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED, cidr_mask=24
                ),
            ],
        )
        flow_key = workload_key(self, "FlowLogKey", "Encrypts the VPC flow logs", logs_service=True)
        vpc.add_flow_log(
            "FlowLog",
            destination=ec2.FlowLogDestination.to_cloud_watch_logs(
                encrypted_log_group(self, "FlowLogs", flow_key)
            ),
        )

        entry = WebApplicationEntry(self, "Entry", vpc=vpc, certificate_arn=CERTIFICATE_ARN)
        acknowledge(
            entry.load_balancer,
            "BIO2-Shield-Protection",
            "Decision of the CISO (2026-11): no Shield Advanced subscription for this service; Shield "
            "Standard and the WAF rate limit cover the availability risk accepted in the risk analysis.",
        )

        documents = SecureBucket(self, "Documents")
        database = EncryptedDatabase(self, "Db", vpc=vpc)
        web = ContainerService(
            self,
            "Web",
            vpc=vpc,
            image=ecs.ContainerImage.from_registry("public.ecr.aws/nginx/nginx:1.27"),
            secrets={"DB_SECRET": ecs.Secret.from_secrets_manager(database.secret)},  # type: ignore[arg-type]
        )
        entry.listener.add_targets(
            "Web",
            port=web.container_port,
            protocol=elbv2.ApplicationProtocol.HTTP,
            targets=[web.service],
            health_check=elbv2.HealthCheck(path="/health"),
        )
        database.connections.allow_default_port_from(web.service, "Web application")
        documents.grant_read_write(web.task_role)

        jobs = SecureQueue(self, "Jobs")
        jobs.grant_send_messages(web.task_role)
        events = SecureTopic(self, "Events")
        cases = SecureTable(
            self, "Cases", partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING)
        )
        worker = SecureFunction(
            self,
            "Worker",
            runtime=lambda_.Runtime.PYTHON_3_14,
            handler="index.handler",
            code=lambda_.Code.from_inline(WORKER_CODE),
            environment={"TABLE": cases.table_name, "TOPIC": events.topic_arn},
        )
        worker.add_event_source(sources.SqsEventSource(jobs, batch_size=10))
        cases.grant_read_write_data(worker)
        events.grant_publish(worker)

        # CDK's grant_* methods use action prefixes (s3:GetObject*, kms:GenerateDataKey*) and object
        # ARNs (bucket/*): cdk-nag asks for a reason, given here for the roles that received grants.
        acknowledge_nag(
            web.task_role,
            "AwsSolutions-IAM5",
            "Grants made by CDK's grant_read_write (documents bucket objects and its key) and "
            "grant_send_messages (jobs queue key): action prefixes of those two resources only.",
        )
        acknowledge_nag(
            worker.role,  # type: ignore[arg-type]
            "AwsSolutions-IAM5",
            "Grants made by CDK's grant_read_write_data (cases table and its indexes), grant_publish and "
            "the SQS event source (jobs queue and its key): action prefixes of those resources only.",
        )


def build(app: cdk.App) -> PermitStack:
    """The example's stack, with ``Bio2`` and AwsSolutions attached to ``app``."""
    stack = PermitStack(app, "Permits", env=ENV)
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    Bio2(app, scope=Scope(organisation="Gemeente Voorbeeldstad", language="en"))
    return stack


def main() -> None:
    app = cdk.App(outdir=os.environ.get("CDK_OUTDIR") or None)
    build(app)
    app.synth()


if __name__ == "__main__":
    main()
