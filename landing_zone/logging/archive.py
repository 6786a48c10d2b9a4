"""The log archive: a KMS key, the write-once log bucket and its access-log bucket (log-archive account)."""

from __future__ import annotations

import aws_cdk as cdk
import aws_cdk.aws_s3 as s3
from constructs import Construct

from bio2_aspects.claims import ObjectLock
from bio2_aspects.rules.tagging import LOG_PURPOSE, PURPOSE_TAG
from landing_zone import naming
from landing_zone.acknowledgements import acknowledge
from landing_zone.claims import make_claim
from landing_zone.config import LandingZoneConfig
from landing_zone.logging import policies

#: Retention (days) from which the archive counts as the risk-based term of BIO2 8.15.04 that allows
#: for long undetected intrusions: a full year, the same floor the BIO2 engine applies to every log
#: group (rule BIO2-Logs-Retention, MIN_LOG_RETENTION_DAYS).
RISK_BASED_RETENTION_DAYS = 365
#: BIO2 8.18.02: logs of the use of system utilities stay available for half a year.
SYSTEM_UTILITY_LOG_DAYS = 183
#: Incident information, logs included, is kept at least three years (BIO2 5.28.01).
INCIDENT_INFORMATION_DAYS = 3 * 365


class LogArchive(Construct):
    """The central, write-once log store of the organization.

    * ``key``: KMS key (rotation on, alias ``alias/lz-log-archive``) that only the organization
      trail, AWS Config, the log delivery service and S3 server access logging of this organization
      may encrypt with; only the platform's deployment roles may disable, delete or re-policy it.
    * ``bucket``: the log bucket (``naming.log_archive_bucket_name``): SSE-KMS, versioning, S3
      Object Lock with the configured mode and default retention, public access blocked, TLS 1.2+
      only, ACLs disabled, an organization-only bucket policy, a lifecycle to colder storage and
      expiry after the retention term, server access logs to ``access_logs``; tagged
      ``bio2:purpose=logs``.
    * ``access_logs``: the access-log bucket (``naming.access_log_bucket_name``), hardened the same
      way except Object Lock, which S3 server access logging does not support.

    Everything is retained when the stack is deleted or a resource replaced.
    """

    def __init__(self, scope: Construct, construct_id: str, *, config: LandingZoneConfig) -> None:
        super().__init__(scope, construct_id)
        self.config = config
        logging = config.logging
        self.account_id = naming.log_archive_account_id(config)
        self.bucket_name = naming.log_archive_bucket_name(config)
        self.bucket_arn = policies.log_archive_bucket_arn(config)

        self.key = policies.log_key(
            self,
            "Key",
            alias=naming.LOG_ARCHIVE_KEY_ALIAS,
            description=f"Encrypts the log archive of {config.organization.name} (trail, Config, flow logs)",
            account=self.account_id,
            statements=policies.log_archive_key_statements(config),
        )

        self.access_logs = s3.Bucket(
            self,
            "AccessLogs",
            bucket_name=naming.access_log_bucket_name(config),
            encryption=s3.BucketEncryption.KMS,
            encryption_key=self.key,
            bucket_key_enabled=True,
            versioned=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            enforce_ssl=True,
            minimum_tls_version=1.2,
            lifecycle_rules=self._lifecycle(logging.retention_days),
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        for statement in policies.access_log_bucket_statements(config):
            self.access_logs.add_to_resource_policy(statement)
        self._acknowledge_access_log_bucket()

        self.bucket = s3.Bucket(
            self,
            "Bucket",
            bucket_name=self.bucket_name,
            encryption=s3.BucketEncryption.KMS,
            encryption_key=self.key,
            bucket_key_enabled=True,
            versioned=True,
            object_lock_enabled=True,
            object_lock_default_retention=self._object_lock(),
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            enforce_ssl=True,
            minimum_tls_version=1.2,
            lifecycle_rules=self._lifecycle(logging.retention_days, transitions=True),
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        for statement in policies.log_bucket_statements(config):
            self.bucket.add_to_resource_policy(statement)
        cfn_bucket: s3.CfnBucket = self.bucket.node.default_child  # type: ignore[assignment]
        # Set on the resource at once (not through the Tags aspect), so every rule sees it.
        cfn_bucket.tags.set_tag(PURPOSE_TAG, LOG_PURPOSE)
        # Server access logging, set on the L1 resource: the L2 property would also add an
        # unconditioned grant for logging.s3.amazonaws.com to the key policy, which
        # policies.log_archive_key_statements already grants with an aws:SourceAccount condition.
        cfn_bucket.logging_configuration = s3.CfnBucket.LoggingConfigurationProperty(
            destination_bucket_name=self.access_logs.bucket_name,
            log_file_prefix=policies.ACCESS_LOGS_PREFIX,
            target_object_key_format=s3.CfnBucket.TargetObjectKeyFormatProperty(
                partitioned_prefix=s3.CfnBucket.PartitionedPrefixProperty(partition_date_source="EventTime")
            ),
        )
        assert self.access_logs.policy is not None
        self.bucket.node.add_dependency(self.access_logs.policy)
        self._declare_retention()
        for bucket in (self.bucket, self.access_logs):
            policies.acknowledge_nag(
                bucket.node.default_child,  # type: ignore[arg-type]
                "NIST.800.53.R5",
                "NIST.800.53.R5-S3BucketReplicationEnabled",
                "The log archive keeps one copy, in the home region (data residency): S3 stores every "
                "object redundantly across at least three Availability Zones; versioning, Retain policies "
                "and the bucket policy (plus Object Lock on the log bucket) protect it against deletion. "
                "Cross-region replication is not built.",
            )

    # ------------------------------------------------------------------ parts

    def _object_lock(self) -> s3.ObjectLockRetention:
        days = cdk.Duration.days(self.config.logging.retention_days)
        if self.config.logging.object_lock_mode == "COMPLIANCE":
            return s3.ObjectLockRetention.compliance(days)
        return s3.ObjectLockRetention.governance(days)

    def _lifecycle(self, retention_days: int, *, transitions: bool = False) -> list[s3.LifecycleRule]:
        """Colder storage along the way, expiry after the retention term, then removal of the
        expired versions (S3 Object Lock keeps every version until its retention date has passed)."""
        logging = self.config.logging
        steps: list[s3.Transition] = []
        if transitions and logging.glacier_after_days is not None:
            steps.append(
                s3.Transition(
                    storage_class=s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
                    transition_after=cdk.Duration.days(logging.glacier_after_days),
                )
            )
        if transitions and logging.deep_archive_after_days is not None:
            steps.append(
                s3.Transition(
                    storage_class=s3.StorageClass.DEEP_ARCHIVE,
                    transition_after=cdk.Duration.days(logging.deep_archive_after_days),
                )
            )
        return [
            s3.LifecycleRule(
                id="archive-then-expire",
                enabled=True,
                transitions=steps or None,
                expiration=cdk.Duration.days(retention_days),
                # an overwritten or deleted version stays as long as the current one would: a 1-day
                # expiry would let anyone who can overwrite an object erase its history the next day
                noncurrent_version_expiration=cdk.Duration.days(retention_days),
                abort_incomplete_multipart_upload_after=cdk.Duration.days(7),
            ),
            s3.LifecycleRule(
                id="remove-expired-delete-markers", enabled=True, expired_object_delete_marker=True
            ),
        ]

    def _acknowledge_access_log_bucket(self) -> None:
        logging = self.config.logging
        acknowledge(
            self.access_logs,
            "BIO2-S3-LogBucketObjectLock",
            "S3 server access logging cannot deliver to a bucket with S3 Object Lock (an AWS limitation). "
            "Instead the bucket policy denies deleting access-log objects and object versions to every "
            "principal, only the platform's deployment roles may change the bucket's configuration, "
            f"versioning is on and the lifecycle keeps the files {logging.retention_days} days.",
        )
        acknowledge(
            self.access_logs,
            "BIO2-S3-LogRetentionThreeYears",
            "S3 server access logging cannot deliver to a bucket with S3 Object Lock (an AWS limitation), so "
            "these access logs cannot be write-once. The bucket policy denies deleting them to every "
            f"principal and the lifecycle keeps them {logging.retention_days} days; the organization trail's "
            "logs, which an incident analysis relies on first, are in the object-locked archive bucket.",
        )
        if logging.data_events and "s3" in logging.data_event_types:
            reason = (
                "End of the access-log chain: logging this bucket into itself would log every delivery "
                "again (AWS advises against it). Object-level access to this bucket is recorded by the "
                "organization trail's S3 data events."
            )
        else:
            reason = (
                "End of the access-log chain: logging this bucket into itself would log every delivery "
                "again (AWS advises against it). With S3 data events off (logging.data_events), reads of "
                "this bucket are not recorded; deletes are denied by its bucket policy."
            )
        acknowledge(self.access_logs, "BIO2-S3-AccessLogging", reason)

    def _declare_retention(self) -> None:
        """Object Lock in COMPLIANCE mode makes deleting or shortening the retention of a log file
        impossible for everyone, the root user included: a preventive guarantee of the retention term.
        GOVERNANCE mode can be bypassed (s3:BypassGovernanceRetention), so it guarantees nothing."""
        logging = self.config.logging
        if logging.object_lock_mode != "COMPLIANCE":
            return
        days = logging.retention_days
        if days >= SYSTEM_UTILITY_LOG_DAYS:
            make_claim(
                self.bucket,
                "LZ-Logging-ObjectLockHalfYear",
                ObjectLock(mode="COMPLIANCE", min_days=SYSTEM_UTILITY_LOG_DAYS),
                detail=(
                    f"S3 Object Lock in COMPLIANCE mode keeps every log file of the organization trail "
                    f"(which records the use of administrative tools and APIs) {days} days; nobody, not "
                    "even the root user, can delete it or shorten its retention earlier."
                ),
            )
        if days >= RISK_BASED_RETENTION_DAYS:
            make_claim(
                self.bucket,
                "LZ-Logging-ObjectLockRetention",
                ObjectLock(mode="COMPLIANCE", min_days=days),
                detail=(
                    f"S3 Object Lock in COMPLIANCE mode enforces the retention term of {days} days "
                    "(logging.retention_days), chosen to allow for intrusions that stay unnoticed for a "
                    "long time; no log file can be deleted before it ends."
                ),
            )
        if days >= INCIDENT_INFORMATION_DAYS:
            make_claim(
                self.bucket,
                "LZ-Logging-ObjectLockThreeYears",
                ObjectLock(mode="COMPLIANCE", min_days=INCIDENT_INFORMATION_DAYS),
                detail=(
                    f"S3 Object Lock in COMPLIANCE mode keeps the organization trail's logs {days} days, "
                    "at least the three years that information for analysing incidents must be kept."
                ),
            )
