"""Account placement script, configuration details and the baseline's inline code (no synthesis)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from landing_zone.config import ConfigError, load_config
from landing_zone.config.sections.organization import DEFAULT_APPROVED_SERVICES, PLATFORM_REQUIRED_SERVICES
from landing_zone.organization.placement import MANAGEMENT_STACK, output_key, placement_script
from landing_zone.organization.service_prefixes import SERVICE_PREFIXES
from tests.organization.org_testkit import config_with


def test_placement_script_moves_every_member_account_to_its_ou(config):
    script = placement_script(config)
    assert "move-account" in script and "list-parents" in script
    for account in config.organization.accounts:
        line = next((line for line in script.splitlines() if line.startswith(f"place {account.id} ")), None)
        if account.role == "management":
            assert line is None  # stays at the root
        else:
            assert line is not None and line.endswith(f"# {account.name} -> {account.ou}")
    assert "place 666666666666 OuWorkloadsProd" in script
    if shutil.which("bash"):
        subprocess.run(["bash", "-n"], input=script, text=True, check=True)


def test_placement_names_the_management_stack_like_the_stacks_module(config):
    from landing_zone.stacks import stack_name

    assert MANAGEMENT_STACK.format(region="eu-central-1") == stack_name("management", "eu-central-1")


def test_output_keys_are_unique_and_alphanumeric():
    taken: set[str] = set()
    assert output_key("Workloads/Prod", taken) == "OuWorkloadsProd"
    assert output_key("Workloads-Prod", taken) == "OuWorkloadsProd2"
    assert output_key("a/b-c", taken) == "OuABC"


def test_default_allow_list_is_made_of_known_services_and_covers_the_platform():
    assert set(PLATFORM_REQUIRED_SERVICES) <= set(DEFAULT_APPROVED_SERVICES)
    assert set(DEFAULT_APPROVED_SERVICES) <= set(SERVICE_PREFIXES)
    assert len(DEFAULT_APPROVED_SERVICES) == len(set(DEFAULT_APPROVED_SERVICES))


def test_guardrails_default_to_the_root_except_the_allow_list():
    config = load_config()
    attach = config.organization.guardrails.attach
    assert attach.deny_outside_regions == ("Root",)
    assert config.organization.root_id == "r-a1b2"
    assert config.organization.baseline.targets == ("Root",)


def test_a_minimal_configuration_needs_no_guardrail_settings(minimal_yaml):
    from landing_zone.config import load_config_text

    config = load_config_text(minimal_yaml)
    assert config.organization.root_id is None
    assert config.organization.guardrails.attach.approved_services == ()


def test_duplicate_targets_and_services_are_reported():
    with pytest.raises(ConfigError) as caught:
        config_with(
            guardrails={
                "attach": {"require_imdsv2": ["Workloads", "Workloads"]},
                "approved_services": [*DEFAULT_APPROVED_SERVICES, "s3"],
            },
            baseline={"targets": ["Root", "Root"]},
        )
    paths = sorted(problem.path for problem in caught.value.problems)
    assert paths == [
        "organization.baseline.targets[1]",
        "organization.guardrails.approved_services[" + str(len(DEFAULT_APPROVED_SERVICES)) + "]",
        "organization.guardrails.attach.require_imdsv2[1]",
    ]


def test_iam_users_allowed_somewhere():
    from landing_zone.organization.component import iam_users_allowed_somewhere

    assert not iam_users_allowed_somewhere(load_config())
    assert iam_users_allowed_somewhere(config_with(guardrails={"attach": {"deny_iam_users": []}}))
    # every OU of a member account is covered: still no IAM users anywhere
    covered = config_with(
        guardrails={"attach": {"deny_iam_users": ["Security", "Infrastructure", "Workloads"]}}
    )
    assert not iam_users_allowed_somewhere(covered)
    partly = config_with(guardrails={"attach": {"deny_iam_users": ["Security", "Workloads/Prod"]}})
    assert iam_users_allowed_somewhere(partly)


def test_account_defaults_inline_code_compiles():
    from landing_zone.organization.baseline import ACCOUNT_DEFAULTS_CODE

    compile(ACCOUNT_DEFAULTS_CODE, "index.py", "exec")
    assert len(ACCOUNT_DEFAULTS_CODE.encode()) < 4096  # CloudFormation's ZipFile limit


def test_service_prefix_list_is_generated_from_parliament():
    import parliament

    from landing_zone.organization import gen_service_prefixes

    assert gen_service_prefixes.TARGET.read_text(encoding="utf-8") == gen_service_prefixes.generate(), (
        "service_prefixes.py is stale: python -m landing_zone.organization.gen_service_prefixes"
    )
    assert f"parliament {parliament.__version__}" in gen_service_prefixes.TARGET.read_text(encoding="utf-8")


def test_baseline_services_map_cloudformation_types_to_iam_prefixes():
    from landing_zone.organization.baseline import baseline_services

    template = {
        "Resources": {
            f"R{i}": {"Type": kind}
            for i, kind in enumerate(
                [
                    "AWS::AccessAnalyzer::Analyzer",
                    "AWS::Lambda::Function",
                    "Custom::AccountDefaults",
                    "AWS::ElasticLoadBalancingV2::LoadBalancer",
                    "AWS::StepFunctions::StateMachine",
                    "AWS::GuardDuty::Detector",
                    "AWS::NoSuchService::Thing",
                ]
            )
        }
    }
    assert baseline_services(template) == {
        "access-analyzer",
        "lambda",
        "elasticloadbalancing",
        "states",
        "guardduty",
    }
