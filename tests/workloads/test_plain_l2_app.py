"""A plain L2 app-team stack (ALB + Fargate + RDS + S3 + SQS + Lambda + API Gateway), written without
the rules in mind: BIO2 flags each class of weakness AwsSolutions, NIST R5, checkov and the Control
Tower proactive controls catch on it."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_ecs_patterns as ecs_patterns
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_rds as rds
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from workloads_testkit import bio2_findings

pytestmark = pytest.mark.synth


def plain_l2_app(stack: cdk.Stack) -> None:
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2, nat_gateways=1)
    s3.Bucket(stack, "Uploads")
    sqs.Queue(stack, "Jobs")
    handler = lambda_.Function(
        stack,
        "Handler",
        runtime=lambda_.Runtime.PYTHON_3_13,
        handler="index.handler",
        code=lambda_.Code.from_inline("def handler(event, context):\n    return event\n"),
    )
    handler.add_to_role_policy(iam.PolicyStatement(actions=["s3:*"], resources=["*"]))
    rds.DatabaseInstance(
        stack,
        "Db",
        engine=rds.DatabaseInstanceEngine.postgres(version=rds.PostgresEngineVersion.VER_17_9),
        vpc=vpc,
    )
    ecs_patterns.ApplicationLoadBalancedFargateService(
        stack,
        "Web",
        vpc=vpc,
        task_image_options=ecs_patterns.ApplicationLoadBalancedTaskImageOptions(
            image=ecs.ContainerImage.from_registry("public.ecr.aws/nginx/nginx:1.27")
        ),
    )
    apigw.LambdaRestApi(stack, "Api", handler=handler)


MISSED_CLASSES = {
    "public ALB without WAF": "BIO2-WAF-LoadBalancerWebAcl",
    "API Gateway stage without WAF": "BIO2-WAF-ApiStageWebAcl",
    "internet-facing entry without Shield Advanced": "BIO2-Shield-Protection",
    "Lambda without dead-letter queue": "BIO2-Lambda-DeadLetterQueue",
    "SQS without dead-letter queue": "BIO2-SQS-DeadLetterQueue",
    "database secret without rotation": "BIO2-SecretsManager-Rotation",
    "secret without customer managed key": "BIO2-SecretsManager-Cmk",
    "RDS without log exports": "BIO2-RDS-LogExports",
    "RDS without enhanced monitoring": "BIO2-RDS-EnhancedMonitoring",
    "ALB passes invalid headers": "BIO2-ELB-DropInvalidHeaders",
    "ALB without deletion protection": "BIO2-ELB-DeletionProtection",
    "ECS task as root": "BIO2-ECS-NonRootUser",
    "ECS task with writable root filesystem": "BIO2-ECS-ReadOnlyRootFilesystem",
    "ECS cluster without Container Insights": "BIO2-ECS-ContainerInsights",
    "wildcard grant": "BIO2-IAM-NoWildcardGrant",
}


@pytest.fixture(scope="module")
def found() -> dict[str, str]:
    return bio2_findings(plain_l2_app)


@pytest.mark.parametrize(("what", "rule"), sorted(MISSED_CLASSES.items()))
def test_plain_l2_app_is_flagged(found: dict[str, str], what: str, rule: str) -> None:
    assert rule in found, f"{what}: {rule} not reported; got {sorted(found)}"


def test_unsafe_defaults_that_fail_the_build_are_errors(found: dict[str, str]) -> None:
    errors = {r for r, level in found.items() if level == "error"}
    must_fail = {
        "BIO2-WAF-LoadBalancerWebAcl",
        "BIO2-WAF-ApiStageWebAcl",
        "BIO2-SecretsManager-Rotation",
        "BIO2-RDS-LogExports",
        "BIO2-ELB-DropInvalidHeaders",
        "BIO2-ECS-NonRootUser",
        "BIO2-ECS-ReadOnlyRootFilesystem",
        "BIO2-SQS-DeadLetterQueue",
    }
    assert must_fail <= errors, sorted(must_fail - errors)
