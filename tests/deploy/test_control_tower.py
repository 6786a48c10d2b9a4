"""Control Tower coexistence: no recorder, delivery channel or organization trail; evidence from CT."""

from __future__ import annotations

import pytest

from landing_zone.claims import claim_table
from landing_zone.config import DEFAULT_CONFIG_PATH
from landing_zone.security.control_tower import CHECKS, CLAIM_PREFIX
from tests.synthkit import synth_landing_zone

OWNED_BY_CONTROL_TOWER = {
    "AWS::CloudTrail::Trail",
    "AWS::Config::ConfigurationRecorder",
    "AWS::Config::DeliveryChannel",
}


@pytest.fixture(scope="module")
def coexisting(tmp_path_factory):
    text = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8") + "\ndeployment: {control_tower: true}\n"
    return synth_landing_zone(tmp_path_factory.mktemp("control-tower"), text)


def _measures_of_owned_resources(synth) -> set[str]:
    """Measures that our trail, recorders and channels evidenced by a rule in the default landing zone."""
    out = set()
    for measure in synth.manifest["measures"]:
        for item in measure["evidence"]:
            if (
                item.get("resource_type") in OWNED_BY_CONTROL_TOWER
                and item.get("rule") != "BIO2-Tagging-Classification"
            ):
                out.add(measure["id"])
    return out


@pytest.mark.synth
def test_nothing_control_tower_owns_is_synthesized(coexisting):
    found = [
        (stack, res["Type"])
        for stack, template in coexisting.templates.items()
        for res in template["Resources"].values()
        if res["Type"] in OWNED_BY_CONTROL_TOWER
    ]
    assert found == []


@pytest.mark.synth
def test_the_manifest_still_accounts_for_those_measures(coexisting, default_synth):
    before = {m["id"]: m for m in default_synth.manifest["measures"]}
    after = {m["id"]: m for m in coexisting.manifest["measures"]}
    owned = _measures_of_owned_resources(default_synth)
    assert owned  # the default landing zone's trail and recorders evidence measures
    for measure_id in sorted(owned):
        evidence = after[measure_id]["evidence"]
        assert evidence, measure_id
        assert after[measure_id]["status"] != "gap" or before[measure_id]["status"] == "gap", measure_id
    table = claim_table()
    trail_measures = {m.measure for rule_id, _, _ in CHECKS for m in table[CLAIM_PREFIX + rule_id].mappings}
    assert trail_measures
    for measure_id in sorted(trail_measures):
        from_ct = [
            e for e in after[measure_id]["evidence"] if (e.get("claim") or "").startswith(CLAIM_PREFIX)
        ]
        assert from_ct, measure_id
        assert all(e["result"] == "pass" and e["kind"] == "detective" for e in from_ct)


@pytest.mark.synth
def test_control_tower_checks_are_organization_config_rules(coexisting):
    rules = coexisting.resources("AWS::Config::OrganizationConfigRule")
    identifiers = {r["Properties"]["OrganizationManagedRuleMetadata"]["RuleIdentifier"] for _, _, r in rules}
    assert identifiers == {identifier for _, identifier, _ in CHECKS}
    assert {stack for stack, _, _ in rules} == {"lz-management-eu-central-1"}
    assert coexisting.open_errors() == []


@pytest.mark.synth
def test_off_by_default(default_synth):
    assert default_synth.resources("AWS::CloudTrail::Trail")
    assert not default_synth.resources("AWS::Config::OrganizationConfigRule")
