"""Capacity prediction: CloudFormation and Organizations limits, checked on the configuration.

Synthesis would hit these limits late (CloudFormation refuses a stack of more than 500 resources
or a template over 1 MB only at deploy time; Organizations refuses a sixth SCP on a target when
the policy is attached). Each prediction here names the configuration paths that drive the
number and a fix a platform engineer can apply in ``landing-zone.yaml``:

- **network stacks**: a region's network is split over stacks in the network account (see
  :mod:`landing_zone.network.spokes`): the hub ``lz-network-<region>`` (Transit Gateway, route
  tables, inspection VPC, the network account's own VPCs, VPN, DNS) and up to four spoke stacks
  ``lz-network-<region>-spokes-<n>`` that carry, per spoke VPC of another account, its
  association, propagation and the inspection VPC's routes back to it. The resources of every
  stack are predicted (:func:`network_stack_resources`, calibrated against synthesized templates
  by ``tests/config/test_config_capacity.py``) and refused over 500 with the VPC where the stack
  overflows. The hub grows only with the network account's own VPCs, the central endpoints and,
  with a VPN, one on-premises route per spoke; a spoke stack with its spokes (2 + 2 per
  inspection zone each, about 60 per stack). AWS quotas that bind before CloudFormation does:
  Transit Gateway attachments per gateway (5,000), routes per VPC route table (1,000 at most; the
  inspection VPC's firewall and public route tables hold one route per spoke and on-premises
  range), refused; past the default of 50 routes per route table ``validate`` prints a notice
  with the quota to raise (:func:`notices`).
- **member baseline StackSet body** (51,200 bytes inline): the fixed baseline plus the SAML
  metadata and roles of ``identity.saml_federation``.
- **service control policies**: the document size of each packed policy and the number of
  policies per root, OU or account (5, counting ``FullAWSAccess``), with the guardrail keys
  attached there.
- **key policies** (32,768 bytes): the largest, the log archive key's, grows only with the
  allowed regions and the SIEM reader; the prediction keeps it honest (far below the limit for
  every region count the commercial partition has).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from landing_zone.config.errors import Problem, path_of

if TYPE_CHECKING:
    from landing_zone.config.model import LandingZoneConfig
    from landing_zone.config.sections.network import Vpc
    from landing_zone.network.plan import RegionPlan

MAX_RESOURCES = 500
"""CloudFormation: resources per stack."""
MAX_TEMPLATE_BYTES = 1_000_000
"""CloudFormation: template size when uploaded to S3 (the CDK uploads large templates)."""
MAX_STACKSET_BODY = 51_200
"""CloudFormation: an inline ``TemplateBody`` (the member-baseline StackSet)."""

# Calibrated on synthesized templates (tests/config/test_config_capacity.py keeps them honest):
NETWORK_BASE_RESOURCES = 15
"""Transit Gateway, its route tables, DNS firewall, RAM share and outputs of a region's network stack."""
INSPECTION_RESOURCES = 60
"""The inspection VPC: subnets, route tables, NAT gateways, firewall, policy, rule groups, logging."""
ROUTES_PER_INTERNAL_CIDR_PER_ZONE = 2
"""The inspection VPC routes every spoke and on-premises range back to the Transit Gateway from its
firewall and public subnets, in every availability zone."""
ATTACHED_SPOKE_RESOURCES = 2
"""A spoke of another account: route table association and propagation (in its spoke stack)."""
LOCAL_VPC_RESOURCES = 40
"""A VPC the network account builds itself (the shared VPC), without its endpoints."""
CENTRAL_ENDPOINT_RESOURCES = 4
"""Per central interface endpoint: endpoint, hosted zone, records, profile association."""
VPN_RESOURCES = 6
"""Per VPN connection: customer gateway, connection, attachment lookup, association, propagation."""
BYTES_PER_RESOURCE = 900
"""Average template bytes per network resource (routes and associations are small)."""
MAX_TGW_ATTACHMENTS = 5_000
"""AWS Transit Gateway: attachments per transit gateway (not adjustable)."""
MAX_ROUTES_PER_ROUTE_TABLE = 1_000
"""Amazon VPC: routes per route table, the most the quota can be raised to."""
DEFAULT_ROUTES_PER_ROUTE_TABLE = 50
"""Amazon VPC: routes per route table by default (Service Quotas code L-93826ACB)."""

BASELINE_BODY_BYTES = 32_000
"""The member baseline's StackSet body without SAML federation (about 30,500 bytes measured, plus
room for the optional parts)."""
SAML_ROLE_BYTES = 900
"""Per SAML role in the baseline: the role, its trust policy and its policies."""


def _network_accounts(cfg: LandingZoneConfig) -> set[str]:
    return {account.name for account in cfg.organization.accounts if account.role == "network"}


def _hub_base(plan: RegionPlan) -> int:
    """The hub stack without the on-premises routes to the spokes."""
    count = NETWORK_BASE_RESOURCES
    if plan.inspection is not None:
        zones = plan.inspection.availability_zones
        count += INSPECTION_RESOURCES
        count += ROUTES_PER_INTERNAL_CIDR_PER_ZONE * zones * len(plan.hub_internal_cidrs)
        count += 3 * (1 + len(plan.on_premises))  # segment route tables -> inspection
    count += LOCAL_VPC_RESOURCES * len(plan.local_vpcs)
    if plan.endpoint_vpc is not None:
        count += CENTRAL_ENDPOINT_RESOURCES * len(plan.endpoint_services)
    count += VPN_RESOURCES * len(plan.vpns)
    return count


def _hub_route_per_spoke(plan: RegionPlan) -> int:
    """With a VPN (and an inspection VPC) the hub's on-premises route table routes every spoke CIDR."""
    return 1 if plan.vpns and plan.inspection is not None else 0


def spoke_resources(plan: RegionPlan, vpc: Vpc) -> int:
    """What one spoke VPC of another account adds to its spoke stack."""
    zones = plan.inspection.availability_zones if plan.inspection is not None else 0
    attached = ATTACHED_SPOKE_RESOURCES if vpc.transit_gateway_attachment_id else 0
    return attached + ROUTES_PER_INTERNAL_CIDR_PER_ZONE * zones


def network_stack_resources(cfg: LandingZoneConfig) -> dict[str, int]:
    """Predicted resources of every network stack (``stack name -> count``): each region's hub and
    its spoke stacks."""
    from landing_zone.network.plan import network_stack_name as stack_name
    from landing_zone.network.plan import region_plans

    counts: dict[str, int] = {}
    for plan in region_plans(cfg):
        counts[stack_name(plan.region)] = _hub_base(plan) + _hub_route_per_spoke(plan) * len(plan.spoke_cidrs)
        for part, vpcs in plan.spoke_stacks().items():
            counts[stack_name(plan.region, part)] = sum(spoke_resources(plan, v) for v in vpcs)
    return counts


def _first_over(base: int, costs: list[tuple[int, int]], limit: int) -> int | None:
    """The config index of the item at which ``base`` plus the running sum of ``costs`` passes ``limit``."""
    total = base
    for index, cost in costs:
        total += cost
        if total > limit:
            return index
    return None


def network_problems(cfg: LandingZoneConfig) -> list[Problem]:
    from landing_zone.network.plan import SPOKE_STACKS, region_plans
    from landing_zone.network.plan import network_stack_name as stack_name

    vpcs = cfg.network.vpcs
    position = {id(vpc): index for index, vpc in enumerate(vpcs)}
    problems: list[Problem] = []
    for plan in region_plans(cfg):
        region = plan.region
        in_region = [index for index, vpc in enumerate(vpcs) if vpc.region == region]
        # The hub: on-premises ranges, the network account's own VPCs, with a VPN a route per spoke.
        hub = stack_name(region)
        zones = plan.inspection.availability_zones if plan.inspection is not None else 0
        per_range = ROUTES_PER_INTERNAL_CIDR_PER_ZONE * zones + 3 if zones else 0
        per_local = LOCAL_VPC_RESOURCES + ROUTES_PER_INTERNAL_CIDR_PER_ZONE * zones
        per_spoke = _hub_route_per_spoke(plan)
        costs = [(position[id(v)], per_local) for v in plan.local_vpcs]
        costs += [(position[id(v)], per_spoke) for v in plan.spokes]
        base = _hub_base(plan) - per_local * len(plan.local_vpcs)
        count = base + sum(cost for _, cost in costs)
        if count > MAX_RESOURCES or count * BYTES_PER_RESOURCE > MAX_TEMPLATE_BYTES:
            over = _first_over(base, sorted(costs), MAX_RESOURCES)
            if base > MAX_RESOURCES or over is None:
                where = "network.on_premises_cidrs"
            else:
                where = path_of("network", "vpcs", over)
            drivers = [
                f"{len(plan.on_premises)} on-premises range(s) (network.on_premises_cidrs, about {per_range} "
                "resources each)",
                f"{len(plan.local_vpcs)} VPC(s) of the network account (about {per_local} each)",
            ]
            if per_spoke:
                drivers.append(
                    f"{len(plan.spoke_cidrs)} spoke VPCs routed from the VPN's route table (1 each)"
                )
            problems.append(
                Problem(
                    where,
                    f"the network hub stack {hub} would have about {count} resources, for "
                    f"{'; '.join(drivers)}; CloudFormation allows {MAX_RESOURCES} per stack",
                    "summarise network.on_premises_cidrs into fewer, larger ranges; build fewer VPCs in the "
                    f"network account in {region} (VPCs of workload accounts go to the spoke stacks, not "
                    "the hub); or give some VPCs another region from regions.allowed (each region has its "
                    "own hub)",
                )
            )
        # The spoke stacks: each spoke's association, propagation and routes back from inspection.
        for part, members in plan.spoke_stacks().items():
            name = stack_name(region, part)
            costs = [(position[id(v)], spoke_resources(plan, v)) for v in members]
            count = sum(cost for _, cost in costs)
            if count <= MAX_RESOURCES and count * BYTES_PER_RESOURCE <= MAX_TEMPLATE_BYTES:
                continue
            over = _first_over(0, costs, MAX_RESOURCES)
            fit = sum(1 for index, _ in costs if over is None or index < over)
            problems.append(
                Problem(
                    path_of("network", "vpcs", over if over is not None else costs[0][0]),
                    f"the spoke stack {name} would have about {count} resources for {len(members)} "
                    f"spoke VPCs (a VPC's name picks one of the region's {SPOKE_STACKS} spoke stacks); "
                    f"CloudFormation allows {MAX_RESOURCES} per stack, room for about {fit} such spokes",
                    f"give the VPCs that do not fit another region from regions.allowed, or, for VPCs that "
                    f"are not deployed yet, other names (docs/network.md: how a name picks its stack); "
                    f"about {SPOKE_STACKS * fit} spoke VPCs fit in one region",
                )
            )
        # AWS quotas that no stack split lifts.
        attachments = [
            index
            for index in in_region
            if vpcs[index].segment != "inspection"
            and (vpcs[index].transit_gateway_attachment_id or vpcs[index].account in _network_accounts(cfg))
        ]
        fixed = (1 if plan.inspection is not None else 0) + len(plan.vpns)
        if len(attachments) + fixed > MAX_TGW_ATTACHMENTS:
            problems.append(
                Problem(
                    path_of("network", "vpcs", attachments[MAX_TGW_ATTACHMENTS - fixed]),
                    f"the Transit Gateway of {region} would have {len(attachments) + fixed} attachments; AWS "
                    f"allows {MAX_TGW_ATTACHMENTS:,} per transit gateway",
                    "give the VPCs past the limit another region from regions.allowed",
                )
            )
        routes = inspection_routes(plan)
        hub_full = any(p.message.startswith(f"the network hub stack {hub} ") for p in problems)
        if routes > MAX_ROUTES_PER_ROUTE_TABLE and not hub_full:  # the hub's error names the cause
            spokes = [index for index in in_region if vpcs[index].segment != "inspection"]
            room = MAX_ROUTES_PER_ROUTE_TABLE - (routes - len(plan.spoke_cidrs))
            problems.append(
                Problem(
                    path_of("network", "vpcs", spokes[room])
                    if 0 <= room < len(spokes)
                    else "network.on_premises_cidrs",
                    f"the inspection VPC's route tables in {region} would hold {routes} routes (one per "
                    "spoke VPC and network.on_premises_cidrs range, and the default route); Amazon VPC "
                    f"allows at most {MAX_ROUTES_PER_ROUTE_TABLE:,} per route table, even with a raised "
                    "quota",
                    "give some spoke VPCs another region from regions.allowed, or summarise "
                    "network.on_premises_cidrs into fewer, larger ranges",
                )
            )
    return problems


def inspection_routes(plan: RegionPlan) -> int:
    """Routes in each of the inspection VPC's firewall and public route tables: the default route
    and one per internal range (spokes and on-premises); 0 without an inspection VPC."""
    return 1 + len(plan.internal_cidrs) if plan.inspection is not None else 0


def notices(cfg: LandingZoneConfig) -> list[Problem]:
    """Limits that a quota increase lifts: not errors, but the deployment fails without it."""
    from landing_zone.network.plan import region_plans

    out = []
    for plan in region_plans(cfg):
        routes = inspection_routes(plan)
        if DEFAULT_ROUTES_PER_ROUTE_TABLE < routes <= MAX_ROUTES_PER_ROUTE_TABLE:
            out.append(
                Problem(
                    "network.vpcs",
                    f"the inspection VPC's route tables in {plan.region} hold {routes} routes (one per spoke "
                    "VPC and on-premises range, and the default route); Amazon VPC allows "
                    f"{DEFAULT_ROUTES_PER_ROUTE_TABLE} per route table unless the quota is raised",
                    "before deploying, raise the quota 'Routes per route table' (Service Quotas, Amazon "
                    f"VPC, L-93826ACB) to at least {routes} in the network account in {plan.region}",
                )
            )
    return out


def stackset_problems(cfg: LandingZoneConfig) -> list[Problem]:
    saml = cfg.identity.saml_federation
    if saml is None:
        return []
    metadata = len(json.dumps(saml.metadata_xml.strip(), ensure_ascii=False).encode("utf-8"))
    predicted = BASELINE_BODY_BYTES + metadata + SAML_ROLE_BYTES * len(saml.roles)
    if predicted <= MAX_STACKSET_BODY:
        return []
    room = MAX_STACKSET_BODY - BASELINE_BODY_BYTES - SAML_ROLE_BYTES * len(saml.roles)
    return [
        Problem(
            "identity.saml_federation.metadata_xml",
            f"the member baseline's StackSet body would be about {predicted:,} bytes with this SAML metadata "
            f"({metadata:,} bytes as JSON) and {len(saml.roles)} role(s); CloudFormation takes at most "
            f"{MAX_STACKSET_BODY:,} bytes inline",
            f"shorten the metadata to at most about {max(room, 0):,} bytes: keep one signing certificate and "
            "the SingleSignOnService endpoints, drop Organization, ContactPerson, extension elements and "
            "encryption keys (export the IdP's metadata for a single application); or use fewer "
            "identity.saml_federation.roles, or Identity Center instead of direct SAML federation",
        )
    ]


def scp_problems(cfg: LandingZoneConfig) -> list[Problem]:
    from landing_zone.organization import plan
    from landing_zone.organization.policies import LIMITS, PolicyTooLarge, build_guardrails

    attach = cfg.organization.guardrails.attach
    try:
        policies = plan.pack(build_guardrails(cfg))
    except (PolicyTooLarge, plan.GuardrailError) as error:
        return [
            Problem(
                "organization.guardrails",
                f"a guardrail policy would be over its size quota: {error}",
                "attach fewer guardrails to the same targets, or shorten the lists they carry "
                "(approved_services, regions.allowed)",
            )
        ]
    attached: dict[tuple[str, str], list[str]] = {}
    keys_at: dict[tuple[str, str], list[str]] = {}
    for policy in policies:
        for target in policy.targets:
            attached.setdefault((policy.policy_type, target), []).append(policy.name)
            keys_at.setdefault((policy.policy_type, target), []).extend(policy.guardrails)
    problems: list[Problem] = []
    for (policy_type, target), names in sorted(attached.items()):
        limits = LIMITS.get(policy_type)
        if limits is None:
            continue
        every = [*limits.default_attached, *names]
        if len(every) <= limits.max_per_target:
            continue
        keys = keys_at[(policy_type, target)]
        paths = [path_of("organization", "guardrails", "attach", key) for key in keys]
        target_sets = sorted({tuple(getattr(attach, key)) for key in keys})
        problems.append(
            Problem(
                "organization.guardrails.attach",
                f"'{target}' would have {len(every)} policies of type {policy_type} attached "
                f"({', '.join(every)}); AWS Organizations allows {limits.max_per_target} per root, OU or "
                f"account. The guardrails attached there: {', '.join(paths)}, in {len(target_sets)} "
                "different target lists",
                "give these guardrails the same target list (for example all [Root]): guardrails attached "
                "to the same targets share one policy; or attach fewer of them at "
                f"'{target}'",
            )
        )
    return problems


MAX_KEY_POLICY_BYTES = 32_768
"""AWS KMS: a key policy document."""
KEY_POLICY_BASE_BYTES = 2_600
"""The log archive key's policy without its per-region and per-principal parts (2,382 bytes measured
for the example with two regions)."""
KEY_POLICY_REGION_BYTES = 40
"""Per allowed region: the log delivery source ARN pattern in the log archive key's policy."""


def log_archive_key_policy_bytes(cfg: LandingZoneConfig) -> int:
    """Predicted size of the largest key policy (the log archive key's): it grows with
    ``regions.allowed`` and the SIEM reader's role ARN (``logging.siem.reader_arn``)."""
    siem = getattr(cfg.logging, "siem", None)
    reader = len(str(getattr(siem, "reader_arn", "") or "")) if siem is not None else 0
    return KEY_POLICY_BASE_BYTES + KEY_POLICY_REGION_BYTES * len(cfg.regions.allowed) + 2 * reader


def key_policy_problems(cfg: LandingZoneConfig) -> list[Problem]:
    size = log_archive_key_policy_bytes(cfg)
    if size <= MAX_KEY_POLICY_BYTES:
        return []
    return [
        Problem(
            "regions.allowed",
            f"the log archive key's policy would be about {size:,} bytes; AWS KMS takes at most "
            f"{MAX_KEY_POLICY_BYTES:,}",
            "allow fewer regions in regions.allowed",
        )
    ]


def check(cfg: LandingZoneConfig) -> list[Problem]:
    """Every capacity prediction (see the module docstring)."""
    return [*network_problems(cfg), *stackset_problems(cfg), *scp_problems(cfg), *key_policy_problems(cfg)]
