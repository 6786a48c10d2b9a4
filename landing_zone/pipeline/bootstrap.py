"""The platform's own CDK bootstrap: qualifier ``lzbio2``, exact role names, trust in one account.

CDK's default bootstrap (qualifier ``hnb659fds``, roles ``cdk-hnb659fds-*``) trusts whatever
``--trust`` says and hands CloudFormation ``AdministratorAccess``; its deploy role trusts the whole
account, so any administrator there can become it. The landing zone does not use it. Instead every
landing-zone account and region gets :class:`PlatformBootstrapStack` (stack ``lz-cdk-bootstrap``),
a template we build with the CDK ourselves and hand to ``cdk bootstrap --template``:

- the staging bucket for the templates (SSE-KMS, TLS only, versioned, public access blocked,
  retained on delete and replacement);
- the SSM parameter ``/cdk-bootstrap/lzbio2/version`` the synthesizer's version rule reads;
- four roles named exactly ``lz-cdk-<purpose>-<region>`` (``naming.platform_bootstrap_role_name``):
  ``deploy``, ``file-publishing`` and ``lookup`` trust only the deployment account (the management
  account unless ``deployment.account`` names another); ``cfn-exec`` trusts only CloudFormation and
  carries a policy scoped to the services the landing zone's templates use, never
  ``AdministratorAccess``;
- the outputs the CDK CLI reads (``BucketName``, ``BucketDomainName``, ``BootstrapVersion``).

The trust is part of the template, not of CLI flags: the template declares no ``TrustedAccounts``
or ``CloudFormationExecutionPolicies`` parameter, so ``cdk bootstrap --trust`` or
``--cloudformation-execution-policies`` fail instead of widening it. (The CLI still prints its
generic "Using default execution policy of AdministratorAccess" warning because it cannot see
that; our template has no such policy.) Container image assets are not supported (the landing zone
has none): there is no ECR repository.

Every landing-zone stack uses :func:`platform_synthesizer`. New member accounts are not
bootstrapped: their baseline arrives through the service-managed StackSet.
"""

from __future__ import annotations

from dataclasses import dataclass

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from bio2_aspects.synthesizer import Bio2StackSynthesizer
from landing_zone.config import LandingZoneConfig
from landing_zone.naming import BOOTSTRAP_QUALIFIER, PREFIX, platform_bootstrap_role_name

#: Name of the bootstrap stack in every account and region (``cdk bootstrap --toolkit-stack-name``).
TOOLKIT_STACK_NAME = f"{PREFIX}-cdk-bootstrap"
#: The version the template announces (output and SSM parameter). The CDK CLI and the synthesizer
#: compare it with the feature level they need (asset staging: 6, lookup role: 8); ours offers the
#: interface of CDK's own template at this version, without container assets.
BOOTSTRAP_VERSION = 33
VERSION_PARAMETER = f"/cdk-bootstrap/{BOOTSTRAP_QUALIFIER}/version"
#: The bootstrap variant the CLI reads from the template (it refuses to replace another variant).
BOOTSTRAP_VARIANT = "BIO2 landing zone platform bootstrap"

#: IAM service prefix per CloudFormation service namespace (``AWS::<Service>::...``) used by the
#: landing zone's templates. A test synthesizes the landing zone and fails when a template uses a
#: namespace missing here, so the cfn-exec policy grows with the templates and no further.
CFN_SERVICE_PREFIXES: dict[str, tuple[str, ...]] = {
    "AccessAnalyzer": ("access-analyzer",),
    "Backup": ("backup", "backup-storage"),
    "CloudFormation": ("cloudformation",),
    "CloudTrail": ("cloudtrail",),
    "CloudWatch": ("cloudwatch",),
    "CodeBuild": ("codebuild",),
    "CodePipeline": ("codepipeline",),
    "CodeStarConnections": ("codestar-connections", "codeconnections"),
    "Config": ("config",),
    "EC2": ("ec2",),
    "Events": ("events",),
    "GuardDuty": ("guardduty",),
    "IAM": ("iam",),
    "KMS": ("kms",),
    "Lambda": ("lambda",),
    "Logs": ("logs",),
    "NetworkFirewall": ("network-firewall",),
    "Organizations": ("organizations",),
    "RAM": ("ram",),
    "Route53": ("route53",),
    "Route53Profiles": ("route53profiles",),
    "Route53Resolver": ("route53resolver",),
    "S3": ("s3",),
    "SNS": ("sns",),
    "SQS": ("sqs",),
    "SSM": ("ssm",),
    "SSO": ("sso", "identitystore"),
    "SecurityHub": ("securityhub",),
}
#: Prefixes CloudFormation needs besides the resources' own: custom resources (Lambda, invoked by
#: CloudFormation), SSM parameter values in templates (the bootstrap version), STS.
SUPPORT_PREFIXES: tuple[str, ...] = ("lambda", "ssm", "sts")


def cfn_exec_actions() -> list[str]:
    """The ``<prefix>:*`` actions of the cfn-exec policy (sorted)."""
    prefixes = {p for group in CFN_SERVICE_PREFIXES.values() for p in group} | set(SUPPORT_PREFIXES)
    return sorted(f"{p}:*" for p in prefixes)


def role_arn(purpose: str, region: str) -> str:
    """The ARN of a platform bootstrap role as the synthesizer writes it (account filled in by CDK)."""
    name = platform_bootstrap_role_name(purpose, region)
    # the aws partition only (as the feature flags): a literal partition keeps the pipeline's action
    # configuration free of Fn::Join (cfn-lint E3703)
    return f"arn:aws:iam::${{AWS::AccountId}}:role/{name}"


def staging_bucket_name_pattern() -> str:
    return f"{PREFIX}-cdk-{BOOTSTRAP_QUALIFIER}-assets-${{AWS::AccountId}}-${{AWS::Region}}"


def platform_synthesizer(region: str) -> Bio2StackSynthesizer:
    """The synthesizer of every landing-zone stack: the platform bootstrap's bucket and exact roles.
    It writes the BIO2 measure tags into each template (one bridge call per stack, see
    :mod:`bio2_aspects.synthesizer`)."""
    return Bio2StackSynthesizer(
        qualifier=BOOTSTRAP_QUALIFIER,
        deploy_role_arn=role_arn("deploy", region),
        cloud_formation_execution_role=role_arn("cfn-exec", region),
        file_asset_publishing_role_arn=role_arn("file-publishing", region),
        # no container assets in the landing zone; never fall back to a cdk-* default name
        image_asset_publishing_role_arn=role_arn("file-publishing", region),
        lookup_role_arn=role_arn("lookup", region),
        file_assets_bucket_name=staging_bucket_name_pattern(),
        bootstrap_stack_version_ssm_parameter=VERSION_PARAMETER,
        generate_bootstrap_version_rule=True,
    )


class PlatformBootstrapStack(cdk.Stack):
    """The bootstrap template for one deployment account (the same template for every target)."""

    def __init__(self, scope: Construct, construct_id: str, *, deployment_account_id: str) -> None:
        super().__init__(
            scope,
            construct_id,
            stack_name=TOOLKIT_STACK_NAME,
            description=f"BIO2 landing zone platform bootstrap (qualifier {BOOTSTRAP_QUALIFIER})",
            synthesizer=cdk.BootstraplessSynthesizer(),
            analytics_reporting=False,
        )
        self.deployment_account_id = deployment_account_id
        # Parameters the CDK CLI always passes; fixed so that no flag changes what they mean.
        parameters = {
            name: cdk.CfnParameter(
                self,
                name,
                type="String",
                default=default,
                allowed_values=[default],
                description=f"Fixed: {what}",
            )
            for name, default, what in (
                ("Qualifier", BOOTSTRAP_QUALIFIER, "the platform qualifier"),
                ("FileAssetsBucketKmsKeyId", "AWS_MANAGED_KEY", "SSE-KMS with the account's aws/s3 key"),
                ("PublicAccessBlockConfiguration", "true", "public access to the staging bucket is blocked"),
                ("BootstrapVariant", BOOTSTRAP_VARIANT, "the bootstrap variant the CDK CLI reads"),
            )
        }

        bucket = s3.Bucket(
            self,
            "StagingBucket",
            bucket_name=cdk.Fn.sub(staging_bucket_name_pattern()),
            encryption=s3.BucketEncryption.KMS_MANAGED,
            bucket_key_enabled=True,
            enforce_ssl=True,
            minimum_tls_version=1.2,
            versioned=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=cdk.RemovalPolicy.RETAIN,
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="expire-old-template-versions",
                    noncurrent_version_expiration=cdk.Duration.days(365),
                    abort_incomplete_multipart_upload_after=cdk.Duration.days(1),
                )
            ],
        )
        # the fixed parameter values, visible on the bucket (and referenced, as CloudFormation expects)
        for name, parameter in parameters.items():
            cdk.Tags.of(bucket).add(f"lz:bootstrap:{name}", parameter.value_as_string)
        deployer = iam.AccountPrincipal(deployment_account_id)

        def named_role(purpose: str, principal: iam.IPrincipal, description: str) -> iam.Role:
            role = iam.Role(
                self,
                f"{purpose.title().replace('-', '')}Role",
                role_name=cdk.Fn.sub(f"{PREFIX}-cdk-{purpose}-${{AWS::Region}}"),
                assumed_by=principal,
                description=description,
                max_session_duration=cdk.Duration.hours(1),
            )
            role.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
            return role

        cfn_exec = named_role(
            "cfn-exec",
            iam.ServicePrincipal("cloudformation.amazonaws.com"),
            "CloudFormation deploys the landing-zone stacks with this role (scoped, not AdministratorAccess)",
        )
        cfn_exec_policy = iam.ManagedPolicy(
            self,
            "CfnExecPolicy",
            managed_policy_name=cdk.Fn.sub(f"{PREFIX}-cdk-cfn-exec-policy-${{AWS::Region}}"),
            description="The services the BIO2 landing zone's templates use, and nothing else",
            statements=[
                iam.PolicyStatement(sid="LandingZoneServices", actions=cfn_exec_actions(), resources=["*"]),
                iam.PolicyStatement(
                    sid="NeverTheBootstrapItself",
                    effect=iam.Effect.DENY,
                    actions=["iam:*"],
                    resources=[
                        cdk.Fn.sub(f"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/{PREFIX}-cdk-*"),
                        cdk.Fn.sub(f"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:policy/{PREFIX}-cdk-*"),
                    ],
                ),
            ],
        )
        cfn_exec.add_managed_policy(cfn_exec_policy)

        deploy = named_role(
            "deploy", deployer, "The CDK CLI or the pipeline deploys the landing zone with this role"
        )
        stack_arn = cdk.Fn.sub(
            f"arn:${{AWS::Partition}}:cloudformation:${{AWS::Region}}:${{AWS::AccountId}}:stack/{PREFIX}-*/*"
        )
        deploy.add_to_policy(
            iam.PolicyStatement(
                sid="LandingZoneStacks",
                actions=[
                    "cloudformation:CreateChangeSet",
                    "cloudformation:DeleteChangeSet",
                    "cloudformation:DescribeChangeSet",
                    "cloudformation:DescribeStackEvents",
                    "cloudformation:DescribeStacks",
                    "cloudformation:ExecuteChangeSet",
                    "cloudformation:GetTemplate",
                    "cloudformation:ListStackResources",
                    "cloudformation:RollbackStack",
                    "cloudformation:ContinueUpdateRollback",
                    "cloudformation:UpdateTerminationProtection",
                    "cloudformation:CancelUpdateStack",
                    "cloudformation:DescribeStackResources",
                    "cloudformation:GetTemplateSummary",
                    "cloudformation:TagResource",
                ],
                resources=[stack_arn],
            )
        )
        deploy.add_to_policy(
            iam.PolicyStatement(
                sid="TemplateValidation",
                actions=["cloudformation:ValidateTemplate", "cloudformation:GetTemplateSummary"],
                resources=["*"],
            )
        )
        deploy.add_to_policy(
            iam.PolicyStatement(
                sid="PassOnlyCfnExec", actions=["iam:PassRole"], resources=[cfn_exec.role_arn]
            )
        )
        bucket.grant_read(deploy)

        publishing = named_role(
            "file-publishing", deployer, "The CDK CLI or the pipeline uploads the templates with this role"
        )
        bucket.grant_read_write(publishing)

        lookup = named_role(
            "lookup", deployer, "The CDK CLI reads deployed templates (cdk diff) and the bootstrap version"
        )
        lookup.add_to_policy(
            iam.PolicyStatement(
                sid="ReadLandingZoneStacks",
                actions=[
                    "cloudformation:DescribeStacks",
                    "cloudformation:GetTemplate",
                    "cloudformation:ListStackResources",
                ],
                resources=[stack_arn],
            )
        )

        version = ssm.StringParameter(
            self,
            "CdkBootstrapVersion",
            parameter_name=VERSION_PARAMETER,
            string_value=str(BOOTSTRAP_VERSION),
            description="Version of the platform bootstrap (read by the landing-zone stacks' version rule)",
        )
        for role in (deploy, lookup):
            version.grant_read(role)

        cdk.CfnOutput(self, "BucketName", value=bucket.bucket_name, description="Staging bucket")
        cdk.CfnOutput(self, "BucketDomainName", value=bucket.bucket_regional_domain_name)
        cdk.CfnOutput(
            self, "BootstrapVersion", value=str(BOOTSTRAP_VERSION), description="Read by the CDK CLI"
        )
        self.roles = {"deploy": deploy, "cfn-exec": cfn_exec, "file-publishing": publishing, "lookup": lookup}
        self.bucket = bucket


@dataclass(frozen=True)
class Target:
    """One account and region to bootstrap."""

    account_name: str
    account_id: str
    region: str


def bootstrap_targets(config: LandingZoneConfig) -> list[Target]:
    """Every account and region that holds a landing-zone stack, plus the deployment account's home region."""
    from landing_zone.pipeline import deployment_account
    from landing_zone.stacks import ROLE_REGIONS

    home = config.regions.home
    regions_in_order = sorted(config.regions.allowed, key=lambda r: (r != home, r))
    targets: list[Target] = []
    for role, regional in ROLE_REGIONS.items():
        for account in config.organization.accounts:
            if account.role != role:
                continue
            for region in regions_in_order if regional else [home]:
                targets.append(Target(account.name, account.id, region))
    deployer = deployment_account(config)
    if not any(t.account_id == deployer.id and t.region == home for t in targets):
        targets.insert(0, Target(deployer.name, deployer.id, home))
    # the deployment account first: it trusts itself, the others trust it
    targets.sort(key=lambda t: t.account_id != deployer.id)
    return targets


def bootstrap_app(config: LandingZoneConfig, outdir: str) -> cdk.App:
    """A CDK app with only the bootstrap stack (no account or region: one template for every target)."""
    from landing_zone.pipeline import deployment_account

    app = cdk.App(outdir=outdir, analytics_reporting=False)
    PlatformBootstrapStack(app, TOOLKIT_STACK_NAME, deployment_account_id=deployment_account(config).id)
    return app


def bootstrap_commands(config: LandingZoneConfig, template: str, profile: str | None = None) -> list[str]:
    """The ``cdk bootstrap`` command per target, in order (the deployment account first)."""
    commands = []
    for target in bootstrap_targets(config):
        profile_flag = f" --profile {profile.format(account=target.account_name)}" if profile else ""
        commands.append(
            f"cdk bootstrap aws://{target.account_id}/{target.region} --template {template} "
            f"--qualifier {BOOTSTRAP_QUALIFIER} --toolkit-stack-name {TOOLKIT_STACK_NAME} "
            f"--termination-protection{profile_flag}"
        )
    return commands
