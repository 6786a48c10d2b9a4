"""Each secure default of each workload construct, switched off, yields the matching BIO2 finding."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from workloads_builders import CERTIFICATE_ARN, _vpc, public_vpc
from workloads_testkit import bio2_findings

from landing_zone.workloads import (
    ContainerService,
    EncryptedDatabase,
    SecureBucket,
    SecureFunction,
    SecureQueue,
    SecureTable,
    SecureTopic,
    WebAcl,
    WebApplicationEntry,
)

pytestmark = pytest.mark.synth

PK = dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING)
CODE = lambda_.Code.from_inline("def handler(event, context):\n    return event\n")


def _function(**kwargs: Any) -> Callable[[cdk.Stack], Any]:
    def build(stack: cdk.Stack) -> None:
        SecureFunction(
            stack, "F", runtime=lambda_.Runtime.PYTHON_3_14, handler="index.handler", code=CODE, **kwargs
        )

    return build


def _database(**kwargs: Any) -> Callable[[cdk.Stack], Any]:
    return lambda stack: EncryptedDatabase(stack, "Db", vpc=_vpc(stack), **kwargs)


def _containers(**kwargs: Any) -> Callable[[cdk.Stack], Any]:
    image = ecs.ContainerImage.from_registry("public.ecr.aws/nginx/nginx:1.27")
    return lambda stack: ContainerService(stack, "Web", vpc=_vpc(stack), image=image, **kwargs)


def _entry(**kwargs: Any) -> Callable[[cdk.Stack], Any]:
    return lambda stack: WebApplicationEntry(
        stack, "Entry", vpc=public_vpc(stack), certificate_arn=CERTIFICATE_ARN, **kwargs
    )


SWITCHED_OFF: list[tuple[str, Callable[[cdk.Stack], Any], str]] = [
    (
        "bucket SSE-S3",
        lambda s: SecureBucket(s, "B", encryption=s3.BucketEncryption.S3_MANAGED),
        "BIO2-S3-KmsEncryption",
    ),
    ("bucket unversioned", lambda s: SecureBucket(s, "B", versioned=False), "BIO2-S3-Versioning"),
    ("bucket without TLS policy", lambda s: SecureBucket(s, "B", enforce_ssl=False), "BIO2-S3-TlsOnly"),
    (
        "bucket public access allowed",
        lambda s: SecureBucket(s, "B", block_public_access=s3.BlockPublicAccess.BLOCK_ACLS_ONLY),
        "BIO2-S3-PublicAccessBlock",
    ),
    (
        "bucket without access logs",
        lambda s: SecureBucket(s, "B", server_access_logs=False),
        "BIO2-S3-AccessLogging",
    ),
    (
        "queue unencrypted",
        lambda s: SecureQueue(s, "Q", encryption=sqs.QueueEncryption.UNENCRYPTED),
        "BIO2-SQS-Encryption",
    ),
    ("queue without TLS policy", lambda s: SecureQueue(s, "Q", enforce_ssl=False), "BIO2-SQS-TlsOnly"),
    (
        "queue without DLQ",
        lambda s: SecureQueue(s, "Q", create_dead_letter_queue=False),
        "BIO2-SQS-DeadLetterQueue",
    ),
    ("topic unencrypted", lambda s: SecureTopic(s, "T", encrypted=False), "BIO2-SNS-KmsEncryption"),
    ("topic without TLS policy", lambda s: SecureTopic(s, "T", enforce_ssl=False), "BIO2-SNS-TlsOnly"),
    (
        "table with AWS owned key",
        lambda s: SecureTable(s, "T", partition_key=PK, encryption=dynamodb.TableEncryption.DEFAULT),
        "BIO2-DynamoDB-KmsEncryption",
    ),
    (
        "table without PITR",
        lambda s: SecureTable(
            s,
            "T",
            partition_key=PK,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=False
            ),
        ),
        "BIO2-DynamoDB-PointInTimeRecovery",
    ),
    (
        "table deletable",
        lambda s: SecureTable(s, "T", partition_key=PK, deletion_protection=False),
        "BIO2-DynamoDB-DeletionProtection",
    ),
    ("function without DLQ", _function(dead_letter_queue_enabled=False), "BIO2-Lambda-DeadLetterQueue"),
    (
        "function environment with the AWS key",
        _function(environment={"A": "b"}, environment_encryption=None),
        "BIO2-Lambda-EnvironmentKms",
    ),
    ("database unencrypted", _database(storage_encrypted=False), "BIO2-RDS-StorageEncrypted"),
    ("database without IAM auth", _database(iam_authentication=False), "BIO2-RDS-IamAuthentication"),
    ("database without log exports", _database(cloudwatch_logs_exports=[]), "BIO2-RDS-LogExports"),
    (
        "database without enhanced monitoring",
        _database(monitoring_interval=cdk.Duration.seconds(0)),
        "BIO2-RDS-EnhancedMonitoring",
    ),
    ("database secret not rotated", _database(rotation=False), "BIO2-SecretsManager-Rotation"),
    ("database deletable", _database(deletion_protection=False), "BIO2-RDS-DeletionProtection"),
    ("database short backups", _database(backup_retention=cdk.Duration.days(1)), "BIO2-RDS-BackupRetention"),
    ("database public", _database(publicly_accessible=True), "BIO2-RDS-NotPublic"),
    ("container as root", _containers(user="root"), "BIO2-ECS-NonRootUser"),
    (
        "container writable root fs",
        _containers(read_only_root_filesystem=False),
        "BIO2-ECS-ReadOnlyRootFilesystem",
    ),
    (
        "cluster without Container Insights",
        _containers(container_insights=ecs.ContainerInsights.DISABLED),
        "BIO2-ECS-ContainerInsights",
    ),
    ("ALB keeps invalid headers", _entry(drop_invalid_header_fields=False), "BIO2-ELB-DropInvalidHeaders"),
    ("ALB deletable", _entry(deletion_protection=False), "BIO2-ELB-DeletionProtection"),
    ("web ACL without rate limit", _entry(rate_limit=None), "BIO2-WAF-RateLimit"),
    ("web ACL without logging", lambda s: WebAcl(s, "Acl", logging=False), "BIO2-WAF-Logging"),
    ("no Shield Advanced", _entry(), "BIO2-Shield-Protection"),
]


@pytest.mark.parametrize(("what", "build", "rule"), SWITCHED_OFF, ids=[c[0] for c in SWITCHED_OFF])
def test_switching_a_default_off_yields_its_bio2_finding(
    what: str, build: Callable[[cdk.Stack], Any], rule: str
) -> None:
    found = bio2_findings(build)
    assert rule in found, f"{what}: {rule} not reported; got {sorted(found)}"


def test_single_az_database_fails_the_redundancy_rule() -> None:
    """Multi-AZ is redundancy (ISO 8.14, no BIO2 measure): a control-only rule that the engine runs
    (a warning, evidence for control 8.14 only; see tests/engine/test_control_only_rules.py)."""
    assert bio2_findings(_database(multi_az=False)).get("BIO2-RDS-MultiAz") == "warning"
    assert "BIO2-RDS-MultiAz" not in bio2_findings(_database(multi_az=True))


def test_shield_advanced_protects_the_load_balancer() -> None:
    found = bio2_findings(_entry(shield_advanced=True))
    assert "BIO2-Shield-Protection" not in found, found


def test_deprecated_runtime_is_refused() -> None:
    stack = cdk.Stack(cdk.App(), "S")
    with pytest.raises(ValueError, match="deprecated"):
        SecureFunction(stack, "F", runtime=lambda_.Runtime.PYTHON_3_9, handler="index.handler", code=CODE)


def test_function_log_group_without_retention_is_reported() -> None:
    def build(stack: cdk.Stack) -> None:
        group = logs.LogGroup(stack, "Plain", retention=logs.RetentionDays.INFINITE)
        _function(log_group=group)(stack)

    assert "BIO2-Logs-Retention" in bio2_findings(build)
