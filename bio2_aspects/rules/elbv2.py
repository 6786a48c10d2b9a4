"""Application Load Balancer attribute rules (Elastic Load Balancing v2).

Measures: 8.27.01 (secure-by-default configuration: the load balancer drops requests with
malformed headers instead of passing them to the application, and cannot be deleted by a
single mistaken call while it serves the application).

Listener, TLS and access-log rules are in :mod:`.edge`.
"""

from __future__ import annotations

from bio2_aspects.messages import msg

from ._helpers import items, lookup, synth_time, to_str
from .base import Level, Outcome, Resource, Result, rule

LOAD_BALANCER = "AWS::ElasticLoadBalancingV2::LoadBalancer"


def lb_attributes(res: Resource) -> dict[str, object]:
    """LoadBalancerAttributes as a dict (strict about intrinsics)."""
    attrs: dict[str, object] = {}
    for i, attr in enumerate(items(res.properties.get("LoadBalancerAttributes"), "LoadBalancerAttributes")):
        where = f"LoadBalancerAttributes[{i}]"
        key = to_str(lookup(attr, "Key", where=where), f"{where}.Key")
        if key:
            attrs[key] = lookup(attr, "Value", where=where)
    return attrs


def _attr_true(res: Resource, key: str) -> Outcome:
    value = to_str(lb_attributes(res).get(key), key)
    if (value or "").lower() == "true":
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, msg("rule.elbv2.attribute", key=key, value=value or msg("rule.elbv2.unset"))


@rule(
    "BIO2-ELB-DropInvalidHeaders",
    types=[LOAD_BALANCER],
    finding="Application Load Balancer passes HTTP headers with invalid fields to its targets",
    fix="Set load balancer attribute routing.http.drop_invalid_header_fields.enabled=true "
    "(CDK: drop_invalid_header_fields=True)",
)
@synth_time
def elb_drop_invalid_headers(res: Resource) -> Outcome:
    """ALBs set routing.http.drop_invalid_header_fields.enabled true. Other LB types: NOT_APPLICABLE."""
    lb_type = to_str(res.properties.get("Type"), "Type") or "application"
    if lb_type != "application":
        return Result.NOT_APPLICABLE, f"{lb_type} load balancer (no HTTP header processing)"
    return _attr_true(res, "routing.http.drop_invalid_header_fields.enabled")


@rule(
    "BIO2-ELB-DeletionProtection",
    types=[LOAD_BALANCER],
    level=Level.WARNING,
    finding="Load balancer deletion protection is not enabled",
    fix="Set load balancer attribute deletion_protection.enabled=true (CDK: deletion_protection=True)",
)
@synth_time
def elb_deletion_protection(res: Resource) -> Outcome:
    """Attribute deletion_protection.enabled is true."""
    return _attr_true(res, "deletion_protection.enabled")
