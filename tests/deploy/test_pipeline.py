"""The CDK Pipelines pipeline: gates, approvals, waves in order, every landing-zone stack exactly once."""

from __future__ import annotations

import re

import pytest

from landing_zone.pipeline.pipeline import PIPELINE_STACK_NAME, approval_name
from landing_zone.pipeline.stage import WAVES
from tests.synthkit import MINIMAL_YAML, synth_landing_zone

SHARED = (
    '    - {name: shared, id: "555555555555", email: e@klein.example, ou: Infrastructure, '
    "role: shared-services}\n"
)
PIPELINE_YAML = (
    MINIMAL_YAML
    + SHARED
    + """deployment:
  pipeline:
    enabled: true
    source:
      type: codestar
      connection_arn: arn:aws:codeconnections:eu-central-1:111111111111:connection/abcd-1234
      repository: gemeente/landing-zone
"""
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return synth_landing_zone(tmp_path_factory.mktemp("pipeline"), PIPELINE_YAML)


def _stages(built) -> dict[str, list[dict]]:
    template = built.template(PIPELINE_STACK_NAME)
    (pipeline,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::CodePipeline::Pipeline"]
    return {stage["Name"]: stage["Actions"] for stage in pipeline["Properties"]["Stages"]}


def _landing_zone_stacks(built) -> set[str]:
    return {
        t["stack"]
        for t in built.manifest["templates"]
        if t["account"] and not t["stack"].startswith(PIPELINE_STACK_NAME)
    }


@pytest.mark.synth
def test_the_pipeline_lives_in_the_deployment_account(built):
    entry = next(t for t in built.manifest["templates"] if t["stack"] == PIPELINE_STACK_NAME)
    assert entry["account"] == "111111111111"  # management: the default deployment account
    assert _stages(built)  # an AWS::CodePipeline::Pipeline


@pytest.mark.synth
def test_source_synth_gate_and_self_mutation(built):
    stages = _stages(built)
    assert list(stages)[:3] == ["Source", "Build", "UpdatePipeline"]
    assert stages["Source"][0]["ActionTypeId"]["Provider"] == "CodeStarSourceConnection"
    build = str(built.template(PIPELINE_STACK_NAME))
    assert "make test" in build and "make synth" in build  # the tests and the BIO2 gate
    assert "bio2 diff last-deployed.json cdk.out/bio2/manifest.json" in build


@pytest.mark.synth
def test_diff_gate_then_approved_waves_in_order_then_record(built):
    actions = sorted(_stages(built)["LandingZone"], key=lambda a: a["RunOrder"])
    assert actions[0]["Name"] == "Bio2Diff"
    assert actions[-1]["Name"] == "RecordDeployedManifest"
    deploys = [
        (a["RunOrder"], a["Name"].removesuffix(".Deploy")) for a in actions if a["Name"].endswith(".Deploy")
    ]
    approvals = {a["Name"].split(".")[1]: a["RunOrder"] for a in actions if ".Approve-" in a["Name"]}
    role_wave = {role: i for i, (_, roles) in enumerate(WAVES) for role in roles}
    wave_names = [name for name, _ in WAVES]

    def wave_of(stack: str) -> int:
        role = re.sub(r"^lz-|-[a-z]{2}-[a-z]+-\d$", "", stack)
        return role_wave.get(role, len(WAVES) - 1)

    # waves strictly in order, each after its own approval and after every stack of the wave before
    last_order = 0
    for index, name in enumerate(wave_names):
        wave_deploys = [order for order, stack in deploys if wave_of(stack) == index]
        if not wave_deploys:
            continue
        assert approvals[approval_name(name)] > last_order
        assert min(wave_deploys) > approvals[approval_name(name)]
        last_order = max(wave_deploys)
    assert {wave_names[wave_of(s)] for _, s in deploys} >= {
        "log-archive",
        "organization",
        "security",
        "network",
    }


@pytest.mark.synth
def test_every_landing_zone_stack_is_deployed_exactly_once(built):
    actions = [a for stage in _stages(built).values() for a in stage]
    deployed = [a["Name"].removesuffix(".Deploy") for a in actions if a["Name"].endswith(".Deploy")]
    assert sorted(deployed) == sorted(set(deployed))
    assert set(deployed) == _landing_zone_stacks(built)


@pytest.mark.synth
def test_the_pipeline_passes_the_bio2_gate(built):
    assert built.open_errors() == []


@pytest.mark.synth
def test_the_pipeline_is_off_by_default(default_synth):
    assert PIPELINE_STACK_NAME not in default_synth.templates


@pytest.mark.synth
def test_the_pipeline_templates_pass_cfn_lint(built):
    import subprocess
    import sys
    from pathlib import Path

    files = sorted(str(p) for p in built.outdir.rglob("*.template.json"))
    assert any("assembly-LandingZone" in f for f in files)
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    proc = subprocess.run(
        [str(cfn_lint), "-r", "eu-central-1", "eu-west-1", "--", *files], capture_output=True, text=True
    )
    assert proc.returncode & 2 == 0, proc.stdout[-3000:]  # 2: errors (4: warnings only)


@pytest.mark.synth
def test_the_stage_action_count_is_what_the_capacity_check_predicts(built):
    from landing_zone.pipeline.pipeline import landing_zone_stage_actions

    actions = _stages(built)["LandingZone"]
    stacks = sum(1 for a in actions if a["Name"].endswith(".Deploy"))
    approvals = sum(1 for a in actions if ".Approve-" in a["Name"])
    assert len(actions) == landing_zone_stage_actions(stacks, approvals)


def test_a_pipeline_over_codepipelines_action_quota_is_refused_with_the_key_and_a_fix():
    from landing_zone.config.errors import ConfigError
    from landing_zone.pipeline.pipeline import MAX_ACTIONS_PER_STAGE, check_stage_capacity

    check_stage_capacity(21, 5)  # 42 + 5 + 2 = 49 actions: accepted
    with pytest.raises(ConfigError) as caught:
        check_stage_capacity(22, 5)  # 51 actions
    problem = caught.value.problems[0]
    assert problem.path == "deployment.pipeline.enabled"
    assert str(MAX_ACTIONS_PER_STAGE) in problem.message
    assert "deployment.pipeline.enabled: false" in problem.fix
