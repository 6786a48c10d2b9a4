"""Optional direct SAML federation, for accounts that cannot use IAM Identity Center.

The SAML provider and its roles are IAM resources of the account itself, so they go into the member
baseline (the only template that reaches workload accounts), behind a condition: created only in
the listed accounts, and only in the home region (IAM is global; the baseline runs in every region).
The management account is refused by the configuration: people reach it through Identity Center.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

import bio2_aspects
from landing_zone.config import LandingZoneConfig
from landing_zone.identity.identity_center import ADMIN_RULES, managed_policy_arn

SAML_AUDIENCE = "https://signin.aws.amazon.com/saml"


def _account_condition(scope: Construct, account_ids: list[str]) -> cdk.ICfnConditionExpression:
    """True in any of ``account_ids`` (``Fn::Or`` takes 2 to 10 conditions: nest when needed)."""
    checks: list[cdk.ICfnConditionExpression] = [
        cdk.Fn.condition_equals(cdk.Aws.ACCOUNT_ID, account_id) for account_id in account_ids
    ]
    while len(checks) > 1:
        checks = [
            cdk.Fn.condition_or(*checks[i : i + 10]) if len(checks[i : i + 10]) > 1 else checks[i]
            for i in range(0, len(checks), 10)
        ]
    return checks[0]


class SamlFederation(Construct):
    """The SAML provider and its roles, in the baseline."""

    def __init__(
        self, scope: Construct, construct_id: str, *, config: LandingZoneConfig, home_region: cdk.CfnCondition
    ) -> None:
        super().__init__(scope, construct_id)
        saml = config.identity.saml_federation
        assert saml is not None
        account_ids = sorted(a.id for name in saml.accounts if (a := config.organization.account(name)))
        self.condition = cdk.CfnCondition(
            self,
            "InFederatedAccount",
            expression=cdk.Fn.condition_and(home_region, _account_condition(self, account_ids)),
        )
        self.provider = iam.CfnSAMLProvider(
            self, "Provider", name=saml.provider_name, saml_metadata_document=saml.metadata_xml.strip()
        )
        self.provider.cfn_options.condition = self.condition
        provider_arn = f"arn:{cdk.Aws.PARTITION}:iam::{cdk.Aws.ACCOUNT_ID}:saml-provider/{saml.provider_name}"
        self.roles: list[iam.CfnRole] = []
        for spec in saml.roles:
            role = iam.CfnRole(
                self,
                f"Role-{spec.name}",
                role_name=spec.name,
                description=spec.description or f"{spec.name}: direct SAML federation ({saml.provider_name})",
                assume_role_policy_document={
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Federated": provider_arn},
                            "Action": "sts:AssumeRoleWithSAML",
                            "Condition": {"StringEquals": {"SAML:aud": SAML_AUDIENCE}},
                        }
                    ],
                },
                managed_policy_arns=[managed_policy_arn(name) for name in spec.managed_policies],
                max_session_duration=config.identity.session_hours_of(spec) * 3600,
            )
            role.cfn_options.condition = self.condition
            role.node.add_dependency(self.provider)
            if spec.grants_admin and spec.justification:
                for rule_id in ADMIN_RULES:
                    bio2_aspects.acknowledge(role, rule_id, spec.justification)
            self.roles.append(role)
