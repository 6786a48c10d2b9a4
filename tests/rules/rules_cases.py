"""Table of rule cases: for every rule at least one compliant and one non-compliant template.

``test_rules_cases.py`` runs every case and fails when a rule in ``ALL_RULES`` lacks a
compliant or a non-compliant case. Templates are minimal synthesized-template shapes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from rules_testkit import body, single, template

from bio2_aspects.rules import Result

C = Result.COMPLIANT
N = Result.NON_COMPLIANT
NA = Result.NOT_APPLICABLE

CLASSIFIED = [
    {"Key": "bio2:confidentiality", "Value": "medium"},
    {"Key": "bio2:integrity", "Value": "high"},
    {"Key": "bio2:availability", "Value": "low"},
]


@dataclass(frozen=True)
class Case:
    rule_id: str
    expected: Result
    template: dict[str, Any]
    target: str = "R"
    note: str = ""
    detail_contains: str = ""
    id: str = field(default="", compare=False)


CASES: list[Case] = []


def case(
    rule_id: str,
    expected: Result,
    tpl: dict[str, Any],
    note: str,
    *,
    target: str = "R",
    detail: str = "",
) -> None:
    CASES.append(Case(rule_id, expected, tpl, target, note, detail, id=f"{rule_id}:{expected.value}:{note}"))


def _gatt(logical_id: str, attr: str = "Arn") -> dict[str, Any]:
    return {"Fn::GetAtt": [logical_id, attr]}


def _ref(logical_id: str) -> dict[str, str]:
    return {"Ref": logical_id}


IF = {"Fn::If": ["IsProd", True, False]}
#: CDK's AccessLogFormat.json_with_standard_fields() and clf(), as they render.
APIGW_JSON_FORMAT = (
    '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","user":"$context.identity.user",'
    '"caller":"$context.identity.caller","requestTime":"$context.requestTime",'
    '"httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath","status":"$context.status",'
    '"protocol":"$context.protocol","responseLength":"$context.responseLength"}'
)
APIGW_CLF_FORMAT = (
    "$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] "
    '"$context.httpMethod $context.resourcePath $context.protocol" $context.status '
    "$context.responseLength $context.requestId"
)
CMK = body("AWS::KMS::Key", {"EnableKeyRotation": True})


def with_key(tpl: dict[str, Any]) -> dict[str, Any]:
    """``tpl`` plus a customer managed key ``K`` that ``_gatt("K")`` / ``_ref("K")`` point at."""
    return {"Resources": {**tpl["Resources"], "K": CMK}}


# ----------------------------------------------------------------------------------- S3

BUCKET = "AWS::S3::Bucket"

case(
    "BIO2-S3-KmsEncryption",
    C,
    single(
        BUCKET,
        {
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {
                        "ServerSideEncryptionByDefault": {
                            "SSEAlgorithm": "aws:kms",
                            "KMSMasterKeyID": _gatt("K"),
                        }
                    }
                ]
            }
        },
    ),
    "sse-kms",
)
case(
    "BIO2-S3-KmsEncryption",
    C,
    single(
        BUCKET,
        {
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms:dsse"}}
                ]
            }
        },
    ),
    "dsse-kms",
)
case(
    "BIO2-S3-KmsEncryption",
    N,
    single(
        BUCKET,
        {
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                ]
            }
        },
    ),
    "sse-s3",
    detail="AES256",
)
case("BIO2-S3-KmsEncryption", N, single(BUCKET), "no encryption block")
case(
    "BIO2-S3-KmsEncryption",
    N,
    single(BUCKET, {"BucketEncryption": {"Fn::If": ["C", {"ServerSideEncryptionConfiguration": []}, {}]}}),
    "conditional block",
    detail="cannot be verified at synth time",
)

case("BIO2-S3-Versioning", C, single(BUCKET, {"VersioningConfiguration": {"Status": "Enabled"}}), "enabled")
case(
    "BIO2-S3-Versioning", N, single(BUCKET, {"VersioningConfiguration": {"Status": "Suspended"}}), "suspended"
)
case("BIO2-S3-Versioning", N, single(BUCKET), "absent")

PAB_ALL = {
    "BlockPublicAcls": True,
    "BlockPublicPolicy": True,
    "IgnorePublicAcls": True,
    "RestrictPublicBuckets": True,
}
case("BIO2-S3-PublicAccessBlock", C, single(BUCKET, {"PublicAccessBlockConfiguration": PAB_ALL}), "all four")
case(
    "BIO2-S3-PublicAccessBlock",
    C,
    single(BUCKET, {"PublicAccessBlockConfiguration": {k: "true" for k in PAB_ALL}}),
    "string booleans",
)
case(
    "BIO2-S3-PublicAccessBlock",
    N,
    single(BUCKET, {"PublicAccessBlockConfiguration": {**PAB_ALL, "RestrictPublicBuckets": False}}),
    "one false",
    detail="RestrictPublicBuckets",
)
case("BIO2-S3-PublicAccessBlock", N, single(BUCKET), "absent")

TLS_DENY = {
    "Effect": "Deny",
    "Principal": {"AWS": "*"},
    "Action": "s3:*",
    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    "Resource": [_gatt("R"), {"Fn::Join": ["", [_gatt("R"), "/*"]]}],
}


def _bucket_with_policy(*statements: dict[str, Any], bucket_ref: Any = None) -> dict[str, Any]:
    return template(
        R=body(BUCKET),
        P=body(
            "AWS::S3::BucketPolicy",
            {"Bucket": bucket_ref or _ref("R"), "PolicyDocument": {"Statement": list(statements)}},
        ),
    )


case("BIO2-S3-TlsOnly", C, _bucket_with_policy(TLS_DENY), "cdk enforce_ssl shape")
case(
    "BIO2-S3-TlsOnly",
    C,
    template(
        R=body(BUCKET, {"BucketName": "my-bucket"}),
        P=body(
            "AWS::S3::BucketPolicy",
            {
                "Bucket": "my-bucket",
                "PolicyDocument": {
                    "Statement": [{**TLS_DENY, "Principal": "*", "Resource": "arn:aws:s3:::my-bucket/*"}]
                },
            },
        ),
    ),
    "literal bucket name",
)
case("BIO2-S3-TlsOnly", N, single(BUCKET), "no policy")
case(
    "BIO2-S3-TlsOnly",
    N,
    _bucket_with_policy({**TLS_DENY, "Resource": _gatt("R")}),
    "bucket only, not objects",
    detail="/*",
)
case(
    "BIO2-S3-TlsOnly",
    N,
    _bucket_with_policy({**TLS_DENY, "Action": "s3:GetObject"}),
    "only some actions",
)
case(
    "BIO2-S3-TlsOnly",
    N,
    template(
        R=body(BUCKET),
        Other=body(BUCKET),
        P=body(
            "AWS::S3::BucketPolicy", {"Bucket": _ref("Other"), "PolicyDocument": {"Statement": [TLS_DENY]}}
        ),
    ),
    "policy belongs to another bucket",
)

case(
    "BIO2-S3-AccessLogging",
    C,
    template(
        R=body(BUCKET, {"LoggingConfiguration": {"DestinationBucketName": _ref("Logs")}}),
        Logs=body(BUCKET),
    ),
    "logs to another bucket",
)
case("BIO2-S3-AccessLogging", N, single(BUCKET), "no logging")
case(
    "BIO2-S3-AccessLogging",
    N,
    single(BUCKET, {"LoggingConfiguration": {}}),
    "no destination means itself",
    detail="itself",
)
case(
    "BIO2-S3-AccessLogging",
    N,
    single(BUCKET, {"LoggingConfiguration": {"DestinationBucketName": _ref("R")}}),
    "logs to itself",
    detail="itself",
)
case(
    "BIO2-S3-AccessLogging",
    N,
    template(
        R=body(BUCKET),
        Source=body(BUCKET, {"LoggingConfiguration": {"DestinationBucketName": _ref("R")}}),
    ),
    "access-log target bucket is still checked",
)

LOCKED = {
    "ObjectLockEnabled": True,
    "ObjectLockConfiguration": {
        "ObjectLockEnabled": "Enabled",
        "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Years": 3}},
    },
}
TRAIL_TO_R = body(
    "AWS::CloudTrail::Trail",
    {"S3BucketName": _ref("R"), "IsLogging": True},
)
case(
    "BIO2-S3-LogBucketObjectLock",
    C,
    template(R=body(BUCKET, LOCKED), Trail=TRAIL_TO_R),
    "trail bucket locked",
)
case(
    "BIO2-S3-LogBucketObjectLock",
    N,
    template(R=body(BUCKET), Trail=TRAIL_TO_R),
    "trail bucket without lock",
    detail="CloudTrail",
)
case(
    "BIO2-S3-LogBucketObjectLock",
    N,
    template(
        R=body(
            BUCKET,
            {
                **LOCKED,
                "ObjectLockConfiguration": {
                    "ObjectLockEnabled": "Enabled",
                    "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 400}},
                },
            },
        ),
        Flow=body(
            "AWS::EC2::FlowLog",
            {"LogDestination": _gatt("R"), "LogDestinationType": "s3", "ResourceId": _ref("V")},
        ),
    ),
    "flow log bucket in governance mode",
    detail="GOVERNANCE",
)
case(
    "BIO2-S3-LogBucketObjectLock",
    N,
    single(BUCKET, {"Tags": [{"Key": "bio2:purpose", "Value": "logs"}]}),
    "tagged as log bucket",
    detail="bio2:purpose",
)
case(
    "BIO2-S3-LogBucketObjectLock",
    N,
    template(
        R=body(BUCKET),
        Src=body(BUCKET, {"LoggingConfiguration": {"DestinationBucketName": _ref("R")}}),
    ),
    "server access log target",
)
case(
    "BIO2-S3-LogBucketObjectLock",
    N,
    template(
        R=body(BUCKET, {"BucketName": "org-config-logs"}),
        Ch=body("AWS::Config::DeliveryChannel", {"S3BucketName": "org-config-logs"}),
    ),
    "config channel by literal name",
)
case("BIO2-S3-LogBucketObjectLock", NA, single(BUCKET), "ordinary data bucket")
case(
    "BIO2-S3-LogBucketObjectLock",
    NA,
    template(
        R=body(BUCKET),
        Dist=body(
            "AWS::CloudFront::Distribution",
            {"DistributionConfig": {"Origins": [{"DomainName": _gatt("R", "RegionalDomainName")}]}},
        ),
    ),
    "cloudfront origin bucket is not a log bucket",
)

case(
    "BIO2-S3-PolicyNoPublicAccess",
    C,
    single(
        "AWS::S3::BucketPolicy",
        {
            "Bucket": "b",
            "PolicyDocument": {
                "Statement": [
                    TLS_DENY,
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "cloudtrail.amazonaws.com"},
                        "Action": "s3:PutObject",
                    },
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-123"}},
                    },
                ]
            },
        },
    ),
    "service principal and org-restricted wildcard",
)
case(
    "BIO2-S3-PolicyNoPublicAccess",
    N,
    single(
        "AWS::S3::BucketPolicy",
        {
            "Bucket": "b",
            "PolicyDocument": {
                "Statement": [
                    {"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}
                ]
            },
        },
    ),
    "public read",
    detail="Public",
)
case(
    "BIO2-S3-PolicyNoPublicAccess",
    N,
    single(
        "AWS::S3::BucketPolicy",
        {
            "Bucket": "b",
            "PolicyDocument": {
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": ["*"]},
                        "Action": "s3:GetObject",
                        "Condition": {"Bool": {"aws:SecureTransport": "true"}},
                    }
                ]
            },
        },
    ),
    "non-restricting condition",
)

# ---------------------------------------------------------------------------------- KMS

KEY = "AWS::KMS::Key"
ROOT = {"Fn::Join": ["", ["arn:", _ref("AWS::Partition"), ":iam::", _ref("AWS::AccountId"), ":root"]]}

case("BIO2-KMS-KeyRotation", C, single(KEY, {"EnableKeyRotation": True}), "rotation on")
case("BIO2-KMS-KeyRotation", N, single(KEY), "rotation absent")
case("BIO2-KMS-KeyRotation", N, single(KEY, {"EnableKeyRotation": "false"}), "rotation false")
case(
    "BIO2-KMS-KeyRotation", NA, single(KEY, {"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"}), "asymmetric"
)
case("BIO2-KMS-KeyRotation", NA, single(KEY, {"Origin": "EXTERNAL"}), "imported material")

case(
    "BIO2-KMS-NoPublicKeyPolicy",
    C,
    single(
        KEY,
        {
            "KeyPolicy": {
                "Statement": [
                    {"Effect": "Allow", "Principal": {"AWS": ROOT}, "Action": "kms:*", "Resource": "*"},
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": "*"},
                        "Action": "kms:Decrypt",
                        "Resource": "*",
                        "Condition": {"StringEquals": {"kms:CallerAccount": "111111111111"}},
                    },
                ]
            }
        },
    ),
    "account root and caller-account condition",
)
case("BIO2-KMS-NoPublicKeyPolicy", C, single(KEY), "default key policy")
case(
    "BIO2-KMS-NoPublicKeyPolicy",
    N,
    single(
        KEY,
        {"KeyPolicy": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*"}]}},
    ),
    "open to all",
)
case(
    "BIO2-KMS-NoPublicKeyPolicy",
    N,
    single(
        KEY,
        {"KeyPolicy": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": _ref("ParamPrincipal")}}]}},
    ),
    "principal from a parameter",
    detail="cannot be verified at synth time",
)

# --------------------------------------------------------------------------- CloudTrail

TRAIL = "AWS::CloudTrail::Trail"
case("BIO2-CloudTrail-MultiRegion", C, single(TRAIL, {"IsMultiRegionTrail": True}), "multi-region")
case("BIO2-CloudTrail-MultiRegion", N, single(TRAIL, {"IsMultiRegionTrail": False}), "single region")
case(
    "BIO2-CloudTrail-MultiRegion",
    N,
    single(TRAIL, {"IsMultiRegionTrail": True, "IncludeGlobalServiceEvents": False}),
    "global events excluded",
)
case("BIO2-CloudTrail-LogFileValidation", C, single(TRAIL, {"EnableLogFileValidation": True}), "on")
case("BIO2-CloudTrail-LogFileValidation", N, single(TRAIL), "absent")
case("BIO2-CloudTrail-KmsEncryption", C, with_key(single(TRAIL, {"KMSKeyId": _gatt("K")})), "key set")
case("BIO2-CloudTrail-KmsEncryption", N, single(TRAIL, {"KMSKeyId": ""}), "empty")
case("BIO2-CloudTrail-IsLogging", C, single(TRAIL, {"IsLogging": True}), "logging")
case("BIO2-CloudTrail-IsLogging", N, single(TRAIL, {"IsLogging": False}), "stopped")
case(
    "BIO2-CloudTrail-CloudWatchLogs",
    C,
    single(TRAIL, {"CloudWatchLogsLogGroupArn": _gatt("G"), "CloudWatchLogsRoleArn": _gatt("Role")}),
    "delivers to CloudWatch",
)
case(
    "BIO2-CloudTrail-CloudWatchLogs",
    N,
    single(TRAIL, {"CloudWatchLogsLogGroupArn": _gatt("G")}),
    "no role",
    detail="CloudWatchLogsRoleArn",
)

# ------------------------------------------------------------------------------ Config

RECORDER = "AWS::Config::ConfigurationRecorder"
case(
    "BIO2-Config-RecordAllTypes",
    C,
    single(RECORDER, {"RecordingGroup": {"AllSupported": True, "IncludeGlobalResourceTypes": True}}),
    "all supported",
)
case(
    "BIO2-Config-RecordAllTypes",
    C,
    single(RECORDER, {"RecordingGroup": {"RecordingStrategy": {"UseOnly": "ALL_SUPPORTED_RESOURCE_TYPES"}}}),
    "strategy all supported",
)
case(
    "BIO2-Config-RecordAllTypes",
    N,
    single(RECORDER, {"RecordingGroup": {"AllSupported": False, "ResourceTypes": ["AWS::S3::Bucket"]}}),
    "selected types",
)
case(
    "BIO2-Config-RecordAllTypes",
    N,
    single(
        RECORDER,
        {
            "RecordingGroup": {
                "RecordingStrategy": {"UseOnly": "EXCLUSION_BY_RESOURCE_TYPES"},
                "ExclusionByResourceTypes": {"ResourceTypes": ["AWS::EC2::NetworkInterface"]},
            }
        },
    ),
    "exclusions",
    detail="AWS::EC2::NetworkInterface",
)
case("BIO2-Config-RecordAllTypes", N, single(RECORDER), "implicit group")
case(
    "BIO2-Config-DeliveryChannel",
    C,
    template(R=body(RECORDER), Ch=body("AWS::Config::DeliveryChannel", {"S3BucketName": _ref("B")})),
    "channel present",
)
case("BIO2-Config-DeliveryChannel", N, single(RECORDER), "no channel")
case(
    "BIO2-Config-GlobalResources",
    C,
    single(RECORDER, {"RecordingGroup": {"AllSupported": True, "IncludeGlobalResourceTypes": True}}),
    "global types",
)
case(
    "BIO2-Config-GlobalResources",
    N,
    single(RECORDER, {"RecordingGroup": {"AllSupported": True}}),
    "no global types",
)

# -------------------------------------------------------------------------------- Logs

LOG_GROUP = "AWS::Logs::LogGroup"
case("BIO2-Logs-Retention", C, single(LOG_GROUP, {"RetentionInDays": 365}), "one year")
case("BIO2-Logs-Retention", C, single(LOG_GROUP, {"RetentionInDays": "1096"}), "three years as string")
case("BIO2-Logs-Retention", N, single(LOG_GROUP, {"RetentionInDays": 30}), "30 days", detail="30")
case("BIO2-Logs-Retention", N, single(LOG_GROUP), "never expires", detail="not set")
case("BIO2-Logs-KmsEncryption", C, with_key(single(LOG_GROUP, {"KmsKeyId": _gatt("K")})), "key")
case("BIO2-Logs-KmsEncryption", N, single(LOG_GROUP), "no key")

# --------------------------------------------------------------------------------- IAM

ADMIN_STATEMENT = {"Effect": "Allow", "Action": "*", "Resource": "*"}
SCOPED_STATEMENT = {
    "Effect": "Allow",
    "Action": ["s3:GetObject"],
    "Resource": {"Fn::Join": ["", [_gatt("B"), "/*"]]},
}

case(
    "BIO2-IAM-NoAdminStatement",
    C,
    single("AWS::IAM::Policy", {"PolicyName": "p", "PolicyDocument": {"Statement": [SCOPED_STATEMENT]}}),
    "scoped",
)
case(
    "BIO2-IAM-NoAdminStatement",
    C,
    single(
        "AWS::IAM::ManagedPolicy",
        {"PolicyDocument": {"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}},
    ),
    "deny-all is fine",
)
case(
    "BIO2-IAM-NoAdminStatement",
    N,
    single("AWS::IAM::ManagedPolicy", {"PolicyDocument": {"Statement": [ADMIN_STATEMENT]}}),
    "admin managed policy",
)
case(
    "BIO2-IAM-NoAdminStatement",
    N,
    single(
        "AWS::SSO::PermissionSet",
        {
            "Name": "x",
            "InstanceArn": "arn",
            "InlinePolicy": '{"Statement":[{"Effect":"Allow","Action":"*:*","Resource":["*"]}]}',
        },
    ),
    "permission set inline JSON string",
)
case(
    "BIO2-IAM-NoInlineAdmin",
    C,
    single(
        "AWS::IAM::Role",
        {"Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [SCOPED_STATEMENT]}}]},
    ),
    "scoped inline",
)
case(
    "BIO2-IAM-NoInlineAdmin",
    N,
    single(
        "AWS::IAM::Group",
        {"Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [ADMIN_STATEMENT]}}]},
    ),
    "group inline admin",
)
ADMIN_ARN = {"Fn::Join": ["", ["arn:", _ref("AWS::Partition"), ":iam::aws:policy/AdministratorAccess"]]}
case(
    "BIO2-IAM-NoAdminManagedPolicy",
    C,
    template(
        R=body(
            "AWS::IAM::Role",
            {
                "ManagedPolicyArns": [
                    {"Fn::Join": ["", ["arn:", _ref("AWS::Partition"), ":iam::aws:policy/ReadOnlyAccess"]]},
                    _ref("MP"),
                ]
            },
        ),
        MP=body("AWS::IAM::ManagedPolicy", {"PolicyDocument": {"Statement": [SCOPED_STATEMENT]}}),
    ),
    "read-only and local managed policy",
)
case(
    "BIO2-IAM-NoAdminManagedPolicy",
    N,
    single("AWS::IAM::Role", {"ManagedPolicyArns": [ADMIN_ARN]}),
    "AdministratorAccess via Fn::Join",
)
case(
    "BIO2-IAM-NoAdminManagedPolicy",
    N,
    single(
        "AWS::SSO::PermissionSet",
        {"ManagedPolicies": ["arn:aws:iam::aws:policy/AdministratorAccess"]},
    ),
    "permission set admin",
)
case(
    "BIO2-IAM-NoAdminManagedPolicy",
    N,
    single("AWS::IAM::User", {"ManagedPolicyArns": [{"Fn::ImportValue": "SharedPolicyArn"}]}),
    "imported ARN cannot be verified",
    detail="cannot be verified at synth time",
)
case("BIO2-IAM-NoConsoleUser", C, single("AWS::IAM::User", {"UserName": "ci"}), "no login profile")
case(
    "BIO2-IAM-NoConsoleUser",
    N,
    single("AWS::IAM::User", {"LoginProfile": {"Password": "x", "PasswordResetRequired": True}}),
    "console password",
)
case(
    "BIO2-IAM-NoAccessKeys",
    C,
    single("AWS::IAM::AccessKey", {"UserName": "u", "Status": "Inactive"}),
    "inactive",
)
case("BIO2-IAM-NoAccessKeys", N, single("AWS::IAM::AccessKey", {"UserName": "u"}), "active by default")
case(
    "BIO2-IAM-TrustNoWildcard",
    C,
    single(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    },
                    {"Effect": "Allow", "Principal": {"AWS": ROOT}, "Action": "sts:AssumeRole"},
                ]
            }
        },
    ),
    "service and account root",
)
case(
    "BIO2-IAM-TrustNoWildcard",
    N,
    single(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]
            }
        },
    ),
    "anyone may assume",
)

# --------------------------------------------------------------------------------- EC2

SG = "AWS::EC2::SecurityGroup"
SG_IN = "AWS::EC2::SecurityGroupIngress"


def _sg(*rules: dict[str, Any]) -> dict[str, Any]:
    return single(SG, {"GroupDescription": "g", "SecurityGroupIngress": list(rules)})


HTTPS_WORLD = {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"}
SSH_WORLD = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}
SSH_PRIVATE = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "10.0.0.0/8"}

case("BIO2-EC2-SgNoPublicAdminPorts", C, _sg(HTTPS_WORLD, SSH_PRIVATE), "https world, ssh private")
case(
    "BIO2-EC2-SgNoPublicAdminPorts",
    C,
    _sg({"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": _ref("AllowedCidr")}),
    "parameter CIDR on a non-admin port",
)
case("BIO2-EC2-SgNoPublicAdminPorts", N, _sg(SSH_WORLD), "ssh from world", detail="22")
case(
    "BIO2-EC2-SgNoPublicAdminPorts",
    N,
    _sg({"IpProtocol": "6", "FromPort": 3000, "ToPort": 4000, "CidrIpv6": "::/0"}),
    "rdp inside a range over ipv6",
    detail="3389",
)
case(
    "BIO2-EC2-SgNoPublicAdminPorts",
    N,
    template(
        R=body(SG, {"GroupDescription": "g"}),
        In=body(SG_IN, {"GroupId": _gatt("R", "GroupId"), **SSH_WORLD}),
    ),
    "separate ingress resource on the group",
)
case(
    "BIO2-EC2-SgNoPublicAdminPorts",
    N,
    single(
        SG_IN,
        {"GroupId": "sg-123", "IpProtocol": "tcp", "FromPort": 3389, "ToPort": 3389, "CidrIp": "0.0.0.0/0"},
    ),
    "standalone ingress",
)
case(
    "BIO2-EC2-SgNoPublicAdminPorts",
    C,
    single(SG_IN, {"GroupId": "sg-123", **HTTPS_WORLD}),
    "standalone https ingress",
)
case(
    "BIO2-EC2-SgNoPublicAllTraffic",
    C,
    template(
        R=body(SG, {"GroupDescription": "g", "SecurityGroupIngress": [HTTPS_WORLD]}),
        In=body(
            SG_IN,
            {
                "GroupId": _gatt("R", "GroupId"),
                "IpProtocol": "-1",
                "SourceSecurityGroupId": _gatt("O", "GroupId"),
            },
        ),
    ),
    "all traffic only from a security group",
)
case(
    "BIO2-EC2-SgNoPublicAllTraffic", N, _sg({"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}), "protocol -1 world"
)
case(
    "BIO2-EC2-SgNoPublicAllTraffic",
    N,
    _sg({"IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535, "CidrIp": "0.0.0.0/0"}),
    "all tcp ports",
)


# Bypass classes: split CIDRs, IPv6 halves, broad public prefixes, admin ports beyond 22/3389,
# ranges and all-protocol rules that include an admin port.
def _tcp(port: int, cidr: str, to_port: int | None = None) -> dict[str, Any]:
    key = "CidrIpv6" if ":" in cidr else "CidrIp"
    return {"IpProtocol": "tcp", "FromPort": port, "ToPort": to_port or port, key: cidr}


for _rules, _note, _detail in (
    ((_tcp(22, "0.0.0.0/1"), _tcp(22, "128.0.0.0/1")), "ssh on two ipv4 halves", "0.0.0.0/1, 128.0.0.0/1"),
    ((_tcp(22, "0.0.0.0/1"),), "ssh on one ipv4 half", "tcp/22"),
    ((_tcp(3389, "::/1"), _tcp(3389, "8000::/1")), "rdp on two ipv6 halves", "tcp/3389"),
    ((_tcp(3389, "2000::/3"),), "rdp on all global ipv6", "tcp/3389"),
    (
        (_tcp(22, "0.0.0.0/2"), _tcp(22, "64.0.0.0/2"), _tcp(22, "128.0.0.0/2"), _tcp(22, "192.0.0.0/2")),
        "ssh on quarters",
        "tcp/22",
    ),
    ((_tcp(22, "52.0.0.0/8"),), "ssh on a public /8", "tcp/22"),
    ((_tcp(22, "0.0.0.1/0"),), "host bits set", "tcp/22"),
    ((_tcp(5985, "0.0.0.0/0", 5986),), "winrm", "tcp/5985"),
    ((_tcp(5900, "0.0.0.0/0"),), "vnc", "tcp/5900"),
    ((_tcp(2222, "0.0.0.0/0"),), "alternative ssh port", "tcp/2222"),
    ((_tcp(6443, "0.0.0.0/0"),), "kubernetes api", "tcp/6443"),
    ((_tcp(1, "0.0.0.0/0", 1024),), "low port range includes ssh", "tcp/22"),
    (
        ({"IpProtocol": "udp", "FromPort": 161, "ToPort": 161, "CidrIp": "0.0.0.0/0"},),
        "snmp over udp",
        "udp/161",
    ),
    (({"IpProtocol": "-1", "CidrIpv6": "::/0"},), "all protocols over ipv6", "all/22"),
    (
        ({"IpProtocol": "all", "CidrIp": "0.0.0.0/1"}, {"IpProtocol": "-1", "CidrIp": "128.0.0.0/1"}),
        "all protocols split",
        "all/22",
    ),
):
    case("BIO2-EC2-SgNoPublicAdminPorts", N, _sg(*_rules), _note, detail=_detail)
case(
    "BIO2-EC2-SgNoPublicAdminPorts",
    N,
    template(
        R=body(SG, {"GroupDescription": "g", "SecurityGroupIngress": [_tcp(22, "0.0.0.0/1")]}),
        In=body(SG_IN, {"GroupId": _gatt("R", "GroupId"), **_tcp(22, "128.0.0.0/1")}),
    ),
    "split between inline rule and separate ingress",
    detail="128.0.0.0/1",
)
case(
    "BIO2-EC2-SgNoPublicAdminPorts",
    C,
    _sg(
        _tcp(22, "10.0.0.0/8"),
        _tcp(22, "172.16.0.0/12"),
        _tcp(22, "192.168.0.0/16"),
        _tcp(22, "100.64.0.0/10"),
    ),
    "ssh from every private range",
)
case("BIO2-EC2-SgNoPublicAdminPorts", C, _sg(_tcp(22, "203.0.113.0/24")), "ssh from one office range")
case("BIO2-EC2-SgNoPublicAdminPorts", C, _sg(_tcp(22, "fd00::/8")), "ssh from ipv6 ula")


def _prefix_list(*cidrs: str) -> dict[str, Any]:
    return body(
        "AWS::EC2::PrefixList",
        {
            "AddressFamily": "IPv4",
            "MaxEntries": 5,
            "PrefixListName": "p",
            "Entries": [{"Cidr": c} for c in cidrs],
        },
    )


_SSH_FROM_LIST = {
    "IpProtocol": "tcp",
    "FromPort": 22,
    "ToPort": 22,
    "SourcePrefixListId": _gatt("Pl", "PrefixListId"),
}
case(
    "BIO2-EC2-SgNoPublicAdminPorts",
    N,
    template(
        R=body(SG, {"GroupDescription": "g", "SecurityGroupIngress": [_SSH_FROM_LIST]}),
        Pl=_prefix_list("0.0.0.0/1", "128.0.0.0/1"),
    ),
    "ssh from a prefix list of the template that holds the internet",
    detail="tcp/22",
)
case(
    "BIO2-EC2-SgNoPublicAdminPorts",
    C,
    template(
        R=body(SG, {"GroupDescription": "g", "SecurityGroupIngress": [_SSH_FROM_LIST]}),
        Pl=_prefix_list("10.0.0.0/8", "203.0.113.0/24"),
    ),
    "ssh from a prefix list of office ranges",
)
case(
    "BIO2-EC2-SgNoPublicAllTraffic",
    N,
    _sg({"IpProtocol": "-1", "CidrIp": "0.0.0.0/1"}, {"IpProtocol": "-1", "CidrIp": "128.0.0.0/1"}),
    "all traffic on split cidrs",
    detail="all traffic",
)
case(
    "BIO2-EC2-SgNoPublicAllTraffic",
    N,
    _sg(
        {"IpProtocol": "udp", "FromPort": -1, "ToPort": -1, "CidrIpv6": "::/1"},
        {"IpProtocol": "udp", "CidrIpv6": "8000::/1"},
    ),
    "all udp on ipv6 halves",
)

VPC = "AWS::EC2::VPC"
case(
    "BIO2-EC2-VpcFlowLogs",
    C,
    template(
        R=body(VPC, {"CidrBlock": "10.0.0.0/16"}),
        F=body("AWS::EC2::FlowLog", {"ResourceId": _ref("R"), "ResourceType": "VPC", "TrafficType": "ALL"}),
    ),
    "all traffic",
)
case(
    "BIO2-EC2-VpcFlowLogs",
    N,
    template(
        R=body(VPC, {"CidrBlock": "10.0.0.0/16"}),
        F=body(
            "AWS::EC2::FlowLog", {"ResourceId": _ref("R"), "ResourceType": "VPC", "TrafficType": "REJECT"}
        ),
    ),
    "rejects only",
    detail="REJECT",
)
case(
    "BIO2-EC2-VpcFlowLogs",
    N,
    template(
        R=body(VPC),
        Other=body(VPC),
        F=body(
            "AWS::EC2::FlowLog", {"ResourceId": _ref("Other"), "ResourceType": "VPC", "TrafficType": "ALL"}
        ),
    ),
    "flow log on another vpc",
)
case(
    "BIO2-EC2-DefaultSgRestricted",
    C,
    template(
        R=body(VPC),
        X=body(
            "Custom::VpcRestrictDefaultSG", {"DefaultSecurityGroupId": _gatt("R", "DefaultSecurityGroup")}
        ),
    ),
    "cdk restrict default sg",
)
case("BIO2-EC2-DefaultSgRestricted", N, single(VPC), "default sg untouched")
case("BIO2-EC2-EbsEncryption", C, single("AWS::EC2::Volume", {"Encrypted": True, "Size": 8}), "encrypted")
case("BIO2-EC2-EbsEncryption", N, single("AWS::EC2::Volume", {"Size": 8}), "unencrypted")
LT = "AWS::EC2::LaunchTemplate"
case(
    "BIO2-EC2-LaunchTemplateImdsv2",
    C,
    single(LT, {"LaunchTemplateData": {"MetadataOptions": {"HttpTokens": "required"}}}),
    "imdsv2",
)
case(
    "BIO2-EC2-LaunchTemplateImdsv2",
    C,
    single(LT, {"LaunchTemplateData": {"MetadataOptions": {"HttpEndpoint": "disabled"}}}),
    "imds off",
)
case(
    "BIO2-EC2-LaunchTemplateImdsv2",
    N,
    single(LT, {"LaunchTemplateData": {"MetadataOptions": {"HttpTokens": "optional"}}}),
    "optional tokens",
)
case("BIO2-EC2-LaunchTemplateImdsv2", N, single(LT, {"LaunchTemplateData": {}}), "no metadata options")
case("BIO2-EC2-SubnetNoAutoPublicIp", C, single("AWS::EC2::Subnet", {"CidrBlock": "10.0.0.0/24"}), "default")
case("BIO2-EC2-SubnetNoAutoPublicIp", N, single("AWS::EC2::Subnet", {"MapPublicIpOnLaunch": True}), "auto ip")

# ----------------------------------------------------------------------------- Network

FWP = "AWS::NetworkFirewall::FirewallPolicy"
GOOD_POLICY = {
    "FirewallPolicyName": "p",
    "FirewallPolicy": {
        "StatelessDefaultActions": ["aws:forward_to_sfe"],
        "StatelessFragmentDefaultActions": ["aws:forward_to_sfe"],
        "StatefulDefaultActions": ["aws:drop_strict", "aws:alert_strict"],
        "StatefulEngineOptions": {"RuleOrder": "STRICT_ORDER"},
    },
}
LOOSE_POLICY = {
    "FirewallPolicyName": "p",
    "FirewallPolicy": {
        "StatelessDefaultActions": ["aws:pass"],
        "StatelessFragmentDefaultActions": ["aws:pass"],
    },
}
case("BIO2-NetworkFirewall-StrictOrder", C, single(FWP, GOOD_POLICY), "strict")
case("BIO2-NetworkFirewall-StrictOrder", N, single(FWP, LOOSE_POLICY), "default action order")
case("BIO2-NetworkFirewall-DefaultDrop", C, single(FWP, GOOD_POLICY), "drop strict")
case("BIO2-NetworkFirewall-DefaultDrop", N, single(FWP, LOOSE_POLICY), "no default action")
case(
    "BIO2-NetworkFirewall-DefaultDrop",
    N,
    single(
        FWP,
        {"FirewallPolicy": {**GOOD_POLICY["FirewallPolicy"], "StatefulDefaultActions": ["aws:alert_strict"]}},
    ),
    "alert only",
)
case("BIO2-NetworkFirewall-StatelessForward", C, single(FWP, GOOD_POLICY), "forward to stateful")
case("BIO2-NetworkFirewall-StatelessForward", N, single(FWP, LOOSE_POLICY), "pass", detail="aws:pass")

FW = "AWS::NetworkFirewall::Firewall"
FW_PROPS = {"FirewallName": "fw", "FirewallPolicyArn": _ref("Pol"), "VpcId": _ref("V"), "SubnetMappings": []}


def _fw_logging(*log_types: str) -> dict[str, Any]:
    return template(
        R=body(FW, FW_PROPS),
        L=body(
            "AWS::NetworkFirewall::LoggingConfiguration",
            {
                "FirewallArn": _ref("R"),
                "LoggingConfiguration": {
                    "LogDestinationConfigs": [
                        {
                            "LogType": t,
                            "LogDestinationType": "CloudWatchLogs",
                            "LogDestination": {"logGroup": "g"},
                        }
                        for t in log_types
                    ]
                },
            },
        ),
    )


case("BIO2-NetworkFirewall-Logging", C, _fw_logging("ALERT", "FLOW"), "alert and flow")
case("BIO2-NetworkFirewall-Logging", N, _fw_logging("ALERT"), "alert only", detail="FLOW")
case("BIO2-NetworkFirewall-Logging", N, single(FW, FW_PROPS), "no logging configuration")
case(
    "BIO2-NetworkFirewall-ChangeProtection",
    C,
    single(FW, {**FW_PROPS, "DeleteProtection": True, "FirewallPolicyChangeProtection": True}),
    "protected",
)
case("BIO2-NetworkFirewall-ChangeProtection", N, single(FW, FW_PROPS), "unprotected")

TGW = "AWS::EC2::TransitGateway"
TGW_GOOD = {
    "DefaultRouteTableAssociation": "disable",
    "DefaultRouteTablePropagation": "disable",
    "AutoAcceptSharedAttachments": "disable",
}
case("BIO2-TransitGateway-NoDefaultAssociation", C, single(TGW, TGW_GOOD), "disabled")
case("BIO2-TransitGateway-NoDefaultAssociation", N, single(TGW), "default enable")
case("BIO2-TransitGateway-NoDefaultPropagation", C, single(TGW, TGW_GOOD), "disabled")
case(
    "BIO2-TransitGateway-NoDefaultPropagation",
    N,
    single(TGW, {"DefaultRouteTablePropagation": "enable"}),
    "enabled",
)
case("BIO2-TransitGateway-NoAutoAccept", C, single(TGW), "default disable")
case("BIO2-TransitGateway-NoAutoAccept", N, single(TGW, {"AutoAcceptSharedAttachments": "enable"}), "enabled")

# ------------------------------------------------------------------------------ Backup

VAULT = "AWS::Backup::BackupVault"
case(
    "BIO2-Backup-VaultLock",
    C,
    single(
        VAULT, {"BackupVaultName": "v", "LockConfiguration": {"MinRetentionDays": 7, "ChangeableForDays": 3}}
    ),
    "compliance mode",
)
case(
    "BIO2-Backup-VaultLock",
    N,
    single(VAULT, {"BackupVaultName": "v", "LockConfiguration": {"MinRetentionDays": 7}}),
    "governance mode",
    detail="governance",
)
case("BIO2-Backup-VaultLock", N, single(VAULT, {"BackupVaultName": "v"}), "no lock")
for _lock, _note, _detail in (
    ({"MinRetentionDays": 7, "ChangeableForDays": 36500}, "grace of a century", "ChangeableForDays is 36500"),
    ({"MinRetentionDays": 7, "ChangeableForDays": 31}, "grace over a month", "ChangeableForDays is 31"),
    ({"MinRetentionDays": 7, "ChangeableForDays": 1}, "grace below aws minimum", "ChangeableForDays is 1"),
    ({"MinRetentionDays": 1, "ChangeableForDays": 3}, "one day retention", "MinRetentionDays is 1"),
    (
        {"MinRetentionDays": 35, "MaxRetentionDays": 7, "ChangeableForDays": 3},
        "max below min",
        "MaxRetentionDays",
    ),
):
    case(
        "BIO2-Backup-VaultLock",
        N,
        single(VAULT, {"BackupVaultName": "v", "LockConfiguration": _lock}),
        _note,
        detail=_detail,
    )
case(
    "BIO2-Backup-VaultLock",
    C,
    single(
        VAULT,
        {
            "BackupVaultName": "v",
            "LockConfiguration": {"MinRetentionDays": 35, "MaxRetentionDays": 3650, "ChangeableForDays": 3},
        },
    ),
    "landing zone lock",
)
case(
    "BIO2-Backup-VaultKms",
    C,
    with_key(single(VAULT, {"BackupVaultName": "v", "EncryptionKeyArn": _gatt("K")})),
    "cmk",
)
case("BIO2-Backup-VaultKms", N, single(VAULT, {"BackupVaultName": "v"}), "aws managed key")

PLAN = "AWS::Backup::BackupPlan"


def _plan(*rules: dict[str, Any]) -> dict[str, Any]:
    return single(PLAN, {"BackupPlan": {"BackupPlanName": "p", "BackupPlanRule": list(rules)}})


DAILY = {
    "RuleName": "daily",
    "TargetBackupVault": _gatt("V", "BackupVaultName"),
    "ScheduleExpression": "cron(0 5 * * ? *)",
    "Lifecycle": {"DeleteAfterDays": 35},
}
case("BIO2-Backup-PlanHasRules", C, _plan(DAILY), "daily rule")
case("BIO2-Backup-PlanHasRules", N, _plan(), "no rules")
case(
    "BIO2-Backup-PlanHasRules",
    N,
    _plan({"RuleName": "x", "TargetBackupVault": "v"}),
    "no schedule",
    detail="ScheduleExpression",
)
case(
    "BIO2-Backup-PlanCopy",
    C,
    _plan(
        {
            **DAILY,
            "CopyActions": [{"DestinationBackupVaultArn": "arn:aws:backup:eu-central-1:1:backup-vault:x"}],
        }
    ),
    "cross-region copy",
)
case("BIO2-Backup-PlanCopy", N, _plan(DAILY), "no copy")
case("BIO2-Backup-PlanRetention", C, _plan(DAILY), "35 days")
case("BIO2-Backup-PlanRetention", N, _plan({**DAILY, "Lifecycle": {}}), "kept forever")
case(
    "BIO2-Backup-PlanRetention",
    N,
    _plan({**DAILY, "Lifecycle": {"DeleteAfterDays": 1}}),
    "one day is no retention",
    detail="is 1, below 7",
)
case(
    "BIO2-Backup-PlanRetention",
    N,
    _plan(DAILY, {**DAILY, "RuleName": "b", "Lifecycle": {"DeleteAfterDays": 6}}),
    "second rule six days",
    detail="BackupPlanRule[1]",
)
case(
    "BIO2-Backup-PlanRetention",
    N,
    _plan(
        {
            **DAILY,
            "CopyActions": [
                {
                    "DestinationBackupVaultArn": "arn:aws:backup:eu-west-1:1:backup-vault:v",
                    "Lifecycle": {"DeleteAfterDays": 1},
                }
            ],
        }
    ),
    "copy kept one day",
    detail="CopyActions[0]",
)

# --------------------------------------------------------------------------- Messaging

case("BIO2-SNS-KmsEncryption", C, with_key(single("AWS::SNS::Topic", {"KmsMasterKeyId": _ref("K")})), "kms")
case("BIO2-SNS-KmsEncryption", N, single("AWS::SNS::Topic"), "none")
case("BIO2-SQS-Encryption", C, with_key(single("AWS::SQS::Queue", {"KmsMasterKeyId": _gatt("K")})), "sse-kms")
case("BIO2-SQS-Encryption", C, single("AWS::SQS::Queue", {"SqsManagedSseEnabled": True}), "sse-sqs")
case("BIO2-SQS-Encryption", N, single("AWS::SQS::Queue", {"SqsManagedSseEnabled": False}), "disabled")
case("BIO2-SQS-Encryption", N, single("AWS::SQS::Queue"), "not declared")

TLS_COND = {"Bool": {"aws:SecureTransport": "false"}}
case(
    "BIO2-SNS-TlsOnly",
    C,
    template(
        R=body("AWS::SNS::Topic"),
        P=body(
            "AWS::SNS::TopicPolicy",
            {
                "Topics": [_ref("R")],
                "PolicyDocument": {
                    "Statement": [
                        {"Effect": "Deny", "Principal": "*", "Action": "sns:Publish", "Condition": TLS_COND}
                    ]
                },
            },
        ),
    ),
    "cdk enforce_ssl shape",
)
case("BIO2-SNS-TlsOnly", N, single("AWS::SNS::Topic"), "no policy")
case(
    "BIO2-SQS-TlsOnly",
    C,
    template(
        R=body("AWS::SQS::Queue"),
        P=body(
            "AWS::SQS::QueuePolicy",
            {
                "Queues": [_ref("R")],
                "PolicyDocument": {
                    "Statement": [
                        {
                            "Effect": "Deny",
                            "Principal": {"AWS": "*"},
                            "Action": "sqs:*",
                            "Condition": TLS_COND,
                        }
                    ]
                },
            },
        ),
    ),
    "cdk enforce_ssl shape",
)
case(
    "BIO2-SQS-TlsOnly",
    N,
    template(
        R=body("AWS::SQS::Queue"),
        P=body(
            "AWS::SQS::QueuePolicy",
            {
                "Queues": [_ref("R")],
                "PolicyDocument": {
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "sns.amazonaws.com"},
                            "Action": "sqs:SendMessage",
                        }
                    ]
                },
            },
        ),
    ),
    "policy without deny",
)

# ---------------------------------------------------------------------------- Database

DBI = "AWS::RDS::DBInstance"
DBC = "AWS::RDS::DBCluster"
IN_CLUSTER = template(
    R=body(DBI, {"DBClusterIdentifier": _ref("Cl"), "DBInstanceClass": "db.t3.medium"}), Cl=body(DBC)
)

case("BIO2-RDS-StorageEncrypted", C, single(DBI, {"StorageEncrypted": True}), "instance encrypted")
case("BIO2-RDS-StorageEncrypted", C, single(DBC, {"StorageEncrypted": True}), "cluster encrypted")
case("BIO2-RDS-StorageEncrypted", N, single(DBC), "cluster unencrypted")
case("BIO2-RDS-StorageEncrypted", NA, IN_CLUSTER, "cluster member")
case("BIO2-RDS-BackupRetention", C, single(DBI, {"BackupRetentionPeriod": 7}), "a week")
case("BIO2-RDS-BackupRetention", N, single(DBI, {"BackupRetentionPeriod": 1}), "a day")
case("BIO2-RDS-BackupRetention", N, single(DBC), "default")
case("BIO2-RDS-BackupRetention", NA, IN_CLUSTER, "cluster member")
case("BIO2-RDS-DeletionProtection", C, single(DBC, {"DeletionProtection": True}), "protected")
case("BIO2-RDS-DeletionProtection", N, single(DBI), "unprotected")
case("BIO2-RDS-NotPublic", C, single(DBI, {"PubliclyAccessible": False}), "explicitly private")
case("BIO2-RDS-NotPublic", N, single(DBI, {"PubliclyAccessible": True}), "public")
case("BIO2-RDS-NotPublic", N, single(DBI), "implicit default vpc", detail="DBSubnetGroupName")


def _db_in_subnet(route_target: dict[str, Any] | None, *, igw_attached: bool = True) -> dict[str, Any]:
    extra = {}
    if route_target is not None:
        extra["Route"] = body(
            "AWS::EC2::Route",
            {"RouteTableId": _ref("Rt"), "DestinationCidrBlock": "0.0.0.0/0", **route_target},
        )
    if igw_attached:
        extra["Attach"] = body(
            "AWS::EC2::VPCGatewayAttachment", {"VpcId": _ref("V"), "InternetGatewayId": _ref("Igw")}
        )
    return template(
        R=body(DBI, {"DBSubnetGroupName": _ref("Sg")}),
        Sg=body("AWS::RDS::DBSubnetGroup", {"SubnetIds": [_ref("Sub")]}),
        Sub=body("AWS::EC2::Subnet", {"VpcId": _ref("V")}),
        V=body("AWS::EC2::VPC", {"CidrBlock": "10.0.0.0/16"}),
        Rt=body("AWS::EC2::RouteTable", {"VpcId": _ref("V")}),
        Assoc=body(
            "AWS::EC2::SubnetRouteTableAssociation", {"SubnetId": _ref("Sub"), "RouteTableId": _ref("Rt")}
        ),
        Igw=body("AWS::EC2::InternetGateway"),
        Nat=body("AWS::EC2::NatGateway"),
        **extra,
    )


# RDS decides by the VPC, not by the subnet's routes: private subnets behind a NAT gateway in a VPC
# with an internet gateway still give a publicly accessible instance when the property is absent.
case(
    "BIO2-RDS-NotPublic",
    N,
    _db_in_subnet({"NatGatewayId": _ref("Nat")}),
    "private subnets via NAT in a VPC with an IGW",
    detail="internet gateway",
)
case("BIO2-RDS-NotPublic", C, _db_in_subnet(None, igw_attached=False), "isolated VPC without IGW")
case("BIO2-RDS-NotPublic", N, _db_in_subnet({"GatewayId": _ref("Igw")}), "subnet routes to IGW", detail="V ")
case(
    "BIO2-RDS-NotPublic",
    N,
    {
        "Resources": {
            k: v for k, v in _db_in_subnet(None, igw_attached=False)["Resources"].items() if k != "V"
        }
    },
    "vpc not in template",
    detail="VPC of subnet Sub",
)
case("BIO2-RDS-IamAuthentication", C, single(DBI, {"EnableIAMDatabaseAuthentication": True}), "iam auth")
case("BIO2-RDS-IamAuthentication", N, single(DBC), "passwords only")
case("BIO2-RDS-MultiAz", C, single(DBI, {"MultiAZ": True}), "multi-az")
case("BIO2-RDS-MultiAz", N, single(DBI, {"MultiAZ": False}), "single-az")
case("BIO2-RDS-MultiAz", NA, IN_CLUSTER, "cluster member")

TABLE = "AWS::DynamoDB::Table"
GTABLE = "AWS::DynamoDB::GlobalTable"
case("BIO2-DynamoDB-KmsEncryption", C, single(TABLE, {"SSESpecification": {"SSEEnabled": True}}), "kms")
case(
    "BIO2-DynamoDB-KmsEncryption",
    C,
    single(GTABLE, {"SSESpecification": {"SSEEnabled": True, "SSEType": "KMS"}}),
    "global kms",
)
case("BIO2-DynamoDB-KmsEncryption", N, single(TABLE), "aws owned key")
case(
    "BIO2-DynamoDB-PointInTimeRecovery",
    C,
    single(TABLE, {"PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True}}),
    "pitr",
)
case(
    "BIO2-DynamoDB-PointInTimeRecovery",
    N,
    single(
        GTABLE,
        {
            "Replicas": [
                {
                    "Region": "eu-west-1",
                    "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
                },
                {"Region": "eu-central-1"},
            ]
        },
    ),
    "one replica without pitr",
    detail="Replicas[1]",
)
case("BIO2-DynamoDB-DeletionProtection", C, single(TABLE, {"DeletionProtectionEnabled": True}), "protected")
case(
    "BIO2-DynamoDB-DeletionProtection",
    C,
    single(GTABLE, {"Replicas": [{"Region": "eu-west-1", "DeletionProtectionEnabled": True}]}),
    "global protected",
)
case("BIO2-DynamoDB-DeletionProtection", N, single(TABLE), "unprotected")

# -------------------------------------------------------------------------------- Edge

LISTENER = "AWS::ElasticLoadBalancingV2::Listener"
HTTPS_LISTENER = {"Protocol": "HTTPS", "Port": 443, "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}
REDIRECT = {
    "Type": "redirect",
    "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"},
}
FORWARD = {"Type": "forward", "TargetGroupArn": _ref("Tg")}

case("BIO2-ELB-EncryptedListener", C, single(LISTENER, HTTPS_LISTENER), "https")
case(
    "BIO2-ELB-EncryptedListener",
    C,
    single(LISTENER, {"Protocol": "HTTP", "Port": 80, "DefaultActions": [REDIRECT]}),
    "http redirect",
)
case(
    "BIO2-ELB-EncryptedListener",
    N,
    single(LISTENER, {"Protocol": "HTTP", "Port": 80, "DefaultActions": [FORWARD]}),
    "http forward",
    detail="forward",
)
case(
    "BIO2-ELB-EncryptedListener",
    N,
    template(
        R=body(LISTENER, {"Protocol": "HTTP", "Port": 80, "DefaultActions": [REDIRECT]}),
        Rule=body(
            "AWS::ElasticLoadBalancingV2::ListenerRule",
            {"ListenerArn": _ref("R"), "Priority": 1, "Actions": [FORWARD], "Conditions": []},
        ),
    ),
    "listener rule forwards plain http",
)
case("BIO2-ELB-EncryptedListener", N, single(LISTENER, {"Protocol": "TCP", "Port": 5432}), "plain tcp")
case("BIO2-ELB-EncryptedListener", NA, single(LISTENER, {"Protocol": "GENEVE", "Port": 6081}), "gwlb")
case("BIO2-ELB-TlsPolicy", C, single(LISTENER, HTTPS_LISTENER), "tls13-1-2")
case(
    "BIO2-ELB-TlsPolicy",
    C,
    single(LISTENER, {"Protocol": "TLS", "SslPolicy": "ELBSecurityPolicy-TLS13-1-3-2021-06"}),
    "tls13 only",
)
case(
    "BIO2-ELB-TlsPolicy",
    N,
    single(LISTENER, {"Protocol": "HTTPS", "SslPolicy": "ELBSecurityPolicy-2016-08"}),
    "2016 policy",
)
case(
    "BIO2-ELB-TlsPolicy",
    N,
    single(LISTENER, {"Protocol": "HTTPS", "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06"}),
    "extended legacy ciphers",
)
case("BIO2-ELB-TlsPolicy", N, single(LISTENER, {"Protocol": "HTTPS"}), "default policy")
case("BIO2-ELB-TlsPolicy", NA, single(LISTENER, {"Protocol": "HTTP", "DefaultActions": [REDIRECT]}), "http")

LB = "AWS::ElasticLoadBalancingV2::LoadBalancer"
case(
    "BIO2-ELB-AccessLogs",
    C,
    single(
        LB,
        {
            "LoadBalancerAttributes": [
                {"Key": "deletion_protection.enabled", "Value": "true"},
                {"Key": "access_logs.s3.enabled", "Value": "true"},
                {"Key": "access_logs.s3.bucket", "Value": _ref("Logs")},
            ]
        },
    ),
    "enabled",
)
case(
    "BIO2-ELB-AccessLogs",
    N,
    single(LB, {"LoadBalancerAttributes": [{"Key": "access_logs.s3.enabled", "Value": "false"}]}),
    "disabled",
)
case("BIO2-ELB-AccessLogs", NA, single(LB, {"Type": "gateway"}), "gateway lb")

DIST = "AWS::CloudFront::Distribution"


def _dist(**config: Any) -> dict[str, Any]:
    base = {
        "Enabled": True,
        "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "redirect-to-https"},
        "Origins": [{"Id": "o", "DomainName": "b.s3.amazonaws.com", "S3OriginConfig": {}}],
        "ViewerCertificate": {
            "AcmCertificateArn": "arn:aws:acm:us-east-1:1:certificate/x",
            "MinimumProtocolVersion": "TLSv1.2_2021",
            "SslSupportMethod": "sni-only",
        },
    }
    base.update(config)
    return single(DIST, {"DistributionConfig": base})


case("BIO2-CloudFront-HttpsOnly", C, _dist(), "redirect")
case(
    "BIO2-CloudFront-HttpsOnly",
    N,
    _dist(
        CacheBehaviors=[{"PathPattern": "/api/*", "TargetOriginId": "o", "ViewerProtocolPolicy": "allow-all"}]
    ),
    "one behavior allows http",
    detail="CacheBehaviors[0]",
)
case("BIO2-CloudFront-TlsVersion", C, _dist(), "tls1.2_2021")
case(
    "BIO2-CloudFront-TlsVersion",
    N,
    _dist(ViewerCertificate={"CloudFrontDefaultCertificate": True}),
    "default certificate",
)
case(
    "BIO2-CloudFront-TlsVersion",
    N,
    _dist(ViewerCertificate={"AcmCertificateArn": "arn", "MinimumProtocolVersion": "TLSv1.1_2016"}),
    "tls 1.1",
)
case(
    "BIO2-CloudFront-Logging",
    C,
    _dist(Logging={"Bucket": _gatt("Logs", "RegionalDomainName")}),
    "legacy logging",
)
case(
    "BIO2-CloudFront-Logging",
    C,
    template(
        R=_dist()["Resources"]["R"],
        Src=body(
            "AWS::Logs::DeliverySource",
            {
                "Name": "cf-src",
                "ResourceArn": {"Fn::Join": ["", ["arn:aws:cloudfront::1:distribution/", _ref("R")]]},
                "LogType": "ACCESS_LOGS",
            },
        ),
        Dst=body("AWS::Logs::DeliveryDestination", {"Name": "d", "DestinationResourceArn": _gatt("Logs")}),
        Del=body(
            "AWS::Logs::Delivery", {"DeliverySourceName": _ref("Src"), "DeliveryDestinationArn": _gatt("Dst")}
        ),
    ),
    "vended log delivery",
)
case("BIO2-CloudFront-Logging", N, _dist(), "no logging")
case(
    "BIO2-CloudFront-OriginTls",
    C,
    _dist(
        Origins=[
            {
                "Id": "o",
                "DomainName": "x",
                "CustomOriginConfig": {
                    "OriginProtocolPolicy": "https-only",
                    "OriginSSLProtocols": ["TLSv1.2"],
                },
            }
        ]
    ),
    "custom origin tls1.2",
)
case(
    "BIO2-CloudFront-OriginTls",
    N,
    _dist(
        Origins=[{"Id": "o", "DomainName": "x", "CustomOriginConfig": {"OriginProtocolPolicy": "http-only"}}]
    ),
    "http origin",
)
case(
    "BIO2-CloudFront-OriginTls",
    N,
    _dist(
        Origins=[
            {
                "Id": "o",
                "DomainName": "x",
                "CustomOriginConfig": {
                    "OriginProtocolPolicy": "https-only",
                    "OriginSSLProtocols": ["TLSv1", "TLSv1.2"],
                },
            }
        ]
    ),
    "legacy origin protocols",
)
case("BIO2-CloudFront-OriginTls", NA, _dist(), "s3 origin only")
case("BIO2-CloudFront-WebAcl", C, _dist(WebACLId=_gatt("Acl")), "waf")
case("BIO2-CloudFront-WebAcl", N, _dist(), "no waf")
WEB_ACL_RULE = {
    "Name": "rate",
    "Priority": 0,
    "Action": {"Block": {}},
    "Statement": {"RateBasedStatement": {"Limit": 1000, "AggregateKeyType": "IP"}},
    "VisibilityConfig": {
        "SampledRequestsEnabled": True,
        "CloudWatchMetricsEnabled": True,
        "MetricName": "rate",
    },
}


def _web_acl(rules: list[Any]) -> dict[str, Any]:
    return body(
        "AWS::WAFv2::WebACL",
        {"Scope": "CLOUDFRONT", "DefaultAction": {"Allow": {}}, "Rules": rules, "VisibilityConfig": {}},
    )


case(
    "BIO2-CloudFront-WebAcl",
    N,
    {"Resources": {**_dist(WebACLId=_gatt("Acl"))["Resources"], "Acl": _web_acl([])}},
    "empty web acl",
    detail="has no rules",
)
case(
    "BIO2-CloudFront-WebAcl",
    C,
    {"Resources": {**_dist(WebACLId=_gatt("Acl"))["Resources"], "Acl": _web_acl([WEB_ACL_RULE])}},
    "web acl with rules",
)
case("BIO2-WAF-WebAclHasRules", C, template(R=_web_acl([WEB_ACL_RULE])), "rate rule")
case("BIO2-WAF-WebAclHasRules", N, template(R=_web_acl([])), "empty", detail="Rules is empty")
case("BIO2-WAF-WebAclHasRules", N, single("AWS::WAFv2::WebACL", {"Scope": "REGIONAL"}), "no rules property")

case(
    "BIO2-APIGateway-AccessLogging",
    C,
    single(
        "AWS::ApiGateway::Stage",
        {"AccessLogSetting": {"DestinationArn": _gatt("G"), "Format": APIGW_JSON_FORMAT}},
    ),
    "rest stage",
)
case(
    "BIO2-APIGateway-AccessLogging",
    C,
    single(
        "AWS::ApiGatewayV2::Stage",
        {"AccessLogSettings": {"DestinationArn": _gatt("G"), "Format": APIGW_CLF_FORMAT}},
    ),
    "http stage",
)
case(
    "BIO2-APIGateway-AccessLogging",
    N,
    single("AWS::ApiGatewayV2::Stage", {"AccessLogSettings": {"DestinationArn": _gatt("G")}}),
    "no format",
    detail="Format is not set",
)
case(
    "BIO2-APIGateway-AccessLogging",
    N,
    single(
        "AWS::ApiGateway::Stage",
        {"AccessLogSetting": {"DestinationArn": _gatt("G"), "Format": "$context.requestId"}},
    ),
    "request id only",
    detail="time, origin, actor, action, object, result",
)
case(
    "BIO2-APIGateway-AccessLogging",
    N,
    single(
        "AWS::ApiGateway::Stage",
        {
            "AccessLogSetting": {
                "DestinationArn": _gatt("G"),
                "Format": APIGW_JSON_FORMAT.replace(
                    "$context.identity.sourceIp", "$context.identity.sourceIpX"
                ),
            }
        },
    ),
    "lookalike variable",
    detail="origin",
)
case("BIO2-APIGateway-AccessLogging", N, single("AWS::ApiGateway::Stage", {"StageName": "prod"}), "no logs")
case(
    "BIO2-APIGateway-DomainTls",
    C,
    single("AWS::ApiGateway::DomainName", {"DomainName": "api.example.nl", "SecurityPolicy": "TLS_1_2"}),
    "rest tls 1.2",
)
case(
    "BIO2-APIGateway-DomainTls",
    C,
    single(
        "AWS::ApiGatewayV2::DomainName",
        {"DomainName": "api.example.nl", "DomainNameConfigurations": [{"SecurityPolicy": "TLS_1_2"}]},
    ),
    "http tls 1.2",
)
case(
    "BIO2-APIGateway-DomainTls",
    N,
    single("AWS::ApiGateway::DomainName", {"DomainName": "api.example.nl"}),
    "default tls 1.0",
)
case(
    "BIO2-APIGateway-DomainTls",
    N,
    single("AWS::ApiGateway::DomainName", {"DomainName": "api.example.nl", "SecurityPolicy": "TLS_1_0"}),
    "tls 1.0",
)

# ------------------------------------------------------------------------------ Lambda

FN = "AWS::Lambda::Function"
case(
    "BIO2-Lambda-UrlAuth",
    C,
    single("AWS::Lambda::Url", {"AuthType": "AWS_IAM", "TargetFunctionArn": _gatt("F")}),
    "iam",
)
case(
    "BIO2-Lambda-UrlAuth",
    N,
    single("AWS::Lambda::Url", {"AuthType": "NONE", "TargetFunctionArn": _gatt("F")}),
    "none",
)
case(
    "BIO2-Lambda-EnvironmentKms",
    C,
    with_key(
        single(
            FN, {"Runtime": "python3.13", "Environment": {"Variables": {"A": "b"}}, "KmsKeyArn": _gatt("K")}
        )
    ),
    "cmk",
)
case(
    "BIO2-Lambda-EnvironmentKms",
    N,
    single(FN, {"Runtime": "python3.13", "Environment": {"Variables": {"A": "b"}}}),
    "no cmk",
)
case("BIO2-Lambda-EnvironmentKms", NA, single(FN, {"Runtime": "python3.13"}), "no variables")
case("BIO2-Lambda-SupportedRuntime", C, single(FN, {"Runtime": "python3.13"}), "python3.13")
case(
    "BIO2-Lambda-SupportedRuntime", N, single(FN, {"Runtime": "nodejs16.x"}), "nodejs16", detail="nodejs16.x"
)
case("BIO2-Lambda-SupportedRuntime", N, single(FN, {"Runtime": "python3.9"}), "python3.9")
case(
    "BIO2-Lambda-SupportedRuntime",
    NA,
    single(FN, {"PackageType": "Image", "Code": {"ImageUri": "x"}}),
    "image",
)

# --------------------------------------------------------------------------- Retention

case("BIO2-Retention-DeletionPolicy", C, single(BUCKET, DeletionPolicy="Retain"), "bucket retained")
case(
    "BIO2-Retention-DeletionPolicy",
    C,
    single(LOG_GROUP, DeletionPolicy="RetainExceptOnCreate"),
    "retain except on create",
)
case("BIO2-Retention-DeletionPolicy", N, single(KEY), "key deleted with stack")
case("BIO2-Retention-DeletionPolicy", N, single(DBI, DeletionPolicy="Snapshot"), "snapshot is not retain")
case("BIO2-Retention-DeletionPolicy", NA, IN_CLUSTER, "cluster member")
case("BIO2-Retention-UpdateReplacePolicy", C, single(TABLE, UpdateReplacePolicy="Retain"), "table retained")
case("BIO2-Retention-UpdateReplacePolicy", N, single(VAULT, DeletionPolicy="Retain"), "only deletion policy")

# ----------------------------------------------------------------------------- Tagging

case("BIO2-Tagging-Classification", C, single(BUCKET, {"Tags": CLASSIFIED}), "list tags")
case(
    "BIO2-Tagging-Classification",
    C,
    single(
        "AWS::SSM::Parameter",
        {"Type": "String", "Value": "x", "Tags": {t["Key"]: t["Value"] for t in CLASSIFIED}},
    ),
    "map tags",
)
case(
    "BIO2-Tagging-Classification",
    C,
    single(VAULT, {"BackupVaultName": "v", "BackupVaultTags": {t["Key"]: t["Value"] for t in CLASSIFIED}}),
    "backup vault tag property",
)
case(
    "BIO2-Tagging-Classification",
    N,
    single(BUCKET, {"Tags": CLASSIFIED[:2]}),
    "availability missing",
    detail="bio2:availability",
)
case(
    "BIO2-Tagging-Classification",
    N,
    single(KEY, {"Tags": [*CLASSIFIED[:2], {"Key": "bio2:availability", "Value": " "}]}),
    "blank value",
)
case("BIO2-Tagging-Classification", N, single(VAULT, {"BackupVaultName": "v"}), "vault untagged")
case("BIO2-Tagging-Classification", NA, single("AWS::IAM::Policy", {"PolicyName": "p"}), "type without tags")


# ------------------------------------------------- intrinsics: parameters and AWS managed keys

PARAM_KEY = {"Ref": "KeyArnParameter"}  # a template parameter: any key, or none, at deploy time
IMPORTED_KEY = {"Fn::ImportValue": "shared-key-arn"}
_KEY_PROPS = [
    ("BIO2-CloudTrail-KmsEncryption", TRAIL, "KMSKeyId", "alias/aws/cloudtrail"),
    (
        "BIO2-Logs-KmsEncryption",
        LOG_GROUP,
        "KmsKeyId",
        "arn:aws:kms:eu-central-1:111111111111:alias/aws/logs",
    ),
    (
        "BIO2-Backup-VaultKms",
        VAULT,
        "EncryptionKeyArn",
        "arn:aws:kms:eu-central-1:111111111111:alias/aws/backup",
    ),
    ("BIO2-SNS-KmsEncryption", "AWS::SNS::Topic", "KmsMasterKeyId", "alias/aws/sns"),
]
for _rule_id, _type, _prop, _aws_alias in _KEY_PROPS:
    case(
        _rule_id, N, single(_type, {_prop: PARAM_KEY}), "parameter ref is no key", detail="cannot be verified"
    )
    case(
        _rule_id,
        N,
        single(_type, {_prop: IMPORTED_KEY}),
        "imported value is no key",
        detail="cannot be verified",
    )
    case(_rule_id, N, single(_type, {_prop: _aws_alias}), "aws managed alias", detail="AWS managed key")
    case(
        _rule_id,
        N,
        single(_type, {_prop: {"Fn::Join": ["", ["arn:aws:kms:eu-central-1:111111111111:", "alias/aws/x"]]}}),
        "aws managed alias joined",
        detail="AWS managed key",
    )
    case(
        _rule_id,
        N,
        template(R=body(_type, {_prop: _gatt("T")}), T=body("AWS::SNS::Topic")),
        "points at a non-key resource",
        detail="cannot be verified",
    )
    case(
        _rule_id,
        C,
        template(
            R=body(_type, {_prop: _ref("A")}),
            A=body("AWS::KMS::Alias", {"AliasName": "alias/app", "TargetKeyId": _ref("K")}),
            K=CMK,
        ),
        "alias of an in-template key",
    )
case(
    "BIO2-Lambda-EnvironmentKms",
    N,
    single(FN, {"Runtime": "python3.13", "Environment": {"Variables": {"A": "b"}}, "KmsKeyArn": PARAM_KEY}),
    "parameter ref is no key",
    detail="cannot be verified",
)
case(
    "BIO2-SQS-Encryption",
    N,
    single("AWS::SQS::Queue", {"KmsMasterKeyId": PARAM_KEY}),
    "parameter ref",
    detail="cannot be verified",
)
case(
    "BIO2-SQS-Encryption",
    C,
    single("AWS::SQS::Queue", {"KmsMasterKeyId": "alias/aws/sqs"}),
    "aws managed sse-kms is encryption",
)

# ------------------------------------------------- values: classification levels

_TAG_KEYS = ("bio2:confidentiality", "bio2:integrity", "bio2:availability")
for _bad, _note in (
    ("x", "free text"),
    ("BBN2", "old BIO level"),
    ("High", "wrong case"),
    (" high", "padded"),
):
    case(
        "BIO2-Tagging-Classification",
        N,
        single(
            BUCKET,
            {"Tags": [{"Key": k, "Value": _bad if k == "bio2:integrity" else "low"} for k in _TAG_KEYS]},
        ),
        f"value {_note}",
        detail="not a level",
    )

# ------------------------------------------------- IAM bypass classes


def _managed(*statements: dict[str, Any]) -> dict[str, Any]:
    return single("AWS::IAM::ManagedPolicy", {"PolicyDocument": {"Statement": list(statements)}})


for _st, _note, _detail in (
    ({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}, "allow notaction", "NotAction"),
    (
        {"Effect": "Allow", "NotAction": ["s3:DeleteBucket"], "NotResource": "arn:aws:s3:::x"},
        "notaction notresource",
        "NotAction",
    ),
    ({"Effect": "Allow", "Action": "iam:*", "Resource": "*"}, "iam star", "all of IAM"),
    (
        {"Effect": "Allow", "Action": ["s3:GetObject", "IAM:*"], "Resource": ["*"]},
        "iam star mixed case",
        "all of IAM",
    ),
    ({"Effect": "Allow", "Action": "i*", "Resource": "*"}, "pattern covering iam", "all of IAM"),
    ({"Effect": "Allow", "Action": "*:*", "Resource": "*"}, "star colon star", "'*:*'"),
    ({"Effect": "Allow", "Action": "**", "Resource": "*"}, "double star", "'**'"),
):
    case("BIO2-IAM-NoAdminStatement", N, _managed(_st), _note, detail=_detail)
case(
    "BIO2-IAM-NoInlineAdmin",
    N,
    single(
        "AWS::IAM::Role",
        {
            "Policies": [
                {
                    "PolicyName": "p",
                    "PolicyDocument": {
                        "Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]
                    },
                }
            ]
        },
    ),
    "inline allow notaction",
    detail="NotAction",
)
case(
    "BIO2-IAM-NoAdminStatement",
    C,
    _managed({"Effect": "Allow", "Action": "iam:Get*", "Resource": "*"}),
    "iam read only",
)
case(
    "BIO2-IAM-NoAdminStatement",
    C,
    _managed({"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"}),
    "deny notaction is a guardrail",
)
case(
    "BIO2-IAM-NoAdminStatement",
    C,
    _managed({"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:s3:::bucket/*"}),
    "notaction on one resource",
)
case("BIO2-IAM-NoServiceWildcard", C, _managed(SCOPED_STATEMENT), "scoped")
case(
    "BIO2-IAM-NoServiceWildcard",
    C,
    _managed({"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::bucket/*"}),
    "service wildcard on one bucket",
)
case(
    "BIO2-IAM-NoServiceWildcard",
    C,
    _managed({"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}),
    "get star",
)
for _action, _note in (
    ("s3:*", "s3 star"),
    ("DynamoDB:**", "double star"),
    (["ec2:Describe*", "kms:*"], "in a list"),
):
    case(
        "BIO2-IAM-NoServiceWildcard",
        N,
        _managed({"Effect": "Allow", "Action": _action, "Resource": "*"}),
        _note,
        detail="on Resource '*'",
    )
case(
    "BIO2-IAM-NoServiceWildcard",
    N,
    single(
        "AWS::IAM::User",
        {
            "Policies": [
                {
                    "PolicyName": "p",
                    "PolicyDocument": {
                        "Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]
                    },
                }
            ]
        },
    ),
    "inline user policy",
)

# ------------------------------------------------- aws:SourceIp and other conditions that do not restrict

PUBLIC_GET = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}


def _bucket_policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return single("AWS::S3::BucketPolicy", {"Bucket": "b", "PolicyDocument": {"Statement": list(statements)}})


for _condition, _note in (
    ({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}, "source ip everywhere"),
    ({"IpAddress": {"aws:SourceIp": ["0.0.0.0/1", "128.0.0.0/1"]}}, "source ip split"),
    ({"IpAddress": {"aws:SourceIp": ["::/0"]}}, "source ip ipv6 everywhere"),
    ({"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, "not ip address"),
    ({"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-123"}}, "ifexists passes without the key"),
    ({"StringNotEquals": {"aws:PrincipalAccount": "111111111111"}}, "negated account"),
    ({"StringLike": {"aws:PrincipalOrgID": "*"}}, "wildcard org"),
    ({"Null": {"aws:SourceVpce": "false"}}, "null test"),
):
    case(
        "BIO2-S3-PolicyNoPublicAccess",
        N,
        _bucket_policy({**PUBLIC_GET, "Condition": _condition}),
        _note,
        detail="without a restricting Condition",
    )
case(
    "BIO2-S3-PolicyNoPublicAccess",
    C,
    _bucket_policy(
        {**PUBLIC_GET, "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "10.0.0.0/8"]}}}
    ),
    "source ip office range",
)
case(
    "BIO2-KMS-NoPublicKeyPolicy",
    N,
    single(
        "AWS::KMS::Key",
        {
            "KeyPolicy": {
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": "*"},
                        "Action": "kms:Decrypt",
                        "Resource": "*",
                        "Condition": {"IpAddress": {"aws:SourceIp": ["0.0.0.0/1", "128.0.0.0/1"]}},
                    }
                ]
            }
        },
    ),
    "key open to split source ips",
)
case(
    "BIO2-IAM-TrustNoWildcard",
    N,
    single(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": "*"},
                        "Action": "sts:AssumeRole",
                        "Condition": {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}},
                    }
                ]
            }
        },
    ),
    "trust anyone from any ip",
)

# ------------------------------------------------- new evidence: 8.07.01, 8.15.02, 5.28.01


def _locked(**retention: Any) -> dict[str, Any]:
    return {
        "ObjectLockEnabled": True,
        "ObjectLockConfiguration": {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": retention}},
    }


for _retention, _note, _detail in (
    ({"Mode": "COMPLIANCE", "Days": 1}, "locked one day", "below 183"),
    ({"Mode": "COMPLIANCE", "Days": 182}, "locked 182 days", "below 183"),
):
    case(
        "BIO2-S3-LogBucketObjectLock",
        N,
        template(R=body(BUCKET, _locked(**_retention)), Trail=TRAIL_TO_R),
        _note,
        detail=_detail,
    )
case(
    "BIO2-S3-LogBucketObjectLock",
    C,
    template(R=body(BUCKET, _locked(Mode="COMPLIANCE", Days=183)), Trail=TRAIL_TO_R),
    "locked half a year",
)
RETENTION = "BIO2-S3-LogRetentionThreeYears"
case(RETENTION, C, template(R=body(BUCKET, LOCKED), Trail=TRAIL_TO_R), "three years")
case(
    RETENTION,
    C,
    template(R=body(BUCKET, _locked(Mode="COMPLIANCE", Days=1095)), Trail=TRAIL_TO_R),
    "1095 days",
)
case(
    RETENTION,
    N,
    template(R=body(BUCKET, _locked(Mode="COMPLIANCE", Days=1094)), Trail=TRAIL_TO_R),
    "1094 days",
    detail="1094 days",
)
case(
    RETENTION,
    N,
    template(R=body(BUCKET, _locked(Mode="COMPLIANCE", Years=2)), Trail=TRAIL_TO_R),
    "two years",
    detail="2 years",
)
case(
    RETENTION,
    N,
    template(R=body(BUCKET, _locked(Mode="GOVERNANCE", Years=5)), Trail=TRAIL_TO_R),
    "governance",
    detail="GOVERNANCE",
)
case(RETENTION, N, template(R=body(BUCKET), Trail=TRAIL_TO_R), "no lock", detail="ObjectLockEnabled")
case(RETENTION, NA, single(BUCKET, LOCKED), "not a log bucket")

NFW_POLICY = "AWS::NetworkFirewall::FirewallPolicy"
ALLOWLIST_GROUP = body(
    "AWS::NetworkFirewall::RuleGroup",
    {
        "Type": "STATEFUL",
        "Capacity": 100,
        "RuleGroup": {
            "RulesSource": {
                "RulesSourceList": {
                    "GeneratedRulesType": "ALLOWLIST",
                    "TargetTypes": ["TLS_SNI", "HTTP_HOST"],
                    "Targets": [".ubuntu.com", "pypi.org"],
                }
            }
        },
    },
)


def _nfw_policy(defaults: list[str], group: dict[str, Any] | None = ALLOWLIST_GROUP) -> dict[str, Any]:
    resources: dict[str, Any] = {
        "R": body(
            NFW_POLICY,
            {
                "FirewallPolicyName": "p",
                "FirewallPolicy": {
                    "StatefulDefaultActions": defaults,
                    "StatefulEngineOptions": {"RuleOrder": "STRICT_ORDER"},
                    "StatefulRuleGroupReferences": [
                        {"Priority": 1, "ResourceArn": _gatt("G", "RuleGroupArn")}
                    ],
                    "StatelessDefaultActions": ["aws:forward_to_sfe"],
                    "StatelessFragmentDefaultActions": ["aws:forward_to_sfe"],
                },
            },
        )
    }
    if group is not None:
        resources["G"] = group
    return {"Resources": resources}


def _list_group(**changes: Any) -> dict[str, Any]:
    source = {
        "GeneratedRulesType": "ALLOWLIST",
        "TargetTypes": ["TLS_SNI", "HTTP_HOST"],
        "Targets": ["pypi.org"],
    }
    source.update(changes)
    return body(
        "AWS::NetworkFirewall::RuleGroup",
        {"Type": "STATEFUL", "Capacity": 100, "RuleGroup": {"RulesSource": {"RulesSourceList": source}}},
    )


EGRESS = "BIO2-NetworkFirewall-EgressAllowlist"
case(EGRESS, C, _nfw_policy(["aws:drop_established", "aws:alert_established"]), "allowlist with default drop")
case(
    EGRESS,
    N,
    _nfw_policy(["aws:alert_established"]),
    "allowlist without drop",
    detail="outside the allowlist passes",
)
case(
    EGRESS,
    N,
    _nfw_policy(["aws:drop_strict"], _list_group(GeneratedRulesType="DENYLIST")),
    "denylist",
    detail="DENYLIST",
)
case(
    EGRESS,
    N,
    _nfw_policy(["aws:drop_strict"], _list_group(Targets=[])),
    "empty allowlist",
    detail="Targets is empty",
)
case(
    EGRESS,
    N,
    _nfw_policy(["aws:drop_strict"], _list_group(TargetTypes=["HTTP_HOST"])),
    "http only",
    detail="TLS_SNI",
)
case(
    EGRESS,
    N,
    _nfw_policy(["aws:drop_strict"], None),
    "rule group elsewhere",
    detail="not a rule group of this template",
)

DNS_GROUP = "AWS::Route53Resolver::FirewallRuleGroup"
DNS_ASSOC = "AWS::Route53Resolver::FirewallRuleGroupAssociation"


def _dns(*rules: dict[str, Any]) -> dict[str, Any]:
    return template(
        R=body(DNS_ASSOC, {"FirewallRuleGroupId": _gatt("G", "Id"), "VpcId": _ref("V"), "Priority": 200}),
        G=body(DNS_GROUP, {"FirewallRules": list(rules)}),
    )


BLOCK_MALWARE = {
    "Action": "BLOCK",
    "BlockResponse": "NODATA",
    "FirewallDomainListId": "rslvr-fdl-malware",
    "Priority": 100,
}
DNS = "BIO2-DnsFirewall-BlocksDomains"
case(DNS, C, _dns(BLOCK_MALWARE), "blocks a managed list")
case(DNS, N, _dns({**BLOCK_MALWARE, "Action": "ALERT"}), "alert only", detail="no BLOCK rule")
case(DNS, N, _dns(), "no rules", detail="no BLOCK rule")
case(
    DNS,
    N,
    single(DNS_ASSOC, {"FirewallRuleGroupId": "rslvr-frg-123", "VpcId": "vpc-1", "Priority": 200}),
    "rule group elsewhere",
    detail="not a rule group of this template",
)

DATA_PROTECTION = {
    "Name": "mask-secrets",
    "Version": "2021-06-01",
    "Statement": [
        {
            "Sid": "audit",
            "DataIdentifier": ["arn:aws:dataprotection::aws:data-identifier/AwsSecretKey"],
            "Operation": {"Audit": {"FindingsDestination": {}}},
        },
        {
            "Sid": "mask",
            "DataIdentifier": ["arn:aws:dataprotection::aws:data-identifier/AwsSecretKey"],
            "Operation": {"Deidentify": {"MaskConfig": {}}},
        },
    ],
}
DP = "BIO2-Logs-DataProtection"
ACCOUNT_POLICY = "AWS::Logs::AccountPolicy"
case(
    DP,
    C,
    single(
        ACCOUNT_POLICY,
        {
            "PolicyName": "p",
            "PolicyType": "DATA_PROTECTION_POLICY",
            "PolicyDocument": json.dumps(DATA_PROTECTION),
        },
    ),
    "account policy audits and masks",
)
case(
    DP,
    C,
    single(LOG_GROUP, {"RetentionInDays": 365, "DataProtectionPolicy": DATA_PROTECTION}),
    "log group policy",
)
case(
    DP,
    N,
    single(
        ACCOUNT_POLICY,
        {
            "PolicyName": "p",
            "PolicyType": "DATA_PROTECTION_POLICY",
            "PolicyDocument": json.dumps({**DATA_PROTECTION, "Statement": DATA_PROTECTION["Statement"][:1]}),
        },
    ),
    "audit without masking",
    detail="Deidentify.MaskConfig",
)
case(
    DP,
    N,
    single(
        LOG_GROUP,
        {
            "DataProtectionPolicy": {
                **DATA_PROTECTION,
                "Statement": [{**st, "DataIdentifier": []} for st in DATA_PROTECTION["Statement"]],
            }
        },
    ),
    "no data identifiers",
    detail="no Audit",
)
case(DP, NA, single(LOG_GROUP, {"RetentionInDays": 365}), "log group without its own policy")
case(
    DP,
    NA,
    single(
        ACCOUNT_POLICY,
        {"PolicyName": "p", "PolicyType": "SUBSCRIPTION_FILTER_POLICY", "PolicyDocument": "{}"},
    ),
    "other account policy",
)
# The app-team rules' cases live in their own module and append to CASES.
import rules_cases_appteam  # noqa: E402,F401
