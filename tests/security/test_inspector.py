"""Amazon Inspector v2 in the landing zone (BIO2 8.08.04, supporting): config, template, claim, removal.

The claim ``LZ-Inspector-Organization`` reads the written properties of the custom resource that
turns scanning on; switching Inspector off, an override that drops a resource type or an account, or
a Condition that is never true must take the evidence away. The last test switches both new
landing-zone guarantees off by configuration (Inspector and the CloudWatch Logs data protection
policy) in one synth.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from bio2_aspects.assembly import StackTemplate
from landing_zone.config import ConfigError, load_config, load_config_text
from landing_zone.security.inspector import HANDLER
from tests.claims.conftest import STATUS_RANK, Evidence, evidence_from, mutate, resources
from tests.logging.test_logging_config import ACCOUNTS

CLAIM = "LZ-Inspector-Organization"
ORG = "Custom::InspectorOrganization"
ADMIN = "Custom::InspectorDelegatedAdmin"


@pytest.fixture(scope="module")
def lz(default_synth: Any) -> Evidence:
    from landing_zone.app import bio2_scope

    return evidence_from(default_synth.outdir, bio2_scope(load_config(None)))


# ------------------------------------------------------------------ config


def test_inspector_is_on_by_default_for_ec2_ecr_and_lambda() -> None:
    settings = load_config(None).security.inspector
    assert settings.enabled and set(settings.resource_types) == {"EC2", "ECR", "LAMBDA"}


def test_an_empty_or_unknown_resource_type_is_refused() -> None:
    for bad in ("[]", "[EC3]"):
        with pytest.raises(ConfigError) as caught:
            load_config_text(ACCOUNTS + f"security:\n  inspector:\n    resource_types: {bad}\n")
        assert any(p.path.startswith("security.inspector.resource_types") for p in caught.value.problems)


def test_inspector_on_but_denied_by_the_approved_services_guardrail_is_refused() -> None:
    from importlib import resources as res

    config = load_config(None)
    approved = [s for s in config.organization.guardrails.approved_services if s != "inspector2"]
    text = res.files("landing_zone.config").joinpath("defaults", "landing-zone.yaml").read_text("utf-8")
    marker = "    # approved_services: [...]"
    assert marker in text, "the default configuration changed"
    text = text.replace(marker, f"    approved_services: [{', '.join(approved)}]\n{marker}")
    with pytest.raises(ConfigError) as caught:
        load_config_text(text)
    problems = {p.path: p for p in caught.value.problems}
    assert "security.inspector.enabled" in problems, sorted(problems)
    assert "inspector2" in problems["security.inspector.enabled"].fix


# ------------------------------------------------------------------ template


def test_delegated_admin_from_management_and_scanning_from_every_security_region(lz: Evidence) -> None:
    config = load_config(None)
    admins = list(resources(lz.stacks, ADMIN))
    assert [st.stack_name for st, _l, _b in admins] == [f"lz-management-{config.regions.home}"]
    props = admins[0][2]["Properties"]
    assert props["Regions"] == sorted(config.regions.allowed)
    assert props["AccountId"] == next(a.id for a in config.organization.accounts if a.role == "security")
    orgs = list(resources(lz.stacks, ORG))
    assert sorted(st.region for st, _l, _b in orgs) == sorted(config.regions.allowed)
    for _st, _lid, body in orgs:
        assert body["Properties"]["ResourceTypes"] == ["EC2", "ECR", "LAMBDA"]
        assert body["Properties"]["AccountIds"] == sorted(a.id for a in config.organization.accounts)
    claims = lz.claims(CLAIM)
    assert len(claims) == len(config.regions.allowed) and all(c["result"] == "pass" for c in claims)
    items = lz.claim_items("8.08.04", CLAIM)
    assert items and {i["strength"] for i in items} == {"supporting"}
    assert not lz.claim_items("8.08.01", CLAIM), "never evidence for the one-week mitigation of 8.08.01"


def test_the_handler_roles_may_call_only_what_they_need(lz: Evidence) -> None:
    for st in lz.stacks:
        for _lid, body in st.resources.items():
            if body.get("Type") != "AWS::IAM::Role" or "Inspector" not in json.dumps(
                body.get("Properties", {})
            ):
                continue
            for policy in body["Properties"].get("Policies", []):
                for statement in policy["PolicyDocument"]["Statement"]:
                    actions = (
                        statement["Action"]
                        if isinstance(statement["Action"], list)
                        else [statement["Action"]]
                    )
                    assert all("*" not in a for a in actions), actions
                    if "iam:CreateServiceLinkedRole" in actions:
                        assert statement["Condition"]["StringEquals"]["iam:AWSServiceName"]
    assert "delete" not in HANDLER.lower().replace('"delete"', ""), "Delete leaves Inspector on"


def _on_org(change: Callable[[StackTemplate, dict[str, Any]], None]) -> Callable[[list[StackTemplate]], int]:
    def mutation(stacks: list[StackTemplate]) -> int:
        n = 0
        for st, _lid, body in resources(stacks, ORG):
            change(st, body)
            n += 1
        return n

    return mutation


def _never(st: StackTemplate, body: dict[str, Any]) -> None:
    body["Condition"] = "InspectorTestNever"
    st.template.setdefault("Conditions", {})["InspectorTestNever"] = {"Fn::Equals": ["a", "b"]}


REMOVALS: dict[str, Callable[[StackTemplate, dict[str, Any]], None]] = {
    "resource types emptied": lambda _st, b: b["Properties"].update(ResourceTypes=[]),
    "ec2 dropped": lambda _st, b: b["Properties"].update(ResourceTypes=["ECR", "LAMBDA"]),
    "an account dropped": lambda _st, b: b["Properties"].update(AccountIds=b["Properties"]["AccountIds"][1:]),
    "accounts from a parameter": lambda _st, b: b["Properties"].update(AccountIds={"Ref": "Accounts"}),
    "never created": _never,
}


@pytest.mark.parametrize("name", sorted(REMOVALS))
def test_each_removal_takes_the_evidence_away(lz: Evidence, name: str) -> None:
    after = mutate(lz, _on_org(REMOVALS[name]))
    assert lz.claim_items("8.08.04", CLAIM)
    assert not after.claim_items("8.08.04", CLAIM), name
    assert after.claim_items("8.08.04", CLAIM, "fail"), name
    assert any(
        v["rule"] == "BIO2-Engine-ClaimFailed" and CLAIM in v["detail"] for v in after.manifest["violations"]
    )


# ------------------------------------------------------------------ config switches (one synth)


@pytest.fixture(scope="module")
def switched(tmp_path_factory: pytest.TempPathFactory) -> Evidence:
    from importlib import resources as res

    from landing_zone.app import bio2_scope
    from tests.synthkit import synth_landing_zone

    text = res.files("landing_zone.config").joinpath("defaults", "landing-zone.yaml").read_text("utf-8")
    text += "\n# test: both new guarantees off\n"
    config = load_config_text(text)
    config = config.model_copy(
        update={
            "security": config.security.model_copy(
                update={"inspector": config.security.inspector.model_copy(update={"enabled": False})}
            ),
            "logging": config.logging.model_copy(
                update={
                    "data_protection": config.logging.data_protection.model_copy(update={"enabled": False})
                }
            ),
        }
    )
    out = tmp_path_factory.mktemp("switched-new-evidence")
    synth_landing_zone(out, config)
    return evidence_from(out, bio2_scope(config))


@pytest.mark.synth
def test_switching_inspector_off_takes_its_evidence_away(lz: Evidence, switched: Evidence) -> None:
    assert not list(resources(switched.stacks, ORG)) and not list(resources(switched.stacks, ADMIN))
    assert not switched.claims(CLAIM)
    before = len(lz.measure("8.08.04")["evidence"])
    assert len(switched.measure("8.08.04")["evidence"]) < before


@pytest.mark.synth
def test_switching_data_protection_off_lowers_8_15_02(lz: Evidence, switched: Evidence) -> None:
    assert not list(resources(switched.stacks, "AWS::Logs::AccountPolicy"))
    assert not switched.claims("LZ-Logs-DataProtection")
    assert STATUS_RANK[switched.status("8.15.02")] < STATUS_RANK[lz.status("8.15.02")]
