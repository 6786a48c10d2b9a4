"""How the manifest decides a measure's and a control's status: facets, evidence strength,
monitors, attestations, owners, exclusions, risk acceptances and the honest roll-up."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest

from bio2_aspects.catalog import load_catalog
from bio2_aspects.catalog.facets import Facet, facets_of
from bio2_aspects.engine import RuleSet
from bio2_aspects.evidence import status as status_logic
from bio2_aspects.evidence.manifest import build_manifest, measures_and_controls
from bio2_aspects.scope import Attestation, Document, Exclusion, Owner, Scope

TECHNICAL = "8.15.02"  # technical, no rule in an empty app can prove it
ORGANISATIONAL = "5.01.01"  # organisational: information security policy
MONITORING = "8.16.04"  # about monitoring: a monitor is the control
TODAY = "2026-12-01"
DOC = Document("Informatiebeveiligingsbeleid", "DMS-2026-001", "2.0")


def _attest(scope: str, **kw: Any) -> Attestation:
    base = {
        "owner": "CISO",
        "document": DOC,
        "date": "2026-01-10",
        "approved_by": "B&W",
        "review_date": "2027-01-10",
    }
    return Attestation(scope=scope, **{**base, **kw})


def _item(
    kind: str = "verified", result: str = "pass", strength: str = "full", facet: str | None = None
) -> dict:
    return {
        "kind": kind,
        "rule": "BIO2-X-Y" if kind == "verified" else None,
        "result": result,
        "stack": "s",
        "template": "s.template.json",
        "logical_id": "R",
        "path": "s/R",
        "acknowledgement_reason": None,
        "strength": strength,
        "facet": facet,
        "rationale": {"en": "", "nl": ""},
    }


def _rows(scope: Scope, evidence: dict[str, list[dict]] | None = None) -> tuple[dict, dict]:
    measures, controls = measures_and_controls(load_catalog(), evidence or {}, scope, TODAY)
    return {m["id"]: m for m in measures}, {c["id"]: c for c in controls}


def _measure(scope: Scope, measure_id: str, evidence: dict[str, list[dict]] | None = None) -> dict:
    return _rows(scope, evidence)[0][measure_id]


# ------------------------------------------------------------------ technical facets


def test_technical_measure_without_evidence_is_a_gap_even_with_an_owner():
    m = _measure(Scope(owners=(Owner(scope=TECHNICAL, owner="Platform team"),)), TECHNICAL)
    assert m["status"] == "gap"


def test_full_evidence_implements_a_one_facet_technical_measure_supporting_does_not():
    assert _measure(Scope(), TECHNICAL, {TECHNICAL: [_item()]})["status"] == "implemented"
    m = _measure(Scope(), TECHNICAL, {TECHNICAL: [_item(strength="supporting")]})
    assert m["status"] == "partially_implemented" and m["missing_facets"] == [f"{TECHNICAL}.t1"]


def test_a_monitor_is_monitoring_not_the_control_itself():
    m = _measure(Scope(), TECHNICAL, {TECHNICAL: [_item(kind="detective", result="declared")]})
    assert m["status"] == "partially_implemented"
    assert status_logic.is_monitoring(facets_of(MONITORING, "technical")[0])
    m = _measure(Scope(), MONITORING, {MONITORING: [_item(kind="detective", result="declared")]})
    assert m["status"] == "implemented" and m["headline"] == "evidenced"


def test_an_open_failure_keeps_a_measure_from_implemented():
    m = _measure(Scope(), TECHNICAL, {TECHNICAL: [_item(), _item(result="fail", strength="full")]})
    assert m["status"] == "partially_implemented"
    assert _measure(Scope(), TECHNICAL, {TECHNICAL: [_item(result="fail")]})["status"] == "gap"


def test_an_owner_who_states_the_process_is_unattested_until_documented():
    owner = Owner(
        scope=TECHNICAL, owner="App team", process="Log scrubbing library LS-2 reviewed per release."
    )
    m = _measure(Scope(owners=(owner,)), TECHNICAL)
    assert m["status"] == "unattested"
    assert m["evidence"] == [] and m["evidence_kinds"] == []
    assert "LS-2" in m["basis"] and m["owner"]["process"] == owner.process
    m = _measure(Scope(owners=(owner,), attestations=(_attest(TECHNICAL),)), TECHNICAL)
    assert (
        m["status"] == "implemented" and m["headline"] == "attested" and m["evidence_kinds"] == ["attested"]
    )


# ------------------------------------------------------------------ organisational facets


def test_an_organisational_measure_needs_a_documented_attestation_not_just_an_owner():
    assert _measure(Scope(), ORGANISATIONAL)["status"] == "gap"
    owned = Scope(owners=(Owner(scope="organisational", owner="CISO"),))
    m = _measure(owned, ORGANISATIONAL)
    assert m["status"] == "unattested" and m["facets"][0]["state"] == "unattested"
    assert "Not attested" in m["basis"]
    attested = Scope(owners=owned.owners, attestations=(_attest(ORGANISATIONAL),))
    m = _measure(attested, ORGANISATIONAL)
    assert m["status"] == "implemented" and m["headline"] == "attested"
    assert m["facets"][0]["attestation"]["document"]["reference"] == "DMS-2026-001"


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"document": None}, "no_document"),
        ({"document": Document("", "", None)}, "no_document"),
        ({"approved_by": None}, "no_approver"),
        ({"date": None}, "no_date"),
    ],
)
def test_an_attestation_without_document_approver_or_date_attests_nothing(changes, problem):
    m = _measure(Scope(attestations=(_attest(ORGANISATIONAL, **changes),)), ORGANISATIONAL)
    assert m["status"] == "unattested"
    assert problem in m["facets"][0]["attestation"]["problems"]


def test_an_overdue_review_is_flagged_and_no_longer_counts():
    scope = Scope(attestations=(_attest(ORGANISATIONAL, review_date="2026-11-30"),))
    m = _measure(scope, ORGANISATIONAL)
    assert m["status"] == "unattested" and m["facets"][0]["state"] == "overdue"
    assert m["facets"][0]["attestation"]["overdue"] is True
    manifest = build_manifest([], load_catalog(), RuleSet([]), scope)
    assert manifest["totals"]["attestations"]["overdue"] >= 0  # judged against the generation time


def test_a_theme_owner_never_attests_and_evidence_never_overrides_an_owned_process():
    # 5.30.01 (continuity plan tests) is organisational: a restore test is not the plan exercise
    scope = Scope(owners=(Owner(scope="5.30.01", owner="Business continuity manager"),))
    m = _measure(scope, "5.30.01", {"5.30.01": [_item(kind="detective", result="declared")]})
    assert m["status"] == "unattested"


def _two_facets(measure_id: str, nature: str | None = None) -> tuple[Facet, ...]:
    if measure_id == TECHNICAL:
        return (
            Facet(f"{TECHNICAL}.t1", TECHNICAL, "technical", "Mask secrets in logs."),
            Facet(f"{TECHNICAL}.o1", TECHNICAL, "organisational", "Review log content."),
        )
    return facets_of(measure_id, nature)


def test_technical_part_in_place_without_attested_process_is_not_implemented():
    with mock.patch.object(status_logic, "facets_of", _two_facets):
        m = _measure(Scope(), TECHNICAL, {TECHNICAL: [_item(facet=f"{TECHNICAL}.t1")]})
        assert m["status"] == "awaiting_attestation" and m["missing_facets"] == [f"{TECHNICAL}.o1"]
        done = Scope(attestations=(_attest(f"{TECHNICAL}.o1"),))
        m = _measure(done, TECHNICAL, {TECHNICAL: [_item(facet=f"{TECHNICAL}.t1")]})
        assert m["status"] == "implemented" and m["headline"] == "evidenced"
        # evidence naming no facet covers nothing when... it is the only technical facet: it does
        m = _measure(done, TECHNICAL, {TECHNICAL: [_item()]})
        assert m["status"] == "implemented"


# ------------------------------------------------------------------ exclusions and roll-up


def test_provider_measures_are_inherited_and_exclusions_win():
    provider = next(e for e in load_catalog().measures if e.responsibility == "cloud_provider")
    assert _measure(Scope(), provider.id)["status"] == "inherited"
    excl = Exclusion(id=provider.control, justification="Out of scope after risk assessment RA-1.")
    m = _measure(Scope(exclusions=(excl,)), provider.id)
    assert m["status"] == "excluded" and "RA-1" in m["basis"]


def test_an_expired_exclusion_no_longer_applies_and_fails_the_synth():
    excl = Exclusion(id="8.30", justification="No outsourced development, see RA-2.", expires="2026-01-01")
    manifest = build_manifest([], load_catalog(), RuleSet([]), Scope(exclusions=(excl,)))
    soa = {c["id"]: c for c in manifest["controls"]}
    assert soa["8.30"]["status"] != "excluded"
    assert [v["rule"] for v in manifest["violations"]] == ["BIO2-Engine-ExclusionExpired"]
    assert manifest["exclusions"][0]["expired"] is True


def test_a_control_shows_its_worst_measure():
    assert status_logic.roll_up(["implemented", "gap"]) == "gap"
    assert status_logic.roll_up(["implemented", "unattested"]) == "unattested"
    assert status_logic.roll_up(["implemented", "awaiting_attestation"]) == "awaiting_attestation"
    assert status_logic.roll_up(["implemented", "inherited"]) == "implemented"
    assert status_logic.roll_up(["inherited", "excluded"]) == "inherited"
    scope = Scope(attestations=(_attest(ORGANISATIONAL),))
    measures, controls = _rows(scope)
    assert measures[ORGANISATIONAL]["status"] == "implemented"
    assert controls["5.1"]["status"] == "gap"  # 5.01.02 has nothing
    assert controls["5.1"]["measures_by_status"]["implemented"] == 1


def test_a_control_without_measures_needs_an_attestation_not_an_owner():
    owner = Owner(scope="organisational", owner="CISO")
    _m, controls = _rows(Scope(owners=(owner,)))
    assert controls["5.7"]["status"] == "unattested"
    _m, controls = _rows(Scope(owners=(owner,), attestations=(_attest("5.7"),)))
    assert controls["5.7"]["status"] == "implemented"
