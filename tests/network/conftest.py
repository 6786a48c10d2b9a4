"""Fixtures of the network tests (helpers in ``network_testkit``)."""

from __future__ import annotations

from typing import Any

import pytest
from network_testkit import NETWORK_STACK, WorkloadSynth, synth_workload_vpcs, topology_of


@pytest.fixture(scope="session")
def default_config() -> Any:
    from landing_zone.config import load_config

    return load_config(None)


@pytest.fixture(scope="session")
def workload_synth(tmp_path_factory: pytest.TempPathFactory, default_config: Any) -> WorkloadSynth:
    return synth_workload_vpcs(tmp_path_factory.mktemp("app-team-vpcs"), default_config)


@pytest.fixture(scope="session")
def network_templates(default_synth: Any, workload_synth: WorkloadSynth) -> dict[str, dict[str, Any]]:
    """The region's network stacks (the hub and its spoke stacks) and the app teams' stacks."""
    network = {
        name: template
        for name, template in default_synth.templates.items()
        if name == NETWORK_STACK or name.startswith(f"{NETWORK_STACK}-spokes-")
    }
    assert len(network) > 1, "the default example's spokes are in spoke stacks"
    return {**network, **workload_synth.templates}


@pytest.fixture(scope="session")
def topology(
    network_templates: dict[str, dict[str, Any]], workload_synth: WorkloadSynth, default_config: Any
):
    return topology_of(
        network_templates, workload_synth.stacks_by_attachment, list(default_config.network.on_premises_cidrs)
    )
