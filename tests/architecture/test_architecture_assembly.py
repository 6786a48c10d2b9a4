"""The composition root (landing_zone/assembly.py): what passes between components, and how."""

from __future__ import annotations

import dataclasses

import aws_cdk as cdk
import pytest
from aws_cdk import aws_cloudtrail as cloudtrail

from landing_zone.app import new_app
from landing_zone.assembly import COMPONENTS, LandingZone
from landing_zone.config import load_config
from landing_zone.core.contracts import ComponentOutputs, LoggingOutputs, OrgPolicySpec, StackKey

pytestmark = pytest.mark.synth


@pytest.fixture(scope="module")
def config():
    return load_config(None)


def _conditions(stack: cdk.Stack) -> dict[str, object]:
    return {
        c.node.path: stack.resolve(c.expression)
        for c in stack.node.find_all()
        if isinstance(c, cdk.CfnCondition)
    }


def test_unknown_components_are_refused(config) -> None:
    with pytest.raises(ValueError, match="unknown components \\['logs'\\]"):
        LandingZone(new_app(), config, components=["logs"])


def test_the_placement_is_read_only_and_follows_the_root(config) -> None:
    lz = LandingZone(new_app(), config, components=["logging"])
    placement = lz.placement
    with pytest.raises(TypeError):
        placement.stacks[StackKey("x", "eu-central-1")] = placement.stack("management")  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        placement.home_region = "eu-west-1"  # type: ignore[misc]
    # only logging ran: the stacks without resources were left out, and the placement says so
    assert (
        set(placement.stacks)
        == set(lz.stacks)
        == {
            StackKey("management", "eu-central-1"),
            StackKey("log-archive", "eu-central-1"),
        }
    )
    assert not placement.has_stack("security")
    with pytest.raises(KeyError, match="no security stack in eu-central-1"):
        placement.stack("security")


def test_security_alarms_use_the_log_group_logging_returns(config) -> None:
    lz = LandingZone(new_app(), config, components=["logging", "security"])
    logging = lz.outputs.logging
    assert isinstance(logging.trail, cloudtrail.CfnTrail)
    assert logging.trail_log_group_name is not None
    assert lz.outputs.security.trail_alarms, "the default configuration alarms on trail events"
    management = lz.stack("management")
    filters = [
        management.resolve(c.log_group_name)
        for c in management.node.find_all()
        if isinstance(c, cdk.aws_logs.CfnMetricFilter)
    ]
    assert filters and all(f == management.resolve(logging.trail_log_group_name) for f in filters)


def test_without_logging_outputs_security_makes_no_trail_alarms(config) -> None:
    """Security does not look for a trail in the tree: given no log group, it raises no alarms."""
    lz = LandingZone(new_app(), config, components=["security"])
    assert lz.outputs.logging == LoggingOutputs()
    assert lz.outputs.security.trail_alarms == frozenset()


def test_identity_reuses_the_home_region_condition_security_returns(config) -> None:
    both = LandingZone(new_app(), config, components=["security", "identity"])
    condition = both.outputs.security.baseline_home_region
    assert condition is not None
    conditions = _conditions(both.baseline.stack)
    assert list(conditions) == [condition.node.path], "one home-region condition in the baseline"

    alone = LandingZone(new_app(), config, components=["identity"])
    (path,) = _conditions(alone.baseline.stack)
    assert path.endswith("/Identity/HomeRegionOnly")


def test_org_policies_are_collected_from_outputs_in_build_order(config) -> None:
    spec = OrgPolicySpec(
        name="lz-extension-test",
        policy_type="TAG_POLICY",
        content={"tags": {}},
        targets=("Root",),
        description="test",
    )
    seen = []

    def extension(cfg, placement):
        seen.append(placement.home_region)
        return ComponentOutputs(org_policies=(spec,))

    lz = LandingZone(new_app(), config, components=["backup"], extensions=[extension, lambda c, p: None])
    assert seen == [config.regions.home]
    assert lz.org_policies == (*lz.outputs.backup.org_policies, spec)
    assert lz.outputs.extensions == (ComponentOutputs(org_policies=(spec,)), ComponentOutputs())


def test_the_default_build_runs_every_component(config) -> None:
    lz = LandingZone(new_app(), config)
    assert COMPONENTS[-1] == "organization"
    assert lz.outputs.organization.stack_set is not None
    assert set(lz.outputs.organization.ou_ids) == set(config.organization.ou_paths())
    assert lz.outputs.security.alert_bus is not None
    assert lz.outputs.logging.log_bucket is not None
    assert set(lz.outputs.network.networks) <= set(config.regions.allowed)
