"""The classification a workload construct carries: its own rating, else the enclosing scope's,
else the medium fallback (which never overrides a rating given higher up)."""

from __future__ import annotations

import aws_cdk as cdk

from landing_zone.classification import classification_of, classify
from landing_zone.workloads import SecureBucket, SecureQueue

HIGH = {"confidentiality": "high", "integrity": "high", "availability": "high"}


def _rating(construct) -> dict[str, str]:
    return classification_of(construct.node.default_child, construct.node.default_child.cfn_resource_type)


def test_fallback_is_medium() -> None:
    stack = cdk.Stack(cdk.App(), "S")
    assert set(_rating(SecureBucket(stack, "B")).values()) == {"medium"}


def test_stack_rating_wins_over_the_fallback() -> None:
    stack = cdk.Stack(cdk.App(), "S")
    classify(stack, confidentiality="high", integrity="low", availability="low")
    rating = _rating(SecureQueue(stack, "Q"))
    assert rating == {"bio2:availability": "low", "bio2:confidentiality": "high", "bio2:integrity": "low"}


def test_own_rating_wins_over_the_stack() -> None:
    stack = cdk.Stack(cdk.App(), "S")
    classify(stack, confidentiality="low", integrity="low", availability="low")
    bucket = SecureBucket(stack, "B", classification=HIGH)
    assert set(_rating(bucket).values()) == {"high"}
    # the bucket's key and access-log bucket carry it too
    log_bucket = bucket.access_logs_bucket
    assert set(_rating(log_bucket).values()) == {"high"}


def test_buckets_can_share_one_access_log_bucket() -> None:
    from workloads_testkit import bio2_findings

    def build(stack: cdk.Stack) -> None:
        first = SecureBucket(stack, "First")
        SecureBucket(stack, "Second", server_access_logs_bucket=first.access_logs_bucket)

    found = bio2_findings(build)
    # (no synthesis here, so the classification tag aspects have not run: that rule is left out)
    errors = {rule for rule, level in found.items() if level == "error"} - {"BIO2-Tagging-Classification"}
    assert not errors, found
    assert "BIO2-S3-AccessLogging" not in found, found
