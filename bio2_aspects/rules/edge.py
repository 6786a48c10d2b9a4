"""Edge rules: Elastic Load Balancing v2, CloudFront and API Gateway.

Measures: 8.21.04 (data in transit is encrypted), 8.24.04 (protocol and cipher strength
follow current NCSC advice: TLS 1.2 or newer, forward secrecy), 5.14.01 (internet-facing
systems meet the mandatory standards, which include HTTPS/TLS), 8.15.01 (access logs
record who did what, from where, when and with what result), 8.16.04 (network
components such as load balancers log), 8.21.01 (edge protection against attacks on
availability: a web ACL).
"""

from __future__ import annotations

from bio2_aspects.messages import msg

from ._helpers import is_set, items, lookup, synth_time, to_bool, to_str
from .base import Level, Outcome, Resource, Result, refers_to, rule

LISTENER = "AWS::ElasticLoadBalancingV2::Listener"
LISTENER_RULE = "AWS::ElasticLoadBalancingV2::ListenerRule"
LOAD_BALANCER = "AWS::ElasticLoadBalancingV2::LoadBalancer"
DISTRIBUTION = "AWS::CloudFront::Distribution"
DELIVERY_SOURCE = "AWS::Logs::DeliverySource"
DELIVERY = "AWS::Logs::Delivery"
REST_STAGE = "AWS::ApiGateway::Stage"
HTTP_STAGE = "AWS::ApiGatewayV2::Stage"
REST_DOMAIN = "AWS::ApiGateway::DomainName"
HTTP_DOMAIN = "AWS::ApiGatewayV2::DomainName"

#: ELBv2 security policies accepted: minimum TLS 1.2 and forward-secret key exchange only
#: (the NCSC TLS guidelines rate static RSA key exchange as "phase out"). The TLS13-1-2
#: and TLS13-1-3 families (incl. FIPS/PQ/Res variants) qualify; their "-Ext" variants add
#: legacy ciphers and do not. CDK's SslPolicy.RECOMMENDED_TLS is in this set.
ELB_TLS_POLICY_PREFIXES = ("ELBSecurityPolicy-TLS13-1-2-", "ELBSecurityPolicy-TLS13-1-3-")
ELB_TLS_POLICIES_EXTRA = frozenset(
    {"ELBSecurityPolicy-FS-1-2-Res-2019-08", "ELBSecurityPolicy-FS-1-2-Res-2020-10"}
)
#: CloudFront viewer minimum protocol versions accepted (TLS 1.2+ with modern ciphers).
CLOUDFRONT_MIN_TLS = frozenset({"TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"})
CLOUDFRONT_VIEWER_POLICIES = frozenset({"https-only", "redirect-to-https"})
#: API Gateway custom-domain security policies with TLS 1.2 as the minimum.
APIGW_TLS_POLICY_PREFIXES = ("SecurityPolicy_TLS13_", "SecurityPolicy_TLS12_")
APIGW_TLS_POLICIES = frozenset({"TLS_1_2"})

_TLS_PROTOCOLS = frozenset({"HTTPS", "TLS"})

WEB_ACL = "AWS::WAFv2::WebACL"

#: What an API Gateway access-log line must record (8.15.01: time, origin, actor, action, object,
#: result), each as the ``$context`` variables that can carry it. A format needs one of each.
APIGW_LOG_FIELDS: dict[str, tuple[str, ...]] = {
    "time": ("$context.requestTime", "$context.requestTimeEpoch"),
    "origin": ("$context.identity.sourceIp",),
    "actor": (
        "$context.identity.caller",
        "$context.identity.user",
        "$context.identity.userArn",
        "$context.identity.cognitoIdentityId",
        "$context.authorizer.principalId",
        "$context.authorizer.claims.sub",
        "$context.authorizer.iam.userArn",
        "$context.authorizer.jwt.claims.sub",
    ),
    "action": ("$context.httpMethod", "$context.routeKey", "$context.eventType"),
    "object": ("$context.resourcePath", "$context.path", "$context.routeKey"),
    "result": ("$context.status",),
    "request id": ("$context.requestId", "$context.extendedRequestId"),
}


def elb_policy_ok(name: str) -> bool:
    if name in ELB_TLS_POLICIES_EXTRA:
        return True
    return name.startswith(ELB_TLS_POLICY_PREFIXES) and "-Ext" not in name


def _load_balancer_type(listener: Resource) -> str | None:
    for lb in listener.stack.of_type(LOAD_BALANCER):
        if refers_to(listener.properties.get("LoadBalancerArn"), lb.logical_id):
            return to_str(lb.properties.get("Type"), f"{lb.logical_id}.Type") or "application"
    return None


def _redirects_or_fixed(actions: list[object], where: str) -> str | None:
    """None when every action redirects to HTTPS or answers with a fixed response."""
    if not actions:
        return f"{where} is empty"
    for i, action in enumerate(actions):
        kind = to_str(lookup(action, "Type", where=f"{where}[{i}]"), f"{where}[{i}].Type")
        if kind == "fixed-response":
            continue
        if kind == "redirect":
            proto = to_str(
                lookup(action, "RedirectConfig", "Protocol", where=f"{where}[{i}]"),
                f"{where}[{i}].RedirectConfig.Protocol",
            )
            if proto == "HTTPS":
                continue
            return f"{where}[{i}] redirects to {proto or '#{protocol} (same protocol)'}"
        return f"{where}[{i}] is a {kind} action over plain HTTP"
    return None


@rule(
    "BIO2-ELB-EncryptedListener",
    types=[LISTENER],
    finding="Load balancer listener accepts unencrypted traffic",
    fix="Use HTTPS/TLS listeners; keep port 80 only to redirect to HTTPS",
)
@synth_time
def elb_encrypted_listener(res: Resource) -> Outcome:
    """HTTPS, TLS or QUIC listeners; an HTTP listener only redirects to HTTPS (or answers fixed).

    Plain TCP/UDP listeners are non-compliant: the template cannot show that the
    application encrypts end to end; acknowledge with that reason if it does. GENEVE
    (Gateway Load Balancer) listeners pass traffic transparently to inspection
    appliances: NOT_APPLICABLE.
    """
    proto = to_str(res.properties.get("Protocol"), "Protocol")
    if proto is None:
        if _load_balancer_type(res) == "gateway":
            return Result.NOT_APPLICABLE, "Gateway Load Balancer listener"
        return Result.NON_COMPLIANT, msg("rule.not_set", where="Protocol")
    proto = proto.upper()
    if proto == "GENEVE":
        return Result.NOT_APPLICABLE, "GENEVE listener (Gateway Load Balancer)"
    if proto in _TLS_PROTOCOLS or proto in ("QUIC", "TCP_QUIC"):
        return Result.COMPLIANT
    if proto != "HTTP":
        return Result.NON_COMPLIANT, msg("rule.edge.no_tls", protocol=proto)
    problem = _redirects_or_fixed(
        items(res.properties.get("DefaultActions"), "DefaultActions"), "DefaultActions"
    )
    if problem:
        return Result.NON_COMPLIANT, problem
    for lr in res.stack.referrers(res.logical_id, "ListenerArn", LISTENER_RULE):
        problem = _redirects_or_fixed(
            items(lr.properties.get("Actions"), f"{lr.logical_id}.Actions"), f"{lr.logical_id}.Actions"
        )
        if problem:
            return Result.NON_COMPLIANT, problem
    return Result.COMPLIANT, msg("rule.edge.redirect")


@rule(
    "BIO2-ELB-TlsPolicy",
    types=[LISTENER],
    finding="HTTPS/TLS listener uses a security policy that allows TLS below 1.2 or legacy ciphers",
    fix="Set SslPolicy to ELBSecurityPolicy-TLS13-1-2-2021-06 or newer (CDK: SslPolicy.RECOMMENDED_TLS)",
)
@synth_time
def elb_tls_policy(res: Resource) -> Outcome:
    """HTTPS/TLS listeners use a TLS 1.2+ forward-secret policy (the default policy is 2016-08)."""
    proto = (to_str(res.properties.get("Protocol"), "Protocol") or "").upper()
    if proto not in _TLS_PROTOCOLS:
        return Result.NOT_APPLICABLE, f"listener protocol {proto or 'unset'} does not terminate TLS"
    policy = to_str(res.properties.get("SslPolicy"), "SslPolicy")
    if policy is None:
        return Result.NON_COMPLIANT, msg("rule.edge.default_ssl_policy")
    if elb_policy_ok(policy):
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, msg("rule.is", where="SslPolicy", value=policy)


@rule(
    "BIO2-ELB-AccessLogs",
    types=[LOAD_BALANCER],
    finding="Load balancer access logging is not enabled",
    fix="Set load balancer attributes access_logs.s3.enabled=true and access_logs.s3.bucket "
    "(CDK: lb.log_access_logs(bucket))",
)
@synth_time
def elb_access_logs(res: Resource) -> Outcome:
    """Attribute access_logs.s3.enabled is true and a bucket is named (not for Gateway LBs)."""
    lb_type = to_str(res.properties.get("Type"), "Type") or "application"
    if lb_type == "gateway":
        return Result.NOT_APPLICABLE, "Gateway Load Balancers have no access logs"
    attrs: dict[str, object] = {}
    for i, attr in enumerate(items(res.properties.get("LoadBalancerAttributes"), "LoadBalancerAttributes")):
        key = to_str(
            lookup(attr, "Key", where=f"LoadBalancerAttributes[{i}]"), f"LoadBalancerAttributes[{i}].Key"
        )
        if key:
            attrs[key] = lookup(attr, "Value", where=f"LoadBalancerAttributes[{i}]")
    enabled = to_str(attrs.get("access_logs.s3.enabled"), "access_logs.s3.enabled")
    if (enabled or "").lower() != "true":
        return Result.NON_COMPLIANT, msg("rule.edge.attribute_not_true", key="access_logs.s3.enabled")
    if not is_set(attrs.get("access_logs.s3.bucket"), "access_logs.s3.bucket"):
        return Result.NON_COMPLIANT, msg("rule.edge.attribute_not_set", key="access_logs.s3.bucket")
    return Result.COMPLIANT


def _dist_config(res: Resource) -> object:
    return lookup(res.properties, "DistributionConfig")


@rule(
    "BIO2-CloudFront-HttpsOnly",
    types=[DISTRIBUTION],
    finding="CloudFront distribution serves viewers over plain HTTP",
    fix="Set ViewerProtocolPolicy to redirect-to-https or https-only on the default and every cache behavior",
)
@synth_time
def cf_https_only(res: Resource) -> Outcome:
    """Every cache behavior uses https-only or redirect-to-https."""
    cfg = _dist_config(res)
    behaviors = [("DefaultCacheBehavior", lookup(cfg, "DefaultCacheBehavior", where="DistributionConfig"))]
    where = "DistributionConfig.CacheBehaviors"
    for i, b in enumerate(items(lookup(cfg, "CacheBehaviors", where="DistributionConfig"), where)):
        behaviors.append((f"CacheBehaviors[{i}]", b))
    for name, behavior in behaviors:
        policy = to_str(lookup(behavior, "ViewerProtocolPolicy", where=name), f"{name}.ViewerProtocolPolicy")
        if policy not in CLOUDFRONT_VIEWER_POLICIES:
            return Result.NON_COMPLIANT, msg(
                "rule.is", where=f"{name}.ViewerProtocolPolicy", value=repr(policy)
            )
    return Result.COMPLIANT


@rule(
    "BIO2-CloudFront-TlsVersion",
    types=[DISTRIBUTION],
    finding="CloudFront distribution allows viewer TLS below TLSv1.2_2021",
    fix="Use a custom ACM certificate and set ViewerCertificate.MinimumProtocolVersion to TLSv1.2_2021 "
    "(or newer)",
)
@synth_time
def cf_tls_version(res: Resource) -> Outcome:
    """A custom certificate with MinimumProtocolVersion TLSv1.2_2021 or newer.

    The default *.cloudfront.net certificate always allows TLSv1, so it is non-compliant.
    """
    cert = lookup(_dist_config(res), "ViewerCertificate", where="DistributionConfig")
    where = "DistributionConfig.ViewerCertificate"
    if cert is None:
        return Result.NON_COMPLIANT, msg("rule.edge.default_cert_unset", where=where)
    default_cert = lookup(cert, "CloudFrontDefaultCertificate", where=where)
    if to_bool(default_cert, f"{where}.CloudFrontDefaultCertificate") is True:
        return Result.NON_COMPLIANT, msg("rule.edge.default_cert")
    version = to_str(lookup(cert, "MinimumProtocolVersion", where=where), f"{where}.MinimumProtocolVersion")
    if version in CLOUDFRONT_MIN_TLS:
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, msg("rule.is", where=f"{where}.MinimumProtocolVersion", value=repr(version))


def _delivery_logging(res: Resource) -> str | None:
    """Logical ID of a CloudWatch vended-log delivery of this distribution's access logs."""
    sources = [
        s
        for s in res.stack.referrers(res.logical_id, "ResourceArn", DELIVERY_SOURCE)
        if s.properties.get("LogType") == "ACCESS_LOGS"
    ]
    for src in sources:
        name = src.properties.get("Name")
        for delivery in res.stack.of_type(DELIVERY):
            ref = delivery.properties.get("DeliverySourceName")
            if refers_to(ref, src.logical_id) or (isinstance(name, str) and ref == name):
                return delivery.logical_id
    return None


@rule(
    "BIO2-CloudFront-Logging",
    types=[DISTRIBUTION],
    finding="CloudFront distribution has no access logging",
    fix="Set DistributionConfig.Logging.Bucket (legacy standard logs) or add an AWS::Logs::DeliverySource "
    "(LogType ACCESS_LOGS) and AWS::Logs::Delivery for the distribution",
)
@synth_time
def cf_logging(res: Resource) -> Outcome:
    """Standard logging to S3, or a vended-log delivery of ACCESS_LOGS, is configured."""
    bucket = lookup(_dist_config(res), "Logging", "Bucket", where="DistributionConfig")
    if is_set(bucket, "DistributionConfig.Logging.Bucket"):
        return Result.COMPLIANT
    delivery = _delivery_logging(res)
    if delivery:
        return Result.COMPLIANT, msg("rule.edge.delivered_by", delivery=delivery)
    return (
        Result.NON_COMPLIANT,
        msg("rule.edge.no_logging"),
    )


@rule(
    "BIO2-CloudFront-OriginTls",
    types=[DISTRIBUTION],
    level=Level.WARNING,
    finding="CloudFront reaches a custom origin without TLS 1.2",
    fix="Set CustomOriginConfig.OriginProtocolPolicy to https-only and OriginSSLProtocols to [TLSv1.2]",
)
@synth_time
def cf_origin_tls(res: Resource) -> Outcome:
    """Custom origins are reached over HTTPS with TLS 1.2 only. No custom origin: NOT_APPLICABLE."""
    where = "DistributionConfig.Origins"
    checked = 0
    for i, origin in enumerate(
        items(lookup(_dist_config(res), "Origins", where="DistributionConfig"), where)
    ):
        custom = lookup(origin, "CustomOriginConfig", where=f"{where}[{i}]")
        if custom is None:
            continue
        checked += 1
        cwhere = f"{where}[{i}].CustomOriginConfig"
        policy = to_str(
            lookup(custom, "OriginProtocolPolicy", where=cwhere), f"{cwhere}.OriginProtocolPolicy"
        )
        if policy != "https-only":
            return Result.NON_COMPLIANT, msg(
                "rule.is", where=f"{cwhere}.OriginProtocolPolicy", value=repr(policy)
            )
        protocols = [
            to_str(p, f"{cwhere}.OriginSSLProtocols")
            for p in items(lookup(custom, "OriginSSLProtocols", where=cwhere), f"{cwhere}.OriginSSLProtocols")
        ]
        if not protocols or any(p != "TLSv1.2" for p in protocols):
            return Result.NON_COMPLIANT, msg(
                "rule.is",
                where=f"{cwhere}.OriginSSLProtocols",
                value=str(protocols) if protocols else msg("rule.s3.unset"),
            )
    if not checked:
        return Result.NOT_APPLICABLE, "no custom origins"
    return Result.COMPLIANT


@rule(
    "BIO2-CloudFront-WebAcl",
    types=[DISTRIBUTION],
    level=Level.WARNING,
    finding="CloudFront distribution has no AWS WAF web ACL",
    fix="Set DistributionConfig.WebACLId to a WAFv2 web ACL (scope CLOUDFRONT) with rate-based rules",
)
@synth_time
def cf_web_acl(res: Resource) -> Outcome:
    """DistributionConfig.WebACLId is set; a web ACL of the same template must have rules."""
    acl = lookup(_dist_config(res), "WebACLId", where="DistributionConfig")
    if not is_set(acl, "DistributionConfig.WebACLId"):
        return Result.NON_COMPLIANT, msg("rule.not_set", where="DistributionConfig.WebACLId")
    for web_acl in res.stack.of_type(WEB_ACL):
        if refers_to(acl, web_acl.logical_id) and not web_acl_rules(web_acl):
            return Result.NON_COMPLIANT, msg("rule.edge.acl_no_rules", acl=web_acl.logical_id)
    return Result.COMPLIANT


def web_acl_rules(web_acl: Resource) -> list[object]:
    """The rules of a WAFv2 web ACL (strict about intrinsics)."""
    return items(web_acl.properties.get("Rules"), f"{web_acl.logical_id}.Rules")


@rule(
    "BIO2-WAF-WebAclHasRules",
    types=[WEB_ACL],
    finding="WAF web ACL has no rules: it inspects nothing and lets every request through",
    fix="Add rules to the web ACL (a rate-based rule and the AWS managed rule groups that fit the "
    "application)",
)
@synth_time
def waf_web_acl_has_rules(res: Resource) -> Outcome:
    """The web ACL has at least one rule (with DefaultAction Allow, an empty ACL filters nothing)."""
    rules = web_acl_rules(res)
    if not rules:
        return Result.NON_COMPLIANT, msg("rule.empty", where="Rules")
    return Result.COMPLIANT, msg("rule.edge.rules", count=len(rules))


@rule(
    "BIO2-APIGateway-AccessLogging",
    types=[REST_STAGE, HTTP_STAGE],
    finding="API Gateway stage has no access logging",
    fix="Set AccessLogSetting (REST) / AccessLogSettings (HTTP, WebSocket) with a DestinationArn "
    "and a log format",
)
@synth_time
def apigw_access_logging(res: Resource) -> Outcome:
    """The stage sends access logs to a destination, in a format with the fields an investigation needs.

    The format (``Format``) must name, for each of time, origin, actor, action, object, result and
    request ID, one of the ``$context`` variables in ``APIGW_LOG_FIELDS``.
    """
    prop = "AccessLogSetting" if res.type == REST_STAGE else "AccessLogSettings"
    dest = lookup(res.properties, prop, "DestinationArn")
    if not is_set(dest, f"{prop}.DestinationArn"):
        return Result.NON_COMPLIANT, msg("rule.not_set", where=f"{prop}.DestinationArn")
    fmt = to_str(lookup(res.properties, prop, "Format"), f"{prop}.Format")
    if not fmt:
        return Result.NON_COMPLIANT, msg("rule.edge.no_format", where=prop)
    missing = [field for field, names in APIGW_LOG_FIELDS.items() if not _names_any(fmt, names)]
    if missing:
        return Result.NON_COMPLIANT, msg("rule.edge.format_missing", where=prop, fields=list(missing))
    return Result.COMPLIANT


def _names_any(fmt: str, names: tuple[str, ...]) -> bool:
    """True when ``fmt`` uses one of ``names`` as a whole variable (``$context.path`` is not
    ``$context.pathParameters``)."""
    for name in names:
        start = fmt.find(name)
        while start >= 0:
            end = start + len(name)
            if end == len(fmt) or not (fmt[end].isalnum() or fmt[end] in "._"):
                return True
            start = fmt.find(name, end)
    return False


def apigw_policy_ok(name: str) -> bool:
    return name in APIGW_TLS_POLICIES or name.startswith(APIGW_TLS_POLICY_PREFIXES)


@rule(
    "BIO2-APIGateway-DomainTls",
    types=[REST_DOMAIN, HTTP_DOMAIN],
    finding="API Gateway custom domain allows TLS below 1.2",
    fix="Set SecurityPolicy to TLS_1_2 (or a SecurityPolicy_TLS13_* policy)",
)
@synth_time
def apigw_domain_tls(res: Resource) -> Outcome:
    """The custom domain's security policy has TLS 1.2 as its minimum (stated explicitly)."""
    if res.type == REST_DOMAIN:
        pairs = [("SecurityPolicy", res.properties.get("SecurityPolicy"))]
    else:
        where = "DomainNameConfigurations"
        pairs = [
            (f"{where}[{i}].SecurityPolicy", lookup(cfg, "SecurityPolicy", where=f"{where}[{i}]"))
            for i, cfg in enumerate(items(res.properties.get(where), where))
        ]
        if not pairs:
            return Result.NON_COMPLIANT, msg("rule.empty", where=where)
    for where, value in pairs:
        policy = to_str(value, where)
        if policy is None:
            return Result.NON_COMPLIANT, msg("rule.not_set", where=where)
        if not apigw_policy_ok(policy):
            return Result.NON_COMPLIANT, msg("rule.is", where=where, value=policy)
    return Result.COMPLIANT
