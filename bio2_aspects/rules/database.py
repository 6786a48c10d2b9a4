"""Amazon RDS and DynamoDB rules.

Measures: (strength, facet and rationale per rule in bio2_aspects/mappings/data/rules.json)
8.24.04 (storage encrypted), 8.24.02 (DynamoDB KMS key is
an inventoried key), 8.13.01 (automated backups and point-in-time recovery), 5.33.01 (data
is not destroyed before its retention period ends: deletion protection), 5.15.01 and
8.22.01 (databases are not reachable from the internet), 5.16.01 (database users can be
central IAM identities). Multi-AZ is redundancy (ISO 8.14), not a backup: no BIO2 measure.

RDS DB instances that belong to a cluster (``DBClusterIdentifier`` set) take storage
encryption, backups, deletion protection and IAM authentication from the cluster, so
those rules are NOT_APPLICABLE to them and are checked on the AWS::RDS::DBCluster.
"""

from __future__ import annotations

from bio2_aspects.messages import msg

from ._helpers import is_cluster_member, items, lookup, synth_time, to_bool, to_int, to_str
from .base import Level, Outcome, Resource, Result, rule

DB_INSTANCE = "AWS::RDS::DBInstance"
DB_CLUSTER = "AWS::RDS::DBCluster"
TABLE = "AWS::DynamoDB::Table"
GLOBAL_TABLE = "AWS::DynamoDB::GlobalTable"

#: Minimum automated backup retention for RDS, in days: a week of point-in-time recovery
#: covers incidents that are only noticed after a weekend or a holiday.
MIN_BACKUP_RETENTION_DAYS = 7

_IN_CLUSTER = "instance belongs to a DB cluster; checked on the AWS::RDS::DBCluster"


def _bool_rule(res: Resource, prop: str, *, cluster_level: bool = True) -> Outcome:
    if cluster_level and res.type == DB_INSTANCE and is_cluster_member(res):
        return Result.NOT_APPLICABLE, _IN_CLUSTER
    if to_bool(res.properties.get(prop), prop) is True:
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, msg("rule.not_true", where=prop)


@rule(
    "BIO2-RDS-StorageEncrypted",
    types=[DB_INSTANCE, DB_CLUSTER],
    finding="RDS storage is not encrypted",
    fix="Set StorageEncrypted to true (with a customer managed KmsKeyId)",
)
@synth_time
def rds_storage_encrypted(res: Resource) -> Outcome:
    """StorageEncrypted is true."""
    return _bool_rule(res, "StorageEncrypted")


@rule(
    "BIO2-RDS-BackupRetention",
    types=[DB_INSTANCE, DB_CLUSTER],
    finding=f"RDS automated backups are kept for fewer than {MIN_BACKUP_RETENTION_DAYS} days",
    fix=f"Set BackupRetentionPeriod to at least {MIN_BACKUP_RETENTION_DAYS}",
)
@synth_time
def rds_backup_retention(res: Resource) -> Outcome:
    """BackupRetentionPeriod is at least MIN_BACKUP_RETENTION_DAYS (the service default is 1)."""
    if res.type == DB_INSTANCE and is_cluster_member(res):
        return Result.NOT_APPLICABLE, _IN_CLUSTER
    days = to_int(res.properties.get("BackupRetentionPeriod"), "BackupRetentionPeriod")
    if days is None:
        return Result.NON_COMPLIANT, msg("rule.database.no_backup_retention")
    if days < MIN_BACKUP_RETENTION_DAYS:
        return Result.NON_COMPLIANT, msg("rule.is", where="BackupRetentionPeriod", value=days)
    return Result.COMPLIANT


@rule(
    "BIO2-RDS-DeletionProtection",
    types=[DB_INSTANCE, DB_CLUSTER],
    finding="RDS deletion protection is not enabled",
    fix="Set DeletionProtection to true",
)
@synth_time
def rds_deletion_protection(res: Resource) -> Outcome:
    """DeletionProtection is true."""
    return _bool_rule(res, "DeletionProtection")


def _ref_target(value: object, res: Resource) -> Resource | None:
    """The same-template resource a ``{"Ref": id}`` points to."""
    if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("Ref"), str):
        return res.stack.get(value["Ref"])
    return None


def _vpc_has_internet_gateway(vpc: Resource) -> bool:
    """An internet gateway is attached to ``vpc`` in the template (AWS::EC2::VPCGatewayAttachment)."""
    attachments = vpc.stack.referrers(vpc.logical_id, "VpcId", "AWS::EC2::VPCGatewayAttachment")
    return any(attachment.properties.get("InternetGatewayId") for attachment in attachments)


def _subnet_group_is_private(res: Resource) -> tuple[bool, str]:
    """Whether RDS makes the instance private when PubliclyAccessible is absent.

    RDS then decides by the VPC of the DB subnet group: a VPC with an internet gateway attached
    makes the instance publicly accessible, whatever the subnets' route tables say. So every subnet
    and its VPC must be in the template, and no internet gateway may be attached to that VPC.
    """
    owner = res
    if is_cluster_member(res):
        cluster = _ref_target(res.properties.get("DBClusterIdentifier"), res)
        if cluster is None:
            return False, msg("rule.database.cluster_elsewhere")
        owner = cluster
    group_ref = owner.properties.get("DBSubnetGroupName")
    if group_ref is None:
        return False, msg("rule.database.default_vpc")
    group = _ref_target(group_ref, res)
    if group is None or group.type != "AWS::RDS::DBSubnetGroup":
        return False, msg("rule.database.group_elsewhere")
    subnet_refs = items(group.properties.get("SubnetIds"), f"{group.logical_id}.SubnetIds")
    if not subnet_refs:
        return False, msg("rule.database.no_subnets", group=group.logical_id)
    for ref in subnet_refs:
        subnet = _ref_target(ref, res)
        if subnet is None:
            return False, msg("rule.database.subnet_elsewhere", subnet=str(ref), group=group.logical_id)
        vpc = _ref_target(subnet.properties.get("VpcId"), res)
        if vpc is None or vpc.type != "AWS::EC2::VPC":
            return False, msg("rule.database.vpc_elsewhere", subnet=subnet.logical_id)
        if _vpc_has_internet_gateway(vpc):
            return False, msg("rule.database.igw", vpc=vpc.logical_id)
    return True, msg("rule.database.no_igw", group=group.logical_id)


@rule(
    "BIO2-RDS-NotPublic",
    types=[DB_INSTANCE],
    finding="RDS instance is (or may be) publicly accessible",
    fix="Set PubliclyAccessible to false and place the instance in private subnets",
)
@synth_time
def rds_not_public(res: Resource) -> Outcome:
    """PubliclyAccessible is false, or absent in a VPC that provably has no internet gateway.

    When PubliclyAccessible is absent, RDS makes the instance public when the VPC of its DB subnet
    group has an internet gateway attached (private subnets behind a NAT gateway do not help). That
    is accepted only when the template shows every subnet, its VPC and no gateway attachment.
    """
    value = to_bool(res.properties.get("PubliclyAccessible"), "PubliclyAccessible")
    if value is False:
        return Result.COMPLIANT
    if value is True:
        return Result.NON_COMPLIANT, msg("rule.is", where="PubliclyAccessible", value="true")
    private, why = _subnet_group_is_private(res)
    if private:
        return Result.COMPLIANT, msg("rule.database.private", why=why)
    return Result.NON_COMPLIANT, msg("rule.database.public", why=why)


@rule(
    "BIO2-RDS-IamAuthentication",
    types=[DB_INSTANCE, DB_CLUSTER],
    level=Level.WARNING,
    finding="RDS IAM database authentication is not enabled",
    fix="Set EnableIAMDatabaseAuthentication to true and map database users to IAM identities",
)
@synth_time
def rds_iam_auth(res: Resource) -> Outcome:
    """EnableIAMDatabaseAuthentication is true."""
    return _bool_rule(res, "EnableIAMDatabaseAuthentication")


@rule(
    "BIO2-RDS-MultiAz",
    types=[DB_INSTANCE],
    level=Level.WARNING,
    finding="RDS instance has no standby in a second availability zone",
    fix="Set MultiAZ to true",
)
@synth_time
def rds_multi_az(res: Resource) -> Outcome:
    """MultiAZ is true (cluster members get their resilience from the cluster)."""
    return _bool_rule(res, "MultiAZ")


@rule(
    "BIO2-DynamoDB-KmsEncryption",
    types=[TABLE, GLOBAL_TABLE],
    finding="DynamoDB table is not encrypted with a KMS key",
    fix="Set SSESpecification.SSEEnabled to true (SSEType KMS), preferably with a customer managed key",
)
@synth_time
def ddb_kms(res: Resource) -> Outcome:
    """SSESpecification.SSEEnabled is true (KMS); otherwise only the AWS-owned key is used."""
    where = "SSESpecification"
    enabled = to_bool(lookup(res.properties, "SSESpecification", "SSEEnabled"), f"{where}.SSEEnabled")
    if enabled is not True:
        return Result.NON_COMPLIANT, msg("rule.database.sse_off", where=where)
    sse_type = to_str(lookup(res.properties, "SSESpecification", "SSEType"), f"{where}.SSEType")
    if sse_type not in (None, "KMS"):
        return Result.NON_COMPLIANT, msg("rule.is", where=f"{where}.SSEType", value=sse_type)
    return Result.COMPLIANT


def _table_flag(res: Resource, path: tuple[str, ...]) -> Outcome:
    """A boolean setting that lives on the table, or on every replica of a global table."""
    if res.type == TABLE:
        where = ".".join(path)
        if to_bool(lookup(res.properties, *path), where) is True:
            return Result.COMPLIANT
        return Result.NON_COMPLIANT, msg("rule.not_true", where=where)
    replicas = items(res.properties.get("Replicas"), "Replicas")
    if not replicas:
        return Result.NON_COMPLIANT, msg("rule.empty", where="Replicas")
    for i, rep in enumerate(replicas):
        where = f"Replicas[{i}]." + ".".join(path)
        if to_bool(lookup(rep, *path, where=f"Replicas[{i}]"), where) is not True:
            return Result.NON_COMPLIANT, msg("rule.not_true", where=where)
    return Result.COMPLIANT


@rule(
    "BIO2-DynamoDB-PointInTimeRecovery",
    types=[TABLE, GLOBAL_TABLE],
    finding="DynamoDB point-in-time recovery is not enabled",
    fix="Set PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled to true (on every replica)",
)
@synth_time
def ddb_pitr(res: Resource) -> Outcome:
    """Continuous backups (PITR) are enabled."""
    return _table_flag(res, ("PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"))


@rule(
    "BIO2-DynamoDB-DeletionProtection",
    types=[TABLE, GLOBAL_TABLE],
    finding="DynamoDB deletion protection is not enabled",
    fix="Set DeletionProtectionEnabled to true (on every replica)",
)
@synth_time
def ddb_deletion_protection(res: Resource) -> Outcome:
    """DeletionProtectionEnabled is true."""
    return _table_flag(res, ("DeletionProtectionEnabled",))
