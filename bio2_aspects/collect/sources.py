"""Readers of the run-time sources. Read-only: every AWS call the collector makes is in
:data:`API_CALLS` (the collection role's policy allows exactly these, a test proves it).

Each reader takes a client factory ``clients(service, region)`` (boto3 clients with adaptive
retries, or stubbed clients in tests) and returns :class:`Observation` s. Paginated operations go
through boto3 paginators. Times are taken from the API responses, never from the clock (the one
exception, a compliant Config rule summary that carries no time, is stamped with the collection
time and says so).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bio2_aspects.collect import table

#: (boto3 service name, API operation) of every call the collector makes, in the order it makes them.
API_CALLS: tuple[tuple[str, str], ...] = (
    ("config", "DescribeConfigurationAggregators"),
    ("config", "DescribeAggregateComplianceByConfigRules"),
    ("config", "GetAggregateComplianceDetailsByConfigRule"),
    ("securityhub", "GetFindings"),
    ("guardduty", "ListDetectors"),
    ("guardduty", "ListFindings"),
    ("guardduty", "GetFindings"),
    ("accessanalyzer", "ListAnalyzers"),
    ("accessanalyzer", "ListFindings"),
    ("backup", "ListBackupJobs"),
    ("backup", "ListRestoreJobs"),
)

COMPLIANT = "COMPLIANT"
NON_COMPLIANT = "NON_COMPLIANT"

Clients = Callable[[str, str], Any]
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Observation:
    """One state a monitor reported."""

    source: str  # aws-config | security-hub | guardduty | access-analyzer | backup
    monitor: str  # the table's monitor ID (config:<rule>, securityhub:<control>, finding:<kind>)
    account: str
    region: str
    resource_type: str
    resource: str  # resource ID or ARN; "*" for an account/region summary
    compliance: str  # COMPLIANT | NON_COMPLIANT
    observed_at: str  # ISO-8601 UTC, from the response (see observed_source)
    first_observed: str | None  # when the monitor first reported this non-compliance, if it says
    detail: str
    observed_source: str = "response"  # "response" or "collection" (no time in the response)

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.monitor, self.account, self.region, self.resource)


def iso(value: Any) -> str | None:
    """An API time (datetime or ISO string) as ``YYYY-MM-DDTHH:MM:SSZ`` in UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = value.strip().replace("Z", "+00:00")
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return None


def _pages(client: Any, operation: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
    yield from client.get_paginator(operation).paginate(**kwargs)


# ------------------------------------------------------------------ AWS Config (aggregator)


def config_rules(
    clients: Clients, region: str, aggregator: str | None, collected_at: str, progress: Progress
) -> list[Observation]:
    """Compliance of the conformance pack's rules per account and region, from the organization
    aggregator in ``region``; the resources of every NON_COMPLIANT (rule, account, region)."""
    client = clients("config", region)
    if aggregator is None:
        names = [
            a["ConfigurationAggregatorName"]
            for page in _pages(client, "describe_configuration_aggregators")
            for a in page.get("ConfigurationAggregators", [])
            if a.get("OrganizationAggregationSource")
        ]
        if len(names) != 1:
            raise CollectError(
                f"found {len(names)} organization aggregators in {region} ({', '.join(names) or 'none'}); "
                "name one with --aggregator"
            )
        aggregator = names[0]
    out: list[Observation] = []
    red: list[tuple[str, str, str, str]] = []
    seen = 0
    for page in _pages(
        client, "describe_aggregate_compliance_by_config_rules", ConfigurationAggregatorName=aggregator
    ):
        for row in page.get("AggregateComplianceByConfigRules", []):
            seen += 1
            name = table.pack_rule_name(str(row.get("ConfigRuleName", "")))
            state = (row.get("Compliance") or {}).get("ComplianceType")
            if name is None or state not in (COMPLIANT, NON_COMPLIANT):
                continue
            account, rregion = str(row.get("AccountId")), str(row.get("AwsRegion"))
            if state == NON_COMPLIANT:
                red.append((str(row["ConfigRuleName"]), name, account, rregion))
                continue
            out.append(
                Observation(
                    source="aws-config",
                    monitor=table.CONFIG_PREFIX + name,
                    account=account,
                    region=rregion,
                    resource_type="AWS::::Account",
                    resource="*",
                    compliance=COMPLIANT,
                    observed_at=collected_at,
                    first_observed=None,
                    detail=f"AWS Config rule {name}: every evaluated resource compliant",
                    observed_source="collection",
                )
            )
    progress(f"config: {seen} rule results from aggregator {aggregator}, {len(red)} non-compliant")
    for n, (deployed, name, account, rregion) in enumerate(sorted(red), start=1):
        for page in _pages(
            client,
            "get_aggregate_compliance_details_by_config_rule",
            ConfigurationAggregatorName=aggregator,
            ConfigRuleName=deployed,
            AccountId=account,
            AwsRegion=rregion,
            ComplianceType=NON_COMPLIANT,
        ):
            for result in page.get("AggregateEvaluationResults", []):
                qualifier = (result.get("EvaluationResultIdentifier") or {}).get(
                    "EvaluationResultQualifier"
                ) or {}
                recorded = iso(result.get("ResultRecordedTime")) or collected_at
                annotation = str(result.get("Annotation") or "")
                out.append(
                    Observation(
                        source="aws-config",
                        monitor=table.CONFIG_PREFIX + name,
                        account=str(result.get("AccountId") or account),
                        region=str(result.get("AwsRegion") or rregion),
                        resource_type=str(qualifier.get("ResourceType") or ""),
                        resource=str(qualifier.get("ResourceId") or "*"),
                        compliance=NON_COMPLIANT,
                        observed_at=recorded,
                        first_observed=recorded,
                        detail=f"AWS Config rule {name}: NON_COMPLIANT"
                        + (f" ({annotation})" if annotation else ""),
                    )
                )
        if n % 25 == 0 or n == len(red):
            progress(f"config: resources of {n}/{len(red)} non-compliant rule results")
    return out


# ------------------------------------------------------------------ Security Hub


def securityhub_findings(clients: Clients, regions: Iterable[str], progress: Progress) -> list[Observation]:
    """Failed, active, unsuppressed control findings of the controls in the table (consolidated
    control IDs). With cross-region aggregation the home region returns every region's findings:
    findings are de-duplicated by ID."""
    controls = list(table.securityhub_controls())
    seen: set[str] = set()
    out: list[Observation] = []
    for region in regions:
        client = clients("securityhub", region)
        count = 0
        for page in _securityhub_pages(client, controls):
            for f in page.get("Findings", []):
                fid = str(f.get("Id"))
                control = (f.get("Compliance") or {}).get("SecurityControlId")
                if fid in seen or control not in controls:
                    continue
                seen.add(fid)
                count += 1
                resource = (f.get("Resources") or [{}])[0]
                out.append(
                    Observation(
                        source="security-hub",
                        monitor=table.SECURITYHUB_PREFIX + control,
                        account=str(f.get("AwsAccountId")),
                        region=str(f.get("Region") or region),
                        resource_type=str(resource.get("Type") or ""),
                        resource=str(resource.get("Id") or "*"),
                        compliance=NON_COMPLIANT,
                        observed_at=iso(f.get("LastObservedAt") or f.get("UpdatedAt")) or "",
                        first_observed=iso(f.get("FirstObservedAt") or f.get("CreatedAt")),
                        detail=f"Security Hub control {control} FAILED: {f.get('Title') or ''}".strip(),
                    )
                )
        progress(f"security hub: {count} failed control findings in {region}")
    return out


#: Control IDs per GetFindings request (a filter field takes a limited number of values).
SECURITYHUB_CONTROLS_PER_REQUEST = 10


def securityhub_filters(controls: list[str]) -> dict[str, Any]:
    return {
        "ComplianceStatus": [{"Value": "FAILED", "Comparison": "EQUALS"}],
        "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}],
        "WorkflowStatus": [
            {"Value": "NEW", "Comparison": "EQUALS"},
            {"Value": "NOTIFIED", "Comparison": "EQUALS"},
        ],
        "ComplianceSecurityControlId": [{"Value": c, "Comparison": "EQUALS"} for c in controls],
    }


def _securityhub_pages(client: Any, controls: list[str]) -> Iterator[dict[str, Any]]:
    step = SECURITYHUB_CONTROLS_PER_REQUEST
    for start in range(0, len(controls), step):
        filters = securityhub_filters(controls[start : start + step])
        yield from _pages(client, "get_findings", Filters=filters, PaginationConfig={"PageSize": 100})


# ------------------------------------------------------------------ GuardDuty

GUARDDUTY_MIN_SEVERITY = 7.0
_GET_FINDINGS_BATCH = 50


def guardduty_findings(clients: Clients, regions: Iterable[str], progress: Progress) -> list[Observation]:
    """Unarchived findings of severity 7.0 or higher of the delegated administrator's detector
    (which sees every member account) in each region."""
    out: list[Observation] = []
    monitor = table.FINDINGS_PREFIX + "guardduty-high-severity"
    for region in regions:
        client = clients("guardduty", region)
        detectors = [d for page in _pages(client, "list_detectors") for d in page.get("DetectorIds", [])]
        for detector in sorted(detectors):
            ids = [
                i
                for page in _pages(
                    client,
                    "list_findings",
                    DetectorId=detector,
                    FindingCriteria={
                        "Criterion": {
                            "severity": {"GreaterThanOrEqual": int(GUARDDUTY_MIN_SEVERITY)},
                            "service.archived": {"Equals": ["false"]},
                        }
                    },
                )
                for i in page.get("FindingIds", [])
            ]
            for start in range(0, len(ids), _GET_FINDINGS_BATCH):
                batch = ids[start : start + _GET_FINDINGS_BATCH]
                for f in client.get_findings(DetectorId=detector, FindingIds=batch).get("Findings", []):
                    service = f.get("Service") or {}
                    resource = f.get("Resource") or {}
                    out.append(
                        Observation(
                            source="guardduty",
                            monitor=monitor,
                            account=str(f.get("AccountId")),
                            region=str(f.get("Region") or region),
                            resource_type=str(resource.get("ResourceType") or ""),
                            resource=str(f.get("Id")),
                            compliance=NON_COMPLIANT,
                            observed_at=iso(f.get("UpdatedAt") or service.get("EventLastSeen")) or "",
                            first_observed=iso(service.get("EventFirstSeen") or f.get("CreatedAt")),
                            detail=(
                                f"GuardDuty {f.get('Type')} (severity {f.get('Severity')}): "
                                f"{f.get('Title') or ''}"
                            ),
                        )
                    )
            progress(f"guardduty: {len(ids)} open high-severity findings in {region}")
    return out


# ------------------------------------------------------------------ IAM Access Analyzer


def access_analyzer_findings(
    clients: Clients, regions: Iterable[str], progress: Progress
) -> list[Observation]:
    """Active external-access findings of the organization analyzers in each region."""
    out: list[Observation] = []
    monitor = table.FINDINGS_PREFIX + "access-analyzer-external-access"
    for region in regions:
        client = clients("accessanalyzer", region)
        analyzers = [
            a["arn"]
            for page in _pages(client, "list_analyzers", type="ORGANIZATION")
            for a in page.get("analyzers", [])
            if a.get("status") == "ACTIVE"
        ]
        count = 0
        for arn in sorted(analyzers):
            for page in _pages(
                client, "list_findings", analyzerArn=arn, filter={"status": {"eq": ["ACTIVE"]}}
            ):
                for f in page.get("findings", []):
                    count += 1
                    out.append(
                        Observation(
                            source="access-analyzer",
                            monitor=monitor,
                            account=str(f.get("resourceOwnerAccount")),
                            region=region,
                            resource_type=str(f.get("resourceType") or ""),
                            resource=str(f.get("resource") or f.get("id")),
                            compliance=NON_COMPLIANT,
                            observed_at=iso(f.get("updatedAt") or f.get("analyzedAt")) or "",
                            first_observed=iso(f.get("createdAt")),
                            detail=(
                                "IAM Access Analyzer: "
                                + (
                                    "public access"
                                    if f.get("isPublic")
                                    else "access from outside the organisation"
                                )
                                + f" ({', '.join(sorted(f.get('action') or []))})"
                            ),
                        )
                    )
        progress(f"access analyzer: {count} active findings in {region}")
    return out


# ------------------------------------------------------------------ AWS Backup

BACKUP_RED_STATES = ("FAILED", "ABORTED", "EXPIRED")


def backup_jobs(
    clients: Clients, regions: Iterable[str], collected_at: str, days: int, progress: Progress
) -> list[Observation]:
    """The latest backup job per (account, region, resource) created in the last ``days`` days,
    across the organisation (``ByAccountId='*'``, cross-account monitoring)."""
    after = _days_before(collected_at, days)
    out: list[Observation] = []
    for region in regions:
        client = clients("backup", region)
        pages = _pages(client, "list_backup_jobs", ByAccountId="*", ByCreatedAfter=after)
        latest = _latest_finished(
            (job for page in pages for job in page.get("BackupJobs", [])),
            state="State",
            finished=("COMPLETED", *BACKUP_RED_STATES),  # the others are still running
            key=lambda job: (str(job.get("AccountId")), str(job.get("ResourceArn"))),
        )
        for (account, resource), job in sorted(latest.items()):
            out.append(
                _job_observation(
                    job,
                    "backup-job",
                    account=account,
                    region=region,
                    resource_type=str(job.get("ResourceType") or ""),
                    resource=resource,
                    state=str(job.get("State")),
                    what=f"AWS Backup job {job.get('BackupJobId')}",
                )
            )
        progress(f"backup: {len(latest)} resources with backup jobs in {region}")
    return out


def _latest_finished(
    jobs: Iterable[dict[str, Any]],
    *,
    state: str,
    finished: tuple[str, ...],
    key: Callable[[dict[str, Any]], tuple[str, str]],
) -> dict[tuple[str, str], dict[str, Any]]:
    """The latest finished job per ``key`` (by completion, else creation time), with ``_when``."""
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for job in jobs:
        if job.get(state) not in finished:
            continue
        k = key(job)
        when = iso(job.get("CompletionDate") or job.get("CreationDate")) or ""
        if k not in latest or when > latest[k]["_when"]:
            latest[k] = {**job, "_when": when}
    return latest


def _job_observation(
    job: dict[str, Any],
    monitor: str,
    *,
    account: str,
    region: str,
    resource_type: str,
    resource: str,
    state: str,
    what: str,
) -> Observation:
    """A finished AWS Backup job (from :func:`_latest_finished`) as an observation: green when it
    completed, else red since it finished, with its status message."""
    ok = state == "COMPLETED"
    message = job.get("StatusMessage")
    return Observation(
        source="backup",
        monitor=table.FINDINGS_PREFIX + monitor,
        account=account,
        region=region,
        resource_type=resource_type,
        resource=resource,
        compliance=COMPLIANT if ok else NON_COMPLIANT,
        observed_at=job["_when"],
        first_observed=None if ok else job["_when"],
        detail=f"{what}: {state}" + (f" ({message})" if message and not ok else ""),
    )


def restore_jobs(
    clients: Clients, regions: Iterable[str], collected_at: str, days: int, progress: Progress
) -> list[Observation]:
    """The latest finished restore job per (account, region, resource type) in the last ``days``
    days: restore testing brings data back for real."""
    after = _days_before(collected_at, days)
    out: list[Observation] = []
    for region in regions:
        client = clients("backup", region)
        pages = _pages(client, "list_restore_jobs", ByAccountId="*", ByCreatedAfter=after)
        latest = _latest_finished(
            (job for page in pages for job in page.get("RestoreJobs", [])),
            state="Status",
            finished=("COMPLETED", "FAILED", "ABORTED"),
            key=lambda job: (str(job.get("AccountId")), str(job.get("ResourceType") or "")),
        )
        for (account, rtype), job in sorted(latest.items()):
            out.append(
                _job_observation(
                    job,
                    "restore-job",
                    account=account,
                    region=region,
                    resource_type=rtype,
                    resource=str(job.get("RecoveryPointArn") or job.get("RestoreJobId")),
                    state=str(job.get("Status")),
                    what=f"AWS Backup restore job {job.get('RestoreJobId')}",
                )
            )
        progress(f"backup: {len(latest)} restore tests in {region}")
    return out


def _days_before(collected_at: str, days: int) -> datetime:
    when = datetime.strptime(collected_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return when - timedelta(days=days)


class CollectError(Exception):
    """A problem the user can fix (no aggregator, no credentials...): exit 2 with the message."""


SOURCES: tuple[str, ...] = ("config", "securityhub", "guardduty", "accessanalyzer", "backup")


def collect(
    clients: Clients,
    *,
    home_region: str,
    regions: Iterable[str],
    collected_at: str,
    aggregator: str | None = None,
    sources: Iterable[str] = SOURCES,
    backup_days: int = 7,
    restore_days: int = 400,
    progress: Progress = lambda _msg: None,
) -> list[Observation]:
    """Every observation of the chosen sources, sorted (the same responses give the same list)."""
    regions = sorted(set(regions) | {home_region})
    chosen = set(sources)
    out: list[Observation] = []
    if "config" in chosen:
        out += config_rules(clients, home_region, aggregator, collected_at, progress)
    if "securityhub" in chosen:
        out += securityhub_findings(clients, regions, progress)
    if "guardduty" in chosen:
        out += guardduty_findings(clients, regions, progress)
    if "accessanalyzer" in chosen:
        out += access_analyzer_findings(clients, regions, progress)
    if "backup" in chosen:
        out += backup_jobs(clients, regions, collected_at, backup_days, progress)
        out += restore_jobs(clients, regions, collected_at, restore_days, progress)
    return sorted(set(out), key=lambda o: (o.key, o.compliance, o.observed_at, o.detail))


#: IAM service prefix of each boto3 service the collector calls (a test compares these with the
#: signing names in botocore's service models).
IAM_PREFIXES: dict[str, str] = {
    "config": "config",
    "securityhub": "securityhub",
    "guardduty": "guardduty",
    "accessanalyzer": "access-analyzer",
    "backup": "backup",
}


def iam_actions() -> tuple[str, ...]:
    """The IAM actions of :data:`API_CALLS`: all a collection role needs, and all it may have."""
    return tuple(sorted({f"{IAM_PREFIXES[service]}:{op}" for service, op in API_CALLS}))
