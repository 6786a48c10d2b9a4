"""Export to the organisation's SIEM (BIO2 step 5.5: logs reach the SOC's monitoring).

Two ways, chosen by ``logging.siem.type``:

* ``sqs`` (pull, log-archive account): every new object in the log archive bucket is announced on
  an SQS queue; the SIEM's role (``reader_arn``) reads the queue and then the object. Messages the
  SIEM fails to process five times go to a dead-letter queue. Queues and their key are KMS-encrypted
  and TLS-only.
* ``firehose`` (push, management account): a CloudWatch Logs subscription on the trail's log group
  feeds a KMS-encrypted Firehose stream that posts to the SIEM's HTTPS endpoint; records the endpoint
  refuses are kept in an encrypted backup bucket.
"""

from __future__ import annotations

import aws_cdk as cdk
import aws_cdk.aws_iam as iam
import aws_cdk.aws_kinesisfirehose as firehose
import aws_cdk.aws_kms as kms
import aws_cdk.aws_logs as logs
import aws_cdk.aws_s3 as s3
import aws_cdk.aws_sqs as sqs
from constructs import Construct

from landing_zone import naming
from landing_zone.acknowledgements import acknowledge
from landing_zone.config import LandingZoneConfig
from landing_zone.logging import policies
from landing_zone.logging.archive import LogArchive

#: SQS keeps messages at most 14 days: a SIEM outage of up to two weeks loses no notification.
QUEUE_RETENTION = cdk.Duration.days(14)
#: Deliveries a message gets before it moves to the dead-letter queue.
MAX_RECEIVE_COUNT = 5
#: Days the Firehose backup bucket keeps records the SIEM endpoint refused (copies: the originals
#: are in the log archive).
FIREHOSE_BACKUP_DAYS = 90
FIREHOSE_STREAM_NAME = f"{naming.PREFIX}-siem-export"

READER_QUEUE_ACTIONS = [
    "sqs:ChangeMessageVisibility",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
    "sqs:ReceiveMessage",
]


class SqsSiemExport(Construct):
    """Object-created notifications of the log archive bucket on an encrypted SQS queue."""

    def __init__(
        self, scope: Construct, construct_id: str, *, config: LandingZoneConfig, archive: LogArchive
    ):
        super().__init__(scope, construct_id)
        siem = config.logging.siem
        assert siem is not None and siem.type == "sqs" and siem.reader_arn, "checked by the configuration"
        account = naming.log_archive_account_id(config)
        region = config.regions.home
        self.key = policies.log_key(
            self,
            "Key",
            alias=policies.SIEM_QUEUE_KEY_ALIAS,
            description="Encrypts the queues that announce new log archive objects to the SIEM",
            account=account,
            statements=[
                iam.PolicyStatement(
                    sid="S3Notifications",
                    principals=[iam.ServicePrincipal("s3.amazonaws.com")],
                    actions=["kms:Decrypt", "kms:GenerateDataKey"],
                    resources=["*"],
                    conditions={
                        "ArnLike": {"aws:SourceArn": archive.bucket_arn},
                        "StringEquals": {"aws:SourceAccount": account},
                    },
                ),
                iam.PolicyStatement(
                    sid="SiemReadsQueue",
                    principals=[policies.reader_account(siem.reader_arn)],
                    actions=["kms:Decrypt"],
                    resources=["*"],
                    conditions=policies.merge_conditions(
                        policies.principal_is(siem.reader_arn),
                        {"StringEquals": {"kms:ViaService": f"sqs.{region}.amazonaws.com"}},
                    ),
                ),
            ],
        )
        self.dead_letter_queue = sqs.Queue(
            self,
            "DeadLetterQueue",
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=self.key,
            data_key_reuse=cdk.Duration.hours(1),
            retention_period=QUEUE_RETENTION,
            enforce_ssl=True,
        )
        self.queue = sqs.Queue(
            self,
            "Queue",
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=self.key,
            data_key_reuse=cdk.Duration.hours(1),
            retention_period=QUEUE_RETENTION,
            visibility_timeout=cdk.Duration.minutes(5),
            dead_letter_queue=sqs.DeadLetterQueue(
                max_receive_count=MAX_RECEIVE_COUNT, queue=self.dead_letter_queue
            ),
            enforce_ssl=True,
        )
        self.queue.add_to_resource_policy(
            iam.PolicyStatement(
                sid="S3Notifications",
                principals=[iam.ServicePrincipal("s3.amazonaws.com")],
                actions=["sqs:SendMessage"],
                resources=[self.queue.queue_arn],
                conditions={
                    "ArnLike": {"aws:SourceArn": archive.bucket_arn},
                    "StringEquals": {"aws:SourceAccount": account},
                },
            )
        )
        for queue in (self.queue, self.dead_letter_queue):
            queue.add_to_resource_policy(
                iam.PolicyStatement(
                    sid="SiemReads",
                    principals=[policies.reader_account(siem.reader_arn)],
                    actions=READER_QUEUE_ACTIONS,
                    resources=[queue.queue_arn],
                    conditions=policies.principal_is(siem.reader_arn),
                )
            )
        # The notification is set on the bucket itself (no custom resource, no Lambda): S3 checks
        # that it may send to the queue when the configuration is saved, so the queue policy first.
        cfn_bucket: s3.CfnBucket = archive.bucket.node.default_child  # type: ignore[assignment]
        cfn_bucket.notification_configuration = s3.CfnBucket.NotificationConfigurationProperty(
            queue_configurations=[
                s3.CfnBucket.QueueConfigurationProperty(
                    event="s3:ObjectCreated:*", queue=self.queue.queue_arn
                )
            ]
        )
        queue_policy = self.queue.node.try_find_child("Policy")  # the QueuePolicy the statements above made
        assert queue_policy is not None
        archive.bucket.node.add_dependency(queue_policy)


class FirehoseSiemExport(Construct):
    """The trail's CloudWatch Logs events, pushed to the SIEM's HTTPS endpoint by Firehose."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: LandingZoneConfig,
        log_group: logs.CfnLogGroup,
        key: kms.Key,
    ):
        super().__init__(scope, construct_id)
        siem = config.logging.siem
        assert siem is not None and siem.type == "firehose" and siem.endpoint_url, (
            "checked by the configuration"
        )
        region = config.regions.home
        account = naming.management_account_id(config)
        stream_arn = f"arn:aws:firehose:{region}:{account}:deliverystream/{FIREHOSE_STREAM_NAME}"

        self.backup = s3.Bucket(
            self,
            "BackupBucket",
            bucket_name=f"{naming.PREFIX}-siem-backup-{account}-{region}",
            encryption=s3.BucketEncryption.KMS,
            encryption_key=key,
            bucket_key_enabled=True,
            versioned=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            enforce_ssl=True,
            minimum_tls_version=1.2,
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="expire",
                    enabled=True,
                    expiration=cdk.Duration.days(FIREHOSE_BACKUP_DAYS),
                    noncurrent_version_expiration=cdk.Duration.days(1),
                    abort_incomplete_multipart_upload_after=cdk.Duration.days(7),
                )
            ],
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        # Not tagged bio2:purpose=logs: it holds copies of trail records the SIEM endpoint refused,
        # for re-delivery. The evidence copy of every record is in the object-locked log archive.
        logging = config.logging
        trail_reads = (
            "Object-level access to it is recorded by the organization trail's S3 data events."
            if logging.data_events and "s3" in logging.data_event_types
            else "With S3 data events off (logging.data_events), reads of it are not recorded."
        )
        acknowledge(
            self.backup,
            "BIO2-S3-AccessLogging",
            "Temporary store of trail records the SIEM endpoint refused (the originals are in the "
            "object-locked log archive); server access logs would need a further access-log bucket in "
            f"the management account. {trail_reads}",
        )

        role = iam.Role(
            self,
            "StreamRole",
            assumed_by=iam.ServicePrincipal(
                "firehose.amazonaws.com", conditions={"StringEquals": {"aws:SourceAccount": account}}
            ),
            description="Lets the SIEM export stream write refused records to its backup bucket",
        )
        statements = [
            iam.PolicyStatement(
                actions=["s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:ListBucket", "s3:PutObject"],
                resources=[self.backup.bucket_arn, self.backup.arn_for_objects("*")],
            ),
            iam.PolicyStatement(
                actions=["kms:Decrypt", "kms:GenerateDataKey"],
                resources=[key.key_arn],
                conditions={"StringEquals": {"kms:ViaService": f"s3.{region}.amazonaws.com"}},
            ),
        ]
        if siem.secret_arn:
            statements.append(
                iam.PolicyStatement(actions=["secretsmanager:GetSecretValue"], resources=[siem.secret_arn])
            )
        role_policy = iam.ManagedPolicy(
            self,
            "StreamPolicy",
            description="The SIEM export stream writes refused records to its backup bucket",
            statements=statements,
            roles=[role],
        )

        destination = firehose.CfnDeliveryStream.HttpEndpointDestinationConfigurationProperty(
            endpoint_configuration=firehose.CfnDeliveryStream.HttpEndpointConfigurationProperty(
                url=siem.endpoint_url, name="SIEM"
            ),
            request_configuration=firehose.CfnDeliveryStream.HttpEndpointRequestConfigurationProperty(
                content_encoding="GZIP"
            ),
            buffering_hints=firehose.CfnDeliveryStream.BufferingHintsProperty(
                interval_in_seconds=60, size_in_m_bs=1
            ),
            retry_options=firehose.CfnDeliveryStream.RetryOptionsProperty(duration_in_seconds=3600),
            role_arn=role.role_arn,
            s3_backup_mode="FailedDataOnly",
            s3_configuration=firehose.CfnDeliveryStream.S3DestinationConfigurationProperty(
                bucket_arn=self.backup.bucket_arn,
                role_arn=role.role_arn,
                prefix="refused/",
                error_output_prefix="errors/",
                compression_format="UNCOMPRESSED",
                encryption_configuration=firehose.CfnDeliveryStream.EncryptionConfigurationProperty(
                    kms_encryption_config=firehose.CfnDeliveryStream.KMSEncryptionConfigProperty(
                        awskms_key_arn=key.key_arn
                    )
                ),
            ),
            secrets_manager_configuration=(
                firehose.CfnDeliveryStream.SecretsManagerConfigurationProperty(
                    enabled=True, secret_arn=siem.secret_arn, role_arn=role.role_arn
                )
                if siem.secret_arn
                else None
            ),
        )
        self.stream = firehose.CfnDeliveryStream(
            self,
            "Stream",
            delivery_stream_name=FIREHOSE_STREAM_NAME,
            delivery_stream_type="DirectPut",
            delivery_stream_encryption_configuration_input=(
                firehose.CfnDeliveryStream.DeliveryStreamEncryptionConfigurationInputProperty(
                    key_type="CUSTOMER_MANAGED_CMK", key_arn=key.key_arn
                )
            ),
            http_endpoint_destination_configuration=destination,
        )
        self.stream.node.add_dependency(role_policy)

        subscription_role = iam.Role(
            self,
            "SubscriptionRole",
            assumed_by=iam.ServicePrincipal(
                f"logs.{region}.amazonaws.com",
                conditions={"StringLike": {"aws:SourceArn": f"arn:aws:logs:{region}:{account}:*"}},
            ),
            description="Lets CloudWatch Logs feed the trail's events to the SIEM export stream",
        )
        subscription_policy = iam.ManagedPolicy(
            self,
            "SubscriptionPolicy",
            description="CloudWatch Logs feeds the trail's events to the SIEM export stream",
            statements=[
                iam.PolicyStatement(
                    actions=["firehose:PutRecord", "firehose:PutRecordBatch"], resources=[stream_arn]
                )
            ],
            roles=[subscription_role],
        )
        self.subscription = logs.CfnSubscriptionFilter(
            self,
            "Subscription",
            log_group_name=policies.TRAIL_LOG_GROUP_NAME,
            filter_pattern="",
            destination_arn=self.stream.attr_arn,
            role_arn=subscription_role.role_arn,
        )
        self.subscription.add_resource_dependency(log_group)
        self.subscription.node.add_dependency(subscription_policy)
