"""Remove a guarantee, and the evidence goes: assignments, justifications, the MFA condition,
Identity Center itself. Also the optional direct SAML federation."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from landing_zone.config import LandingZoneConfig, load_config, load_config_text
from landing_zone.config.loader import DEFAULT_CONFIG_PATH
from landing_zone.identity.break_glass import trust_policy
from landing_zone.identity.names import BREAK_GLASS_ROLE_NAME
from tests.synthkit import stage_path

pytestmark = pytest.mark.synth

MANAGEMENT = "lz-management-eu-central-1"
BASELINE = "lz-member-baseline"
PLATFORM_ADMIN = stage_path(f"{MANAGEMENT}/Identity/IdentityCenter/PermissionSet-platform-admin")
MANAGEMENT_BREAK_GLASS = stage_path(f"{MANAGEMENT}/Identity/BreakGlass/Role")
BASELINE_BREAK_GLASS = stage_path(f"member-baseline/{BASELINE}/Identity/BreakGlass/Role")
BILLING_ASSIGNMENT = "    - {group: aws-finance, permission_set: billing, accounts: [management]}\n"


def evidence_paths(manifest: dict[str, Any], measure_id: str, kind: str) -> set[str]:
    """Paths of the resources that give ``kind`` evidence (passing or declared) for a measure."""
    measure = next(m for m in manifest["measures"] if m["id"] == measure_id)
    return {
        e["path"] for e in measure["evidence"] if e["kind"] == kind and e["result"] in ("pass", "declared")
    }


def accepted_paths(manifest: dict[str, Any], measure_id: str) -> dict[str, str]:
    measure = next(m for m in manifest["measures"] if m["id"] == measure_id)
    return {r["path"]: r["reason"] for r in measure["accepted_risks"]}


class Synth:
    def __init__(self, outdir: Path) -> None:
        self.manifest: dict[str, Any] = json.loads((outdir / "bio2" / "manifest.json").read_text("utf-8"))
        self.templates = {
            t["stack"]: json.loads((outdir / t["file"]).read_text("utf-8"))
            for t in self.manifest["templates"]
        }

    def resources(self, cfn_type: str, stack: str | None = None) -> list[tuple[str, str, dict]]:
        return [
            (name, lid, res)
            for name, tpl in sorted(self.templates.items())
            if stack in (None, name)
            for lid, res in sorted(tpl.get("Resources", {}).items())
            if res.get("Type") == cfn_type
        ]

    def evidence(self, measure_id: str, kind: str) -> set[str]:
        return evidence_paths(self.manifest, measure_id, kind)

    def accepted(self, measure_id: str) -> dict[str, str]:
        return accepted_paths(self.manifest, measure_id)


def synth(outdir: Path, config: LandingZoneConfig, change: Callable[[Any], None] | None = None) -> Synth:
    """The landing zone for ``config`` (report-only), with ``change(lz)`` applied before synthesis."""
    from landing_zone.app import build_app, new_app

    app = new_app(str(outdir), {"bio2:reportOnly": "true"})
    lz, _ = build_app(app, config)
    if change is not None:
        change(lz)
    app.synth()
    return Synth(outdir)


def _without_admin_justification(config: LandingZoneConfig) -> LandingZoneConfig:
    """The configuration check refuses this; build it anyway to see what the evidence would say."""
    identity = config.identity
    sets = tuple(
        ps.model_copy(update={"justification": None}) if ps.name == "platform-admin" else ps
        for ps in identity.permission_sets
    )
    return config.model_copy(update={"identity": identity.model_copy(update={"permission_sets": sets})})


def _remove_mfa_from_management_break_glass(lz: Any) -> None:
    role = (
        lz.stack("management")
        .node.find_child("Identity")
        .node.find_child("BreakGlass")
        .node.find_child("Role")
    )
    bg = lz.config.identity.break_glass
    document = trust_policy(bg.principals, bg.mfa_max_age_minutes * 60)
    del document["Statement"][0]["Condition"]
    role.assume_role_policy_document = document


@pytest.fixture(scope="module")
def weakened(tmp_path_factory: pytest.TempPathFactory, saml_metadata: str) -> Synth:
    """The default landing zone minus the billing assignment, minus the platform-admin justification,
    minus the MFA condition on the management account's break-glass role; plus SAML federation."""
    text = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8")
    assert BILLING_ASSIGNMENT in text
    metadata = "\n".join(f"      {line}" for line in saml_metadata.splitlines())
    text = text.replace(BILLING_ASSIGNMENT, "").replace(
        "  # saml_federation:",
        "  saml_federation:\n"
        "    provider_name: entra-id\n"
        "    accounts: [app-prod, app-nonprod]\n"
        "    roles:\n"
        "      - {name: app-operator, managed_policies: [ReadOnlyAccess]}\n"
        "    metadata_xml: |\n" + metadata + "\n"
        "  # saml_federation:",
    )
    config = _without_admin_justification(load_config_text(text))
    return synth(
        tmp_path_factory.mktemp("identity-weakened"), config, _remove_mfa_from_management_break_glass
    )


@pytest.fixture(scope="module")
def without_identity(tmp_path_factory: pytest.TempPathFactory) -> Synth:
    """The default landing zone without Identity Center and without break-glass principals."""
    config = load_config()
    identity = config.identity.model_copy(
        update={
            "identity_center_instance_arn": None,
            "assignments": (),
            "break_glass": config.identity.break_glass.model_copy(update={"principals": ()}),
        }
    )
    return synth(tmp_path_factory.mktemp("identity-none"), config.model_copy(update={"identity": identity}))


def test_removing_an_assignment_removes_the_grant(default_synth, weakened: Synth) -> None:
    def billing_grants(result) -> list[str]:
        sets = {
            lid
            for _, lid, res in result.resources("AWS::SSO::PermissionSet")
            if res["Properties"]["Name"] == "billing"
        }
        return [
            lid
            for _, lid, res in result.resources("AWS::SSO::Assignment")
            if res["Properties"]["PermissionSetArn"]["Fn::GetAtt"][0] in sets
        ]

    (granted,) = billing_grants(default_synth)
    assert billing_grants(weakened) == []
    assert (
        len(weakened.resources("AWS::SSO::Assignment"))
        == len(default_synth.resources("AWS::SSO::Assignment")) - 1
    )
    assert granted in {r["logical_id"] for r in default_synth.manifest["resources"]}
    assert granted not in {r["logical_id"] for r in weakened.manifest["resources"]}


def test_removing_the_justification_turns_the_accepted_risk_into_an_open_violation(
    default_synth, weakened
) -> None:
    # BIO2-IAM-NoAdminManagedPolicy evidences 8.18.01 only (the mapping table: "no
    # AdministratorAccess" is not the quarterly review of 8.02.01), so its accepted risks show there.
    assert PLATFORM_ADMIN in accepted_paths(default_synth.manifest, "8.18.01")
    assert accepted_paths(default_synth.manifest, "8.02.01") == {}
    assert PLATFORM_ADMIN not in weakened.accepted("8.18.01")
    (violation,) = [
        v
        for v in weakened.manifest["violations"]
        if v["path"] == PLATFORM_ADMIN and v["rule"] == "BIO2-IAM-NoAdminManagedPolicy"
    ]
    assert violation["acknowledged"] is False
    # the break-glass justification is untouched
    assert (
        weakened.accepted("8.18.01")[MANAGEMENT_BREAK_GLASS]
        == load_config().identity.break_glass.justification
    )


def test_removing_the_mfa_condition_removes_the_preventive_evidence(default_synth, weakened: Synth) -> None:
    before = evidence_paths(default_synth.manifest, "8.18.01", "preventive")
    assert MANAGEMENT_BREAK_GLASS in before
    # the member-account role exists only where its home-region Condition holds, which only the
    # StackSet deployment decides: its claim is unknown at synthesis and does not count
    claims = {
        c["path"]: c["result"]
        for c in default_synth.manifest["claims"]
        if c["id"] == "LZ-Identity-BreakGlassTrust"
    }
    assert claims == {MANAGEMENT_BREAK_GLASS: "pass", BASELINE_BREAK_GLASS: "unknown"}
    assert not weakened.evidence("8.18.01", "preventive") & {MANAGEMENT_BREAK_GLASS, BASELINE_BREAK_GLASS}
    failed = {c["path"] for c in weakened.manifest["claims"] if c["result"] == "fail"}
    assert MANAGEMENT_BREAK_GLASS in failed
    (role,) = [
        res
        for _, _, res in weakened.resources("AWS::IAM::Role", MANAGEMENT)
        if res["Properties"].get("RoleName") == BREAK_GLASS_ROLE_NAME
    ]
    assert "Condition" not in role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]


def test_saml_federation_in_the_baseline(weakened: Synth) -> None:
    (provider,) = weakened.resources("AWS::IAM::SAMLProvider")
    stack, _, res = provider
    assert stack == BASELINE
    assert res["Properties"]["Name"] == "entra-id"
    assert res["Properties"]["SamlMetadataDocument"].startswith("<?xml")
    baseline = weakened.templates[BASELINE]
    condition = baseline["Conditions"][res["Condition"]]
    assert "Fn::And" in condition
    text = json.dumps(condition)
    assert (
        '"666666666666"' in text
        and '"777777777777"' in text
        and "AWS::Region" in json.dumps(baseline["Conditions"])
    )
    (role,) = [
        r
        for _, _, r in weakened.resources("AWS::IAM::Role", BASELINE)
        if r["Properties"].get("RoleName") == "app-operator"
    ]
    assert role["Condition"] == res["Condition"]
    (statement,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Action"] == "sts:AssumeRoleWithSAML"
    assert statement["Condition"] == {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}
    assert role["Properties"]["MaxSessionDuration"] == 8 * 3600
    open_ = [
        v
        for v in weakened.manifest["violations"]
        if "SamlFederation" in (v["path"] or "") and not v["acknowledged"]
    ]
    assert open_ == []


def test_without_identity_center_and_break_glass_the_evidence_goes(
    default_synth, without_identity: Synth
) -> None:
    assert without_identity.resources("AWS::SSO::PermissionSet") == []
    assert without_identity.resources("AWS::SSO::Assignment") == []
    roles = [res["Properties"].get("RoleName") for _, _, res in without_identity.resources("AWS::IAM::Role")]
    assert BREAK_GLASS_ROLE_NAME not in roles
    for measure_id, kind in (("5.18.01", "detective"), ("8.18.01", "detective"), ("8.18.01", "preventive")):
        before = {p for p in evidence_paths(default_synth.manifest, measure_id, kind) if "/Identity/" in p}
        after = {p for p in without_identity.evidence(measure_id, kind) if "/Identity/" in p}
        assert before and not after, (measure_id, kind)
