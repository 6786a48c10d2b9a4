"""The organization trail (management account) and its optional CloudWatch Logs delivery."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import aws_cdk.aws_cloudtrail as cloudtrail
import aws_cdk.aws_iam as iam
import aws_cdk.aws_kms as kms
import aws_cdk.aws_logs as logs
from constructs import Construct

from landing_zone import naming
from landing_zone.acknowledgements import acknowledge
from landing_zone.config import LandingZoneConfig
from landing_zone.logging import policies

#: ``resources.type`` values of the data event types in ``logging.data_event_types``.
DATA_EVENT_RESOURCE_TYPES = {"s3": "AWS::S3::Object", "lambda": "AWS::Lambda::Function"}


def event_selectors(config: LandingZoneConfig) -> list[dict[str, Any]]:
    """Advanced event selectors: all management events, plus the configured data events.

    S3 data events leave out the log archive bucket itself: every delivery of the trail would be
    recorded as a new event, which is delivered again. Access to the log archive is recorded by its
    server access logs instead.
    """
    selectors: list[dict[str, Any]] = [
        {
            "Name": "All management events",
            "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}],
        }
    ]
    logging = config.logging
    if not logging.data_events:
        return selectors
    for kind in sorted(set(logging.data_event_types)):
        fields: list[dict[str, Any]] = [
            {"Field": "eventCategory", "Equals": ["Data"]},
            {"Field": "resources.type", "Equals": [DATA_EVENT_RESOURCE_TYPES[kind]]},
        ]
        name = "Lambda invocations"
        if kind == "s3":
            fields.append(
                {"Field": "resources.ARN", "NotStartsWith": [f"{policies.log_archive_bucket_arn(config)}/"]}
            )
            name = "S3 object-level events, except the log archive bucket"
        selectors.append({"Name": name, "FieldSelectors": fields})
    return selectors


def _selector_property(selector: dict[str, Any]) -> cloudtrail.CfnTrail.AdvancedEventSelectorProperty:
    operators = {
        "Equals": "equal_to",
        "NotEquals": "not_equals",
        "StartsWith": "starts_with",
        "NotStartsWith": "not_starts_with",
    }
    return cloudtrail.CfnTrail.AdvancedEventSelectorProperty(
        name=selector["Name"],
        field_selectors=[
            cloudtrail.CfnTrail.AdvancedFieldSelectorProperty(
                field=f["Field"], **{operators[k]: v for k, v in f.items() if k != "Field"}
            )
            for f in selector["FieldSelectors"]
        ],
    )


class OrganizationTrail(Construct):
    """The organization trail: every account, every region, global service events, log file
    validation, SSE-KMS with the log archive key, delivered to the log archive bucket by name.

    With ``logging.cloudwatch_delivery`` it also delivers to a KMS-encrypted CloudWatch Logs group
    (``log_group``, ``logs_key``) in the management account.
    """

    def __init__(self, scope: Construct, construct_id: str, *, config: LandingZoneConfig) -> None:
        super().__init__(scope, construct_id)
        logging = config.logging
        self.config = config
        self.logs_key: kms.Key | None = None
        self.log_group: logs.CfnLogGroup | None = None
        self._role_policy: iam.ManagedPolicy | None = None
        cloudwatch: dict[str, Any] = {}
        if logging.cloudwatch_delivery:
            cloudwatch = self._cloudwatch_delivery()

        self.trail = cloudtrail.CfnTrail(
            self,
            "Trail",
            trail_name=policies.TRAIL_NAME,
            is_logging=True,
            is_organization_trail=True,
            is_multi_region_trail=True,
            include_global_service_events=True,
            enable_log_file_validation=True,
            s3_bucket_name=naming.log_archive_bucket_name(config),
            s3_key_prefix=policies.CLOUDTRAIL_PREFIX,
            # An alias ARN works across accounts; the key policy admits only this trail.
            kms_key_id=naming.log_archive_key_arn_pattern(config),
            advanced_event_selectors=[_selector_property(s) for s in event_selectors(config)],
            insight_selectors=(
                [
                    cloudtrail.CfnTrail.InsightSelectorProperty(insight_type="ApiCallRateInsight"),
                    cloudtrail.CfnTrail.InsightSelectorProperty(insight_type="ApiErrorRateInsight"),
                ]
                if logging.insights
                else None
            ),
            **cloudwatch,
        )
        if self._role_policy is not None:
            # CloudTrail checks the role's permissions when the trail is created or updated.
            self.trail.node.add_dependency(self._role_policy)
        if not logging.cloudwatch_delivery and logging.siem is not None:
            acknowledge(
                self.trail,
                "BIO2-CloudTrail-CloudWatchLogs",
                "The organisation's SIEM analyses the trail instead of CloudWatch Logs: the log archive "
                "announces every new trail log file on the SQS queue the SIEM reads (logging.siem, "
                "docs/logging.md).",
            )

    @property
    def log_group_name(self) -> str | None:
        """The name of the CloudWatch Logs group the trail delivers to, or None.

        Read from the trail's log group ARN (``arn:aws:logs:<region>:<account>:log-group:<name>:*``),
        so that what uses it (the security component's metric filters) depends on the group.
        """
        arn = self.trail.cloud_watch_logs_log_group_arn
        if not arn:
            return None
        if cdk.Token.is_unresolved(arn):
            return cdk.Fn.select(6, cdk.Fn.split(":", arn))
        return str(arn).split(":")[6]

    def _cloudwatch_delivery(self) -> dict[str, Any]:
        config = self.config
        region = config.regions.home
        account = naming.management_account_id(config)
        group_arn = f"arn:aws:logs:{region}:{account}:log-group:{policies.TRAIL_LOG_GROUP_NAME}"
        self.logs_key = policies.log_key(
            self,
            "LogsKey",
            alias=policies.TRAIL_LOGS_KEY_ALIAS,
            description="Encrypts the organization trail's CloudWatch Logs group and SIEM stream",
            account=account,
            statements=[
                iam.PolicyStatement(
                    sid="CloudWatchLogsEncrypt",
                    principals=[iam.ServicePrincipal(f"logs.{region}.amazonaws.com")],
                    actions=[
                        "kms:Decrypt*",
                        "kms:Describe*",
                        "kms:Encrypt*",
                        "kms:GenerateDataKey*",
                        "kms:ReEncrypt*",
                    ],
                    resources=["*"],
                    conditions={"ArnLike": {"kms:EncryptionContext:aws:logs:arn": group_arn}},
                ),
            ],
        )
        self.log_group = logs.CfnLogGroup(
            self,
            "LogGroup",
            log_group_name=policies.TRAIL_LOG_GROUP_NAME,
            kms_key_id=self.logs_key.key_arn,
            retention_in_days=config.logging.cloudwatch_retention_days,
        )
        self.log_group.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
        role = iam.Role(
            self,
            "CloudWatchRole",
            assumed_by=iam.ServicePrincipal(policies.CLOUDTRAIL),
            description="Lets the organization trail write to its CloudWatch Logs group",
        )
        # The streams CloudTrail writes: "<management>_CloudTrail_<region>" for the management
        # account and "<organization id>_<account>_CloudTrail_<region>" for the member accounts.
        org_id = config.logging.organization_id
        streams = [
            f"{group_arn}:log-stream:{account}_CloudTrail_*",
            f"{group_arn}:log-stream:{org_id or 'o-'}*",
        ]
        self._role_policy = iam.ManagedPolicy(
            self,
            "CloudWatchPolicy",
            description="The organization trail writes its events to its CloudWatch Logs group",
            statements=[
                iam.PolicyStatement(actions=["logs:CreateLogStream", "logs:PutLogEvents"], resources=streams)
            ],
            roles=[role],
        )
        for stream in streams:
            policies.acknowledge_nag(
                self._role_policy,
                "AwsSolutions",
                f"AwsSolutions-IAM5[Resource::{stream}]",
                "CloudTrail creates one log stream per account and region with a generated name "
                "(<account>_CloudTrail_<region>); the wildcard covers those streams of this one log group.",
            )
        return {
            "cloud_watch_logs_log_group_arn": self.log_group.attr_arn,
            "cloud_watch_logs_role_arn": role.role_arn,
        }
