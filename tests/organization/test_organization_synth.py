"""The organization component in synthesized templates: OUs, policies, StackSet and evidence."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_guardduty as guardduty
from aws_cdk import aws_sns as sns

from bio2_aspects import Bio2
from landing_zone.app import bio2_scope, new_app
from landing_zone.assembly import LandingZone
from landing_zone.core.contracts import ComponentOutputs, OrgPolicySpec, Placement
from landing_zone.organization.baseline import MAX_TEMPLATE_BODY
from tests.organization.org_testkit import config_with, planned_policies

pytestmark = pytest.mark.synth

MANAGEMENT = "lz-management-eu-central-1"
BASELINE = "lz-member-baseline"


def resources_of(template, cfn_type):
    return {lid: r for lid, r in template["Resources"].items() if r["Type"] == cfn_type}


def stack_set(template):
    (resource,) = resources_of(template, "AWS::CloudFormation::StackSet").values()
    return resource["Properties"]


def without_path_metadata(template):
    copy = json.loads(json.dumps(template))
    for resource in copy["Resources"].values():
        resource.get("Metadata", {}).pop("aws:cdk:path", None)
        if resource.get("Metadata") == {}:
            resource.pop("Metadata")
    return copy


def preventive(manifest, measure):
    entry = next(m for m in manifest["measures"] if m["id"] == measure)
    return [e for e in entry["evidence"] if e["kind"] == "preventive"]


# ------------------------------------------------------------------ the default landing zone


def test_ous_are_nested_under_the_configured_root(default_synth):
    ous = resources_of(default_synth.template(MANAGEMENT), "AWS::Organizations::OrganizationalUnit")
    by_name = {r["Properties"]["Name"]: (lid, r) for lid, r in ous.items()}
    assert set(by_name) == {"Security", "Infrastructure", "Workloads", "Prod", "NonProd", "Sandbox"}
    assert by_name["Workloads"][1]["Properties"]["ParentId"] == "r-a1b2"
    assert by_name["Prod"][1]["Properties"]["ParentId"] == {"Fn::GetAtt": [by_name["Workloads"][0], "Id"]}
    assert all(r["DeletionPolicy"] == "Retain" for _, r in by_name.values())
    outputs = default_synth.template(MANAGEMENT)["Outputs"]
    assert outputs["OuWorkloadsProd"]["Value"] == {"Fn::GetAtt": [by_name["Prod"][0], "Id"]}
    # accounts are not CloudFormation resources: they already exist (see docs/guardrails.md)
    assert not resources_of(default_synth.template(MANAGEMENT), "AWS::Organizations::Account")


def test_policies_are_created_and_attached_as_configured(default_synth):
    template = default_synth.template(MANAGEMENT)
    policies = {
        r["Properties"]["Name"]: r["Properties"]
        for r in resources_of(template, "AWS::Organizations::Policy").values()
    }
    expected = {p.name: p for p in planned_policies(config_with())}
    assert set(policies) == set(expected)
    ous = {
        r["Properties"]["Name"]: lid
        for lid, r in resources_of(template, "AWS::Organizations::OrganizationalUnit").items()
    }
    for name, props in policies.items():
        assert props["Content"] == expected[name].content
        assert props["Type"] == expected[name].policy_type
        assert len(props["Description"]) <= 512
    assert policies["lz-scp-root-1"]["TargetIds"] == ["r-a1b2"]
    assert policies["lz-scp-workloads-sandbox"]["TargetIds"] == [
        {"Fn::GetAtt": [ous["Workloads"], "Id"]},
        {"Fn::GetAtt": [ous["Sandbox"], "Id"]},
    ]
    assert {p["Type"] for p in policies.values()} == {
        "SERVICE_CONTROL_POLICY",
        "RESOURCE_CONTROL_POLICY",
        "TAG_POLICY",
        "AISERVICES_OPT_OUT_POLICY",
        "DECLARATIVE_POLICY_EC2",
    }
    assert (
        policies["lz-vpc-block-public-access"]["TargetIds"]
        == policies["lz-scp-workloads-sandbox"]["TargetIds"]
    )


def test_member_baseline_is_a_service_managed_stack_set_of_the_baseline_template(default_synth):
    props = stack_set(default_synth.template(MANAGEMENT))
    assert props["PermissionModel"] == "SERVICE_MANAGED"
    assert props["CallAs"] == "SELF"
    assert props["AutoDeployment"] == {"Enabled": True, "RetainStacksOnAccountRemoval": False}
    assert props["StackInstancesGroup"] == [
        {"DeploymentTargets": {"OrganizationalUnitIds": ["r-a1b2"]}, "Regions": ["eu-central-1", "eu-west-1"]}
    ]
    assert props["OperationPreferences"]["RegionConcurrencyType"] == "PARALLEL"
    assert "CAPABILITY_NAMED_IAM" in props["Capabilities"]
    body = props["TemplateBody"]
    assert isinstance(body, str) and len(body.encode()) <= MAX_TEMPLATE_BODY
    assert json.loads(body) == without_path_metadata(default_synth.template(BASELINE))


def test_baseline_gets_access_analyzer_and_account_defaults(default_synth):
    baseline = default_synth.template(BASELINE)
    (analyzer,) = resources_of(baseline, "AWS::AccessAnalyzer::Analyzer").values()
    assert analyzer["Properties"]["Type"] == "ACCOUNT"
    (defaults,) = resources_of(baseline, "Custom::AccountDefaults").values()
    assert defaults["Properties"]["EbsEncryptionByDefault"] == "true"
    assert defaults["Properties"]["S3PublicAccessBlock"] == "true"
    # IAM users are denied everywhere in the default configuration: no password policy
    assert "PasswordPolicy" not in defaults["Properties"]
    (function,) = [
        f
        for f in resources_of(baseline, "AWS::Lambda::Function").values()
        if f["Properties"].get("FunctionName") == "lz-baseline-account-defaults"
    ]
    assert "ZipFile" in function["Properties"]["Code"]  # inline code: no assets in member accounts


def test_manifest_lists_preventive_evidence_of_the_guardrails(default_synth):
    manifest = default_synth.manifest
    for measure, words in {
        "5.16.01": "IAM users and access keys",
        "8.13.01": "backup vaults",
        "5.15.01": "S3, KMS, SQS and Secrets Manager",
        "8.15.04": "log archive",
        "5.12.01": "classification tag keys",
    }.items():
        items = [
            e for e in preventive(manifest, measure) if e["resource_type"] == "AWS::Organizations::Policy"
        ]
        assert any(words in e["detail"] for e in items), (measure, [e["detail"] for e in items])
        assert all(e["stack"] == MANAGEMENT and e["claim"] and e["rationale"]["nl"] for e in items)
    assert not [d for d in manifest["unbacked_declarations"] if "/Organization" in d["path"]]
    # approved_services is attached to Workloads and Sandbox only: it cannot prove an org-wide measure,
    # it is narrowed evidence that names the OUs it does not reach
    items = [e for e in preventive(manifest, "8.19.01") if e["resource_type"] == "AWS::Organizations::Policy"]
    assert items and {e["result"] for e in items} == {"partial"}
    assert items[0]["coverage"]["not_covered"] == [
        "Infrastructure",
        "Security",
        "accounts directly under Root",
    ]


def test_the_default_organization_resources_have_no_open_bio2_errors(default_synth):
    mine = [
        v
        for v in default_synth.open_errors()
        if v["path"] and ("/Organization/" in v["path"] or "/OrganizationBaseline/" in v["path"])
    ]
    assert mine == []


# ------------------------------------------------------------------ variations, with only this component


def register_and_mark(config, placement: Placement) -> ComponentOutputs:
    """A component that runs before the organization component, as the backup feature does."""
    sns.Topic(placement.baseline.stack, "ProofMarkerTopic", topic_name="proof-marker")
    policy = OrgPolicySpec(
        name="lz-test-backup",
        policy_type="BACKUP_POLICY",
        content={"plans": {"test": {"regions": {"@@assign": ["eu-central-1"]}}}},
        targets=("Workloads/Prod",),
        description="A registered test policy",
        measures=("8.13.03",),
        evidence="Registered backup policy: copies in a second region.",
    )
    return ComponentOutputs(org_policies=(policy,))


def synth_org(outdir: Path, config, extensions, *, bio2: bool = True) -> dict:
    app = new_app(outdir=str(outdir), context={"bio2:reportOnly": "true"})
    LandingZone(app, config, components=["organization"], extensions=extensions)
    if bio2:
        Bio2(app, scope=bio2_scope(config))
    app.synth()
    out = {}
    for name in (MANAGEMENT,):
        out[name] = json.loads((outdir / f"{name}.template.json").read_text())
    if bio2:
        out["manifest"] = json.loads((outdir / "bio2" / "manifest.json").read_text())
    return out


@pytest.fixture(scope="module")
def variant(tmp_path_factory):
    config = config_with(
        root_id=None,
        guardrails={"attach": {"deny_iam_users": [], "classification_tags": []}},
    )
    return synth_org(tmp_path_factory.mktemp("org-variant"), config, [register_and_mark])


def test_a_resource_added_to_the_baseline_appears_in_the_stack_set_body(variant):
    body = json.loads(stack_set(variant[MANAGEMENT])["TemplateBody"])
    topics = resources_of(body, "AWS::SNS::Topic")
    assert [t["Properties"]["TopicName"] for t in topics.values()] == ["proof-marker"]


def test_registered_policies_are_created_and_attached_but_claim_nothing(variant):
    template = variant[MANAGEMENT]
    (policy,) = [
        r
        for r in resources_of(template, "AWS::Organizations::Policy").values()
        if r["Properties"]["Name"] == "lz-test-backup"
    ]
    assert policy["Properties"]["Type"] == "BACKUP_POLICY"
    (target,) = policy["Properties"]["TargetIds"]
    assert "Fn::GetAtt" in target
    # a registered policy's content is not checked by any claim, so it is not evidence
    items = preventive(variant["manifest"], "8.13.03")
    assert not any(e["detail"].startswith("Registered backup policy") for e in items)


def test_removing_a_policy_via_config_removes_its_evidence(default_synth, variant):
    def org_items(manifest, measure, words):
        return [
            e
            for e in preventive(manifest, measure)
            if e["resource_type"] == "AWS::Organizations::Policy" and words in e["detail"]
        ]

    assert org_items(default_synth.manifest, "5.16.01", "IAM users and access keys")
    assert not org_items(variant["manifest"], "5.16.01", "IAM users and access keys")
    assert org_items(default_synth.manifest, "5.12.01", "classification tag keys")
    assert not org_items(variant["manifest"], "5.12.01", "classification tag keys")
    names = {
        r["Properties"]["Name"]
        for r in resources_of(variant[MANAGEMENT], "AWS::Organizations::Policy").values()
    }
    assert "lz-classification-tags" not in names


def test_without_a_root_id_the_root_is_a_stack_parameter(variant):
    template = variant[MANAGEMENT]
    assert template["Parameters"]["OrganizationRootId"]["AllowedPattern"] == "^r-[0-9a-z]{4,32}$"
    ous = resources_of(template, "AWS::Organizations::OrganizationalUnit").values()
    top = next(r for r in ous if r["Properties"]["Name"] == "Workloads")
    assert top["Properties"]["ParentId"] == {"Ref": "OrganizationRootId"}


def test_password_policy_where_iam_users_are_allowed(variant):
    body = json.loads(stack_set(variant[MANAGEMENT])["TemplateBody"])
    (defaults,) = resources_of(body, "Custom::AccountDefaults").values()
    assert defaults["Properties"]["PasswordPolicy"]["MinimumPasswordLength"] == "14"
    items = preventive(variant["manifest"], "5.17.03")
    assert any("password policy" in e["detail"] for e in items)


def big_baseline(config, placement: Placement) -> None:
    for i in range(13):
        cdk.CfnResource(
            placement.baseline.stack,
            f"Padding{i}",
            type="AWS::SSM::Parameter",
            properties={"Type": "String", "Value": "x" * 4000, "Description": "padding"},
        )
    guardduty.CfnDetector(placement.baseline.stack, "Detector", enable=True)


def test_synth_fails_when_the_baseline_is_too_large_or_uses_unapproved_services(tmp_path):
    base = config_with()
    approved = tuple(s for s in base.organization.guardrails.approved_services if s != "guardduty")
    # validate refuses GuardDuty on while the approved services deny it (landing_zone.config.checks);
    # build the model without that check to test the synth-time safety net behind it
    guardrails = base.organization.guardrails.model_copy(update={"approved_services": approved})
    organization = base.organization.model_copy(update={"guardrails": guardrails})
    config = base.model_copy(update={"organization": organization})
    with pytest.raises(Exception) as caught:
        synth_org(tmp_path, config, [big_baseline], bio2=False)
    message = str(caught.value)
    assert "the member baseline template (lz-member-baseline) is" in message
    assert f"takes at most {MAX_TEMPLATE_BODY:,}" in message
    assert "the member baseline uses guardduty, which the approved-services guardrail denies" in message
