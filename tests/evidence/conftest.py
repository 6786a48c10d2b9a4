"""An in-memory BIO2 manifest for the exporter tests, built without running a synth.

:func:`build_fixture_manifest` runs the engine's own status logic
(``bio2_aspects.evidence.manifest.measures_and_controls`` and ``totals``) on a small,
hand-written landing zone: five
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
from unittest import mock

import jsonschema
import pytest

from bio2_aspects.catalog import load_catalog
from bio2_aspects.catalog.facets import Facet, facets_of
from bio2_aspects.evidence import models
from bio2_aspects.evidence.manifest import SCHEMA_VERSION, detail_fields, measures_and_controls, totals
from bio2_aspects.evidence.manifest import _acceptance_json as acceptance_json
from bio2_aspects.evidence.manifest import _exclusion_json as exclusion_json
from bio2_aspects.evidence.schema import manifest_schema
from bio2_aspects.messages import msg
from bio2_aspects.scope import Attestation, Document, Exclusion, Owner, RiskAcceptance, Scope

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


#: The fixture's generation date: expiry and review dates are judged against it.
TODAY = "2026-12-01"

#: (rule, measure) pairs mapped with strength ``full``; every other pair is ``supporting``.
FULL_PAIRS: set[tuple[str, str]] = {
    ("BIO2-S3-Versioning", "8.13.01"),
    ("BIO2-S3-TlsOnly", "8.21.04"),
    ("BIO2-CloudTrail-LogFileValidation", "8.15.05"),
    ("BIO2-S3-PublicAccessBlock", "8.03.01"),
}

ATTESTATIONS: tuple[Attestation, ...] = (
    Attestation(
        scope="5.01.01",
        owner="CISO office",
        document=Document("Informatiebeveiligingsbeleid 2026", "DMS-2026-001 " + HOSTILE, "2.1"),
        date="2026-03-01",
        approved_by="College van B&W",
        review_date="2027-03-01",
    ),
    Attestation(scope="5.01.02", owner="CISO office"),  # no document: attests nothing
    Attestation(
        scope="5.02.01",
        owner="CISO office",
        document=Document("Rollen en verantwoordelijkheden", "https://dms.example/ib-rollen", "1.0"),
        date="2024-01-15",
        approved_by="Directieraad",
        review_date="2025-01-15",  # overdue
    ),
)

RISK_ACCEPTANCES: tuple[RiskAcceptance, ...] = (
    RiskAcceptance(
        rule="BIO2-S3-LogBucketObjectLock",
        reason="Governance mode while the archive is migrated; compliance mode from Q2.",
        approved_by="CISO",
        date="2026-10-01",
        expires="2027-04-01",
    ),
)


#: Facets the fixture adds to the catalog's (whose data may still lack them): 8.21.04 has a
#: technical facet (evidenced in full) and an organisational one (not attested).
FIXTURE_FACETS: dict[str, tuple[Facet, ...]] = {
    "8.21.04": (
        Facet("8.21.04.t1", "8.21.04", "technical", "Encrypt traffic in transit.", "Versleutel verkeer."),
        Facet("8.21.04.o1", "8.21.04", "organisational", "Review the TLS policy.", "Herzie het TLS-beleid."),
    )
}


def fixture_facets_of(measure_id: str, nature: str | None = None) -> tuple[Facet, ...]:
    return FIXTURE_FACETS.get(measure_id) or facets_of(measure_id, nature)


def fixture_scope() -> Scope:
    """The organisation's scope decisions of the fixture, as the engine's ``Scope``."""
    return Scope(
        organisation="Gemeente Voorbeeld",
        owners=tuple(Owner(scope=o["scope"], owner=o["name"], contact=o["contact"]) for o in OWNERS),
        exclusions=tuple(
            Exclusion(id=i, justification=j, risk_assessment=ra, approved_by="CISO", date="2025-07-01")
            for i, (j, ra) in EXCLUSIONS.items()
        ),
        inherited_basis=INHERITED_BASIS,
        attestations=ATTESTATIONS,
        risk_acceptances=RISK_ACCEPTANCES,
    )


def _mapping(rule: str, measure: str) -> dict[str, Any]:
    return {
        "strength": "full" if (rule, measure) in FULL_PAIRS else "supporting",
        "facet": None,
        "rationale": {
            "en": f"{rule} checks part of {measure}.",
            "nl": f"{rule} toetst een deel van {measure}.",
        },
    }


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
            # A failure's detail is a message of the engine's catalog, as a rule writes it (translated
            # in the Dutch outputs); a pass keeps a plain text.
            detail = (
                msg(
                    "check.value_not",
                    path=f"{rtype.rsplit('::', 1)[1]}.{lid}",
                    found="'Disabled'",
                    expected="'Enabled'",
                )
                if failing
                else f"{rtype.rsplit('::', 1)[1]} {lid}: compliant"
            )
            item = {
                **base,
                "kind": "verified",
                "rule": rid,
                "result": "fail" if failing else "pass",
                "path": full_path,
                "logical_id": lid,
                "resource_type": rtype,
                **detail_fields(detail),
                "acknowledgement_reason": reason if failing else None,
            }
            for m in measures:
                evidence[m].append({**item, **_mapping(rid, m)})
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
                        **detail_fields(detail),
                        "fix": fix,
                        "acknowledged": reason is not None,
                        "acknowledgement_reason": reason,
                        "acceptance": None,
                    }
                )
                res_vios[(stack, lid)].append(
                    {"rule": rid, "level": level, **detail_fields(detail), "acknowledged": reason}
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
            "strength": "supporting",
            "facet": None,
            "rationale": {"en": "", "nl": ""},
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

    scope = fixture_scope()
    with mock.patch("bio2_aspects.evidence.status.facets_of", fixture_facets_of):
        measures_out, controls_out = measures_and_controls(catalog, evidence, scope, TODAY)

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
    totals_out = totals(measures_out, controls_out, violations)
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "audit": {
            "generated_at": TODAY + "T09:30:00Z",
            "generated_at_source": "SOURCE_DATE_EPOCH",
            "git": {"commit": "0123456789abcdef0123456789abcdef01234567", "dirty": False},
            "config": {"name": "landing-zone.yaml", "sha256": "ab" * 32, "basis": "file"},
            "versions": {
                "tool": "0.1.0",
                "catalog": catalog.version,
                "aws_cdk_lib": "2.0.0",
                "cdk_nag": None,
            },
        },
        "tool": {"name": "bio2-aspects", "version": "0.1.0"},
        "catalog": {"name": "BIO2", "version": catalog.version, "iso": "ISO/IEC 27002:2022"},
        "organisation": "Gemeente Voorbeeld",
        "language": language,
        "templates": templates,
        "totals": totals_out,
        "measures": measures_out,
        "controls": controls_out,
        "resources": resources_out,
        "violations": violations,
        # the builder's own helpers: the fixture's acceptances and exclusions are the engine's
        "risk_acceptances": [acceptance_json(a, TODAY, used=False) for a in scope.risk_acceptances],
        "exclusions": [exclusion_json(e, TODAY) for e in scope.exclusions],
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
    """Raise unless ``manifest`` meets the contract: the pydantic models and the JSON Schema
    generated from them."""
    models.validate(manifest)
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
def model(_base_manifest: dict[str, Any]) -> models.Manifest:
    """The fixture manifest as the model the exporters read (English; frozen, so shared)."""
    return models.validate(_base_manifest)


@pytest.fixture(scope="session")
def model_nl(_base_manifest: dict[str, Any]) -> models.Manifest:
    """The fixture manifest as the model, with Dutch as its language."""
    return models.validate({**_base_manifest, "language": "nl"})


@pytest.fixture(scope="session")
def make_manifest() -> Any:
    """The builder itself, for tests that need a variant (``make_manifest(scale=50)``)."""
    return build_fixture_manifest


@pytest.fixture(scope="session")
def check_manifest() -> Any:
    """The schema check, for tests that craft manifests."""
    return validate_manifest
