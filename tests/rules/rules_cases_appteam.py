"""Cases of the app-team rules (WAF, Shield, ECS, Secrets Manager, ALB attributes, DLQs, RDS
monitoring, IAM wildcard grants), appended to ``rules_cases.CASES``."""

from __future__ import annotations

from typing import Any

from rules_cases import IF, NA, C, N, case
from rules_testkit import body, single, template

LB = "AWS::ElasticLoadBalancingV2::LoadBalancer"
ASSOC = "AWS::WAFv2::WebACLAssociation"
ACL = "AWS::WAFv2::WebACL"
STAGE = "AWS::ApiGateway::Stage"
REST_API = "AWS::ApiGateway::RestApi"
DIST = "AWS::CloudFront::Distribution"
TASK = "AWS::ECS::TaskDefinition"
CLUSTER = "AWS::ECS::Cluster"
SECRET = "AWS::SecretsManager::Secret"
ROTATION = "AWS::SecretsManager::RotationSchedule"
FUNCTION = "AWS::Lambda::Function"
QUEUE = "AWS::SQS::Queue"
DB = "AWS::RDS::DBInstance"
DB_CLUSTER = "AWS::RDS::DBCluster"
POLICY = "AWS::IAM::Policy"


def _ref(logical_id: str) -> dict[str, str]:
    return {"Ref": logical_id}


def _assoc(target: Any) -> dict[str, Any]:
    return body(ASSOC, {"ResourceArn": target, "WebACLArn": {"Fn::GetAtt": ["Acl", "Arn"]}})


# ------------------------------------------------------------------ WAF on load balancers

case("BIO2-WAF-LoadBalancerWebAcl", C, template(R=body(LB, {}), A=_assoc(_ref("R"))), "associated")
case(
    "BIO2-WAF-LoadBalancerWebAcl",
    N,
    single(LB, {"Scheme": "internet-facing"}),
    "public ALB without web ACL",
    detail="WebACLAssociation",
)
case(
    "BIO2-WAF-LoadBalancerWebAcl",
    N,
    template(R=body(LB, {}), A=_assoc(_ref("Other"))),
    "association of another resource",
)
case("BIO2-WAF-LoadBalancerWebAcl", NA, single(LB, {"Scheme": "internal"}), "internal ALB")
case("BIO2-WAF-LoadBalancerWebAcl", NA, single(LB, {"Type": "network"}), "NLB")
case("BIO2-WAF-LoadBalancerWebAcl", N, single(LB, {"Scheme": {"Ref": "P"}}), "scheme from a parameter")

STAGE_ARN = {
    "Fn::Join": [
        "",
        [
            "arn:",
            _ref("AWS::Partition"),
            ":apigateway:",
            _ref("AWS::Region"),
            "::/restapis/",
            _ref("Api"),
            "/stages/",
            "prod",
        ],
    ]
}
case(
    "BIO2-WAF-ApiStageWebAcl",
    C,
    template(R=body(STAGE, {"RestApiId": _ref("Api"), "StageName": "prod"}), A=_assoc(STAGE_ARN)),
    "associated by stage ARN",
)
case(
    "BIO2-WAF-ApiStageWebAcl",
    N,
    template(R=body(STAGE, {"RestApiId": _ref("Api"), "StageName": "test"}), A=_assoc(STAGE_ARN)),
    "association names another stage",
)
case("BIO2-WAF-ApiStageWebAcl", N, single(STAGE, {"RestApiId": _ref("Api"), "StageName": "prod"}), "none")
case(
    "BIO2-WAF-ApiStageWebAcl",
    NA,
    template(
        R=body(STAGE, {"RestApiId": _ref("Api"), "StageName": "prod"}),
        Api=body(REST_API, {"EndpointConfiguration": {"Types": ["PRIVATE"]}}),
    ),
    "private API",
)

RATE_RULE = {
    "Name": "rate",
    "Priority": 0,
    "Statement": {"RateBasedStatement": {"Limit": 1000, "AggregateKeyType": "IP"}},
    "Action": {"Block": {}},
}
MANAGED = {
    "Name": "common",
    "Priority": 1,
    "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": "AWSManagedRulesCommonRuleSet"}},
}
case("BIO2-WAF-RateLimit", C, single(ACL, {"Rules": [MANAGED, RATE_RULE]}), "rate rule")
case(
    "BIO2-WAF-RateLimit",
    C,
    single(
        ACL,
        {"Rules": [{**RATE_RULE, "Statement": {"AndStatement": {"Statements": [RATE_RULE["Statement"]]}}}]},
    ),
    "rate rule inside AndStatement",
)
case("BIO2-WAF-RateLimit", N, single(ACL, {"Rules": [MANAGED]}), "managed rules only")
case("BIO2-WAF-RateLimit", N, single(ACL, {"Rules": {"Fn::If": ["C", [RATE_RULE], []]}}), "conditional rules")

LOG_CFG = "AWS::WAFv2::LoggingConfiguration"
case(
    "BIO2-WAF-Logging",
    C,
    template(
        R=body(ACL, {}),
        L=body(LOG_CFG, {"ResourceArn": {"Fn::GetAtt": ["R", "Arn"]}, "LogDestinationConfigs": ["arn:x"]}),
    ),
    "logging configuration",
)
case("BIO2-WAF-Logging", N, single(ACL, {}), "no logging")
case(
    "BIO2-WAF-Logging",
    N,
    template(
        R=body(ACL, {}),
        L=body(LOG_CFG, {"ResourceArn": {"Fn::GetAtt": ["R", "Arn"]}, "LogDestinationConfigs": []}),
    ),
    "empty destinations",
)

SHIELD = "AWS::Shield::Protection"
case(
    "BIO2-Shield-Protection",
    C,
    template(R=body(LB, {}), P=body(SHIELD, {"Name": "p", "ResourceArn": _ref("R")})),
    "ALB protected",
)
case(
    "BIO2-Shield-Protection",
    C,
    template(
        R=body(DIST, {}),
        P=body(
            SHIELD,
            {
                "Name": "p",
                "ResourceArn": {"Fn::Join": ["", ["arn:aws:cloudfront::1:distribution/", _ref("R")]]},
            },
        ),
    ),
    "distribution protected",
)
case("BIO2-Shield-Protection", N, single(DIST, {}), "distribution unprotected")
case("BIO2-Shield-Protection", NA, single(LB, {"Scheme": "internal"}), "internal ALB")

# ------------------------------------------------------------------ ELB attributes

case(
    "BIO2-ELB-DropInvalidHeaders",
    C,
    single(
        LB,
        {
            "LoadBalancerAttributes": [
                {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"}
            ]
        },
    ),
    "dropped",
)
case("BIO2-ELB-DropInvalidHeaders", N, single(LB, {}), "default false")
case(
    "BIO2-ELB-DropInvalidHeaders",
    N,
    single(
        LB,
        {"LoadBalancerAttributes": [{"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": IF}]},
    ),
    "conditional",
)
case("BIO2-ELB-DropInvalidHeaders", NA, single(LB, {"Type": "network"}), "NLB")
case(
    "BIO2-ELB-DeletionProtection",
    C,
    single(LB, {"LoadBalancerAttributes": [{"Key": "deletion_protection.enabled", "Value": "true"}]}),
    "on",
)
case(
    "BIO2-ELB-DeletionProtection",
    N,
    single(LB, {"LoadBalancerAttributes": [{"Key": "deletion_protection.enabled", "Value": "false"}]}),
    "off",
)

# ------------------------------------------------------------------ ECS

GOOD_CONTAINER = {"Name": "app", "Image": "x", "User": "1000:1000", "ReadonlyRootFilesystem": True}
case("BIO2-ECS-NonRootUser", C, single(TASK, {"ContainerDefinitions": [GOOD_CONTAINER]}), "uid 1000")
case(
    "BIO2-ECS-NonRootUser", N, single(TASK, {"ContainerDefinitions": [{"Name": "app"}]}), "image default user"
)
case(
    "BIO2-ECS-NonRootUser",
    N,
    single(
        TASK, {"ContainerDefinitions": [GOOD_CONTAINER, {**GOOD_CONTAINER, "Name": "side", "User": "0:0"}]}
    ),
    "sidecar uid 0",
    detail="side",
)
case(
    "BIO2-ECS-NonRootUser",
    N,
    single(TASK, {"ContainerDefinitions": [{**GOOD_CONTAINER, "User": "root"}]}),
    "root",
)
case(
    "BIO2-ECS-NonRootUser",
    NA,
    single(
        TASK,
        {
            "RuntimePlatform": {"OperatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
            "ContainerDefinitions": [{"Name": "w"}],
        },
    ),
    "windows",
)
case(
    "BIO2-ECS-ReadOnlyRootFilesystem",
    C,
    single(TASK, {"ContainerDefinitions": [GOOD_CONTAINER]}),
    "read-only",
)
case(
    "BIO2-ECS-ReadOnlyRootFilesystem",
    N,
    single(TASK, {"ContainerDefinitions": [{**GOOD_CONTAINER, "ReadonlyRootFilesystem": "false"}]}),
    "writable",
)
case("BIO2-ECS-NoPrivileged", C, single(TASK, {"ContainerDefinitions": [GOOD_CONTAINER]}), "not privileged")
case(
    "BIO2-ECS-NoPrivileged",
    N,
    single(TASK, {"ContainerDefinitions": [{**GOOD_CONTAINER, "Privileged": True}]}),
    "privileged",
)
case(
    "BIO2-ECS-NoPrivileged",
    N,
    single(TASK, {"ContainerDefinitions": [{**GOOD_CONTAINER, "Privileged": IF}]}),
    "conditional privileged",
)
case(
    "BIO2-ECS-ContainerInsights",
    C,
    single(CLUSTER, {"ClusterSettings": [{"Name": "containerInsights", "Value": "enhanced"}]}),
    "enhanced",
)
case("BIO2-ECS-ContainerInsights", N, single(CLUSTER, {}), "no settings")
case(
    "BIO2-ECS-ContainerInsights",
    N,
    single(CLUSTER, {"ClusterSettings": [{"Name": "containerInsights", "Value": "disabled"}]}),
    "disabled",
)

# ------------------------------------------------------------------ Secrets Manager

case(
    "BIO2-SecretsManager-Rotation",
    C,
    template(
        R=body(SECRET, {}),
        S=body(ROTATION, {"SecretId": _ref("R"), "RotationRules": {"ScheduleExpression": "rate(30 days)"}}),
    ),
    "rotated",
)
case("BIO2-SecretsManager-Rotation", N, single(SECRET, {}), "no schedule")
case(
    "BIO2-SecretsManager-Rotation",
    N,
    template(R=body(SECRET, {}), S=body(ROTATION, {"SecretId": _ref("R")})),
    "no rules",
)
case("BIO2-SecretsManager-Cmk", C, single(SECRET, {"KmsKeyId": {"Fn::GetAtt": ["K", "Arn"]}}), "cmk")
case("BIO2-SecretsManager-Cmk", N, single(SECRET, {}), "aws managed key")
case(
    "BIO2-SecretsManager-Cmk",
    N,
    single(SECRET, {"KmsKeyId": "alias/aws/secretsmanager"}),
    "explicit aws managed key",
)

# ------------------------------------------------------------------ DLQs

case(
    "BIO2-Lambda-DeadLetterQueue",
    C,
    single(FUNCTION, {"DeadLetterConfig": {"TargetArn": {"Fn::GetAtt": ["Q", "Arn"]}}}),
    "dlq",
)
case(
    "BIO2-Lambda-DeadLetterQueue",
    C,
    template(
        R=body(FUNCTION, {}),
        E=body(
            "AWS::Lambda::EventInvokeConfig",
            {
                "FunctionName": _ref("R"),
                "Qualifier": "$LATEST",
                "DestinationConfig": {"OnFailure": {"Destination": "arn:q"}},
            },
        ),
    ),
    "on-failure destination",
)
case("BIO2-Lambda-DeadLetterQueue", N, single(FUNCTION, {}), "none")
case(
    "BIO2-SQS-DeadLetterQueue",
    C,
    single(
        QUEUE, {"RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["D", "Arn"]}, "maxReceiveCount": 3}}
    ),
    "redrive",
)
case("BIO2-SQS-DeadLetterQueue", N, single(QUEUE, {}), "none")
case(
    "BIO2-SQS-DeadLetterQueue",
    NA,
    template(
        R=body(QUEUE, {}),
        Q=body(QUEUE, {"RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["R", "Arn"]}}}),
    ),
    "is the dlq",
    target="R",
)

# ------------------------------------------------------------------ RDS monitoring

case("BIO2-RDS-LogExports", C, single(DB, {"EnableCloudwatchLogsExports": ["postgresql"]}), "exports")
case("BIO2-RDS-LogExports", N, single(DB, {}), "no exports")
case("BIO2-RDS-LogExports", NA, single(DB, {"DBClusterIdentifier": _ref("Cl")}), "aurora member")
case("BIO2-RDS-LogExports", N, single(DB_CLUSTER, {"EnableCloudwatchLogsExports": []}), "cluster empty list")
case("BIO2-RDS-EnhancedMonitoring", C, single(DB, {"MonitoringInterval": 60}), "60 s")
case("BIO2-RDS-EnhancedMonitoring", N, single(DB, {"MonitoringInterval": 0}), "0")
case("BIO2-RDS-EnhancedMonitoring", N, single(DB, {}), "unset")

# ------------------------------------------------------------------ IAM wildcard grants


def _doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


case(
    "BIO2-IAM-NoWildcardGrant",
    C,
    single(
        POLICY,
        {
            "PolicyDocument": _doc(
                {"Effect": "Allow", "Action": ["s3:GetObject*", "s3:List*"], "Resource": "*"}
            )
        },
    ),
    "prefix wildcards of grant_read",
)
case(
    "BIO2-IAM-NoWildcardGrant",
    N,
    single(
        POLICY,
        {"PolicyDocument": _doc({"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"})},
    ),
    "s3:*",
    detail="s3:*",
)
case(
    "BIO2-IAM-NoWildcardGrant",
    N,
    single(
        "AWS::IAM::Role",
        {
            "Policies": [
                {
                    "PolicyName": "p",
                    "PolicyDocument": _doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}),
                }
            ]
        },
    ),
    "inline NotAction",
)
case(
    "BIO2-IAM-NoWildcardGrant",
    C,
    single(POLICY, {"PolicyDocument": _doc({"Effect": "Deny", "Action": "*", "Resource": "*"})}),
    "deny wildcard",
)
case(
    "BIO2-IAM-NoWildcardGrant",
    NA,
    template(
        R=body(
            "AWS::IAM::ManagedPolicy",
            {"PolicyDocument": _doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})},
        ),
        Role=body("AWS::IAM::Role", {"AssumeRolePolicyDocument": {}, "PermissionsBoundary": _ref("R")}),
    ),
    "permissions boundary",
)
case(
    "BIO2-SQS-DeadLetterQueue",
    NA,
    template(
        R=body(QUEUE, {}), F=body(FUNCTION, {"DeadLetterConfig": {"TargetArn": {"Fn::GetAtt": ["R", "Arn"]}}})
    ),
    "dlq of a function",
)
case(
    "BIO2-SecretsManager-Rotation",
    C,
    template(
        R=body(SECRET, {}),
        A=body(
            "AWS::SecretsManager::SecretTargetAttachment", {"SecretId": _ref("R"), "TargetId": _ref("Db")}
        ),
        S=body(ROTATION, {"SecretId": _ref("A"), "RotationRules": {"ScheduleExpression": "rate(30 days)"}}),
    ),
    "rotated through its target attachment",
)
case(
    "BIO2-Lambda-DeadLetterQueue",
    NA,
    template(R=body(FUNCTION, {}), C=body("Custom::Thing", {"ServiceToken": {"Fn::GetAtt": ["R", "Arn"]}})),
    "custom-resource handler",
)
case(
    "BIO2-IAM-NoWildcardGrant",
    N,
    single(
        "AWS::IAM::ManagedPolicy",
        {
            "Roles": [_ref("Role")],
            "PolicyDocument": _doc({"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}),
        },
    ),
    "attached managed policy",
)
case(
    "BIO2-IAM-NoWildcardGrant",
    NA,
    single(
        "AWS::IAM::ManagedPolicy",
        {"PolicyDocument": _doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})},
    ),
    "unattached managed policy",
)
