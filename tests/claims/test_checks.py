"""Unit tests of the claim checks and the Condition helper: each tries to make a check pass wrongly."""

from __future__ import annotations

from typing import Any

import pytest

from bio2_aspects.assembly import StackTemplate
from bio2_aspects.claims import (
    CHECKS,
    AggregatorCovers,
    ClaimContext,
    ClaimTable,
    ConfigRulesInPack,
    EventRuleEnabled,
    GuardDutyEnabled,
    Narrowed,
    ObjectLock,
    PolicyAttached,
    PolicyDenies,
    RestoreTestingSelects,
    TagPolicyEnforces,
    TrustRequiresMfa,
    VaultLock,
    evaluate_claims,
)
from bio2_aspects.claims.checks import check_from_json
from bio2_aspects.conditions import condition_holds, resource_exists

EXEMPT = ("arn:aws:iam::*:role/lz-platform-*",)


def ctx(resources: dict[str, Any], lid: str = "R", **template: Any) -> ClaimContext:
    st = StackTemplate(
        "a", "a", "a.template.json", {"Resources": resources, **template}, "0" * 64, None, None
    )
    return ClaimContext(st, lid, (st,))


def scp(
    *statements: dict[str, Any], targets: Any = ("r-ab12",), kind: str = "SERVICE_CONTROL_POLICY"
) -> dict:
    return {
        "Type": "AWS::Organizations::Policy",
        "Properties": {
            "Type": kind,
            "TargetIds": list(targets),
            "Content": {"Version": "2012-10-17", "Statement": list(statements)},
        },
    }


def deny(**kw: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Resource": "*", **kw}


def holds(check: Any, resources: dict[str, Any], **template: Any) -> bool:
    """The fact holds in full (a narrowed fact does not hold)."""
    outcome = check.evaluate(ctx(resources, **template))
    return not isinstance(outcome, Narrowed) and outcome[0]


def narrowed(check: Any, resources: dict[str, Any], **template: Any) -> Narrowed | None:
    outcome = check.evaluate(ctx(resources, **template))
    return outcome if isinstance(outcome, Narrowed) else None


STOP = PolicyDenies(actions=("cloudtrail:StopLogging",), exempt=EXEMPT)


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        (deny(Action="cloudtrail:StopLogging"), True),
        (deny(Action="cloudtrail:*"), True),
        (deny(Action="*"), True),
        (deny(Action="CloudTrail:stoplogging"), True),  # IAM actions are case-insensitive
        (deny(NotAction=["s3:*"]), True),
        (deny(NotAction=["cloudtrail:Stop*"]), False),
        (deny(Action="cloudtrail:Stop"), False),
        ({"Effect": "Allow", "Action": "*", "Resource": "*"}, False),
        (deny(Action="cloudtrail:StopLogging", Resource="arn:aws:cloudtrail:*:*:trail/one"), False),
        (
            deny(
                Action="cloudtrail:StopLogging", Condition={"ArnNotLike": {"aws:PrincipalArn": list(EXEMPT)}}
            ),
            True,
        ),
        (
            deny(
                Action="cloudtrail:StopLogging",
                Condition={"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/*"}},
            ),
            False,
        ),
        (
            deny(
                Action="cloudtrail:StopLogging",
                Condition={"StringEquals": {"aws:RequestedRegion": "eu-west-3"}},
            ),
            False,
        ),
        (
            deny(Action="cloudtrail:StopLogging", Condition={"Bool": {"aws:ViaAWSService": {"Ref": "P"}}}),
            False,
        ),
    ],
)
def test_policy_denies_reads_the_statement_facts(statement: dict[str, Any], expected: bool) -> None:
    assert holds(STOP, {"R": scp(statement)}) is expected


def test_policy_denies_needs_the_claimed_policy_type_and_a_literal_document() -> None:
    assert not holds(STOP, {"R": scp(deny(Action="*"), kind="RESOURCE_CONTROL_POLICY")})
    body = scp(deny(Action="*"))
    body["Properties"]["Content"] = {"Fn::Join": ["", ["{", "}"]]}
    assert not holds(STOP, {"R": body})
    body["Properties"]["Content"] = '{"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}'
    assert holds(STOP, {"R": body}), "a JSON string is a literal document"


def test_policy_attached_knows_root_ous_and_accounts() -> None:
    org = PolicyAttached(scope="organization")
    ou = {
        "Type": "AWS::Organizations::OrganizationalUnit",
        "Properties": {"Name": "Sandbox", "ParentId": "r-ab12"},
    }
    attached_ou = {"R": scp(deny(Action="*"), targets=[{"Fn::GetAtt": ["OU", "Id"]}]), "OU": ou}
    assert holds(org, {"R": scp(deny(Action="*"))})
    assert not holds(org, attached_ou), "attached to Sandbox cannot prove an org-wide measure"
    assert narrowed(org, attached_ou) == Narrowed(
        covers=("Sandbox",),
        missing=("accounts directly under Root",),
        detail="attached to Sandbox, not to the organization root",
    )
    one_account = {"R": scp(deny(Action="*"), targets=["123456789012"])}
    assert not holds(org, one_account)
    assert narrowed(org, one_account).covers == ("account 123456789012",)
    assert not holds(org, {"R": scp(deny(Action="*"), targets=[])})
    assert not narrowed(org, {"R": scp(deny(Action="*"), targets=[])}), "attached to nothing fails"
    unresolved = {"R": scp(deny(Action="*"), targets=[{"Fn::ImportValue": "SomeOu"}])}
    assert not holds(org, unresolved) and not narrowed(org, unresolved), "an unknown target fails"
    assert holds(PolicyAttached(scope="ous", ous=("Sandbox",)), attached_ou)
    assert not holds(PolicyAttached(scope="ous", ous=("Workloads",)), attached_ou)
    assert not narrowed(PolicyAttached(scope="ous", ous=("Workloads",)), attached_ou)
    some = narrowed(PolicyAttached(scope="ous", ous=("Sandbox", "Workloads")), attached_ou)
    assert some and (some.covers, some.missing) == (("Sandbox",), ("Workloads",))
    param = {"R": scp(deny(Action="*"), targets=[{"Ref": "Root"}])}
    assert holds(org, param, Parameters={"Root": {"Type": "String", "AllowedPattern": "^r-[0-9a-z]{4,32}$"}})
    assert not holds(org, param, Parameters={"Root": {"Type": "String"}}), "any ID could be passed"


def _ou(name: str, parent: Any = "r-ab12") -> dict[str, Any]:
    return {
        "Type": "AWS::Organizations::OrganizationalUnit",
        "Properties": {"Name": name, "ParentId": parent},
    }


def test_a_policy_on_some_ous_narrows_to_the_ous_it_reaches() -> None:
    """The uncovered scope is named at the highest OU whose whole subtree is uncovered."""
    org = PolicyAttached(scope="organization")
    tree = {
        "Sec": _ou("Security"),
        "Wl": _ou("Workloads"),
        "Prod": _ou("Prod", {"Fn::GetAtt": ["Wl", "Id"]}),
        "NonProd": _ou("NonProd", {"Fn::GetAtt": ["Wl", "Id"]}),
        "Sbx": _ou("Sandbox"),
        "Gone": {**_ou("Gone"), "Condition": "Never"},
    }
    template = {"Conditions": {"Never": {"Fn::Equals": ["a", "b"]}}}
    prod = {"Fn::GetAtt": ["Prod", "Id"]}
    sandbox = {"Fn::GetAtt": ["Sbx", "Id"]}
    found = narrowed(org, {"R": scp(deny(Action="*"), targets=[prod, sandbox]), **tree}, **template)
    assert found is not None
    assert found.covers == ("Sandbox", "Workloads/Prod")
    assert found.missing == (
        "Security",
        "accounts directly in Workloads",
        "Workloads/NonProd",
        "accounts directly under Root",
    )
    whole = narrowed(org, {"R": scp(deny(Action="*"), targets=[sandbox]), **tree}, **template)
    assert whole.missing == ("Security", "Workloads", "accounts directly under Root")
    nonprod = {"Fn::GetAtt": ["NonProd", "Id"]}
    children = narrowed(org, {"R": scp(deny(Action="*"), targets=[prod, nonprod]), **tree}, **template)
    assert children.covers == ("Workloads/NonProd", "Workloads/Prod")
    assert children.missing == (
        "Sandbox",
        "Security",
        "accounts directly in Workloads",  # both child OUs covered, the parent OU itself is not
        "accounts directly under Root",
    )
    # a policy that no longer denies fails, narrowed or not: content is checked by PolicyDenies
    emptied = {"R": scp({"Effect": "Allow", "Action": "*", "Resource": "*"}, targets=[sandbox]), **tree}
    assert not holds(STOP, emptied)


def test_regions_and_accounts_narrow() -> None:
    agg = {
        "Type": "AWS::Config::ConfigurationAggregator",
        "Properties": {"OrganizationAggregationSource": {"AwsRegions": ["eu-west-1"], "RoleArn": "x"}},
    }
    both = AggregatorCovers(regions=("eu-central-1", "eu-west-1"))
    found = narrowed(both, {"R": agg})
    assert found and (found.covers, found.missing, found.unit) == (
        ("eu-west-1",),
        ("eu-central-1",),
        "region",
    )
    agg["Properties"]["OrganizationAggregationSource"]["AwsRegions"] = ["us-east-1"]
    assert not holds(both, {"R": agg}) and not narrowed(both, {"R": agg}), "no needed region: fails"
    pack = {
        "Type": "AWS::Config::OrganizationConformancePack",
        "Properties": {
            "ExcludedAccounts": ["111122223333"],
            "TemplateBody": {
                "Resources": {
                    "A": {
                        "Type": "AWS::Config::ConfigRule",
                        "Properties": {"Source": {"Owner": "AWS", "SourceIdentifier": "ID_ONE"}},
                    }
                }
            },
        },
    }
    one = ConfigRulesInPack(identifiers=("ID_ONE",))
    found = narrowed(one, {"R": pack})
    assert found and found.missing == ("account 111122223333",)
    pack["Properties"]["ExcludedAccounts"] = [{"Ref": "Excluded"}]
    assert not holds(one, {"R": pack}) and not narrowed(one, {"R": pack}), "deploy-time exclusions fail"
    assert not narrowed(ConfigRulesInPack(identifiers=("ID_TWO",)), {"R": pack})


def test_a_narrowed_claim_is_partial_and_names_its_scope() -> None:
    mapping = [{"measure": "8.19.01", "strength": "full", "rationale": {"en": "e", "nl": "n"}}]
    data = {
        "id": "T-A-B",
        "kind": "preventive",
        "detail": "d",
        "checks": [STOP.to_json(), PolicyAttached().to_json()],
        "mappings": mapping,
    }
    sandbox = {"Fn::GetAtt": ["Sbx", "Id"]}
    tpl = {
        "Resources": {"R": scp(deny(Action="*"), targets=[sandbox]), "Sbx": _ou("Sandbox"), "Sec": _ou("Sec")}
    }
    st = StackTemplate(
        "a", "a", "a.template.json", tpl, "0" * 64, None, None, paths={"R": "S/R"}, claims=[("S/R", data)]
    )
    [result] = evaluate_claims([st])
    assert result.result == "partial" and not result.passed
    assert result.covers == ("Sandbox",) and result.not_covered == ("Sec", "accounts directly under Root")
    assert "Narrowed: covers Sandbox; not Sec" in result.detail
    tpl["Resources"]["R"]["Properties"]["Content"]["Statement"] = [
        {"Effect": "Allow", "Action": "*", "Resource": "*"}
    ]
    [emptied] = evaluate_claims([st])
    assert emptied.result == "fail" and not emptied.covers, "an emptied narrowed policy still fails"
    tpl["Resources"]["R"]["Properties"]["Content"]["Statement"] = [deny(Action="*")]
    st.acknowledgements["S"] = {"BIO2::BIO2-Engine-ClaimNarrowed": "the allow-list is meant for workloads"}
    [accepted] = evaluate_claims([st])
    assert (
        accepted.result == "partial" and accepted.acknowledgement == "the allow-list is meant for workloads"
    )


def test_monitor_checks() -> None:
    det = {
        "Type": "AWS::GuardDuty::Detector",
        "Properties": {"Enable": True, "Features": [{"Name": "X", "Status": "ENABLED"}]},
    }
    assert holds(GuardDutyEnabled(features=("X",)), {"R": det})
    assert not holds(GuardDutyEnabled(features=("Y",)), {"R": det})
    det["Properties"]["Enable"] = {"Ref": "On"}
    assert not holds(GuardDutyEnabled(), {"R": det})
    rule = {
        "Type": "AWS::Events::Rule",
        "Properties": {"EventPattern": {"source": ["x"]}, "Targets": [{"Id": "T"}]},
    }
    assert not holds(EventRuleEnabled(), {"R": rule}), "State must be written out"
    rule["Properties"]["State"] = "ENABLED"
    assert holds(EventRuleEnabled(), {"R": rule})
    pack = {
        "Type": "AWS::Config::OrganizationConformancePack",
        "Properties": {
            "TemplateBody": "Resources:\n  A:\n    Type: AWS::Config::ConfigRule\n    Properties:\n"
            "      Source: {Owner: AWS, SourceIdentifier: ID_ONE}\n"
        },
    }
    assert holds(ConfigRulesInPack(identifiers=("ID_ONE",)), {"R": pack}), "YAML bodies are read too"
    assert not holds(ConfigRulesInPack(identifiers=("ID_TWO",)), {"R": pack})


def test_protection_checks() -> None:
    bucket = {
        "Type": "AWS::S3::Bucket",
        "Properties": {
            "ObjectLockEnabled": True,
            "ObjectLockConfiguration": {
                "ObjectLockEnabled": "Enabled",
                "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Years": 3}},
            },
        },
    }
    assert holds(ObjectLock(mode="COMPLIANCE", min_days=1095), {"R": bucket})
    assert not holds(ObjectLock(mode="COMPLIANCE", min_days=1096), {"R": bucket})
    vault = {
        "Type": "AWS::Backup::BackupVault",
        "Properties": {"LockConfiguration": {"MinRetentionDays": 35, "ChangeableForDays": 3}},
    }
    assert holds(VaultLock(min_retention_days=35, max_grace_days=3), {"R": vault})
    assert not holds(VaultLock(min_retention_days=36, max_grace_days=3), {"R": vault})
    vault["Properties"]["LockConfiguration"]["MinRetentionDays"] = {"Ref": "Days"}
    assert not holds(VaultLock(min_retention_days=1, max_grace_days=3), {"R": vault})
    plan = {
        "Type": "AWS::Backup::RestoreTestingPlan",
        "Properties": {
            "RestoreTestingPlanName": "p",
            "ScheduleExpression": "cron(0 5 ? * 1 *)",
            "RecoveryPointSelection": {"IncludeVaults": ["arn"]},
        },
    }
    sel = {
        "Type": "AWS::Backup::RestoreTestingSelection",
        "Properties": {
            "RestoreTestingPlanName": "p",
            "ProtectedResourceType": "EBS",
            "ProtectedResourceArns": ["*"],
        },
    }
    assert holds(RestoreTestingSelects(resource_types=("EBS",)), {"R": plan, "S": sel})
    assert not holds(RestoreTestingSelects(resource_types=("EBS", "RDS")), {"R": plan, "S": sel})
    sel["Properties"]["RestoreTestingPlanName"] = "other"
    assert not holds(RestoreTestingSelects(resource_types=("EBS",)), {"R": plan, "S": sel})


def test_trust_and_tag_checks() -> None:
    good = {
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::111111111111:user/alice"},
        "Action": "sts:AssumeRole",
        "Condition": {
            "Bool": {"aws:MultiFactorAuthPresent": "true"},
            "NumericLessThan": {"aws:MultiFactorAuthAge": "900"},
        },
    }
    role = {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": [good]}}}
    assert holds(TrustRequiresMfa(max_age_seconds=900), {"R": role})
    assert not holds(TrustRequiresMfa(max_age_seconds=300), {"R": role})
    sneaky = {**good, "Principal": {"AWS": "arn:aws:iam::111111111111:user/*"}}
    role["Properties"]["AssumeRolePolicyDocument"]["Statement"].append(sneaky)
    assert not holds(TrustRequiresMfa(max_age_seconds=900), {"R": role})
    tags = {
        "tags": {
            "c": {
                "tag_key": {"@@assign": "bio2:c"},
                "tag_value": {"@@assign": ["low", "high"]},
                "enforced_for": {"@@assign": ["s3:bucket"]},
            }
        }
    }
    policy = {"Type": "AWS::Organizations::Policy", "Properties": {"Type": "TAG_POLICY", "Content": tags}}
    check = TagPolicyEnforces(keys={"bio2:c": ("low", "medium", "high")}, enforced_for=("s3:bucket",))
    assert holds(check, {"R": policy})
    tags["tags"]["c"]["tag_key"]["@@assign"] = "BIO2:C"
    assert not holds(check, {"R": policy}), "a key in another case is another key"


def test_every_check_survives_the_metadata_round_trip() -> None:
    samples = [
        STOP,
        PolicyDenies(actions=("*",), when={"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}}),
        TagPolicyEnforces(keys={"k": ("a", "b")}),
        PolicyAttached(scope="ous", ous=("A/B",)),
    ]
    for check in samples:
        assert (
            check_from_json(check.to_json()) == check
            or check_from_json(check.to_json()).to_json() == check.to_json()
        )
    assert {"PolicyDenies", "GuardDutyEnabled", "VaultLock", "TrustRequiresMfa"} <= set(CHECKS)
    with pytest.raises(ValueError, match="unknown claim check"):
        check_from_json({"check": "Trusted"})


def test_conditions_three_valued() -> None:
    tpl = {
        "Parameters": {"P": {"Type": "String"}},
        "Mappings": {"M": {"eu-west-1": {"On": "yes"}}},
        "Conditions": {
            "Never": {"Fn::Equals": ["a", "b"]},
            "Always": {"Fn::Not": [{"Condition": "Never"}]},
            "Param": {"Fn::Equals": [{"Ref": "P"}, "x"]},
            "Home": {"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-west-1"]},
            "AndFalse": {"Fn::And": [{"Condition": "Param"}, {"Condition": "Never"}]},
            "OrTrue": {"Fn::Or": [{"Condition": "Param"}, {"Condition": "Always"}]},
            "Mapped": {"Fn::Equals": [{"Fn::FindInMap": ["M", {"Ref": "AWS::Region"}, "On"]}, "yes"]},
        },
        "Resources": {"A": {"Type": "X", "Condition": "Home"}, "B": {"Type": "X"}},
    }
    assert condition_holds(tpl, "Never") is False
    assert condition_holds(tpl, "Always") is True
    assert condition_holds(tpl, "Param") is None
    assert condition_holds(tpl, "Home") is None
    assert condition_holds(tpl, "Home", {"AWS::Region": "eu-west-1"}) is True
    assert condition_holds(tpl, "AndFalse") is False
    assert condition_holds(tpl, "OrTrue") is True
    assert condition_holds(tpl, "Mapped", {"AWS::Region": "eu-west-1"}) is True
    assert condition_holds(tpl, "Missing") is None
    assert resource_exists(tpl, "A") is None
    assert resource_exists(tpl, "B") is True
    assert resource_exists(tpl, "C") is False


def test_a_claim_on_a_conditioned_resource() -> None:
    mapping = [{"measure": "8.15.05", "strength": "full", "rationale": {"en": "e", "nl": "n"}}]
    data = {
        "id": "T-A-B",
        "kind": "preventive",
        "detail": "d",
        "checks": [STOP.to_json()],
        "mappings": mapping,
    }
    tpl = {
        "Resources": {"R": {**scp(deny(Action="*")), "Condition": "C"}},
        "Conditions": {"C": {"Fn::Equals": ["1", "2"]}},
    }
    st = StackTemplate(
        "a", "a", "a.template.json", tpl, "0" * 64, None, None, paths={"R": "S/R"}, claims=[("S/R", data)]
    )
    [never] = evaluate_claims([st])
    assert (never.result, never.measures) == ("fail", ["8.15.05"])
    tpl["Conditions"]["C"] = {"Fn::Equals": [{"Ref": "P"}, "2"]}
    [unknown] = evaluate_claims([st])
    assert unknown.result == "unknown" and "deploy time" in unknown.detail


def test_the_claim_table_is_complete_and_bilingual() -> None:
    from landing_zone.claims import claim_table

    table = claim_table()
    for spec in table.specs.values():
        assert spec.mappings, f"{spec.id}: a claim in the table evidences at least one measure"
        for m in spec.mappings:
            assert m.strength in ("full", "supporting") and m.rationale_en and m.rationale_nl
            assert m.rationale_en != m.rationale_nl
    with_controls = [spec for spec in table.specs.values() if spec.controls]
    assert {(s.id, c.control) for s in with_controls for c in s.controls} == {
        ("LZ-Config-Aggregator", "8.9"),
        ("LZ-GuardDuty-Detector", "5.7"),
        ("LZ-TagPolicy-Classification", "5.13"),
    }
    for spec in with_controls:
        for c in spec.controls:
            assert c.strength == "supporting" and c.rationale_en and c.rationale_nl
            assert c.rationale_en != c.rationale_nl
    pair = {"strength": "supporting", "rationale": {"en": "a", "nl": "b"}}
    measure = {"measure": "8.15.05", "strength": "full", "rationale": {"en": "a", "nl": "b"}}
    with pytest.raises(ValueError, match="not an ISO control without BIO2 measures"):
        ClaimTable.from_dict(
            {"claims": {"X-Y-Z": {"kind": "detective", "mappings": [measure, {**pair, "control": "8.15"}]}}}
        )
    with pytest.raises(ValueError, match="not an ISO control without BIO2 measures"):
        ClaimTable.from_dict(
            {"claims": {"X-Y-Z": {"kind": "detective", "mappings": [measure, {**pair, "control": "9.99"}]}}}
        )
    ok = ClaimTable.from_dict(
        {"claims": {"X-Y-Z": {"kind": "detective", "mappings": [measure, {**pair, "control": "5.7"}]}}}
    )
    assert [c.control for c in ok["X-Y-Z"].controls] == ["5.7"] and len(ok["X-Y-Z"].mappings) == 1
    with pytest.raises(ValueError, match="rationale"):
        ClaimTable.from_dict(
            {
                "claims": {
                    "X-Y-Z": {"kind": "preventive", "mappings": [{"measure": "8.15.05", "strength": "full"}]}
                }
            }
        )
    with pytest.raises(ValueError, match="not a BIO2 measure"):
        ClaimTable.from_dict(
            {
                "claims": {
                    "X-Y-Z": {
                        "kind": "detective",
                        "mappings": [
                            {"measure": "9.99.99", "strength": "full", "rationale": {"en": "a", "nl": "b"}}
                        ],
                    }
                }
            }
        )


def test_a_failed_claim_can_be_accepted_as_a_risk() -> None:
    mapping = [{"measure": "8.15.05", "strength": "full", "rationale": {"en": "e", "nl": "n"}}]
    data = {
        "id": "T-A-B",
        "kind": "preventive",
        "detail": "d",
        "checks": [STOP.to_json()],
        "mappings": mapping,
    }
    tpl = {"Resources": {"R": scp({"Effect": "Allow", "Action": "*", "Resource": "*"})}}
    st = StackTemplate(
        "a", "a", "a.template.json", tpl, "0" * 64, None, None, paths={"R": "S/R"}, claims=[("S/R", data)]
    )
    st.acknowledgements["S"] = {"BIO2::BIO2-Engine-ClaimFailed": "accepted until the SCP is restored in Q3"}
    [result] = evaluate_claims([st])
    assert result.result == "fail" and result.acknowledgement == "accepted until the SCP is restored in Q3"
