"""Stubbed AWS for the collector tests: botocore ``Stubber`` on real clients (so requests are
validated against botocore's service models and responses against the output shapes), with
recorded response shapes per API. No test ever reaches AWS: clients have fake credentials and
every call must be answered by a queued response (``assert_no_pending_responses`` at the end).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.stub import Stubber

ACCOUNTS = ("111111111111", "222222222222", "333333333333")
REGIONS = ("eu-central-1", "eu-west-1")
HOME = "eu-central-1"
AGGREGATOR = "lz-organization"
PACK_SUFFIX = "-conformance-pack-x1y2z3ab"


def securityhub_requests() -> int:
    """GetFindings requests per region (the table's controls, in chunks)."""
    from bio2_aspects.collect import sources, table

    n = len(table.securityhub_controls())
    return -(-n // sources.SECURITYHUB_CONTROLS_PER_REQUEST)


def ts(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


class StubbedAws:
    """Clients per (service, region), each with a Stubber; every operation called is recorded."""

    def __init__(self) -> None:
        self.session = boto3.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", aws_session_token="testing"
        )
        self._clients: dict[tuple[str, str], Any] = {}
        self.stubbers: dict[tuple[str, str], Stubber] = {}
        self.calls: list[tuple[str, str, str]] = []

    def client(self, service: str, region: str) -> Any:
        key = (service, region)
        if key not in self._clients:
            client = self.session.client(service, region_name=region)

            def record(model: Any, **_kw: Any) -> None:
                self.calls.append((service, model.name, region))

            client.meta.events.register("before-parameter-build.*.*", record)
            stubber = Stubber(client)
            stubber.activate()
            self._clients[key], self.stubbers[key] = client, stubber
        return self._clients[key]

    def add(
        self, service: str, region: str, method: str, response: dict[str, Any], params: Any = None
    ) -> None:
        self.client(service, region)
        self.stubbers[(service, region)].add_response(method, response, params)

    def add_error(self, service: str, region: str, method: str, code: str, status: int = 400) -> None:
        self.client(service, region)
        self.stubbers[(service, region)].add_client_error(method, code, f"{code} (stubbed)", status)

    def __call__(self, service: str, region: str) -> Any:
        return self.client(service, region)

    def assert_done(self) -> None:
        for stubber in self.stubbers.values():
            stubber.assert_no_pending_responses()


# ------------------------------------------------------------------ recorded response shapes


def aggregators() -> dict[str, Any]:
    return {
        "ConfigurationAggregators": [
            {
                "ConfigurationAggregatorName": AGGREGATOR,
                "ConfigurationAggregatorArn": (
                    f"arn:aws:config:{HOME}:333333333333:config-aggregator/config-aggregator-abcd1234"
                ),
                "OrganizationAggregationSource": {
                    "RoleArn": "arn:aws:iam::333333333333:role/lz-config-aggregator",
                    "AllAwsRegions": False,
                    "AwsRegions": list(REGIONS),
                },
                "CreationTime": ts("2026-11-01T08:00:00Z"),
                "LastUpdatedTime": ts("2026-11-01T08:00:00Z"),
                "CreatedBy": "config.amazonaws.com",
            }
        ]
    }


def rule_row(rule: str, account: str, region: str, state: str) -> dict[str, Any]:
    return {
        "ConfigRuleName": rule + PACK_SUFFIX,
        "Compliance": {
            "ComplianceType": state,
            "ComplianceContributorCount": {"CappedCount": 1, "CapExceeded": False},
        }
        if state == "NON_COMPLIANT"
        else {"ComplianceType": state},
        "AccountId": account,
        "AwsRegion": region,
    }


def evaluation(rule: str, account: str, region: str, rtype: str, rid: str, recorded: str) -> dict[str, Any]:
    return {
        "EvaluationResultIdentifier": {
            "EvaluationResultQualifier": {
                "ConfigRuleName": rule + PACK_SUFFIX,
                "ResourceType": rtype,
                "ResourceId": rid,
                "EvaluationMode": "DETECTIVE",
            },
            "OrderingTimestamp": ts(recorded),
        },
        "ComplianceType": "NON_COMPLIANT",
        "ResultRecordedTime": ts(recorded),
        "ConfigRuleInvokedTime": ts(recorded),
        "Annotation": "The bucket policy does not deny requests without TLS.",
        "AccountId": account,
        "AwsRegion": region,
    }


def sh_finding(control: str, account: str, region: str, rid: str, first: str, last: str) -> dict[str, Any]:
    return {
        "SchemaVersion": "2018-10-08",
        "Id": f"arn:aws:securityhub:{region}:{account}:security-control/{control}/finding/{rid[-8:]}",
        "ProductArn": f"arn:aws:securityhub:{region}::product/aws/securityhub",
        "GeneratorId": f"security-control/{control}",
        "AwsAccountId": account,
        "Region": region,
        "Types": ["Software and Configuration Checks/Industry and Regulatory Standards"],
        "FirstObservedAt": first,
        "LastObservedAt": last,
        "CreatedAt": first,
        "UpdatedAt": last,
        "Severity": {"Label": "HIGH"},
        "Title": f"{control} failed",
        "Description": "stubbed",
        "Resources": [{"Type": "AwsS3Bucket", "Id": rid, "Region": region, "Partition": "aws"}],
        "Compliance": {"Status": "FAILED", "SecurityControlId": control},
        "Workflow": {"Status": "NEW"},
        "RecordState": "ACTIVE",
    }


def gd_finding(fid: str, account: str, region: str, first: str, last: str) -> dict[str, Any]:
    return {
        "AccountId": account,
        "Arn": f"arn:aws:guardduty:{region}:{account}:detector/d1/finding/{fid}",
        "CreatedAt": first,
        "Id": fid,
        "Partition": "aws",
        "Region": region,
        "Resource": {"ResourceType": "Instance"},
        "SchemaVersion": "2.0",
        "Severity": 8.0,
        "Title": "EC2 instance is communicating with a known command and control server.",
        "Type": "Backdoor:EC2/C&CActivity.B",
        "UpdatedAt": last,
        "Service": {"Archived": False, "EventFirstSeen": first, "EventLastSeen": last, "Count": 3},
    }


def aa_analyzer(region: str) -> dict[str, Any]:
    return {
        "analyzers": [
            {
                "arn": f"arn:aws:access-analyzer:{region}:333333333333:analyzer/lz-organization",
                "name": "lz-organization",
                "type": "ORGANIZATION",
                "createdAt": ts("2026-11-01T08:00:00Z"),
                "status": "ACTIVE",
            }
        ]
    }


def aa_finding(account: str, resource: str, created: str, updated: str) -> dict[str, Any]:
    return {
        "id": "f-0001",
        "principal": {"AWS": "999999999999"},
        "action": ["s3:GetObject"],
        "resource": resource,
        "isPublic": False,
        "resourceType": "AWS::S3::Bucket",
        "condition": {},
        "createdAt": ts(created),
        "analyzedAt": ts(updated),
        "updatedAt": ts(updated),
        "status": "ACTIVE",
        "resourceOwnerAccount": account,
    }


def backup_job(
    account: str, region: str, resource: str, state: str, created: str, done: str
) -> dict[str, Any]:
    return {
        "AccountId": account,
        "BackupJobId": f"job-{account[-4:]}-{region}-{created[:10]}",
        "BackupVaultName": "lz-backup",
        "ResourceArn": resource,
        "CreationDate": ts(created),
        "CompletionDate": ts(done),
        "State": state,
        "ResourceType": "DynamoDB",
    }


def restore_job(account: str, region: str, status: str, created: str, done: str) -> dict[str, Any]:
    return {
        "AccountId": account,
        "RestoreJobId": f"restore-{account[-4:]}-{region}",
        "RecoveryPointArn": f"arn:aws:backup:{region}:{account}:recovery-point:rp-{account[-4:]}",
        "CreationDate": ts(created),
        "CompletionDate": ts(done),
        "Status": status,
        "ResourceType": "DynamoDB",
    }
