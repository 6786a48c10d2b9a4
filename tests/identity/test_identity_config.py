"""The ``identity`` configuration: defaults, OU expansion, admin detection and the semantic checks."""

from __future__ import annotations

import json

import pytest
import yaml

from bio2_aspects.rules._policy import admin_statements
from landing_zone.config import ConfigError, load_config_text
from landing_zone.config.loader import DEFAULT_CONFIG_PATH
from landing_zone.config.sections import identity as section
from landing_zone.identity import policies
from landing_zone.identity.break_glass import trust_is_guarded, trust_policy

#: IAM limits: managed policy documents (whitespace excluded) and permission set inline policies.
MAX_MANAGED_POLICY_CHARS = 6_144
MAX_INLINE_POLICY_CHARS = 32_768


def _problems(text: str) -> list:
    with pytest.raises(ConfigError) as caught:
        load_config_text(text)
    return caught.value.problems


VALID = """\
identity:
  identity_center_instance_arn: arn:aws:sso:::instance/ssoins-0123456789abcdef
  alert_emails: [security@klein.example]
  groups:
    - {name: admins, id: 6d1f2b7e-1c3a-4f5e-9a0b-2c4d6e8f0a1b}
    - {name: devs, id: 90676ef3a4-2f1c1e3a-7b2d-4c5e-8f9a-0b1c2d3e4f5a}
  permission_sets:
    - name: admin
      managed_policies: [AdministratorAccess]
      justification: The platform team repairs any account; the group is reviewed every quarter.
    - {name: dev, managed_policies: [PowerUserAccess], workload_iam: true, account_roles: [workload]}
    - {name: network, managed_policies: [job-function/NetworkAdministrator], privileged: true}
  assignments:
    - {group: admins, permission_set: admin, ous: [Root]}
    - {group: devs, permission_set: dev, ous: [Workloads]}
  break_glass:
    principals: [arn:aws:iam::111111111111:user/bg-1, arn:aws:iam::111111111111:user/bg-2]
    justification: Emergency administrator access while Entra ID is down; every use alerts.
"""


def test_default_identity_is_complete() -> None:
    data = yaml.safe_load(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"))
    identity = section.IdentitySection.model_validate(data["identity"])
    assert identity.identity_center_instance_arn, "the default keeps a (placeholder) instance ARN"
    names = [ps.name for ps in identity.permission_sets]
    assert names == [
        "platform-admin",
        "management-admin",
        "security-audit",
        "network-admin",
        "workload-developer",
        "workload-readonly",
        "billing",
    ]
    admins = [ps.name for ps in identity.permission_sets if ps.grants_admin]
    assert admins == ["platform-admin"]
    assert identity.permission_set("platform-admin").justification
    # the management account gets a read-only administrator set, not AdministratorAccess
    management = identity.permission_set("management-admin")
    assert management.managed_policies == ("ReadOnlyAccess",) and management.account_roles == ("management",)
    assert identity.session_hours_of(management) == 1
    audit = identity.permission_set("security-audit")
    assert audit.managed_policies == ("SecurityAudit", "job-function/ViewOnlyAccess")
    developer = identity.permission_set("workload-developer")
    assert developer.account_roles == ("workload", "sandbox")
    assert developer.permissions_boundary == section.WORKLOAD_BOUNDARY_POLICY
    assert identity.session_hours_of(identity.permission_set("platform-admin")) == 1
    assert identity.session_hours_of(identity.permission_set("network-admin")) == 1
    assert identity.session_hours_of(developer) == 8
    assert len(identity.break_glass.principals) == 2
    assert identity.break_glass.justification
    owners = {o["scope"]: o["owner"] for o in data["bio2"]["owners"]}
    assert owners["5.17.01"] == "IAM team (Entra ID)"


def test_valid_config_loads_and_expands_ous(organization_yaml: str) -> None:
    cfg = load_config_text(organization_yaml + VALID)
    admins, devs = cfg.identity.assignments
    assert [a.name for a in section.assignment_accounts(cfg, admins)] == [
        "management",
        "log-archive",
        "security",
        "network",
        "app-prod",
        "app-test",
    ]
    # an OU reaches the accounts of the OUs below it
    assert [a.name for a in section.assignment_accounts(cfg, devs)] == ["app-prod", "app-test"]
    assert [a.name for a in section.accounts_in_ou(cfg, "Workloads/NonProd")] == ["app-test"]
    assert section.accounts_in_ou(cfg, "Work") == []


def test_minimal_config_has_no_identity_center_and_no_problems(organization_yaml: str) -> None:
    cfg = load_config_text(organization_yaml)
    assert cfg.identity.identity_center_instance_arn is None
    assert cfg.identity.permission_sets == ()
    assert cfg.identity.break_glass.principals == ()


@pytest.mark.parametrize(
    ("managed", "inline", "expected"),
    [
        (("AdministratorAccess",), None, True),
        (("ReadOnlyAccess",), None, False),
        ((), {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}, True),
        ((), {"Statement": {"Effect": "Allow", "Action": ["s3:*", "*:*"], "Resource": ["*"]}}, True),
        ((), {"Statement": [{"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::x"}]}, True),
        ((), {"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}, False),
        ((), {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::x"}]}, False),
    ],
)
def test_grants_admin(managed: tuple, inline: dict | None, expected: bool) -> None:
    assert section.grants_admin(managed, inline) is expected


def test_the_landing_zone_policies_fit_iam_limits_and_grant_no_admin() -> None:
    boundary = policies.workload_boundary_document()
    inline = policies.permission_set_inline_policy(protect=True, workload_iam=True, extra=None)
    assert len(json.dumps(boundary, separators=(",", ":"))) < MAX_MANAGED_POLICY_CHARS
    assert (
        len(json.dumps(inline, separators=(",", ":"))) + MAX_INLINE_POLICY_CHARS // 2
        < MAX_INLINE_POLICY_CHARS
    )
    # The boundary's Allow NotAction ceiling is admin-shaped by design (acknowledged on the policy); no
    # other statement of it, and nothing in the inline policy, grants admin.
    [ceiling] = admin_statements(boundary, "boundary")
    assert "AllowServicesExceptIdentityAndOrganization" in ceiling and "NotAction" in ceiling
    assert admin_statements(inline, "inline") == []
    assert not section.grants_admin((), boundary)
    sids = [s["Sid"] for s in boundary["Statement"]]
    assert len(sids) == len(set(sids))


def test_protections_deny_what_the_issue_names() -> None:
    denied = {
        action
        for statement in policies.protection_statements()
        if statement["Effect"] == "Deny"
        for action in statement["Action"]
    }
    for action in (
        "iam:CreateUser",
        "iam:CreateAccessKey",
        "organizations:LeaveOrganization",
        "cloudtrail:StopLogging",
        "config:StopConfigurationRecorder",
        "guardduty:DeleteDetector",
        "securityhub:DisableSecurityHub",
    ):
        assert action in denied, action


def test_workload_roles_need_the_boundary() -> None:
    create = next(s for s in policies.workload_iam_statements() if "iam:CreateRole" in s["Action"])
    assert create["Resource"] == "arn:aws:iam::*:role/workload/*"
    assert create["Condition"] == {
        "StringLike": {"iam:PermissionsBoundary": f"arn:aws:iam::*:policy/{section.WORKLOAD_BOUNDARY_POLICY}"}
    }


def test_trust_is_guarded() -> None:
    users = ["arn:aws:iam::111111111111:user/bg-1"]
    good = trust_policy(users, 900)
    assert trust_is_guarded(good, 900)
    assert not trust_is_guarded(good, 300), "an older MFA sign-in than allowed"
    no_mfa = json.loads(json.dumps(good))
    del no_mfa["Statement"][0]["Condition"]["Bool"]
    assert not trust_is_guarded(no_mfa, 900)
    no_age = json.loads(json.dumps(good))
    del no_age["Statement"][0]["Condition"]["NumericLessThan"]
    assert not trust_is_guarded(no_age, 900)
    account = json.loads(json.dumps(good))
    account["Statement"][0]["Principal"] = {"AWS": "arn:aws:iam::111111111111:root"}
    assert not trust_is_guarded(account, 900)
    wildcard = json.loads(json.dumps(good))
    wildcard["Statement"][0]["Principal"] = "*"
    assert not trust_is_guarded(wildcard, 900)
    assert not trust_is_guarded({"Statement": []}, 900)


def test_saml_metadata_validation(saml_metadata: str) -> None:
    assert section.saml_metadata_problem(saml_metadata) is None
    padding = "<!-- " + "x" * 1000 + " -->"
    assert "not well-formed" in section.saml_metadata_problem("<EntityDescriptor" + padding)
    assert "DOCTYPE" in section.saml_metadata_problem('<!DOCTYPE x [<!ENTITY a "a">]><x/>' + padding)
    assert "EntityDescriptor" in section.saml_metadata_problem("<root/>" + padding)
    no_cert = saml_metadata.replace("<X509Certificate>", "<X509Certificate><!-- ").replace(
        "</X509Certificate>", " --></X509Certificate>"
    )
    assert "signing certificate" in section.saml_metadata_problem(no_cert)
    assert "at least 1000" in section.saml_metadata_problem("<EntityDescriptor/>")
    no_sso = saml_metadata.replace("SingleSignOnService", "ArtifactResolutionService")
    assert "SingleSignOnService" in section.saml_metadata_problem(no_sso)
    assert "characters" in section.saml_metadata_problem(
        saml_metadata + " " * section.MAX_SAML_METADATA_CHARS
    )


def test_saml_federation_checks(organization_yaml: str, saml_metadata: str) -> None:
    metadata = "\n".join(f"      {line}" for line in saml_metadata.splitlines())
    text = (
        organization_yaml
        + VALID
        + (
            "  saml_federation:\n"
            "    provider_name: entra-id\n"
            "    accounts: [app-prod, management]\n"
            "    roles:\n"
            "      - {name: lz-operator, managed_policies: [ReadOnlyAccess]}\n"
            "      - {name: app-admin, managed_policies: [AdministratorAccess]}\n"
            "    metadata_xml: |\n" + metadata + "\n"
        )
    )
    paths = sorted(p.path for p in _problems(text))
    assert paths == [
        "identity.saml_federation.accounts[1]",
        "identity.saml_federation.roles[name=app-admin].justification",
        "identity.saml_federation.roles[name=lz-operator].name",
    ]


def test_every_problem_names_the_field(organization_yaml: str) -> None:
    broken = VALID.replace("justification: The platform team", "description: The platform team").replace(
        "    - {group: devs, permission_set: dev, ous: [Workloads]}",
        "    - {group: devs, permission_set: dev, ous: [Workloads]}\n"
        "    - {group: nobody, permission_set: none, accounts: [ghost], ous: [Nowhere]}\n"
        "    - {group: devs, permission_set: network}",
    )
    problems = _problems(organization_yaml + broken)
    assert sorted(p.path for p in problems) == [
        "identity.assignments[2].accounts[0]",
        "identity.assignments[2].group",
        "identity.assignments[2].ous[0]",
        "identity.assignments[2].permission_set",
        "identity.assignments[3]",
        "identity.permission_sets[name=admin].justification",
    ]
    assert all(p.fix for p in problems)
