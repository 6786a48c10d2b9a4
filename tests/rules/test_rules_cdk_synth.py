"""The rules read real CDK output correctly: secure L2 constructs pass, insecure ones fail."""

from __future__ import annotations

import pytest
from rules_testkit import stack_from

from bio2_aspects.rules import Result, get_rule

pytestmark = pytest.mark.synth


@pytest.fixture(scope="module")
def synthesized() -> dict:
    cdk = pytest.importorskip("aws_cdk")
    from aws_cdk import aws_ec2 as ec2
    from aws_cdk import aws_iam as iam
    from aws_cdk import aws_kms as kms
    from aws_cdk import aws_logs as logs
    from aws_cdk import aws_s3 as s3
    from aws_cdk import aws_sns as sns
    from aws_cdk import aws_sqs as sqs
    from aws_cdk.assertions import Template

    app = cdk.App()
    stack = cdk.Stack(app, "RulesSynth")
    key = kms.Key(stack, "Key", enable_key_rotation=True, removal_policy=cdk.RemovalPolicy.RETAIN)
    log_bucket = s3.Bucket(
        stack,
        "LogBucket",
        encryption=s3.BucketEncryption.KMS,
        encryption_key=key,
        enforce_ssl=True,
        versioned=True,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        object_lock_enabled=True,
        object_lock_default_retention=s3.ObjectLockRetention.compliance(cdk.Duration.days(1096)),
    )
    s3.Bucket(
        stack,
        "Data",
        encryption=s3.BucketEncryption.KMS_MANAGED,
        enforce_ssl=True,
        versioned=True,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        server_access_logs_bucket=log_bucket,
    )
    s3.Bucket(stack, "Plain")
    vpc = ec2.Vpc(
        stack,
        "Vpc",
        max_azs=1,
        nat_gateways=0,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="iso", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
        ],
        restrict_default_security_group=True,
        flow_logs={"all": ec2.FlowLogOptions(destination=ec2.FlowLogDestination.to_s3(log_bucket))},
    )
    open_sg = ec2.SecurityGroup(stack, "OpenSg", vpc=vpc)
    open_sg.add_ingress_rule(ec2.Peer.any_ipv4(), ec2.Port.tcp(22))
    ec2.LaunchTemplate(stack, "Lt", require_imdsv2=True)
    sns.Topic(stack, "Topic", enforce_ssl=True, master_key=key)
    sqs.Queue(stack, "Queue", enforce_ssl=True, encryption=sqs.QueueEncryption.KMS, encryption_master_key=key)
    logs.LogGroup(stack, "Logs", retention=logs.RetentionDays.ONE_YEAR, encryption_key=key)
    iam.Role(
        stack,
        "Admin",
        assumed_by=iam.AccountRootPrincipal(),
        managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("AdministratorAccess")],
    )
    return Template.from_stack(stack).to_json()


def _find(template: dict, prefix: str, cfn_type: str) -> str:
    for logical_id, body in template["Resources"].items():
        if logical_id.startswith(prefix) and body["Type"] == cfn_type:
            return logical_id
    raise AssertionError(f"no {cfn_type} starting with {prefix}")


EXPECTED = [
    ("LogBucket", "AWS::S3::Bucket", "BIO2-S3-KmsEncryption", Result.COMPLIANT),
    ("LogBucket", "AWS::S3::Bucket", "BIO2-S3-TlsOnly", Result.COMPLIANT),
    ("LogBucket", "AWS::S3::Bucket", "BIO2-S3-LogBucketObjectLock", Result.COMPLIANT),
    ("LogBucket", "AWS::S3::Bucket", "BIO2-Retention-DeletionPolicy", Result.COMPLIANT),
    ("Data", "AWS::S3::Bucket", "BIO2-S3-AccessLogging", Result.COMPLIANT),
    ("Data", "AWS::S3::Bucket", "BIO2-S3-PublicAccessBlock", Result.COMPLIANT),
    ("Data", "AWS::S3::Bucket", "BIO2-S3-LogBucketObjectLock", Result.NOT_APPLICABLE),
    ("Plain", "AWS::S3::Bucket", "BIO2-S3-TlsOnly", Result.NON_COMPLIANT),
    ("Plain", "AWS::S3::Bucket", "BIO2-S3-Versioning", Result.NON_COMPLIANT),
    ("Key", "AWS::KMS::Key", "BIO2-KMS-KeyRotation", Result.COMPLIANT),
    ("Key", "AWS::KMS::Key", "BIO2-KMS-NoPublicKeyPolicy", Result.COMPLIANT),
    ("Vpc", "AWS::EC2::VPC", "BIO2-EC2-VpcFlowLogs", Result.COMPLIANT),
    ("Vpc", "AWS::EC2::VPC", "BIO2-EC2-DefaultSgRestricted", Result.COMPLIANT),
    ("OpenSg", "AWS::EC2::SecurityGroup", "BIO2-EC2-SgNoPublicAdminPorts", Result.NON_COMPLIANT),
    ("Lt", "AWS::EC2::LaunchTemplate", "BIO2-EC2-LaunchTemplateImdsv2", Result.COMPLIANT),
    ("Topic", "AWS::SNS::Topic", "BIO2-SNS-TlsOnly", Result.COMPLIANT),
    ("Topic", "AWS::SNS::Topic", "BIO2-SNS-KmsEncryption", Result.COMPLIANT),
    ("Queue", "AWS::SQS::Queue", "BIO2-SQS-TlsOnly", Result.COMPLIANT),
    ("Queue", "AWS::SQS::Queue", "BIO2-SQS-Encryption", Result.COMPLIANT),
    ("Logs", "AWS::Logs::LogGroup", "BIO2-Logs-Retention", Result.COMPLIANT),
    ("Logs", "AWS::Logs::LogGroup", "BIO2-Logs-KmsEncryption", Result.COMPLIANT),
    ("Admin", "AWS::IAM::Role", "BIO2-IAM-TrustNoWildcard", Result.COMPLIANT),
    ("Admin", "AWS::IAM::Role", "BIO2-IAM-NoAdminManagedPolicy", Result.NON_COMPLIANT),
]


@pytest.mark.parametrize(
    ("prefix", "cfn_type", "rule_id", "expected"), EXPECTED, ids=[f"{e[0]}-{e[2]}" for e in EXPECTED]
)
def test_cdk_output(synthesized: dict, prefix: str, cfn_type: str, rule_id: str, expected: Result) -> None:
    stack = stack_from(synthesized)
    resource = stack.get(_find(synthesized, prefix, cfn_type))
    result, detail = get_rule(rule_id).evaluate(resource)
    assert result is expected, detail
