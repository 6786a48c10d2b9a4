"""The mapping rows of the rules added for issue 13 (egress, DNS Firewall, log data protection, log
retention, service wildcards, empty web ACLs): in the table, consistent with the rules."""

from __future__ import annotations

from bio2_aspects.mappings import STRENGTHS, rule_table
from bio2_aspects.rules import get_rule

NEW_RULES = {
    "BIO2-DnsFirewall-BlocksDomains",
    "BIO2-IAM-NoServiceWildcard",
    "BIO2-Logs-DataProtection",
    "BIO2-NetworkFirewall-EgressAllowlist",
    "BIO2-S3-LogRetentionThreeYears",
    "BIO2-WAF-WebAclHasRules",
}


def test_every_new_rule_has_its_rows() -> None:
    assert set(rule_table()) >= NEW_RULES


def test_rows_match_the_rules_and_carry_both_rationales() -> None:
    for rule_id in sorted(NEW_RULES):
        mappings = rule_table()[rule_id]
        assert {m.measure for m in mappings} == set(get_rule(rule_id).measures), rule_id
        for m in mappings:
            assert m.strength == "supporting" and m.strength in STRENGTHS
            assert m.facet and m.facet.startswith(m.measure + ".t"), rule_id
            assert len(m.rationale_en) > 40 and len(m.rationale_nl) > 40, rule_id
