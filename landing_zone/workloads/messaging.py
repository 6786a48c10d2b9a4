"""``SecureQueue`` (an ``sqs.Queue`` with its dead-letter queue) and ``SecureTopic`` (an ``sns.Topic``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from landing_zone.workloads._common import apply_classification, workload_key

#: Messages stay at most 14 days in a queue (the SQS maximum): a dead-letter queue keeps them that long.
DLQ_RETENTION = cdk.Duration.days(14)


class SecureQueue(sqs.Queue):
    """An ``sqs.Queue`` with a dead-letter queue, whose defaults pass BIO2 and AwsSolutions.

    Secure defaults (override with the ``sqs.Queue`` keyword of the same name):

    * ``encryption=KMS`` with a new customer managed key (rotation on, retained) unless
      ``encryption_master_key`` is given; ``enforce_ssl=True``;
    * ``dead_letter_queue``: a new queue (:attr:`dead_letter`, same key, TLS only, 14 days) after
      ``max_receive_count`` (default 5) failed receives; ``create_dead_letter_queue=False`` turns
      it off (BIO2-SQS-DeadLetterQueue then reports the queue);
    * ``removal_policy=RETAIN``.

    Args:
        classification: BIV rating applied as with ``classify(...)`` (see ``SecureBucket``).

    The L1 ``CfnQueue`` is ``node.default_child``; ``grant_send_messages``/``grant_consume_messages``
    are those of ``sqs.Queue``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        classification: Mapping[str, str] | None = None,
        create_dead_letter_queue: bool = True,
        max_receive_count: int = 5,
        **kwargs: Any,
    ) -> None:
        encryption = kwargs.setdefault("encryption", sqs.QueueEncryption.KMS)
        if encryption == sqs.QueueEncryption.KMS and "encryption_master_key" not in kwargs:
            kwargs["encryption_master_key"] = workload_key(
                scope, f"{construct_id}Key", f"Encrypts the queue {construct_id} and its dead-letter queue"
            )
        kwargs.setdefault("enforce_ssl", True)
        kwargs.setdefault("removal_policy", cdk.RemovalPolicy.RETAIN)
        self.dead_letter: sqs.Queue | None = None
        if create_dead_letter_queue and "dead_letter_queue" not in kwargs:
            self.dead_letter = sqs.Queue(
                scope,
                f"{construct_id}DeadLetters",
                encryption=encryption,
                encryption_master_key=kwargs.get("encryption_master_key"),
                enforce_ssl=True,
                retention_period=DLQ_RETENTION,
                removal_policy=kwargs["removal_policy"],
            )
            kwargs["dead_letter_queue"] = sqs.DeadLetterQueue(
                queue=self.dead_letter, max_receive_count=max_receive_count
            )
        super().__init__(scope, construct_id, **kwargs)
        for part in (self, self.dead_letter, kwargs.get("encryption_master_key")):
            if isinstance(part, Construct) and (part is self or part.node.scope is scope):
                apply_classification(part, classification)


class SecureTopic(sns.Topic):
    """An ``sns.Topic`` whose defaults pass BIO2 and AwsSolutions.

    Secure defaults: ``master_key``: a new customer managed key (rotation on, retained) unless
    given, ``encrypted=False`` leaves the topic unencrypted (BIO2-SNS-KmsEncryption reports it);
    ``enforce_ssl=True`` (a topic policy denies publishing without TLS).

    The L1 ``CfnTopic`` is ``node.default_child``; ``grant_publish``/``grant_subscribe`` are
    those of ``sns.Topic``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        classification: Mapping[str, str] | None = None,
        encrypted: bool = True,
        **kwargs: Any,
    ) -> None:
        key: kms.IKey | None = None
        if encrypted and "master_key" not in kwargs:
            key = workload_key(scope, f"{construct_id}Key", f"Encrypts the topic {construct_id}")
            kwargs["master_key"] = key
        kwargs.setdefault("enforce_ssl", True)
        super().__init__(scope, construct_id, **kwargs)
        apply_classification(self, classification)
        if isinstance(key, Construct):
            apply_classification(key, classification)
