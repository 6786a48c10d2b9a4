"""``SecureBucket``: an S3 bucket with the landing zone's defaults (an ``s3.Bucket``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from landing_zone.acknowledgements import acknowledge
from landing_zone.nag import acknowledge_nag
from landing_zone.workloads._common import apply_classification, workload_key


class SecureBucket(s3.Bucket):
    """An ``s3.Bucket`` whose defaults pass BIO2 and AwsSolutions.

    Secure defaults (each can be overridden with the ``s3.Bucket`` keyword of the same name):

    * ``encryption=KMS`` with a new customer managed key (rotation on, retained) unless
      ``encryption_key`` is given; ``bucket_key_enabled=True``;
    * ``versioned=True``; ``enforce_ssl=True`` with ``minimum_tls_version=1.2``;
    * ``block_public_access=BLOCK_ALL``; ``object_ownership=BUCKET_OWNER_ENFORCED`` (no ACLs);
    * ``removal_policy=RETAIN`` (``cdk destroy`` never deletes data);
    * server access logs: to ``server_access_logs_bucket`` when given (e.g. another
      ``SecureBucket``'s :attr:`access_logs_bucket`, under the prefix ``<id>/``, allowed by its
      bucket policy), else to a new access-log bucket next to it (:attr:`access_logs_bucket`),
      without Object Lock (S3 cannot deliver access logs to an Object Lock bucket), with deletes
      denied by its policy.

    Args:
        classification: BIV rating ``{"confidentiality": ..., "integrity": ..., "availability": ...}``
            (``low``/``medium``/``high``), applied as with ``classify(...)``; default: the enclosing
            scope's rating, else medium for all three. The availability tag selects the backup plan.

    The L1 ``CfnBucket`` is ``node.default_child``; the ``grant_*`` methods are those of ``s3.Bucket``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        classification: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        if kwargs.get("encryption") in (None, s3.BucketEncryption.KMS) and "encryption_key" not in kwargs:
            kwargs["encryption_key"] = workload_key(
                scope, f"{construct_id}Key", f"Encrypts the bucket {construct_id}"
            )
        defaults: dict[str, Any] = {
            "encryption": s3.BucketEncryption.KMS,
            "bucket_key_enabled": True,
            "versioned": True,
            "enforce_ssl": True,
            "minimum_tls_version": 1.2,
            "block_public_access": s3.BlockPublicAccess.BLOCK_ALL,
            "object_ownership": s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            "removal_policy": cdk.RemovalPolicy.RETAIN,
        }
        self.access_logs_bucket: s3.IBucket | None = kwargs.get("server_access_logs_bucket")
        created_log_bucket: s3.Bucket | None = None
        shared_log_bucket: s3.Bucket | None = None
        prefix = f"{construct_id}/"
        if isinstance(self.access_logs_bucket, s3.Bucket):
            # A log bucket of this app (e.g. another SecureBucket's access_logs_bucket): delivery is
            # allowed by its bucket policy, not by CDK's legacy LogDeliveryWrite ACL, which a bucket
            # without ACLs (BUCKET_OWNER_ENFORCED) refuses.
            shared_log_bucket = kwargs.pop("server_access_logs_bucket")
            prefix = kwargs.pop("server_access_logs_prefix", prefix)
        elif self.access_logs_bucket is None and kwargs.pop("server_access_logs", True):
            created_log_bucket = access_log_bucket(
                scope, f"{construct_id}AccessLogs", kwargs.get("encryption_key")
            )
            self.access_logs_bucket = created_log_bucket
        merged = {**defaults, **kwargs}
        if not merged["enforce_ssl"]:
            merged.pop("minimum_tls_version")
        super().__init__(scope, construct_id, **merged)
        if created_log_bucket is not None:
            _deliver_access_logs(self, created_log_bucket, kwargs.get("encryption_key"), prefix)
            apply_classification(created_log_bucket, classification)
        if shared_log_bucket is not None:
            _deliver_access_logs(self, shared_log_bucket, shared_log_bucket.encryption_key, prefix)
        key = kwargs.get("encryption_key")
        if isinstance(key, Construct) and key.node.scope is scope:
            apply_classification(key, classification)
        apply_classification(self, classification)


def _deliver_access_logs(bucket: s3.Bucket, log_bucket: s3.Bucket, key: Any, prefix: str) -> None:
    """Server access logs of ``bucket`` into ``log_bucket`` under ``prefix``, allowed by a bucket policy
    (not by the legacy LogDeliveryWrite ACL) for this bucket and account only."""
    stack = cdk.Stack.of(bucket)
    cfn: s3.CfnBucket = bucket.node.default_child  # type: ignore[assignment]
    cfn.logging_configuration = s3.CfnBucket.LoggingConfigurationProperty(
        destination_bucket_name=log_bucket.bucket_name, log_file_prefix=prefix
    )
    source = {
        "ArnLike": {"aws:SourceArn": bucket.bucket_arn},
        "StringEquals": {"aws:SourceAccount": stack.account},
    }
    log_bucket.add_to_resource_policy(
        iam.PolicyStatement(
            sid="S3ServerAccessLogs",
            principals=[iam.ServicePrincipal("logging.s3.amazonaws.com")],
            actions=["s3:PutObject"],
            resources=[log_bucket.arn_for_objects(f"{prefix}*")],
            conditions=source,
        )
    )
    if isinstance(key, kms.Key):
        key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="S3ServerAccessLogDelivery",
                principals=[iam.ServicePrincipal("logging.s3.amazonaws.com")],
                actions=["kms:GenerateDataKey*", "kms:Decrypt"],
                resources=["*"],
                conditions={"StringEquals": {"aws:SourceAccount": stack.account}},
            )
        )


def access_log_bucket(scope: Construct, construct_id: str, key: Any = None) -> s3.Bucket:
    """A bucket for S3 server access logs: encrypted, versioned, TLS only, deletes denied, retained.

    The end of the access-log chain, acknowledged for BIO2-S3-AccessLogging, BIO2-S3-LogBucketObjectLock
    and AwsSolutions-S1 with the reasons."""
    bucket = s3.Bucket(
        scope,
        construct_id,
        encryption=s3.BucketEncryption.KMS if key is not None else s3.BucketEncryption.S3_MANAGED,
        encryption_key=key,
        bucket_key_enabled=key is not None or None,
        versioned=True,
        enforce_ssl=True,
        minimum_tls_version=1.2,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )
    bucket.add_to_resource_policy(
        iam.PolicyStatement(
            sid="DenyDeletingAccessLogs",
            effect=iam.Effect.DENY,
            principals=[iam.AnyPrincipal()],
            actions=["s3:DeleteObject", "s3:DeleteObjectVersion"],
            resources=[bucket.arn_for_objects("*")],
        )
    )
    end = (
        "End of the access-log chain: logging this access-log bucket into itself would log every "
        "delivery again (AWS advises against it); deletes are denied to every principal by its policy."
    )
    acknowledge(bucket, "BIO2-S3-AccessLogging", end)
    acknowledge(
        bucket,
        "BIO2-S3-LogBucketObjectLock",
        "S3 server access logging cannot deliver to a bucket with S3 Object Lock (an AWS limitation); "
        "instead its policy denies deleting log objects and versions to every principal, versioning is "
        "on and the bucket is retained when the stack is deleted.",
    )
    acknowledge_nag(bucket, "AwsSolutions-S1", end)
    return bucket
