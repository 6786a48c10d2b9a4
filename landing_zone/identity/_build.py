"""Wiring of the identity component into the landing zone's stacks (see the package documentation)."""

from __future__ import annotations

from types import MappingProxyType

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from landing_zone.acknowledgements import acknowledge
from landing_zone.config import LandingZoneConfig
from landing_zone.core.contracts import IdentityOutputs, Placement, SecurityOutputs
from landing_zone.identity import alerts
from landing_zone.identity.break_glass import BreakGlassRole
from landing_zone.identity.identity_center import IdentityCenter
from landing_zone.identity.names import WORKLOAD_BOUNDARY_POLICY
from landing_zone.identity.policies import workload_boundary_document
from landing_zone.identity.saml import SamlFederation
from landing_zone.nag import acknowledge_nag


def _boundary_policy(scope: Construct, condition: cdk.CfnCondition | None = None) -> iam.CfnManagedPolicy:
    policy = iam.CfnManagedPolicy(
        scope,
        "WorkloadBoundary",
        managed_policy_name=WORKLOAD_BOUNDARY_POLICY,
        description=(
            "Permissions boundary of workload roles and developers: no IAM outside /workload/, no "
            "organization changes, no disabling of logging and security services"
        ),
        policy_document=workload_boundary_document(),
    )
    if condition is not None:
        policy.cfn_options.condition = condition
    cdk.Validations.of(policy).acknowledge(
        cdk.Acknowledgment(
            id="CloudFormation-Validate::W2512",
            reason=(
                "A permissions boundary only caps what identity policies grant; its NotAction statement "
                "(everything except IAM, Organizations and Account) is the PowerUserAccess ceiling, and its "
                "deny statements remove the dangerous actions."
            ),
        )
    )
    acknowledge_nag(
        policy,
        "AwsSolutions-IAM5",
        "A permissions boundary grants nothing by itself; it only caps what identity policies of workload "
        'roles grant. Its Allow NotAction/"*" statement is the PowerUserAccess ceiling, the IAM '
        "wildcards are limited to the /workload/ path, and its Deny statements use wildcards to remove "
        "whole groups of dangerous actions. (cdk-nag cannot evaluate the document and reports a rule error.)",
    )
    acknowledge(
        policy,
        "BIO2-IAM-NoAdminStatement",
        "A permissions boundary grants nothing by itself: it caps what the identity policies of workload "
        "roles grant. Its Allow NotAction statement (everything except IAM, Organizations and Account) is "
        "that ceiling; its Deny statements remove the dangerous actions. Roles get their permissions from "
        "their own least-privilege policies, which the rule checks.",
    )
    return policy


def _home_region_condition(
    scope: Construct, home: str, existing: cdk.CfnCondition | None
) -> cdk.CfnCondition:
    """The baseline's "home region" condition: the security component's, or a new one.

    IAM resources are global, but the baseline is deployed in every allowed region: they may exist
    in the home region only.
    """
    if existing is not None:
        return existing
    return cdk.CfnCondition(scope, "HomeRegionOnly", expression=cdk.Fn.condition_equals(cdk.Aws.REGION, home))


def build_identity(
    config: LandingZoneConfig, placement: Placement, *, security: SecurityOutputs
) -> IdentityOutputs:
    identity = config.identity
    break_glass = bool(identity.break_glass.principals)
    identity_center = identity.identity_center_instance_arn is not None
    alerting = break_glass or identity_center

    # --- security account: the central alert topic, in every allowed region
    topics: dict[str, alerts.AlertTopic] = {}
    if alerting:
        for region, stack in placement.stacks_of("security"):
            topics[region] = alerts.AlertTopic(stack, "IdentityAlerts", config=config, region=region)

    # --- management account (home region)
    management = Construct(placement.stack("management"), "Identity")
    if identity_center:
        IdentityCenter(management, "IdentityCenter", config=config)
    _boundary_policy(management)
    if alerting:
        alerts.forwarder_role(management, "AlertForwarder", config=config)
    if identity_center:
        rule = alerts.identity_center_change_rule(
            management, "IdentityCenterChanges", config=config, region=placement.home_region
        )
        alerts.declare_identity_center_alert(rule)
    if break_glass:
        BreakGlassRole(management, "BreakGlass", config=config)
        rule = alerts.break_glass_use_rule(
            management, "BreakGlassUse", config=config, region=placement.home_region
        )
        alerts.declare_break_glass_alert(rule, "the management account (home region)")

    # --- member accounts: the baseline StackSet (every member account, every allowed region)
    baseline = Construct(placement.baseline.stack, "Identity")
    home_region = _home_region_condition(baseline, placement.home_region, security.baseline_home_region)
    _boundary_policy(baseline, home_region)
    if break_glass:
        alerts.forwarder_role(baseline, "AlertForwarder", config=config, condition=home_region)
        BreakGlassRole(baseline, "BreakGlass", config=config, condition=home_region)
        rule = alerts.break_glass_use_rule(baseline, "BreakGlassUse", config=config, region=cdk.Aws.REGION)
        alerts.declare_break_glass_alert(rule, "every member account and allowed region")
    if identity.saml_federation is not None:
        SamlFederation(baseline, "SamlFederation", config=config, home_region=home_region)
    return IdentityOutputs(alert_topics=MappingProxyType(topics))
