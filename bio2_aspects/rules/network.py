"""AWS Network Firewall and Transit Gateway rules.

Measures: (strength, facet and rationale per rule in bio2_aspects/mappings/data/rules.json)
8.21.02 (traffic to and from the trusted environment passes
inspection whose output can be analysed), 8.16.04 (network components log), 8.22.01
(segregated network groups stay separated: default deny, no implicit any-to-any routing
between attachments). Default deny and rule order are not DDoS protection (8.21.01).
"""

from __future__ import annotations

from ._helpers import items, lookup, strings, synth_time, to_bool, to_str
from .base import Level, Outcome, Resource, Result, refers_to, rule

FIREWALL_POLICY = "AWS::NetworkFirewall::FirewallPolicy"
FIREWALL = "AWS::NetworkFirewall::Firewall"
FIREWALL_LOGGING = "AWS::NetworkFirewall::LoggingConfiguration"
TRANSIT_GATEWAY = "AWS::EC2::TransitGateway"

DROP_ACTIONS = frozenset({"aws:drop_strict", "aws:drop_established"})
REQUIRED_FIREWALL_LOG_TYPES = ("ALERT", "FLOW")


@rule(
    "BIO2-NetworkFirewall-StrictOrder",
    types=[FIREWALL_POLICY],
    finding="Firewall policy does not evaluate stateful rules in strict order",
    fix="Set FirewallPolicy.StatefulEngineOptions.RuleOrder to STRICT_ORDER",
)
@synth_time
def nfw_strict_order(res: Resource) -> Outcome:
    """Stateful rules run in the order written (STRICT_ORDER), which permits a default action."""
    where = "FirewallPolicy.StatefulEngineOptions.RuleOrder"
    order = to_str(lookup(res.properties, "FirewallPolicy", "StatefulEngineOptions", "RuleOrder"), where)
    if order == "STRICT_ORDER":
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, f"{where} is {order or 'not set (DEFAULT_ACTION_ORDER)'}"


@rule(
    "BIO2-NetworkFirewall-DefaultDrop",
    types=[FIREWALL_POLICY],
    finding="Firewall policy does not drop traffic that no stateful rule allows",
    fix="Use STRICT_ORDER and set StatefulDefaultActions to [aws:drop_strict] (or aws:drop_established)",
)
@synth_time
def nfw_default_drop(res: Resource) -> Outcome:
    """StatefulDefaultActions contains a drop action: default deny."""
    where = "FirewallPolicy.StatefulDefaultActions"
    actions = strings(lookup(res.properties, "FirewallPolicy", "StatefulDefaultActions"), where)
    if DROP_ACTIONS.intersection(actions):
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, f"{where} is {actions or 'not set (traffic passes by default)'}"


@rule(
    "BIO2-NetworkFirewall-StatelessForward",
    types=[FIREWALL_POLICY],
    finding="Firewall policy lets packets bypass stateful inspection by default",
    fix="Set StatelessDefaultActions and StatelessFragmentDefaultActions to [aws:forward_to_sfe] "
    "(or aws:drop)",
)
@synth_time
def nfw_stateless_forward(res: Resource) -> Outcome:
    """Stateless defaults forward to the stateful engine (or drop); never aws:pass."""
    bad = []
    for prop in ("StatelessDefaultActions", "StatelessFragmentDefaultActions"):
        actions = strings(lookup(res.properties, "FirewallPolicy", prop), f"FirewallPolicy.{prop}")
        if not ({"aws:forward_to_sfe", "aws:drop"} & set(actions)):
            bad.append(f"{prop}={actions}")
    if bad:
        return Result.NON_COMPLIANT, "; ".join(bad)
    return Result.COMPLIANT


@rule(
    "BIO2-NetworkFirewall-Logging",
    types=[FIREWALL],
    finding="Network Firewall does not log both alerts and flows",
    fix="Add an AWS::NetworkFirewall::LoggingConfiguration for the firewall with ALERT and FLOW destinations",
)
@synth_time
def nfw_logging(res: Resource) -> Outcome:
    """A logging configuration for this firewall sends ALERT and FLOW logs somewhere."""
    types: set[str] = set()
    configs = []
    for cfg in res.stack.of_type(FIREWALL_LOGGING):
        if not (
            refers_to(cfg.properties.get("FirewallArn"), res.logical_id)
            or refers_to(cfg.properties.get("FirewallName"), res.logical_id)
        ):
            continue
        configs.append(cfg.logical_id)
        where = f"{cfg.logical_id}.LoggingConfiguration.LogDestinationConfigs"
        for i, dest in enumerate(
            items(lookup(cfg.properties, "LoggingConfiguration", "LogDestinationConfigs"), where)
        ):
            log_type = to_str(lookup(dest, "LogType", where=f"{where}[{i}]"), f"{where}[{i}].LogType")
            if log_type:
                types.add(log_type)
    if not configs:
        return Result.NON_COMPLIANT, f"no {FIREWALL_LOGGING} references this firewall"
    missing = [t for t in REQUIRED_FIREWALL_LOG_TYPES if t not in types]
    if missing:
        return Result.NON_COMPLIANT, f"log types not delivered: {', '.join(missing)}"
    return Result.COMPLIANT


@rule(
    "BIO2-NetworkFirewall-ChangeProtection",
    types=[FIREWALL],
    level=Level.WARNING,
    finding="Network Firewall can be deleted or have its policy swapped without first lifting a protection",
    fix="Set DeleteProtection and FirewallPolicyChangeProtection to true",
)
@synth_time
def nfw_change_protection(res: Resource) -> Outcome:
    """DeleteProtection and FirewallPolicyChangeProtection are on."""
    off = [
        prop
        for prop in ("DeleteProtection", "FirewallPolicyChangeProtection")
        if to_bool(res.properties.get(prop), prop) is not True
    ]
    if off:
        return Result.NON_COMPLIANT, f"not true: {', '.join(off)}"
    return Result.COMPLIANT


def _tgw_disabled(res: Resource, prop: str) -> Outcome:
    value = to_str(res.properties.get(prop), prop)
    if value == "disable":
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, f"{prop} is {value or 'not set (default enable)'}"


@rule(
    "BIO2-TransitGateway-NoDefaultAssociation",
    types=[TRANSIT_GATEWAY],
    finding="Transit gateway associates every attachment with its default route table",
    fix="Set DefaultRouteTableAssociation to disable and associate attachments with per-segment route tables",
)
@synth_time
def tgw_no_default_association(res: Resource) -> Outcome:
    """DefaultRouteTableAssociation is disable: segments are chosen explicitly."""
    return _tgw_disabled(res, "DefaultRouteTableAssociation")


@rule(
    "BIO2-TransitGateway-NoDefaultPropagation",
    types=[TRANSIT_GATEWAY],
    finding="Transit gateway propagates every attachment's routes into its default route table",
    fix="Set DefaultRouteTablePropagation to disable and propagate routes per segment",
)
@synth_time
def tgw_no_default_propagation(res: Resource) -> Outcome:
    """DefaultRouteTablePropagation is disable: no implicit any-to-any routing."""
    return _tgw_disabled(res, "DefaultRouteTablePropagation")


@rule(
    "BIO2-TransitGateway-NoAutoAccept",
    types=[TRANSIT_GATEWAY],
    level=Level.WARNING,
    finding="Transit gateway accepts shared attachments automatically",
    fix="Set AutoAcceptSharedAttachments to disable (the default) and accept attachments deliberately",
)
@synth_time
def tgw_no_auto_accept(res: Resource) -> Outcome:
    """AutoAcceptSharedAttachments is disable (CloudFormation's documented default when absent)."""
    value = to_str(res.properties.get("AutoAcceptSharedAttachments"), "AutoAcceptSharedAttachments")
    if value is None or value == "disable":
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, f"AutoAcceptSharedAttachments is {value}"
