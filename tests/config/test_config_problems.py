"""How problems are collected, located and rendered."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from landing_zone.config import ConfigError, Problem, load_config, load_config_text
from landing_zone.config.errors import path_of
from landing_zone.config.sections import network, regions

SEVERAL_MISTAKES = """\
version: 1
organization:
  name: Gemeente Voorbeeldstad
  ous: [{name: Security}, {name: Infrastructure}, {name: Workloads}]
  accounts:
    - {name: management, id: "111111111111", email: a@vbs.example, ou: Root, role: management}
    - {name: log-archive, id: "222222222222", email: b@vbs.example, ou: Security, role: log-archive}
    - {name: security, id: "333333333333", email: B@vbs.example, ou: Security, role: security}
    - {name: network, id: "444444444444", email: d@vbs.example, ou: Infrastructure, role: network}
    - {name: app, id: "555555555555", email: e@vbs.example, ou: Workload}
regions:
  allowed: [eu-central-1, eu-west-1, eu-west-2]
identity:
  max_session_hours: 24
logging:
  cloudwatch_delivery: false
  siem: {type: firehose, endpoint_url: "https://siem.vbs.example"}
network:
  vpcs:
    - {name: hub, account: network, region: eu-central-1, cidr: 10.0.0.0/16, segment: inspection}
    - {name: app, account: app, region: eu-central-1, cidr: 10.0.128.0/20, segment: production}
backup:
  tiers:
    high: {rpo_hours: 0, rto_hours: 1, retention_days: 30, cross_region_copy: true}
classification:
  default: {confidentiality: medium, integrity: medium, availability: critical}
bio2:
  exclusions:
    - {id: "5.38", justification: "This control does not exist, but the reason is long enough."}
"""


def test_one_file_reports_every_mistake() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config_text(SEVERAL_MISTAKES, "landing-zone.yaml")
    paths = [problem.path for problem in caught.value.problems]
    assert paths == [
        # first pass: the models, in file order of the sections
        "identity.max_session_hours",
        "backup.tiers.high.rpo_hours",
        "classification.default.availability",
        # second pass: the checks of every section that passed the first one
        "organization.accounts[name=security].email",
        "organization.accounts[name=app].ou",
        "regions.allowed[2]",
        "logging.cloudwatch_delivery",
        "network.vpcs[name=app].cidr",
        "bio2.exclusions[0].id",
    ]
    text = str(caught.value)
    assert text.startswith("landing-zone.yaml: 9 problems\n")
    assert "did you mean 'Workloads'?" in text
    assert "network.vpcs[name=app].cidr: 10.0.128.0/20 overlaps network.vpcs[name=hub] (10.0.0.0/16)" in text


def test_checks_that_read_a_broken_section_are_skipped(minimal_yaml: str) -> None:
    broken_org = minimal_yaml.replace('id: "444444444444"', 'id: "4444"') + (
        "network:\n  vpcs:\n"
        "    - {name: a, account: nobody, region: eu-central-1, cidr: 10.0.0.0/16, segment: shared}\n"
        "regions:\n  allowed: [eu-central-1, eu-west-1, us-east-1]\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_config_text(broken_org)
    # the network check reads organization, which is broken: no "unknown account" noise;
    # the regions check reads only regions, so it still runs.
    assert [problem.path for problem in caught.value.problems] == [
        "organization.accounts[name=network].id",
        "regions.allowed[2]",
    ]


def test_format_has_header_and_fix_lines() -> None:
    error = ConfigError(
        [Problem("a.b[0]", "is wrong", "make it right"), Problem("c", "is odd", "even it out")],
        "landing-zone.yaml",
    )
    assert error.format() == (
        "landing-zone.yaml: 2 problems\n"
        "error: a.b[0]: is wrong\n"
        "  fix: make it right\n"
        "error: c: is odd\n"
        "  fix: even it out"
    )
    assert str(error) == error.format()
    assert str(ConfigError([Problem("x", "y", "z")], "f.yaml")).startswith("f.yaml: 1 problem\n")
    copy = pickle.loads(pickle.dumps(error))
    assert copy.problems == error.problems and copy.source == error.source


def test_path_of() -> None:
    assert path_of("organization", "accounts", 2, "id") == "organization.accounts[2].id"
    assert path_of("classification", "ous", "Workloads/Prod") == 'classification.ous["Workloads/Prod"]'
    assert path_of("classification", "accounts", "app-prod") == "classification.accounts.app-prod"


def test_file_not_found(tmp_path: Path) -> None:
    missing = tmp_path / "landing-zone.yaml"
    with pytest.raises(ConfigError) as caught:
        load_config(missing)
    [problem] = caught.value.problems
    assert problem.path == str(missing)
    assert problem.message == "file not found"
    assert "example" in problem.fix


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "landing-zone.yaml"
    path.write_bytes(b"version: 1\nname: Gemeente \xe9\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(path)


def test_yaml_error_position_is_one_based() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config_text("version: 1\norganization:\n  name: [unclosed\n", "landing-zone.yaml")
    [problem] = caught.value.problems
    assert problem.path.startswith("landing-zone.yaml:4:1")


def test_unsafe_yaml_tags_are_rejected() -> None:
    with pytest.raises(ConfigError, match="could not determine a constructor"):
        load_config_text("version: !!python/object/apply:os.getcwd []\n")


@pytest.mark.parametrize(
    ("region", "suggestion"),
    [("eu-cental-1", "eu-central-1"), ("eu-west1", "eu-west-1"), ("EU-NORTH-1", "eu-north-1")],
)
def test_region_typos_get_suggestions(region: str, suggestion: str, minimal_yaml: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config_text(minimal_yaml + f"regions:\n  allowed: [eu-central-1, {region}]\n")
    [problem] = caught.value.problems
    assert problem.path == "regions.allowed[1]"
    assert f"did you mean '{suggestion}'?" in problem.fix


def test_london_and_zurich_are_not_eu_but_allowed_with_override(minimal_yaml: str) -> None:
    assert {"eu-west-2", "eu-central-2"}.isdisjoint(regions.EU_REGIONS)
    text = minimal_yaml + "regions:\n  allowed: [eu-central-1, eu-west-2, eu-central-2]\n"
    with pytest.raises(ConfigError) as caught:
        load_config_text(text)
    assert [problem.path for problem in caught.value.problems] == ["regions.allowed[1]", "regions.allowed[2]"]
    cfg = load_config_text(text + "  allow_non_eu: true\n")
    assert cfg.regions.allowed == ("eu-central-1", "eu-west-2", "eu-central-2")


def test_eu_regions_are_known_regions() -> None:
    assert set(regions.KNOWN_REGIONS) >= regions.EU_REGIONS
    assert "eu-south-2" in regions.EU_REGIONS


def test_vpc_prefix_bounds(minimal_yaml: str) -> None:
    assert (network.VPC_MIN_PREFIX, network.VPC_MAX_PREFIX) == (16, 28)
    vpc = "    - {name: a, account: network, region: eu-central-1, segment: shared, "
    inspection = (
        "    - {name: hub, account: network, region: eu-central-1, segment: inspection, cidr: 10.9.0.0/22}\n"
    )
    base = f"{minimal_yaml}network:\n  vpcs:\n{inspection}{vpc}"
    # the smallest VPC that still holds its subnets: two availability zones of /28 each
    small = base + "cidr: 10.0.0.0/26, availability_zones: 2}\n"
    assert load_config_text(small).network.vpcs[1].cidr == "10.0.0.0/26"
    with pytest.raises(ConfigError, match="outside the VPC sizes"):
        load_config_text(base + "cidr: 10.0.0.0/29}\n")


def test_single_region_with_cross_region_copy_is_reported(minimal_yaml: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config_text(minimal_yaml + "regions:\n  allowed: [eu-central-1]\n")
    [problem] = caught.value.problems
    assert problem.path == "backup.tiers.high.cross_region_copy"
    assert "second region" in problem.fix


def test_sandbox_vpc_may_not_be_production(minimal_yaml: str) -> None:
    text = minimal_yaml + (
        '    - {name: lab, id: "555555555555", email: e@klein.example, ou: Security, role: sandbox, '
        "environment: sandbox}\n"
        "network:\n  vpcs:\n"
        "    - {name: lab, account: lab, region: eu-central-1, cidr: 10.0.0.0/16, segment: production}\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_config_text(text)
    [problem] = caught.value.problems
    assert problem.path == "network.vpcs[name=lab].segment"
    assert "environment 'sandbox'" in problem.message
