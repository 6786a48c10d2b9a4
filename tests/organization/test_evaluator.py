"""Unit tests of the IAM policy evaluator that the guardrail tests rely on."""

from __future__ import annotations

import pytest

from landing_zone.organization.evaluator import (
    Decision,
    PolicyError,
    Request,
    evaluate,
    evaluate_rcps,
    evaluate_scps,
)


def doc(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


ALLOW_ALL = {"Effect": "Allow", "Action": "*", "Resource": "*"}


def decide(statements, action="s3:GetObject", resource="*", **context):
    return evaluate([doc(*statements)], Request(action, resource, context)).decision


def test_no_statement_matching_is_an_implicit_deny():
    assert decide([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}], "s3:PutObject") is (
        Decision.IMPLICIT_DENY
    )


def test_explicit_deny_wins_over_allow_in_any_policy():
    request = Request("s3:PutObject", "arn:aws:s3:::b/k")
    allow = doc(ALLOW_ALL)
    deny = doc({"Effect": "Deny", "Action": "s3:Put*", "Resource": "*"})
    assert evaluate([allow], request).decision is Decision.ALLOW
    result = evaluate([allow, deny], request)
    assert result.decision is Decision.EXPLICIT_DENY
    assert result.denied_by == ("1:0",)


def test_action_wildcards_are_case_insensitive():
    statement = {"Effect": "Allow", "Action": "S3:get*", "Resource": "*"}
    assert decide([statement], "s3:GetObject") is Decision.ALLOW
    assert decide([{**statement, "Action": "s3:Get?bject"}], "s3:GetObject") is Decision.ALLOW
    assert decide([{**statement, "Action": "s3:Get?bject"}], "s3:GetObjects") is Decision.IMPLICIT_DENY


def test_not_action_matches_every_other_action():
    statement = {"Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "Resource": "*"}
    assert decide([ALLOW_ALL, statement], "s3:GetObject") is Decision.EXPLICIT_DENY
    assert decide([ALLOW_ALL, statement], "iam:CreateRole") is Decision.ALLOW


def test_resource_and_not_resource_are_case_sensitive_wildcards():
    deny = {"Effect": "Deny", "Action": "*", "Resource": ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"]}
    assert decide([ALLOW_ALL, deny], resource="arn:aws:s3:::logs/a/b") is Decision.EXPLICIT_DENY
    assert decide([ALLOW_ALL, deny], resource="arn:aws:s3:::LOGS/a") is Decision.ALLOW
    not_resource = {"Effect": "Deny", "Action": "*", "NotResource": "arn:aws:s3:::public/*"}
    assert decide([ALLOW_ALL, not_resource], resource="arn:aws:s3:::public/x") is Decision.ALLOW
    assert decide([ALLOW_ALL, not_resource], resource="arn:aws:s3:::private/x") is Decision.EXPLICIT_DENY


@pytest.mark.parametrize(
    ("operator", "policy_value", "actual", "expected"),
    [
        ("StringEquals", "eu-west-1", "eu-west-1", True),
        ("StringEquals", "eu-west-1", "EU-WEST-1", False),
        ("StringEqualsIgnoreCase", "eu-west-1", "EU-WEST-1", True),
        ("StringNotEquals", ["eu-west-1", "eu-central-1"], "eu-west-1", False),
        ("StringNotEquals", ["eu-west-1", "eu-central-1"], "us-east-1", True),
        ("StringLike", "arn:aws:iam::*:role/lz-*", "arn:aws:iam::1:role/lz-x", True),
        ("StringNotLike", "arn:aws:iam::*:role/lz-*", "arn:aws:iam::1:role/app", True),
        ("ArnLike", "arn:aws:iam::*:role/lz-*", "arn:aws:iam::123:role/lz-a", True),
        ("ArnLike", "arn:aws:iam::*:root", "arn:aws:iam::123:root", True),
        ("ArnLike", "arn:aws:iam::*:root", "arn:aws:sts::123:assumed-role/x/root", False),
        ("ArnNotLike", ["arn:aws:iam::*:role/a", "arn:aws:iam::*:role/b"], "arn:aws:iam::1:role/b", False),
        ("ArnNotLike", ["arn:aws:iam::*:role/a", "arn:aws:iam::*:role/b"], "arn:aws:iam::1:role/c", True),
        ("Bool", "true", True, True),
        ("Bool", "false", "true", False),
        ("NumericLessThan", "2.0", "1.0", True),
        ("NumericLessThan", "2.0", "2", False),
        ("NumericGreaterThanEquals", "3", 3, True),
    ],
)
def test_condition_operators(operator, policy_value, actual, expected):
    statement = {
        "Effect": "Allow",
        "Action": "*",
        "Resource": "*",
        "Condition": {operator: {"k:key": policy_value}},
    }
    assert (decide([statement], **{"k:key": actual}) is Decision.ALLOW) is expected


def test_arn_like_matches_each_component_on_its_own():
    statement = {"Effect": "Allow", "Action": "*", "Resource": "*"}
    cond = {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/x"}}
    # with StringLike the '*' could swallow the ':' separators; ArnLike matches per component
    assert decide([{**statement, "Condition": cond}], **{"aws:PrincipalArn": "arn:aws:iam::1:2:role/x"}) is (
        Decision.IMPLICIT_DENY
    )


def test_missing_key_is_false_for_positive_and_true_for_negated_operators():
    base = {"Effect": "Allow", "Action": "*", "Resource": "*"}
    assert decide([{**base, "Condition": {"StringEquals": {"k:absent": "x"}}}]) is Decision.IMPLICIT_DENY
    assert decide([{**base, "Condition": {"StringNotEquals": {"k:absent": "x"}}}]) is Decision.ALLOW
    assert decide([{**base, "Condition": {"ArnNotLike": {"k:absent": "arn:*"}}}]) is Decision.ALLOW


def test_if_exists_is_true_when_the_key_is_missing_and_checks_it_when_present():
    base = {"Effect": "Allow", "Action": "*", "Resource": "*"}
    statement = {**base, "Condition": {"StringEqualsIfExists": {"k:key": "x"}}}
    assert decide([statement]) is Decision.ALLOW
    assert decide([statement], **{"k:key": "x"}) is Decision.ALLOW
    assert decide([statement], **{"k:key": "y"}) is Decision.IMPLICIT_DENY
    boolean = {**base, "Condition": {"BoolIfExists": {"k:flag": "false"}}}
    assert decide([boolean]) is Decision.ALLOW
    assert decide([boolean], **{"k:flag": True}) is Decision.IMPLICIT_DENY


def test_null_tests_presence():
    base = {"Effect": "Allow", "Action": "*", "Resource": "*"}
    assert decide([{**base, "Condition": {"Null": {"k:key": "true"}}}]) is Decision.ALLOW
    assert decide([{**base, "Condition": {"Null": {"k:key": "true"}}}], **{"k:key": "v"}) is (
        Decision.IMPLICIT_DENY
    )
    assert decide([{**base, "Condition": {"Null": {"k:key": "false"}}}], **{"k:key": "v"}) is Decision.ALLOW


def test_set_operators_on_multi_valued_keys():
    base = {"Effect": "Allow", "Action": "*", "Resource": "*"}
    any_of = {**base, "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": ["a", "b"]}}}
    all_of = {**base, "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}}}
    assert decide([any_of], **{"aws:TagKeys": ["b", "z"]}) is Decision.ALLOW
    assert decide([any_of], **{"aws:TagKeys": ["z"]}) is Decision.IMPLICIT_DENY
    assert decide([any_of]) is Decision.IMPLICIT_DENY  # missing: no value matches
    assert decide([all_of], **{"aws:TagKeys": ["a", "b"]}) is Decision.ALLOW
    assert decide([all_of], **{"aws:TagKeys": ["a", "z"]}) is Decision.IMPLICIT_DENY
    assert decide([all_of]) is Decision.ALLOW  # missing: vacuously true
    with pytest.raises(PolicyError, match="ForAnyValue/ForAllValues"):
        decide([{**base, "Condition": {"StringEquals": {"aws:TagKeys": "a"}}}], **{"aws:TagKeys": ["a"]})


def test_operators_and_keys_are_anded_values_ored():
    statement = {
        "Effect": "Allow",
        "Action": "*",
        "Resource": "*",
        "Condition": {"StringEquals": {"k:a": ["1", "2"], "k:b": "x"}, "Bool": {"k:c": "true"}},
    }
    assert decide([statement], **{"k:a": "2", "k:b": "x", "k:c": True}) is Decision.ALLOW
    assert decide([statement], **{"k:a": "3", "k:b": "x", "k:c": True}) is Decision.IMPLICIT_DENY
    assert decide([statement], **{"k:a": "1", "k:b": "x", "k:c": False}) is Decision.IMPLICIT_DENY


def test_condition_key_names_are_case_insensitive_values_are_not():
    statement = {
        "Effect": "Allow",
        "Action": "*",
        "Resource": "*",
        "Condition": {"StringEquals": {"AWS:RequestedRegion": "eu-west-1"}},
    }
    assert decide([statement], **{"aws:requestedregion": "eu-west-1"}) is Decision.ALLOW


def test_policy_variables_are_substituted_from_the_context():
    statement = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": "*",
        "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "${aws:ResourceOrgID}"}},
    }
    same = {"aws:PrincipalOrgID": "o-1", "aws:ResourceOrgID": "o-1"}
    other = {"aws:PrincipalOrgID": "o-2", "aws:ResourceOrgID": "o-1"}
    assert evaluate_rcps([doc(statement)], Request("s3:GetObject", "arn:aws:s3:::b/k", same)).allowed
    assert not evaluate_rcps([doc(statement)], Request("s3:GetObject", "arn:aws:s3:::b/k", other)).allowed


def test_principal_elements():
    base = {"Effect": "Allow", "Action": "*", "Resource": "*"}
    arn = {"aws:PrincipalArn": "arn:aws:iam::111111111111:role/app"}
    assert decide([{**base, "Principal": "*"}], **arn) is Decision.ALLOW
    assert (
        decide([{**base, "Principal": {"AWS": "arn:aws:iam::111111111111:role/*"}}], **arn) is Decision.ALLOW
    )
    assert decide([{**base, "Principal": {"AWS": "arn:aws:iam::222222222222:root"}}], **arn) is (
        Decision.IMPLICIT_DENY
    )
    assert (
        decide([{**base, "NotPrincipal": {"AWS": "arn:aws:iam::222222222222:root"}}], **arn) is Decision.ALLOW
    )


def test_scps_are_evaluated_with_full_aws_access():
    deny = doc({"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"})
    assert evaluate_scps([deny], Request("s3:GetObject")).allowed
    assert not evaluate_scps([deny], Request("organizations:LeaveOrganization")).allowed
    assert not evaluate([deny], Request("s3:GetObject")).allowed  # without FullAWSAccess nothing is allowed


def test_unsupported_syntax_is_an_error_not_a_guess():
    with pytest.raises(PolicyError, match="unsupported condition operator"):
        decide(
            [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"DateLessThan": {"k": "x"}}}]
        )
    with pytest.raises(PolicyError, match="both Action and NotAction"):
        decide([{"Effect": "Allow", "Action": "*", "NotAction": "s3:*", "Resource": "*"}])
    with pytest.raises(PolicyError, match="neither Resource nor NotResource"):
        decide([{"Effect": "Allow", "Action": "*"}])
