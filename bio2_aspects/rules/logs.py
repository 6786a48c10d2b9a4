"""Amazon CloudWatch Logs rules.

Measures: (strength, facet and rationale per rule in bio2_aspects/mappings/data/rules.json)
8.15.04 (log retention is applied,
allowing for attackers who stay unnoticed for a long time), 8.18.02 (logs of system-utility
use stay available for at least half a year), 5.33.01 (retention periods are put into
practice), 8.24.02 (logs encrypted with an inventoried KMS key).
8.15.02 (log records hold no data that could break security: a data protection policy masks
credentials and personal data).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from bio2_aspects.messages import msg

from ._helpers import (
    Unverifiable,
    customer_managed_key,
    is_intrinsic,
    items,
    lookup,
    strings,
    synth_time,
    to_int,
    to_str,
)
from .base import Level, Outcome, Resource, Result, rule

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
            msg("rule.logs.no_retention"),
        )
    if days < MIN_LOG_RETENTION_DAYS:
        return Result.NON_COMPLIANT, msg(
            "rule.below", where="RetentionInDays", value=days, minimum=MIN_LOG_RETENTION_DAYS
        )
    return Result.COMPLIANT


@rule(
    "BIO2-Logs-KmsEncryption",
    types=[LOG_GROUP],
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


ACCOUNT_POLICY = "AWS::Logs::AccountPolicy"


def _operations(document: Any, where: str) -> tuple[bool, bool]:
    """(audits, masks): whether a data protection policy has an Audit statement and a Deidentify
    (MaskConfig) statement, each naming data identifiers."""
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            raise Unverifiable(where, document) from None
    if not isinstance(document, Mapping) or is_intrinsic(document):
        raise Unverifiable(where, document)
    audits = masks = False
    for i, st in enumerate(items(document.get("Statement"), f"{where}.Statement")):
        swhere = f"{where}.Statement[{i}]"
        identifiers = strings(lookup(st, "DataIdentifier", where=swhere), f"{swhere}.DataIdentifier")
        operation = lookup(st, "Operation", where=swhere)
        if not identifiers or not isinstance(operation, Mapping):
            continue
        audits = audits or "Audit" in operation
        masks = masks or isinstance(lookup(operation, "Deidentify", "MaskConfig", where=swhere), Mapping)
    return audits, masks


@rule(
    "BIO2-Logs-DataProtection",
    types=[ACCOUNT_POLICY, LOG_GROUP],
    level=Level.WARNING,
    finding="CloudWatch Logs data protection policy does not both audit and mask sensitive data",
    fix="Give the policy an Audit statement and a Deidentify statement with MaskConfig, both naming the data "
    "identifiers (credentials, keys, personal data) that must never be readable in logs",
)
@synth_time
def log_data_protection(res: Resource) -> Outcome:
    """A data protection policy (account-wide AWS::Logs::AccountPolicy of type DATA_PROTECTION_POLICY, or
    a log group's DataProtectionPolicy) finds and masks the named sensitive data in log events.

    Log groups without their own policy and other account policy types: NOT_APPLICABLE (the rule
    evidences a policy where one exists; it does not claim every log group needs its own)."""
    if res.type == ACCOUNT_POLICY:
        kind = to_str(res.properties.get("PolicyType"), "PolicyType")
        if kind != "DATA_PROTECTION_POLICY":
            return Result.NOT_APPLICABLE, f"PolicyType {kind}"
        prop = "PolicyDocument"
    else:
        prop = "DataProtectionPolicy"
        if res.properties.get(prop) is None:
            return Result.NOT_APPLICABLE, "no data protection policy on this log group"
    audits, masks = _operations(res.properties.get(prop), prop)
    missing = [name for name, ok in (("Audit", audits), ("Deidentify.MaskConfig", masks)) if not ok]
    if missing:
        return (
            Result.NON_COMPLIANT,
            msg("rule.logs.no_data_protection", where=prop, statements=" / ".join(missing)),
        )
    return Result.COMPLIANT
