"""Names, conditions and event selectors of central logging (pure functions, no synthesis)."""

from __future__ import annotations

import pytest

from landing_zone import naming
from landing_zone.config import load_config_text
from landing_zone.logging import policies
from landing_zone.logging.trail import event_selectors

BASE = """\
version: 1
organization:
  name: Gemeente Klein
  ous: [{name: Security}, {name: Infrastructure}]
  accounts:
    - {name: management, id: "111111111111", email: a@klein.example, ou: Root, role: management}
    - {name: log-archive, id: "222222222222", email: b@klein.example, ou: Security, role: log-archive}
    - {name: security, id: "333333333333", email: c@klein.example, ou: Security, role: security}
    - {name: network, id: "444444444444", email: d@klein.example, ou: Infrastructure, role: network}
"""


def config(logging_yaml: str = ""):
    return load_config_text(BASE + ("logging:\n" + logging_yaml if logging_yaml else ""))


def test_trail_arn_is_in_the_management_account_home_region() -> None:
    cfg = config()
    assert (
        policies.trail_arn(cfg) == "arn:aws:cloudtrail:eu-central-1:111111111111:trail/lz-organization-trail"
    )


def test_organization_condition_uses_the_org_id_when_known() -> None:
    assert policies.source_condition(config("  organization_id: o-abcdefghij\n")) == {
        "StringEquals": {"aws:SourceOrgID": "o-abcdefghij"}
    }


def test_organization_condition_falls_back_to_the_configured_accounts() -> None:
    assert policies.source_condition(config()) == {
        "StringEquals": {
            "aws:SourceAccount": ["111111111111", "222222222222", "333333333333", "444444444444"]
        }
    }


def test_log_delivery_is_limited_to_the_allowed_regions() -> None:
    assert policies.log_delivery_source_arns(config()) == [
        "arn:aws:logs:eu-central-1:*:*",
        "arn:aws:logs:eu-west-1:*:*",
    ]


def test_merge_conditions_refuses_a_key_twice() -> None:
    a = {"StringEquals": {"aws:SourceAccount": "1"}}
    assert policies.merge_conditions(a, {"ArnLike": {"aws:SourceArn": "x"}}) == {
        "StringEquals": {"aws:SourceAccount": "1"},
        "ArnLike": {"aws:SourceArn": "x"},
    }
    with pytest.raises(ValueError):
        policies.merge_conditions(a, a)


def test_platform_exemption_is_limited_to_the_own_account_and_exact_names() -> None:
    cfg = config()
    patterns = policies.platform_principal_patterns(cfg, "222222222222")
    assert len(patterns) == len(naming.exempt_principal_arns(cfg.regions.allowed))
    assert all(p.startswith("arn:aws:iam::222222222222:role/") for p in patterns)
    # exact names; the one pattern is the StackSets execution role, whose name the SCPs protect
    assert [p for p in patterns if "*" in p] == ["arn:aws:iam::222222222222:role/stacksets-exec-*"]
    assert not any("cdk-*" in p or "hnb659fds" in p for p in patterns)


def test_event_selectors_management_and_data_events() -> None:
    selectors = event_selectors(config())
    assert selectors[0]["FieldSelectors"] == [{"Field": "eventCategory", "Equals": ["Management"]}]
    types = {s["FieldSelectors"][1]["Equals"][0] for s in selectors[1:]}
    assert types == {"AWS::S3::Object", "AWS::Lambda::Function"}
    s3 = next(s for s in selectors[1:] if s["FieldSelectors"][1]["Equals"] == ["AWS::S3::Object"])
    # the log archive's own deliveries would be recorded endlessly: left out
    assert {
        "Field": "resources.ARN",
        "NotStartsWith": ["arn:aws:s3:::lz-logs-222222222222-eu-central-1/"],
    } in s3["FieldSelectors"]


def test_event_selectors_follow_the_configuration() -> None:
    assert len(event_selectors(config("  data_events: false\n"))) == 1
    only_lambda = event_selectors(config("  data_event_types: [lambda]\n"))
    assert [s["FieldSelectors"][1]["Equals"] for s in only_lambda[1:]] == [["AWS::Lambda::Function"]]
