"""IAM Identity Center: permission sets and account assignments, in the management stack.

The Identity Center instance itself cannot be created by CloudFormation for an organization, so
its ARN comes from the configuration. Assignments give identity provider groups (provisioned by
SCIM) a permission set in an account; OU targets are expanded to the OU's accounts here, at
synthesis, from ``organization.accounts``.
"""

from __future__ import annotations

from aws_cdk import aws_sso as sso
from constructs import Construct

import bio2_aspects
from landing_zone import naming
from landing_zone.config import LandingZoneConfig
from landing_zone.config.sections.identity import PermissionSet, assignment_accounts
from landing_zone.identity.policies import permission_set_inline_policy

#: BIO2 rules that flag administrator access on a permission set (acknowledged with the justification).
ADMIN_RULES = ("BIO2-IAM-NoAdminManagedPolicy", "BIO2-IAM-NoAdminStatement")


def managed_policy_arn(name: str) -> str:
    """ARN of an AWS managed policy given by name (with its path, if any)."""
    return f"arn:aws:iam::aws:policy/{name}"


def session_duration(hours: int) -> str:
    """ISO 8601 duration, as Identity Center wants it: ``PT8H``."""
    return f"PT{hours}H"


class IdentityCenter(Construct):
    """Permission sets and assignments of one IAM Identity Center instance."""

    def __init__(self, scope: Construct, construct_id: str, *, config: LandingZoneConfig) -> None:
        super().__init__(scope, construct_id)
        identity = config.identity
        instance_arn = identity.identity_center_instance_arn
        if instance_arn is None:  # the configuration check requires it when there are assignments
            raise ValueError("IdentityCenter needs identity.identity_center_instance_arn")
        self.permission_sets: dict[str, sso.CfnPermissionSet] = {}
        for ps in identity.permission_sets:
            self.permission_sets[ps.name] = self._permission_set(ps, instance_arn, config)

        self.assignments: list[sso.CfnAssignment] = []
        for assignment in identity.assignments:
            group = identity.group(assignment.group)
            permission_set = self.permission_sets[assignment.permission_set]
            assert group is not None  # checked by the configuration
            for account in assignment_accounts(config, assignment):
                self.assignments.append(
                    sso.CfnAssignment(
                        self,
                        f"Assignment-{assignment.group}-{assignment.permission_set}-{account.name}",
                        instance_arn=instance_arn,
                        permission_set_arn=permission_set.attr_permission_set_arn,
                        principal_type="GROUP",
                        principal_id=group.id,
                        target_type="AWS_ACCOUNT",
                        target_id=account.id,
                    )
                )

    def _permission_set(
        self, ps: PermissionSet, instance_arn: str, config: LandingZoneConfig
    ) -> sso.CfnPermissionSet:
        identity = config.identity
        inline = permission_set_inline_policy(
            protect=ps.protect_landing_zone,
            workload_iam=ps.workload_iam,
            extra=ps.inline_policy,
            management_account_id=naming.management_account_id(config),
        )
        boundary = None
        if ps.permissions_boundary:
            boundary = sso.CfnPermissionSet.PermissionsBoundaryProperty(
                customer_managed_policy_reference=sso.CfnPermissionSet.CustomerManagedPolicyReferenceProperty(
                    name=ps.permissions_boundary, path="/"
                )
            )
        description = ps.description or f"{ps.name} (landing zone permission set)"
        resource = sso.CfnPermissionSet(
            self,
            f"PermissionSet-{ps.name}",
            instance_arn=instance_arn,
            name=ps.name,
            description=description,
            managed_policies=[managed_policy_arn(name) for name in ps.managed_policies] or None,
            customer_managed_policy_references=[
                sso.CfnPermissionSet.CustomerManagedPolicyReferenceProperty(name=name, path="/")
                for name in ps.customer_managed_policies
            ]
            or None,
            inline_policy=inline,
            permissions_boundary=boundary,
            session_duration=session_duration(identity.session_hours_of(ps)),
        )
        if ps.grants_admin and ps.justification:
            for rule_id in ADMIN_RULES:
                bio2_aspects.acknowledge(resource, rule_id, ps.justification)
        return resource
