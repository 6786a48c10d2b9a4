"""AWS CloudTrail rules.

Measures: (strength, facet and rationale per rule in bio2_aspects/mappings/data/rules.json)
8.15.01 (log records with actor, action, object, result,
origin and time), 5.18.01 (the recording that monitoring of privileged account changes
needs), 8.18.02 (use of the management APIs is logged), 8.15.05/8.15.06 (tampering with
log files is detectable), 8.24.02 (the trail's KMS key is an inventoried key).
"""

from __future__ import annotations

from bio2_aspects.messages import msg

from ._helpers import customer_managed_key, is_set, synth_time, to_bool
from .base import Level, Outcome, Resource, Result, rule

TRAIL = "AWS::CloudTrail::Trail"


@rule(
    "BIO2-CloudTrail-MultiRegion",
    types=[TRAIL],
    finding="CloudTrail trail does not record all regions and global service events",
    fix="Set IsMultiRegionTrail to true and keep IncludeGlobalServiceEvents true",
)
@synth_time
def trail_multi_region(res: Resource) -> Outcome:
    """The trail is multi-region (and does not exclude global service events such as IAM)."""
    if to_bool(res.properties.get("IsMultiRegionTrail"), "IsMultiRegionTrail") is not True:
        return Result.NON_COMPLIANT, msg("rule.not_true", where="IsMultiRegionTrail")
    if to_bool(res.properties.get("IncludeGlobalServiceEvents"), "IncludeGlobalServiceEvents") is False:
        return (
            Result.NON_COMPLIANT,
            msg("rule.cloudtrail.no_global"),
        )
    return Result.COMPLIANT


@rule(
    "BIO2-CloudTrail-LogFileValidation",
    types=[TRAIL],
    finding="CloudTrail log file integrity validation is not enabled",
    fix="Set EnableLogFileValidation to true",
)
@synth_time
def trail_log_file_validation(res: Resource) -> Outcome:
    """Digest files let an auditor prove log files were not modified or deleted."""
    if to_bool(res.properties.get("EnableLogFileValidation"), "EnableLogFileValidation") is True:
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, msg("rule.not_true", where="EnableLogFileValidation")


@rule(
    "BIO2-CloudTrail-KmsEncryption",
    types=[TRAIL],
    finding="CloudTrail logs are not encrypted with a KMS key",
    fix="Set KMSKeyId to a customer managed KMS key (CDK: encryption_key=...)",
)
@synth_time
def trail_kms(res: Resource) -> Outcome:
    """The trail encrypts its log files with SSE-KMS under a customer managed key (KMSKeyId)."""
    ok, why = customer_managed_key(res.properties.get("KMSKeyId"), res, "KMSKeyId")
    if ok:
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, why


@rule(
    "BIO2-CloudTrail-IsLogging",
    types=[TRAIL],
    finding="CloudTrail trail is not logging",
    fix="Set IsLogging to true",
)
@synth_time
def trail_is_logging(res: Resource) -> Outcome:
    """The trail is switched on."""
    if to_bool(res.properties.get("IsLogging"), "IsLogging") is True:
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, msg("rule.not_true", where="IsLogging")


@rule(
    "BIO2-CloudTrail-CloudWatchLogs",
    types=[TRAIL],
    level=Level.WARNING,
    finding="CloudTrail trail does not deliver to CloudWatch Logs for near-real-time monitoring",
    fix="Set CloudWatchLogsLogGroupArn and CloudWatchLogsRoleArn (CDK: send_to_cloud_watch_logs=True), "
    "or document the SIEM that consumes the trail instead",
)
@synth_time
def trail_cloudwatch(res: Resource) -> Outcome:
    """Trail events reach CloudWatch Logs, where metric filters and alarms can act on them."""
    group = is_set(res.properties.get("CloudWatchLogsLogGroupArn"), "CloudWatchLogsLogGroupArn")
    role = is_set(res.properties.get("CloudWatchLogsRoleArn"), "CloudWatchLogsRoleArn")
    if group and role:
        return Result.COMPLIANT
    missing = [
        n for n, ok in (("CloudWatchLogsLogGroupArn", group), ("CloudWatchLogsRoleArn", role)) if not ok
    ]
    return Result.NON_COMPLIANT, msg("rule.not_set_list", names=list(missing))
