"""The platform bootstrap: exact role names, trust only in the deployment account, no AdministratorAccess."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from landing_zone.config import load_config, load_config_text
from landing_zone.naming import BOOTSTRAP_QUALIFIER, BOOTSTRAP_ROLE_PURPOSES, platform_bootstrap_role_name
from landing_zone.pipeline.bootstrap import (
    CFN_SERVICE_PREFIXES,
    TOOLKIT_STACK_NAME,
    VERSION_PARAMETER,
    bootstrap_app,
    bootstrap_commands,
    bootstrap_targets,
    cfn_exec_actions,
)
from tests.synthkit import MINIMAL_YAML

ROOT = Path(__file__).resolve().parents[2]


def _template(tmp_path: Path, config) -> dict:
    bootstrap_app(config, str(tmp_path)).synth()
    return json.loads((tmp_path / f"{TOOLKIT_STACK_NAME}.template.json").read_text())


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> dict:
    return _template(tmp_path_factory.mktemp("bootstrap"), load_config(None))


def _roles(template: dict) -> dict[str, dict]:
    """Roles by their name pattern with ${AWS::Region} replaced by eu-central-1."""
    out = {}
    for res in template["Resources"].values():
        if res["Type"] == "AWS::IAM::Role":
            name = res["Properties"]["RoleName"]["Fn::Sub"].replace("${AWS::Region}", "eu-central-1")
            out[name] = res
    return out


def _principals(role: dict) -> list:
    return [s["Principal"] for s in role["Properties"]["AssumeRolePolicyDocument"]["Statement"]]


def test_the_four_roles_have_the_exact_contract_names(template):
    names = set(_roles(template))
    assert names == {platform_bootstrap_role_name(p, "eu-central-1") for p in BOOTSTRAP_ROLE_PURPOSES}


def test_only_the_deployment_account_is_trusted(template):
    config = load_config(None)
    management = next(a.id for a in config.organization.accounts if a.role == "management")
    for name, role in _roles(template).items():
        principals = _principals(role)
        assert len(principals) == 1, name
        if "cfn-exec" in name:
            assert principals == [{"Service": "cloudformation.amazonaws.com"}]
        else:
            text = json.dumps(principals)
            assert re.findall(r"\d{12}", text) == [management], name
            assert ":root" in text


def test_a_dedicated_deployment_account_is_trusted_instead(tmp_path):
    yaml = MINIMAL_YAML.replace(
        '    - {name: network, id: "444444444444"',
        '    - {name: deploy, id: "999999999999", email: e@klein.example, ou: Infrastructure}\n'
        '    - {name: network, id: "444444444444"',
    )
    config = load_config_text(yaml + "deployment: {account: deploy}\n")
    template = _template(tmp_path, config)
    for name, role in _roles(template).items():
        if "cfn-exec" not in name:
            assert re.findall(r"\d{12}", json.dumps(_principals(role))) == ["999999999999"]
    targets = bootstrap_targets(config)
    assert targets[0].account_id == "999999999999"
    assert "111111111111" in {t.account_id for t in targets}


def test_an_unknown_deployment_account_is_a_config_problem():
    from landing_zone.config import ConfigError

    with pytest.raises(ConfigError) as err:
        load_config_text(MINIMAL_YAML + "deployment: {account: nope}\n")
    assert "deployment.account" in err.value.format()


def test_no_administrator_access_and_a_scoped_cfn_exec_policy(template):
    for name, role in _roles(template).items():
        attached = json.dumps(role["Properties"].get("ManagedPolicyArns", []))
        assert "AdministratorAccess" not in attached and "iam::aws:policy" not in attached, name
    text = json.dumps({k: v for k, v in template["Resources"].items()})
    assert "policy/AdministratorAccess" not in text
    assert '"Action": "*"' not in text and '"*:*"' not in text
    policies = [r for r in template["Resources"].values() if r["Type"] == "AWS::IAM::ManagedPolicy"]
    assert len(policies) == 1
    statements = policies[0]["Properties"]["PolicyDocument"]["Statement"]
    allow = next(s for s in statements if s["Effect"] == "Allow")
    assert sorted(allow["Action"]) == cfn_exec_actions()
    deny = next(s for s in statements if s["Effect"] == "Deny")
    assert "lz-cdk-*" in json.dumps(deny["Resource"])


def test_the_staging_bucket_is_encrypted_tls_only_versioned_and_retained(template):
    (bucket,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::S3::Bucket"]
    props = bucket["Properties"]
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    assert all(props["PublicAccessBlockConfiguration"].values())
    assert bucket["DeletionPolicy"] == bucket["UpdateReplacePolicy"] == "Retain"
    (policy,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::S3::BucketPolicy"]
    assert "aws:SecureTransport" in json.dumps(policy)


def test_what_the_cli_and_the_synthesizer_read(template):
    (param,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::SSM::Parameter"]
    assert param["Properties"]["Name"] == VERSION_PARAMETER == f"/cdk-bootstrap/{BOOTSTRAP_QUALIFIER}/version"
    assert {"BucketName", "BucketDomainName", "BootstrapVersion"} <= set(template["Outputs"])
    assert int(template["Outputs"]["BootstrapVersion"]["Value"]) >= 8  # the CLI's lookup-role minimum
    # no parameter through which `cdk bootstrap --trust` could widen the trust
    assert not {"TrustedAccounts", "TrustedAccountsForLookup", "CloudFormationExecutionPolicies"} & set(
        template["Parameters"]
    )
    assert template["Parameters"]["Qualifier"]["AllowedValues"] == [BOOTSTRAP_QUALIFIER]


def test_landing_zone_stacks_use_the_platform_bootstrap(default_synth):
    stacks = default_synth.stack_artifacts()
    assert len(stacks) >= 6
    for name, artifact in stacks.items():
        region = artifact["environment"].rsplit("/", 1)[1]
        props = artifact["properties"]
        assert props["assumeRoleArn"].endswith(f":role/{platform_bootstrap_role_name('deploy', region)}"), (
            name
        )
        assert props["cloudFormationExecutionRoleArn"].endswith(
            f":role/{platform_bootstrap_role_name('cfn-exec', region)}"
        )
        assert props["lookupRole"]["arn"].endswith(f":role/{platform_bootstrap_role_name('lookup', region)}")
        assert props["bootstrapStackVersionSsmParameter"] == VERSION_PARAMETER
    text = (default_synth.assembly_dir / "manifest.json").read_text()
    assert "hnb659fds" not in text and "role/cdk-" not in text


def test_the_cfn_exec_policy_covers_every_service_the_templates_use(default_synth):
    used = set()
    for template in default_synth.templates.values():
        for res in template.get("Resources", {}).values():
            if res["Type"].startswith("AWS::"):
                used.add(res["Type"].split("::")[1])
    assert used - set(CFN_SERVICE_PREFIXES) == set()


def test_every_landing_zone_stack_is_in_a_bootstrapped_account_and_region(default_synth):
    targets = {(t.account_id, t.region) for t in bootstrap_targets(load_config(None))}
    for t in default_synth.manifest["templates"]:
        if t["account"]:  # the member baseline goes through the StackSet, not through a bootstrap
            assert (t["account"], t["region"]) in targets, t["stack"]


def test_commands_use_the_qualifier_and_the_template():
    commands = bootstrap_commands(load_config(None), "cdk.out.bootstrap/t.json", profile="lz-{account}")
    assert all(
        c.startswith("cdk bootstrap aws://")
        and f"--qualifier {BOOTSTRAP_QUALIFIER}" in c
        and "--template cdk.out.bootstrap/t.json" in c
        and "--trust" not in c
        for c in commands
    )
    assert "--profile lz-management" in commands[0]


def test_the_cli_dry_run_writes_nothing(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "landing_zone.pipeline",
            "bootstrap",
            "--dry-run",
            "--outdir",
            str(tmp_path / "b"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("cdk bootstrap aws://") == len(bootstrap_targets(load_config(None)))
    assert not (tmp_path / "b").exists()


def test_the_cli_synth_only_writes_the_template(tmp_path):
    proc = subprocess.run(
        [
            sys.executable, "-m", "landing_zone.pipeline", "bootstrap", "--synth-only",
            "--outdir", str(tmp_path / "b"), "--config", str(tmp_path / "missing.yaml"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert proc.returncode == 2 and "missing.yaml" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "b").exists()
