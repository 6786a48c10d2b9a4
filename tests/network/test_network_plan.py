"""The IP address plan, the regional plan and the firewall rules: plain Python, no CDK."""

from __future__ import annotations

import ipaddress

import pytest

from landing_zone.config import ConfigError, load_config, load_config_text
from landing_zone.network import ipplan
from landing_zone.network.plan import east_west_rules, region_plans


def test_carve_lays_out_largest_first_without_overlap() -> None:
    groups = ipplan.workload_groups("10.17.0.0/20", 3, None)
    assert groups == [("private", 22), ("transit", 28)]
    plan = ipplan.carve("10.17.0.0/20", groups, 3)
    assert [(p.group, p.az_index, p.cidr) for p in plan] == [
        ("private", 0, "10.17.0.0/22"),
        ("private", 1, "10.17.4.0/22"),
        ("private", 2, "10.17.8.0/22"),
        ("transit", 0, "10.17.12.0/28"),
        ("transit", 1, "10.17.12.16/28"),
        ("transit", 2, "10.17.12.32/28"),
    ]
    networks = [ipaddress.IPv4Network(p.cidr) for p in plan]
    vpc = ipaddress.IPv4Network("10.17.0.0/20")
    assert all(n.subnet_of(vpc) for n in networks)
    assert not any(a.overlaps(b) for i, a in enumerate(networks) for b in networks[i + 1 :])


@pytest.mark.parametrize(
    ("cidr", "azs", "expected"),
    [("10.0.0.0/16", 3, 18), ("10.0.0.0/20", 2, 21 + 1), ("10.0.0.0/24", 3, 26), ("10.0.0.0/26", 2, 28)],
)
def test_auto_subnet_prefix_is_the_largest_that_fits(cidr: str, azs: int, expected: int) -> None:
    prefix = ipplan.auto_subnet_prefix(cidr, azs, [("transit", 28)])
    assert prefix == expected
    ipplan.carve(cidr, [("private", prefix), ("transit", 28)], azs)  # fits
    with pytest.raises(ipplan.PlanError):  # one size larger does not
        ipplan.carve(cidr, [("private", prefix - 1), ("transit", 28)], azs)


def test_carve_explains_why_it_does_not_fit() -> None:
    with pytest.raises(ipplan.PlanError, match=r"3 x /22 \(private\) \+ 3 x /28 \(transit\) need 3,120"):
        ipplan.carve("10.17.0.0/21", [("private", 22), ("transit", 28)], 3)
    with pytest.raises(ipplan.PlanError, match="too small"):
        ipplan.workload_groups("10.17.0.0/27", 3, None)
    with pytest.raises(ipplan.PlanError, match="larger than the VPC"):
        ipplan.carve("10.17.0.0/24", [("private", 20)], 2)


def test_inspection_vpc_needs_a_slash_24_for_three_zones() -> None:
    ipplan.carve("10.16.0.0/24", ipplan.INSPECTION_GROUPS, 3)
    with pytest.raises(ipplan.PlanError):
        ipplan.carve("10.16.0.0/25", ipplan.INSPECTION_GROUPS, 3)


def test_default_plan_for_the_home_region() -> None:
    cfg = load_config(None)
    home, other = region_plans(cfg)
    assert (home.region, other.region) == ("eu-central-1", "eu-west-1")
    assert (home.asn, other.asn) == (64512, 64513)
    assert home.inspection is not None and home.inspection.name == "inspection"
    assert [v.name for v in home.local_vpcs] == ["endpoints"]
    assert [v.name for v in home.remote_vpcs] == ["app-prod", "app-nonprod"]
    assert home.endpoint_vpc is not None and home.endpoint_vpc.name == "endpoints"
    assert home.spoke_cidrs == ["10.16.4.0/22", "10.17.0.0/20", "10.18.0.0/20"]
    assert home.internal_cidrs == ["10.0.0.0/12", "10.16.4.0/22", "10.17.0.0/20", "10.18.0.0/20"]
    assert other.inspection is None and not other.spokes


def test_east_west_rules_follow_the_config() -> None:
    cfg = load_config(None)
    rules = east_west_rules(region_plans(cfg)[0])
    assert rules == [
        'pass tcp [10.17.0.0/20,10.18.0.0/20] any -> 10.16.4.0/22 443 (msg:"workloads to the central AWS '
        'service endpoints"; sid:1000001; rev:1;)',
        'pass tcp 10.0.0.0/12 any -> 10.17.0.0/20 443 (msg:"town hall users reach the production web '
        'applications"; sid:1000002; rev:1;)',
    ]
    # Nothing passes between production and non-production: no rule names both.
    assert not any("10.17.0.0/20" in r and "10.18.0.0/20" in r.split("->")[1] for r in rules)


def test_firewall_rule_text_cannot_break_out_of_its_message(minimal_yaml: str) -> None:
    text = minimal_yaml + (
        "network:\n"
        "  on_premises_cidrs: [10.0.0.0/12]\n"
        "  firewall_rules:\n"
        "    - {description: 'evil\"; sid:1; pass ip any any -> any any (msg:\"x', source: on-premises,\n"
        "       destination: 10.20.0.0/16, protocol: udp, ports: [53]}\n"
    )
    [rule] = east_west_rules(region_plans(load_config_text(text))[0])
    assert rule.count('"') == 2 and rule.count(";") == 3
    assert rule.startswith("pass udp 10.0.0.0/12 any -> 10.20.0.0/16 53 ")


def test_minimal_config_is_still_valid(minimal_yaml: str) -> None:
    cfg = load_config_text(minimal_yaml)
    assert cfg.network.endpoints.mode == "per-vpc"
    assert all(plan.inspection is None for plan in region_plans(cfg))


def test_ip_plan_problems_name_the_field(minimal_yaml: str) -> None:
    text = minimal_yaml + (
        "network:\n"
        "  on_premises_cidrs: [10.0.0.0/12]\n"
        "  vpcs:\n"
        "    - {name: inspection, account: network, region: eu-central-1, cidr: 10.16.0.0/25,\n"
        "       segment: inspection}\n"
        "    - {name: shared, account: network, region: eu-central-1, cidr: 10.8.0.0/20, segment: shared}\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_config_text(text)
    problems = {p.path: p for p in caught.value.problems}
    assert set(problems) == {"network.vpcs[name=inspection].cidr", "network.vpcs[name=shared].cidr"}
    assert "do not fit" in problems["network.vpcs[name=inspection].cidr"].message
    assert (
        "overlaps network.on_premises_cidrs[0] (10.0.0.0/12)"
        in problems["network.vpcs[name=shared].cidr"].message
    )
