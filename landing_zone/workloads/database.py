"""``EncryptedDatabase``: an RDS for PostgreSQL instance with the landing zone's defaults."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_rds as rds
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from landing_zone.nag import acknowledge_nag
from landing_zone.workloads._common import apply_classification, encrypted_log_group, workload_key

DEFAULT_ENGINE = rds.DatabaseInstanceEngine.postgres(version=rds.PostgresEngineVersion.VER_17_9)
#: Days of automated backups (point-in-time recovery): at least the BIO2 rule's 7.
DEFAULT_BACKUP_DAYS = 14
#: Days between rotations of the master password.
ROTATION_DAYS = 30


class EncryptedDatabase(rds.DatabaseInstance):
    """An ``rds.DatabaseInstance`` (PostgreSQL by default) whose defaults pass BIO2 and AwsSolutions.

    Secure defaults (override with the ``rds.DatabaseInstance`` keyword of the same name):

    * ``storage_encrypted=True`` with a new customer managed key (rotation on, retained) unless
      ``storage_encryption_key`` is given; the master secret is encrypted with the same key and
      rotated every :data:`ROTATION_DAYS` days by a hosted rotation function in the database's
      VPC (``rotation=False`` turns that off);
    * ``iam_authentication=True``; ``publicly_accessible=False``; private (isolated) subnets;
    * ``cloudwatch_logs_exports=["postgresql", "upgrade"]`` kept 365 days;
    * ``monitoring_interval=60 s`` (enhanced monitoring); Performance Insights on, encrypted;
    * ``multi_az=True``; ``backup_retention`` :data:`DEFAULT_BACKUP_DAYS` days;
      ``deletion_protection=True``; ``removal_policy=SNAPSHOT`` is replaced by RETAIN.

    Aurora: use ``rds.DatabaseCluster`` with the same settings; BIO2 checks both (rules
    BIO2-RDS-*). Connect with ``db.connections.allow_default_port_from(peer)`` and
    ``db.grant_connect(role, "user")`` (IAM authentication).

    The L1 ``CfnDBInstance`` is ``node.default_child``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: ec2.IVpc,
        classification: Mapping[str, str] | None = None,
        rotation: bool = True,
        **kwargs: Any,
    ) -> None:
        key = kwargs.get("storage_encryption_key")
        if key is None and kwargs.get("storage_encrypted", True):
            key = workload_key(
                scope, f"{construct_id}Key", f"Encrypts the database {construct_id} and its secret"
            )
            kwargs["storage_encryption_key"] = key
        kwargs.setdefault("engine", DEFAULT_ENGINE)
        if "credentials" not in kwargs:
            # A DatabaseSecret of our own: Credentials.from_generated_secret overrides the secret's
            # logical ID, which the BIO2 measure tagger cannot follow before synthesis.
            secret = rds.DatabaseSecret(
                scope, f"{construct_id}Secret", username="dbadmin", encryption_key=key
            )
            secret.apply_removal_policy(cdk.RemovalPolicy.RETAIN)  # the retained database needs it
            kwargs["credentials"] = rds.Credentials.from_secret(secret)
            apply_classification(secret, classification)
        kwargs.setdefault("vpc_subnets", ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED))
        kwargs.setdefault("storage_encrypted", True)
        kwargs.setdefault("iam_authentication", True)
        kwargs.setdefault("publicly_accessible", False)
        kwargs.setdefault("cloudwatch_logs_exports", ["postgresql", "upgrade"])
        kwargs.setdefault("monitoring_interval", cdk.Duration.seconds(60))
        kwargs.setdefault("enable_performance_insights", True)
        if kwargs["enable_performance_insights"] and key is not None:
            kwargs.setdefault("performance_insight_encryption_key", key)
        kwargs.setdefault("multi_az", True)
        kwargs.setdefault("backup_retention", cdk.Duration.days(DEFAULT_BACKUP_DAYS))
        kwargs.setdefault("deletion_protection", True)
        kwargs.setdefault("removal_policy", cdk.RemovalPolicy.RETAIN)
        kwargs.setdefault("instance_type", ec2.InstanceType.of(ec2.InstanceClass.M7G, ec2.InstanceSize.LARGE))
        kwargs.setdefault("allocated_storage", 50)
        if "instance_identifier" not in kwargs:
            kwargs["instance_identifier"] = _identifier(scope, construct_id)
        super().__init__(scope, construct_id, vpc=vpc, **kwargs)
        # The engine log groups, created before the instance exports to them: KMS-encrypted, kept
        # 365 days, retained (rather than cloudwatch_logs_retention's custom resource and function).
        self.log_groups: list[logs.LogGroup] = []
        log_key = workload_key(
            scope, f"{construct_id}LogKey", f"Encrypts the logs of database {construct_id}", logs_service=True
        )
        apply_classification(log_key, classification)
        for log_type in kwargs.get("cloudwatch_logs_exports") or []:
            group = encrypted_log_group(
                self,
                f"Logs{log_type.capitalize()}",
                log_key,
                log_group_name=f"/aws/rds/instance/{kwargs['instance_identifier']}/{log_type}",
            )
            self.node.default_child.node.add_dependency(group)  # type: ignore[union-attr]
            self.log_groups.append(group)
        self.rotation: secretsmanager.RotationSchedule | None = None
        if rotation and self.secret is not None:
            hosted = secretsmanager.HostedRotation.postgre_sql_single_user(
                vpc=vpc, vpc_subnets=kwargs["vpc_subnets"]
            )
            self.rotation = self.secret.add_rotation_schedule(
                "Rotation", automatically_after=cdk.Duration.days(ROTATION_DAYS), hosted_rotation=hosted
            )
            self.connections.allow_default_port_from(hosted, "Secret rotation")
        self._acknowledge()
        apply_classification(self, classification)
        if isinstance(key, Construct) and key.node.scope is scope:
            apply_classification(key, classification)

    def _acknowledge(self) -> None:
        acknowledge_nag(
            self,
            "AwsSolutions-RDS11",
            "The database listens on the engine's default port: a changed port hides nothing from a scanner "
            "inside the VPC; the instance is in private subnets, reachable only from the security groups "
            "granted with connections.allow_default_port_from.",
        )
        role = self.node.try_find_child("MonitoringRole")
        if isinstance(role, iam.Role):
            acknowledge_nag(
                role,
                "AwsSolutions-IAM4",
                "AmazonRDSEnhancedMonitoringRole is AWS's policy for the enhanced monitoring service "
                "role: it only writes the RDSOSMetrics log group.",
            )


def _identifier(scope: Construct, construct_id: str) -> str:
    """A DB instance identifier from the stack and construct names: letters, digits and hyphens,
    starting with a letter, at most 63 characters (known at synth time, so the log groups can be named)."""
    raw = f"{cdk.Stack.of(scope).stack_name}-{construct_id}".lower()
    cleaned = re.sub(r"[^a-z0-9-]+", "-", raw)
    cleaned = re.sub(r"-{2,}", "-", cleaned).strip("-")
    if not cleaned or not cleaned[0].isalpha():
        cleaned = f"db-{cleaned}"
    return cleaned[:63].rstrip("-")
