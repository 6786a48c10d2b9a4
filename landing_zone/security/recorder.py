"""AWS Config: the configuration recorder and delivery channel of one account and region, and the
organization aggregator in the security account.

Every account records every supported resource type in every allowed region; global resource
types (IAM users, roles, policies) are recorded once, in the home region, so they are not counted
several times. Configuration history and snapshots go to the log archive bucket (prefix
``config/``), encrypted with the log archive key.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_config as config_
from aws_cdk import aws_iam as iam
from constructs import Construct

from bio2_aspects.claims import AggregatorCovers
from landing_zone import naming
from landing_zone.acknowledgements import acknowledge
from landing_zone.claims import make_claim
from landing_zone.config import LandingZoneConfig
from landing_zone.nag import acknowledge_nag
from landing_zone.security import names


class ConfigRecorder(Construct):
    """Recorder and delivery channel.

    ``global_resources`` is ``True``/``False`` where the region is known at synthesis, or a
    condition (true in the home region) in the environment-agnostic member baseline.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: LandingZoneConfig,
        global_resources: bool | cdk.CfnCondition,
    ) -> None:
        super().__init__(scope, construct_id)
        bucket_arn = f"arn:aws:s3:::{naming.log_archive_bucket_name(config)}"
        # The role lets AWS Config read resource configurations (AWS managed policy AWS_ConfigRole) and
        # try the delivery to this account's prefix of the log archive. For a bucket in another account
        # AWS Config falls back to its service principal when the role is refused; the log archive's
        # bucket and key policies admit that principal for the organization.
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("config.amazonaws.com").with_conditions(
                {"StringEquals": {"aws:SourceAccount": cdk.Aws.ACCOUNT_ID}}
            ),
            managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AWS_ConfigRole")],
            description="AWS Config reads resource configurations for the BIO2 landing zone inventory",
            inline_policies={
                "DeliverToLogArchive": iam.PolicyDocument(
                    statements=[
                        iam.PolicyStatement(actions=["s3:GetBucketAcl"], resources=[bucket_arn]),
                        iam.PolicyStatement(
                            actions=["s3:PutObject"],
                            resources=[
                                f"{bucket_arn}/{names.CONFIG_KEY_PREFIX}/AWSLogs/{cdk.Aws.ACCOUNT_ID}/Config/*"
                            ],
                            conditions={"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}},
                        ),
                    ]
                )
            },
        )
        acknowledge_nag(
            self.role,
            "AwsSolutions-IAM4",
            "AWS_ConfigRole is AWS's documented service-role policy for the AWS Config recorder: AWS keeps "
            "its read permissions current as Config supports new resource types, which a copied "
            "customer managed policy would silently miss.",
            findings=["Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWS_ConfigRole"],
        )
        acknowledge_nag(
            self.role,
            "AwsSolutions-IAM5",
            "AWS Config writes snapshot and history objects with generated names under "
            "<prefix>/AWSLogs/<account>/Config/ of the log archive bucket; the wildcard is limited to "
            "this account's own prefix (and to bucket-owner-full-control uploads).",
            findings=[f"Resource::{bucket_arn}/{names.CONFIG_KEY_PREFIX}/AWSLogs/<AWS::AccountId>/Config/*"],
        )
        acknowledge_nag(
            self.role,
            "NIST.800.53.R5-IAMNoInlinePolicy",
            "The inline DeliverToLogArchive policy grants only this Config service role the delivery to "
            "its own account prefix of the log archive; as a managed policy it could be attached to "
            "other principals, which would let them write into the log archive.",
        )
        if isinstance(global_resources, cdk.CfnCondition):
            include_global: bool | cdk.IResolvable = cdk.Fn.condition_if(
                global_resources.logical_id, True, False
            )
        else:
            include_global = global_resources
        self.recorder = config_.CfnConfigurationRecorder(
            self,
            "Recorder",
            name=names.RECORDER_NAME,
            role_arn=self.role.role_arn,
            # Written out in full: the scope of the inventory must be visible in the template.
            recording_group=config_.CfnConfigurationRecorder.RecordingGroupProperty(
                all_supported=True,
                include_global_resource_types=include_global,
            ),
        )
        self.channel = config_.CfnDeliveryChannel(
            self,
            "DeliveryChannel",
            name=names.DELIVERY_CHANNEL_NAME,
            s3_bucket_name=naming.log_archive_bucket_name(config),
            s3_key_prefix=names.CONFIG_KEY_PREFIX,
            s3_kms_key_arn=naming.log_archive_key_arn_pattern(config),
            config_snapshot_delivery_properties=config_.CfnDeliveryChannel.ConfigSnapshotDeliveryPropertiesProperty(
                delivery_frequency="TwentyFour_Hours"
            ),
        )
        # A delivery channel needs a recorder; CloudFormation starts recording once both exist.
        self.channel.add_resource_dependency(self.recorder)
        if isinstance(global_resources, cdk.CfnCondition):
            # resolved here: CDK's validation report keeps acknowledgement reasons unresolved
            condition = cdk.Stack.of(global_resources).resolve(global_resources.logical_id)
            acknowledge(
                self.recorder,
                "BIO2-Config-GlobalResources",
                "IncludeGlobalResourceTypes is true in the home region only (condition "
                f"{condition}); the other regions of the same account leave the global "
                "IAM types out, because recording them in every region would count each IAM change "
                "several times.",
            )


class OrganizationAggregator(Construct):
    """Aggregates the configuration inventory of every account and allowed region (security account)."""

    def __init__(self, scope: Construct, construct_id: str, *, config: LandingZoneConfig) -> None:
        super().__init__(scope, construct_id)
        role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("config.amazonaws.com").with_conditions(
                {"StringEquals": {"aws:SourceAccount": cdk.Aws.ACCOUNT_ID}}
            ),
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AWSConfigRoleForOrganizations")
            ],
            description="AWS Config lists the organization's accounts for the landing zone aggregator",
        )
        acknowledge_nag(
            role,
            "AwsSolutions-IAM4",
            "AWSConfigRoleForOrganizations is AWS's documented service-role policy for an organization "
            "configuration aggregator (organizations:Describe*/List* only), maintained by AWS.",
            findings=[
                "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSConfigRoleForOrganizations"
            ],
        )
        self.resource = config_.CfnConfigurationAggregator(
            self,
            "Resource",
            configuration_aggregator_name=names.AGGREGATOR_NAME,
            organization_aggregation_source=config_.CfnConfigurationAggregator.OrganizationAggregationSourceProperty(
                role_arn=role.role_arn,
                all_aws_regions=False,
                aws_regions=sorted(config.regions.allowed),
            ),
        )
        make_claim(
            self.resource,
            "LZ-Config-Aggregator",
            AggregatorCovers(regions=tuple(sorted(config.regions.allowed))),
            detail=(
                "AWS Config organization aggregator in the security account: one inventory of the "
                "recorded resources of every account in every allowed region, kept current by the "
                "recorders, so its completeness can be checked centrally."
            ),
        )
