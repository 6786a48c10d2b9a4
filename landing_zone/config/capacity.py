"""Capacity prediction: CloudFormation and Organizations limits, checked on the configuration.

Synthesis would hit these limits late (CloudFormation refuses a stack of more than 500 resources
or a template over 1 MB only at deploy time; Organizations refuses a sixth SCP on a target when
the policy is attached). Each prediction here names the configuration paths that drive the
number and a fix a platform engineer can apply in ``landing-zone.yaml``:

- **network stack** (one per allowed region): resources and template size grow with the spoke
  VPCs of the region (:func:`network_stack_resources`, calibrated against synthesized templates
  by ``tests/config/test_config_capacity.py``). The network of a region is one stack: the
  Transit Gateway route tables, the inspection VPC's routes back to every spoke and the firewall
  policy have to be in the same stack, so the landing zone does not split a region's network
  over several stacks (yet): the limit is refused here with the number of spokes that fit.
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
"""A spoke of another account: route table association and propagation."""
LOCAL_VPC_RESOURCES = 40
"""A VPC the network account builds itself (the shared VPC), without its endpoints."""
CENTRAL_ENDPOINT_RESOURCES = 4
"""Per central interface endpoint: endpoint, hosted zone, records, profile association."""
VPN_RESOURCES = 6
"""Per VPN connection: customer gateway, connection, attachment lookup, association, propagation."""
BYTES_PER_RESOURCE = 900
"""Average template bytes per network resource (routes and associations are small)."""

BASELINE_BODY_BYTES = 32_000
"""The member baseline's StackSet body without SAML federation (about 30,500 bytes measured, plus
room for the optional parts)."""
SAML_ROLE_BYTES = 900
"""Per SAML role in the baseline: the role, its trust policy and its policies."""


def _network_accounts(cfg: LandingZoneConfig) -> set[str]:
    return {account.name for account in cfg.organization.accounts if account.role == "network"}


def network_stack_resources(cfg: LandingZoneConfig) -> dict[str, int]:
    """Predicted resources of each region's network stack (``region -> count``)."""
    from landing_zone.network.plan import region_plans

    counts: dict[str, int] = {}
    for plan in region_plans(cfg):
        count = NETWORK_BASE_RESOURCES
        if plan.inspection is not None:
            zones = plan.inspection.availability_zones
            count += INSPECTION_RESOURCES
            count += ROUTES_PER_INTERNAL_CIDR_PER_ZONE * zones * len(plan.internal_cidrs)
            count += 3 * (1 + len(plan.on_premises))  # segment route tables -> inspection
            if plan.vpns:
                count += len(plan.spoke_cidrs)  # on-premises route table -> inspection
        count += LOCAL_VPC_RESOURCES * len(plan.local_vpcs)
        if plan.endpoint_vpc is not None:
            count += CENTRAL_ENDPOINT_RESOURCES * len(plan.endpoint_services)
        count += ATTACHED_SPOKE_RESOURCES * sum(
            1 for vpc in plan.remote_vpcs if vpc.transit_gateway_attachment_id
        )
        count += VPN_RESOURCES * len(plan.vpns)
        counts[plan.region] = count
    return counts


def spokes_that_fit(cfg: LandingZoneConfig, region: str, predicted: int) -> int:
    """How many attached spokes of other accounts the region's stack can take in total."""
    from landing_zone.network.plan import region_plans

    plan = next(p for p in region_plans(cfg) if p.region == region)
    attached = sum(1 for vpc in plan.remote_vpcs if vpc.transit_gateway_attachment_id)
    zones = plan.inspection.availability_zones if plan.inspection is not None else 0
    per_spoke = ATTACHED_SPOKE_RESOURCES + ROUTES_PER_INTERNAL_CIDR_PER_ZONE * zones + (1 if plan.vpns else 0)
    room = MAX_RESOURCES - (predicted - per_spoke * attached)
    return max(room // per_spoke, 0)


def network_problems(cfg: LandingZoneConfig) -> list[Problem]:
    problems: list[Problem] = []
    for region, count in network_stack_resources(cfg).items():
        size = count * BYTES_PER_RESOURCE
        if count <= MAX_RESOURCES and size <= MAX_TEMPLATE_BYTES:
            continue
        spokes = [
            index
            for index, vpc in enumerate(cfg.network.vpcs)
            if vpc.region == region and vpc.segment != "inspection"
        ]
        fit = spokes_that_fit(cfg, region, count)
        attached = [
            index
            for index in spokes
            if cfg.network.vpcs[index].transit_gateway_attachment_id
            and cfg.network.vpcs[index].account not in _network_accounts(cfg)
        ]
        # the first spoke that does not fit, else the region's first VPC
        over = attached[fit] if len(attached) > fit else (spokes[0] if spokes else None)
        first = path_of("network", "vpcs", over) if over is not None else "network.vpcs"
        problems.append(
            Problem(
                first,
                f"the network stack of {region} would have about {count} resources ({len(spokes)} VPCs in "
                f"{region}, network.vpcs); CloudFormation allows {MAX_RESOURCES} per stack, which leaves "
                f"room for about {fit} attached spoke VPCs of other accounts in one region",
                f"put at most {fit} attached spoke VPCs in {region}: give the others a region of their own "
                "from regions.allowed (each region has its own network stack), or leave "
                "transit_gateway_attachment_id out of VPCs that need no connection yet. One region's "
                "network is a single stack in this version of the landing zone",
            )
        )
    return problems


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
