"""Amazon S3 rules.

Measures: (strength, facet and rationale per rule in bio2_aspects/mappings/data/rules.json)
8.24.02 (encryption at rest with an inventoried KMS key),
8.13.01 (versioning helps recover from overwrites), 5.15.01/8.03.02 (no public access),
8.21.04 (TLS-only bucket policy), 8.15.01 (server access logging), 8.15.06/5.28.01/5.33.01
(object lock on log buckets).
5.28.01 (logs locked for at least three years, for incidents).

What is a *log bucket*? A bucket that, in the same template, is the destination of a
log delivery we can see (CloudTrail trail ``S3BucketName``, Config delivery channel
``S3BucketName``, VPC flow log ``LogDestination``, another bucket's server access logging
``LoggingConfiguration``, ELBv2 ``access_logs.s3.bucket`` attribute, CloudFront
``Logging``, Network Firewall / WAF logging configurations, vended-log delivery
destinations, Route 53 Resolver query logging) or that carries the tag
``bio2:purpose=logs``. Log deliveries set up in other stacks can only be seen through the
tag, so tag log archive buckets explicitly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from bio2_aspects.messages import msg

from ._helpers import Unverifiable, is_set, items, lookup, synth_time, to_bool, to_int, to_str
from ._policy import covers_objects, find_tls_deny, public_allows
from .base import Level, Outcome, Resource, Result, StackView, referenced_ids, refers_to, rule
from .tagging import LOG_PURPOSE, PURPOSE_TAG, resource_tags

BUCKET = "AWS::S3::Bucket"
BUCKET_POLICY = "AWS::S3::BucketPolicy"
KMS_ALGORITHMS = frozenset({"aws:kms", "aws:kms:dsse"})
PUBLIC_ACCESS_FLAGS = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")

# (resource type, property path) pairs whose value names the bucket that receives logs.
LOG_SOURCES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("AWS::CloudTrail::Trail", ("S3BucketName",)),
    ("AWS::Config::DeliveryChannel", ("S3BucketName",)),
    ("AWS::EC2::FlowLog", ("LogDestination",)),
    ("AWS::S3::Bucket", ("LoggingConfiguration",)),
    ("AWS::ElasticLoadBalancingV2::LoadBalancer", ("LoadBalancerAttributes",)),
    ("AWS::CloudFront::Distribution", ("DistributionConfig", "Logging")),
    ("AWS::NetworkFirewall::LoggingConfiguration", ("LoggingConfiguration",)),
    ("AWS::WAFv2::LoggingConfiguration", ("LogDestinationConfigs",)),
    ("AWS::Logs::DeliveryDestination", ("DestinationResourceArn",)),
    ("AWS::Route53Resolver::ResolverQueryLoggingConfig", ("DestinationArn",)),
)
_LOG_SOURCE_TYPES = tuple(sorted({t for t, _ in LOG_SOURCES}))


def _bucket_name(bucket: Resource) -> str | None:
    name = bucket.properties.get("BucketName")
    return name if isinstance(name, str) else None


def _mentions_bucket(value: Any, bucket: Resource) -> bool:
    """``value`` refers to the bucket by Ref/GetAtt, or by its literal name or ARN.

    ``log_sources`` and ``bucket_policies`` answer this for all values of a template at once
    (``_Mentions``); a change here must be made there too (tests/rules/test_rules_s3_index.py)."""
    if refers_to(value, bucket.logical_id):
        return True
    name = _bucket_name(bucket)
    if name is None:
        return False
    return _mentions_literal(value, (name, f"arn:aws:s3:::{name}"))


def _mentions_literal(value: Any, literals: tuple[str, ...]) -> bool:
    if isinstance(value, str):
        return value in literals or any(value.startswith(lit + "/") for lit in literals)
    if isinstance(value, dict):
        return any(_mentions_literal(v, literals) for v in value.values())
    if isinstance(value, list):
        return any(_mentions_literal(v, literals) for v in value)
    return False


#: Per log source type, the property paths that name the bucket it writes to (in LOG_SOURCES order).
_LOG_PATHS: dict[str, tuple[tuple[str, ...], ...]] = {
    t: tuple(path for cfn_type, path in LOG_SOURCES if cfn_type == t) for t in _LOG_SOURCE_TYPES
}
_ARN_PREFIX = "arn:aws:s3:::"


@dataclass(frozen=True)
class _BucketNames:
    """The literal names of a view's buckets (a string ``BucketName``), to find in the strings of a
    template the names ``_mentions_literal`` would match: a string that is the name or starts with
    the name and a ``/``, or the same after ``arn:aws:s3:::``.

    Only names of this set are looked for, one check per distinct name length: the work per string
    is one pass at most, however many ``/`` it holds (holding every prefix before a ``/`` took
    memory in the square of its length), and the index holds only names that are there."""

    names: frozenset[str]
    lengths: tuple[int, ...]

    @classmethod
    def of(cls, names: Iterable[str]) -> _BucketNames:
        known = frozenset(names)
        return cls(known, tuple(sorted({len(n) for n in known})))

    @classmethod
    def of_view(cls, view: StackView) -> _BucketNames:
        """The names of the view's buckets, read once per view (both indexes use them)."""
        return view.derived("s3.bucket_names", cls._read)

    @classmethod
    def _read(cls, view: StackView) -> _BucketNames:
        return cls.of(name for b in view.of_type(BUCKET) if (name := _bucket_name(b)) is not None)

    def matched(self, text: str) -> Iterator[str]:
        """The names ``n`` of this set for which ``_mentions_literal(text, (n, f"arn:aws:s3:::{n}"))``
        is True."""
        parts = (text, text[len(_ARN_PREFIX) :]) if text.startswith(_ARN_PREFIX) else (text,)
        for part in parts:
            size = len(part)
            for length in self.lengths:
                if length > size:
                    break
                if length == size or part[length] == "/":
                    name = part[:length]
                    if name in self.names:
                        yield name

    def in_value(self, value: Any) -> set[str]:
        """The names of this set that ``value`` holds (the walk of ``_mentions_literal``: strings in
        dicts and lists)."""
        out: set[str] = set()
        if not self.names:
            return out
        todo = [value]
        while todo:
            item = todo.pop()
            if isinstance(item, str):
                out.update(self.matched(item))
            elif isinstance(item, dict):
                todo.extend(item.values())
            elif isinstance(item, list):
                todo.extend(item)
        return out


@dataclass(frozen=True)
class _Mentions:
    """Which values of a template mention which bucket, read once per view (``StackView.derived``):
    entry positions (template order) by the logical IDs the value refers to and by the names of the
    view's buckets whose name or ARN it holds, the two ways ``_mentions_bucket`` matches. A bucket
    whose name is not one of the view's (a bucket from outside the view) is answered by reading the
    values."""

    values: list[Any]
    names: frozenset[str]
    by_id: dict[str, list[int]]
    by_name: dict[str, list[int]]

    @classmethod
    def of(cls, values: Iterable[Any], names: _BucketNames) -> _Mentions:
        kept = list(values)
        by_id: dict[str, list[int]] = {}
        by_name: dict[str, list[int]] = {}
        for i, value in enumerate(kept):
            for lid in referenced_ids(value):
                by_id.setdefault(lid, []).append(i)
            for name in names.in_value(value):
                by_name.setdefault(name, []).append(i)
        return cls(kept, names.names, by_id, by_name)

    def of_bucket(self, bucket: Resource) -> list[int]:
        """Positions of the values for which ``_mentions_bucket(value, bucket)`` is True, in order."""
        found = self.by_id.get(bucket.logical_id, [])
        name = _bucket_name(bucket)
        if name is None:
            return found
        if name in self.names:
            named = self.by_name.get(name)
        else:
            literals = (name, f"{_ARN_PREFIX}{name}")
            named = [i for i, value in enumerate(self.values) if _mentions_literal(value, literals)]
        if named:
            return sorted(set(found).union(named)) if found else named
        return found


def _log_source_index(view: StackView) -> tuple[list[tuple[str, str]], _Mentions]:
    """The log deliveries of the view (logical ID, description), in template order and path order
    per source, with what their destination values mention."""
    entries: list[tuple[str, str]] = []
    values: list[Any] = []
    for src in view.of_type(*_LOG_SOURCE_TYPES):
        for path in _LOG_PATHS[src.type]:
            value = src.prop(*path)
            if value is not None:
                entries.append((src.logical_id, f"{src.type} {src.logical_id} ({'.'.join(path)})"))
                values.append(value)
    return entries, _Mentions.of(values, _BucketNames.of_view(view))


def log_sources(bucket: Resource) -> list[str]:
    """Descriptions of the log deliveries in the same template that write to ``bucket``."""
    entries, mentions = bucket.stack.derived("s3.log_sources", _log_source_index)
    found = []
    for i in mentions.of_bucket(bucket):
        src_id, description = entries[i]
        if src_id != bucket.logical_id:
            found.append(description)
    return found


def is_log_bucket(bucket: Resource) -> tuple[bool, str]:
    """(is a log bucket, why). See the module docstring for the definition."""
    sources = log_sources(bucket)
    if sources:
        return True, msg("rule.s3.receives_logs", sources=sources)
    purpose = to_str(resource_tags(bucket).get(PURPOSE_TAG), f"tag {PURPOSE_TAG}")
    if purpose is not None and purpose.strip().lower() == LOG_PURPOSE:
        return True, msg("rule.s3.tagged_logs", tag=PURPOSE_TAG, value=LOG_PURPOSE)
    return False, ""


def _policy_index(view: StackView) -> tuple[list[Resource], _Mentions]:
    policies = list(view.of_type(BUCKET_POLICY))
    return policies, _Mentions.of((p.properties.get("Bucket") for p in policies), _BucketNames.of_view(view))


def bucket_policies(bucket: Resource) -> list[Resource]:
    """The bucket policies of the same template whose ``Bucket`` names ``bucket``, in template order."""
    policies, mentions = bucket.stack.derived("s3.policies", _policy_index)
    return [policies[i] for i in mentions.of_bucket(bucket)]


@rule(
    "BIO2-S3-KmsEncryption",
    types=[BUCKET],
    finding="S3 bucket is not encrypted by default with a KMS key (SSE-KMS or DSSE-KMS)",
    fix="Set BucketEncryption SSEAlgorithm to aws:kms (CDK: encryption=BucketEncryption.KMS, "
    "preferably with a customer managed key)",
)
@synth_time
def s3_kms_encryption(res: Resource) -> Outcome:
    """Default encryption uses SSE-KMS or DSSE-KMS for every rule."""
    where = "BucketEncryption.ServerSideEncryptionConfiguration"
    configs = items(lookup(res.properties, "BucketEncryption", "ServerSideEncryptionConfiguration"), where)
    if not configs:
        return (
            Result.NON_COMPLIANT,
            msg("rule.s3.no_encryption"),
        )
    for i, cfg in enumerate(configs):
        algo = to_str(
            lookup(cfg, "ServerSideEncryptionByDefault", "SSEAlgorithm", where=f"{where}[{i}]"),
            f"{where}[{i}].ServerSideEncryptionByDefault.SSEAlgorithm",
        )
        if algo not in KMS_ALGORITHMS:
            return Result.NON_COMPLIANT, msg("rule.s3.sse_algorithm", where=f"{where}[{i}]", algo=repr(algo))
    return Result.COMPLIANT


@rule(
    "BIO2-S3-Versioning",
    types=[BUCKET],
    finding="S3 bucket versioning is not enabled",
    fix="Set VersioningConfiguration.Status to Enabled (CDK: versioned=True)",
)
@synth_time
def s3_versioning(res: Resource) -> Outcome:
    """Versioning keeps earlier object versions, protecting against overwrite and deletion."""
    status = to_str(
        lookup(res.properties, "VersioningConfiguration", "Status"), "VersioningConfiguration.Status"
    )
    if status == "Enabled":
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, msg("rule.s3.versioning_status", status=repr(status))


@rule(
    "BIO2-S3-PublicAccessBlock",
    types=[BUCKET],
    finding="S3 bucket does not block all public access",
    fix="Set all four PublicAccessBlockConfiguration flags to true "
    "(CDK: block_public_access=BlockPublicAccess.BLOCK_ALL)",
)
@synth_time
def s3_public_access_block(res: Resource) -> Outcome:
    """All four public access block flags are true on the bucket itself."""
    cfg = lookup(res.properties, "PublicAccessBlockConfiguration")
    if cfg is None:
        return Result.NON_COMPLIANT, msg("rule.not_set", where="PublicAccessBlockConfiguration")
    off = [
        flag
        for flag in PUBLIC_ACCESS_FLAGS
        if to_bool(
            lookup(cfg, flag, where="PublicAccessBlockConfiguration"),
            f"PublicAccessBlockConfiguration.{flag}",
        )
        is not True
    ]
    if off:
        return Result.NON_COMPLIANT, msg("rule.s3.pab_flags", flags=list(off))
    return Result.COMPLIANT


def _s3_action(action: str) -> bool:
    return action in ("*", "s3:*")


@rule(
    "BIO2-S3-TlsOnly",
    types=[BUCKET],
    finding="S3 bucket has no bucket policy that denies requests without TLS",
    fix="Add a bucket policy statement Deny s3:* for Principal '*' on the bucket and its objects when "
    "aws:SecureTransport is false (CDK: enforce_ssl=True)",
)
@synth_time
def s3_tls_only(res: Resource) -> Outcome:
    """An AWS::S3::BucketPolicy for this bucket denies all access over plain HTTP."""
    policies = bucket_policies(res)
    if not policies:
        return Result.NON_COMPLIANT, msg("rule.s3.no_bucket_policy")
    notes: list[str] = []
    pending: Unverifiable | None = None
    for pol in policies:
        try:
            ok, note = find_tls_deny(
                pol.properties.get("PolicyDocument"),
                f"{pol.logical_id}.PolicyDocument",
                _s3_action,
                covers_objects,
            )
        except Unverifiable as exc:
            pending = pending or exc
            continue
        if ok:
            return Result.COMPLIANT
        if note:
            notes.append(msg("rule.s3.policy_note", policy=pol.logical_id, note=note))
    if pending is not None:
        raise pending
    if notes:
        return Result.NON_COMPLIANT, msg("rule.findings", findings_list=notes)
    return Result.NON_COMPLIANT, msg("rule.s3.no_tls_deny")


@rule(
    "BIO2-S3-AccessLogging",
    types=[BUCKET],
    level=Level.WARNING,
    finding="S3 bucket has no server access logging to a separate bucket",
    fix="Set LoggingConfiguration.DestinationBucketName to a dedicated access-log bucket without Object Lock "
    "(S3 cannot deliver access logs to an Object Lock bucket; CDK: server_access_logs_bucket=...). On that "
    "bucket, acknowledge BIO2-S3-LogBucketObjectLock with its compensating controls (a policy that denies "
    "deletes, versioning) and this rule as the end of the chain",
)
@synth_time
def s3_access_logging(res: Resource) -> Outcome:
    """Server access logging is delivered to another bucket.

    The access-log bucket itself is *not* exempt: its own access must be logged too, to a
    different bucket (e.g. in the log archive account). Logging a bucket into itself is
    non-compliant: every delivery would generate new log records (AWS advises against it).
    The end of such a chain is an accepted risk to acknowledge, not a silent pass.
    """
    cfg = lookup(res.properties, "LoggingConfiguration")
    if cfg is None:
        return Result.NON_COMPLIANT, msg("rule.s3.no_logging")
    dest = lookup(cfg, "DestinationBucketName", where="LoggingConfiguration")
    if not is_set(dest, "LoggingConfiguration.DestinationBucketName"):
        return (
            Result.NON_COMPLIANT,
            msg("rule.s3.logging_no_destination"),
        )
    if _mentions_bucket(dest, res):
        return Result.NON_COMPLIANT, msg("rule.s3.logging_to_itself")
    return Result.COMPLIANT


@rule(
    "BIO2-S3-LogBucketObjectLock",
    types=[BUCKET],
    finding="Log bucket has no S3 Object Lock in COMPLIANCE mode with a default retention",
    fix="Create the log bucket with ObjectLockEnabled true and ObjectLockConfiguration default retention "
    "in COMPLIANCE mode (CDK: object_lock_default_retention=ObjectLockRetention.compliance(...))",
)
@synth_time
def s3_log_bucket_object_lock(res: Resource) -> Outcome:
    """Buckets that hold logs are write-once: Object Lock, COMPLIANCE mode, default retention.

    GOVERNANCE mode is not enough: principals with s3:BypassGovernanceRetention can still
    delete or shorten the retention, so it does not prove logs stay unaltered.
    Applies only to log buckets (see the module docstring).
    """
    is_logs, why = is_log_bucket(res)
    if not is_logs:
        return (
            Result.NOT_APPLICABLE,
            "not a log bucket (no log delivery targets it and no bio2:purpose=logs tag)",
        )
    if to_bool(res.properties.get("ObjectLockEnabled"), "ObjectLockEnabled") is not True:
        return Result.NON_COMPLIANT, msg("rule.s3.log_bucket_no_lock", why=why)
    where = "ObjectLockConfiguration"
    enabled = to_str(
        lookup(res.properties, "ObjectLockConfiguration", "ObjectLockEnabled"), f"{where}.ObjectLockEnabled"
    )
    if enabled != "Enabled":
        return Result.NON_COMPLIANT, msg("rule.s3.lock_enabled_is", where=where, value=repr(enabled))
    retention = lookup(res.properties, "ObjectLockConfiguration", "Rule", "DefaultRetention")
    if retention is None:
        return Result.NON_COMPLIANT, msg("rule.s3.no_default_retention", where=where)
    rwhere = f"{where}.Rule.DefaultRetention"
    mode = to_str(lookup(retention, "Mode", where=rwhere), f"{rwhere}.Mode")
    if mode != "COMPLIANCE":
        return Result.NON_COMPLIANT, msg("rule.s3.mode_not_compliance", where=rwhere, mode=repr(mode))
    days = to_int(lookup(retention, "Days", where=rwhere), f"{rwhere}.Days")
    years = to_int(lookup(retention, "Years", where=rwhere), f"{rwhere}.Years")
    if days is None and years is None:
        return Result.NON_COMPLIANT, msg("rule.s3.no_days_years", where=rwhere)
    if (days or 0) < MIN_LOG_LOCK_DAYS and (years or 0) < 1:
        return Result.NON_COMPLIANT, msg(
            "rule.s3.days_below_half_year", where=rwhere, days=days, minimum=MIN_LOG_LOCK_DAYS
        )
    return Result.COMPLIANT


#: Shortest Object Lock retention that keeps logs unaltered long enough to count: half a year, the one
#: hard term BIO2 sets for operational logs (8.18.02). A lock of a day protects nothing.
MIN_LOG_LOCK_DAYS = 183
#: 5.28.01: information about an (assumed) incident, its logging included, is kept at least three years.
INCIDENT_RETENTION_DAYS = 3 * 365
INCIDENT_RETENTION_YEARS = 3


@rule(
    "BIO2-S3-LogRetentionThreeYears",
    types=[BUCKET],
    level=Level.WARNING,
    finding="Log bucket does not lock its objects for at least three years",
    fix="Set the Object Lock default retention in COMPLIANCE mode to at least 3 years (1095 days) "
    "(CDK: object_lock_default_retention=ObjectLockRetention.compliance(Duration.days(1095)))",
)
@synth_time
def s3_log_retention_three_years(res: Resource) -> Outcome:
    """Log buckets keep every object at least three years, write-once: Object Lock COMPLIANCE mode with a
    default retention of at least 1095 days or 3 years, so the logs an incident investigation needs
    cannot be deleted early. Not a log bucket: NOT_APPLICABLE."""
    is_logs, why = is_log_bucket(res)
    if not is_logs:
        return Result.NOT_APPLICABLE, "not a log bucket"
    if to_bool(res.properties.get("ObjectLockEnabled"), "ObjectLockEnabled") is not True:
        return Result.NON_COMPLIANT, msg("rule.s3.log_bucket_no_lock", why=why)
    rwhere = "ObjectLockConfiguration.Rule.DefaultRetention"
    retention = lookup(res.properties, "ObjectLockConfiguration", "Rule", "DefaultRetention")
    if retention is None:
        return Result.NON_COMPLIANT, msg("rule.not_set", where=rwhere)
    mode = to_str(lookup(retention, "Mode", where=rwhere), f"{rwhere}.Mode")
    if mode != "COMPLIANCE":
        return Result.NON_COMPLIANT, msg("rule.s3.mode_not_compliance", where=rwhere, mode=repr(mode))
    days = to_int(lookup(retention, "Days", where=rwhere), f"{rwhere}.Days")
    years = to_int(lookup(retention, "Years", where=rwhere), f"{rwhere}.Years")
    if (days or 0) >= INCIDENT_RETENTION_DAYS or (years or 0) >= INCIDENT_RETENTION_YEARS:
        return Result.COMPLIANT
    kept = (
        msg("rule.days", n=days)
        if days is not None
        else msg("rule.years", n=years)
        if years is not None
        else msg("rule.s3.unset")
    )
    return Result.NON_COMPLIANT, msg(
        "rule.s3.below_three_years", where=rwhere, kept=kept, days=INCIDENT_RETENTION_DAYS
    )


@rule(
    "BIO2-S3-PolicyNoPublicAccess",
    types=[BUCKET_POLICY],
    finding="S3 bucket policy allows access to any principal without a restricting condition",
    fix="Name the principals, or restrict the statement with aws:PrincipalOrgID, aws:SourceAccount, "
    "aws:SourceVpce or a similar condition",
)
@synth_time
def s3_policy_no_public(res: Resource) -> Outcome:
    """No Allow statement grants to Principal '*' (or uses NotPrincipal) unconditionally."""
    found = public_allows(res.properties.get("PolicyDocument"), "PolicyDocument")
    if found:
        return Result.NON_COMPLIANT, msg("rule.findings", findings_list=found)
    return Result.COMPLIANT
