"""``SecureTable``: a DynamoDB table with the landing zone's defaults (a ``dynamodb.Table``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from constructs import Construct

from landing_zone.workloads._common import apply_classification, workload_key


class SecureTable(dynamodb.Table):
    """A ``dynamodb.Table`` whose defaults pass BIO2 and AwsSolutions.

    Secure defaults (override with the ``dynamodb.Table`` keyword of the same name):

    * ``encryption=CUSTOMER_MANAGED`` with a new key (rotation on, retained) unless
      ``encryption_key`` is given;
    * ``point_in_time_recovery_specification``: enabled (35 days of continuous backups);
    * ``deletion_protection=True``; ``removal_policy=RETAIN``;
    * ``billing_mode=PAY_PER_REQUEST`` (no capacity to size; AwsSolutions-DDB3 asks for PITR only).

    The L1 ``CfnTable`` is ``node.default_child``; the ``grant_*`` methods are those of ``dynamodb.Table``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        classification: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        encryption = kwargs.setdefault("encryption", dynamodb.TableEncryption.CUSTOMER_MANAGED)
        if encryption == dynamodb.TableEncryption.CUSTOMER_MANAGED and "encryption_key" not in kwargs:
            kwargs["encryption_key"] = workload_key(
                scope, f"{construct_id}Key", f"Encrypts the table {construct_id}"
            )
        if "point_in_time_recovery" not in kwargs:
            kwargs.setdefault(
                "point_in_time_recovery_specification",
                dynamodb.PointInTimeRecoverySpecification(point_in_time_recovery_enabled=True),
            )
        kwargs.setdefault("deletion_protection", True)
        kwargs.setdefault("removal_policy", cdk.RemovalPolicy.RETAIN)
        kwargs.setdefault("billing_mode", dynamodb.BillingMode.PAY_PER_REQUEST)
        super().__init__(scope, construct_id, **kwargs)
        apply_classification(self, classification)
        key = kwargs.get("encryption_key")
        if isinstance(key, Construct) and key.node.scope is scope:
            apply_classification(key, classification)
