"""How the manifest decides a measure's status when there is no technical evidence."""

from __future__ import annotations

from bio2_aspects.catalog import load_catalog
from bio2_aspects.engine import RuleSet
from bio2_aspects.evidence.manifest import build_manifest
from bio2_aspects.scope import Exclusion, Owner, Scope

TECHNICAL = "8.15.02"  # technical, no rule in an empty app can prove it


def _measure(scope: Scope, measure_id: str) -> dict:
    manifest = build_manifest([], load_catalog(), RuleSet([]), scope)
    return next(m for m in manifest["measures"] if m["id"] == measure_id)


def test_technical_measure_without_evidence_is_a_gap_even_with_an_owner():
    m = _measure(Scope(owners=(Owner(scope=TECHNICAL, owner="Platform team"),)), TECHNICAL)
    assert m["status"] == "gap"


def test_an_owner_who_states_the_process_makes_it_organisational_not_verified():
    owner = Owner(
        scope=TECHNICAL, owner="App team", process="Log scrubbing library LS-2 reviewed per release."
    )
    m = _measure(Scope(owners=(owner,)), TECHNICAL)
    assert m["status"] == "organisational"
    assert m["evidence"] == [] and m["evidence_kinds"] == []
    assert "LS-2" in m["basis"] and m["owner"]["process"] == owner.process


def test_organisational_measure_needs_an_owner():
    org = next(e for e in load_catalog().measures if e.nature == "organisational")
    assert _measure(Scope(), org.id)["status"] == "gap"
    assert _measure(Scope(owners=(Owner(scope="organisational", owner="CISO"),)), org.id)["status"] in (
        "organisational",
        "gap",  # a people/physical measure is not covered by the organisational theme owner
    )


def test_provider_measures_are_inherited_and_exclusions_win():
    provider = next(e for e in load_catalog().measures if e.responsibility == "cloud_provider")
    assert _measure(Scope(), provider.id)["status"] == "inherited"
    excl = Exclusion(id=provider.control, justification="Out of scope after risk assessment RA-1.")
    m = _measure(Scope(exclusions=(excl,)), provider.id)
    assert m["status"] == "excluded" and "RA-1" in m["basis"]
