"""Whole-model checks: configurations whose parts look safe but whose combination is weaker.

Each section's ``check`` looks at its own fields. These checks look across sections, at what the
landing zone would actually enforce, and refuse every combination that is silently weaker than
its parts suggest, unless a named opt-in in ``scope_decisions`` records it (and the BIO2 manifest
then shows it, :func:`~landing_zone.config.sections.decisions.recorded_scope_decisions`):

- **firewall order**: a firewall rule to or from an internet range is in the segment rule group,
  which the firewall evaluates before the egress allowlist: it would bypass the allowlist. A
  CIDR block in a rule that spans several segments opens all of them. (No opt-in.)
- **segment isolation**: a sandbox VPC attached to the internal network
  (``sandbox-on-internal-network``); a flow between production and non-production
  (``production-nonproduction-flow``).
- **baseline coverage**: every member account gets the member baseline
  (``baseline-partial-coverage``).
- **region and protective guardrails**: the data-residency guardrail and the other protective
  guardrails cover every member account (``guardrail-partial-coverage``).
- **routing completeness**: every region with spoke VPCs or VPN connections has an inspection VPC
  (otherwise its segment route tables stay empty); a VPN has spoke VPCs to reach in its region. A
  spoke VPC of another account without its attachment is reported as a notice
  (:func:`notices`; silence it with ``spoke-not-attached``).
- **identity**: no assignment names a suspended OU or an account in one; no permission set with
  administrator-level access (privileged) is assigned to accounts that get no member baseline
  (for example sandbox accounts left out of ``organization.baseline.targets``): nothing there would
  record or alert on what is done with that access.
- **conflicting options**: a security service that is switched on but denied by the
  approved-services guardrail in the accounts the member baseline deploys it to;
  ``logging.object_lock_mode: GOVERNANCE``, which the BIO2 gate refuses at synth unless the bio2
  section accepts the risk, is a notice of ``validate`` (:func:`notices`) and, at synth, an
  exit 2 that names the config key (:mod:`landing_zone.entry`).

They run after every section passed its own checks (so a mistake in one section gives one
problem, not a cascade), both in ``validate`` and before synth.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from landing_zone.config import capacity
from landing_zone.config.errors import Problem, path_of
from landing_zone.config.sections.decisions import accepted
from landing_zone.config.sections.identity import accounts_in_ou
from landing_zone.config.sections.network import ON_PREMISES, SPOKE_SEGMENTS
from landing_zone.config.sections.organization import ROOT

if TYPE_CHECKING:
    from landing_zone.config.model import LandingZoneConfig
    from landing_zone.config.sections.organization import Account

PRIVATE_RANGES = tuple(
    ipaddress.IPv4Network(net) for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")
)
"""Address ranges that are never on the internet (RFC 1918 and the shared address space)."""

PROTECTIVE_GUARDRAILS: dict[str, str] = {
    "deny_outside_regions": "the data-residency guardrail (regions outside regions.allowed)",
    "deny_leave_organization": "the guardrail that keeps accounts in the organization",
    "deny_root_user": "the guardrail that blocks the root user",
    "protect_platform_roles": "the guardrail that protects the platform's roles",
    "protect_logging": "the guardrail that protects the organization trail and log archive",
    "protect_security_services": "the guardrail that protects GuardDuty, Security Hub and AWS Config",
    "protect_backup": "the guardrail that protects backup vaults and recovery points",
}
"""Guardrails that every member account needs; attaching one to fewer accounts weakens the zone."""

SUSPENDED_OU_NAMES = frozenset({"suspended", "quarantine", "closed", "decommissioned", "offboarding"})
"""OU names (any level) whose accounts are being closed: nobody signs in to them."""

SERVICE_SWITCHES: tuple[tuple[str, str], ...] = (
    ("security.macie", "macie2"),
    ("security.guardduty.enabled", "guardduty"),
    ("security.security_hub.enabled", "securityhub"),
    ("security.access_analyzer", "access-analyzer"),
    ("security.inspector.enabled", "inspector2"),
)
"""Security switches whose service the member baseline deploys in every member account."""


def _decision_hint(name: str, item: str) -> str:
    return (
        f"; or, after a documented risk assessment, record it under scope_decisions: "
        f"{{name: {name}, items: ['{item}'], reason: ..., approved_by: ...}}"
    )


def _members(cfg: LandingZoneConfig) -> list[Account]:
    return [account for account in cfg.organization.accounts if account.role != "management"]


def _covered(cfg: LandingZoneConfig, targets: tuple[str, ...]) -> set[str]:
    """Names of the accounts that ``targets`` (Root, OU paths, account names) reach."""
    names: set[str] = set()
    for target in targets:
        if cfg.organization.account(target) is not None:
            names.add(target)
        else:
            names |= {account.name for account in accounts_in_ou(cfg, target)}
    return names


def _listing(names: list[str], limit: int = 6) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _ou_targets_for(accounts: list[Account]) -> list[str]:
    """The OU paths that would cover ``accounts`` (their top-level OU), in first-seen order."""
    found: list[str] = []
    for account in accounts:
        target = ROOT if account.ou == ROOT else account.ou.split("/")[0]
        if target not in found:
            found.append(target)
    return found


def _is_sandbox(account: Account) -> bool:
    return account.role == "sandbox" or account.environment == "sandbox"


def _vpc_path(cfg: LandingZoneConfig, index: int, *rest: str) -> str:
    return path_of("network", "vpcs", index, *rest)


# --------------------------------------------------------------------------- checks


def check(cfg: LandingZoneConfig, blocked: Collection[str] = ()) -> list[Problem]:
    """Every whole-model check (see the module docstring), in report order.

    ``blocked``: config paths (or sections) that already have a problem; a check that reads one of
    them is left out, so that one mistake is not reported again as its consequences.
    """
    problems: list[Problem] = []
    for reads, run in _CHECKS:
        if any(_overlap(path, prefix) for path in blocked for prefix in reads):
            continue
        try:
            problems += run(cfg)
        except Exception as error:  # a check must never end in a traceback
            if blocked:
                continue  # a consequence of a problem already reported
            problems.append(
                Problem(
                    reads[0],
                    f"the whole-model check {run.__name__} could not read this configuration "
                    f"({type(error).__name__}: {error})",
                    "check the values under this path; if they look right, this is a defect of the landing "
                    "zone: report it with the configuration",
                )
            )
    return problems


def _overlap(a: str, b: str) -> bool:
    """Whether one config path lies inside the other (or they are the same)."""
    return a == b or a.startswith((b + ".", b + "[")) or b.startswith((a + ".", a + "["))


def notices(cfg: LandingZoneConfig) -> list[Problem]:
    """Things the landing zone leaves out on purpose that a platform team should know of (not errors).

    Today: ``logging.object_lock_mode: GOVERNANCE`` without a risk acceptance in the bio2 section
    (the BIO2 gate stops the synth; the bio2 section owns that acceptance), and spoke VPCs of
    other accounts without ``transit_gateway_attachment_id`` (in the IP plan, but not routed,
    inspected or filtered until the attachment ID is filled in), and AWS quotas past their default
    that the deployment needs raised (:func:`landing_zone.config.capacity.notices`).
    """
    network_accounts = {a.name for a in cfg.organization.accounts if a.role == "network"}
    first = lock_mode_problems(cfg) + capacity.notices(cfg)
    return first + [
        Problem(
            _vpc_path(cfg, index, "transit_gateway_attachment_id"),
            f"VPC '{vpc.name}' has no transit_gateway_attachment_id yet: the landing zone leaves it out of "
            "the network (no route, no inspection, no DNS firewall) until it has one",
            "deploy the VPC with landing_zone.workloads.WorkloadVpc and copy the attachment ID it reports "
            "into transit_gateway_attachment_id",
        )
        for index, vpc in enumerate(cfg.network.vpcs)
        if vpc.segment in SPOKE_SEGMENTS
        and vpc.account not in network_accounts
        and not vpc.transit_gateway_attachment_id
        and not accepted(cfg, "spoke-not-attached", vpc.name)
    ]


def firewall_problems(cfg: LandingZoneConfig) -> list[Problem]:
    network = cfg.network
    problems: list[Problem] = []
    on_premises = [ipaddress.IPv4Network(cidr) for cidr in network.on_premises_cidrs]
    vpcs = [(vpc, ipaddress.IPv4Network(vpc.cidr)) for vpc in network.vpcs]
    for index, rule in enumerate(network.firewall_rules):
        for side in ("source", "destination"):
            target = getattr(rule, side)
            if target in (*SPOKE_SEGMENTS, ON_PREMISES):
                continue
            where = path_of("network", "firewall_rules", index, side)
            cidr = ipaddress.IPv4Network(target)
            internal = any(cidr.subnet_of(net) for net in (*PRIVATE_RANGES, *on_premises))
            if not internal:
                problems.append(
                    Problem(
                        where,
                        f"{cidr} includes internet addresses: firewall rules run in the segment rule group, "
                        "which the firewall evaluates before network.egress_allowlist, so this rule "
                        "would pass internet traffic around the allowlist",
                        "remove this rule and add the internet domains the flow needs to "
                        "network.egress_allowlist; for an internal range, write a segment name, "
                        "on-premises or a private CIDR block",
                    )
                )
                continue
            segments = sorted({vpc.segment for vpc, net in vpcs if net.overlaps(cidr)})
            if len(segments) > 1 or "inspection" in segments:
                problems.append(
                    Problem(
                        where,
                        f"{cidr} spans the segments {', '.join(segments)}: the rule would open each of them, "
                        "not one flow",
                        "write the one segment the flow is for (production, nonproduction, shared), "
                        "on-premises, or a CIDR block inside one VPC",
                    )
                )
    return problems


def _segments_of(cfg: LandingZoneConfig, target: str) -> set[str]:
    if target in SPOKE_SEGMENTS:
        return {target}
    if target == ON_PREMISES:
        return {ON_PREMISES}
    cidr = ipaddress.IPv4Network(target)
    return {vpc.segment for vpc in cfg.network.vpcs if ipaddress.IPv4Network(vpc.cidr).overlaps(cidr)}


def isolation_problems(cfg: LandingZoneConfig) -> list[Problem]:
    problems: list[Problem] = []
    for index, vpc in enumerate(cfg.network.vpcs):
        account = cfg.organization.account(vpc.account)
        if account is None or vpc.segment not in SPOKE_SEGMENTS or not _is_sandbox(account):
            continue
        if accepted(cfg, "sandbox-on-internal-network", vpc.name):
            continue
        problems.append(
            Problem(
                _vpc_path(cfg, index),
                f"VPC '{vpc.name}' of sandbox account '{account.name}' is attached to the {vpc.segment} "
                "segment: the sandbox would get the routes and firewall passes of the internal network, "
                "on-premises included",
                f"remove '{vpc.name}' from network.vpcs: a sandbox builds a standalone VPC (WorkloadVpc "
                "without a Transit Gateway)" + _decision_hint("sandbox-on-internal-network", vpc.name),
            )
        )
    for index, rule in enumerate(cfg.network.firewall_rules):
        sides = _segments_of(cfg, rule.source), _segments_of(cfg, rule.destination)
        crosses = ("production" in sides[0] and "nonproduction" in sides[1]) or (
            "nonproduction" in sides[0] and "production" in sides[1]
        )
        if crosses and not accepted(cfg, "production-nonproduction-flow", rule.description):
            problems.append(
                Problem(
                    path_of("network", "firewall_rules", index),
                    f"the rule '{rule.description}' passes traffic between production and non-production",
                    "remove the rule: production and non-production stay apart (BIO2 8.31)"
                    + _decision_hint("production-nonproduction-flow", rule.description),
                )
            )
    return problems


def routing_problems(cfg: LandingZoneConfig) -> list[Problem]:
    network = cfg.network
    problems: list[Problem] = []
    network_accounts = {a.name for a in cfg.organization.accounts if a.role == "network"}
    inspected = {vpc.region for vpc in network.vpcs if vpc.segment == "inspection"}
    spoke_regions: set[str] = set()
    reported: set[str] = set()
    for index, vpc in enumerate(network.vpcs):
        if vpc.segment not in SPOKE_SEGMENTS:
            continue
        local = vpc.account in network_accounts
        if not local and not vpc.transit_gateway_attachment_id:
            continue  # not routed at all yet: a notice (see notices), not a hole
        spoke_regions.add(vpc.region)
        if vpc.region not in inspected and vpc.region not in reported:
            reported.add(vpc.region)
            problems.append(
                Problem(
                    _vpc_path(cfg, index, "region"),
                    f"VPC '{vpc.name}' is in {vpc.region}, which has no inspection VPC: the segment route "
                    f"tables of {vpc.region} would have 0 routes, so no traffic of this VPC leaves it",
                    f"add an inspection VPC in {vpc.region} to network.vpcs (account: the network account, "
                    "segment: inspection, a /22 CIDR block)"
                    + (
                        " and, as endpoints are central, a VPC with segment: shared in the network "
                        "account there"
                        if network.endpoints.mode == "central"
                        and not any(
                            v.segment == "shared" and v.region == vpc.region and v.account in network_accounts
                            for v in network.vpcs
                        )
                        else ""
                    )
                    + ", or put this VPC in a region that has one",
                )
            )
    for index, vpn in enumerate(network.vpn):
        if vpn.region not in inspected and vpn.region not in reported:
            reported.add(vpn.region)
            problems.append(
                Problem(
                    path_of("network", "vpn", index, "region"),
                    f"VPN '{vpn.name}' is in {vpn.region}, which has no inspection VPC: its on-premises "
                    "route table would have 0 routes",
                    f"add an inspection VPC in {vpn.region} to network.vpcs, or attach the VPN in a region "
                    "that has one",
                )
            )
        elif vpn.region not in spoke_regions and vpn.region in inspected:
            problems.append(
                Problem(
                    path_of("network", "vpn", index, "region"),
                    f"VPN '{vpn.name}' is in {vpn.region}, which has no attached spoke VPC: its on-premises "
                    "route table would have 0 routes",
                    "attach the VPN in a region with spoke VPCs (a Transit Gateway routes within its "
                    "region only)",
                )
            )
    return problems


def baseline_problems(cfg: LandingZoneConfig) -> list[Problem]:
    covered = _covered(cfg, cfg.organization.baseline.targets)
    left_out = [
        account
        for account in _members(cfg)
        if account.name not in covered
        and not accepted(cfg, "baseline-partial-coverage", account.name)
        and not accepted(cfg, "baseline-partial-coverage", account.ou)
        and not accepted(cfg, "baseline-partial-coverage", account.ou.split("/")[0])
    ]
    if not left_out:
        return []
    core = [a for a in left_out if a.role in ("log-archive", "security", "network", "shared-services")]
    described = _listing([f"{a.name} ({a.role}, {a.ou})" for a in left_out])
    missing = _ou_targets_for(left_out)
    return [
        Problem(
            "organization.baseline.targets",
            f"{len(left_out)} member account(s) get no member baseline (no configuration recorder, threat "
            f"detector, backup vault or break-glass role): {described}"
            + ("; among them core accounts of the landing zone" if core else ""),
            f"add {', '.join(missing)} to organization.baseline.targets (or use [Root] for every member "
            "account)" + ("" if core else _decision_hint("baseline-partial-coverage", missing[0])),
        )
    ]


def guardrail_problems(cfg: LandingZoneConfig) -> list[Problem]:
    problems: list[Problem] = []
    attach = cfg.organization.guardrails.attach
    members = _members(cfg)
    for key, what in PROTECTIVE_GUARDRAILS.items():
        targets = getattr(attach, key, None)
        if targets is None or accepted(cfg, "guardrail-partial-coverage", key):
            continue
        covered = _covered(cfg, targets)
        left_out = [a for a in members if a.name not in covered]
        if not left_out:
            continue
        where = path_of("organization", "guardrails", "attach", key)
        if not targets:
            message = f"{what} is attached nowhere: no member account has it"
        else:
            message = f"{what} leaves out {len(left_out)} member account(s): " + _listing(
                [f"{a.name} ({a.ou})" for a in left_out]
            )
        problems.append(
            Problem(
                where,
                message,
                f"attach it at Root: write {key}: [Root], or remove the line to get the default"
                + _decision_hint("guardrail-partial-coverage", key),
            )
        )
    return problems


def _suspended(ou_path: str) -> bool:
    return any(part.lower() in SUSPENDED_OU_NAMES for part in ou_path.split("/"))


def identity_problems(cfg: LandingZoneConfig) -> list[Problem]:
    problems: list[Problem] = []
    unwatched = {a.name for a in _members(cfg)} - _covered(cfg, cfg.organization.baseline.targets)
    for index, assignment in enumerate(cfg.identity.assignments):
        loc = ("identity", "assignments", index)
        permission_set = cfg.identity.permission_set(assignment.permission_set)
        if permission_set is not None and (permission_set.is_privileged or permission_set.grants_admin):
            named = [*assignment.accounts, *assignment.ous]
            reached = sorted(
                {name for name in assignment.accounts if name in unwatched}
                | {
                    a.name
                    for ou in assignment.ous
                    if ou != ROOT
                    for a in accounts_in_ou(cfg, ou)
                    if a.name in unwatched
                }
            )
            if reached and named:
                problems.append(
                    Problem(
                        path_of(*loc),
                        f"permission set '{permission_set.name}' gives administrator-level access "
                        f"(it is privileged) in {_listing(reached)}; these accounts are outside "
                        "organization.baseline.targets, so they have no member baseline: no configuration "
                        "recorder, threat detection or break-glass alert would notice what is done with "
                        "that access there",
                        "assign a permission set without administrator access there (not privileged: true, "
                        "no AdministratorAccess policy), or add those accounts' OU to "
                        "organization.baseline.targets so that the baseline watches them",
                    )
                )
        for position, ou_path in enumerate(assignment.ous):
            if _suspended(ou_path):
                problems.append(
                    Problem(
                        path_of(*loc, "ous", position),
                        f"'{ou_path}' is a suspended OU: its accounts are being closed and nobody signs in",
                        f"remove '{ou_path}' from the assignment",
                    )
                )
        for position, name in enumerate(assignment.accounts):
            account = cfg.organization.account(name)
            if account is not None and _suspended(account.ou):
                problems.append(
                    Problem(
                        path_of(*loc, "accounts", position),
                        f"account '{name}' is in the suspended OU '{account.ou}': nobody signs in to it",
                        f"remove '{name}' from the assignment, or move the account out of '{account.ou}'",
                    )
                )
    return problems


LOG_OBJECT_LOCK_RULE = "BIO2-S3-LogBucketObjectLock"
"""The BIO2 rule that the log archive's GOVERNANCE mode fails (the BIO2 gate stops the synth)."""


def _risk_accepted(cfg: LandingZoneConfig, rule: str, key: str) -> bool:
    """Whether an entry of the bio2 section (a risk acceptance) names ``rule`` or the config ``key``."""
    bio2 = getattr(cfg, "bio2", None)
    for name in type(bio2).model_fields if bio2 is not None else ():
        entries = getattr(bio2, name)
        if not isinstance(entries, tuple):
            continue
        for item in entries:
            values = item.model_dump().values() if hasattr(item, "model_dump") else ()
            if any(
                value in (rule, key)
                or (isinstance(value, list | tuple) and {rule, key} & set(map(str, value)))
                for value in values
            ):
                return True
    return False


def lock_mode_problems(cfg: LandingZoneConfig) -> list[Problem]:
    """``object_lock_mode: GOVERNANCE`` fails the BIO2 gate at synth: say so at validate time (a notice,
    because the risk acceptance that lets it pass belongs to the bio2 section)."""
    if cfg.logging.object_lock_mode != "GOVERNANCE":
        return []
    if _risk_accepted(cfg, LOG_OBJECT_LOCK_RULE, "logging.object_lock_mode"):
        return []
    return [
        Problem(
            "logging.object_lock_mode",
            "GOVERNANCE mode lets anyone with s3:BypassGovernanceRetention delete logs early; the BIO2 gate "
            f"({LOG_OBJECT_LOCK_RULE}) refuses it and the synth would stop",
            "set logging.object_lock_mode: COMPLIANCE, or record the accepted risk of GOVERNANCE mode in the "
            f"bio2 section (reason, approver, expiry) for {LOG_OBJECT_LOCK_RULE}",
        )
    ]


def conflict_problems(cfg: LandingZoneConfig) -> list[Problem]:
    guardrails = cfg.organization.guardrails
    if not guardrails.attach.approved_services:
        return []
    restricted = _covered(cfg, guardrails.attach.approved_services) & _covered(
        cfg, cfg.organization.baseline.targets
    )
    if not restricted:
        return []
    problems: list[Problem] = []
    for switch, prefix in SERVICE_SWITCHES:
        value: object = cfg
        for part in switch.split("."):
            value = getattr(value, part)
        if value is True and prefix not in guardrails.approved_services:
            problems.append(
                Problem(
                    switch,
                    f"{switch} is on, but the approved-services guardrail denies {prefix} in "
                    f"{_listing(sorted(restricted))}, where the member baseline would enable it",
                    f"add {prefix} to organization.guardrails.approved_services, or switch {switch} off",
                )
            )
    return problems


_CHECKS: tuple[tuple[tuple[str, ...], Callable[[LandingZoneConfig], list[Problem]]], ...] = (
    (("network.firewall_rules", "network.vpcs", "network.on_premises_cidrs"), firewall_problems),
    (("network.vpcs", "network.firewall_rules", "organization.accounts"), isolation_problems),
    (("network.vpcs", "network.vpn", "organization.accounts", "regions"), routing_problems),
    (("organization.baseline", "organization.accounts", "organization.ous"), baseline_problems),
    (("organization.guardrails", "organization.accounts", "organization.ous"), guardrail_problems),
    (("identity.assignments", "organization.accounts", "organization.ous"), identity_problems),
    (
        ("organization.guardrails", "organization.baseline", "organization.accounts", "security"),
        conflict_problems,
    ),
    (("network", "regions", "organization.accounts"), capacity.network_problems),
    (("identity.saml_federation",), capacity.stackset_problems),
    (("organization", "regions"), capacity.scp_problems),
    (("regions", "logging"), capacity.key_policy_problems),
)
"""``(config paths a check reads, check)``: a problem already found under one of the paths skips it."""
