"""The member-account baseline: what this component adds to it, and the StackSet that deploys it.

``placement.baseline.stack`` is an ordinary stack in its own Stage; CDK synthesizes nested Stages before the
stacks of the app, so when the management stack is rendered the baseline template is already on disk
in the Stage's assembly directory. :class:`BaselineTemplateBody` reads it there (a ``Lazy`` string,
resolved at synthesis) and the ``AWS::CloudFormation::StackSet`` carries it inline as
``TemplateBody``. A validation on the management stack fails the synthesis when the body would pass
CloudFormation's 51,200-byte limit for inline templates, or when the approved-services guardrail
would deny a service the baseline uses.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aws_cdk as cdk
import jsii
from aws_cdk import aws_accessanalyzer as accessanalyzer
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct, IValidation

from bio2_aspects.claims import AnalyzerActive, PropertyAtLeast, PropertyEquals
from landing_zone.acknowledgements import acknowledge
from landing_zone.claims import make_claim
from landing_zone.classification.tagging import classify_rating
from landing_zone.nag import acknowledge_custom_resource_function, acknowledge_nag
from landing_zone.organization.policies import ACCOUNT_DEFAULTS_ROLE_PREFIX

if TYPE_CHECKING:
    from landing_zone.config import LandingZoneConfig
    from landing_zone.core.contracts import BaselinePlacement

#: CloudFormation's limit for an inline ``TemplateBody`` (bytes).
MAX_TEMPLATE_BODY = 51_200
STACK_SET_NAME = "lz-member-baseline"
ACCOUNT_DEFAULTS_FUNCTION = "lz-baseline-account-defaults"

#: The IAM password policy set where IAM users are allowed (BIO2 5.17.03, NCSC guidance).
PASSWORD_POLICY: dict[str, str] = {
    "MinimumPasswordLength": "14",
    "RequireSymbols": "true",
    "RequireNumbers": "true",
    "RequireUppercaseCharacters": "true",
    "RequireLowercaseCharacters": "true",
    "AllowUsersToChangePassword": "true",
    "PasswordReusePrevention": "24",
    "MaxPasswordAge": "365",
}

#: CloudFormation namespaces whose IAM service prefix is not simply the namespace in lowercase.
_SERVICE_OF_NAMESPACE = {
    "accessanalyzer": "access-analyzer",
    "applicationautoscaling": "application-autoscaling",
    "certificatemanager": "acm",
    "efs": "elasticfilesystem",
    "elasticloadbalancingv2": "elasticloadbalancing",
    "inspectorv2": "inspector2",
    "kinesisfirehose": "firehose",
    "macie": "macie2",
    "networkfirewall": "network-firewall",
    "resourcegroups": "resource-groups",
    "stepfunctions": "states",
}


class BaselineTooLarge(ValueError):
    pass


class BaselineTemplateBody:
    """The baseline stack's synthesized template, minified, for the StackSet's ``TemplateBody``."""

    def __init__(self, stage: cdk.Stage, stack: cdk.Stack):
        self.stage = stage
        self.stack = stack
        self._body: str | None = None

    @property
    def path(self) -> Path:
        return Path(self.stage.outdir) / self.stack.template_file

    def template(self) -> dict[str, Any]:
        path = self.path
        if not path.is_file():
            raise RuntimeError(
                f"the member baseline template {path} is not synthesized yet: the StackSet body can only "
                "be resolved during app.synth(), after the member-baseline Stage"
            )
        template = json.loads(path.read_text(encoding="utf-8"))
        for resource in (template.get("Resources") or {}).values():
            metadata = resource.get("Metadata") if isinstance(resource, dict) else None
            if isinstance(metadata, dict):
                metadata.pop("aws:cdk:path", None)
                if not metadata:
                    resource.pop("Metadata")
        return template

    def body(self) -> str:
        if self._body is None:
            self._body = json.dumps(self.template(), separators=(",", ":"), ensure_ascii=False)
        return self._body

    def size(self) -> int:
        return len(self.body().encode("utf-8"))

    def lazy(self) -> str:
        # uncached: the cached Lazy.string calls the producer without a context, which the jsii bridge
        # rejects; the body is cached here instead
        return cdk.Lazy.uncached_string(_Producer(self))


@jsii.implements(cdk.IStringProducer)
class _Producer:
    def __init__(self, body: BaselineTemplateBody):
        self._body = body

    def produce(self, context: cdk.IResolveContext | None = None) -> str:
        return self._body.body()


@jsii.implements(IValidation)
class _BaselineChecks:
    """Checks that need the synthesized baseline template (run by CDK after the Stage is written)."""

    def __init__(self, body: BaselineTemplateBody, approved: tuple[str, ...] | None, approved_targets: str):
        self._body = body
        self._approved = approved
        self._approved_targets = approved_targets

    def validate(self) -> list[str]:
        errors = []
        size = self._body.size()
        if size > MAX_TEMPLATE_BODY:
            errors.append(
                f"the member baseline template ({self._body.stack.stack_name}) is {size:,} bytes; the "
                f"StackSet's inline TemplateBody takes at most {MAX_TEMPLATE_BODY:,}: move resources out "
                "of the member baseline or split it"
            )
        if self._approved is not None:
            missing = sorted(baseline_services(self._body.template()) - set(self._approved))
            if missing:
                errors.append(
                    f"the member baseline uses {', '.join(missing)}, which the approved-services guardrail "
                    f"denies in {self._approved_targets}: the StackSet could not deploy there. Add them to "
                    "organization.guardrails.approved_services"
                )
        return errors


def baseline_services(template: dict[str, Any]) -> set[str]:
    """IAM service prefixes of the resource types in a template (``AWS::Lambda::Function`` -> lambda).

    Namespaces that map to no known prefix are left out rather than guessed.
    """
    from landing_zone.organization.service_prefixes import SERVICE_PREFIXES

    services: set[str] = set()
    for resource in (template.get("Resources") or {}).values():
        kind = resource.get("Type", "") if isinstance(resource, dict) else ""
        if kind.startswith("Custom::") or kind == "AWS::CloudFormation::CustomResource":
            services.add("lambda")
            continue
        parts = kind.split("::")
        if len(parts) == 3 and parts[0] == "AWS":
            namespace = parts[1].lower()
            services.add(_SERVICE_OF_NAMESPACE.get(namespace, namespace))
    return services & set(SERVICE_PREFIXES)


def add_baseline_resources(
    config: LandingZoneConfig, member_baseline: BaselinePlacement, *, password_policy: bool
) -> None:
    """IAM Access Analyzer and the account-level defaults, in every member account and region."""
    scope = Construct(member_baseline.stack, "OrganizationBaseline")
    classify_rating(scope, config.classification.default)

    analyzer = accessanalyzer.CfnAnalyzer(
        scope, "AccessAnalyzer", type="ACCOUNT", analyzer_name="lz-account-access-analyzer"
    )
    make_claim(
        analyzer,
        "LZ-AccessAnalyzer-Account",
        AnalyzerActive(type="ACCOUNT"),
        detail=(
            "IAM Access Analyzer (account analyzer) in every member account and allowed region reports "
            "resources that a resource policy opens to principals outside the account."
        ),
    )

    log_group = logs.LogGroup(
        scope,
        "AccountDefaultsLogs",
        log_group_name=f"/aws/lambda/{ACCOUNT_DEFAULTS_FUNCTION}",
        retention=logs.RetentionDays.ONE_YEAR,
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )
    log_reason = (
        "Holds only the results of the one-shot AccountDefaults calls (no personal or business data); "
        "CloudWatch Logs encrypts it at rest with an AWS-owned key. A customer managed key per member "
        "account and region for this log alone is not proportionate."
    )
    acknowledge(log_group, "BIO2-Logs-KmsEncryption", log_reason)
    acknowledge_nag(log_group, "NIST.800.53.R5-CloudWatchLogGroupEncrypted", log_reason)
    actions = [
        "ec2:EnableEbsEncryptionByDefault",
        "ec2:GetEbsEncryptionByDefault",
        "s3:PutAccountPublicAccessBlock",
        "s3:GetAccountPublicAccessBlock",
    ]
    if password_policy:
        actions += ["iam:UpdateAccountPasswordPolicy", "iam:GetAccountPasswordPolicy"]
    role = iam.Role(
        scope,
        "AccountDefaultsRole",
        role_name=f"{ACCOUNT_DEFAULTS_ROLE_PREFIX}-{cdk.Aws.REGION}",
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        description="Turns on the account-level security defaults (BIO2 landing zone member baseline)",
        inline_policies={
            "AccountDefaults": iam.PolicyDocument(
                statements=[
                    # these account-level settings have no resource ARN: IAM only accepts "*"
                    iam.PolicyStatement(actions=actions, resources=["*"]),
                    iam.PolicyStatement(
                        actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                        resources=[log_group.log_group_arn],
                    ),
                ]
            )
        },
    )
    acknowledge_nag(
        role,
        "AwsSolutions-IAM5",
        "EnableEbsEncryptionByDefault, GetEbsEncryptionByDefault, Put/GetAccountPublicAccessBlock and "
        "Update/GetAccountPasswordPolicy are account-level settings without a resource type: IAM only "
        'accepts Resource "*" for them. The log statement names the function\'s own log group.',
        findings=["Resource::*"],
    )
    acknowledge_nag(
        role,
        "NIST.800.53.R5-IAMNoInlinePolicy",
        "The inline policy belongs to this one role of the AccountDefaults function and is created and "
        "deleted with it; a separate managed policy could be attached to other principals, which is "
        "exactly what the account-level permissions must not be.",
    )
    function = lambda_.Function(
        scope,
        "AccountDefaultsFunction",
        function_name=ACCOUNT_DEFAULTS_FUNCTION,
        runtime=lambda_.Runtime.PYTHON_3_14,
        handler="index.handler",
        code=lambda_.Code.from_inline(ACCOUNT_DEFAULTS_CODE),
        role=role,
        log_group=log_group,
        timeout=cdk.Duration.minutes(2),
        description="Turns on EBS default encryption, the S3 account public access block, password policy",
    )
    function.node.add_dependency(role)
    acknowledge_custom_resource_function(function, "The AccountDefaults function")
    properties: dict[str, Any] = {"EbsEncryptionByDefault": "true", "S3PublicAccessBlock": "true"}
    if password_policy:
        properties["PasswordPolicy"] = PASSWORD_POLICY
    defaults = cdk.CustomResource(
        scope,
        "AccountDefaults",
        service_token=function.function_arn,
        resource_type="Custom::AccountDefaults",
        properties=properties,
    )
    if password_policy:
        make_claim(
            defaults.node.default_child,
            "LZ-Baseline-PasswordPolicy",
            PropertyAtLeast(path=("PasswordPolicy", "MinimumPasswordLength"), minimum=14),
            PropertyAtLeast(path=("PasswordPolicy", "PasswordReusePrevention"), minimum=24),
            PropertyEquals(path=("PasswordPolicy", "RequireSymbols"), value="true"),
            PropertyEquals(path=("PasswordPolicy", "RequireNumbers"), value="true"),
            PropertyEquals(path=("PasswordPolicy", "RequireUppercaseCharacters"), value="true"),
            PropertyEquals(path=("PasswordPolicy", "RequireLowercaseCharacters"), value="true"),
            detail=(
                "The member baseline sets the IAM account password policy (at least 14 characters with "
                "upper and lower case, digits and symbols, no reuse of the last 24) in every member "
                "account, because the configuration allows IAM users somewhere; IAM enforces it on every "
                "console password."
            ),
        )


def add_stack_set(
    config: LandingZoneConfig,
    member_baseline: BaselinePlacement,
    scope: Construct,
    *,
    root_id: str,
    ou_ids: dict[str, str],
) -> cdk.CfnStackSet:
    """The service-managed StackSet that deploys the baseline to the configured OUs and regions."""
    deployment = config.organization.baseline
    body = BaselineTemplateBody(member_baseline.stage, member_baseline.stack)
    targets = [root_id if target == "Root" else ou_ids[target] for target in deployment.targets]
    stack_set = cdk.CfnStackSet(
        scope,
        "MemberBaseline",
        stack_set_name=STACK_SET_NAME,
        description=f"BIO2 landing zone member-account baseline for {config.organization.name}",
        permission_model="SERVICE_MANAGED",
        # deployed from the management account itself (DELEGATED_ADMIN from a delegated administrator)
        call_as="SELF",
        auto_deployment=cdk.CfnStackSet.AutoDeploymentProperty(
            enabled=True, retain_stacks_on_account_removal=False
        ),
        capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
        managed_execution={"Active": True},
        operation_preferences=cdk.CfnStackSet.OperationPreferencesProperty(
            concurrency_mode="SOFT_FAILURE_TOLERANCE",
            failure_tolerance_percentage=deployment.failure_tolerance_percentage,
            max_concurrent_percentage=deployment.max_concurrent_percentage,
            region_concurrency_type="PARALLEL",
        ),
        stack_instances_group=[
            cdk.CfnStackSet.StackInstancesProperty(
                deployment_targets=cdk.CfnStackSet.DeploymentTargetsProperty(organizational_unit_ids=targets),
                regions=sorted(config.regions.allowed, key=lambda r: (r != config.regions.home, r)),
            )
        ],
        template_body=body.lazy(),
    )
    guardrails = config.organization.guardrails
    approved_targets = guardrails.attach.approved_services
    stack_set.node.add_validation(
        _BaselineChecks(
            body,
            tuple(guardrails.approved_services) if approved_targets else None,
            ", ".join(approved_targets),
        )
    )
    return stack_set


ACCOUNT_DEFAULTS_CODE = '''\
"""AccountDefaults custom resource: account-level security settings without a CloudFormation type."""
import json
import urllib.request

import boto3


def handler(event, context):
    status, reason = "SUCCESS", "account defaults applied"
    try:
        if event["RequestType"] in ("Create", "Update"):
            props = event["ResourceProperties"]
            account = context.invoked_function_arn.split(":")[4]
            if props.get("EbsEncryptionByDefault") == "true":
                boto3.client("ec2").enable_ebs_encryption_by_default()
            if props.get("S3PublicAccessBlock") == "true":
                boto3.client("s3control").put_public_access_block(
                    AccountId=account,
                    PublicAccessBlockConfiguration={
                        "BlockPublicAcls": True,
                        "IgnorePublicAcls": True,
                        "BlockPublicPolicy": True,
                        "RestrictPublicBuckets": True,
                    },
                )
            policy = props.get("PasswordPolicy")
            if policy:
                boto3.client("iam").update_account_password_policy(
                    **{k: int(v) if v.isdigit() else v == "true" for k, v in policy.items()}
                )
        # Delete: the settings stay on; removing the baseline must not weaken an account.
    except Exception as exc:  # report every failure to CloudFormation instead of timing out
        status, reason = "FAILED", f"{type(exc).__name__}: {exc}"[:1000]
    body = json.dumps({
        "Status": status,
        "Reason": reason,
        "PhysicalResourceId": event.get("PhysicalResourceId") or "account-defaults",
        "StackId": event["StackId"],
        "RequestId": event["RequestId"],
        "LogicalResourceId": event["LogicalResourceId"],
    }).encode()
    request = urllib.request.Request(
        event["ResponseURL"], data=body, method="PUT", headers={"Content-Type": ""}
    )
    urllib.request.urlopen(request, timeout=30)
'''
