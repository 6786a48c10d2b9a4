"""The guardrail library: lint (parliament), size quotas, packing, targets and counts."""

from __future__ import annotations

import json
from dataclasses import replace

import parliament
import pytest

from landing_zone.core.contracts import OrgPolicySpec
from landing_zone.organization import plan
from landing_zone.organization.policies import (
    AI_OPT_OUT,
    LIBRARY,
    LIMITS,
    POLICY_TYPES,
    RCP,
    SCP,
    TAG_POLICY,
    build_guardrails,
    inputs_from_config,
    minified,
    size_of,
)
from landing_zone.organization.service_prefixes import SERVICE_PREFIXES
from tests.organization.org_testkit import config_with, planned_policies

IAM_LANGUAGE = (SCP, RCP)


def all_documents(config):
    """Every guardrail document of the library (whether attached or not) and every packed policy."""
    inputs = inputs_from_config(config)
    docs = [(key, builder(inputs).policy_type, builder(inputs).document) for key, builder in LIBRARY.items()]
    docs += [(p.name, p.policy_type, p.content) for p in planned_policies(config)]
    return docs


CONFIGS = {
    "default": {},
    "exception-role": {"guardrails": {"iam_user_exception_role": "smtp-credentials-admin"}},
}


def iam_language_documents() -> dict[str, dict]:
    """Every distinct SCP and RCP document the library builds or deploys, over the config variants."""
    found: dict[str, dict] = {}
    for variant, changes in sorted(CONFIGS.items()):
        for name, policy_type, document in all_documents(config_with(**changes)):
            if policy_type in IAM_LANGUAGE:
                found.setdefault(minified(document), {"name": f"{variant}:{name}", "document": document})
    return found


#: Global condition keys newer than parliament's bundled IAM definitions (parliament reports them as
#: unknown for every action). aws:SourceOrgID is a documented global key (2023) of the confused-deputy
#: protection; nothing else is forgiven.
PARLIAMENT_STALE_GLOBAL_KEYS = ("aws:SourceOrgID",)


def _findings(result) -> list[tuple[str, str]]:
    return [
        (f.issue, f.detail)
        for f in result.findings
        if not (
            f.issue == "UNKNOWN_CONDITION_FOR_ACTION"
            and any(f"condition {key} for" in str(f.detail) for key in PARLIAMENT_STALE_GLOBAL_KEYS)
        )
    ]


def test_every_scp_and_rcp_passes_parliament_without_findings():
    documents = iam_language_documents()
    assert len(documents) >= 14
    for entry in documents.values():
        result = parliament.analyze_policy_string(json.dumps(entry["document"]))
        assert _findings(result) == [], entry["name"]


def test_guardrails_pass_parliaments_community_auditors_too(config):
    # the community auditors expand Action "*" over every IAM action (seconds per document), so they
    # run once per library guardrail; the packed policies are concatenations of these statements
    inputs = inputs_from_config(config)
    for key, builder in LIBRARY.items():
        guardrail = builder(inputs)
        if guardrail.policy_type in IAM_LANGUAGE:
            result = parliament.analyze_policy_string(
                json.dumps(guardrail.document), include_community_auditors=True
            )
            assert _findings(result) == [], key


def test_parliament_is_not_vacuous_on_deny_statements():
    # the same kind of document with a typo in a prefix, an action and a condition key
    bad = {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "A", "Effect": "Deny", "NotAction": ["s3:*", "lamda:*"], "Resource": "*"},
            {"Sid": "B", "Effect": "Deny", "Action": "cloudtrail:StopLoging", "Resource": "*"},
            {
                "Sid": "C",
                "Effect": "Deny",
                "Action": "s3:GetObject",
                "Resource": "*",
                "Condition": {"StringNotEquals": {"ec2:MetadataHttpTokens": "required"}},
            },
        ],
    }
    issues = {f.issue for f in parliament.analyze_policy_string(json.dumps(bad)).findings}
    assert {"UNKNOWN_PREFIX", "UNKNOWN_ACTION", "UNKNOWN_CONDITION_FOR_ACTION"} <= issues


def test_tag_and_ai_opt_out_policies_are_management_policy_syntax_not_iam(config):
    """parliament lints IAM policies only; it rejects the Organizations management-policy syntax as a
    whole (MALFORMED), so these two are checked for their structure instead."""
    inputs = inputs_from_config(config)
    tags = LIBRARY["classification_tags"](inputs).document
    assert set(tags) == {"tags"}
    for key, entry in tags["tags"].items():
        assert key == entry["tag_key"]["@@assign"].lower()
        assert entry["tag_value"]["@@assign"] == ["low", "medium", "high"]
        assert all(":" in kind for kind in entry["enforced_for"]["@@assign"])
    assert sorted(e["tag_key"]["@@assign"] for e in tags["tags"].values()) == [
        "bio2:availability",
        "bio2:confidentiality",
        "bio2:integrity",
    ]
    ai = LIBRARY["ai_opt_out"](inputs).document
    assert ai["services"]["default"]["opt_out_policy"]["@@assign"] == "optOut"
    for document in (tags, ai):
        finding = parliament.analyze_policy_string(json.dumps(document)).findings
        assert [f.issue for f in finding] == ["MALFORMED"]


def test_every_document_is_within_its_size_quota_and_minified(config):
    for name, policy_type, document in all_documents(config):
        assert size_of(document) <= LIMITS[policy_type].max_size, name
        assert size_of(document) == len(json.dumps(document, separators=(",", ":")))
    assert " " not in minified({"a": [1, 2]})


def test_library_metadata_is_consistent(config):
    inputs = inputs_from_config(config)
    for key, builder in LIBRARY.items():
        guardrail = builder(inputs)
        assert guardrail.key == key
        assert guardrail.policy_type == POLICY_TYPES[key]
        assert guardrail.evidence.strip() and guardrail.title.strip()
        sids = [s.get("Sid") for s in guardrail.statements]
        assert all(sid and sid.isalnum() for sid in sids) or guardrail.policy_type not in IAM_LANGUAGE
    all_sids = [s["Sid"] for key, b in LIBRARY.items() for s in b(inputs).statements]
    assert len(all_sids) == len(set(all_sids)), "Sids must be unique so guardrails can share a policy"


def test_every_action_prefix_in_the_guardrails_is_a_known_service(config):
    inputs = inputs_from_config(config)
    for builder in LIBRARY.values():
        for statement in builder(inputs).statements:
            for field in ("Action", "NotAction"):
                actions = statement.get(field, [])
                for action in [actions] if isinstance(actions, str) else actions:
                    if action != "*":
                        assert action.split(":")[0] in SERVICE_PREFIXES, action


def test_guardrails_sharing_targets_are_packed_within_the_quota(policies):
    scps = [p for p in policies if p.policy_type == SCP and p.targets == ("Root",)]
    # three of the four SCPs a target can hold besides FullAWSAccess
    assert [p.name for p in scps] == ["lz-scp-root-1", "lz-scp-root-2", "lz-scp-root-3"]
    packed = [key for p in scps for key in p.guardrails]
    assert len(packed) == len(set(packed)) == 11
    assert all(p.size <= 5120 for p in scps)
    assert {p.name: p.targets for p in policies if "approved_services" in p.guardrails} == {
        "lz-scp-workloads-sandbox": ("Workloads", "Sandbox")
    }
    assert {p.policy_type for p in policies} == {SCP, RCP, TAG_POLICY, AI_OPT_OUT, "DECLARATIVE_POLICY_EC2"}


def test_a_guardrail_over_the_size_quota_fails_naming_it(config):
    guardrails = build_guardrails(config)
    big = next(g for g, _ in guardrails if g.key == "protect_logging")
    statements = [dict(s, Sid=f"Pad{i}") for i, s in enumerate(big.statements * 4)]
    huge = replace(big, document={"Version": "2012-10-17", "Statement": statements})
    with pytest.raises(plan.GuardrailError, match=r"'protect_logging' is [0-9,]+ characters.*at most 5,120"):
        plan.pack([(huge, ("Root",))])


def test_too_many_policies_on_one_target_fail_naming_the_target(config):
    # Workloads has FullAWSAccess and the approved-services SCP; four more would make six
    extra = [
        OrgPolicySpec(
            name=f"extra-{i}",
            policy_type=SCP,
            content={
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Deny", "Action": "ec2:*", "Resource": "*"}],
            },
            targets=("Workloads",),
            description="extra",
        )
        for i in range(4)
    ]
    planned_policies(config, extra[:3])  # five: still fine
    with pytest.raises(plan.GuardrailError) as caught:
        planned_policies(config, extra)
    message = str(caught.value)
    assert message.startswith("'Workloads' would have 6 service control policies attached (FullAWSAccess, ")
    assert "lz-scp-workloads-sandbox" in message and "allows 5 per root, OU or account" in message


def test_registered_policies_are_checked_and_kept(config):
    spec = OrgPolicySpec(
        name="lz-backup-tiers",
        policy_type="BACKUP_POLICY",
        content={"plans": {}},
        targets=("Workloads/Prod", "app-nonprod"),
        description="Backup tiers",
        measures=("8.13.01",),
        evidence="Backup policy: daily backups with a copy in a second region.",
    )
    policies = planned_policies(config, [spec])
    mine = next(p for p in policies if p.name == "lz-backup-tiers")
    assert mine.targets == ("Workloads/Prod", "app-nonprod")
    assert [(e.measures, e.description) for e in mine.evidence] == [(("8.13.01",), spec.evidence)]
    with pytest.raises(
        plan.GuardrailError, match="unknown target 'Workload/Prod': did you mean 'Workloads/Prod'"
    ):
        planned_policies(config, [replace(spec, targets=("Workload/Prod",))])
    too_big = replace(spec, content={"plans": {"x": "y" * 10_001}})
    with pytest.raises(plan.GuardrailError, match="backup policy 'lz-backup-tiers' is"):
        planned_policies(config, [too_big])
    with pytest.raises(plan.GuardrailError, match="two backup policies are named 'lz-backup-tiers'"):
        planned_policies(config, [spec, spec])


def test_removing_a_guardrail_removes_it_from_the_policies():
    config = config_with(guardrails={"attach": {"deny_iam_users": [], "ai_opt_out": []}})
    policies = planned_policies(config)
    keys = {key for p in policies for key in p.guardrails}
    assert "deny_iam_users" not in keys and "ai_opt_out" not in keys
    assert not any("5.16.01" in e.measures for p in policies for e in p.evidence)


def test_vpc_block_public_access_never_covers_the_network_account():
    from landing_zone.config import ConfigError

    for targets in (["Root"], ["Infrastructure"], ["network"], ["Workloads", "Infrastructure"]):
        with pytest.raises(ConfigError) as error:
            config_with(guardrails={"attach": {"vpc_block_public_access": targets}})
        assert "vpc_block_public_access" in str(error.value) and "network account" in str(error.value)
    policies = planned_policies(config_with())
    (bpa,) = [p for p in policies if p.policy_type == "DECLARATIVE_POLICY_EC2"]
    assert bpa.targets == ("Workloads", "Sandbox")
    block = bpa.content["ec2_attributes"]["vpc_block_public_access"]["internet_gateway_block"]
    assert block == {
        "mode": {"@@assign": "block_bidirectional"},
        "exclusions_allowed": {"@@assign": "disabled"},
    }
