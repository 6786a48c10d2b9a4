"""Amazon RDS logging and monitoring rules.

Measures: 8.15.01 (the database engine's logs, which record who did what with which result,
are exported to CloudWatch Logs where they are kept and searched centrally), 8.27.01
(secure-by-default operation: enhanced monitoring shows abnormal load on the database host).

Aurora DB instances (``DBClusterIdentifier`` set) export logs through their cluster, so the
log-export rule is checked on the AWS::RDS::DBCluster; enhanced monitoring is per instance.
"""

from __future__ import annotations

from bio2_aspects.messages import msg

from ._helpers import is_cluster_member, items, synth_time, to_int
from .base import Level, Outcome, Resource, Result, rule

DB_INSTANCE = "AWS::RDS::DBInstance"
DB_CLUSTER = "AWS::RDS::DBCluster"


@rule(
    "BIO2-RDS-LogExports",
    types=[DB_INSTANCE, DB_CLUSTER],
    finding="RDS database exports no engine logs to CloudWatch Logs",
    fix="Set EnableCloudwatchLogsExports (e.g. ['postgresql'], ['audit','error','general','slowquery']) "
    "(CDK: cloudwatch_logs_exports=[...])",
)
@synth_time
def rds_log_exports(res: Resource) -> Outcome:
    """EnableCloudwatchLogsExports lists at least one log type."""
    if res.type == DB_INSTANCE and is_cluster_member(res):
        return Result.NOT_APPLICABLE, "instance belongs to a DB cluster; checked on the AWS::RDS::DBCluster"
    exports = items(res.properties.get("EnableCloudwatchLogsExports"), "EnableCloudwatchLogsExports")
    if not exports:
        return Result.NON_COMPLIANT, msg("rule.empty_or_unset", where="EnableCloudwatchLogsExports")
    return Result.COMPLIANT


@rule(
    "BIO2-RDS-EnhancedMonitoring",
    types=[DB_INSTANCE],
    level=Level.WARNING,
    finding="RDS instance has no enhanced monitoring",
    fix="Set MonitoringInterval (1-60 seconds) and MonitoringRoleArn "
    "(CDK: monitoring_interval=Duration.seconds(60))",
)
@synth_time
def rds_enhanced_monitoring(res: Resource) -> Outcome:
    """MonitoringInterval is greater than 0."""
    interval = to_int(res.properties.get("MonitoringInterval"), "MonitoringInterval")
    if not interval:
        return Result.NON_COMPLIANT, msg("rule.rds.no_monitoring")
    return Result.COMPLIANT
