"""AWS WAF and AWS Shield Advanced rules for internet-facing entry points.

Measures: 8.21.01 (at the connection points with untrusted zones, attacks on availability are
detected and mitigated: a web ACL with a rate-based rule in front of public load balancers and
API stages, Shield Advanced as the organisation's choice), 8.15.01 and 8.16.04 (the web ACL
logs what it allowed and blocked, from where and why).

A resource is protected by a web ACL through an ``AWS::WAFv2::WebACLAssociation`` whose
``ResourceArn`` points at it (load balancers, REST API stages) or, for CloudFront, through
``DistributionConfig.WebACLId`` (rule ``BIO2-CloudFront-WebAcl``).
"""

from __future__ import annotations

from bio2_aspects.messages import msg

from ._helpers import is_set, items, lookup, render, synth_time, to_str
from .base import Level, Outcome, Resource, Result, refers_to, rule

LOAD_BALANCER = "AWS::ElasticLoadBalancingV2::LoadBalancer"
REST_STAGE = "AWS::ApiGateway::Stage"
DISTRIBUTION = "AWS::CloudFront::Distribution"
WEB_ACL = "AWS::WAFv2::WebACL"
ASSOCIATION = "AWS::WAFv2::WebACLAssociation"
LOGGING = "AWS::WAFv2::LoggingConfiguration"
SHIELD = "AWS::Shield::Protection"


def internet_facing_alb(res: Resource) -> tuple[bool, str]:
    """(True, "") for an internet-facing Application Load Balancer; else (False, why not)."""
    lb_type = to_str(res.properties.get("Type"), "Type") or "application"
    if lb_type != "application":
        return False, msg("rule.waf.lb_type", lb_type=lb_type)
    scheme = to_str(res.properties.get("Scheme"), "Scheme") or "internet-facing"
    if scheme != "internet-facing":
        return False, msg("rule.is", where="Scheme", value=scheme)
    return True, ""


def _stage_arn_matches(arn: object, stage: Resource) -> bool:
    """An association ResourceArn of the form .../restapis/<api>/stages/<name> for this stage."""
    if refers_to(arn, stage.logical_id):
        return True
    text = render(arn)
    name = stage.properties.get("StageName")
    if text is None or not isinstance(name, str) or "/restapis/" not in text:
        return False
    api = stage.properties.get("RestApiId")
    api_text = render(api)
    return bool(api_text) and api_text in text and text.endswith(f"/stages/{name}")


def web_acl_association(res: Resource) -> Resource | None:
    """The ``AWS::WAFv2::WebACLAssociation`` of this load balancer or REST API stage, if any."""
    for assoc in res.stack.of_type(ASSOCIATION):
        arn = assoc.properties.get("ResourceArn")
        if res.type == REST_STAGE:
            if _stage_arn_matches(arn, res):
                return assoc
        elif refers_to(arn, res.logical_id):
            return assoc
    return None


@rule(
    "BIO2-WAF-LoadBalancerWebAcl",
    types=[LOAD_BALANCER],
    finding="Internet-facing Application Load Balancer has no AWS WAF web ACL",
    fix="Associate a WAFv2 web ACL (scope REGIONAL) with the load balancer through an "
    "AWS::WAFv2::WebACLAssociation (landing_zone.workloads.WebApplicationEntry does it)",
)
@synth_time
def waf_load_balancer(res: Resource) -> Outcome:
    """An internet-facing ALB has a WebACLAssociation. Internal and non-application LBs: NOT_APPLICABLE."""
    public, why = internet_facing_alb(res)
    if not public:
        return Result.NOT_APPLICABLE, why
    assoc = web_acl_association(res)
    if assoc is None:
        return Result.NON_COMPLIANT, msg("rule.waf.no_association_lb")
    if not is_set(assoc.properties.get("WebACLArn"), f"{assoc.logical_id}.WebACLArn"):
        return Result.NON_COMPLIANT, msg("rule.not_set", where=f"{assoc.logical_id}.WebACLArn")
    return Result.COMPLIANT, msg("rule.waf.associated", association=assoc.logical_id)


def _private_rest_api(stage: Resource) -> bool:
    api_ref = stage.properties.get("RestApiId")
    if isinstance(api_ref, dict) and isinstance(api_ref.get("Ref"), str):
        api = stage.stack.get(api_ref["Ref"])
        if api is not None:
            types = lookup(api.properties, "EndpointConfiguration", "Types")
            return bool(types) and all(
                to_str(t, "EndpointConfiguration.Types") == "PRIVATE"
                for t in items(types, "EndpointConfiguration.Types")
            )
    return False


@rule(
    "BIO2-WAF-ApiStageWebAcl",
    types=[REST_STAGE],
    finding="API Gateway REST API stage has no AWS WAF web ACL",
    fix="Associate a WAFv2 web ACL (scope REGIONAL) with the stage ARN "
    "(arn:aws:apigateway:<region>::/restapis/<api>/stages/<stage>) through an AWS::WAFv2::WebACLAssociation",
)
@synth_time
def waf_api_stage(res: Resource) -> Outcome:
    """A REST API stage has a WebACLAssociation. Stages of PRIVATE APIs: NOT_APPLICABLE."""
    if _private_rest_api(res):
        return Result.NOT_APPLICABLE, "private REST API (reachable only through VPC endpoints)"
    assoc = web_acl_association(res)
    if assoc is None:
        return Result.NON_COMPLIANT, msg("rule.waf.no_association_stage")
    return Result.COMPLIANT, msg("rule.waf.associated", association=assoc.logical_id)


def _has_rate_rule(statement: object, where: str) -> bool:
    if not isinstance(statement, dict):
        return False
    if "RateBasedStatement" in statement:
        return True
    for combinator in ("AndStatement", "OrStatement"):
        inner = lookup(statement, combinator, "Statements", where=where)
        if any(_has_rate_rule(s, f"{where}.{combinator}") for s in items(inner, f"{where}.{combinator}")):
            return True
    return False


@rule(
    "BIO2-WAF-RateLimit",
    types=[WEB_ACL],
    finding="WAF web ACL has no rate-based rule (no mitigation of request floods)",
    fix="Add a rule with a RateBasedStatement (action Block) that limits requests per client IP",
)
@synth_time
def waf_rate_limit(res: Resource) -> Outcome:
    """At least one rule of the web ACL is a rate-based statement (possibly inside And/Or)."""
    for i, r in enumerate(items(res.properties.get("Rules"), "Rules")):
        if _has_rate_rule(lookup(r, "Statement", where=f"Rules[{i}]"), f"Rules[{i}].Statement"):
            return Result.COMPLIANT
    return Result.NON_COMPLIANT, msg("rule.waf.no_rate")


@rule(
    "BIO2-WAF-Logging",
    types=[WEB_ACL],
    finding="WAF web ACL does not log the requests it inspects",
    fix="Add an AWS::WAFv2::LoggingConfiguration for the web ACL (to a log group named aws-waf-logs-*, "
    "a Firehose stream or an S3 bucket)",
)
@synth_time
def waf_logging(res: Resource) -> Outcome:
    """An AWS::WAFv2::LoggingConfiguration with a destination refers to this web ACL."""
    configs = res.stack.referrers(res.logical_id, "ResourceArn", LOGGING)
    if configs:
        cfg = configs[0]
        if items(cfg.properties.get("LogDestinationConfigs"), f"{cfg.logical_id}.LogDestinationConfigs"):
            return Result.COMPLIANT, msg("rule.waf.logged_by", config=cfg.logical_id)
        return Result.NON_COMPLIANT, msg("rule.empty", where=f"{cfg.logical_id}.LogDestinationConfigs")
    return Result.NON_COMPLIANT, msg("rule.waf.no_logging")


@rule(
    "BIO2-Shield-Protection",
    types=[LOAD_BALANCER, DISTRIBUTION],
    level=Level.WARNING,
    finding="Internet-facing entry point has no AWS Shield Advanced protection",
    fix="Subscribe to Shield Advanced and add an AWS::Shield::Protection for the resource "
    "(WebApplicationEntry(shield_advanced=True)); if the organisation chose not to, acknowledge this "
    "warning with that decision",
)
@synth_time
def shield_protection(res: Resource) -> Outcome:
    """An AWS::Shield::Protection refers to the internet-facing ALB or the distribution."""
    if res.type == LOAD_BALANCER:
        public, why = internet_facing_alb(res)
        if not public:
            return Result.NOT_APPLICABLE, why
    protections = res.stack.referrers(res.logical_id, "ResourceArn", SHIELD)
    if protections:
        return Result.COMPLIANT, msg("rule.waf.protected_by", protection=protections[0].logical_id)
    return Result.NON_COMPLIANT, msg("rule.waf.no_shield")
