"""AWS Network Firewall, Route 53 Resolver DNS Firewall and Transit Gateway rules.

Measures: (strength, facet and rationale per rule in bio2_aspects/mappings/data/rules.json)
8.21.02 (traffic to and from the trusted environment passes
inspection whose output can be analysed), 8.16.04 (network components log), 8.22.01
(segregated network groups stay separated: default deny, no implicit any-to-any routing
between attachments). Default deny and rule order are not DDoS protection (8.21.01).
8.07.01 (downloading is limited by risk: an egress domain allowlist with a default drop, and
DNS Firewall blocking known bad domains).
"""

from __future__ import annotations

from bio2_aspects.messages import msg

from ._helpers import is_set, items, lookup, strings, synth_time, to_bool, to_str
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
    return Result.NON_COMPLIANT, msg("rule.is", where=where, value=order or msg("rule.network.default_order"))


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
    return Result.NON_COMPLIANT, msg(
        "rule.is", where=where, value=actions or msg("rule.network.default_pass")
    )


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
        return Result.NON_COMPLIANT, msg("rule.findings", findings_list=bad)
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
        return Result.NON_COMPLIANT, msg("rule.network.no_logging", resource=FIREWALL_LOGGING)
    missing = [t for t in REQUIRED_FIREWALL_LOG_TYPES if t not in types]
    if missing:
        return Result.NON_COMPLIANT, msg("rule.network.logs_missing", types=list(missing))
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
        return Result.NON_COMPLIANT, msg("rule.not_true_list", names=list(off))
    return Result.COMPLIANT


def _tgw_disabled(res: Resource, prop: str) -> Outcome:
    value = to_str(res.properties.get(prop), prop)
    if value == "disable":
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, msg("rule.is", where=prop, value=value or msg("rule.network.default_enable"))


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
    return Result.NON_COMPLIANT, msg("rule.is", where="AutoAcceptSharedAttachments", value=value)


# ------------------------------------------------------------------ download limiting (8.07.01)

RULE_GROUP = "AWS::NetworkFirewall::RuleGroup"
DNS_RULE_GROUP = "AWS::Route53Resolver::FirewallRuleGroup"
DNS_ASSOCIATION = "AWS::Route53Resolver::FirewallRuleGroupAssociation"
#: Traffic a domain allowlist must inspect to limit web downloads: TLS (by SNI) and plain HTTP (Host).
ALLOWLIST_TARGET_TYPES = frozenset({"TLS_SNI", "HTTP_HOST"})


def _domain_allowlist(group: Resource) -> str | None:
    """Why a stateful rule group is *not* a domain allowlist, or None when it is one."""
    where = f"{group.logical_id}.RuleGroup.RulesSource.RulesSourceList"
    source = lookup(group.properties, "RuleGroup", "RulesSource", "RulesSourceList")
    if source is None:
        return msg("rule.has_no", where=group.logical_id, what="RulesSourceList")
    kind = to_str(lookup(source, "GeneratedRulesType", where=where), f"{where}.GeneratedRulesType")
    if kind != "ALLOWLIST":
        return msg("rule.is", where=f"{where}.GeneratedRulesType", value=repr(kind))
    targets = strings(lookup(source, "Targets", where=where), f"{where}.Targets")
    if not targets:
        return msg("rule.empty", where=f"{where}.Targets")
    types = set(strings(lookup(source, "TargetTypes", where=where), f"{where}.TargetTypes"))
    if not types >= ALLOWLIST_TARGET_TYPES:
        return msg("rule.network.target_types", where=where, types=str(sorted(types)))
    return None


@rule(
    "BIO2-NetworkFirewall-EgressAllowlist",
    types=[FIREWALL_POLICY],
    level=Level.WARNING,
    finding="Firewall policy does not limit outbound web traffic to an allowlist of domains",
    fix="Reference a stateful rule group with a RulesSourceList (GeneratedRulesType ALLOWLIST, TargetTypes "
    "TLS_SNI and HTTP_HOST) and drop what it does not allow (StatefulDefaultActions aws:drop_established)",
)
@synth_time
def nfw_egress_allowlist(res: Resource) -> Outcome:
    """A stateful domain allowlist (TLS SNI and HTTP Host) in the same template, referenced by the
    policy, plus a default drop: web downloads only come from the listed domains."""
    where = "FirewallPolicy.StatefulDefaultActions"
    defaults = strings(lookup(res.properties, "FirewallPolicy", "StatefulDefaultActions"), where)
    if not DROP_ACTIONS.intersection(defaults):
        return (
            Result.NON_COMPLIANT,
            msg(
                "rule.network.allowlist_passes",
                where=where,
                value=str(defaults) if defaults else msg("rule.s3.unset"),
            ),
        )
    refs = items(
        lookup(res.properties, "FirewallPolicy", "StatefulRuleGroupReferences"),
        "FirewallPolicy.StatefulRuleGroupReferences",
    )
    notes = []
    for i, ref in enumerate(refs):
        arn = lookup(ref, "ResourceArn", where=f"FirewallPolicy.StatefulRuleGroupReferences[{i}]")
        groups = [g for g in res.stack.of_type(RULE_GROUP) if refers_to(arn, g.logical_id)]
        if not groups:
            notes.append(msg("rule.network.not_here", where=f"StatefulRuleGroupReferences[{i}]"))
        for group in groups:
            problem = _domain_allowlist(group)
            if problem is None:
                return Result.COMPLIANT, msg("rule.network.allowlist", group=group.logical_id)
            notes.append(problem)
    return Result.NON_COMPLIANT, msg("rule.findings", findings_list=notes) if notes else msg(
        "rule.network.no_groups"
    )


@rule(
    "BIO2-DnsFirewall-BlocksDomains",
    types=[DNS_ASSOCIATION],
    level=Level.WARNING,
    finding="DNS Firewall association applies a rule group that blocks no domain list",
    fix="Associate a Route 53 Resolver firewall rule group with BLOCK rules on domain lists (for example the "
    "AWS managed malware and botnet lists)",
)
@synth_time
def dns_firewall_blocks(res: Resource) -> Outcome:
    """The VPC's DNS Firewall rule group (same template) blocks at least one domain list, so names
    of known malicious download sites do not resolve."""
    group_id = res.properties.get("FirewallRuleGroupId")
    groups = [g for g in res.stack.of_type(DNS_RULE_GROUP) if refers_to(group_id, g.logical_id)]
    if not groups:
        return Result.NON_COMPLIANT, msg("rule.network.not_here", where="FirewallRuleGroupId")
    for group in groups:
        where = f"{group.logical_id}.FirewallRules"
        blocked = []
        for i, fw_rule in enumerate(items(group.properties.get("FirewallRules"), where)):
            action = to_str(lookup(fw_rule, "Action", where=f"{where}[{i}]"), f"{where}[{i}].Action")
            domains = lookup(fw_rule, "FirewallDomainListId", where=f"{where}[{i}]")
            if action == "BLOCK" and is_set(domains, f"{where}[{i}].FirewallDomainListId"):
                blocked.append(i)
        if blocked:
            return Result.COMPLIANT, msg(
                "rule.network.dns_blocks", group=group.logical_id, count=len(blocked)
            )
    return Result.NON_COMPLIANT, msg("rule.network.no_block")
