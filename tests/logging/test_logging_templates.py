"""The synthesized log archive, organization trail and SIEM queue of the default landing zone."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk.assertions import Match, Template
from logging_testkit import default_config as load_default_config
from logging_testkit import log_archive_stack, logical_id, management_stack

from landing_zone import naming
from landing_zone.logging import policies

pytestmark = pytest.mark.synth

STATEFUL = ("AWS::S3::Bucket", "AWS::KMS::Key", "AWS::Logs::LogGroup")


@pytest.fixture(scope="module")
def default_config() -> Any:
    return load_default_config()


@pytest.fixture(scope="module")
def archive(default_synth: Any, default_config: Any) -> dict[str, Any]:
    return default_synth.template(log_archive_stack(default_config))


@pytest.fixture(scope="module")
def management(default_synth: Any, default_config: Any) -> dict[str, Any]:
    return default_synth.template(management_stack(default_config))


def _resource(template: dict[str, Any], lid: str) -> dict[str, Any]:
    return template["Resources"][lid]


def test_organization_trail(management: dict[str, Any], default_config: Any) -> None:
    Template.from_json(management).has_resource_properties(
        "AWS::CloudTrail::Trail",
        {
            "TrailName": policies.TRAIL_NAME,
            "IsOrganizationTrail": True,
            "IsMultiRegionTrail": True,
            "IncludeGlobalServiceEvents": True,
            "EnableLogFileValidation": True,
            "IsLogging": True,
            "S3BucketName": naming.log_archive_bucket_name(default_config),
            "S3KeyPrefix": "cloudtrail",
            "KMSKeyId": naming.log_archive_key_arn_pattern(default_config),
            "AdvancedEventSelectors": Match.array_with(
                [
                    {
                        "Name": Match.any_value(),
                        "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}],
                    }
                ]
            ),
        },
    )
    Template.from_json(management).resource_count_is("AWS::CloudTrail::Trail", 1)


def test_trail_records_s3_and_lambda_data_events(management: dict[str, Any]) -> None:
    (trail,) = [r for r in management["Resources"].values() if r["Type"] == "AWS::CloudTrail::Trail"]
    types = {
        f["Equals"][0]
        for s in trail["Properties"]["AdvancedEventSelectors"]
        for f in s["FieldSelectors"]
        if f["Field"] == "resources.type"
    }
    assert types == {"AWS::S3::Object", "AWS::Lambda::Function"}


def test_log_bucket_is_write_once_versioned_and_retained(
    archive: dict[str, Any], default_synth: Any, default_config: Any
) -> None:
    lid = logical_id(default_synth, log_archive_stack(default_config), "/LogArchive/Bucket/Resource")
    bucket = _resource(archive, lid)
    props = bucket["Properties"]
    assert bucket["DeletionPolicy"] == bucket["UpdateReplacePolicy"] == "Retain"
    assert props["BucketName"] == naming.log_archive_bucket_name(default_config)
    assert props["ObjectLockEnabled"] is True
    assert props["ObjectLockConfiguration"] == {
        "ObjectLockEnabled": "Enabled",
        "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": default_config.logging.retention_days}},
    }
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert all(props["PublicAccessBlockConfiguration"].values())
    assert props["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    (sse,) = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert sse["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert {"Key": "bio2:purpose", "Value": "logs"} in props["Tags"]
    # lifecycle: colder storage, then expiry after the retention term
    rule = next(r for r in props["LifecycleConfiguration"]["Rules"] if "ExpirationInDays" in r)
    assert rule["ExpirationInDays"] == default_config.logging.retention_days
    assert [t["StorageClass"] for t in rule["Transitions"]] == ["GLACIER_IR", "DEEP_ARCHIVE"]
    # server access logs to the separate access-log bucket
    access = logical_id(default_synth, log_archive_stack(default_config), "/LogArchive/AccessLogs/Resource")
    assert props["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": access}


def test_every_stateful_logging_resource_is_retained(default_synth: Any, default_config: Any) -> None:
    found = 0
    for stack in (log_archive_stack(default_config), management_stack(default_config)):
        for cfn_type in STATEFUL:
            for _, lid, res in default_synth.resources(cfn_type, stack):
                found += 1
                assert res.get("DeletionPolicy") == "Retain", lid
                assert res.get("UpdateReplacePolicy") == "Retain", lid
    assert found >= 4  # archive key, SIEM queue key, log bucket, access-log bucket


def test_archive_key(archive: dict[str, Any], default_synth: Any, default_config: Any) -> None:
    lid = logical_id(default_synth, log_archive_stack(default_config), "/LogArchive/Key/Resource")
    key = _resource(archive, lid)
    assert key["Properties"]["EnableKeyRotation"] is True
    Template.from_json(archive).has_resource_properties(
        "AWS::KMS::Alias",
        {"AliasName": naming.LOG_ARCHIVE_KEY_ALIAS, "TargetKeyId": {"Fn::GetAtt": [lid, "Arn"]}},
    )
    statements = key["Properties"]["KeyPolicy"]["Statement"]
    services = {
        st["Principal"]["Service"]: st
        for st in statements
        if st["Effect"] == "Allow" and "Service" in st["Principal"]
    }
    assert set(services) == {
        "cloudtrail.amazonaws.com",
        "config.amazonaws.com",
        "delivery.logs.amazonaws.com",
        "logging.s3.amazonaws.com",
    }
    for st in statements:
        if st["Effect"] == "Allow" and st["Principal"] != {
            "AWS": f"arn:aws:iam::{naming.log_archive_account_id(default_config)}:root"
        }:
            assert st.get("Condition"), st["Sid"]  # every service and reader is pinned to this organization
    org = {"aws:SourceOrgID": default_config.logging.organization_id}
    assert services["config.amazonaws.com"]["Condition"]["StringEquals"] == org
    assert services["delivery.logs.amazonaws.com"]["Condition"]["StringEquals"] == org
    assert services["cloudtrail.amazonaws.com"]["Condition"]["StringEquals"] == {
        "aws:SourceArn": policies.trail_arn(default_config)
    }
    denies = {st["Sid"]: st for st in statements if st["Effect"] == "Deny"}
    # disabling or deleting the log archive key: break-glass only, unconditionally (no pattern)
    destruction = denies["DenyKeyDestruction"]
    assert "kms:ScheduleKeyDeletion" in destruction["Action"] and "kms:DisableKey" in destruction["Action"]
    account = naming.log_archive_account_id(default_config)
    assert destruction["Condition"] == {
        "ArnNotEquals": {"aws:PrincipalArn": f"arn:aws:iam::{account}:role/lz-break-glass"}
    }
    assert denies["DenyGrantsToNonAwsServices"]["Condition"] == {
        "BoolIfExists": {"kms:GrantIsForAWSResource": "false", "aws:PrincipalIsAWSService": "false"}
    }
    assert "role/cdk-" not in str(denies)


def _bucket_policy(template: dict[str, Any], bucket_lid: str) -> list[dict[str, Any]]:
    (policy,) = [
        r
        for r in template["Resources"].values()
        if r["Type"] == "AWS::S3::BucketPolicy" and r["Properties"]["Bucket"] == {"Ref": bucket_lid}
    ]
    return policy["Properties"]["PolicyDocument"]["Statement"]


def test_log_bucket_policy_admits_only_the_organization(
    archive: dict[str, Any], default_synth: Any, default_config: Any
) -> None:
    lid = logical_id(default_synth, log_archive_stack(default_config), "/LogArchive/Bucket/Resource")
    statements = _bucket_policy(archive, lid)
    tls = [st for st in statements if st["Effect"] == "Deny" and "aws:SecureTransport" in json.dumps(st)]
    assert tls and tls[0]["Action"] == "s3:*"
    for st in statements:
        if st["Effect"] == "Allow":
            assert st.get("Condition"), st.get("Sid")
    by_sid = {st.get("Sid"): st for st in statements}
    bucket = f"arn:aws:s3:::{naming.log_archive_bucket_name(default_config)}"
    assert by_sid["ConfigDelivery"]["Resource"] == f"{bucket}/config/AWSLogs/*/Config/*"
    assert by_sid["LogDeliveryWrite"]["Resource"] == [
        f"{bucket}/flow-logs/AWSLogs/*",
        f"{bucket}/network-firewall/AWSLogs/*",
    ]
    for sid in ("CloudTrailOrganizationWrite", "ConfigDelivery", "LogDeliveryWrite"):
        assert by_sid[sid]["Condition"]["StringEquals"]["s3:x-amz-acl"] == "bucket-owner-full-control"
    org_id = default_config.logging.organization_id
    assert f"{bucket}/cloudtrail/AWSLogs/{org_id}/*" in by_sid["CloudTrailOrganizationWrite"]["Resource"]
    assert by_sid["ConfigDelivery"]["Condition"]["StringEquals"]["aws:SourceOrgID"] == org_id
    guard = by_sid["DenyConfigurationChangesOutsideThePlatform"]
    assert guard["Effect"] == "Deny" and "s3:PutBucketObjectLockConfiguration" in guard["Action"]


def test_access_log_bucket_is_hardened(
    archive: dict[str, Any], default_synth: Any, default_config: Any
) -> None:
    lid = logical_id(default_synth, log_archive_stack(default_config), "/LogArchive/AccessLogs/Resource")
    props = _resource(archive, lid)["Properties"]
    assert props["BucketName"] == naming.access_log_bucket_name(default_config)
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert all(props["PublicAccessBlockConfiguration"].values())
    statements = _bucket_policy(archive, lid)
    by_sid = {st.get("Sid"): st for st in statements}
    assert by_sid["DenyDeletingAccessLogs"]["Effect"] == "Deny"
    delivery = by_sid["S3ServerAccessLogsDelivery"]
    assert delivery["Principal"] == {"Service": "logging.s3.amazonaws.com"}
    assert (
        delivery["Condition"]["ArnLike"]["aws:SourceArn"]
        == f"arn:aws:s3:::{naming.log_archive_bucket_name(default_config)}"
    )


def test_siem_queue(archive: dict[str, Any], default_synth: Any, default_config: Any) -> None:
    stack = log_archive_stack(default_config)
    queue = logical_id(default_synth, stack, "/SiemExport/Queue/Resource")
    dlq = logical_id(default_synth, stack, "/SiemExport/DeadLetterQueue/Resource")
    props = _resource(archive, queue)["Properties"]
    assert props["KmsMasterKeyId"]
    assert props["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [dlq, "Arn"]},
        "maxReceiveCount": 5,
    }
    assert _resource(archive, dlq)["Properties"]["KmsMasterKeyId"]
    bucket = logical_id(default_synth, stack, "/LogArchive/Bucket/Resource")
    notification = _resource(archive, bucket)["Properties"]["NotificationConfiguration"]
    assert notification["QueueConfigurations"] == [
        {"Event": "s3:ObjectCreated:*", "Queue": {"Fn::GetAtt": [queue, "Arn"]}}
    ]
    reader = default_config.logging.siem.reader_arn
    for lid in (queue, dlq):
        (policy,) = [
            r["Properties"]["PolicyDocument"]["Statement"]
            for r in archive["Resources"].values()
            if r["Type"] == "AWS::SQS::QueuePolicy" and {"Ref": lid} in r["Properties"]["Queues"]
        ]
        assert any(st["Effect"] == "Deny" and "aws:SecureTransport" in json.dumps(st) for st in policy)
        reads = [st for st in policy if st.get("Sid") == "SiemReads"]
        assert reads and reads[0]["Condition"] == {"ArnEquals": {"aws:PrincipalArn": reader}}


def test_trail_is_deployed_after_the_log_archive(default_synth: Any, default_config: Any) -> None:
    management = default_synth.stack_artifacts()[management_stack(default_config)]
    assert log_archive_stack(default_config) in management["dependencies"]


def test_no_open_error_in_the_logging_resources(default_synth: Any, default_config: Any) -> None:
    mine = (log_archive_stack(default_config), management_stack(default_config))
    logging_lids = {
        r["logical_id"]
        for r in default_synth.manifest["resources"]
        if r["stack"] in mine
        and any(p in (r["path"] or "") for p in ("/LogArchive/", "/OrganizationTrail/", "/SiemExport/"))
    }
    assert logging_lids
    open_errors = [
        v for v in default_synth.open_errors() if v["stack"] in mine and v["logical_id"] in logging_lids
    ]
    assert open_errors == []


def test_accepted_risks_are_the_documented_ones(default_synth: Any, default_config: Any) -> None:
    stack = log_archive_stack(default_config)
    access = logical_id(default_synth, stack, "/LogArchive/AccessLogs/Resource")
    accepted = {
        (v["logical_id"], v["rule"])
        for v in default_synth.manifest["violations"]
        if v["acknowledged"]
        and v["stack"] in (stack, management_stack(default_config))
        and v["rule"].startswith(("BIO2-S3", "BIO2-CloudTrail", "BIO2-KMS", "BIO2-SQS"))
    }
    assert accepted == {
        (access, "BIO2-S3-LogBucketObjectLock"),
        (access, "BIO2-S3-AccessLogging"),
        (access, "BIO2-S3-LogRetentionThreeYears"),
    }
