"""CloudWatch Logs data protection in the landing zone (BIO2 8.15.02): config, template, claim, removal.

The claim ``LZ-Logs-DataProtection`` reads the written account policy. Each removal below (an
emptied or narrowed policy, a policy that only audits or only masks, a different policy type, a
scope narrowed to some log groups, a Condition that is never true, a document known only at deploy
time) must take the evidence away and lower 8.15.02.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from bio2_aspects.assembly import StackTemplate
from bio2_aspects.claims import DataProtectionPolicy
from bio2_aspects.claims.checks import ClaimContext
from landing_zone.config import ConfigError, load_config, load_config_text
from landing_zone.config.sections.logging import CREDENTIAL_IDENTIFIERS
from landing_zone.logging.data_protection import AUDIT_LOG_GROUP, policy_document
from tests.claims.conftest import STATUS_RANK, Evidence, evidence_from, mutate, resources
from tests.logging.test_logging_config import ACCOUNTS

CLAIM = "LZ-Logs-DataProtection"
ACCOUNT_POLICY = "AWS::Logs::AccountPolicy"


def _ctx(props: dict[str, Any], cfn_type: str = ACCOUNT_POLICY) -> ClaimContext:
    st = StackTemplate(
        "S",
        "S",
        "S.template.json",
        {"Resources": {"P": {"Type": cfn_type, "Properties": props}}},
        "0" * 64,
        None,
        None,
    )
    return ClaimContext(st, "P", (st,))


def _policy(document: Any, **extra: Any) -> dict[str, Any]:
    return {
        "PolicyType": "DATA_PROTECTION_POLICY",
        "Scope": "ALL",
        "PolicyDocument": document,
        "PolicyName": "p",
        **extra,
    }


CHECK = DataProtectionPolicy(identifiers=CREDENTIAL_IDENTIFIERS)
GOOD = json.dumps(policy_document(CREDENTIAL_IDENTIFIERS, AUDIT_LOG_GROUP))


# ------------------------------------------------------------------ the check


def test_the_check_accepts_the_landing_zone_policy() -> None:
    ok, why = CHECK.evaluate(_ctx(_policy(GOOD)))
    assert ok, why


@pytest.mark.parametrize(
    "props, expected",
    [
        (_policy(json.dumps({"Statement": []})), "no Audit statement"),
        (_policy(json.dumps(policy_document(("AwsSecretKey",), AUDIT_LOG_GROUP))), "PgpPrivateKey"),
        (_policy(GOOD, PolicyType="SUBSCRIPTION_FILTER_POLICY"), "PolicyType"),
        (_policy(GOOD, Scope="SOME"), "Scope"),
        (_policy(GOOD, SelectionCriteria='LogGroupName NOT IN ["/app"]'), "SelectionCriteria"),
        (_policy({"Fn::Sub": "x"}), "deploy time"),
        (_policy("{not json"), "not JSON"),
    ],
)
def test_the_check_refuses_a_weakened_policy(props: dict[str, Any], expected: str) -> None:
    ok, why = CHECK.evaluate(_ctx(props))
    assert not ok and expected in why, why


def test_audit_without_mask_and_mask_without_audit_fail() -> None:
    doc = policy_document(CREDENTIAL_IDENTIFIERS, AUDIT_LOG_GROUP)
    audit_only = {**doc, "Statement": [doc["Statement"][0]]}
    mask_only = {**doc, "Statement": [doc["Statement"][1]]}
    assert "Deidentify" in CHECK.evaluate(_ctx(_policy(json.dumps(audit_only))))[1]
    assert "Audit" in CHECK.evaluate(_ctx(_policy(json.dumps(mask_only))))[1]
    no_destination = json.loads(GOOD)
    no_destination["Statement"][0]["Operation"]["Audit"] = {"FindingsDestination": {}}
    assert "nowhere" in CHECK.evaluate(_ctx(_policy(json.dumps(no_destination))))[1]


def test_the_check_reads_a_log_group_policy_too() -> None:
    ok, _ = CHECK.evaluate(_ctx({"DataProtectionPolicy": json.loads(GOOD)}, "AWS::Logs::LogGroup"))
    assert ok
    assert not CHECK.evaluate(_ctx({}, "AWS::Logs::LogGroup"))[0]


# ------------------------------------------------------------------ config


def _problems(yaml: str) -> list[tuple[str, str, str]]:
    with pytest.raises(ConfigError) as caught:
        load_config_text(ACCOUNTS + "logging:\n  data_protection:\n" + yaml)
    return [(p.path, p.message, p.fix) for p in caught.value.problems]


def test_data_protection_is_on_by_default_with_the_credential_identifiers() -> None:
    settings = load_config(None).logging.data_protection
    assert settings.enabled
    assert set(CREDENTIAL_IDENTIFIERS) <= set(settings.data_identifiers)
    assert "DriversLicense-NL" in settings.data_identifiers


def test_unknown_duplicate_and_missing_identifiers_are_refused_with_a_path_and_a_fix() -> None:
    found = _problems(
        "    data_identifiers: [AwsSecretKey, Bsn-NL, EmailAddress, EmailAddress, DriversLicense-nl]\n"
    )
    paths = [p[0] for p in found]
    where = "logging.data_protection.data_identifiers"
    assert paths == [f"{where}[1]", f"{where}[3]", f"{where}[4]", where], found
    assert "DriversLicense-NL" in found[0][2]
    assert "PgpPrivateKey" in found[-1][1] and "enabled: false" in found[-1][2]


def test_switched_off_the_identifiers_are_not_checked() -> None:
    cfg = load_config_text(
        ACCOUNTS + "logging:\n  data_protection:\n    enabled: false\n    data_identifiers: []\n"
    )
    assert not cfg.logging.data_protection.enabled


# ------------------------------------------------------------------ on the default landing zone


@pytest.fixture(scope="module")
def lz(default_synth: Any) -> Evidence:
    from landing_zone.app import bio2_scope

    return evidence_from(default_synth.outdir, bio2_scope(load_config(None)))


def test_every_member_account_and_the_management_account_get_the_policy(lz: Evidence) -> None:
    found = {st.stack_name for st, _lid, _b in resources(lz.stacks, ACCOUNT_POLICY)}
    assert found == {"lz-member-baseline", "lz-management-eu-central-1"}
    claims = lz.claims(CLAIM)
    assert len(claims) == 2 and all(c["result"] == "pass" for c in claims)
    for st, _lid, body in resources(lz.stacks, ACCOUNT_POLICY):
        doc = json.loads(body["Properties"]["PolicyDocument"])
        names = {a.rsplit("/", 1)[-1] for s in doc["Statement"] for a in s["DataIdentifier"]}
        assert set(CREDENTIAL_IDENTIFIERS) <= names
        group = [
            b for b in st.resources.values() if b.get("Properties", {}).get("LogGroupName") == AUDIT_LOG_GROUP
        ]
        assert (
            group
            and group[0]["DeletionPolicy"] == "Retain"
            and group[0]["Properties"]["RetentionInDays"] >= 365
        )
    items = lz.claim_items("8.15.02", CLAIM)
    assert items and all(i["strength"] == "supporting" for i in items), "it masks what it knows: supporting"


def _on_policy(
    change: Callable[[StackTemplate, dict[str, Any]], None],
) -> Callable[[list[StackTemplate]], int]:
    def mutation(stacks: list[StackTemplate]) -> int:
        n = 0
        for st, _lid, body in resources(stacks, ACCOUNT_POLICY):
            change(st, body)
            n += 1
        return n

    return mutation


def _doc_change(edit: Callable[[dict[str, Any]], None]) -> Callable[[StackTemplate, dict[str, Any]], None]:
    def change(_st: StackTemplate, body: dict[str, Any]) -> None:
        doc = json.loads(body["Properties"]["PolicyDocument"])
        edit(doc)
        body["Properties"]["PolicyDocument"] = json.dumps(doc)

    return change


def _never(st: StackTemplate, body: dict[str, Any]) -> None:
    body["Condition"] = "DataProtectionTestNever"
    st.template.setdefault("Conditions", {})["DataProtectionTestNever"] = {"Fn::Equals": ["a", "b"]}


REMOVALS: dict[str, Callable[[StackTemplate, dict[str, Any]], None]] = {
    "emptied": _doc_change(lambda d: d.update(Statement=[])),
    "secret key dropped": _doc_change(
        lambda d: [
            s.update(DataIdentifier=[a for a in s["DataIdentifier"] if "AwsSecretKey" not in a])
            for s in d["Statement"]
        ]
    ),
    "audit only": _doc_change(lambda d: d.update(Statement=d["Statement"][:1])),
    "mask only": _doc_change(lambda d: d.update(Statement=d["Statement"][1:])),
    "other policy type": lambda _st, b: b["Properties"].update(PolicyType="FIELD_INDEX_POLICY"),
    "narrowed to some log groups": lambda _st, b: b["Properties"].update(
        SelectionCriteria='LogGroupName NOT IN ["/a"]'
    ),
    "never created": _never,
}


@pytest.mark.parametrize("name", sorted(REMOVALS))
def test_each_removal_takes_the_evidence_away(lz: Evidence, name: str) -> None:
    after = mutate(lz, _on_policy(REMOVALS[name]))
    assert not after.claim_items("8.15.02", CLAIM), name
    assert all(c["result"] == "fail" for c in after.claims(CLAIM)), name
    before = lz.measure("8.15.02")
    assert before["status"] == "partially_implemented"
    # the rule BIO2-Logs-DataProtection reads the same policy: with the claim, every passing item goes
    passing = [i for i in after.measure("8.15.02")["evidence"] if i["result"] == "pass"]
    if name in ("emptied", "audit only", "mask only", "other policy type", "never created"):
        assert not passing, (name, passing)
        assert STATUS_RANK[after.status("8.15.02")] < STATUS_RANK[lz.status("8.15.02")], name
