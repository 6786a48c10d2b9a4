"""The identity resources of the default landing zone and the BIO2 evidence they give."""

from __future__ import annotations

import pytest

from landing_zone.config import load_config
from landing_zone.config.sections.identity import WORKLOAD_BOUNDARY_POLICY, assignment_accounts
from landing_zone.identity.alerts import BREAK_GLASS_USE_RULE_NAME, IDENTITY_CENTER_CHANGE_RULE_NAME
from landing_zone.identity.names import ALERT_TOPIC_NAME, BREAK_GLASS_ROLE_NAME
from tests.synthkit import stage_path

pytestmark = pytest.mark.synth

MANAGEMENT = "lz-management-eu-central-1"
BASELINE = "lz-member-baseline"
ADMIN_POLICY = ":policy/AdministratorAccess"
ADMIN_RULES = {"BIO2-IAM-NoAdminManagedPolicy", "BIO2-IAM-NoAdminStatement"}


def _is_identity(path: str | None) -> bool:
    return bool(path) and ("/Identity/" in path or "/IdentityAlerts/" in path)


def _measure(manifest: dict, measure_id: str) -> dict:
    return next(m for m in manifest["measures"] if m["id"] == measure_id)


def _arn_text(value) -> str:
    """A policy ARN as text (``Fn::Join`` pieces joined)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Fn::Join" in value:
        return "".join(p if isinstance(p, str) else "${}" for p in value["Fn::Join"][1])
    return str(value)


def test_permission_sets_and_assignments(default_synth) -> None:
    config = load_config()
    sets = {
        res["Properties"]["Name"]: res for _, _, res in default_synth.resources("AWS::SSO::PermissionSet")
    }
    assert set(sets) == {ps.name for ps in config.identity.permission_sets}
    assert {stack for stack, _, _ in default_synth.resources("AWS::SSO::PermissionSet")} == {MANAGEMENT}
    for res in sets.values():
        assert res["Properties"]["InstanceArn"] == config.identity.identity_center_instance_arn

    assignments = default_synth.resources("AWS::SSO::Assignment")
    expected = sum(len(assignment_accounts(config, a)) for a in config.identity.assignments)
    assert len(assignments) == expected == 18
    groups = {g.id for g in config.identity.groups}
    account_ids = {a.id for a in config.organization.accounts}
    for stack, _, res in assignments:
        props = res["Properties"]
        assert stack == MANAGEMENT
        assert props["PrincipalType"] == "GROUP" and props["PrincipalId"] in groups
        assert props["TargetType"] == "AWS_ACCOUNT" and props["TargetId"] in account_ids
        assert "Fn::GetAtt" in props["PermissionSetArn"]


def test_sessions_are_capped(default_synth) -> None:
    sets = {
        res["Properties"]["Name"]: res for _, _, res in default_synth.resources("AWS::SSO::PermissionSet")
    }
    durations = {name: res["Properties"]["SessionDuration"] for name, res in sets.items()}
    assert durations == {
        "platform-admin": "PT1H",
        "management-admin": "PT1H",
        "network-admin": "PT1H",
        "security-audit": "PT8H",
        "workload-developer": "PT8H",
        "workload-readonly": "PT8H",
        "billing": "PT8H",
    }


def test_only_platform_admin_and_break_glass_have_administrator_access(default_synth) -> None:
    holders = set()
    for stack, _, res in default_synth.resources("AWS::SSO::PermissionSet"):
        if any(_arn_text(a).endswith(ADMIN_POLICY) for a in res["Properties"].get("ManagedPolicies", [])):
            holders.add((stack, res["Properties"]["Name"]))
    for stack, lid, res in default_synth.resources("AWS::IAM::Role"):
        if any(_arn_text(a).endswith(ADMIN_POLICY) for a in res["Properties"].get("ManagedPolicyArns", [])):
            holders.add((stack, res["Properties"].get("RoleName", lid)))
    assert holders == {
        (MANAGEMENT, "platform-admin"),
        (MANAGEMENT, BREAK_GLASS_ROLE_NAME),
        (BASELINE, BREAK_GLASS_ROLE_NAME),
    }


def test_admin_access_is_an_accepted_risk_with_the_configured_justification(default_synth) -> None:
    identity = load_config().identity
    expected = {
        stage_path(
            f"{MANAGEMENT}/Identity/IdentityCenter/PermissionSet-platform-admin"
        ): identity.permission_set("platform-admin").justification,
        stage_path(f"{MANAGEMENT}/Identity/BreakGlass/Role"): identity.break_glass.justification,
        stage_path(
            f"member-baseline/{BASELINE}/Identity/BreakGlass/Role"
        ): identity.break_glass.justification,
    }
    found = {
        v["path"]: v["acknowledgement_reason"]
        for v in default_synth.manifest["violations"]
        if v["rule"] in ADMIN_RULES and not v["path"].endswith("/Identity/WorkloadBoundary")
    }
    assert found == expected
    # The permissions boundary's Allow NotAction ceiling is admin-shaped; it is acknowledged as a boundary.
    boundary = [
        v
        for v in default_synth.manifest["violations"]
        if v["rule"] in ADMIN_RULES and v["path"].endswith("/Identity/WorkloadBoundary")
    ]
    assert len(boundary) == 2
    assert all(
        "permissions boundary grants nothing by itself" in v["acknowledgement_reason"] for v in boundary
    )
    # the admin rules evidence 8.18.01; "no AdministratorAccess" is not the quarterly review of 8.02.01
    assert _measure(default_synth.manifest, "8.02.01")["accepted_risks"] == []
    for measure_id in ("8.18.01",):
        risks = {
            r["path"]: r["reason"] for r in _measure(default_synth.manifest, measure_id)["accepted_risks"]
        }
        for path, reason in expected.items():
            assert risks[path] == reason


def test_no_open_violation_in_identity_resources(default_synth) -> None:
    open_ = [
        v for v in default_synth.manifest["violations"] if _is_identity(v["path"]) and not v["acknowledged"]
    ]
    assert open_ == []


def test_workload_developer_is_bounded_and_the_boundary_exists_everywhere(default_synth) -> None:
    sets = {
        res["Properties"]["Name"]: res for _, _, res in default_synth.resources("AWS::SSO::PermissionSet")
    }
    developer = sets["workload-developer"]["Properties"]
    assert developer["PermissionsBoundary"] == {
        "CustomerManagedPolicyReference": {"Name": WORKLOAD_BOUNDARY_POLICY, "Path": "/"}
    }
    sids = [s["Sid"] for s in developer["InlinePolicy"]["Statement"]]
    assert "AllowWorkloadRolesWithBoundary" in sids and "DenyLongLivedCredentials" in sids
    boundaries = {
        stack
        for stack, _, res in default_synth.resources("AWS::IAM::ManagedPolicy")
        if res["Properties"].get("ManagedPolicyName") == WORKLOAD_BOUNDARY_POLICY
    }
    assert boundaries == {MANAGEMENT, BASELINE}
    # developers only in workload accounts: non-production to change, production to look
    config = load_config()
    for assignment in config.identity.assignments:
        if assignment.permission_set in ("workload-developer", "workload-readonly"):
            assert {a.role for a in assignment_accounts(config, assignment)} <= {"workload", "sandbox"}


def test_break_glass_role_requires_mfa_and_named_users(default_synth) -> None:
    config = load_config()
    roles = [
        (stack, lid, res)
        for stack, lid, res in default_synth.resources("AWS::IAM::Role")
        if res["Properties"].get("RoleName") == BREAK_GLASS_ROLE_NAME
    ]
    assert {stack for stack, _, _ in roles} == {MANAGEMENT, BASELINE}
    for _, _, res in roles:
        (statement,) = res["Properties"]["AssumeRolePolicyDocument"]["Statement"]
        assert statement["Principal"] == {"AWS": sorted(config.identity.break_glass.principals)}
        assert statement["Condition"] == {
            "Bool": {"aws:MultiFactorAuthPresent": "true"},
            "NumericLessThan": {"aws:MultiFactorAuthAge": "900"},
        }
        assert res["Properties"]["MaxSessionDuration"] == 3600
    # IAM is global: in the baseline (deployed to every region) the role exists in the home region only
    baseline = default_synth.template(BASELINE)
    (_, _, role) = next(r for r in roles if r[0] == BASELINE)
    condition = baseline["Conditions"][role["Condition"]]
    assert condition == {"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-central-1"]}


def test_break_glass_use_and_identity_center_changes_alert(default_synth) -> None:
    rules = {
        (stack, res["Properties"]["Name"]): res["Properties"]
        for stack, _, res in default_synth.resources("AWS::Events::Rule")
        if res["Properties"].get("Name") in (BREAK_GLASS_USE_RULE_NAME, IDENTITY_CENTER_CHANGE_RULE_NAME)
    }
    assert set(rules) == {
        (MANAGEMENT, BREAK_GLASS_USE_RULE_NAME),
        (BASELINE, BREAK_GLASS_USE_RULE_NAME),
        (MANAGEMENT, IDENTITY_CENTER_CHANGE_RULE_NAME),
    }
    for (_, name), props in rules.items():
        pattern = props["EventPattern"]
        (target,) = props["Targets"]
        assert _arn_text(target["Arn"]).endswith(f":333333333333:{ALERT_TOPIC_NAME}")
        assert "RoleArn" in target
        if name == BREAK_GLASS_USE_RULE_NAME:
            # AssumeRole is a read-only management event: only this state delivers it
            assert props["State"] == "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
            assert pattern["detail"]["eventName"] == ["AssumeRole"]
            (role_arn,) = pattern["detail"]["requestParameters"]["roleArn"]
            assert _arn_text(role_arn).endswith(f":role/{BREAK_GLASS_ROLE_NAME}")
        else:
            assert "CreateAccountAssignment" in pattern["detail"]["eventName"]
    # the topic: one per allowed region in the security account, encrypted, mailed
    topics = {
        (stack, lid): res
        for stack, lid, res in default_synth.resources("AWS::SNS::Topic")
        if res["Properties"].get("TopicName") == ALERT_TOPIC_NAME
    }
    assert sorted(stack for stack, _ in topics) == ["lz-security-eu-central-1", "lz-security-eu-west-1"]
    assert all("KmsMasterKeyId" in res["Properties"] for res in topics.values())
    mailed = {
        (stack, res["Properties"]["Endpoint"])
        for stack, _, res in default_synth.resources("AWS::SNS::Subscription")
        if res["Properties"].get("Protocol") == "email"
        and (stack, res["Properties"]["TopicArn"].get("Ref")) in topics
    }
    assert mailed == {
        ("lz-security-eu-central-1", "security-alerts@voorbeeldstad.example"),
        ("lz-security-eu-west-1", "security-alerts@voorbeeldstad.example"),
    }


def test_manifest_evidence_for_access_control(default_synth) -> None:
    manifest = default_synth.manifest

    def identity_evidence(measure_id: str, kind: str) -> set[tuple[str, str]]:
        return {
            (e["stack"], e["path"].rsplit("/Identity/", 1)[-1])
            for e in _measure(manifest, measure_id)["evidence"]
            if e["kind"] == kind and _is_identity(e["path"]) and e["result"] in ("pass", "declared")
        }

    # preventive: only the named break-glass users, with recent MFA, can assume the role
    # (the member-account role's home-region Condition is decided at deployment: its claim is unknown)
    assert identity_evidence("8.18.01", "preventive") == {(MANAGEMENT, "BreakGlass/Role")}
    # detective: every use of the break-glass role alerts; every Identity Center change alerts
    assert identity_evidence("8.18.01", "detective") == {
        (MANAGEMENT, "BreakGlassUse"),
        (BASELINE, "BreakGlassUse"),
    }
    assert identity_evidence("5.18.01", "detective") == {(MANAGEMENT, "IdentityCenterChanges")}
    # verified: the rules pass on the identity resources
    trusted = identity_evidence("5.15.01", "verified")
    assert (MANAGEMENT, "BreakGlass/Role") in trusted
    # The baseline creates its break-glass role only in the home region (a Condition on AWS::Region of a
    # StackSet body, unknown at synth time): its passing rules do not count as evidence.
    assert (BASELINE, "BreakGlass/Role") not in trusted
    least_privilege = identity_evidence("8.03.02", "verified")
    assert (MANAGEMENT, "IdentityCenter/PermissionSet-workload-developer") in least_privilege
    # no rule verifies the quarterly review of special privileges (8.02.01): that is a process
    assert identity_evidence("8.02.01", "verified") == set()
    limited = identity_evidence("8.18.01", "verified")
    assert (MANAGEMENT, "IdentityCenter/PermissionSet-security-audit") in limited
    for measure_id in ("5.15.01", "5.18.01", "8.03.02", "8.18.01"):
        assert _measure(manifest, measure_id)["status"] in (
            "implemented",
            "awaiting_attestation",
            "partially_implemented",
        ), measure_id
    # 8.02.01 (privileged access rights) is organisational: never implemented without an attestation
    assert _measure(manifest, "8.02.01")["status"] in (
        "awaiting_attestation",
        "partially_implemented",
        "unattested",
    )


def test_mfa_at_the_identity_provider_is_organisational_not_verified(default_synth) -> None:
    mfa = _measure(default_synth.manifest, "5.17.01")
    assert mfa["owner"]["name"] == "IAM team (Entra ID)"
    assert mfa["owner"]["scope"] == "5.17.01"
    # nothing in AWS can verify MFA at Entra ID: no rule verifies it; the only identity claim is the
    # break-glass trust (MFA for the emergency administrator), a supporting part of the measure
    identity = [e for e in mfa["evidence"] if _is_identity(e["path"])]
    assert {(e["claim"], e["strength"]) for e in identity} == {("LZ-Identity-BreakGlassTrust", "supporting")}
    assert "verified" not in mfa["evidence_kinds"]
