"""The CDK Pipelines deployment of the landing zone, in the deployment account.

Design: one :class:`~landing_zone.pipeline.stage.LandingZoneStage` added once, with a
``StackSteps`` entry per stack: the first stack of every wave waits for that wave's manual
approval, and stack dependencies (wave N depends on wave N-1) give the order. One Stage per wave
would need the builder split into stages, which the components (sharing names and the member
baseline across accounts) do not allow; one Stage keeps ``app.py`` and the pipeline on the same
builder.

Steps: source (CodeStar connection or S3, never CodeCommit) -> synth (``make test`` and
``make synth``: the tests and the BIO2 gate, which fails on an unacknowledged error) ->
self-mutation -> ``bio2 diff`` against the manifest of the last deployment (fails when a measure
loses evidence) -> the waves, each behind a manual approval -> record the deployed manifest.
"""

from __future__ import annotations

import aws_cdk as cdk
import jsii
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import pipelines
from constructs import Construct, IConstruct

from landing_zone.classification.tagging import classify_rating
from landing_zone.config import LandingZoneConfig
from landing_zone.naming import PREFIX
from landing_zone.pipeline import deployment_account
from landing_zone.pipeline.bootstrap import platform_synthesizer
from landing_zone.pipeline.stage import LandingZoneStage

PIPELINE_STACK_NAME = f"{PREFIX}-pipeline"
#: CodePipeline's quota on actions in one stage (a fixed quota in the CodePipeline user guide).
MAX_ACTIONS_PER_STAGE = 50
LAST_MANIFEST_KEY = "last-deployed/manifest.json"
SETUP = "make setup"


def approval_name(wave: str) -> str:
    return f"Approve-{wave}"


def landing_zone_stage_actions(stacks: int, waves: int) -> int:
    """Actions in the pipeline's ``LandingZone`` stage: a change set and its execution per stack
    (``Prepare``, ``Deploy``), one approval per wave, the ``bio2 diff`` gate and the record step."""
    return 2 * stacks + waves + 2


def check_stage_capacity(stacks: int, waves: int) -> None:
    """Refuse a pipeline CodePipeline would reject (more than 50 actions in one stage), naming the
    configuration key and a fix, before anything is written."""
    from landing_zone.config.errors import ConfigError, Problem

    actions = landing_zone_stage_actions(stacks, waves)
    if actions <= MAX_ACTIONS_PER_STAGE:
        return
    raise ConfigError(
        [
            Problem(
                "deployment.pipeline.enabled",
                f"the pipeline would hold {actions} actions in its LandingZone stage ({stacks} stacks "
                f"with a change set and a deployment each, {waves} approvals, the diff gate and the "
                f"record step); CodePipeline accepts at most {MAX_ACTIONS_PER_STAGE} per stage",
                "set deployment.pipeline.enabled: false and deploy wave by wave with the CDK CLI as "
                "docs/deploy.md describes, or lower the number of stacks (fewer regions in "
                "regions.allowed, or no shared-services account in every region)",
            )
        ]
    )


def _source(config: LandingZoneConfig, scope: Construct) -> pipelines.IFileSetProducer:
    source = config.deployment.pipeline.source
    if source.type == "s3":
        bucket = s3.Bucket.from_bucket_name(scope, "SourceBucket", source.bucket or "")
        return pipelines.CodePipelineSource.s3(bucket, source.object_key)
    return pipelines.CodePipelineSource.connection(
        source.repository or "", source.branch, connection_arn=source.connection_arn or ""
    )


@jsii.implements(cdk.IAspect)
class _KeepEvidence:
    """Artifact and replication buckets versioned; buckets and keys kept on delete and replacement."""

    def visit(self, node: IConstruct) -> None:
        if isinstance(node, s3.CfnBucket):
            node.versioning_configuration = s3.CfnBucket.VersioningConfigurationProperty(status="Enabled")
        if isinstance(node, (s3.CfnBucket, kms.CfnKey)):
            node.apply_removal_policy(cdk.RemovalPolicy.RETAIN)


class PipelineStack(cdk.Stack):
    """The pipeline (stack ``lz-pipeline``) in the deployment account's home region."""

    def __init__(self, scope: Construct, config: LandingZoneConfig, stage_scope: Construct) -> None:
        home = config.regions.home
        super().__init__(
            scope,
            PIPELINE_STACK_NAME,
            stack_name=PIPELINE_STACK_NAME,
            env=cdk.Environment(account=deployment_account(config).id, region=home),
            description=f"BIO2 landing zone deployment pipeline for {config.organization.name}",
            termination_protection=True,
            synthesizer=platform_synthesizer(home),
            analytics_reporting=False,
        )
        self.evidence_key = kms.Key(
            self,
            "DeployedEvidenceKey",
            description="Encrypts the manifest of the last deployment (bio2 diff gate)",
            enable_key_rotation=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        self.evidence = s3.Bucket(
            self,
            "DeployedEvidence",
            encryption=s3.BucketEncryption.KMS,
            encryption_key=self.evidence_key,
            bucket_key_enabled=True,
            enforce_ssl=True,
            versioned=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        source = _source(config, self)
        synth = pipelines.ShellStep(
            "Synth",
            input=source,
            install_commands=[SETUP],
            commands=["make test", "make synth"],
            primary_output_directory="cdk.out",
        )
        self.pipeline = pipelines.CodePipeline(
            self,
            "Pipeline",
            pipeline_name=PIPELINE_STACK_NAME,
            synth=synth,
            cross_account_keys=True,
            enable_key_rotation=True,
            self_mutation=True,
            publish_assets_in_parallel=False,
        )
        last = f"s3://{self.evidence.bucket_name}/{LAST_MANIFEST_KEY}"
        diff = pipelines.CodeBuildStep(
            "Bio2Diff",
            input=source,
            additional_inputs={"cdk.out": synth.primary_output},
            install_commands=[SETUP],
            commands=[
                f'if aws s3 cp "{last}" last-deployed.json; then '
                ".venv/bin/bio2 diff last-deployed.json cdk.out/bio2/manifest.json; "
                'else echo "bio2 diff: no deployed manifest yet (first deployment)"; fi'
            ],
        )
        record = pipelines.CodeBuildStep(
            "RecordDeployedManifest",
            input=synth.primary_output,
            commands=[f'aws s3 cp bio2/manifest.json "{last}"'],
        )
        self.stage = LandingZoneStage(stage_scope, config)
        stack_steps = []
        self.approvals: dict[str, pipelines.ManualApprovalStep] = {}
        for wave, stacks in self.stage.waves:
            approval = pipelines.ManualApprovalStep(
                approval_name(wave),
                comment=f"Deploy wave '{wave}': {', '.join(s.stack_name for s in stacks)}",
            )
            self.approvals[wave] = approval
            for stack in stacks:
                stack_steps.append(pipelines.StackSteps(stack=stack, pre=[approval]))
        check_stage_capacity(len(stack_steps), len(self.approvals))
        self.pipeline.add_stage(self.stage, pre=[diff], post=[record], stack_steps=stack_steps)
        self.pipeline.build_pipeline()
        self.evidence.grant_read(diff)
        self.evidence.grant_write(record)
        # the pipeline's own stacks: this one and the cross-region replication stacks CDK adds
        deployer = deployment_account(config)
        rating = config.classification.rating_for(deployer.name, deployer.ou)
        self.support_stacks = [
            child
            for child in scope.node.children
            if isinstance(child, cdk.Stack) and child.stack_name.startswith(f"{PIPELINE_STACK_NAME}-support-")
        ]
        for stack in (self, *self.support_stacks):
            cdk.Aspects.of(stack).add(_KeepEvidence())
            classify_rating(stack, rating)
