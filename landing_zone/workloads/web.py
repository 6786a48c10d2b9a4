"""The web application entry: an internet-facing Application Load Balancer behind AWS WAF.

Regional or edge (data residency)
---------------------------------
``WebApplicationEntry`` is **regional**: the load balancer, the web ACL (scope ``REGIONAL``) and
its logs live in the stack's region (an EU region for public bodies), and TLS terminates there.
An **edge** entry (Amazon CloudFront) terminates TLS at edge locations worldwide (a price class
limits them, e.g. ``PRICE_CLASS_100`` to Europe and North America, not to the EU), and its web ACL
(scope ``CLOUDFRONT``) and the WAF logs must be in ``us-east-1``. Choose edge only after the
data-protection assessment accepts that requests (and their personal data) are processed
outside the EU; then build the ACL with ``WebAcl(scope_type="CLOUDFRONT")`` in a ``us-east-1``
stack and set the distribution's ``web_acl_id``. BIO2 checks both (BIO2-WAF-*, BIO2-CloudFront-*).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_shield as shield
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from landing_zone.acknowledgements import acknowledge
from landing_zone.nag import acknowledge_nag
from landing_zone.workloads._common import apply_classification, encrypted_log_group, workload_key
from landing_zone.workloads.bucket import access_log_bucket

#: AWS managed rule groups every web ACL gets (in this order, before the rate limit).
DEFAULT_MANAGED_RULE_GROUPS: tuple[str, ...] = (
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
)
#: Requests per client IP address per 5 minutes above which the web ACL blocks the client.
DEFAULT_RATE_LIMIT = 2000


@dataclass(frozen=True)
class EmergencyContact:
    """A contact the Shield Response Team may reach during an attack (proactive engagement)."""

    email_address: str
    phone_number: str | None = None
    contact_notes: str | None = None


class WebAcl(Construct):
    """A WAFv2 web ACL: AWS managed rule groups, a rate limit per client IP, and logging.

    Args:
        scope_type: ``REGIONAL`` (load balancers, API Gateway) or ``CLOUDFRONT`` (in us-east-1 only).
        managed_rule_groups: AWS managed rule group names (:data:`DEFAULT_MANAGED_RULE_GROUPS`).
        rate_limit: requests per client IP per 5 minutes (:data:`DEFAULT_RATE_LIMIT`); ``None`` drops
            the rate-based rule (BIO2-WAF-RateLimit then reports the ACL).
        logging: log every request's WAF decision to a log group ``aws-waf-logs-<stack>-<id>``
            (KMS-encrypted, kept 365 days, retained); ``False`` turns it off (BIO2-WAF-Logging).

    The L1 ``CfnWebACL`` is ``node.default_child`` (and :attr:`web_acl`); :attr:`arn` its ARN.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        scope_type: str = "REGIONAL",
        managed_rule_groups: Sequence[str] = DEFAULT_MANAGED_RULE_GROUPS,
        rate_limit: int | None = DEFAULT_RATE_LIMIT,
        logging: bool = True,
        classification: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        if scope_type not in ("REGIONAL", "CLOUDFRONT"):
            raise ValueError(
                f"WebAcl '{construct_id}': scope_type must be REGIONAL or CLOUDFRONT, not {scope_type!r}"
            )
        stack = cdk.Stack.of(self)
        name = _name(f"{stack.stack_name}-{construct_id}")
        rules = [
            wafv2.CfnWebACL.RuleProperty(
                name=group,
                priority=index,
                statement=wafv2.CfnWebACL.StatementProperty(
                    managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                        vendor_name="AWS", name=group
                    )
                ),
                override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
                visibility_config=_visibility(group),
            )
            for index, group in enumerate(managed_rule_groups)
        ]
        if rate_limit is not None:
            rules.append(
                wafv2.CfnWebACL.RuleProperty(
                    name="RateLimitPerIp",
                    priority=len(rules),
                    statement=wafv2.CfnWebACL.StatementProperty(
                        rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                            limit=rate_limit, aggregate_key_type="IP"
                        )
                    ),
                    action=wafv2.CfnWebACL.RuleActionProperty(block={}),
                    visibility_config=_visibility("RateLimitPerIp"),
                )
            )
        self.web_acl = wafv2.CfnWebACL(
            self,
            "Resource",
            scope=scope_type,
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            visibility_config=_visibility(name),
            rules=rules,
        )
        self.arn = self.web_acl.attr_arn
        self.log_group = None
        if logging:
            key = workload_key(self, "LogKey", f"Encrypts the WAF logs of {construct_id}", logs_service=True)
            log_group_name = f"aws-waf-logs-{name}"
            self.log_group = encrypted_log_group(self, "Logs", key, log_group_name=log_group_name)
            config = wafv2.CfnLoggingConfiguration(
                self,
                "Logging",
                resource_arn=self.web_acl.attr_arn,
                log_destination_configs=[
                    stack.format_arn(
                        service="logs",
                        resource="log-group",
                        resource_name=log_group_name,
                        arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
                    )
                ],
            )
            config.node.add_dependency(self.log_group)
        apply_classification(self, classification)

    def associate(self, construct_id: str, resource_arn: str) -> wafv2.CfnWebACLAssociation:
        """Put ``resource_arn`` (an ALB, a REST API stage) behind this web ACL."""
        return wafv2.CfnWebACLAssociation(self, construct_id, resource_arn=resource_arn, web_acl_arn=self.arn)


class WebApplicationEntry(Construct):
    """An internet-facing Application Load Balancer behind a WAF web ACL, HTTPS only.

    Secure defaults:

    * a :class:`WebAcl` (AWS managed rule groups, a rate limit per client IP, logging) associated
      with the load balancer; pass ``web_acl`` to share one;
    * an HTTPS listener on 443 with ``certificate_arn`` and TLS 1.2+ (``SslPolicy.RECOMMENDED_TLS``);
      port 80 only redirects to HTTPS;
    * ``drop_invalid_header_fields=True``, ``deletion_protection=True``;
    * access logs to a new bucket (SSE-S3, which is what ELB access logging supports; versioned,
      TLS only, deletes denied, retained), or to ``access_logs_bucket``;
    * ``shield_advanced=True``: an ``AWS::Shield::Protection`` for the load balancer (the account must
      subscribe to Shield Advanced), and with ``emergency_contacts`` proactive engagement of the
      Shield Response Team. Without it BIO2-Shield-Protection warns; acknowledge that warning with
      the organisation's decision.

    Regional vs edge: see the module documentation (data residency).

    Parts: :attr:`load_balancer` (its L1 is ``load_balancer.node.default_child``), :attr:`listener`
    (``listener.add_targets(...)``, e.g. a :class:`ContainerService`'s service), :attr:`web_acl`,
    :attr:`access_logs_bucket`. ``protect_api(stage)`` puts an API Gateway REST API stage behind the
    same web ACL.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: ec2.IVpc,
        certificate_arn: str,
        vpc_subnets: ec2.SubnetSelection | None = None,
        web_acl: WebAcl | None = None,
        rate_limit: int | None = DEFAULT_RATE_LIMIT,
        access_logs_bucket: s3.IBucket | None = None,
        drop_invalid_header_fields: bool = True,
        deletion_protection: bool = True,
        shield_advanced: bool = False,
        emergency_contacts: Sequence[EmergencyContact] = (),
        classification: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.web_acl = web_acl or WebAcl(self, "WebAcl", rate_limit=rate_limit, classification=classification)
        self.load_balancer = elbv2.ApplicationLoadBalancer(
            self,
            "LoadBalancer",
            vpc=vpc,
            internet_facing=True,
            vpc_subnets=vpc_subnets or ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC),
            drop_invalid_header_fields=drop_invalid_header_fields,
            deletion_protection=deletion_protection,
        )
        acknowledge_nag(
            self.load_balancer,
            "AwsSolutions-EC23",
            "An internet-facing web entry accepts HTTPS (and HTTP, only to redirect it) from any address: "
            "AWS WAF filters requests behind the listener, Shield protects the network layer.",
        )
        self.listener = self.load_balancer.add_listener(
            "Https",
            port=443,
            protocol=elbv2.ApplicationProtocol.HTTPS,
            certificates=[elbv2.ListenerCertificate.from_arn(certificate_arn)],
            ssl_policy=elbv2.SslPolicy.RECOMMENDED_TLS,
            default_action=elbv2.ListenerAction.fixed_response(
                404, content_type="text/plain", message_body="Not found"
            ),
        )
        self.load_balancer.add_redirect()
        if access_logs_bucket is None:
            access_logs_bucket = access_log_bucket(self, "AccessLogs")
            acknowledge(
                access_logs_bucket,
                "BIO2-S3-KmsEncryption",
                "Elastic Load Balancing delivers access logs only to buckets encrypted with SSE-S3 "
                "(an AWS limitation); the bucket holds request logs only, and its policy denies deletes.",
            )
            apply_classification(access_logs_bucket, classification)
        self.access_logs_bucket = access_logs_bucket
        self.load_balancer.log_access_logs(access_logs_bucket, prefix=construct_id)
        self.association = self.web_acl.associate(
            f"{construct_id}Association", self.load_balancer.load_balancer_arn
        )
        self.shield_protection: shield.CfnProtection | None = None
        if shield_advanced:
            self.shield_protection = shield.CfnProtection(
                self,
                "ShieldProtection",
                name=_name(f"{cdk.Stack.of(self).stack_name}-{construct_id}"),
                resource_arn=self.load_balancer.load_balancer_arn,
            )
            if emergency_contacts:
                shield.CfnProactiveEngagement(
                    self,
                    "ShieldProactiveEngagement",
                    proactive_engagement_status="ENABLED",
                    emergency_contact_list=[
                        shield.CfnProactiveEngagement.EmergencyContactProperty(
                            email_address=c.email_address,
                            phone_number=c.phone_number,
                            contact_notes=c.contact_notes,
                        )
                        for c in emergency_contacts
                    ],
                )
        apply_classification(self, classification)

    def protect_api(self, construct_id: str, stage_arn: str) -> wafv2.CfnWebACLAssociation:
        """Put an API Gateway REST API stage (``stage.stage_arn``) behind this entry's web ACL."""
        return self.web_acl.associate(construct_id, stage_arn)

    def grant_access_logs_read(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` read the load balancer's access logs."""
        return self.access_logs_bucket.grant_read(grantee)


def _visibility(metric: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=_name(metric), sampled_requests_enabled=True
    )


def _name(text: str) -> str:
    """A WAF/Shield-safe name: letters, digits, hyphens and underscores, at most 128 characters."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text)[:128]
