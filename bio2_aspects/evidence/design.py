"""Design facts read from the synthesized templates, for the HLD chapter (``manifest["design"]``).

What is built, with the values that make the design (OU tree and guardrails, identity and
break-glass roles, log trails and retention terms, network segments, firewall policy, VPNs,
backup rules with their retention, classification tags), each row with the measures its
resource evidences. Generic over CloudFormation types: the engine knows no landing-zone
component. Values only known at deploy time are shown as references, never as a guess.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from bio2_aspects.engine import StackEvaluation

CLASSIFICATION_TAGS = ("bio2:confidentiality", "bio2:integrity", "bio2:availability")


def show(value: Any) -> str:
    """A property value as text: scalars as written, intrinsics as the reference they make."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, list):
        return ", ".join(show(v) for v in value)
    if isinstance(value, dict) and len(value) == 1:
        key, arg = next(iter(value.items()))
        if key == "Ref":
            return f"Ref {arg}"
        if key == "Fn::GetAtt":
            return f"GetAtt {'.'.join(arg) if isinstance(arg, list) else arg}"
        if key == "Fn::Join" and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], list):
            return "".join(show(v) if not isinstance(v, str) else v for v in arg[1])
        return f"({key})"
    return "(computed)"


def _get(props: dict[str, Any], *keys: str) -> Any:
    cur: Any = props
    for k in keys:
        if not isinstance(cur, dict):
            return None
        cur = cur.get(k)
    return cur


def _has_key(value: Any, needle: str) -> bool:
    return needle in json.dumps(value, sort_keys=True)


Row = dict[str, Any]
#: section -> resource type -> function(properties) -> list of field dicts (one row each)
_EXTRACT: dict[str, dict[str, Callable[[dict[str, Any]], list[Row]]]] = {
    "organization": {
        "AWS::Organizations::OrganizationalUnit": lambda p: [
            {"name": show(p.get("Name")), "parent": show(p.get("ParentId"))}
        ],
        "AWS::Organizations::Policy": lambda p: [
            {"name": show(p.get("Name")), "type": show(p.get("Type")), "targets": show(p.get("TargetIds"))}
        ],
    },
    "identity": {
        "AWS::SSO::PermissionSet": lambda p: [
            {
                "name": show(p.get("Name")),
                "session": show(p.get("SessionDuration")),
                "managed_policies": show(p.get("ManagedPolicies")),
            }
        ],
        "AWS::IAM::Role": lambda p: (
            []
            if not isinstance(p.get("RoleName"), str)
            else [
                {
                    "name": p["RoleName"],
                    "max_session": show(p.get("MaxSessionDuration")),
                    "mfa_required": "true"
                    if _has_key(p.get("AssumeRolePolicyDocument"), "MultiFactorAuth")
                    else "",
                }
            ]
        ),
    },
    "logging": {
        "AWS::CloudTrail::Trail": lambda p: [
            {
                "name": show(p.get("TrailName")),
                "multi_region": show(p.get("IsMultiRegionTrail")),
                "organization": show(p.get("IsOrganizationTrail")),
                "validation": show(p.get("EnableLogFileValidation")),
            }
        ],
        "AWS::S3::Bucket": lambda p: (
            []
            if not _get(p, "ObjectLockConfiguration", "Rule")
            else [
                {
                    "object_lock": show(
                        _get(p, "ObjectLockConfiguration", "Rule", "DefaultRetention", "Mode")
                    ),
                    "days": show(_get(p, "ObjectLockConfiguration", "Rule", "DefaultRetention", "Days")),
                    "years": show(_get(p, "ObjectLockConfiguration", "Rule", "DefaultRetention", "Years")),
                }
            ]
        ),
    },
    "network": {
        "AWS::EC2::VPC": lambda p: [{"cidr": show(p.get("CidrBlock") or p.get("Ipv4IpamPoolId"))}],
        "AWS::EC2::Subnet": lambda p: [
            {"cidr": show(p.get("CidrBlock")), "az": show(p.get("AvailabilityZone"))}
        ],
        "AWS::EC2::TransitGatewayRouteTable": lambda p: [
            {"name": show(next((t.get("Value") for t in p.get("Tags") or [] if t.get("Key") == "Name"), ""))}
        ],
        "AWS::NetworkFirewall::FirewallPolicy": lambda p: [
            {
                "name": show(p.get("FirewallPolicyName")),
                "rule_order": show(_get(p, "FirewallPolicy", "StatefulEngineOptions", "RuleOrder")),
                "default": show(_get(p, "FirewallPolicy", "StatefulDefaultActions")),
            }
        ],
        "AWS::NetworkFirewall::RuleGroup": lambda p: [
            {
                "name": show(p.get("RuleGroupName")),
                "type": show(p.get("Type")),
                "capacity": show(p.get("Capacity")),
            }
        ],
        "AWS::Route53Resolver::FirewallRuleGroup": lambda p: [
            {"name": show(p.get("Name")), "rules": str(len(p.get("FirewallRules") or []))}
        ],
        "AWS::EC2::CustomerGateway": lambda p: [
            {"ip": show(p.get("IpAddress")), "bgp_asn": show(p.get("BgpAsn")), "type": show(p.get("Type"))}
        ],
        "AWS::EC2::VPNConnection": lambda p: [
            {"type": show(p.get("Type")), "static_routes_only": show(p.get("StaticRoutesOnly"))}
        ],
    },
    "backup": {
        "AWS::Backup::BackupPlan": lambda p: [
            {
                "plan": show(_get(p, "BackupPlan", "BackupPlanName")),
                "rule": show(r.get("RuleName")),
                "schedule": show(r.get("ScheduleExpression")),
                "delete_after_days": show(_get(r, "Lifecycle", "DeleteAfterDays")),
                "copies": str(len(r.get("CopyActions") or [])),
            }
            for r in (_get(p, "BackupPlan", "BackupPlanRule") or [])
            if isinstance(r, dict)
        ],
        "AWS::Backup::BackupVault": lambda p: [
            {
                "name": show(p.get("BackupVaultName")),
                "lock_min_days": show(_get(p, "LockConfiguration", "MinRetentionDays")),
                "lock_max_days": show(_get(p, "LockConfiguration", "MaxRetentionDays")),
            }
        ],
        "AWS::Backup::RestoreTestingPlan": lambda p: [
            {"name": show(p.get("RestoreTestingPlanName")), "schedule": show(p.get("ScheduleExpression"))}
        ],
    },
}
SECTIONS: tuple[str, ...] = (*_EXTRACT, "classification")


def design_facts(evaluations: Sequence[StackEvaluation]) -> dict[str, Any]:
    """Per section the designed resources with their values and the measures they evidence."""
    out: dict[str, list[Row]] = {s: [] for s in _EXTRACT}
    tags: dict[str, Counter[str]] = {k: Counter() for k in CLASSIFICATION_TAGS}
    for ev in evaluations:
        st = ev.stack
        for lid in sorted(st.resources):
            body = st.resources[lid]
            if not isinstance(body, dict):
                continue
            rtype = body.get("Type")
            props = body.get("Properties") if isinstance(body.get("Properties"), dict) else {}
            for tag in props.get("Tags") or [] if isinstance(props.get("Tags"), list) else []:
                if isinstance(tag, dict) and tag.get("Key") in tags and isinstance(tag.get("Value"), str):
                    tags[tag["Key"]][tag["Value"]] += 1
            for section, by_type in _EXTRACT.items():
                extract = by_type.get(rtype)
                if extract is None:
                    continue
                for fields in extract(props):
                    out[section].append(
                        {
                            "stack": st.stack_name,
                            "region": st.region,
                            "logical_id": lid,
                            "type": rtype,
                            "fields": fields,
                            "measures": list(ev.satisfied.get(lid, ())),
                        }
                    )
    return {
        **out,
        "classification": {k: dict(sorted(v.items())) for k, v in tags.items()},
    }
