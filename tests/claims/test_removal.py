"""The removal suite: switch a guarantee off and the evidence must go, and the measure's status drop.

Every case takes the default landing zone's written templates, removes one guarantee the way an
escape-hatch override (``add_property_override``), a retargeted or emptied policy, or a resource
``Condition`` would, and re-runs the post-synthesis evaluation. It asserts that

* the claim passed on the untouched templates and was evidence for the measure;
* after the removal no passing item of that claim is left for the measure, the claim shows as a
  failed (or, for a Condition known only at deploy time, unknown) claim, and
* the measure's status is lower (see :func:`assert_lowered`).

A removal that takes only part of the scope away (a policy retargeted from the root to some OUs or to
one account, a conformance pack that excludes an account, an aggregator over fewer regions) *narrows*
the claim instead (``result="partial"``): no passing item is left, a partial item names what it covers
and what it does not, a ``BIO2-Engine-ClaimNarrowed`` warning names the uncovered scope, and the
measure is at best partially implemented with that scope in its basis (see :func:`assert_narrowed`).

A few cases (``test_config_switches_and_real_overrides``) run a real synth with config switches
and ``add_property_override`` on the constructs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from bio2_aspects.assembly import StackTemplate
from tests.claims.conftest import STATUS_RANK, Evidence, mutate, resources

NEVER = "ClaimsTestNever"
DEPLOY_TIME = "ClaimsTestDeployTime"


# ------------------------------------------------------------------ mutation helpers


def _props(body: dict[str, Any]) -> dict[str, Any]:
    return body.setdefault("Properties", {})


def on(
    cfn_type: str,
    change: Callable[[dict[str, Any]], bool | None],
    where: Callable[[str, dict], bool] | None = None,
):
    """Apply ``change`` to the properties of every resource of ``cfn_type`` (optionally filtered)."""

    def mutation(stacks: list[StackTemplate]) -> int:
        n = 0
        for _st, lid, body in resources(stacks, cfn_type):
            if where is not None and not where(lid, body):
                continue
            if change(_props(body)) is not False:
                n += 1
        return n

    return mutation


def on_body(cfn_type: str, change: Callable[[StackTemplate, str, dict[str, Any]], None], where=None):
    def mutation(stacks: list[StackTemplate]) -> int:
        n = 0
        for st, lid, body in list(resources(stacks, cfn_type)):
            if where is not None and not where(lid, body):
                continue
            change(st, lid, body)
            n += 1
        return n

    return mutation


def policy_with(sid: str) -> Callable[[str, dict], bool]:
    def pred(_lid: str, body: dict) -> bool:
        content = body.get("Properties", {}).get("Content")
        return isinstance(content, dict) and any(s.get("Sid") == sid for s in content.get("Statement", []))

    return pred


def policy_type(kind: str) -> Callable[[str, dict], bool]:
    return lambda _lid, body: body.get("Properties", {}).get("Type") == kind


def statement(sid: str, change: Callable[[dict[str, Any]], None]):
    """Change the statement ``sid`` of the organization policy that holds it."""

    def edit(props: dict[str, Any]) -> None:
        for st in props["Content"]["Statement"]:
            if st.get("Sid") == sid:
                change(st)

    return on("AWS::Organizations::Policy", edit, policy_with(sid))


def drop_statement(sid: str):
    def edit(props: dict[str, Any]) -> None:
        props["Content"]["Statement"] = [s for s in props["Content"]["Statement"] if s.get("Sid") != sid]

    return on("AWS::Organizations::Policy", edit, policy_with(sid))


def setter(**values: Any) -> Callable[[dict[str, Any]], None]:
    return lambda target: target.update(values)


def with_condition(cfn_type: str, deploy_time: bool, where=None):
    """Give the resources a Condition that is never true, or one only the deployment can decide."""

    def change(st: StackTemplate, lid: str, body: dict[str, Any]) -> None:
        template = st.template
        if deploy_time:
            template.setdefault("Parameters", {})["ClaimsTestSwitch"] = {"Type": "String", "Default": "on"}
            expression = {"Fn::Equals": [{"Ref": "ClaimsTestSwitch"}, "on"]}
            name = DEPLOY_TIME
        else:
            expression = {"Fn::Equals": ["on", "off"]}
            name = NEVER
        template.setdefault("Conditions", {})[name] = expression
        body["Condition"] = name

    return on_body(cfn_type, change, where)


def remove_resources(cfn_type: str, where=None):
    def change(st: StackTemplate, lid: str, body: dict[str, Any]) -> None:
        del st.template["Resources"][lid]

    return on_body(cfn_type, change, where)


def alert_rule(kind: str) -> Callable[[str, dict], bool]:
    slug = kind.replace("-", "")
    return lambda lid, _body: lid.startswith(f"SecurityAlerts{slug}")


def rule_lid(prefix: str) -> Callable[[str, dict], bool]:
    return lambda lid, _body: lid.startswith(prefix)


def pack_body(change: Callable[[dict[str, Any]], None]):
    def edit(props: dict[str, Any]) -> None:
        body = json.loads(props["TemplateBody"])
        change(body)
        props["TemplateBody"] = json.dumps(body)

    return on("AWS::Config::OrganizationConformancePack", edit)


def drop_pack_rule(identifier: str):
    def change(body: dict[str, Any]) -> None:
        body["Resources"] = {
            k: v
            for k, v in body["Resources"].items()
            if v["Properties"]["Source"]["SourceIdentifier"] != identifier
        }

    return pack_body(change)


def object_lock(**retention: Any):
    def edit(props: dict[str, Any]) -> bool:
        rule = props.get("ObjectLockConfiguration", {}).get("Rule", {}).get("DefaultRetention")
        if rule is None:
            return False
        rule.update(retention)
        return True

    return on("AWS::S3::Bucket", edit)


def vault_lock(change: Callable[[dict[str, Any]], None]):
    def edit(props: dict[str, Any]) -> bool:
        if "LockConfiguration" not in props:
            return False
        change(props)
        return True

    return on("AWS::Backup::BackupVault", edit)


def trust(change: Callable[[dict[str, Any]], None]):
    def edit(props: dict[str, Any]) -> None:
        for st in props["AssumeRolePolicyDocument"]["Statement"]:
            change(st)

    return on(
        "AWS::IAM::Role", edit, lambda _lid, body: body["Properties"].get("RoleName") == "lz-break-glass"
    )


def firewall_policy(change: Callable[[dict[str, Any]], None]):
    return on("AWS::NetworkFirewall::FirewallPolicy", lambda props: change(props["FirewallPolicy"]))


def org_analyzer(change: Callable[[dict[str, Any]], None]):
    return on(
        "AWS::AccessAnalyzer::Analyzer",
        change,
        lambda _lid, body: body["Properties"]["Type"] == "ORGANIZATION",
    )


def ous_target(*paths: str):
    """Retarget a policy to the OUs at ``paths`` (``Workloads/Prod``)."""

    def change(st: StackTemplate, lid: str, body: dict[str, Any]) -> None:
        def path_of(ou: str) -> str:
            props = st.resources[ou]["Properties"]
            parent = props["ParentId"]
            return (
                props["Name"]
                if isinstance(parent, str)
                else f"{path_of(parent['Fn::GetAtt'][0])}/{props['Name']}"
            )

        ous = {
            path_of(k): k
            for k, v in st.resources.items()
            if v.get("Type") == "AWS::Organizations::OrganizationalUnit"
        }
        body["Properties"]["TargetIds"] = [{"Fn::GetAtt": [ous[p], "Id"]} for p in paths]

    return change


def stackset(change: Callable[[dict[str, Any]], None]):
    """Change every instance group of the member-baseline StackSet."""

    def edit(props: dict[str, Any]) -> None:
        for group in props["StackInstancesGroup"]:
            change(group)

    return on("AWS::CloudFormation::StackSet", edit)


def stackset_to_ou(name: str):
    def change(st: StackTemplate, lid: str, body: dict[str, Any]) -> None:
        (ou,) = [
            k
            for k, v in st.resources.items()
            if v.get("Type") == "AWS::Organizations::OrganizationalUnit" and v["Properties"]["Name"] == name
        ]
        for group in body["Properties"]["StackInstancesGroup"]:
            group["DeploymentTargets"] = {"OrganizationalUnitIds": [{"Fn::GetAtt": [ou, "Id"]}]}

    return change


def ou_target(st: StackTemplate, lid: str, body: dict[str, Any]) -> None:
    ou = next(k for k, v in st.resources.items() if v.get("Type") == "AWS::Organizations::OrganizationalUnit")
    body["Properties"]["TargetIds"] = [{"Fn::GetAtt": [ou, "Id"]}]


ALLOW_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
ADMIN_POLICY_SCP = policy_with("DenyRootUser")
BACKUP_SCP = policy_with("ProtectBackupVaults")


@dataclass(frozen=True)
class Case:
    id: str
    kind: str  # config-switch | override | retarget | emptied | condition
    claim: str
    measure: str
    mutation: Callable[[list[StackTemplate]], int]
    result: str = "fail"
    #: for a narrowed claim (``result="partial"``): names the uncovered scope must include
    not_covered: tuple[str, ...] = ()


CASES: tuple[Case, ...] = (
    # ---- SCP content (overrides of Content)
    Case(
        "scp-allow-all",
        "emptied",
        "LZ-SCP-DenyRootUser",
        "5.16.02",
        on("AWS::Organizations::Policy", setter(Content=ALLOW_ALL), ADMIN_POLICY_SCP),
    ),
    Case(
        "scp-root-deny-becomes-allow",
        "override",
        "LZ-SCP-DenyRootUser",
        "5.16.02",
        statement("DenyRootUser", setter(Effect="Allow")),
    ),
    Case(
        "scp-root-deny-narrowed-to-one-role",
        "override",
        "LZ-SCP-DenyRootUser",
        "5.16.02",
        statement(
            "DenyRootUser", setter(Condition={"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/x"}})
        ),
    ),
    Case(
        "scp-iam-users-access-keys-dropped",
        "override",
        "LZ-SCP-DenyIamUsers",
        "5.16.01",
        statement("DenyIamUsersAndAccessKeys", setter(Action=["iam:CreateUser"])),
    ),
    Case(
        "scp-iam-users-exempt-every-role",
        "override",
        "LZ-SCP-DenyIamUsers",
        "5.16.01",
        statement(
            "DenyIamUsersAndAccessKeys",
            setter(Condition={"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/*"}}),
        ),
    ),
    Case(
        "scp-console-passwords-removed",
        "emptied",
        "LZ-SCP-DenyIamUsers",
        "5.16.01",
        drop_statement("DenyConsolePasswords"),
    ),
    Case(
        "scp-cloudtrail-notaction",
        "override",
        "LZ-SCP-ProtectLogging",
        "5.28.01",
        statement("ProtectCloudTrail", lambda s: s.update(NotAction=["cloudtrail:*"]) or s.pop("Action")),
    ),
    Case(
        "scp-log-buckets-retargeted",
        "override",
        "LZ-SCP-ProtectLogging",
        "5.28.01",
        statement("ProtectLogArchiveBuckets", setter(Resource=["arn:aws:s3:::someone-elses-bucket/*"])),
    ),
    Case(
        "scp-log-keys-removed",
        "emptied",
        "LZ-SCP-ProtectLogging",
        "8.15.04",
        drop_statement("ProtectLogArchiveKeys"),
    ),
    Case(
        "scp-backup-narrowed-to-region",
        "override",
        "LZ-SCP-ProtectBackup",
        "8.13.01",
        statement(
            "ProtectBackupVaults",
            lambda s: s["Condition"].update({"StringEquals": {"aws:RequestedRegion": "eu-west-3"}}),
        ),
    ),
    Case(
        "scp-security-services-guardduty-dropped",
        "override",
        "LZ-SCP-ProtectSecurityServices",
        "8.21.02",
        statement(
            "ProtectSecurityServices",
            lambda s: s.update(Action=[a for a in s["Action"] if not a.startswith("guardduty:")]),
        ),
    ),
    Case(
        "scp-public-access-block-exempts-everyone",
        "override",
        "LZ-SCP-ProtectAccountDefaults",
        "8.03.02",
        statement(
            "ProtectS3AccountPublicAccessBlock",
            setter(Condition={"ArnNotLike": {"aws:PrincipalArn": ["arn:aws:iam::*:role/*"]}}),
        ),
    ),
    Case(
        "scp-content-deploy-time",
        "override",
        "LZ-SCP-ProtectBackup",
        "8.13.01",
        on("AWS::Organizations::Policy", setter(Content={"Fn::Sub": "${AWS::AccountId}"}), BACKUP_SCP),
    ),
    # ---- attachment targets
    Case(
        "scp-attached-to-one-ou",
        "retarget",
        "LZ-SCP-DenyRootUser",
        "5.16.02",
        on_body("AWS::Organizations::Policy", ou_target, ADMIN_POLICY_SCP),
        result="partial",
        not_covered=("Infrastructure", "Sandbox", "Workloads", "accounts directly under Root"),
    ),
    Case(
        "scp-attached-to-workload-ous",
        "retarget",
        "LZ-SCP-ProtectLogging",
        "5.28.01",
        on_body(
            "AWS::Organizations::Policy",
            ous_target("Workloads/Prod", "Sandbox"),
            policy_with("ProtectCloudTrail"),
        ),
        result="partial",
        not_covered=("Infrastructure", "Security", "Workloads/NonProd", "accounts directly under Root"),
    ),
    Case(
        "scp-detached",
        "retarget",
        "LZ-SCP-ProtectBackup",
        "8.13.01",
        on("AWS::Organizations::Policy", setter(TargetIds=[]), BACKUP_SCP),
    ),
    Case(
        "scp-retargeted-to-an-unknown-ou",
        "retarget",
        "LZ-SCP-ProtectBackup",
        "8.13.01",
        on("AWS::Organizations::Policy", setter(TargetIds=[{"Fn::ImportValue": "SomeOu"}]), BACKUP_SCP),
    ),
    Case(
        "rcp-attached-to-one-account",
        "retarget",
        "LZ-RCP-DataPerimeter",
        "5.15.01",
        on(
            "AWS::Organizations::Policy",
            setter(TargetIds=["123456789012"]),
            policy_type("RESOURCE_CONTROL_POLICY"),
        ),
        result="partial",
        not_covered=("Security", "Workloads", "accounts directly under Root"),
    ),
    Case(
        "tag-policy-attached-to-one-ou",
        "retarget",
        "LZ-TagPolicy-Classification",
        "5.12.01",
        on_body("AWS::Organizations::Policy", ou_target, policy_type("TAG_POLICY")),
        result="partial",
        not_covered=("Workloads", "accounts directly under Root"),
    ),
    # ---- the member-account baseline, deployed by a StackSet (its targets and regions)
    Case(
        "baseline-stackset-one-region",
        "retarget",
        "LZ-Backup-VaultLock",
        "8.13.01",
        stackset(lambda group: group.update(Regions=["eu-central-1"])),
        result="partial",
        not_covered=("eu-west-1",),
    ),
    Case(
        "baseline-stackset-one-ou",
        "retarget",
        "LZ-AccessAnalyzer-Account",
        "8.03.02",
        on_body("AWS::CloudFormation::StackSet", stackset_to_ou("Workloads")),
        result="partial",
        not_covered=("Infrastructure", "Sandbox", "Security", "accounts directly under Root"),
    ),
    Case(
        "baseline-stackset-deploys-nowhere",
        "retarget",
        "LZ-Backup-RestoreTesting",
        "8.13.04",
        on("AWS::CloudFormation::StackSet", setter(StackInstancesGroup=[])),
    ),
    Case(
        "aggregator-one-region",
        "override",
        "LZ-Config-Aggregator",
        "5.09.01",
        on(
            "AWS::Config::ConfigurationAggregator",
            lambda p: p["OrganizationAggregationSource"].update(AwsRegions=["eu-west-1"]),
        ),
        result="partial",
        not_covered=("eu-central-1",),
    ),
    Case(
        "aggregator-other-region",
        "override",
        "LZ-Config-Aggregator",
        "5.09.01",
        on(
            "AWS::Config::ConfigurationAggregator",
            lambda p: p["OrganizationAggregationSource"].update(AwsRegions=["us-east-1"]),
        ),
    ),
    # ---- RCP and tag policy content
    Case(
        "rcp-allow",
        "override",
        "LZ-RCP-DataPerimeter",
        "5.15.01",
        statement("EnforceOrgIdentities", setter(Effect="Allow")),
    ),
    Case(
        "rcp-other-organisation",
        "override",
        "LZ-RCP-DataPerimeter",
        "8.03.02",
        statement(
            "EnforceOrgIdentities",
            lambda s: s["Condition"].update({"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-other"}}),
        ),
    ),
    Case(
        "tag-policy-emptied",
        "emptied",
        "LZ-TagPolicy-Classification",
        "5.12.01",
        on("AWS::Organizations::Policy", setter(Content={"tags": {}}), policy_type("TAG_POLICY")),
    ),
    Case(
        "tag-policy-any-value",
        "override",
        "LZ-TagPolicy-Classification",
        "5.12.01",
        on(
            "AWS::Organizations::Policy",
            lambda p: [t["tag_value"]["@@assign"].append("x") for t in p["Content"]["tags"].values()],
            policy_type("TAG_POLICY"),
        ),
    ),
    # ---- Conditions
    Case(
        "scp-condition-never",
        "condition",
        "LZ-SCP-DenyRootUser",
        "5.16.02",
        with_condition("AWS::Organizations::Policy", False, ADMIN_POLICY_SCP),
    ),
    Case(
        "scp-condition-deploy-time",
        "condition",
        "LZ-SCP-DenyIamUsers",
        "5.16.01",
        with_condition("AWS::Organizations::Policy", True, ADMIN_POLICY_SCP),
        result="unknown",
    ),
    Case(
        "guardduty-condition-never",
        "condition",
        "LZ-GuardDuty-MalwareProtection",
        "8.07.04",
        with_condition("AWS::GuardDuty::Detector", False),
    ),
    Case(
        "restore-testing-condition-deploy-time",
        "condition",
        "LZ-Backup-RestoreTesting",
        "8.13.04",
        with_condition("AWS::Backup::RestoreTestingPlan", True),
        result="unknown",
    ),
    Case(
        "security-hub-condition-never",
        "condition",
        "LZ-SecurityHub-Standards",
        "8.08.04",
        with_condition("AWS::SecurityHub::ConfigurationPolicy", False),
    ),
    Case(
        "security-hub-association-condition-never",
        "condition",
        "LZ-SecurityHub-Standards",
        "8.08.04",
        with_condition("AWS::SecurityHub::PolicyAssociation", False),
    ),
    Case(
        "firewall-logging-condition-deploy-time",
        "condition",
        "LZ-Network-FirewallInspection",
        "8.21.02",
        with_condition("AWS::NetworkFirewall::LoggingConfiguration", True),
    ),
    # ---- GuardDuty
    Case(
        "guardduty-enable-false",
        "override",
        "LZ-GuardDuty-MalwareProtection",
        "8.07.04",
        on("AWS::GuardDuty::Detector", setter(Enable=False)),
    ),
    Case(
        "guardduty-enable-string-false",
        "override",
        "LZ-GuardDuty-Detector",
        "8.16.04",
        on("AWS::GuardDuty::Detector", setter(Enable="false")),
    ),
    Case(
        "guardduty-malware-disabled",
        "override",
        "LZ-GuardDuty-MalwareProtection",
        "8.07.04",
        on(
            "AWS::GuardDuty::Detector",
            lambda p: [
                f.update(Status="DISABLED") for f in p["Features"] if f["Name"] == "EBS_MALWARE_PROTECTION"
            ],
        ),
    ),
    Case(
        "guardduty-enable-parameter",
        "override",
        "LZ-GuardDuty-Detector",
        "8.21.02",
        on("AWS::GuardDuty::Detector", setter(Enable={"Ref": "SomeParameter"})),
    ),
    # ---- EventBridge alert rules
    Case(
        "trail-alert-disabled",
        "override",
        "LZ-Alert-TrailChanges",
        "8.15.05",
        on("AWS::Events::Rule", setter(State="DISABLED"), alert_rule("trail-changes")),
    ),
    Case(
        "log-archive-alert-no-target",
        "emptied",
        "LZ-Alert-LogArchiveChanges",
        "8.15.05",
        on("AWS::Events::Rule", setter(Targets=[]), alert_rule("log-archive-changes")),
    ),
    Case(
        "identity-center-alert-disabled",
        "override",
        "LZ-Identity-IdentityCenterAlert",
        "5.18.01",
        on("AWS::Events::Rule", setter(State="DISABLED"), rule_lid("IdentityIdentityCenterChanges")),
    ),
    Case(
        "break-glass-alert-no-pattern",
        "emptied",
        "LZ-Identity-BreakGlassAlert",
        "8.18.01",
        on("AWS::Events::Rule", lambda p: p.pop("EventPattern"), rule_lid("IdentityBreakGlassUse")),
    ),
    # ---- conformance pack
    Case(
        "conformance-pack-emptied",
        "emptied",
        "LZ-ConfigRule-Ec2ManagedinstancePatchComplianceStatusCheck",
        "8.08.01",
        pack_body(lambda b: b.update(Resources={})),
    ),
    Case(
        "conformance-pack-rule-removed",
        "emptied",
        "LZ-ConfigRule-RestrictedSsh",
        "8.20.02",
        drop_pack_rule("INCOMING_SSH_DISABLED"),
    ),
    Case(
        "conformance-pack-from-s3",
        "override",
        "LZ-ConfigRule-S3BucketSslRequestsOnly",
        "8.21.04",
        on(
            "AWS::Config::OrganizationConformancePack",
            lambda p: p.pop("TemplateBody") and p.update(TemplateS3Uri="s3://bucket/pack.yaml"),
        ),
    ),
    Case(
        "conformance-pack-excludes-accounts",
        "override",
        "LZ-ConfigRule-CmkBackingKeyRotationEnabled",
        "8.24.02",
        on("AWS::Config::OrganizationConformancePack", setter(ExcludedAccounts=["123456789012"])),
        result="partial",
        not_covered=("account 123456789012",),
    ),
    # ---- Security Hub
    Case(
        "security-hub-service-disabled",
        "override",
        "LZ-SecurityHub-Standards",
        "8.08.04",
        on(
            "AWS::SecurityHub::ConfigurationPolicy",
            lambda p: p["ConfigurationPolicy"]["SecurityHub"].update(ServiceEnabled=False),
        ),
    ),
    Case(
        "security-hub-no-standards",
        "emptied",
        "LZ-SecurityHub-Standards",
        "8.08.04",
        on(
            "AWS::SecurityHub::ConfigurationPolicy",
            lambda p: p["ConfigurationPolicy"]["SecurityHub"].update(EnabledStandardIdentifiers=[]),
        ),
    ),
    Case(
        "security-hub-not-associated",
        "retarget",
        "LZ-SecurityHub-Standards",
        "8.08.04",
        remove_resources(
            "AWS::SecurityHub::PolicyAssociation", lambda _l, b: b["Properties"]["TargetType"] == "ROOT"
        ),
    ),
    # ---- Object Lock
    Case(
        "object-lock-governance",
        "override",
        "LZ-Logging-ObjectLockHalfYear",
        "8.18.02",
        object_lock(Mode="GOVERNANCE"),
    ),
    Case(
        "object-lock-30-days", "override", "LZ-Logging-ObjectLockRetention", "8.15.04", object_lock(Days=30)
    ),
    Case(
        "object-lock-400-days",
        "override",
        "LZ-Logging-ObjectLockThreeYears",
        "5.28.01",
        object_lock(Days=400),
    ),
    Case(
        "object-lock-off",
        "override",
        "LZ-Logging-ObjectLockThreeYears",
        "5.28.01",
        on("AWS::S3::Bucket", lambda p: "ObjectLockConfiguration" in p and p.update(ObjectLockEnabled=False)),
    ),
    # ---- vault lock
    Case(
        "vault-lock-governance",
        "override",
        "LZ-Backup-VaultLock",
        "8.13.01",
        vault_lock(lambda p: p["LockConfiguration"].pop("ChangeableForDays")),
    ),
    Case(
        "vault-lock-grace-100-years",
        "override",
        "LZ-Backup-VaultLock",
        "8.13.01",
        vault_lock(lambda p: p["LockConfiguration"].update(ChangeableForDays=36500)),
    ),
    Case(
        "vault-lock-min-one-day",
        "override",
        "LZ-Backup-VaultLock",
        "8.13.01",
        vault_lock(lambda p: p["LockConfiguration"].update(MinRetentionDays=1)),
    ),
    Case(
        "vault-lock-removed",
        "emptied",
        "LZ-Backup-VaultLock",
        "8.13.01",
        vault_lock(lambda p: p.pop("LockConfiguration")),
    ),
    # ---- restore testing
    Case(
        "restore-testing-selects-nothing",
        "emptied",
        "LZ-Backup-RestoreTesting",
        "8.13.04",
        on("AWS::Backup::RestoreTestingSelection", setter(ProtectedResourceArns=[])),
    ),
    Case(
        "restore-testing-selections-removed",
        "emptied",
        "LZ-Backup-RestoreTesting",
        "8.13.04",
        remove_resources("AWS::Backup::RestoreTestingSelection"),
    ),
    Case(
        "restore-testing-no-vault",
        "emptied",
        "LZ-Backup-RestoreTesting",
        "8.13.04",
        on("AWS::Backup::RestoreTestingPlan", lambda p: p["RecoveryPointSelection"].update(IncludeVaults=[])),
    ),
    # ---- break-glass trust
    Case(
        "break-glass-without-mfa",
        "override",
        "LZ-Identity-BreakGlassTrust",
        "5.17.01",
        trust(lambda s: s["Condition"].pop("Bool")),
    ),
    Case(
        "break-glass-mfa-a-day-old",
        "override",
        "LZ-Identity-BreakGlassTrust",
        "5.17.01",
        trust(lambda s: s["Condition"].update(NumericLessThan={"aws:MultiFactorAuthAge": "86400"})),
    ),
    Case(
        "break-glass-trusts-the-account",
        "override",
        "LZ-Identity-BreakGlassTrust",
        "5.17.01",
        trust(lambda s: s.update(Principal={"AWS": "arn:aws:iam::111111111111:root"})),
    ),
    Case(
        "break-glass-trusts-everyone",
        "override",
        "LZ-Identity-BreakGlassTrust",
        "5.17.01",
        trust(lambda s: s.update(Principal={"AWS": "*"})),
    ),
    # ---- network firewall
    Case(
        "firewall-no-default-drop",
        "override",
        "LZ-Network-FirewallPolicy",
        "8.22.01",
        firewall_policy(lambda p: p.update(StatefulDefaultActions=[])),
    ),
    Case(
        "firewall-stateless-pass",
        "override",
        "LZ-Network-FirewallPolicy",
        "8.22.01",
        firewall_policy(lambda p: p.update(StatelessDefaultActions=["aws:pass"])),
    ),
    Case(
        "firewall-default-order",
        "override",
        "LZ-Network-FirewallPolicy",
        "8.22.01",
        firewall_policy(lambda p: p.update(StatefulEngineOptions={"RuleOrder": "DEFAULT_ACTION_ORDER"})),
    ),
    Case(
        "firewall-alert-logs-removed",
        "emptied",
        "LZ-Network-FirewallInspection",
        "8.21.02",
        remove_resources("AWS::NetworkFirewall::LoggingConfiguration"),
    ),
    # ---- Access Analyzer
    Case(
        "org-analyzer-archive-rule",
        "override",
        "LZ-AccessAnalyzer-Organization",
        "8.03.01",
        org_analyzer(
            setter(ArchiveRules=[{"RuleName": "hide", "Filter": [{"Property": "isPublic", "Eq": ["true"]}]}])
        ),
    ),
    Case(
        "org-analyzer-account-only",
        "override",
        "LZ-AccessAnalyzer-Organization",
        "8.03.01",
        org_analyzer(setter(Type="ACCOUNT")),
    ),
)


def assert_lowered(base: Evidence, new: Evidence, measure: str) -> None:
    """The measure's status is lower; a measure that was already partial must gain an open failure."""
    before, after = base.status(measure), new.status(measure)
    if before == "partially_implemented" and after == "partially_implemented":
        assert new.measure(measure)["open_violations"] > base.measure(measure)["open_violations"], measure
        return
    assert STATUS_RANK[after] < STATUS_RANK[before], f"{measure}: {before} -> {after}"


def assert_narrowed(
    base: Evidence, new: Evidence, measure: str, claim: str, not_covered: tuple[str, ...]
) -> None:
    """A narrowed claim: partial evidence naming the uncovered scope, a warning, and the measure at best
    partially implemented (never higher than before) with the narrowing in its basis."""
    before, after = base.status(measure), new.status(measure)
    assert after == "partially_implemented", f"{measure}: {before} -> {after}"
    assert STATUS_RANK[after] <= STATUS_RANK[before], f"{measure}: {before} -> {after}"
    partial = new.claim_items(measure, claim, "partial")
    assert partial and all(i["coverage"]["covers"] for i in partial)
    named = {n for i in partial for n in i["coverage"]["not_covered"]}
    assert set(not_covered) <= named, f"uncovered scope {sorted(named)}"
    row = new.measure(measure)
    assert {n for x in row["narrowed"] if x["claim"] == claim for n in x["not_covered"]} >= set(not_covered)
    assert f"Narrowed: {claim} covers" in row["basis"]
    warnings = [
        v
        for v in new.manifest["violations"]
        if v["rule"] == "BIO2-Engine-ClaimNarrowed" and claim in v["detail"]
    ]
    assert warnings and all(v["level"] == "warning" for v in warnings)
    assert all(name in warnings[0]["detail"] for name in not_covered)
    assert not [
        v
        for v in new.manifest["violations"]
        if v["rule"] == "BIO2-Engine-ClaimFailed" and claim in v["detail"]
    ]


def test_the_suite_is_large_and_covers_every_kind() -> None:
    assert len(CASES) >= 40
    assert {c.kind for c in CASES} == {"override", "retarget", "emptied", "condition"}
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.synth
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_removal_takes_the_evidence_and_lowers_the_status(base_evidence: Evidence, case: Case) -> None:
    assert base_evidence.claim_items(case.measure, case.claim), (
        f"{case.claim} is not evidence for {case.measure}"
    )
    assert all(c["result"] in ("pass", "unknown") for c in base_evidence.claims(case.claim))

    new = mutate(base_evidence, case.mutation)

    assert not new.claim_items(case.measure, case.claim), "the claim still counts as evidence"
    results = {c["result"] for c in new.claims(case.claim)}
    assert case.result in results, f"{case.claim}: claim results {results}"
    if case.result == "fail":
        failed = [
            v
            for v in new.manifest["violations"]
            if v["rule"] == "BIO2-Engine-ClaimFailed" and case.claim in v["detail"]
        ]
        assert failed and all(v["level"] == "error" for v in failed)
        assert new.claim_items(case.measure, case.claim, "fail")
    if case.result == "partial":
        assert case.not_covered, "a narrowing case names the scope it takes away"
        assert_narrowed(base_evidence, new, case.measure, case.claim, case.not_covered)
    else:
        assert_lowered(base_evidence, new, case.measure)


@pytest.mark.synth
def test_every_claim_of_the_table_is_made_or_known_to_be_conditional(base_evidence: Evidence) -> None:
    """No dead rows: the default landing zone makes every claim of landing_zone/claims.json except
    those its configuration switches off (password policy: IAM users are denied; Macie: off; the
    Control Tower checks: coexistence off). The approved-services SCP is attached to OUs, not Root:
    its claim is made and narrowed (the only narrowed claim of the default landing zone)."""
    from landing_zone.claims import claim_table

    made = {c["id"] for c in base_evidence.manifest["claims"]}
    assert made <= set(claim_table().specs)
    control_tower = {c for c in claim_table().specs if c.startswith("LZ-ControlTower-")}
    assert len(control_tower) == 4  # made in tests/deploy/test_control_tower.py
    assert set(claim_table().specs) - made == {
        *control_tower,
        "LZ-Baseline-PasswordPolicy",
        "LZ-Macie-S3",
    }
    assert not [c for c in base_evidence.manifest["claims"] if c["result"] == "fail"]
    narrowed = [c for c in base_evidence.manifest["claims"] if c["result"] == "partial"]
    assert [(c["id"], c["coverage"]) for c in narrowed] == [
        (
            "LZ-SCP-ApprovedServices",
            {
                "covers": ["Sandbox", "Workloads"],
                "not_covered": ["Infrastructure", "Security", "accounts directly under Root"],
            },
        )
    ]
    assert base_evidence.status("8.19.01") == "partially_implemented"
