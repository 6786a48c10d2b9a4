"""The mapping rows of the rules this branch adds (contract 5): complete and consistent with the rules."""

from __future__ import annotations

import json
from importlib import resources

from bio2_aspects.mappings import STRENGTHS, parse_mappings
from bio2_aspects.rules import get_rule

NEW_RULES = {
    "BIO2-DnsFirewall-BlocksDomains",
    "BIO2-IAM-NoServiceWildcard",
    "BIO2-Logs-DataProtection",
    "BIO2-NetworkFirewall-EgressAllowlist",
    "BIO2-S3-LogRetentionThreeYears",
    "BIO2-WAF-WebAclHasRules",
}


def _pending() -> dict:
    path = resources.files("bio2_aspects.mappings").joinpath("pending", "h4-rules.json")
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_new_rule_has_its_rows() -> None:
    assert set(_pending()) == NEW_RULES


def test_rows_match_the_rules_and_carry_both_rationales() -> None:
    for rule_id, rows in _pending().items():
        mappings = parse_mappings(rule_id, rows)
        assert {m.measure for m in mappings} == set(get_rule(rule_id).measures), rule_id
        for m in mappings:
            assert m.strength in STRENGTHS
            assert m.facet is None
            assert len(m.rationale_en) > 40 and len(m.rationale_nl) > 40, rule_id
