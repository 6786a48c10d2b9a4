"""Per-stack shared pieces of the network constructs: the log encryption key and the helper function.

Both are singletons per stack, created on first use, so that a stack with five VPCs still has one
key and one function. The function runs :mod:`landing_zone.network.cr_handler` as inline code: no
asset, so the constructs also work in stacks that cannot have assets.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from landing_zone.core.keys import allow_cloudwatch_logs, protect_key
from landing_zone.nag import acknowledge_custom_resource_function, acknowledge_nag

LOG_RETENTION = logs.RetentionDays.ONE_YEAR
"""365 days: the BIO2 rule minimum (8.15.04, 8.18.02); long-term copies belong in the log archive."""

# Per-stack singletons of this module, found again with try_find_child by this module only (no
# other module looks them up; tests/architecture lists the exception).
_KEY_ID = "LzNetworkLogKey"
_HELPER_ID = "LzNetworkHelper"


def log_key(scope: Construct) -> kms.Key:
    """The stack's KMS key for the log groups of the network constructs (created once per stack)."""
    stack = cdk.Stack.of(scope)
    existing = stack.node.try_find_child(_KEY_ID)
    if isinstance(existing, kms.Key):
        return existing
    key = kms.Key(
        stack,
        _KEY_ID,
        description="Encrypts the CloudWatch log groups of the landing zone network constructs",
        enable_key_rotation=True,
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )
    protect_key(key)
    allow_cloudwatch_logs(key)
    return key


def encrypted_log_group(scope: Construct, construct_id: str) -> logs.LogGroup:
    """A log group kept for :data:`LOG_RETENTION`, encrypted with :func:`log_key`, retained on delete."""
    return logs.LogGroup(
        scope,
        construct_id,
        retention=LOG_RETENTION,
        encryption_key=log_key(scope),
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )


class NetworkHelper(Construct):
    """One Lambda function per stack behind the network custom resources (see ``cr_handler``).

    Its role gets only what the custom resources of its stack use, added as they are created.
    """

    @classmethod
    def of(cls, scope: Construct) -> NetworkHelper:
        stack = cdk.Stack.of(scope)
        existing = stack.node.try_find_child(_HELPER_ID)
        if isinstance(existing, NetworkHelper):
            return existing
        return cls(stack, _HELPER_ID)

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        self.log_group = encrypted_log_group(self, "Logs")
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Network custom resources: default security group lock-down and read-only look-ups",
        )
        self.role.add_to_policy(
            iam.PolicyStatement(
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[f"{self.log_group.log_group_arn}:*"],
            )
        )
        source = resources.files("landing_zone.network").joinpath("cr_handler.py").read_text(encoding="utf-8")
        self.function = lambda_.Function(
            self,
            "Function",
            runtime=lambda_.Runtime.PYTHON_3_14,
            handler="index.handler",
            code=lambda_.Code.from_inline(source),
            role=self.role,
            log_group=self.log_group,
            timeout=cdk.Duration.minutes(2),
            memory_size=128,
            description="Landing zone network custom resources (landing_zone/network/cr_handler.py)",
        )
        acknowledge_custom_resource_function(self.function, "The network helper function")
        acknowledge_nag(
            self.role,
            "AwsSolutions-IAM5",
            "The helper writes to log streams that Lambda creates at run time: the log-stream ARNs of "
            "its own log group can only be named with a wildcard after the group's ARN.",
            findings=[f"Resource::<{stack.get_logical_id(self.log_group.node.default_child)}.Arn>:*"],
        )
        acknowledge_nag(
            self.role,
            "AwsSolutions-IAM5",
            "Only the read-only look-ups ec2:DescribeSecurityGroupRules, "
            "ec2:DescribeTransitGatewayAttachments and route53resolver:ListFirewallDomainLists use "
            'Resource "*": these List/Describe actions support no resource-level permissions. The '
            "revoke actions are scoped to each VPC's default security group.",
            findings=["Resource::*"],
        )
        acknowledge_nag(
            self.role,
            "NIST.800.53.R5-IAMNoInlinePolicy",
            "The role's default policy holds only the statements the custom resources of this stack add "
            "(each scoped to its VPC's default security group or to read-only look-ups) and belongs to "
            "this one helper role; a managed policy could be attached to other principals.",
        )
        self._granted: set[str] = set()
        self._stack = stack
        self._rating: dict[str, str] = {}

    def raise_rating(self, rating: dict[str, str]) -> None:
        """Rate the helper (and the log key) at least as high as every VPC it serves, as fallback tags."""
        from landing_zone.workloads.vpc import _rating_tags, tag_resources

        order = {"low": 0, "medium": 1, "high": 2}
        for field, level in rating.items():
            if order[level] > order.get(self._rating.get(field, "low"), 0) or field not in self._rating:
                self._rating[field] = level
        tags = _rating_tags(self._rating)
        tag_resources(self, tags, 50)
        tag_resources(log_key(self), tags, 50)

    def _grant(self, key: str, statement: iam.PolicyStatement) -> None:
        if key not in self._granted:
            self._granted.add(key)
            self.role.add_to_policy(statement)

    def restrict_default_security_group(self, scope: Construct, vpc: ec2.CfnVPC) -> cdk.CustomResource:
        """Revoke every rule of ``vpc``'s default security group (``Custom::VpcRestrictDefaultSG``)."""
        stack = self._stack
        self._grant(
            "describe-sg-rules",
            iam.PolicyStatement(actions=["ec2:DescribeSecurityGroupRules"], resources=["*"]),
        )
        self.role.add_to_policy(
            iam.PolicyStatement(
                actions=["ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress"],
                resources=[
                    f"arn:{stack.partition}:ec2:{stack.region}:{stack.account}:security-group/"
                    f"{vpc.attr_default_security_group}"
                ],
            )
        )
        resource = cdk.CustomResource(
            scope,
            "RestrictDefaultSecurityGroup",
            service_token=self.function.function_arn,
            resource_type="Custom::VpcRestrictDefaultSG",
            properties={"DefaultSecurityGroupId": vpc.attr_default_security_group},
        )
        resource.node.add_dependency(self.role)
        return resource

    def domain_list_ids(self, scope: Construct, names: Sequence[str]) -> cdk.CustomResource:
        """IDs of AWS managed DNS Firewall domain lists by name; ``get_att_string(name)`` gives one."""
        self._grant(
            "list-domain-lists",
            iam.PolicyStatement(actions=["route53resolver:ListFirewallDomainLists"], resources=["*"]),
        )
        resource = cdk.CustomResource(
            scope,
            "ManagedDomainListIds",
            service_token=self.function.function_arn,
            resource_type="Custom::LzDomainListIds",
            properties={"Names": sorted(names)},
        )
        resource.node.add_dependency(self.role)
        return resource

    def vpn_attachment_id(self, scope: Construct, vpn: ec2.CfnVPNConnection) -> str:
        """The Transit Gateway attachment ID of ``vpn``, found at deploy time."""
        self._grant(
            "describe-tgw-attachments",
            iam.PolicyStatement(actions=["ec2:DescribeTransitGatewayAttachments"], resources=["*"]),
        )
        resource = cdk.CustomResource(
            scope,
            "TransitGatewayAttachment",
            service_token=self.function.function_arn,
            resource_type="Custom::LzVpnAttachment",
            properties={"VpnConnectionId": vpn.ref},
        )
        resource.node.add_dependency(self.role)
        return resource.get_att_string("AttachmentId")
