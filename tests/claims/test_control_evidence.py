"""Control-level evidence: ISO/IEC 27002 controls without a BIO2 measure (5.7, 5.13, 8.9, 8.14, 8.23).

Rules (``mappings/data/controls.json``, control-only rules such as Multi-AZ) and claims (a ``control``
pair in the claim table) evidence such a control in the Statement of Applicability, never a BIO2
measure. The status follows from that evidence *and* the control's attestation, never rounding up:
each of these controls has an organisational part. Each removal below takes a guarantee away and
the control's evidence goes with it.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest

from bio2_aspects.evidence.status import control_status_with_evidence
from bio2_aspects.scope import Attestation, Document, Owner, Scope
from tests.claims.conftest import STATUS_RANK, Evidence, mutate
from tests.claims.test_removal import firewall_policy, on, setter

TODAY = "2026-12-06"
VALID = Attestation(
    scope="8.14",
    owner="CIO office",
    document=Document("Continuity and redundancy standard", "DOC-8.14"),
    date="2026-01-10",
    approved_by="CIO",
    review_date="2027-06-01",
)


def item(result: str = "pass", strength: str = "full", ack: str | None = None) -> dict[str, Any]:
    return {"result": result, "strength": strength, "acknowledgement_reason": ack}


# ------------------------------------------------------------------ the status logic


@pytest.mark.parametrize(
    ("items", "attestation", "expected"),
    [
        ([item()], None, ("awaiting_attestation", "evidenced")),
        ([item()], VALID, ("implemented", "evidenced")),
        ([item(strength="supporting")], VALID, ("partially_implemented", "partial")),
        ([item(strength="supporting")], None, ("partially_implemented", "partial")),
        ([item(), item("fail")], VALID, ("partially_implemented", "failing")),
        ([item("fail")], None, ("gap", "failing")),
        ([item("fail")], VALID, ("partially_implemented", "failing")),
        (
            [item(), item("fail", ack="single-AZ test database, accepted")],
            None,
            ("partially_implemented", "partial"),
        ),
        ([item("partial")], None, ("partially_implemented", "partial")),
        ([item("fail", ack="single-AZ test database, accepted")], None, ("gap", "failing")),
    ],
)
def test_control_status_never_rounds_up(items: list, attestation: Any, expected: tuple) -> None:
    assert control_status_with_evidence("technological", None, attestation, TODAY, items) == expected


def test_a_control_with_only_deploy_time_evidence_keeps_its_status_without_evidence() -> None:
    owner = Owner(owner="CIO office", scope="8.14")
    assert control_status_with_evidence("technological", owner, None, TODAY, [item("unknown")]) == (
        "unattested",
        None,
    )


# ------------------------------------------------------------------ the default landing zone


def control(ev: Evidence, control_id: str) -> dict[str, Any]:
    return next(c for c in ev.manifest["controls"] if c["id"] == control_id)


def sources(ev: Evidence, control_id: str, result: str = "pass") -> set[str]:
    return {
        i.get("rule") or i.get("claim")
        for i in control(ev, control_id).get("evidence") or []
        if i["result"] == result
    }


@pytest.mark.synth
def test_the_default_landing_zone_evidences_controls_without_measures(base_evidence: Evidence) -> None:
    ev = base_evidence
    assert sources(ev, "8.23") == {
        "BIO2-DnsFirewall-BlocksDomains",
        "BIO2-NetworkFirewall-DefaultDrop",
        "BIO2-NetworkFirewall-EgressAllowlist",
    }
    assert (control(ev, "8.23")["technical"], control(ev, "8.23")["status"]) == (
        "evidenced",
        "awaiting_attestation",
    )
    assert {"BIO2-Config-RecordAllTypes", "BIO2-Config-DeliveryChannel", "LZ-Config-Aggregator"} <= sources(
        ev, "8.9"
    )
    assert sources(ev, "5.13") == {"BIO2-Tagging-Classification", "LZ-TagPolicy-Classification"}
    assert sources(ev, "5.7") == {"LZ-GuardDuty-Detector"}
    for control_id in ("8.9", "5.13", "5.7"):  # supporting evidence only: in part, never implemented
        row = control(ev, control_id)
        assert (row["technical"], row["status"]) == ("partial", "partially_implemented"), control_id
        assert "control level" in row["justification"]
    # no database in the landing zone: nothing evidences redundancy, the status stays without evidence
    assert "evidence" not in control(ev, "8.14") and control(ev, "8.14")["status"] == "unattested"
    # control-level evidence is never evidence for a BIO2 measure: no control-only rule and no
    # claim's control pair shows among the measures' evidence
    from bio2_aspects.rules import CONTROL_ONLY_RULES

    control_only = {r.id for r in CONTROL_ONLY_RULES}
    for m in ev.manifest["measures"]:
        for i in m["evidence"]:
            assert i.get("rule") not in control_only and "control" not in i, (m["id"], i)
    assert not [i for i in control(ev, "5.7")["evidence"] if "measure" in i]
    # the manifest contract holds
    from bio2_aspects.evidence.models import validate

    validate(ev.manifest)


@pytest.mark.synth
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_soa_format_shows_the_control_evidence(base_evidence: Evidence, lang: str) -> None:
    from bio2_aspects.evidence.html_report import build_view
    from bio2_aspects.evidence.i18n import labels
    from bio2_aspects.evidence.oscal import render_oscal
    from bio2_aspects.evidence.register import render_soa_csv, render_xlsx
    from bio2_aspects.evidence.summary import render_summary

    t = labels(lang)
    manifest = base_evidence.manifest
    csv_text = render_soa_csv(manifest, lang).decode("utf-8-sig")
    header, *lines = csv_text.splitlines()
    assert t["control_evidence"] in header
    row = next(line for line in lines if line.startswith("8.23,"))
    assert "BIO2-NetworkFirewall-EgressAllowlist" in row and t["technical.evidenced"] in row
    assert t["soa.control_evidence"].split(";")[0] in row
    view = build_view(manifest, lang)
    html_row = next(c for c in view["controls"] if c["id"] == "5.7")
    assert "LZ-GuardDuty-Detector" in html_row["evidence"] and t["technical.partial"] in html_row["evidence"]
    with zipfile.ZipFile(io.BytesIO(render_xlsx(manifest, lang))) as z:
        strings = z.read("xl/sharedStrings.xml").decode("utf-8")
    assert "LZ-TagPolicy-Classification" in strings and t["control_evidence"] in strings
    summary = render_summary(manifest, lang)
    section = summary[summary.index(f"## {t['control_evidence']}") :]
    assert "| 8.23 |" in section and "BIO2-Config-GlobalResources" in section
    assert f"{t['result.fail']} ({t['accepted_risk'].lower()})" in section  # an accepted failure says so
    oscal = json.loads(render_oscal(manifest, lang))
    reqs = [
        r
        for ci in oscal["component-definition"]["components"][0]["control-implementations"]
        for r in ci["implemented-requirements"]
    ]
    (req,) = [r for r in reqs if r["control-id"].endswith("8.9") or r["control-id"].endswith("8.09")]
    assert "LZ-Config-Aggregator" in req["description"]
    assert {"name": "technical", "value": "partial"}.items() <= next(
        p for p in req["props"] if p["name"] == "technical"
    ).items()


# ------------------------------------------------------------------ removals


def _guardduty_off(props: dict[str, Any]) -> None:
    props["Enable"] = False


def _drop_allowlist(policy: dict[str, Any]) -> None:
    policy["StatefulRuleGroupReferences"] = [
        r for r in policy.get("StatefulRuleGroupReferences", []) if "Allow" not in json.dumps(r)
    ]


REMOVALS = [
    # (id, control, source that goes, mutation)
    ("guardduty-disabled", "5.7", "LZ-GuardDuty-Detector", on("AWS::GuardDuty::Detector", _guardduty_off)),
    (
        "tag-policy-emptied",
        "5.13",
        "LZ-TagPolicy-Classification",
        on(
            "AWS::Organizations::Policy",
            setter(Content={"tags": {}}),
            lambda _l, b: b["Properties"]["Type"] == "TAG_POLICY",
        ),
    ),
    (
        "aggregator-to-another-region",
        "8.9",
        "LZ-Config-Aggregator",
        on(
            "AWS::Config::ConfigurationAggregator",
            lambda p: p["OrganizationAggregationSource"].update(AwsRegions=["us-east-1"]),
        ),
    ),
    (
        "egress-allowlist-removed",
        "8.23",
        "BIO2-NetworkFirewall-EgressAllowlist",
        firewall_policy(_drop_allowlist),
    ),
]


@pytest.mark.synth
@pytest.mark.parametrize(("case", "control_id", "source", "mutation"), REMOVALS, ids=[r[0] for r in REMOVALS])
def test_removing_the_guarantee_takes_the_control_evidence(
    base_evidence: Evidence, case: str, control_id: str, source: str, mutation: Any
) -> None:
    assert source in sources(base_evidence, control_id)
    new = mutate(base_evidence, mutation)
    assert source not in sources(new, control_id), f"{case}: {source} still evidences {control_id}"
    assert source in sources(new, control_id, "fail")
    before, after = control(base_evidence, control_id), control(new, control_id)
    assert after["technical"] == "failing" != before["technical"]
    if before["status"] == after["status"] == "partially_implemented":
        return  # other sources still pass: the control gains an open failure (technical part failing)
    assert STATUS_RANK[after["status"]] < STATUS_RANK[before["status"]], (before["status"], after["status"])


@pytest.mark.synth
def test_a_narrowed_claim_is_partial_control_evidence(base_evidence: Evidence) -> None:
    new = mutate(
        base_evidence,
        on(
            "AWS::Config::ConfigurationAggregator",
            lambda p: p["OrganizationAggregationSource"].update(AwsRegions=["eu-west-1"]),
        ),
    )
    items = [i for i in control(new, "8.9")["evidence"] if i.get("claim") == "LZ-Config-Aggregator"]
    assert [i["result"] for i in items] == ["partial"]
    assert items[0]["coverage"] == {"covers": ["eu-west-1"], "not_covered": ["eu-central-1"]}
    assert control(new, "8.9")["technical"] == "partial"


def test_an_attested_control_with_full_evidence_is_implemented() -> None:
    """The same status logic through the manifest builder (the test fixtures' path)."""
    from bio2_aspects.catalog import load_catalog
    from bio2_aspects.evidence.manifest import measures_and_controls

    evidence_item = {
        "kind": "verified",
        "rule": "BIO2-RDS-MultiAz",
        "result": "pass",
        "stack": "app",
        "template": "app.template.json",
        "account": None,
        "region": None,
        "path": "app/Db",
        "logical_id": "Db",
        "resource_type": "AWS::RDS::DBInstance",
        "detail": "",
        "acknowledgement_reason": None,
        "control": "8.14",
        "strength": "full",
        "rationale": {"en": "e", "nl": "n"},
    }
    for scope, expected in (
        (Scope(), "awaiting_attestation"),
        (Scope(attestations=(VALID,)), "implemented"),
    ):
        _, controls = measures_and_controls(load_catalog(), {}, scope, TODAY, {"8.14": [evidence_item]})
        row = next(c for c in controls if c["id"] == "8.14")
        assert (row["status"], row["technical"]) == (expected, "evidenced")
