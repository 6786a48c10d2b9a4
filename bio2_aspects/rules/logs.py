"""Amazon CloudWatch Logs rules.

Measures: 8.15.04 (log retention chosen on risk, allowing for attackers who stay
unnoticed for a long time), 8.18.02 (logs of system-utility use stay available for
at least half a year), 5.33.01 (retention periods are defined and put into practice),
8.24.04 (logs encrypted with a KMS key).
"""

from __future__ import annotations

from ._helpers import customer_managed_key, synth_time, to_int
from .base import Outcome, Resource, Result, rule

LOG_GROUP = "AWS::Logs::LogGroup"

#: Minimum CloudWatch Logs retention, in days (a value CloudWatch accepts).
#:
#: Reasoning, from the BIO2 logging measures:
#: * 8.18.02 is the only measure with a hard number for operational logs: logs of the use
#:   of system utilities must stay available for investigation for half a year (~183 days).
#: * 8.15.04 asks for a risk-based retention that allows for attackers who remain inside
#:   for a long time. Intrusions are regularly found months after the fact; keeping a full
#:   year lets an investigation look back past a long dwell time and over a full yearly
#:   cycle (e.g. the annual audit of 8.08.04/5.35.02).
#: * 5.28.01 sets three years for the information about an (assumed) incident, including
#:   its logging. That applies once an incident is registered: those logs are then
#:   preserved as incident evidence (e.g. exported to the object-locked log archive), so
#:   we do not impose three years on every log group.
#: So 365 days: above the explicit half-year floor, covering long dwell times; longer
#: archives belong in the locked S3 log archive. A log group without RetentionInDays never
#: expires, which is not a *defined* retention period (5.33.01) and is non-compliant.
MIN_LOG_RETENTION_DAYS = 365


@rule(
    "BIO2-Logs-Retention",
    types=[LOG_GROUP],
    measures=["8.15.04", "8.18.02", "5.33.01"],
    finding=f"Log group retention is not set or shorter than {MIN_LOG_RETENTION_DAYS} days",
    fix=f"Set RetentionInDays to at least {MIN_LOG_RETENTION_DAYS} "
    "(CDK: retention=RetentionDays.ONE_YEAR or longer)",
)
@synth_time
def log_retention(res: Resource) -> Outcome:
    """RetentionInDays is set and at least MIN_LOG_RETENTION_DAYS."""
    days = to_int(res.properties.get("RetentionInDays"), "RetentionInDays")
    if days is None:
        return (
            Result.NON_COMPLIANT,
            "RetentionInDays is not set (logs never expire: no defined retention period)",
        )
    if days < MIN_LOG_RETENTION_DAYS:
        return Result.NON_COMPLIANT, f"RetentionInDays is {days}, below {MIN_LOG_RETENTION_DAYS}"
    return Result.COMPLIANT


@rule(
    "BIO2-Logs-KmsEncryption",
    types=[LOG_GROUP],
    measures=["8.24.04"],
    finding="Log group is not encrypted with a KMS key",
    fix="Set KmsKeyId to a customer managed KMS key (CDK: encryption_key=...)",
)
@synth_time
def log_kms(res: Resource) -> Outcome:
    """The log group is encrypted with a customer managed KMS key (KmsKeyId)."""
    ok, why = customer_managed_key(res.properties.get("KmsKeyId"), res, "KmsKeyId")
    if ok:
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, why
