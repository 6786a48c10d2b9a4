"""Deploy-time intrinsics never yield COMPLIANT: they yield NON_COMPLIANT 'cannot be verified'."""

from __future__ import annotations

from typing import Any

import pytest
from rules_testkit import body, single, template

from bio2_aspects.rules import Result, get_rule

IF = {"Fn::If": ["IsProd", True, False]}
IF_STR = {"Fn::If": ["IsProd", "Enabled", "Suspended"]}
PARAM = {"Ref": "SomeParameter"}

CASES: list[tuple[str, dict[str, Any]]] = [
    ("BIO2-S3-Versioning", single("AWS::S3::Bucket", {"VersioningConfiguration": {"Status": IF_STR}})),
    (
        "BIO2-S3-PublicAccessBlock",
        single(
            "AWS::S3::Bucket",
            {
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": True,
                    "BlockPublicPolicy": IF,
                    "IgnorePublicAcls": True,
                    "RestrictPublicBuckets": True,
                }
            },
        ),
    ),
    ("BIO2-KMS-KeyRotation", single("AWS::KMS::Key", {"EnableKeyRotation": IF})),
    ("BIO2-KMS-KeyRotation", single("AWS::KMS::Key", {"EnableKeyRotation": PARAM})),
    ("BIO2-CloudTrail-MultiRegion", single("AWS::CloudTrail::Trail", {"IsMultiRegionTrail": IF})),
    (
        "BIO2-CloudTrail-KmsEncryption",
        single("AWS::CloudTrail::Trail", {"KMSKeyId": {"Fn::If": ["C", "k", {"Ref": "AWS::NoValue"}]}}),
    ),
    ("BIO2-Logs-Retention", single("AWS::Logs::LogGroup", {"RetentionInDays": {"Fn::If": ["C", 365, 7]}})),
    ("BIO2-Logs-Retention", single("AWS::Logs::LogGroup", {"RetentionInDays": PARAM})),
    ("BIO2-RDS-StorageEncrypted", single("AWS::RDS::DBInstance", {"StorageEncrypted": IF})),
    ("BIO2-RDS-NotPublic", single("AWS::RDS::DBInstance", {"PubliclyAccessible": IF})),
    (
        "BIO2-EC2-SgNoPublicAdminPorts",
        single(
            "AWS::EC2::SecurityGroup",
            {"SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": PARAM}]},
        ),
    ),
    (
        "BIO2-EC2-SgNoPublicAllTraffic",
        single("AWS::EC2::SecurityGroup", {"SecurityGroupIngress": {"Fn::If": ["C", [], []]}}),
    ),
    (
        "BIO2-ELB-TlsPolicy",
        single(
            "AWS::ElasticLoadBalancingV2::Listener",
            {
                "Protocol": "HTTPS",
                "SslPolicy": {
                    "Fn::If": ["C", "ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-2016-08"]
                },
            },
        ),
    ),
    (
        "BIO2-IAM-NoAdminStatement",
        single(
            "AWS::IAM::ManagedPolicy",
            {"PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": PARAM, "Resource": "*"}]}},
        ),
    ),
    ("BIO2-Lambda-SupportedRuntime", single("AWS::Lambda::Function", {"Runtime": PARAM})),
    (
        "BIO2-Tagging-Classification",
        single(
            "AWS::S3::Bucket",
            {
                "Tags": [
                    {"Key": "bio2:confidentiality", "Value": PARAM},
                    {"Key": "bio2:integrity", "Value": "x"},
                    {"Key": "bio2:availability", "Value": "x"},
                ]
            },
        ),
    ),
    ("BIO2-Tagging-Classification", single("AWS::S3::Bucket", {"Tags": IF})),
    (
        "BIO2-S3-TlsOnly",
        template(
            R=body("AWS::S3::Bucket"),
            P=body(
                "AWS::S3::BucketPolicy", {"Bucket": {"Ref": "R"}, "PolicyDocument": {"Fn::If": ["C", {}, {}]}}
            ),
        ),
    ),
    (
        "BIO2-DynamoDB-PointInTimeRecovery",
        single(
            "AWS::DynamoDB::Table", {"PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": IF}}
        ),
    ),
    (
        "BIO2-Backup-VaultLock",
        single(
            "AWS::Backup::BackupVault",
            {"LockConfiguration": {"MinRetentionDays": 7, "ChangeableForDays": PARAM}},
        ),
    ),
    (
        "BIO2-TransitGateway-NoDefaultAssociation",
        single("AWS::EC2::TransitGateway", {"DefaultRouteTableAssociation": PARAM}),
    ),
    (
        "BIO2-Retention-DeletionPolicy",
        single(
            "AWS::RDS::DBInstance",
            {"DBClusterIdentifier": {"Fn::If": ["C", "c", {"Ref": "AWS::NoValue"}]}},
            DeletionPolicy="Retain",
        ),
    ),
]


@pytest.mark.parametrize(("rule_id", "tpl"), CASES, ids=[f"{r}-{i}" for i, (r, _) in enumerate(CASES)])
def test_intrinsic_is_never_compliant(make_resource, rule_id: str, tpl: dict[str, Any]) -> None:
    result, detail = get_rule(rule_id).evaluate(make_resource(tpl))
    assert result is Result.NON_COMPLIANT
    assert detail.startswith("cannot be verified at synth time: "), detail


def test_references_to_keys_in_the_template_count_as_set(make_resource) -> None:
    """A Ref/GetAtt to an AWS::KMS::Key of the same template proves a customer managed key."""
    key = body("AWS::KMS::Key", {"EnableKeyRotation": True})
    for ref in ({"Fn::GetAtt": ["Key", "Arn"]}, {"Ref": "Key"}):
        tpl = template(R=body("AWS::Logs::LogGroup", {"KmsKeyId": ref}), Key=key)
        assert get_rule("BIO2-Logs-KmsEncryption").evaluate(make_resource(tpl))[0] is Result.COMPLIANT


def test_parameter_references_do_not_count_as_set(make_resource) -> None:
    """A Ref to a template parameter may name any key, an AWS managed one, or nothing at all."""
    tpl = single("AWS::Logs::LogGroup", {"KmsKeyId": PARAM})
    result, detail = get_rule("BIO2-Logs-KmsEncryption").evaluate(make_resource(tpl))
    assert result is Result.NON_COMPLIANT
    assert detail.startswith("cannot be verified at synth time")


def test_private_cidr_with_intrinsic_port_is_not_flagged(make_resource) -> None:
    tpl = single(
        "AWS::EC2::SecurityGroup",
        {
            "SecurityGroupIngress": [
                {"IpProtocol": "tcp", "FromPort": PARAM, "ToPort": PARAM, "CidrIp": "10.0.0.0/8"}
            ]
        },
    )
    assert get_rule("BIO2-EC2-SgNoPublicAdminPorts").evaluate(make_resource(tpl))[0] is Result.COMPLIANT


def test_definite_finding_wins_over_unverifiable_entry(make_resource) -> None:
    tpl = single(
        "AWS::EC2::SecurityGroup",
        {
            "SecurityGroupIngress": [
                {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": PARAM},
                {"IpProtocol": "tcp", "FromPort": 3389, "ToPort": 3389, "CidrIp": "0.0.0.0/0"},
            ]
        },
    )
    result, detail = get_rule("BIO2-EC2-SgNoPublicAdminPorts").evaluate(make_resource(tpl))
    assert result is Result.NON_COMPLIANT
    assert "3389" in detail


def test_literal_tls_deny_holds_next_to_a_conditional_statement(make_resource) -> None:
    """An explicit Deny cannot be overridden, so a conditional extra statement does not matter."""
    deny = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "sqs:*",
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    tpl = template(
        R=body("AWS::SQS::Queue"),
        P=body(
            "AWS::SQS::QueuePolicy",
            {"Queues": [{"Ref": "R"}], "PolicyDocument": {"Statement": [deny, {"Fn::If": ["C", {}, {}]}]}},
        ),
    )
    assert get_rule("BIO2-SQS-TlsOnly").evaluate(make_resource(tpl))[0] is Result.COMPLIANT


def test_conditional_statement_may_hide_a_public_allow(make_resource) -> None:
    tpl = single(
        "AWS::S3::BucketPolicy",
        {"Bucket": "b", "PolicyDocument": {"Statement": [{"Fn::If": ["C", {"Effect": "Allow"}, {}]}]}},
    )
    result, detail = get_rule("BIO2-S3-PolicyNoPublicAccess").evaluate(make_resource(tpl))
    assert result is Result.NON_COMPLIANT
    assert detail.startswith("cannot be verified at synth time")
