"""Capacity prediction: a province of our own synthesizes, and the predicted limit is refused by validate."""

from __future__ import annotations

import ipaddress
import json
import os
from pathlib import Path

import pytest

from landing_zone import entry
from landing_zone.config import ConfigError, load_config, load_config_text
from landing_zone.config.__main__ import main as config_main
from landing_zone.config.capacity import (
    MAX_KEY_POLICY_BYTES,
    MAX_RESOURCES,
    inspection_routes,
    log_archive_key_policy_bytes,
    network_stack_resources,
)
from landing_zone.config.sections.regions import KNOWN_REGIONS
from landing_zone.network.plan import SPOKE_STACKS, region_plans, spoke_part
from tests.config.province import dump, example, province

SCALE = Path(__file__).parent / "scale"
PROVINCE = SCALE / "province-40-accounts-3-regions-20-vpcs.yaml"
AT_LIMIT = SCALE / "province-at-network-capacity-limit.yaml"
HUNDRED = SCALE / "province-100-spokes-in-one-region.yaml"
#: attached spokes in the home region at which a spoke stack passes 500 resources (validate refuses)
LIMIT = 219


def test_the_committed_province_files_are_what_the_generator_writes() -> None:
    assert PROVINCE.read_text(encoding="utf-8").split("\n", 1)[1] == dump(province(40, 3, 20))
    at_limit = AT_LIMIT.read_text(encoding="utf-8").split("\n", 2)[2]
    assert at_limit == dump(province(40, 3, spokes_per_region=(LIMIT, 0, 0)))
    hundred = HUNDRED.read_text(encoding="utf-8").split("\n", 1)[1]
    assert hundred == dump(province(40, 3, spokes_per_region=(100, 4, 4)))


def test_the_province_has_40_accounts_3_regions_20_vpcs_and_validates() -> None:
    cfg = load_config(PROVINCE)
    assert len(cfg.organization.accounts) == 40
    assert len(cfg.regions.allowed) == 3
    assert len(cfg.network.vpcs) == 20


def test_the_network_capacity_limit_is_refused_by_validate(capsys: pytest.CaptureFixture[str]) -> None:
    assert config_main(["validate", str(AT_LIMIT)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert (
        "error: network.vpcs[name=spoke-218]: the spoke stack lz-network-eu-central-1-spokes-2 would have "
        "about 504 resources for 63 spoke VPCs" in err
    )
    assert f"CloudFormation allows {MAX_RESOURCES} per stack" in err
    assert "give the VPCs that do not fit another region from regions.allowed" in err
    # one spoke fewer fits, and the fix works: the spoke that did not fit in another region
    load_config_text(dump(province(40, 3, spokes_per_region=(LIMIT - 1, 0, 0))))
    data = province(40, 3, spokes_per_region=(LIMIT, 0, 0))
    [moved] = [v for v in data["network"]["vpcs"] if v["name"] == "spoke-218"]
    moved["region"] = "eu-west-1"
    load_config_text(dump(data))


def test_one_region_holds_over_200_spokes_where_one_stack_held_37() -> None:
    """The split raised the refusal from 38 attached spokes per region to the spoke stacks' limit."""
    assert LIMIT > 200
    cfg = load_config_text(dump(province(40, 3, spokes_per_region=(LIMIT - 1, 0, 0))))
    counts = network_stack_resources(cfg)
    assert max(counts.values()) <= MAX_RESOURCES
    assert sorted(counts) == [
        "lz-network-eu-central-1",
        *(f"lz-network-eu-central-1-spokes-{n}" for n in range(1, SPOKE_STACKS + 1)),
        "lz-network-eu-west-1",
        "lz-network-eu-west-3",
    ]


def test_one_error_per_full_stack_not_one_per_spoke() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config_text(dump(province(40, 3, spokes_per_region=260)))
    paths = [p.path for p in caught.value.problems]
    assert len(paths) == len(set(paths)) <= 3 * SPOKE_STACKS
    assert all("spoke stack lz-network-" in p.message for p in caught.value.problems)


def test_past_the_default_route_quota_validate_names_the_quota_to_raise(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert config_main(["validate", str(HUNDRED)]) == 0
    err = capsys.readouterr().err
    assert "notice: network.vpcs: the inspection VPC's route tables in eu-central-1 hold 103 routes" in err
    assert (
        "raise the quota 'Routes per route table' (Service Quotas, Amazon VPC, L-93826ACB) to at least 103"
        in err
    )
    assert "eu-west-1 hold" not in err  # 4 spokes there: within the default quota


def test_on_premises_ranges_that_overflow_the_hub_are_refused_once_per_region() -> None:
    data = province(40, 3, spokes_per_region=(10, 0, 0))
    ranges = ipaddress.IPv4Network("172.16.0.0/12").subnets(new_prefix=22)
    data["network"]["on_premises_cidrs"] = [str(n) for n in ranges]
    with pytest.raises(ConfigError) as caught:
        load_config_text(dump(data))
    problems = caught.value.problems
    assert [p.path for p in problems] == ["network.on_premises_cidrs"] * 3  # one per hub, no knock-on
    assert "the network hub stack lz-network-eu-central-1 would have about" in problems[0].message
    assert "1024 on-premises range(s)" in problems[0].message
    assert problems[0].fix.startswith("summarise network.on_premises_cidrs into fewer, larger ranges")
    data["network"]["on_premises_cidrs"] = ["172.16.0.0/12"]  # the fix
    load_config_text(dump(data))


def test_the_inspection_route_count_is_what_the_templates_hold() -> None:
    cfg = load_config(HUNDRED)
    home = next(p for p in region_plans(cfg) if p.region == "eu-central-1")
    # default route + 100 spokes + the endpoints VPC + 1 on-premises range
    assert inspection_routes(home) == 1 + 100 + 1 + 1


def _saml_metadata(padding: int) -> str:
    certificate = "MIIC" + "A" * 1200
    extra = "".join(
        f'<md:KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{"B" * 900}'
        "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
        for _ in range(padding)
    )
    return (
        '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
        'xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.voorbeeldstad.example">'
        '<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
        '<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>'
        f"{certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>{extra}"
        '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" '
        'Location="https://idp.voorbeeldstad.example/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>'
    )


def _with_saml(metadata: str) -> str:
    data = example()
    data["identity"]["saml_federation"] = {
        "provider_name": "entra-id",
        "accounts": ["app-prod"],
        "metadata_xml": metadata,
        "roles": [{"name": "app-operator", "managed_policies": ["ReadOnlyAccess"]}],
    }
    return dump(data)


def test_saml_metadata_within_its_own_limit_that_overflows_the_stackset_body_is_refused() -> None:
    metadata = _saml_metadata(padding=17)
    assert len(metadata) < 20_000  # within the documented per-field limit
    with pytest.raises(ConfigError) as caught:
        load_config_text(_with_saml(metadata))
    (problem,) = caught.value.problems
    assert problem.path == "identity.saml_federation.metadata_xml"
    assert "51,200 bytes inline" in problem.message
    assert "drop Organization, ContactPerson" in problem.fix
    load_config_text(_with_saml(_saml_metadata(padding=2)))  # the shortened metadata fits


@pytest.mark.synth
def test_the_province_synthesizes_within_the_predicted_sizes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = synth_config(PROVINCE, tmp_path, monkeypatch)
    outdir = tmp_path / "cdk.out"
    assert not [p for p in tmp_path.iterdir() if p.name != "cdk.out"]
    # the templates are in the LandingZone Stage's assembly; the manifest names each stack's file
    assert all(f.parent.name.startswith("assembly-LandingZone") for f in files.values())
    assert_within_predictions(files, load_config(PROVINCE))
    cfg = load_config(PROVINCE)
    template = json.loads(files[f"lz-log-archive-{cfg.regions.home}"].read_text())
    policies = [
        len(json.dumps(r["Properties"]["KeyPolicy"], separators=(",", ":")))
        for r in template["Resources"].values()
        if r["Type"] == "AWS::KMS::Key"
    ]
    assert max(policies) <= log_archive_key_policy_bytes(cfg)
    assert len(list(outdir.rglob("*.template.json"))) == len(files)


def synth_config(config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Synthesize ``config`` the way ``app.py`` does; the template file of every stack by name."""
    outdir = tmp_path / "cdk.out"
    monkeypatch.setenv("LZ_CONFIG", str(config))
    monkeypatch.setenv("CDK_OUTDIR", str(outdir))
    monkeypatch.delenv("CDK_CONTEXT_JSON", raising=False)
    assert entry.main() == 0
    manifest = json.loads((outdir / "bio2" / "manifest.json").read_text(encoding="utf-8"))
    return {t["stack"]: outdir / t["file"] for t in manifest["templates"]}


def assert_within_predictions(files: dict[str, Path], cfg: object) -> None:
    """Every network stack as predicted (the hub a little over: its estimate is rounded up), and every
    template under CloudFormation's limits."""
    for name, count in network_stack_resources(cfg).items():  # type: ignore[arg-type]
        actual = len(json.loads(files[name].read_text(encoding="utf-8"))["Resources"])
        assert actual <= count <= actual + 25, (name, actual, count)
    for path in files.values():
        assert os.path.getsize(path) < 1_000_000
        assert len(json.loads(path.read_text(encoding="utf-8"))["Resources"]) < MAX_RESOURCES
    network = {n for n in files if n.startswith("lz-network-")}
    assert network == set(network_stack_resources(cfg))  # type: ignore[arg-type]


@pytest.mark.synth
def test_a_hundred_spokes_in_one_region_synthesize(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = synth_config(HUNDRED, tmp_path, monkeypatch)
    cfg = load_config(HUNDRED)
    assert (
        sum(1 for v in cfg.network.vpcs if v.region == "eu-central-1" and v.transit_gateway_attachment_id)
        == 100
    )
    assert_within_predictions(files, cfg)
    spokes = [n for n in files if n.startswith("lz-network-eu-central-1-spokes-")]
    assert len(spokes) == SPOKE_STACKS
    # every attached spoke is associated exactly once, in the stack its name picks
    associated: dict[str, str] = {}
    for name in spokes:
        template = json.loads(files[name].read_text(encoding="utf-8"))
        for resource in template["Resources"].values():
            if resource["Type"] == "AWS::EC2::TransitGatewayRouteTableAssociation":
                attachment = resource["Properties"]["TransitGatewayAttachmentId"]
                assert attachment not in associated
                associated[attachment] = name
    for vpc in cfg.network.vpcs:
        if vpc.region == "eu-central-1" and vpc.transit_gateway_attachment_id:
            assert (
                associated[vpc.transit_gateway_attachment_id]
                == f"lz-network-eu-central-1-{spoke_part(vpc.name)}"
            )


def test_the_key_policy_stays_far_below_its_limit_with_every_region() -> None:
    province_cfg = load_config(PROVINCE)
    every_region = province_cfg.regions.model_copy(update={"allowed": tuple(KNOWN_REGIONS)})
    cfg = province_cfg.model_copy(update={"regions": every_region})
    assert log_archive_key_policy_bytes(cfg) < MAX_KEY_POLICY_BYTES / 4
