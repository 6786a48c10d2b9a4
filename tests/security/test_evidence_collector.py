"""The read-only evidence collection role (issue 19, Must show): in the templates, and a policy
that allows exactly the read APIs ``bio2 collect`` calls, in the allowed regions, to one principal."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from bio2_aspects.collect import sources
from bio2_aspects.collect.cli import COLLECTOR_ROLE_NAME
from landing_zone.config import load_config
from landing_zone.organization.evaluator import Request, evaluate
from landing_zone.security import names

pytestmark = pytest.mark.synth

HOME = "lz-security-eu-central-1"


def collector_role(synth: Any) -> dict[str, Any]:
    roles = [
        res
        for _stack, _lid, res in synth.resources("AWS::IAM::Role")
        if res["Properties"].get("RoleName") == names.EVIDENCE_COLLECTOR_ROLE_NAME
    ]
    assert len(roles) == 1, "exactly one collection role in the whole landing zone"
    [(stack, _lid, _res)] = [
        r
        for r in synth.resources("AWS::IAM::Role")
        if r[2]["Properties"].get("RoleName") == names.EVIDENCE_COLLECTOR_ROLE_NAME
    ]
    assert stack == HOME, "the role lives in the security account's home-region stack"
    return roles[0]


def policy_of(role: dict[str, Any]) -> dict[str, Any]:
    [policy] = role["Properties"]["Policies"]
    return policy["PolicyDocument"]


def test_the_role_is_in_the_security_account_and_named_as_the_cli_says(default_synth: Any) -> None:
    role = collector_role(default_synth)
    assert names.EVIDENCE_COLLECTOR_ROLE_NAME == COLLECTOR_ROLE_NAME
    assert role["Properties"]["MaxSessionDuration"] == 3600
    assert "ManagedPolicyArns" not in role["Properties"]


def test_the_policy_allows_exactly_the_read_apis_the_collector_calls(default_synth: Any) -> None:
    doc = policy_of(collector_role(default_synth))
    [statement] = doc["Statement"]
    assert statement["Effect"] == "Allow"
    actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
    assert sorted(actions) == sorted(sources.iam_actions())
    assert not any("*" in a for a in actions)
    cfg = load_config()
    allowed = sorted({cfg.regions.home, *cfg.regions.allowed})
    region = cfg.regions.home
    # every call the collector makes is allowed...
    for service, op in sources.API_CALLS:
        action = f"{sources.IAM_PREFIXES[service]}:{op}"
        assert evaluate([doc], Request(action, context={"aws:RequestedRegion": region})).allowed, action
        # ...in the allowed regions only
        assert not evaluate([doc], Request(action, context={"aws:RequestedRegion": "us-east-1"})).allowed
    assert set(allowed) == set(statement["Condition"]["StringEquals"]["aws:RequestedRegion"])
    # ...and no other operation of those services (every operation in botocore's models), nor others
    session = boto3.Session(aws_access_key_id="x", aws_secret_access_key="x", region_name=region)
    wanted = set(sources.iam_actions())
    for service, prefix in sources.IAM_PREFIXES.items():
        model = session.client(service).meta.service_model
        assert model.signing_name == prefix, service
        for op in model.operation_names:
            action = f"{prefix}:{op}"
            decision = evaluate([doc], Request(action, context={"aws:RequestedRegion": region})).allowed
            assert decision == (action in wanted), action
    for other in ("s3:GetObject", "iam:PassRole", "sts:AssumeRole", "kms:Decrypt", "logs:GetLogEvents"):
        assert not evaluate([doc], Request(other, context={"aws:RequestedRegion": region})).allowed


def test_the_role_trusts_one_principal_of_the_security_account(default_synth: Any) -> None:
    trust = collector_role(default_synth)["Properties"]["AssumeRolePolicyDocument"]
    [statement] = trust["Statement"]
    assert statement["Action"] == "sts:AssumeRole" and statement["Effect"] == "Allow"
    principal = str(statement["Principal"]["AWS"])
    assert "333333333333" in principal or "security" in principal.lower()
    pattern = statement["Condition"]["ArnLike"]["aws:PrincipalArn"]
    assert pattern.endswith("/AWSReservedSSO_security-audit_*")
    assert ":role/aws-reserved/sso.amazonaws.com/" in pattern
    for arn, ok in (
        (
            "arn:aws:iam::{a}:role/aws-reserved/sso.amazonaws.com/eu-central-1/AWSReservedSSO_security-audit_0a1b2c",
            True,
        ),
        (
            "arn:aws:iam::{a}:role/aws-reserved/sso.amazonaws.com/eu-central-1/AWSReservedSSO_platform-admin_0a1b",
            False,
        ),
        ("arn:aws:iam::{a}:role/lz-platform-automation", False),
    ):
        account = pattern.split(":")[4]
        policy = {
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Resource": "*",
                    "Condition": statement["Condition"],
                }
            ]
        }
        got = evaluate(
            [policy], Request("sts:AssumeRole", context={"aws:PrincipalArn": arn.format(a=account)})
        ).allowed
        assert got is ok, arn


def test_collect_on_the_real_synth_manifest(default_synth: Any, tmp_path: Any) -> None:
    """The collector against the manifest a real synth wrote (not only the fixture): valid output,
    the red measure no better than at design time and named in the register."""
    import json

    import jsonschema

    from bio2_aspects.evidence.common import STATUS_RANK
    from bio2_aspects.evidence.register import render_register_csv
    from bio2_aspects.evidence.schema import manifest_schema
    from tests.collect.test_must_show import RED_BUCKET, collect, world

    design = tmp_path / "manifest.json"
    design.write_text(json.dumps(default_synth.manifest), encoding="utf-8")
    out = tmp_path / "runtime.json"
    assert collect(design, out, world(red=True)) == 0
    red = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(red, manifest_schema())
    before = next(m for m in default_synth.manifest["measures"] if m["id"] == "8.21.04")["status"]
    after = next(m for m in red["measures"] if m["id"] == "8.21.04")
    assert after["runtime"]["state"] == "non_compliant"
    assert STATUS_RANK[after["status"]] <= STATUS_RANK.get(before, 99)
    assert after["status"] not in ("implemented", "awaiting_attestation")
    assert RED_BUCKET in render_register_csv(red).decode("utf-8-sig")
