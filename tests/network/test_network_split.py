"""The network split (issue #16): the hub in ``lz-network-<region>``, spokes in its spoke stacks.

Claims tried here: a spoke's stack depends on its name alone, so adding or removing VPCs never
moves another spoke between stacks and never changes another spoke's resources; the hub exports
the same contract whatever the spokes; and the routing proofs hold for spokes in different
spoke stacks of a province with 100 spokes in one region.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from network_testkit import NETWORK_STACK, synth_workload_vpcs, topology_of

from landing_zone.config import load_config, load_config_text
from landing_zone.network.plan import SPOKE_STACKS, region_plans, spoke_part
from landing_zone.network.spokes import contract_keys, export_name
from tests.config.province import dump, example, province
from tests.synthkit import synth_landing_zone

HUNDRED = Path(__file__).parents[1] / "config" / "scale" / "province-100-spokes-in-one-region.yaml"
INTERNET = "192.0.2.80"


def _membership(cfg: Any) -> dict[str, str]:
    """VPC name -> its stack, for every spoke VPC of another account."""
    return {
        vpc.name: f"lz-network-{plan.region}-{part}"
        for plan in region_plans(cfg)
        for part, vpcs in plan.spoke_stacks().items()
        for vpc in vpcs
    }


def test_the_stack_of_a_spoke_depends_on_its_name_only() -> None:
    assert spoke_part("app-prod") == spoke_part("app-prod")
    parts = {spoke_part(f"spoke-{n:03d}") for n in range(200)}
    assert parts == {f"spokes-{n}" for n in range(1, SPOKE_STACKS + 1)}


@pytest.mark.parametrize("where", [0, 7, 60, -1])
def test_adding_a_spoke_anywhere_moves_no_other_spoke(where: int) -> None:
    data = province(40, 3, spokes_per_region=(100, 4, 4))
    before = _membership(load_config_text(dump(data)))
    vpcs = data["network"]["vpcs"]
    new = dict(
        vpcs[-1],
        name="brand-new-app",
        cidr="10.127.252.0/22",
        transit_gateway_attachment_id="tgw-attach-0fff0000000000000",
    )
    vpcs.insert(where if where >= 0 else len(vpcs), new)
    after = _membership(load_config_text(dump(data)))
    assert after.pop("brand-new-app") == f"lz-network-eu-west-3-{spoke_part('brand-new-app')}"
    assert after == before


def test_removing_and_reordering_spokes_moves_no_other_spoke() -> None:
    data = province(40, 3, spokes_per_region=(100, 4, 4))
    before = _membership(load_config_text(dump(data)))
    vpcs = data["network"]["vpcs"]
    removed = [v["name"] for v in vpcs[10:40]]
    del vpcs[10:40]
    vpcs.reverse()
    after = _membership(load_config_text(dump(data)))
    assert after == {name: stack for name, stack in before.items() if name not in removed}


def _network_templates(tmp_path: Path, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The network stacks of ``data``, built by the network component alone."""
    import aws_cdk as cdk

    from landing_zone.assembly import LandingZone

    app = cdk.App(outdir=str(tmp_path))
    lz = LandingZone(app, load_config_text(dump(data)), components=["network"])
    assembly = app.synth()
    return {s.stack_name: assembly.get_stack_by_name(s.stack_name).template for s in lz.stacks.values()}


@pytest.mark.synth
def test_adding_a_spoke_leaves_every_other_spoke_resource_as_it_was(tmp_path: Path) -> None:
    data = example()
    before = _network_templates(tmp_path / "before", data)
    changed = copy.deepcopy(data)
    changed["network"]["vpcs"].insert(
        2,  # before the existing spokes: a numbered packing would shift them
        {
            "name": "app-new",
            "account": "app-prod",
            "region": "eu-central-1",
            "cidr": "10.19.0.0/20",
            "segment": "production",
            "transit_gateway_attachment_id": "tgw-attach-0a19000000000000a",
        },
    )
    after = _network_templates(tmp_path / "after", changed)
    spoke_stacks = [name for name in before if "-spokes-" in name]
    assert spoke_stacks
    for name in spoke_stacks:
        old, new = before[name]["Resources"], after[name]["Resources"]
        assert {lid: new.get(lid) for lid in old} == old, name
    added = {
        name
        for name, template in after.items()
        for lid in template["Resources"]
        if "VpcAppNew" in lid and lid not in before.get(name, {}).get("Resources", {})
    }
    assert added == {f"{NETWORK_STACK}-{spoke_part('app-new')}"}
    # the hub's exports are the same contract: no spoke adds or removes one
    assert _exports(before[NETWORK_STACK]) == _exports(after[NETWORK_STACK])


def _exports(template: dict[str, Any]) -> dict[str, Any]:
    return {o["Export"]["Name"]: o["Value"] for o in template.get("Outputs", {}).values() if "Export" in o}


@pytest.mark.synth
def test_the_hub_exports_its_fixed_contract_without_any_spoke(tmp_path: Path) -> None:
    data = example()
    data["network"]["vpcs"] = [v for v in data["network"]["vpcs"] if v["account"] == "network"]
    data["network"]["vpn"] = []
    data["network"]["firewall_rules"] = []
    templates = _network_templates(tmp_path, data)
    assert not [name for name in templates if "-spokes-" in name]
    assert sorted(_exports(templates[NETWORK_STACK])) == sorted(
        export_name("eu-central-1", key) for key in contract_keys(3)
    )


# --------------------------------------------------------------------------- 100 spokes, routing


@pytest.fixture(scope="module")
def hundred(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return synth_landing_zone(tmp_path_factory.mktemp("hundred"), load_config(HUNDRED))


@pytest.fixture(scope="module")
def sample(hundred: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, Any]]:
    """The routing of the home region with a production and a non-production spoke of every spoke stack
    built by their app teams (WorkloadVpc)."""
    cfg = load_config(HUNDRED)
    picked: dict[tuple[str, str], Any] = {}
    for vpc in cfg.network.vpcs:
        if vpc.region == "eu-central-1" and vpc.transit_gateway_attachment_id:
            picked.setdefault((spoke_part(vpc.name), vpc.segment), vpc)
    assert len(picked) == 2 * SPOKE_STACKS
    subset = cfg.model_copy(
        update={"network": cfg.network.model_copy(update={"vpcs": tuple(picked.values())})}
    )
    workloads = synth_workload_vpcs(tmp_path_factory.mktemp("sample-vpcs"), subset)
    network = {n: t for n, t in hundred.templates.items() if n.startswith(NETWORK_STACK)}
    assert len(network) == 1 + SPOKE_STACKS
    topology = topology_of(
        {**network, **workloads.templates},
        workloads.stacks_by_attachment,
        list(cfg.network.on_premises_cidrs),
    )
    return topology, {f"{part}/{segment}": vpc for (part, segment), vpc in picked.items()}


def _only_through_firewall(traces: list[Any], outcome: str) -> None:
    assert traces
    assert all(t.delivered and t.inspected for t in traces), "\n".join(map(str, traces))
    assert {t.outcome.split(":")[0] for t in traces} == {outcome}


def test_spokes_in_different_spoke_stacks_reach_each_other_only_through_the_firewall(sample: Any) -> None:
    topology, vpcs = sample
    for name, vpc in vpcs.items():
        for other_name, other in vpcs.items():
            if other_name == name:
                continue
            source = topology.workload_subnets(topology.vpc_with_cidr(vpc.cidr))
            target = topology.host_in(topology.vpc_with_cidr(other.cidr))
            traces = [t for s in source for t in topology.trace_from_subnet(s, target)]
            _only_through_firewall(traces, "vpc")


def test_every_sampled_spoke_reaches_the_internet_and_on_premises_only_through_the_firewall(
    sample: Any,
) -> None:
    topology, vpcs = sample
    [vpn] = topology.vpn_connections()
    for vpc in vpcs.values():
        ref = topology.vpc_with_cidr(vpc.cidr)
        source = topology.workload_subnets(ref)
        _only_through_firewall(
            [t for s in source for t in topology.trace_from_subnet(s, INTERNET)], "internet"
        )
        _only_through_firewall(
            [t for s in source for t in topology.trace_from_subnet(s, "10.1.2.3")], "on-premises"
        )
        if vpc.segment == "production":  # the example's firewall rule: on-premises -> production 443
            _only_through_firewall(topology.trace_from_vpn(vpn, topology.host_in(ref)), "vpc")


def test_the_hundred_spoke_landing_zone_has_no_open_bio2_error_in_its_network_stacks(hundred: Any) -> None:
    assert not [v for v in hundred.open_errors() if v["stack"].startswith("lz-network-")]


def test_the_plain_python_stack_name_is_the_one_the_stacks_get() -> None:
    from landing_zone.network.plan import network_stack_name
    from landing_zone.stacks import stack_name

    assert network_stack_name("eu-west-1") == stack_name("network", "eu-west-1") == "lz-network-eu-west-1"
    assert network_stack_name("eu-west-1", "spokes-3") == stack_name("network", "eu-west-1", "spokes-3")
