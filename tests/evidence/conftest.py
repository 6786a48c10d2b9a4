"""An in-memory BIO2 manifest for the exporter tests, built without running a synth.

:func:`build_fixture_manifest` mirrors the status logic of
``bio2_aspects.evidence.manifest.build_manifest`` on a small, hand-written landing zone: five
stacks, resources of every landing-zone component, rules that pass, fail and fail with an
acknowledgement, preventive and detective declarations, owners, exclusions and inherited
measures. It has a row for each of the 117 measures and 93 controls of the real catalog and is
validated against the manifest JSON Schema, so the exporters are tested against the contract.
``scale`` multiplies the workload resources, for the performance test.

Some texts carry HTML and ``</script>`` on purpose: the HTML report must show them literally.
"""

from __future__ import annotations

import copy
import hashlib
from collections import Counter, defaultdict
from typing import Any

import jsonschema
import pytest

from bio2_aspects.catalog import load_catalog
from bio2_aspects.evidence.manifest import SCHEMA_VERSION, STATUSES
from bio2_aspects.evidence.schema import manifest_schema

THEMES = ("organisational", "people", "physical", "technological")
HOSTILE = '</script><script>window.__bio2_xss = 1</script><b>not bold</b> & "quoted"'

#: stack -> (account, region)
STACKS: dict[str, tuple[str, str]] = {
    "lz-management-eu-central-1": ("111111111111", "eu-central-1"),
    "lz-log-archive-eu-central-1": ("222222222222", "eu-central-1"),
    "lz-security-eu-central-1": ("333333333333", "eu-central-1"),
    "lz-security-eu-west-1": ("333333333333", "eu-west-1"),
    "lz-network-eu-central-1": ("444444444444", "eu-central-1"),
}

#: (stack, logical ID, type, construct path below the stack)
RESOURCES: list[tuple[str, str, str, str]] = [
    (
        "lz-management-eu-central-1",
        "OrgRootScp1A2B3C",
        "AWS::Organizations::Policy",
        "Organization/DenyRootScp",
    ),
    (
        "lz-management-eu-central-1",
        "OrgRegionScp4D5E6F",
        "AWS::Organizations::Policy",
        "Organization/RegionScp",
    ),
    (
        "lz-management-eu-central-1",
        "OuWorkloads7A8B9C",
        "AWS::Organizations::OrganizationalUnit",
        "Organization/Workloads",
    ),
    (
        "lz-management-eu-central-1",
        "OuSecurity1C2D3E",
        "AWS::Organizations::OrganizationalUnit",
        "Organization/Security",
    ),
    ("lz-management-eu-central-1", "PermSetAdmin9F8E7D", "AWS::SSO::PermissionSet", "Identity/Admin"),
    ("lz-management-eu-central-1", "PermSetAudit6C5B4A", "AWS::SSO::PermissionSet", "Identity/Auditor"),
    ("lz-management-eu-central-1", "BreakGlassRole3E2F1A", "AWS::IAM::Role", "Identity/BreakGlass/Role"),
    ("lz-management-eu-central-1", "OrgTrailB1C2D3", "AWS::CloudTrail::Trail", "Logging/OrganizationTrail"),
    (
        "lz-management-eu-central-1",
        "BaselineStackSetA9B8",
        "AWS::CloudFormation::StackSet",
        "Baseline/StackSet",
    ),
    ("lz-log-archive-eu-central-1", "LogArchiveBucketE4F5", "AWS::S3::Bucket", "LogArchive/Bucket"),
    (
        "lz-log-archive-eu-central-1",
        "LogArchivePolicyA6B7",
        "AWS::S3::BucketPolicy",
        "LogArchive/Bucket/Policy",
    ),
    ("lz-log-archive-eu-central-1", "LogKeyC8D9E0", "AWS::KMS::Key", "LogArchive/Key"),
    (
        "lz-log-archive-eu-central-1",
        "ConfigRecorderF1A2",
        "AWS::Config::ConfigurationRecorder",
        "Config/Recorder",
    ),
    ("lz-log-archive-eu-central-1", "ConfigRuleTrailB3C4", "AWS::Config::ConfigRule", "Config/TrailEnabled"),
    ("lz-security-eu-central-1", "GuardDutyDetectorD5E6", "AWS::GuardDuty::Detector", "Security/GuardDuty"),
    ("lz-security-eu-central-1", "SecurityHubHubF7A8", "AWS::SecurityHub::Hub", "Security/SecurityHub"),
    ("lz-security-eu-central-1", "AlertsTopicB9C0", "AWS::SNS::Topic", "Security/Alerts/Topic"),
    ("lz-security-eu-west-1", "GuardDutyDetectorE1F2", "AWS::GuardDuty::Detector", "Security/GuardDuty"),
    ("lz-network-eu-central-1", "InspectionVpcA3B4", "AWS::EC2::VPC", "Network/InspectionVpc"),
    ("lz-network-eu-central-1", "WorkloadVpcC5D6", "AWS::EC2::VPC", "Network/WorkloadVpc"),
    ("lz-network-eu-central-1", "TransitGatewayE7F8", "AWS::EC2::TransitGateway", "Network/TransitGateway"),
    ("lz-network-eu-central-1", "FirewallA9B0", "AWS::NetworkFirewall::Firewall", "Network/Firewall"),
    ("lz-network-eu-central-1", "AdminSgC1D2", "AWS::EC2::SecurityGroup", "Network/AdminSg"),
    ("lz-network-eu-central-1", "BackupVaultE3F4", "AWS::Backup::BackupVault", "Backup/Vault"),
    ("lz-network-eu-central-1", "BackupPlanA5B6", "AWS::Backup::BackupPlan", "Backup/Plan"),
    ("lz-network-eu-central-1", "HandlerFnC7D8", "AWS::Lambda::Function", "Custom/Handler"),
]

#: id -> (level, measures, resource types, finding, fix)
RULES: dict[str, tuple[str, list[str], list[str], str, str]] = {
    "BIO2-CloudTrail-MultiRegion": (
        "error",
        ["5.18.01", "8.15.01"],
        ["AWS::CloudTrail::Trail"],
        "The trail does not record every region.",
        "Set isMultiRegionTrail: true.",
    ),
    "BIO2-CloudTrail-LogFileValidation": (
        "error",
        ["8.15.05"],
        ["AWS::CloudTrail::Trail"],
        "Log file integrity validation is off.",
        "Set enableFileValidation: true.",
    ),
    "BIO2-S3-Versioning": (
        "error",
        ["8.13.01"],
        ["AWS::S3::Bucket"],
        "The bucket is not versioned.",
        "Enable versioning on the bucket.",
    ),
    "BIO2-S3-Encryption": (
        "error",
        ["8.24.04"],
        ["AWS::S3::Bucket"],
        "The bucket is not encrypted with KMS.",
        "Set encryption: BucketEncryption.KMS.",
    ),
    "BIO2-S3-PublicAccessBlock": (
        "error",
        ["5.15.01", "8.03.01"],
        ["AWS::S3::Bucket"],
        "The bucket does not block public access.",
        "Set blockPublicAccess: BlockPublicAccess.BLOCK_ALL.",
    ),
    "BIO2-IAM-NoAdminWildcard": (
        "error",
        ["5.15.01", "8.02.01"],
        ["AWS::IAM::Role"],
        "The role allows every action on every resource.",
        "Grant the least privileges the role needs.",
    ),
    "BIO2-S3-TlsOnly": (
        "error",
        ["8.21.04"],
        ["AWS::S3::BucketPolicy"],
        "The bucket policy allows requests without TLS.",
        "Deny aws:SecureTransport false in the bucket policy.",
    ),
    "BIO2-KMS-KeyRotation": (
        "warning",
        ["8.24.04"],
        ["AWS::KMS::Key"],
        "Automatic key rotation is off.",
        "Set enableKeyRotation: true.",
    ),
    "BIO2-EC2-VpcFlowLogs": (
        "error",
        ["8.16.04", "8.21.02"],
        ["AWS::EC2::VPC"],
        "The VPC has no flow logs.",
        "Add a flow log to the VPC.",
    ),
    "BIO2-EC2-SgNoPublicAdminPorts": (
        "error",
        ["5.15.01", "8.20.02"],
        ["AWS::EC2::SecurityGroup"],
        "The security group opens admin ports to the internet.",
        "Restrict ingress on ports 22 and 3389.",
    ),
    "BIO2-Backup-VaultLock": (
        "error",
        ["8.13.01", "8.13.03"],
        ["AWS::Backup::BackupVault"],
        "The backup vault has no vault lock.",
        "Configure a vault lock.",
    ),
    "BIO2-SNS-KmsEncryption": (
        "warning",
        ["8.24.04"],
        ["AWS::SNS::Topic"],
        "The topic is not encrypted with KMS.",
        "Set masterKey on the topic.",
    ),
    "BIO2-Lambda-Tracing": (
        "warning",
        ["8.15.03"],
        ["AWS::Lambda::Function"],
        "The function has no tracing.",
        "Set tracing: ACTIVE.",
    ),
}

#: (rule, logical ID) -> acknowledgement reason, or None for an open violation; others pass.
FAILURES: dict[tuple[str, str], str | None] = {
    ("BIO2-EC2-VpcFlowLogs", "WorkloadVpcC5D6"): None,
    ("BIO2-EC2-SgNoPublicAdminPorts", "AdminSgC1D2"): "Bastion replaced by SSM in Q3; " + HOSTILE,
    ("BIO2-SNS-KmsEncryption", "AlertsTopicB9C0"): None,
    ("BIO2-Lambda-Tracing", "HandlerFnC7D8"): "Tracing costs outweigh the benefit for this handler.",
}

#: (logical ID, kind, measures, description, mechanism)
DECLARATIONS: list[tuple[str, str, list[str], str, str]] = [
    ("OrgRootScp1A2B3C", "preventive", ["5.16.02", "8.18.01"], "The SCP denies root user actions.", "SCP"),
    ("OrgRegionScp4D5E6F", "preventive", ["8.03.01"], "The SCP denies regions outside the EU.", "SCP"),
    (
        "ConfigRuleTrailB3C4",
        "detective",
        ["8.15.05", "8.15.04"],
        "AWS Config checks that the trail runs.",
        "Config rule",
    ),
    (
        "GuardDutyDetectorD5E6",
        "detective",
        ["8.07.04", "8.21.02"],
        "GuardDuty detects malware and C2 traffic.",
        "GuardDuty",
    ),
    (
        "SecurityHubHubF7A8",
        "detective",
        ["8.08.04"],
        "Security Hub runs the CIS and FSBP standards: " + HOSTILE,
        "Security Hub",
    ),
]

OWNERS: list[dict[str, Any]] = [
    {"scope": "organisational", "name": "CISO office", "contact": "ciso@gemeente-voorbeeld.nl"},
    {"scope": "people", "name": "HR director", "contact": None},
    {"scope": "8.2", "name": "Platform team lead", "contact": "platform@gemeente-voorbeeld.nl"},
    {"scope": "5.17.02", "name": "Workplace services", "contact": "werkplek@gemeente-voorbeeld.nl"},
]

#: measure or control ID -> (justification, risk assessment)
EXCLUSIONS: dict[str, tuple[str, str | None]] = {
    "8.01.01": (
        "No mobile devices access the landing zone; all access is through managed workstations.",
        "RA-2025-07",
    ),
    "7.5": ("The organisation runs no data centre of its own; AWS carries the physical environment.", None),
}

INHERITED_BASIS = (
    "Carried by AWS for the data centres and the underlying infrastructure; the attestations are "
    "available through AWS Artifact."
)


def _measure_key(mid: str) -> tuple[int, ...]:
    return tuple(int(p) for p in mid.split("."))


def _owner(owners: list[dict[str, Any]], *keys: str) -> dict[str, Any] | None:
    by_scope = {o["scope"]: o for o in owners}
    for key in keys:
        if key in by_scope:
            o = by_scope[key]
            return {"name": o["name"], "contact": o["contact"], "scope": o["scope"]}
    return None


def _exclusion(*ids: str) -> dict[str, Any] | None:
    for i in ids:
        if i in EXCLUSIONS:
            just, ra = EXCLUSIONS[i]
            return {"id": i, "justification": just, "risk_assessment": ra}
    return None


def _aggregate(statuses: list[str]) -> str:
    s = set(statuses)
    if s == {"gap"}:
        return "gap"
    if s & {"gap", "partially_implemented"}:
        return "partially_implemented"
    if "implemented" in s:
        return "implemented"
    if "organisational" in s:
        return "organisational"
    return "inherited"


def _resources(scale: int) -> list[tuple[str, str, str, str]]:
    out = list(RESOURCES)
    # Workload-like buckets and keys, to reach realistic sizes for the performance test.
    for i in range(max(0, scale - 1) * 40):
        stack = "lz-log-archive-eu-central-1"
        kind = ("AWS::S3::Bucket", "AWS::KMS::Key", "AWS::S3::BucketPolicy", "AWS::IAM::Role")[i % 4]
        short = kind.rsplit("::", 1)[1]
        out.append((stack, f"Workload{short}{i:05d}", kind, f"Workloads/W{i:05d}/{short}"))
    return out


def build_fixture_manifest(*, language: str = "en", scale: int = 1) -> dict[str, Any]:
    """A schema-valid manifest with every status, evidence kind, accepted risks and open violations."""
    catalog = load_catalog()
    resources = _resources(scale)
    for rid, (_level, measures, _types, _f, _x) in RULES.items():
        for m in measures:
            assert catalog.is_measure_id(m), f"{rid}: {m} is not a catalog measure"
    for _lid, _kind, measures, _d, _m in DECLARATIONS:
        for m in measures:
            assert catalog.is_measure_id(m), m

    evidence: dict[str, list[dict[str, Any]]] = defaultdict(list)
    violations: list[dict[str, Any]] = []
    passed: dict[tuple[str, str], set[str]] = defaultdict(set)
    failed: dict[tuple[str, str], set[str]] = defaultdict(set)
    res_vios: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for stack, lid, rtype, path in resources:
        account, region = STACKS[stack]
        base = {"stack": stack, "account": account, "region": region}
        full_path = f"{stack}/{path}"
        for rid, (level, measures, types, finding, fix) in RULES.items():
            if rtype not in types:
                continue
            failing = (rid, lid) in FAILURES
            reason = FAILURES.get((rid, lid))
            detail = f"{rtype.rsplit('::', 1)[1]} {lid}: " + ("non-compliant" if failing else "compliant")
            item = {
                **base,
                "kind": "verified",
                "rule": rid,
                "result": "fail" if failing else "pass",
                "path": full_path,
                "logical_id": lid,
                "resource_type": rtype,
                "detail": detail,
                "acknowledgement_reason": reason if failing else None,
            }
            for m in measures:
                evidence[m].append(item)
            (failed if failing else passed)[(stack, lid)].update(measures)
            if failing:
                violations.append(
                    {
                        "rule": rid,
                        "level": level,
                        "stack": stack,
                        "path": full_path,
                        "logical_id": lid,
                        "resource_type": rtype,
                        "finding": finding,
                        "detail": detail,
                        "fix": fix,
                        "acknowledged": reason is not None,
                        "acknowledgement_reason": reason,
                    }
                )
                res_vios[(stack, lid)].append(
                    {"rule": rid, "level": level, "detail": detail, "acknowledged": reason}
                )
    where = {lid: (stack, rtype, path) for stack, lid, rtype, path in resources}
    unbacked: list[dict[str, Any]] = []
    for lid, kind, measures, description, mechanism in DECLARATIONS:
        stack, rtype, path = where[lid]
        account, region = STACKS[stack]
        item = {
            "stack": stack,
            "account": account,
            "region": region,
            "kind": kind,
            "rule": None,
            "result": "declared",
            "path": f"{stack}/{path}",
            "logical_id": lid,
            "resource_type": rtype,
            "detail": description,
            "mechanism": mechanism,
            "acknowledgement_reason": None,
        }
        for m in measures:
            evidence[m].append(item)
    unbacked.append(
        {
            "stack": "lz-management-eu-central-1",
            "account": "111111111111",
            "region": "eu-central-1",
            "path": "lz-management-eu-central-1/Orphan/Declaration",
            "kind": "preventive",
            "measures": ["8.09.01"],
        }
    )

    measures_out: list[dict[str, Any]] = []
    for entry in catalog.measures:
        control = catalog.control(entry.control)
        theme = control.theme.value
        items = sorted(
            evidence.get(entry.id, []),
            key=lambda i: (i["kind"], i["stack"], i["logical_id"], i["rule"] or "", i["result"]),
        )
        owner = _owner(OWNERS, entry.id, entry.control, theme)
        exclusion = _exclusion(entry.id, entry.control)
        passes = [i for i in items if i["result"] in ("pass", "declared")]
        fails = [i for i in items if i["result"] == "fail" and not i["acknowledgement_reason"]]
        accepted = [i for i in items if i["result"] == "fail" and i["acknowledgement_reason"]]
        basis: str | None = None
        nature, responsibility = entry.nature.value, entry.responsibility.value
        if exclusion is not None:
            status, basis = "excluded", exclusion["justification"]
        elif passes and not fails and not accepted:
            status = "implemented"
        elif passes:
            status = "partially_implemented"
        elif fails or accepted:
            status = "gap"
        elif responsibility == "cloud_provider":
            status, basis = "inherited", INHERITED_BASIS
        elif (nature == "organisational" or responsibility == "organisation") and owner:
            status, basis = "organisational", f"Process owned by {owner['name']}."
        else:
            status = "gap"
        measures_out.append(
            {
                "id": entry.id,
                "control": entry.control,
                "theme": theme,
                "summary": entry.summary,
                "summary_nl": entry.summary_nl,
                "nature": nature,
                "responsibility": responsibility,
                "status": status,
                "basis": basis,
                "owner": owner,
                "exclusion": exclusion,
                "evidence": copy.deepcopy(items),
                "evidence_kinds": sorted({i["kind"] for i in passes}),
                "accepted_risks": [
                    {
                        "rule": i["rule"],
                        "stack": i["stack"],
                        "path": i["path"],
                        "logical_id": i["logical_id"],
                        "reason": i["acknowledgement_reason"],
                    }
                    for i in accepted
                ],
                "open_violations": len(fails),
            }
        )

    by_control: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in measures_out:
        by_control[m["control"]].append(m)
    controls_out: list[dict[str, Any]] = []
    for c in catalog.controls:
        theme = c.theme.value
        ms = by_control.get(c.id, [])
        exclusion = _exclusion(c.id)
        owner = _owner(OWNERS, c.id, c.id, theme)
        if exclusion is not None:
            status, applicable, justification = "excluded", False, exclusion["justification"]
        elif not ms:
            applicable = True
            justification = "Applicable: no BIO2 government measure; the ISO/IEC 27002 guidance applies."
            status = "inherited" if theme == "physical" else ("organisational" if owner else "gap")
        else:
            applicable = True
            justification = "Applicable: part of the BIO2 baseline."
            statuses = [m["status"] for m in ms if m["status"] != "excluded"]
            status = _aggregate(statuses) if statuses else "excluded"
        controls_out.append(
            {
                "id": c.id,
                "theme": theme,
                "title": c.title,
                "title_nl": c.title_nl,
                "applicable": applicable,
                "justification": justification,
                "status": status,
                "owner": owner,
                "measures": [m["id"] for m in ms],
            }
        )

    resources_out: list[dict[str, Any]] = []
    for stack, lid, rtype, path in sorted(resources, key=lambda r: (r[0], r[1])):
        account, region = STACKS[stack]
        ok = passed.get((stack, lid), set()) - failed.get((stack, lid), set())
        resources_out.append(
            {
                "stack": stack,
                "account": account,
                "region": region,
                "path": f"{stack}/{path}",
                "logical_id": lid,
                "type": rtype,
                "measures": sorted(ok, key=_measure_key),
                "violations": res_vios.get((stack, lid), []),
            }
        )
    violations.sort(key=lambda v: (v["stack"], v["logical_id"], v["rule"]))

    per_stack = Counter(r[0] for r in resources)
    templates = [
        {
            "file": f"{stack}.template.json",
            "stack": stack,
            "account": account,
            "region": region,
            "sha256": hashlib.sha256(stack.encode()).hexdigest(),
            "resources": per_stack[stack],
        }
        for stack, (account, region) in sorted(STACKS.items())
    ]
    per_theme = {t: Counter(m["status"] for m in measures_out if m["theme"] == t) for t in THEMES}
    kinds = Counter(k for m in measures_out for k in m["evidence_kinds"])
    totals = {
        "measures": len(measures_out),
        "controls": len(controls_out),
        "measures_by_status": {s: sum(1 for m in measures_out if m["status"] == s) for s in STATUSES},
        "controls_by_status": {s: sum(1 for c in controls_out if c["status"] == s) for s in STATUSES},
        "measures_by_theme": {t: {s: per_theme[t][s] for s in STATUSES} for t in THEMES},
        "measures_by_evidence_kind": {k: kinds[k] for k in ("verified", "preventive", "detective")},
        "violations": {
            "open_errors": sum(1 for v in violations if v["level"] == "error" and not v["acknowledged"]),
            "open_warnings": sum(1 for v in violations if v["level"] == "warning" and not v["acknowledged"]),
            "accepted": sum(1 for v in violations if v["acknowledged"]),
        },
    }
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "bio2-aspects", "version": "0.1.0"},
        "catalog": {"name": "BIO2", "version": catalog.version, "iso": "ISO/IEC 27002:2022"},
        "organisation": "Gemeente Voorbeeld",
        "language": language,
        "templates": templates,
        "totals": totals,
        "measures": measures_out,
        "controls": controls_out,
        "resources": resources_out,
        "violations": violations,
        "unbacked_declarations": unbacked,
        "rules": [
            {
                "id": rid,
                "level": level,
                "measures": measures,
                "resource_types": sorted(types),
                "finding": finding,
                "fix": fix,
            }
            for rid, (level, measures, types, finding, fix) in sorted(RULES.items())
        ],
    }
    validate_manifest(manifest)
    return manifest


def validate_manifest(manifest: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``manifest`` meets the manifest JSON Schema."""
    jsonschema.Draft202012Validator(manifest_schema()).validate(manifest)


@pytest.fixture(scope="session")
def _base_manifest() -> dict[str, Any]:
    return build_fixture_manifest()


@pytest.fixture
def manifest(_base_manifest: dict[str, Any]) -> dict[str, Any]:
    """A fresh copy of the fixture manifest (English) for each test."""
    return copy.deepcopy(_base_manifest)


@pytest.fixture
def manifest_nl(_base_manifest: dict[str, Any]) -> dict[str, Any]:
    """The fixture manifest with Dutch as its language."""
    data = copy.deepcopy(_base_manifest)
    data["language"] = "nl"
    return data


@pytest.fixture(scope="session")
def make_manifest() -> Any:
    """The builder itself, for tests that need a variant (``make_manifest(scale=50)``)."""
    return build_fixture_manifest


@pytest.fixture(scope="session")
def check_manifest() -> Any:
    """The schema check, for tests that craft manifests."""
    return validate_manifest
