"""Amazon Inspector v2, organisation-wide: continuous vulnerability scanning (BIO2 8.08.04, supporting).

CloudFormation has no resource that turns Inspector on, so two small custom resources do, each
behind an inline-code function (no asset) whose role may call only what it needs:

* management account, home region: ``Custom::InspectorDelegatedAdmin`` makes the security account the
  Inspector delegated administrator in every allowed region (``inspector2:EnableDelegatedAdminAccount``);
* security account, every allowed region: ``Custom::InspectorOrganization`` switches auto-enable on
  for accounts that join later (``inspector2:UpdateOrganizationConfiguration``) and turns scanning on
  for every account of the configuration (``inspector2:Enable``), for ``security.inspector.resource_types``.

The claim ``LZ-Inspector-Organization`` reads the written properties of the second resource (resource
types and accounts): switching Inspector off, or an override that empties either list, loses the
evidence. Deleting the stack leaves Inspector on (a scan history is evidence too).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from bio2_aspects.claims import PropertyIncludes
from landing_zone.acknowledgements import acknowledge
from landing_zone.claims import make_claim
from landing_zone.nag import acknowledge_custom_resource_function, acknowledge_nag

if TYPE_CHECKING:
    from landing_zone.config import LandingZoneConfig
    from landing_zone.core.contracts import Placement

#: The custom-resource handler (inline code). On Delete it leaves Inspector as it is.
HANDLER = """
import json
import urllib.request

import boto3


def _send(event, context, status, reason=""):
    body = json.dumps({
        "Status": status,
        "Reason": reason[:500] or "see the function's log group",
        "PhysicalResourceId": event.get("PhysicalResourceId") or event["LogicalResourceId"],
        "StackId": event["StackId"],
        "RequestId": event["RequestId"],
        "LogicalResourceId": event["LogicalResourceId"],
    }).encode()
    request = urllib.request.Request(event["ResponseURL"], data=body, method="PUT",
                                     headers={"Content-Type": "", "Content-Length": str(len(body))})
    urllib.request.urlopen(request, timeout=30)


def handler(event, context):
    props = event["ResourceProperties"]
    try:
        if event["RequestType"] in ("Create", "Update"):
            if props["Action"] == "DelegatedAdmin":
                for region in props["Regions"]:
                    client = boto3.client("inspector2", region_name=region)
                    try:
                        client.enable_delegated_admin_account(delegatedAdminAccountId=props["AccountId"])
                    except client.exceptions.ConflictException:
                        pass  # already the delegated administrator
            else:
                client = boto3.client("inspector2")
                types = list(props["ResourceTypes"])
                client.update_organization_configuration(autoEnable={
                    "ec2": "EC2" in types, "ecr": "ECR" in types,
                    "lambda": "LAMBDA" in types, "lambdaCode": "LAMBDA_CODE" in types,
                })
                ids = list(props["AccountIds"])
                for i in range(0, len(ids), 100):
                    client.enable(accountIds=ids[i:i + 100], resourceTypes=types)
        _send(event, context, "SUCCESS")
    except Exception as exc:  # report every failure to CloudFormation
        print(repr(exc))
        _send(event, context, "FAILED", repr(exc))
"""

_SERVICE_LINKED = "iam:CreateServiceLinkedRole"


class _InspectorFunction(Construct):
    """The inline handler with its own log group and a role that may call only ``actions``."""

    def __init__(self, scope: Construct, construct_id: str, *, actions: Sequence[str], what: str) -> None:
        super().__init__(scope, construct_id)
        self.log_group = logs.LogGroup(
            self, "Logs", retention=logs.RetentionDays.ONE_YEAR, removal_policy=cdk.RemovalPolicy.RETAIN
        )
        reason = (
            "Holds only the results of the Inspector activation calls (no personal or business data); "
            "CloudWatch Logs encrypts it at rest with an AWS-owned key."
        )
        acknowledge(self.log_group, "BIO2-Logs-KmsEncryption", reason)
        acknowledge_nag(self.log_group, "NIST.800.53.R5-CloudWatchLogGroupEncrypted", reason)
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"{what} (BIO2 landing zone)",
            inline_policies={
                "Inspector": iam.PolicyDocument(
                    statements=[
                        # Inspector's organisation actions have no resource type: IAM only accepts "*"
                        iam.PolicyStatement(actions=list(actions), resources=["*"]),
                        iam.PolicyStatement(
                            actions=[_SERVICE_LINKED],
                            resources=["*"],
                            conditions={
                                "StringEquals": {
                                    "iam:AWSServiceName": [
                                        "inspector2.amazonaws.com",
                                        "agentless.inspector2.amazonaws.com",
                                    ]
                                }
                            },
                        ),
                        iam.PolicyStatement(
                            actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                            resources=[f"{self.log_group.log_group_arn}:*"],
                        ),
                    ]
                )
            },
        )
        acknowledge_nag(
            self.role,
            "AwsSolutions-IAM5",
            f"{', '.join(actions)} and iam:CreateServiceLinkedRole have no resource type: IAM only accepts "
            'Resource "*" (the service-linked role is limited to Inspector\'s by a condition). The log '
            "statement names the log streams of the function's own log group.",
            findings=[
                "Resource::*",
                f"Resource::<{cdk.Stack.of(self).get_logical_id(self.log_group.node.default_child)}.Arn>:*",
            ],
        )
        acknowledge_nag(
            self.role,
            "NIST.800.53.R5-IAMNoInlinePolicy",
            "The inline policy belongs to this one role of the Inspector activation function; a managed "
            "policy could be attached to other principals.",
        )
        self.function = lambda_.Function(
            self,
            "Function",
            runtime=lambda_.Runtime.PYTHON_3_14,
            handler="index.handler",
            code=lambda_.Code.from_inline(HANDLER),
            role=self.role,
            log_group=self.log_group,
            timeout=cdk.Duration.minutes(5),
            memory_size=128,
            description=what,
        )
        self.function.node.add_dependency(self.role)
        acknowledge_custom_resource_function(self.function, "The Inspector activation function")


class InspectorDelegatedAdmin(Construct):
    """Management account: the security account becomes Inspector's delegated admin in ``regions``."""

    def __init__(
        self, scope: Construct, construct_id: str, *, admin_account_id: str, regions: Sequence[str]
    ) -> None:
        super().__init__(scope, construct_id)
        handler = _InspectorFunction(
            self,
            "Handler",
            actions=(
                "inspector2:EnableDelegatedAdminAccount",
                "inspector2:GetDelegatedAdminAccount",
                "organizations:EnableAWSServiceAccess",
                "organizations:RegisterDelegatedAdministrator",
                "organizations:ListDelegatedAdministrators",
                "organizations:ListAWSServiceAccessForOrganization",
                "organizations:DescribeOrganization",
            ),
            what="Makes the security account the Amazon Inspector delegated administrator",
        )
        self.resource = cdk.CustomResource(
            self,
            "Resource",
            service_token=handler.function.function_arn,
            resource_type="Custom::InspectorDelegatedAdmin",
            properties={
                "Action": "DelegatedAdmin",
                "AccountId": admin_account_id,
                "Regions": sorted(regions),
            },
        )


class InspectorOrganization(Construct):
    """Security account (delegated admin), one region: scanning on for every account, auto-enable on."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        resource_types: Sequence[str],
        account_ids: Sequence[str],
    ) -> None:
        super().__init__(scope, construct_id)
        handler = _InspectorFunction(
            self,
            "Handler",
            actions=(
                "inspector2:UpdateOrganizationConfiguration",
                "inspector2:DescribeOrganizationConfiguration",
                "inspector2:Enable",
                "inspector2:AssociateMember",
                "organizations:DescribeOrganization",
                "organizations:ListAccounts",
            ),
            what="Turns Amazon Inspector scanning on for every account of the organisation",
        )
        types, accounts = sorted(set(resource_types)), sorted(set(account_ids))
        self.resource = cdk.CustomResource(
            self,
            "Resource",
            service_token=handler.function.function_arn,
            resource_type="Custom::InspectorOrganization",
            properties={"Action": "Organization", "ResourceTypes": types, "AccountIds": accounts},
        )
        make_claim(
            self.resource.node.default_child,
            "LZ-Inspector-Organization",
            PropertyIncludes(path=("ResourceTypes",), values=tuple(types)),
            PropertyIncludes(path=("AccountIds",), values=tuple(accounts)),
            detail=(
                f"Amazon Inspector scans {', '.join(types)} continuously for known vulnerabilities and "
                f"unintended network exposure in every one of the {len(accounts)} accounts of the "
                "configuration (auto-enabled for accounts that join later), administered from the "
                "security account."
            ),
        )


def build_inspector(config: LandingZoneConfig, placement: Placement) -> None:
    """Inspector in every allowed region: delegated admin from management, scanning from security."""
    from landing_zone import naming

    settings = config.security.inspector
    accounts = [a.id for a in config.organization.accounts]
    management = placement.stack("management")
    InspectorDelegatedAdmin(
        management,
        "SecurityInspectorDelegatedAdmin",
        admin_account_id=naming.security_account_id(config),
        regions=config.regions.allowed,
    )
    for _region, stack in placement.stacks_of("security"):
        InspectorOrganization(
            stack, "SecurityInspector", resource_types=settings.resource_types, account_ids=accounts
        )
        stack.add_stack_dependency(management, "Inspector delegated administrator")
