"""Risk acceptances from the configuration cover engine findings on claims, like rule violations.

A platform team that narrows a guardrail on purpose (the approved-services allow-list on the
application OUs only) accepts the ``BIO2-Engine-ClaimNarrowed`` finding in ``bio2.risk_acceptances``
with an approver and an expiry; the measure's status is not raised by it, and an expired acceptance
fails the synth again.
"""

from __future__ import annotations

import pytest

from bio2_aspects.claims import CLAIM_FAILED_RULE, CLAIM_NARROWED_RULE
from bio2_aspects.evidence.manifest import EXPIRED_ACCEPTANCE_RULE, Violation, _accept_from_scope
from bio2_aspects.scope import RiskAcceptance, Scope

PATH = "LandingZone/lz-management-eu-central-1/Organization/Policy.SERVICE_CONTROL_POLICY.x"
REASON = "Platform OUs hold only platform accounts changed through the pipeline (RA-1)."


def _violation(rule: str, path: str = PATH, acknowledged: str | None = None) -> Violation:
    return Violation(
        rule=rule,
        level="warning",
        stack="lz-management-eu-central-1",
        template="t.json",
        path=path,
        logical_id="Policy",
        resource_type="AWS::Organizations::Policy",
        detail="narrowed",
        finding="f",
        fix="x",
        acknowledged=acknowledged,
    )


def _scope(rule: str = CLAIM_NARROWED_RULE, expires: str = "2027-11-15", resources=(PATH,)) -> Scope:
    acceptance = RiskAcceptance(rule, REASON, "CISO", "2026-11-15", expires, tuple(resources))
    return Scope(risk_acceptances=(acceptance,))


@pytest.mark.parametrize("rule", [CLAIM_NARROWED_RULE, CLAIM_FAILED_RULE])
def test_a_config_acceptance_covers_a_claim_finding(rule):
    (accepted,) = _accept_from_scope([_violation(rule)], _scope(rule), "2026-12-06")
    assert accepted.acknowledged == REASON
    assert accepted.acceptance and accepted.acceptance["approved_by"] == "CISO"


def test_it_covers_only_the_paths_it_names():
    (open_,) = _accept_from_scope(
        [_violation(CLAIM_NARROWED_RULE, path="Other/Policy")], _scope(), "2026-12-06"
    )
    assert open_.acknowledged is None and open_.acceptance is None


def test_an_expired_acceptance_leaves_the_finding_open_and_adds_an_error():
    found = _accept_from_scope([_violation(CLAIM_NARROWED_RULE)], _scope(expires="2026-12-01"), "2026-12-06")
    assert [v.rule for v in found] == [CLAIM_NARROWED_RULE, EXPIRED_ACCEPTANCE_RULE]
    assert found[0].acknowledged is None and found[0].acceptance["expired"]
    assert found[1].level == "error"


def test_a_construct_acknowledgement_wins_and_rule_violations_are_left_alone():
    by_construct = _violation(CLAIM_NARROWED_RULE, acknowledged="own reason")
    rule_violation = _violation("BIO2-S3-Versioning")
    scope = Scope(
        risk_acceptances=(
            RiskAcceptance(CLAIM_NARROWED_RULE, REASON, "CISO", "2026-11-15", "2027-11-15"),
            RiskAcceptance("BIO2-S3-Versioning", REASON, "CISO", "2026-11-15", "2027-11-15"),
        )
    )
    kept, rule_kept = _accept_from_scope([by_construct, rule_violation], scope, "2026-12-06")
    assert kept.acknowledged == "own reason" and kept.acceptance is None
    assert rule_kept is rule_violation  # rule violations were matched by collect_violations already


@pytest.mark.synth
def test_the_default_landing_zone_accepts_its_narrowed_allow_list_and_keeps_the_measure_partial(
    default_synth,
):
    manifest = default_synth.manifest
    (narrowed,) = [v for v in manifest["violations"] if v["rule"] == CLAIM_NARROWED_RULE]
    assert narrowed["acknowledged"] and narrowed["acceptance"]["approved_by"] == "CISO"
    assert "lz-scp-workloads-sandbox" in narrowed["path"]
    (measure,) = [m for m in manifest["measures"] if m["id"] == "8.19.01"]
    assert measure["status"] == "partially_implemented"
