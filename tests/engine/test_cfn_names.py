"""CloudFormation names in plain Python (bio2_aspects.cfn_names) give exactly what CDK renders.

The synth tests build a broad set of real constructs and compare, for every L1 resource,
``to_cfn`` with CDK's own ``_render_properties``. The renderer test compares the data file with
aws-cdk-lib's L1 renderers for every resource type, so types no test builds are covered too.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from bio2_aspects import cfn_names
from bio2_aspects.cfn_names import (
    DATA_FILE,
    SCALAR,
    VERBATIM,
    cdk_name,
    cdk_renderers,
    cdk_verbatim,
    convert,
    known_types,
    to_cfn,
)

ENV = cdk.Environment(account="123456789012", region="eu-central-1")
CODE = "def handler(event, context):\n    return event\n"


def _exact(cfn_type: str, props: dict[str, Any]) -> dict[str, Any]:
    """``to_cfn``, asserting that nothing fell back."""
    fallbacks: list[str] = []
    result = to_cfn(cfn_type, props, fallbacks)
    assert fallbacks == []
    return result


# ------------------------------------------------------------------------------------- unit


def test_nested_structures_are_renamed():
    props = {
        "bucketEncryption": {
            "serverSideEncryptionConfiguration": [
                {
                    "serverSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": "k"},
                    "bucketKeyEnabled": True,
                }
            ]
        },
        "versioningConfiguration": {"status": "Enabled"},
    }
    assert _exact("AWS::S3::Bucket", props) == {
        "BucketEncryption": {
            "ServerSideEncryptionConfiguration": [
                {
                    "ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "k"},
                    "BucketKeyEnabled": True,
                }
            ]
        },
        "VersioningConfiguration": {"Status": "Enabled"},
    }


def test_json_values_keep_their_keys():
    document = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": "s3:*",
                "Resource": [{"Fn::GetAtt": ["B", "Arn"]}],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }
    assert _exact("AWS::S3::BucketPolicy", {"bucket": {"Ref": "B"}, "policyDocument": document}) == {
        "Bucket": {"Ref": "B"},
        "PolicyDocument": document,
    }
    lowercase = {"statement": [{"effect": "Allow"}]}  # not renamed either, as CDK does not
    role = _exact(
        "AWS::IAM::Role",
        {
            "assumeRolePolicyDocument": lowercase,
            "policies": [{"policyName": "p", "policyDocument": document}],
        },
    )
    assert role == {
        "AssumeRolePolicyDocument": lowercase,
        "Policies": [{"PolicyName": "p", "PolicyDocument": document}],
    }


def test_values_cdk_keeps_verbatim_although_the_schema_has_structure():
    # the schema declares FileFormat..., CDK types DestinationOptions as JSON and the L2 writes camelCase
    options = {"fileFormat": "parquet", "hiveCompatiblePartitions": True, "perHourPartition": True}
    assert _exact("AWS::EC2::FlowLog", {"destinationOptions": options, "resourceType": "VPC"}) == {
        "DestinationOptions": options,
        "ResourceType": "VPC",
    }
    redrive = {"deadLetterTargetArn": "arn", "maxReceiveCount": 3}
    assert _exact("AWS::SQS::Queue", {"redrivePolicy": redrive}) == {"RedrivePolicy": redrive}


def test_maps_keep_their_keys_and_convert_their_values():
    env = {"variables": {"myVar": "1", "aws_like": "x", "Key": "v"}}
    assert _exact("AWS::Lambda::Function", {"environment": env}) == {
        "Environment": {"Variables": {"myVar": "1", "aws_like": "x", "Key": "v"}}
    }
    stage = {"apiId": "a", "stage": "prod", "throttle": {"/items/GET": {"burstLimit": 1, "rateLimit": 5}}}
    assert _exact("AWS::ApiGateway::UsagePlan", {"apiStages": [stage]}) == {
        "ApiStages": [
            {"ApiId": "a", "Stage": "prod", "Throttle": {"/items/GET": {"BurstLimit": 1, "RateLimit": 5}}}
        ]
    }
    assert _exact("AWS::SSM::Parameter", {"type": "String", "tags": {"env": "dev"}}) == {
        "Type": "String",
        "Tags": {"env": "dev"},
    }


def test_tags_get_cloudformation_keys():
    tags = [{"key": "owner", "value": "platform"}, {"key": "Name", "value": "x"}]
    assert _exact("AWS::SQS::Queue", {"tags": tags}) == {
        "Tags": [{"Key": "owner", "Value": "platform"}, {"Key": "Name", "Value": "x"}]
    }
    asg_tag = {"key": "k", "value": "v", "propagateAtLaunch": True}
    assert _exact("AWS::AutoScaling::AutoScalingGroup", {"tags": [asg_tag]}) == {
        "Tags": [{"Key": "k", "Value": "v", "PropagateAtLaunch": True}]
    }


def test_intrinsics_are_kept_where_cdk_keeps_them():
    condition = {"Fn::If": ["Encrypt", {"serverSideEncryptionConfiguration": []}, {"Ref": "AWS::NoValue"}]}
    assert _exact("AWS::S3::Bucket", {"bucketEncryption": condition}) == {"BucketEncryption": condition}
    split = {"Fn::Split": [",", {"Fn::ImportValue": "Subnets"}]}
    rule = {"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIp": {"Ref": "Cidr"}}
    element = {"Fn::If": ["Open", {"ipProtocol": "-1"}, {"Ref": "AWS::NoValue"}]}
    assert _exact(
        "AWS::EC2::SecurityGroup", {"groupDescription": "d", "securityGroupIngress": [rule, element]}
    ) == {
        "GroupDescription": "d",
        "SecurityGroupIngress": [
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": {"Ref": "Cidr"}},
            element,
        ],
    }
    assert _exact("AWS::Lambda::Function", {"vpcConfig": {"subnetIds": split}}) == {
        "VpcConfig": {"SubnetIds": split}
    }
    # a two-key object is not an intrinsic: it is a structure
    assert _exact("AWS::S3::Bucket", {"versioningConfiguration": {"status": "Enabled", "Ref": "x"}}) == {
        "VersioningConfiguration": {"Status": "Enabled"}
    }


def test_names_cdk_spells_its_own_way():
    selector = {"field": "eventCategory", "equalTo": ["Data"], "notStartsWith": ["arn:aws:s3:::tmp"]}
    trail = _exact("AWS::CloudTrail::Trail", {"advancedEventSelectors": [{"fieldSelectors": [selector]}]})
    assert trail == {
        "AdvancedEventSelectors": [
            {
                "FieldSelectors": [
                    {"Field": "eventCategory", "Equals": ["Data"], "NotStartsWith": ["arn:aws:s3:::tmp"]}
                ]
            }
        ]
    }
    zone = _exact("AWS::Route53::HostedZone", {"name": "x.nl", "vpcs": [{"vpcId": "v", "vpcRegion": "r"}]})
    assert zone == {"Name": "x.nl", "VPCs": [{"VPCId": "v", "VPCRegion": "r"}]}
    assert cdk_name("SSEAlgorithm") == "sseAlgorithm"
    assert cdk_name("KMSMasterKeyID") == "kmsMasterKeyId"
    assert cdk_name("CallbackURLs") == "callbackUrLs"  # the camelcase package's own result
    assert cdk_name("A2aAgentCard") == "a2AAgentCard"


def test_event_patterns_and_dates_are_rendered_as_cdk_does():
    pattern = {"source": ["aws.s3"], "detailType": ["Object Created"], "detail": {"bucketName": ["x"]}}
    assert _exact("AWS::Events::Rule", {"eventPattern": pattern}) == {
        "EventPattern": {
            "source": ["aws.s3"],
            "detail-type": ["Object Created"],
            "detail": {"bucketName": ["x"]},
        }
    }
    when = dt.datetime(2031, 1, 2, 3, 4, 5, 678000, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    rule = {"id": "r", "status": "Enabled", "expirationDate": when}
    assert _exact("AWS::S3::Bucket", {"lifecycleConfiguration": {"rules": [rule]}}) == {
        "LifecycleConfiguration": {
            "Rules": [{"Id": "r", "Status": "Enabled", "ExpirationDate": "2031-01-02T01:04:05Z"}]
        }
    }
    fallbacks: list[str] = []
    rule["expirationDate"] = dt.datetime(2031, 1, 2)  # naive: CDK's result depends on its clock
    to_cfn("AWS::S3::Bucket", {"lifecycleConfiguration": {"rules": [rule]}}, fallbacks)
    assert fallbacks == ["AWS::S3::Bucket.LifecycleConfiguration.Rules[0].ExpirationDate: naive datetime"]


def test_keys_cdk_does_not_render_are_dropped_as_cdk_drops_them():
    # CDK's renderer reads exactly ``sseAlgorithm``: other spellings and unknown keys are not rendered
    props = {"queueName": "q", "QueueName": "other", "notAProperty": 1}
    assert _exact("AWS::SQS::Queue", props) == {"QueueName": "q"}
    default = {"targetOriginId": "o", "pathPattern": "*", "viewerProtocolPolicy": "https-only"}
    assert _exact(
        "AWS::CloudFront::Distribution", {"distributionConfig": {"defaultCacheBehavior": default}}
    ) == {
        "DistributionConfig": {
            "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "https-only"}
        }
    }


def test_fallbacks_are_recorded():
    result, fallbacks = convert("Custom::Thing", {"serviceToken": "arn", "someKey": {"nested": 1}})
    assert result == {"ServiceToken": "arn", "SomeKey": {"nested": 1}}
    assert fallbacks == ["Custom::Thing: unknown resource type"]
    # an array where CDK renders an object
    _, fallbacks = convert("AWS::S3::Bucket", {"versioningConfiguration": [{"status": "Enabled"}]})
    assert fallbacks == ["AWS::S3::Bucket.VersioningConfiguration: an array where an object is expected"]
    # values CDK renders by trying structure after structure (a SAM union): left to CDK
    _, fallbacks = convert(
        "AWS::Serverless::Function", {"events": {"e": {"type": "SQS", "properties": {"q": 1}}}}
    )
    assert fallbacks and all("unknown property" in f for f in fallbacks)
    assert convert("AWS::S3::Bucket", {}) == ({}, [])
    assert convert("AWS::S3::Bucket", None) == ({}, [])


def test_data_for_another_aws_cdk_lib_falls_back(monkeypatch):
    monkeypatch.setattr(cfn_names._names(), "stale", "the name data is for aws-cdk-lib 0.0.0")
    result, fallbacks = convert("AWS::SQS::Queue", {"queueName": "q"})
    assert result == {"QueueName": "q"}
    assert fallbacks == ["AWS::SQS::Queue: the name data is for aws-cdk-lib 0.0.0"]


# ------------------------------------------------------------------------------------- the data file


def _rule_types() -> set[str]:
    """Resource types the rules evaluate or read through the stack view."""
    from bio2_aspects.rules import ALL_RULES, RULE_MODULES

    types = {t for r in ALL_RULES for t in r.resource_types}
    for module in RULE_MODULES:
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        types.update(re.findall(r"\"(AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)\"", source))
    return types


def test_data_file_is_small_and_covers_the_rules():
    assert DATA_FILE.stat().st_size < 3_000_000
    types = known_types()
    assert len(types) > 1800
    assert _rule_types() <= types
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    assert data["aws_cdk_lib"] == cdk_renderers()[0]
    assert cfn_names._names().stale == ""


def test_data_file_is_what_the_generator_writes():
    if importlib.util.find_spec("cfnlint") is None:
        pytest.skip("cfn-lint (a dev dependency) is not installed: the generator cannot run")
    assert DATA_FILE.read_text(encoding="utf-8") == cfn_names.render(), (
        "bio2_aspects/rules/data/cfn_names.json is out of date: run python -m bio2_aspects.cfn_names"
    )


def _check(node: Any, mapper: Any, converters: dict[Any, Any], path: str, out: list[str], seen: set) -> None:
    """Whether the data gives CDK's result or falls back, for any value ``mapper`` renders.

    Independent of the generator's alignment: walks CDK's renderer and the compiled data together.
    """
    key = (id(node), repr(mapper))
    if key in seen:
        return
    seen.add(key)
    obj, arr, map_ = cfn_names._Obj, cfn_names._Arr, cfn_names._Map
    fallback_only = isinstance(node, obj) and not node.complete and not node.fields
    if isinstance(mapper, str):
        expected = {
            "s": (SCALAR, VERBATIM),
            "j": (VERBATIM,),
            "date": (SCALAR,),
            "ep": (cfn_names.EVENT_PATTERN,),
        }
        if mapper in expected:
            if node not in expected[mapper]:
                out.append(f"{path}: {mapper} but {node}")
        elif not (  # "tag": {key, value} -> {Key, Value}
            isinstance(node, obj)
            and node.complete
            and node.fields.get("key", ("",))[0] == "Key"
            and node.fields.get("value", ("",))[0] == "Value"
            and len(node.fields) == 2
        ):
            out.append(f"{path}: tag but {node}")
        return
    kind = mapper[0]
    if kind != "fn" and cdk_verbatim(mapper):
        if node != VERBATIM:
            out.append(f"{path}: verbatim but {node}")
        return
    if kind == "fn":
        if not isinstance(node, obj):
            out.append(f"{path}: a structure but {node}")
            return
        ours = dict(node.fields)
        for cfn_name, (spelling, inner) in converters[mapper[1]].items():
            entry = ours.pop(spelling, None)
            if entry is None:
                if node.complete:
                    out.append(f"{path}.{cfn_name}: complete but {spelling} is missing")
            elif entry[0] != cfn_name:
                out.append(f"{path}.{cfn_name}: named {entry[0]}")
            else:
                _check(entry[1], inner, converters, f"{path}.{cfn_name}", out, seen)
        if ours:
            out.append(f"{path}: names CDK does not render: {sorted(ours)}")
    elif kind == "list":
        if isinstance(node, arr):
            _check(node.item, mapper[1], converters, f"{path}[]", out, seen)
        elif not fallback_only:
            out.append(f"{path}: a list but {node}")
    elif kind == "map":
        if isinstance(node, map_):
            _check(node.value, mapper[1], converters, f"{path}.*", out, seen)
        elif not fallback_only:
            out.append(f"{path}: a map but {node}")
    elif not fallback_only:  # a union: only "string or one structure" is rendered without CDK
        structures = [m for m in mapper[1:] if not cdk_verbatim(m)]
        if len(structures) == 1 and structures[0][0] == "fn" and set(mapper[1:]) <= {"s", structures[0]}:
            _check(node, structures[0], converters, path, out, seen)
        else:
            out.append(f"{path}: a union but {node}")


def test_data_matches_cdk_renderers_for_every_type():
    _, converters, types = cdk_renderers()
    names = cfn_names._names()
    problems: list[str] = []
    covered = 0
    for cfn_type, mapper in types.items():
        node = names.node(cfn_type)
        if node is None or mapper is None:
            continue  # falls back as a whole
        covered += 1
        _check(node, mapper, converters, cfn_type, problems, set())
    assert problems == []
    assert covered > 1850


# ------------------------------------------------------------------------------------- synthesized


def _l1_resources(app: cdk.App) -> list[tuple[cdk.Stack, cdk.CfnResource]]:
    out = []
    for stack in (c for c in app.node.find_all() if isinstance(c, cdk.Stack)):
        for c in stack.node.find_all():
            if isinstance(c, cdk.CfnResource) and cdk.Stack.of(c) is stack:
                out.append((stack, c))
    return out


def _compare(app: cdk.App) -> tuple[dict[str, int], list[str]]:
    """to_cfn against CDK's renderer for every L1 resource: (resources per type, differences)."""
    from bio2_aspects.tagger import _l1_type

    counts: dict[str, int] = {}
    problems: list[str] = []
    for stack, c in _l1_resources(app):
        cfn_type = _l1_type(type(c))
        if not cfn_type:
            continue  # a generic CfnResource renders its properties as given; render_stack asks CDK
        raw = stack.resolve(c._cfn_properties)
        expected = stack.resolve(c._render_properties(raw or {})) or {}
        result, fallbacks = convert(cfn_type, raw)
        where = f"{c.node.path} ({cfn_type})"
        if fallbacks:
            problems.append(f"{where}: fell back: {fallbacks}")
        elif result != expected:
            problems.append(f"{where}:\n  to_cfn {json.dumps(result, default=str)}\n  CDK    {expected}")
        counts[cfn_type] = counts.get(cfn_type, 0) + 1
    return counts, problems


def _storage(stack: cdk.Stack, key: Any, access_logs: Any) -> Any:
    from aws_cdk import Duration, RemovalPolicy
    from aws_cdk import aws_s3 as s3

    return s3.Bucket(
        stack,
        "Data",
        encryption=s3.BucketEncryption.KMS,
        encryption_key=key,
        bucket_key_enabled=True,
        versioned=True,
        enforce_ssl=True,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        server_access_logs_bucket=access_logs,
        server_access_logs_prefix="data/",
        object_lock_enabled=True,
        object_lock_default_retention=s3.ObjectLockRetention.governance(Duration.days(30)),
        cors=[
            s3.CorsRule(
                allowed_methods=[s3.HttpMethods.GET, s3.HttpMethods.PUT],
                allowed_origins=["https://example.nl"],
                allowed_headers=["*"],
                exposed_headers=["ETag"],
                max_age=300,
                id="cors1",
            )
        ],
        lifecycle_rules=[
            s3.LifecycleRule(
                id="archive",
                prefix="logs/",
                transitions=[
                    s3.Transition(storage_class=s3.StorageClass.GLACIER, transition_after=Duration.days(90))
                ],
                noncurrent_version_expiration=Duration.days(400),
                tag_filters={"class": "archive"},
            ),
            s3.LifecycleRule(id="dated", expiration_date=dt.datetime(2031, 1, 2, 3, 4, 5, tzinfo=dt.UTC)),
            s3.LifecycleRule(id="uploads", abort_incomplete_multipart_upload_after=Duration.days(7)),
        ],
        inventories=[
            s3.Inventory(
                destination=s3.InventoryDestination(bucket=access_logs, prefix="inv"),
                frequency=s3.InventoryFrequency.WEEKLY,
                include_object_versions=s3.InventoryObjectVersion.ALL,
                optional_fields=["Size", "EncryptionStatus"],
                inventory_id="weekly",
            )
        ],
        metrics=[s3.BucketMetrics(id="all", prefix="x/", tag_filters={"k": "v"})],
        intelligent_tiering_configurations=[
            s3.IntelligentTieringConfiguration(name="it", archive_access_tier_time=Duration.days(90))
        ],
        event_bridge_enabled=True,
        transfer_acceleration=True,
        removal_policy=RemovalPolicy.RETAIN,
    )


def _security_and_messaging(stack: cdk.Stack) -> dict[str, Any]:
    from aws_cdk import Duration, RemovalPolicy
    from aws_cdk import aws_iam as iam
    from aws_cdk import aws_kms as kms
    from aws_cdk import aws_s3 as s3
    from aws_cdk import aws_s3_notifications as s3n
    from aws_cdk import aws_sns as sns
    from aws_cdk import aws_sns_subscriptions as subs
    from aws_cdk import aws_sqs as sqs

    key = kms.Key(
        stack,
        "Key",
        enable_key_rotation=True,
        alias="alias/broad",
        description="broad",
        pending_window=Duration.days(10),
        rotation_period=Duration.days(180),
    )
    key.add_to_resource_policy(
        iam.PolicyStatement(
            actions=["kms:Decrypt"],
            principals=[iam.AccountRootPrincipal()],
            resources=["*"],
            conditions={"StringEquals": {"kms:ViaService": "s3.eu-central-1.amazonaws.com"}},
        )
    )
    access_logs = s3.Bucket(
        stack,
        "AccessLogs",
        encryption=s3.BucketEncryption.S3_MANAGED,
        enforce_ssl=True,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
        auto_delete_objects=True,
        removal_policy=RemovalPolicy.DESTROY,
    )
    bucket = _storage(stack, key, access_logs)
    dlq = sqs.Queue(
        stack,
        "Dlq",
        encryption=sqs.QueueEncryption.KMS,
        encryption_master_key=key,
        retention_period=Duration.days(14),
    )
    queue = sqs.Queue(
        stack,
        "Queue",
        dead_letter_queue=sqs.DeadLetterQueue(queue=dlq, max_receive_count=3),
        visibility_timeout=Duration.seconds(120),
        enforce_ssl=True,
        encryption=sqs.QueueEncryption.SQS_MANAGED,
    )
    sqs.Queue(
        stack,
        "Fifo",
        fifo=True,
        content_based_deduplication=True,
        deduplication_scope=sqs.DeduplicationScope.MESSAGE_GROUP,
        fifo_throughput_limit=sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
    )
    topic = sns.Topic(stack, "Topic", master_key=key, enforce_ssl=True, display_name="alerts")
    topic.add_subscription(
        subs.SqsSubscription(
            queue,
            raw_message_delivery=True,
            filter_policy={
                "color": sns.SubscriptionFilter.string_filter(allowlist=["red"]),
                "size": sns.SubscriptionFilter.numeric_filter(greater_than=3),
            },
        )
    )
    topic.add_subscription(subs.EmailSubscription("ops@example.nl"))
    bucket.add_event_notification(
        s3.EventType.OBJECT_CREATED,
        s3n.SqsDestination(queue),
        s3.NotificationKeyFilter(prefix="in/", suffix=".csv"),
    )
    bucket.add_event_notification(s3.EventType.OBJECT_REMOVED, s3n.SnsDestination(topic))

    boundary = iam.ManagedPolicy(
        stack, "Boundary", statements=[iam.PolicyStatement(not_actions=["iam:*"], resources=["*"])]
    )
    mfa = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
    role = iam.Role(
        stack,
        "Role",
        assumed_by=iam.CompositePrincipal(
            iam.ServicePrincipal("lambda.amazonaws.com"),
            iam.AccountPrincipal("123456789012").with_conditions(mfa),
        ),
        max_session_duration=Duration.hours(2),
        permissions_boundary=boundary,
        path="/app/",
        managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("ReadOnlyAccess")],
        inline_policies={
            "inline": iam.PolicyDocument(
                statements=[
                    iam.PolicyStatement(
                        actions=["s3:GetObject"],
                        resources=[bucket.arn_for_objects("*")],
                        conditions={"Bool": {"aws:SecureTransport": "true"}},
                    )
                ]
            )
        },
    )
    group = iam.Group(stack, "Group")
    user = iam.User(stack, "User", groups=[group], permissions_boundary=boundary)
    iam.Policy(
        stack,
        "Policy",
        statements=[iam.PolicyStatement(actions=["sqs:*"], resources=[queue.queue_arn])],
        users=[user],
        groups=[group],
    )
    iam.CfnInstanceProfile(stack, "Profile", roles=[role.role_name])
    iam.AccessKey(stack, "AccessKey", user=user)
    bucket.grant_read_write(role)
    queue.grant_consume_messages(role)
    key.grant_encrypt_decrypt(role)
    return {
        "key": key,
        "bucket": bucket,
        "access_logs": access_logs,
        "queue": queue,
        "dlq": dlq,
        "topic": topic,
    }


def _network(stack: cdk.Stack, r: dict[str, Any]) -> None:
    from aws_cdk import aws_autoscaling as autoscaling
    from aws_cdk import aws_ec2 as ec2
    from aws_cdk import aws_logs as logs

    key, access_logs = r["key"], r["access_logs"]
    vpc = ec2.Vpc(
        stack,
        "Vpc",
        ip_addresses=ec2.IpAddresses.cidr("10.10.0.0/16"),
        max_azs=2,
        nat_gateways=1,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="public", subnet_type=ec2.SubnetType.PUBLIC, cidr_mask=24),
            ec2.SubnetConfiguration(name="app", subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS, cidr_mask=22),
            ec2.SubnetConfiguration(name="data", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED, cidr_mask=24),
        ],
        restrict_default_security_group=True,
        gateway_endpoints={"S3": ec2.GatewayVpcEndpointOptions(service=ec2.GatewayVpcEndpointAwsService.S3)},
    )
    flow_logs = logs.LogGroup(stack, "FlowLogs", retention=logs.RetentionDays.ONE_YEAR, encryption_key=key)
    vpc.add_flow_log(
        "ToLogs",
        destination=ec2.FlowLogDestination.to_cloud_watch_logs(flow_logs),
        traffic_type=ec2.FlowLogTrafficType.REJECT,
        max_aggregation_interval=ec2.FlowLogMaxAggregationInterval.ONE_MINUTE,
    )
    vpc.add_flow_log(
        "ToS3",
        destination=ec2.FlowLogDestination.to_s3(
            access_logs,
            "flows/",
            file_format=ec2.FlowLogFileFormat.PARQUET,
            hive_compatible_partitions=True,
            per_hour_partition=True,
        ),
        log_format=[ec2.LogFormat.SRC_ADDR, ec2.LogFormat.DST_ADDR, ec2.LogFormat.custom("${action}")],
    )
    vpc.add_interface_endpoint(
        "Ssm",
        service=ec2.InterfaceVpcEndpointAwsService.SSM,
        private_dns_enabled=True,
        subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
    )
    sg = ec2.SecurityGroup(stack, "Sg", vpc=vpc, allow_all_outbound=False, description="app")
    sg.add_ingress_rule(ec2.Peer.ipv4("10.0.0.0/8"), ec2.Port.tcp_range(8000, 8100), "app")
    sg.add_ingress_rule(sg, ec2.Port.all_traffic(), "self")
    sg.add_egress_rule(ec2.Peer.any_ipv4(), ec2.Port.tcp(443), "https")
    ec2.CfnSecurityGroupIngress(
        stack,
        "ExtraIngress",
        group_id=sg.security_group_id,
        ip_protocol="tcp",
        from_port=22,
        to_port=22,
        cidr_ip="192.168.0.0/24",
        description="ssh",
    )
    nacl = ec2.NetworkAcl(
        stack,
        "Nacl",
        vpc=vpc,
        subnet_selection=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
    )
    nacl.add_entry(
        "Https",
        cidr=ec2.AclCidr.any_ipv4(),
        rule_number=100,
        traffic=ec2.AclTraffic.tcp_port(443),
        direction=ec2.TrafficDirection.INGRESS,
    )
    image = ec2.MachineImage.latest_amazon_linux2023()
    template = ec2.LaunchTemplate(
        stack,
        "Lt",
        machine_image=image,
        instance_type=ec2.InstanceType("t3.micro"),
        require_imdsv2=True,
        security_group=sg,
        block_devices=[
            ec2.BlockDevice(
                device_name="/dev/xvda", volume=ec2.BlockDeviceVolume.ebs(20, encrypted=True, kms_key=key)
            )
        ],
    )
    asg = autoscaling.AutoScalingGroup(
        stack, "Asg", vpc=vpc, launch_template=template, min_capacity=1, max_capacity=2
    )
    cdk.Tags.of(asg).add("asg-tag", "yes", apply_to_launched_instances=True)
    ec2.Instance(
        stack,
        "Instance",
        vpc=vpc,
        instance_type=ec2.InstanceType("t3.micro"),
        machine_image=image,
        block_devices=[
            ec2.BlockDevice(device_name="/dev/xvda", volume=ec2.BlockDeviceVolume.ebs(10, encrypted=True))
        ],
        require_imdsv2=True,
        detailed_monitoring=True,
    )
    r.update(vpc=vpc, sg=sg, flow_logs=flow_logs, isolated=[s.subnet_id for s in vpc.isolated_subnets])
    _transit_gateway(stack, r)
    _firewalls(stack, r)


def _transit_gateway(stack: cdk.Stack, r: dict[str, Any]) -> None:
    from aws_cdk import aws_ec2 as ec2

    vpc, isolated = r["vpc"], r["isolated"]
    tgw = ec2.CfnTransitGateway(
        stack,
        "Tgw",
        amazon_side_asn=64512,
        auto_accept_shared_attachments="disable",
        default_route_table_association="disable",
        default_route_table_propagation="disable",
        dns_support="enable",
        vpn_ecmp_support="enable",
        tags=[cdk.CfnTag(key="Name", value="tgw")],
    )
    attachment = ec2.CfnTransitGatewayAttachment(
        stack,
        "TgwAttachment",
        transit_gateway_id=tgw.ref,
        vpc_id=vpc.vpc_id,
        subnet_ids=isolated,
        options={"DnsSupport": "enable", "ApplianceModeSupport": "disable"},
    )
    ec2.CfnTransitGatewayVpcAttachment(
        stack,
        "TgwVpcAttachment",
        transit_gateway_id=tgw.ref,
        vpc_id=vpc.vpc_id,
        subnet_ids=isolated,
        options={"DnsSupport": "enable", "Ipv6Support": "disable"},
    )
    table = ec2.CfnTransitGatewayRouteTable(stack, "TgwRoutes", transit_gateway_id=tgw.ref)
    ec2.CfnTransitGatewayRouteTableAssociation(
        stack,
        "TgwAssociation",
        transit_gateway_attachment_id=attachment.ref,
        transit_gateway_route_table_id=table.ref,
    )
    ec2.CfnTransitGatewayRouteTablePropagation(
        stack,
        "TgwPropagation",
        transit_gateway_attachment_id=attachment.ref,
        transit_gateway_route_table_id=table.ref,
    )
    ec2.CfnTransitGatewayRoute(
        stack,
        "TgwBlackhole",
        transit_gateway_route_table_id=table.ref,
        destination_cidr_block="0.0.0.0/0",
        blackhole=True,
    )


def _firewalls(stack: cdk.Stack, r: dict[str, Any]) -> None:
    from aws_cdk import aws_networkfirewall as nfw
    from aws_cdk import aws_route53resolver as resolver

    vpc, isolated, flow_logs = r["vpc"], r["isolated"], r["flow_logs"]
    rg = nfw.CfnRuleGroup
    stateful = rg(
        stack,
        "FwDomains",
        capacity=100,
        rule_group_name="domains",
        type="STATEFUL",
        rule_group=rg.RuleGroupProperty(
            rule_variables=rg.RuleVariablesProperty(
                ip_sets={"HOME_NET": rg.IPSetProperty(definition=["10.0.0.0/8"])},
                port_sets={"WEB": rg.PortSetProperty(definition=["443"])},
            ),
            rules_source=rg.RulesSourceProperty(
                rules_source_list=rg.RulesSourceListProperty(
                    generated_rules_type="ALLOWLIST",
                    target_types=["TLS_SNI", "HTTP_HOST"],
                    targets=[".example.nl"],
                )
            ),
            stateful_rule_options=rg.StatefulRuleOptionsProperty(rule_order="STRICT_ORDER"),
        ),
    )
    match = rg.MatchAttributesProperty(
        protocols=[6],
        destination_ports=[rg.PortRangeProperty(from_port=23, to_port=23)],
        sources=[rg.AddressProperty(address_definition="0.0.0.0/0")],
        tcp_flags=[rg.TCPFlagFieldProperty(flags=["SYN"], masks=["SYN", "ACK"])],
    )
    stateless = rg(
        stack,
        "FwStateless",
        capacity=10,
        rule_group_name="telnet",
        type="STATELESS",
        rule_group=rg.RuleGroupProperty(
            rules_source=rg.RulesSourceProperty(
                stateless_rules_and_custom_actions=rg.StatelessRulesAndCustomActionsProperty(
                    stateless_rules=[
                        rg.StatelessRuleProperty(
                            priority=1,
                            rule_definition=rg.RuleDefinitionProperty(
                                actions=["aws:drop"], match_attributes=match
                            ),
                        )
                    ]
                )
            )
        ),
    )
    fp = nfw.CfnFirewallPolicy
    policy = fp(
        stack,
        "FwPolicy",
        firewall_policy_name="fw",
        firewall_policy=fp.FirewallPolicyProperty(
            stateless_default_actions=["aws:forward_to_sfe"],
            stateless_fragment_default_actions=["aws:forward_to_sfe"],
            stateless_rule_group_references=[
                fp.StatelessRuleGroupReferenceProperty(
                    priority=10, resource_arn=stateless.attr_rule_group_arn
                )
            ],
            stateful_rule_group_references=[
                fp.StatefulRuleGroupReferenceProperty(resource_arn=stateful.attr_rule_group_arn, priority=1)
            ],
            stateful_engine_options=fp.StatefulEngineOptionsProperty(
                rule_order="STRICT_ORDER", stream_exception_policy="DROP"
            ),
            stateful_default_actions=["aws:drop_strict", "aws:alert_strict"],
        ),
    )
    firewall = nfw.CfnFirewall(
        stack,
        "Firewall",
        firewall_name="fw",
        firewall_policy_arn=policy.attr_firewall_policy_arn,
        vpc_id=vpc.vpc_id,
        subnet_mappings=[nfw.CfnFirewall.SubnetMappingProperty(subnet_id=s) for s in isolated],
        delete_protection=True,
    )
    lc = nfw.CfnLoggingConfiguration
    lc(
        stack,
        "FwLogging",
        firewall_arn=firewall.attr_firewall_arn,
        logging_configuration=lc.LoggingConfigurationProperty(
            log_destination_configs=[
                lc.LogDestinationConfigProperty(
                    log_destination={"logGroup": flow_logs.log_group_name},
                    log_destination_type="CloudWatchLogs",
                    log_type="ALERT",
                )
            ]
        ),
    )
    domains = resolver.CfnFirewallDomainList(stack, "BadDomains", name="bad", domains=["evil.example."])
    dns_firewall = resolver.CfnFirewallRuleGroup(
        stack,
        "DnsFirewall",
        name="dnsfw",
        firewall_rules=[
            resolver.CfnFirewallRuleGroup.FirewallRuleProperty(
                action="BLOCK",
                block_response="NXDOMAIN",
                firewall_domain_list_id=domains.attr_id,
                priority=100,
            )
        ],
    )
    resolver.CfnFirewallRuleGroupAssociation(
        stack,
        "DnsFirewallAssociation",
        firewall_rule_group_id=dns_firewall.attr_id,
        priority=101,
        vpc_id=vpc.vpc_id,
        mutation_protection="ENABLED",
    )
    query_logs = resolver.CfnResolverQueryLoggingConfig(
        stack, "QueryLogs", destination_arn=flow_logs.log_group_arn, name="q"
    )
    resolver.CfnResolverQueryLoggingConfigAssociation(
        stack, "QueryLogsAssociation", resolver_query_log_config_id=query_logs.attr_id, resource_id=vpc.vpc_id
    )


def _compute_and_data(stack: cdk.Stack, r: dict[str, Any]) -> None:
    from aws_cdk import Duration
    from aws_cdk import aws_dynamodb as ddb
    from aws_cdk import aws_ec2 as ec2
    from aws_cdk import aws_ecr as ecr
    from aws_cdk import aws_ecs as ecs
    from aws_cdk import aws_efs as efs
    from aws_cdk import aws_iam as iam
    from aws_cdk import aws_kinesis as kinesis
    from aws_cdk import aws_lambda as lambda_
    from aws_cdk import aws_lambda_event_sources as sources
    from aws_cdk import aws_logs as logs
    from aws_cdk import aws_rds as rds
    from aws_cdk import aws_secretsmanager as secretsmanager
    from aws_cdk import aws_ssm as ssm

    key, vpc, sg, queue = r["key"], r["vpc"], r["sg"], r["queue"]
    isolated = ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
    fn = lambda_.Function(
        stack,
        "Fn",
        runtime=lambda_.Runtime.PYTHON_3_12,
        handler="index.handler",
        code=lambda_.Code.from_inline(CODE),
        environment={"TABLE": "t", "aws_like": "x"},
        environment_encryption=key,
        vpc=vpc,
        security_groups=[sg],
        vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
        reserved_concurrent_executions=5,
        dead_letter_queue_enabled=True,
        tracing=lambda_.Tracing.ACTIVE,
        memory_size=256,
        timeout=Duration.seconds(30),
        log_group=logs.LogGroup(stack, "FnLogs", retention=logs.RetentionDays.THREE_MONTHS),
        architecture=lambda_.Architecture.ARM_64,
        ephemeral_storage_size=cdk.Size.mebibytes(1024),
        logging_format=lambda_.LoggingFormat.JSON,
    )
    fn.add_function_url(
        auth_type=lambda_.FunctionUrlAuthType.AWS_IAM,
        cors=lambda_.FunctionUrlCorsOptions(
            allowed_origins=["https://example.nl"], allowed_methods=[lambda_.HttpMethod.GET]
        ),
    )
    fn.add_event_source(
        sources.SqsEventSource(
            queue, batch_size=5, report_batch_item_failures=True, max_batching_window=Duration.seconds(10)
        )
    )
    alias = lambda_.Alias(
        stack, "Live", alias_name="live", version=fn.current_version, provisioned_concurrent_executions=1
    )
    alias.add_auto_scaling(max_capacity=3).scale_on_utilization(utilization_target=0.6)
    r["fn"] = fn

    table = ddb.Table(
        stack,
        "Table",
        partition_key=ddb.Attribute(name="pk", type=ddb.AttributeType.STRING),
        sort_key=ddb.Attribute(name="sk", type=ddb.AttributeType.NUMBER),
        encryption=ddb.TableEncryption.CUSTOMER_MANAGED,
        encryption_key=key,
        point_in_time_recovery_specification=ddb.PointInTimeRecoverySpecification(
            point_in_time_recovery_enabled=True, recovery_period_in_days=7
        ),
        stream=ddb.StreamViewType.NEW_AND_OLD_IMAGES,
        time_to_live_attribute="ttl",
        contributor_insights_enabled=True,
        billing_mode=ddb.BillingMode.PAY_PER_REQUEST,
        deletion_protection=True,
        table_class=ddb.TableClass.STANDARD_INFREQUENT_ACCESS,
    )
    table.add_global_secondary_index(
        index_name="byOwner",
        partition_key=ddb.Attribute(name="owner", type=ddb.AttributeType.STRING),
        projection_type=ddb.ProjectionType.INCLUDE,
        non_key_attributes=["a", "b"],
    )
    table.add_local_secondary_index(
        index_name="bySize", sort_key=ddb.Attribute(name="size", type=ddb.AttributeType.NUMBER)
    )
    ddb.TableV2(
        stack,
        "Global",
        partition_key=ddb.Attribute(name="id", type=ddb.AttributeType.STRING),
        point_in_time_recovery_specification=ddb.PointInTimeRecoverySpecification(
            point_in_time_recovery_enabled=True
        ),
        encryption=ddb.TableEncryptionV2.dynamo_owned_key(),
        dynamo_stream=ddb.StreamViewType.KEYS_ONLY,
        replicas=[ddb.ReplicaTableProps(region="eu-west-1")],
        global_secondary_indexes=[
            ddb.GlobalSecondaryIndexPropsV2(
                index_name="byG", partition_key=ddb.Attribute(name="g", type=ddb.AttributeType.STRING)
            )
        ],
        tags=[cdk.CfnTag(key="t", value="v")],
    )
    r["table"] = table
    db = rds.DatabaseInstance(
        stack,
        "Db",
        engine=rds.DatabaseInstanceEngine.postgres(version=rds.PostgresEngineVersion.VER_16),
        vpc=vpc,
        vpc_subnets=isolated,
        storage_encrypted=True,
        storage_encryption_key=key,
        backup_retention=Duration.days(14),
        multi_az=True,
        deletion_protection=True,
        cloudwatch_logs_exports=["postgresql"],
        monitoring_interval=Duration.seconds(60),
        enable_performance_insights=True,
        performance_insight_encryption_key=key,
        parameters={"rds.force_ssl": "1"},
        iam_authentication=True,
        instance_type=ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
        allocated_storage=50,
        max_allocated_storage=100,
        storage_type=rds.StorageType.GP3,
    )
    db.add_rotation_single_user()  # a hosted rotation: an AWS::Serverless::Application
    rds.DatabaseCluster(
        stack,
        "Cluster",
        engine=rds.DatabaseClusterEngine.aurora_postgres(version=rds.AuroraPostgresEngineVersion.VER_16_4),
        writer=rds.ClusterInstance.provisioned("writer", instance_type=ec2.InstanceType("r6g.large")),
        readers=[rds.ClusterInstance.serverless_v2("reader")],
        serverless_v2_max_capacity=4,
        serverless_v2_min_capacity=0.5,
        vpc=vpc,
        vpc_subnets=isolated,
        storage_encrypted=True,
        storage_encryption_key=key,
        backup=rds.BackupProps(retention=Duration.days(7), preferred_window="01:00-02:00"),
        cloudwatch_logs_exports=["postgresql"],
        cloudwatch_logs_retention=logs.RetentionDays.ONE_MONTH,
        deletion_protection=True,
        parameters={"log_statement": "ddl"},
        iam_authentication=True,
    )
    secret = secretsmanager.Secret(
        stack,
        "Secret",
        encryption_key=key,
        generate_secret_string=secretsmanager.SecretStringGenerator(
            secret_string_template='{"username":"app"}',
            generate_string_key="password",
            exclude_punctuation=True,
        ),
        replica_regions=[secretsmanager.ReplicaRegion(region="eu-west-1")],
    )
    ssm.StringParameter(stack, "Param", string_value="v", tier=ssm.ParameterTier.ADVANCED, description="p")
    kinesis.Stream(
        stack,
        "Stream",
        encryption=kinesis.StreamEncryption.KMS,
        encryption_key=key,
        retention_period=Duration.hours(48),
        shard_count=2,
    )
    efs.FileSystem(
        stack,
        "Efs",
        vpc=vpc,
        encrypted=True,
        kms_key=key,
        lifecycle_policy=efs.LifecyclePolicy.AFTER_30_DAYS,
        out_of_infrequent_access_policy=efs.OutOfInfrequentAccessPolicy.AFTER_1_ACCESS,
        enable_automatic_backups=True,
        throughput_mode=efs.ThroughputMode.ELASTIC,
        file_system_policy=iam.PolicyDocument(
            statements=[
                iam.PolicyStatement(
                    actions=["elasticfilesystem:ClientMount"],
                    principals=[iam.AnyPrincipal()],
                    conditions={"Bool": {"elasticfilesystem:AccessedViaMountTarget": "true"}},
                )
            ]
        ),
    )
    repo = ecr.Repository(
        stack,
        "Repo",
        image_scan_on_push=True,
        image_tag_mutability=ecr.TagMutability.IMMUTABLE,
        encryption=ecr.RepositoryEncryption.KMS,
        encryption_key=key,
        lifecycle_rules=[ecr.LifecycleRule(max_image_count=10, tag_status=ecr.TagStatus.ANY)],
    )
    cluster = ecs.Cluster(stack, "Ecs", vpc=vpc, container_insights_v2=ecs.ContainerInsights.ENHANCED)
    task = ecs.FargateTaskDefinition(stack, "Task", cpu=256, memory_limit_mib=512)
    task.add_container(
        "app",
        image=ecs.ContainerImage.from_ecr_repository(repo, "1.0"),
        environment={"MODE": "prod"},
        logging=ecs.LogDrivers.aws_logs(stream_prefix="app", log_retention=logs.RetentionDays.ONE_WEEK),
        port_mappings=[ecs.PortMapping(container_port=8080)],
        readonly_root_filesystem=True,
        health_check=ecs.HealthCheck(command=["CMD-SHELL", "curl -f http://localhost:8080/ || exit 1"]),
        secrets={"DB": ecs.Secret.from_secrets_manager(secret, "password")},
    )
    r["service"] = ecs.FargateService(
        stack,
        "Service",
        cluster=cluster,
        task_definition=task,
        security_groups=[sg],
        circuit_breaker=ecs.DeploymentCircuitBreaker(rollback=True),
    )


def _edge(stack: cdk.Stack, r: dict[str, Any]) -> None:
    from aws_cdk import Duration
    from aws_cdk import aws_certificatemanager as acm
    from aws_cdk import aws_cloudfront as cloudfront
    from aws_cdk import aws_cloudfront_origins as origins
    from aws_cdk import aws_elasticloadbalancingv2 as elbv2
    from aws_cdk import aws_route53 as route53
    from aws_cdk import aws_route53_targets as route53_targets
    from aws_cdk import aws_s3 as s3
    from aws_cdk import aws_wafv2 as wafv2

    alb = elbv2.ApplicationLoadBalancer(
        stack,
        "Alb",
        vpc=r["vpc"],
        internet_facing=True,
        drop_invalid_header_fields=True,
        deletion_protection=True,
    )
    alb.log_access_logs(r["access_logs"], "alb")
    https = alb.add_listener(
        "Https",
        port=443,
        certificates=[
            elbv2.ListenerCertificate.from_arn("arn:aws:acm:eu-central-1:123456789012:certificate/abc")
        ],
        ssl_policy=elbv2.SslPolicy.RECOMMENDED_TLS,
        default_action=elbv2.ListenerAction.fixed_response(
            404, content_type="text/plain", message_body="nope"
        ),
    )
    https.add_targets(
        "Ecs",
        port=8080,
        targets=[r["service"]],
        health_check=elbv2.HealthCheck(path="/health", interval=Duration.seconds(30)),
        conditions=[elbv2.ListenerCondition.path_patterns(["/api/*"])],
        priority=10,
        deregistration_delay=Duration.seconds(10),
    )
    alb.add_redirect()
    zone = route53.PublicHostedZone(stack, "Zone", zone_name="example.nl")
    route53.ARecord(
        stack,
        "AppRecord",
        zone=zone,
        record_name="app",
        target=route53.RecordTarget.from_alias(route53_targets.LoadBalancerTarget(alb)),
    )
    acm.Certificate(
        stack,
        "Cert",
        domain_name="app.example.nl",
        validation=acm.CertificateValidation.from_dns(zone),
        subject_alternative_names=["www.example.nl"],
    )
    w = wafv2.CfnWebACL

    def visibility(name: str) -> Any:
        return w.VisibilityConfigProperty(
            cloud_watch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True
        )

    header = w.StatementProperty(
        byte_match_statement=w.ByteMatchStatementProperty(
            field_to_match=w.FieldToMatchProperty(single_header={"Name": "x-bad"}),
            positional_constraint="EXACTLY",
            search_string="1",
            text_transformations=[w.TextTransformationProperty(priority=0, type="NONE")],
        )
    )
    not_nl = w.StatementProperty(
        not_statement=w.NotStatementProperty(
            statement=w.StatementProperty(
                geo_match_statement=w.GeoMatchStatementProperty(country_codes=["NL"])
            )
        )
    )
    web_acl = w(
        stack,
        "Waf",
        scope="REGIONAL",
        default_action=w.DefaultActionProperty(allow={}),
        visibility_config=visibility("waf"),
        rules=[
            w.RuleProperty(
                name="common",
                priority=1,
                override_action=w.OverrideActionProperty(none={}),
                statement=w.StatementProperty(
                    managed_rule_group_statement=w.ManagedRuleGroupStatementProperty(
                        vendor_name="AWS",
                        name="AWSManagedRulesCommonRuleSet",
                        excluded_rules=[w.ExcludedRuleProperty(name="SizeRestrictions_BODY")],
                    )
                ),
                visibility_config=visibility("common"),
            ),
            w.RuleProperty(
                name="header",
                priority=2,
                action=w.RuleActionProperty(block={}),
                statement=w.StatementProperty(
                    and_statement=w.AndStatementProperty(statements=[header, not_nl])
                ),
                visibility_config=visibility("header"),
            ),
        ],
    )
    wafv2.CfnWebACLAssociation(
        stack, "WafAssociation", resource_arn=alb.load_balancer_arn, web_acl_arn=web_acl.attr_arn
    )
    site = s3.Bucket(stack, "Site", enforce_ssl=True, encryption=s3.BucketEncryption.S3_MANAGED)
    viewer_fn = cloudfront.Function(
        stack,
        "ViewerFn",
        code=cloudfront.FunctionCode.from_inline("function handler(event) { return event.request; }"),
        runtime=cloudfront.FunctionRuntime.JS_2_0,
    )
    cloudfront.Distribution(
        stack,
        "Cdn",
        default_behavior=cloudfront.BehaviorOptions(
            origin=origins.S3BucketOrigin.with_origin_access_control(site),
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
            response_headers_policy=cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
            function_associations=[
                cloudfront.FunctionAssociation(
                    function=viewer_fn, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST
                )
            ],
        ),
        additional_behaviors={
            "/api/*": cloudfront.BehaviorOptions(
                origin=origins.LoadBalancerV2Origin(alb),
                allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
                origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER,
            )
        },
        enable_logging=True,
        log_bucket=r["access_logs"],
        log_file_prefix="cdn/",
        minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
        geo_restriction=cloudfront.GeoRestriction.allowlist("NL", "BE"),
        default_root_object="index.html",
        http_version=cloudfront.HttpVersion.HTTP2_AND_3,
        error_responses=[
            cloudfront.ErrorResponse(
                http_status=404,
                response_http_status=200,
                response_page_path="/index.html",
                ttl=Duration.seconds(10),
            )
        ],
    )
    cloudfront.ResponseHeadersPolicy(
        stack,
        "Headers",
        security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
            strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                access_control_max_age=Duration.days(365), include_subdomains=True, override=True
            ),
            content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
        ),
        custom_headers_behavior=cloudfront.ResponseCustomHeadersBehavior(
            custom_headers=[cloudfront.ResponseCustomHeader(header="X-App", value="1", override=True)]
        ),
    )


def _api(stack: cdk.Stack, r: dict[str, Any]) -> None:
    from aws_cdk import Duration
    from aws_cdk import aws_apigateway as apigw
    from aws_cdk import aws_iam as iam
    from aws_cdk import aws_logs as logs

    access = logs.LogGroup(stack, "ApiAccess", retention=logs.RetentionDays.ONE_YEAR)
    fields = apigw.AccessLogFormat.json_with_standard_fields(
        caller=True,
        http_method=True,
        ip=True,
        protocol=True,
        request_time=True,
        resource_path=True,
        response_length=True,
        status=True,
        user=True,
    )
    api = apigw.RestApi(
        stack,
        "Api",
        deploy_options=apigw.StageOptions(
            stage_name="prod",
            access_log_destination=apigw.LogGroupLogDestination(access),
            access_log_format=fields,
            logging_level=apigw.MethodLoggingLevel.INFO,
            data_trace_enabled=False,
            metrics_enabled=True,
            tracing_enabled=True,
            throttling_rate_limit=100,
            throttling_burst_limit=50,
            cache_cluster_enabled=True,
            cache_cluster_size="0.5",
            method_options={
                "/items/GET": apigw.MethodDeploymentOptions(
                    caching_enabled=True, cache_ttl=Duration.minutes(5)
                )
            },
        ),
        endpoint_types=[apigw.EndpointType.REGIONAL],
        cloud_watch_role=True,
        min_compression_size=cdk.Size.kibibytes(1),
        policy=iam.PolicyDocument(
            statements=[
                iam.PolicyStatement(
                    actions=["execute-api:Invoke"],
                    principals=[iam.AnyPrincipal()],
                    resources=["execute-api:/*"],
                    conditions={"IpAddress": {"aws:SourceIp": ["10.0.0.0/8"]}},
                )
            ]
        ),
    )
    items = api.root.add_resource("items")
    get = items.add_method(
        "GET",
        apigw.LambdaIntegration(r["fn"]),
        authorization_type=apigw.AuthorizationType.IAM,
        request_parameters={"method.request.querystring.q": False},
    )
    items.add_method(
        "POST",
        apigw.MockIntegration(
            integration_responses=[
                apigw.IntegrationResponse(
                    status_code="200", response_templates={"application/json": '{"ok": 1}'}
                )
            ],
            request_templates={"application/json": '{"statusCode": 200}'},
        ),
        method_responses=[
            apigw.MethodResponse(
                status_code="200", response_models={"application/json": apigw.Model.EMPTY_MODEL}
            )
        ],
    )
    plan = api.add_usage_plan(
        "Plan",
        throttle=apigw.ThrottleSettings(rate_limit=10, burst_limit=2),
        quota=apigw.QuotaSettings(limit=1000, period=apigw.Period.DAY),
    )
    plan.add_api_stage(
        stage=api.deployment_stage,
        throttle=[
            apigw.ThrottlingPerMethod(
                method=get, throttle=apigw.ThrottleSettings(rate_limit=5, burst_limit=1)
            )
        ],
    )
    plan.add_api_key(api.add_api_key("ApiKey"))


def _audit(stack: cdk.Stack, r: dict[str, Any]) -> None:
    from aws_cdk import Duration
    from aws_cdk import aws_backup as backup
    from aws_cdk import aws_cloudtrail as cloudtrail
    from aws_cdk import aws_config as config
    from aws_cdk import aws_events as events
    from aws_cdk import aws_iam as iam
    from aws_cdk import aws_logs as logs
    from aws_cdk import aws_s3 as s3

    key, topic = r["key"], r["topic"]
    trail_bucket = s3.Bucket(
        stack, "TrailBucket", enforce_ssl=True, encryption=s3.BucketEncryption.KMS, encryption_key=key
    )
    trail = cloudtrail.Trail(
        stack,
        "Trail",
        bucket=trail_bucket,
        encryption_key=key,
        send_to_cloud_watch_logs=True,
        cloud_watch_logs_retention=logs.RetentionDays.ONE_YEAR,
        is_multi_region_trail=True,
        include_global_service_events=True,
        enable_file_validation=True,
        management_events=cloudtrail.ReadWriteType.ALL,
        insight_types=[cloudtrail.InsightType.API_CALL_RATE],
        sns_topic=topic,
    )
    trail.add_s3_event_selector(
        [cloudtrail.S3EventSelector(bucket=r["bucket"], object_prefix="in/")],
        read_write_type=cloudtrail.ReadWriteType.WRITE_ONLY,
    )
    selector = cloudtrail.CfnTrail.AdvancedFieldSelectorProperty
    cloudtrail.CfnTrail(
        stack,
        "AdvancedTrail",
        is_logging=True,
        s3_bucket_name=trail_bucket.bucket_name,
        advanced_event_selectors=[
            cloudtrail.CfnTrail.AdvancedEventSelectorProperty(
                name="s3-data",
                field_selectors=[
                    selector(field="eventCategory", equal_to=["Data"]),
                    selector(
                        field="resources.type",
                        equal_to=["AWS::S3::Object"],
                        not_starts_with=["arn:aws:s3:::t"],
                    ),
                ],
            )
        ],
    )
    config_role = iam.Role(
        stack,
        "ConfigRole",
        assumed_by=iam.ServicePrincipal("config.amazonaws.com"),
        managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AWS_ConfigRole")],
    )
    cr = config.CfnConfigurationRecorder
    recorder = cr(
        stack,
        "Recorder",
        role_arn=config_role.role_arn,
        recording_group=cr.RecordingGroupProperty(
            all_supported=False,
            include_global_resource_types=False,
            recording_strategy=cr.RecordingStrategyProperty(use_only="EXCLUSION_BY_RESOURCE_TYPES"),
            exclusion_by_resource_types=cr.ExclusionByResourceTypesProperty(
                resource_types=["AWS::EC2::NetworkInterface"]
            ),
        ),
        recording_mode=cr.RecordingModeProperty(
            recording_frequency="CONTINUOUS",
            recording_mode_overrides=[
                cr.RecordingModeOverrideProperty(
                    recording_frequency="DAILY", resource_types=["AWS::EC2::Instance"], description="daily"
                )
            ],
        ),
    )
    config.CfnDeliveryChannel(
        stack,
        "Delivery",
        s3_bucket_name=trail_bucket.bucket_name,
        s3_kms_key_arn=key.key_arn,
        sns_topic_arn=topic.topic_arn,
        config_snapshot_delivery_properties=config.CfnDeliveryChannel.ConfigSnapshotDeliveryPropertiesProperty(
            delivery_frequency="TwentyFour_Hours"
        ),
    )
    ebs = config.ManagedRule(
        stack,
        "EncryptedVolumes",
        identifier=config.ManagedRuleIdentifiers.EC2_EBS_ENCRYPTION_BY_DEFAULT,
        maximum_execution_frequency=config.MaximumExecutionFrequency.TWELVE_HOURS,
    )
    ebs.node.add_dependency(recorder)
    config.ManagedRule(
        stack,
        "TagsRule",
        identifier=config.ManagedRuleIdentifiers.REQUIRED_TAGS,
        input_parameters={"tag1Key": "owner", "tag2Key": "bio2:classification"},
        rule_scope=config.RuleScope.from_resources(
            [config.ResourceType.S3_BUCKET, config.ResourceType.DYNAMODB_TABLE]
        ),
    )
    config.CfnConfigurationAggregator(
        stack,
        "Aggregator",
        account_aggregation_sources=[
            config.CfnConfigurationAggregator.AccountAggregationSourceProperty(
                account_ids=["123456789012"], aws_regions=["eu-central-1"]
            )
        ],
    )
    config.CfnConformancePack(
        stack,
        "Pack",
        conformance_pack_name="pack",
        template_body="Resources: {}",
        conformance_pack_input_parameters=[
            config.CfnConformancePack.ConformancePackInputParameterProperty(
                parameter_name="p", parameter_value="v"
            )
        ],
    )
    config.CfnRemediationConfiguration(
        stack,
        "Remediation",
        config_rule_name="r",
        target_id="AWS-EnableS3BucketEncryption",
        target_type="SSM_DOCUMENT",
        parameters={
            "BucketName": {"ResourceValue": {"Value": "RESOURCE_ID"}},
            "SSEAlgorithm": {"StaticValue": {"Values": ["AES256"]}},
        },
        automatic=True,
        maximum_automatic_attempts=3,
        retry_attempt_seconds=60,
    )
    vault = backup.BackupVault(
        stack,
        "Vault",
        encryption_key=key,
        lock_configuration=backup.LockConfiguration(
            min_retention=Duration.days(7), max_retention=Duration.days(365)
        ),
        notification_topic=topic,
        notification_events=[backup.BackupVaultEvents.BACKUP_JOB_FAILED],
        block_recovery_point_deletion=True,
    )
    plan = backup.BackupPlan(
        stack,
        "BackupPlan",
        backup_vault=vault,
        backup_plan_rules=[
            backup.BackupPlanRule(
                rule_name="daily",
                schedule_expression=events.Schedule.cron(hour="3", minute="0"),
                delete_after=Duration.days(120),
                move_to_cold_storage_after=Duration.days(7),
                copy_actions=[
                    backup.BackupPlanCopyActionProps(
                        destination_backup_vault=vault, delete_after=Duration.days(120)
                    )
                ],
                recovery_point_tags={"plan": "daily"},
            )
        ],
        windows_vss=True,
    )
    plan.add_selection(
        "Selection",
        resources=[
            backup.BackupResource.from_dynamo_db_table(r["table"]),
            backup.BackupResource.from_tag("backup", "daily"),
        ],
        allow_restores=True,
    )
    bs = backup.CfnBackupSelection
    bs(
        stack,
        "L1Selection",
        backup_plan_id=plan.backup_plan_id,
        backup_selection=bs.BackupSelectionResourceTypeProperty(
            iam_role_arn=config_role.role_arn,
            selection_name="conditions",
            resources=["*"],
            conditions={
                "StringEquals": [{"ConditionKey": "aws:ResourceTag/backup", "ConditionValue": "weekly"}]
            },
            list_of_tags=[
                bs.ConditionResourceTypeProperty(
                    condition_key="backup", condition_type="STRINGEQUALS", condition_value="weekly"
                )
            ],
        ),
    )


def _operations(stack: cdk.Stack, r: dict[str, Any]) -> None:
    from aws_cdk import Duration
    from aws_cdk import aws_cloudwatch as cloudwatch
    from aws_cdk import aws_cloudwatch_actions as cw_actions
    from aws_cdk import aws_cognito as cognito
    from aws_cdk import aws_events as events
    from aws_cdk import aws_events_targets as targets
    from aws_cdk import aws_iam as iam
    from aws_cdk import aws_logs as logs
    from aws_cdk import aws_logs_destinations as destinations
    from aws_cdk import aws_stepfunctions as sfn
    from aws_cdk import aws_stepfunctions_tasks as tasks

    key, queue, dlq, topic, fn = r["key"], r["queue"], r["dlq"], r["topic"], r["fn"]
    events.CfnRule(
        stack,
        "RawRule",
        event_pattern={
            "source": ["aws.s3"],
            "detailType": ["Object Created"],
            "detail": {"bucket": {"name": ["x"]}},
        },
        state="ENABLED",
    )
    bus = events.EventBus(stack, "Bus", event_bus_name="broad")
    bus.archive("Archive", event_pattern=events.EventPattern(source=["app"]), retention=Duration.days(30))
    events.Rule(
        stack,
        "Rule",
        event_bus=bus,
        event_pattern=events.EventPattern(
            source=["aws.ec2"],
            detail_type=["EC2 Instance State-change Notification"],
            detail={"state": ["stopped"]},
        ),
        targets=[
            targets.SqsQueue(queue, dead_letter_queue=dlq, retry_attempts=2, max_event_age=Duration.hours(1)),
            targets.LambdaFunction(
                fn,
                event=events.RuleTargetInput.from_object(
                    {"instance": events.EventField.from_path("$.detail.instance-id")}
                ),
            ),
        ],
    )
    events.Rule(
        stack, "Hourly", schedule=events.Schedule.rate(Duration.hours(1)), targets=[targets.SnsTopic(topic)]
    )
    app_logs = logs.LogGroup(
        stack,
        "AppLogs",
        retention=logs.RetentionDays.TWO_YEARS,
        encryption_key=key,
        data_protection_policy=logs.DataProtectionPolicy(identifiers=[logs.DataIdentifier.EMAILADDRESS]),
    )
    app_logs.add_metric_filter(
        "Errors",
        filter_pattern=logs.FilterPattern.any_term("ERROR"),
        metric_name="errors",
        metric_namespace="app",
    )
    logs.SubscriptionFilter(
        stack,
        "Subscription",
        log_group=app_logs,
        destination=destinations.LambdaDestination(fn),
        filter_pattern=logs.FilterPattern.all_events(),
    )
    logs.QueryDefinition(
        stack,
        "Query",
        query_definition_name="errors",
        query_string=logs.QueryString(
            fields=["@timestamp", "@message"], filter_statements=["@message like /ERROR/"]
        ),
        log_groups=[app_logs],
    )
    logs.ResourcePolicy(
        stack,
        "LogsPolicy",
        policy_statements=[
            iam.PolicyStatement(
                actions=["logs:PutLogEvents"],
                principals=[iam.ServicePrincipal("delivery.logs.amazonaws.com")],
                resources=[app_logs.log_group_arn],
            )
        ],
    )
    wait = sfn.Wait(stack, "Wait", time=sfn.WaitTime.duration(Duration.seconds(5)))
    flow = tasks.LambdaInvoke(stack, "Invoke", lambda_function=fn, output_path="$.Payload").next(
        sfn.Choice(stack, "Ok?")
        .when(sfn.Condition.string_equals("$.status", "ok"), sfn.Succeed(stack, "Done"))
        .otherwise(wait.next(sfn.Fail(stack, "Failed", error="E", cause="c")))
    )
    machine = sfn.StateMachine(
        stack,
        "Flow",
        definition_body=sfn.DefinitionBody.from_chainable(flow),
        logs=sfn.LogOptions(destination=app_logs, level=sfn.LogLevel.ALL, include_execution_data=False),
        tracing_enabled=True,
        encryption_configuration=sfn.CustomerManagedEncryptionConfiguration(key),
    )
    alarm = cloudwatch.Alarm(
        stack,
        "Backlog",
        metric=queue.metric_approximate_number_of_messages_visible(period=Duration.minutes(5)),
        threshold=100,
        evaluation_periods=2,
        treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
    )
    alarm.add_alarm_action(cw_actions.SnsAction(topic))
    cloudwatch.CompositeAlarm(stack, "Composite", alarm_rule=cloudwatch.AlarmRule.any_of(alarm))
    cloudwatch.Dashboard(
        stack, "Dashboard", widgets=[[cloudwatch.GraphWidget(left=[machine.metric_failed()])]]
    )
    pool = cognito.UserPool(
        stack,
        "Users",
        mfa=cognito.Mfa.REQUIRED,
        mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
        password_policy=cognito.PasswordPolicy(min_length=14, require_symbols=True),
        feature_plan=cognito.FeaturePlan.PLUS,
        standard_threat_protection_mode=cognito.StandardThreatProtectionMode.FULL_FUNCTION,
        custom_attributes={"dept": cognito.StringAttribute(mutable=True)},
        deletion_protection=True,
    )
    pool.add_client(
        "Client",
        auth_flows=cognito.AuthFlow(user_srp=True),
        o_auth=cognito.OAuthSettings(
            flows=cognito.OAuthFlows(authorization_code_grant=True),
            callback_urls=["https://app.example.nl/cb"],
        ),
    )
    # generic CfnResources: rendered as given, render_stack leaves them to CDK
    cdk.CfnResource(stack, "Generic", type="AWS::SNS::Topic", properties={"TopicName": "generic"})
    cdk.CustomResource(
        stack,
        "Custom",
        service_token=fn.function_arn,
        properties={"someKey": {"nested": True}},
        resource_type="Custom::Thing",
    )


def broad_stack(app: cdk.App) -> cdk.Stack:
    """Many L2 and L1 constructs with many options set."""
    stack = cdk.Stack(app, "Broad", env=ENV)
    r = _security_and_messaging(stack)
    _network(stack, r)
    _compute_and_data(stack, r)
    _edge(stack, r)
    _api(stack, r)
    _audit(stack, r)
    _operations(stack, r)
    cdk.Tags.of(stack).add("owner", "platform")
    cdk.Tags.of(stack).add("bio2:classification", "internal")
    return stack


@pytest.fixture(scope="module")
def broad_app(tmp_path_factory: pytest.TempPathFactory) -> cdk.App:
    app = cdk.App(outdir=str(tmp_path_factory.mktemp("broad")))
    broad_stack(app)
    app.synth()  # aspects (tags...) applied, as when the engine's tagger renders
    return app


@pytest.mark.synth
def test_every_resource_of_a_broad_app_is_exact(broad_app):
    counts, problems = _compare(broad_app)
    assert problems == []
    assert sum(counts.values()) > 200
    for cfn_type in (
        "AWS::S3::Bucket",
        "AWS::KMS::Key",
        "AWS::IAM::Role",
        "AWS::SQS::Queue",
        "AWS::DynamoDB::Table",
        "AWS::DynamoDB::GlobalTable",
        "AWS::RDS::DBInstance",
        "AWS::RDS::DBCluster",
        "AWS::Lambda::Function",
        "AWS::Lambda::Url",
        "AWS::EC2::FlowLog",
        "AWS::EC2::VPCEndpoint",
        "AWS::ElasticLoadBalancingV2::Listener",
        "AWS::CloudFront::Distribution",
        "AWS::ApiGateway::Stage",
        "AWS::CloudTrail::Trail",
        "AWS::Config::ConfigurationRecorder",
        "AWS::Backup::BackupSelection",
        "AWS::NetworkFirewall::FirewallPolicy",
        "AWS::EC2::TransitGatewayAttachment",
        "AWS::Route53Resolver::FirewallRuleGroup",
        "AWS::Events::Rule",
        "AWS::StepFunctions::StateMachine",
        "AWS::WAFv2::WebACL",
        "AWS::Serverless::Application",
    ):
        assert counts.get(cfn_type), f"the broad app has no {cfn_type}"


@pytest.mark.synth
def test_every_resource_of_the_landing_zone_is_exact(tmp_path):
    from landing_zone.app import build_app, new_app
    from landing_zone.config import load_config

    app = new_app(outdir=str(tmp_path), context={"bio2:reportOnly": "true"})
    build_app(app, load_config(None))
    app.synth()
    counts, problems = _compare(app)
    assert problems == []
    assert sum(counts.values()) > 100


@pytest.mark.synth
def test_render_stack_gives_what_cdk_renders(broad_app, monkeypatch):
    from bio2_aspects import tagger
    from bio2_aspects.engine import RuleSet

    stack = broad_app.node.find_child("Broad")
    rules = RuleSet()

    def rendered() -> dict[str, tuple[Any, ...]]:
        view, pairs = tagger.render_stack(stack, rules)
        assert len(pairs) == len(view.resources)
        return {
            lid: (r.type, json.dumps(r.properties, sort_keys=True, default=str), r.deletion_policy)
            for lid, r in view.resources.items()
        }

    calls: list[tuple[str, list[str]]] = []
    convert_ = tagger.convert

    def recording_convert(cfn_type: str, props: Any) -> Any:
        result, fallbacks = convert_(cfn_type, props)
        calls.append((cfn_type, fallbacks))
        return result, fallbacks

    monkeypatch.setattr(tagger, "convert", recording_convert)
    fast = rendered()
    l1 = [c for _, c in _l1_resources(broad_app) if cdk.Stack.of(c) is stack and tagger._l1_type(type(c))]
    assert len(calls) == len(l1)  # generic CfnResources (custom resources...) go to CDK directly
    assert [f for _, f in calls if f] == []

    monkeypatch.setattr(tagger, "convert", lambda t, p: ({}, ["forced"]))  # everything through CDK
    assert rendered() == fast
