"""Retention rules: stateful resources survive stack deletion and replacement.

Measures: 5.33.01 (retention periods are defined and applied in practice: data and logs
must not disappear because a stack is deleted or a resource replaced before its retention
period ends).

Stateful types: S3 bucket, KMS key (losing it destroys everything encrypted with it), log
group, backup vault, DynamoDB (global) table, RDS instance and cluster. RDS instances that
belong to a cluster hold no data of their own: NOT_APPLICABLE.
"""

from __future__ import annotations

from bio2_aspects.messages import msg

from ._helpers import is_cluster_member, synth_time
from .base import Outcome, Resource, Result, rule

STATEFUL_TYPES = (
    "AWS::Backup::BackupVault",
    "AWS::DynamoDB::GlobalTable",
    "AWS::DynamoDB::Table",
    "AWS::KMS::Key",
    "AWS::Logs::LogGroup",
    "AWS::RDS::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::S3::Bucket",
)

#: RetainExceptOnCreate keeps the resource except when the stack *creation* rolls back
#: (then it holds no data yet), so it counts as Retain for deletion.
_RETAIN_ON_DELETE = frozenset({"Retain", "RetainExceptOnCreate"})


def _cluster_member(res: Resource) -> bool:
    return res.type == "AWS::RDS::DBInstance" and is_cluster_member(res)


@rule(
    "BIO2-Retention-DeletionPolicy",
    types=STATEFUL_TYPES,
    reads_policies=True,
    finding="Stateful resource would be deleted with its stack (DeletionPolicy is not Retain)",
    fix="Set DeletionPolicy: Retain (CDK: removal_policy=RemovalPolicy.RETAIN)",
)
@synth_time
def retention_deletion_policy(res: Resource) -> Outcome:
    """DeletionPolicy is Retain (or RetainExceptOnCreate).

    Snapshot is not accepted: it keeps a copy but deletes the resource itself.
    """
    if _cluster_member(res):
        return Result.NOT_APPLICABLE, "DB instance in a cluster; the cluster holds the data"
    if res.deletion_policy in _RETAIN_ON_DELETE:
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, msg(
        "rule.is", where="DeletionPolicy", value=res.deletion_policy or msg("rule.retention.unset")
    )


@rule(
    "BIO2-Retention-UpdateReplacePolicy",
    types=STATEFUL_TYPES,
    reads_policies=True,
    finding="Stateful resource would be deleted when an update replaces it "
    "(UpdateReplacePolicy is not Retain)",
    fix="Set UpdateReplacePolicy: Retain (CDK: removal_policy=RemovalPolicy.RETAIN sets both)",
)
@synth_time
def retention_update_replace_policy(res: Resource) -> Outcome:
    """UpdateReplacePolicy is Retain."""
    if _cluster_member(res):
        return Result.NOT_APPLICABLE, "DB instance in a cluster; the cluster holds the data"
    if res.update_replace_policy == "Retain":
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, msg(
        "rule.is", where="UpdateReplacePolicy", value=res.update_replace_policy or msg("rule.retention.unset")
    )
