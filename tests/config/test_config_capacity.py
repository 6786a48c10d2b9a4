"""Capacity prediction: a province of our own synthesizes, and the predicted limit is refused by validate."""

from __future__ import annotations

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
    log_archive_key_policy_bytes,
    network_stack_resources,
)
from landing_zone.config.sections.regions import KNOWN_REGIONS
from tests.config.province import dump, example, province

SCALE = Path(__file__).parent / "scale"
PROVINCE = SCALE / "province-40-accounts-3-regions-20-vpcs.yaml"
AT_LIMIT = SCALE / "province-at-network-capacity-limit.yaml"


def test_the_committed_province_files_are_what_the_generator_writes() -> None:
    assert PROVINCE.read_text(encoding="utf-8").split("\n", 1)[1] == dump(province(40, 3, 20))
    at_limit = AT_LIMIT.read_text(encoding="utf-8").split("\n", 2)[2]
    assert at_limit == dump(province(40, 3, spokes_per_region=38))


def test_the_province_has_40_accounts_3_regions_20_vpcs_and_validates() -> None:
    cfg = load_config(PROVINCE)
    assert len(cfg.organization.accounts) == 40
    assert len(cfg.regions.allowed) == 3
    assert len(cfg.network.vpcs) == 20


def test_the_network_capacity_limit_is_refused_by_validate(capsys: pytest.CaptureFixture[str]) -> None:
    assert config_main(["validate", str(AT_LIMIT)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "error: network.vpcs[name=spoke-037]: the network stack of eu-central-1" in err
    assert f"CloudFormation allows {MAX_RESOURCES} per stack" in err
    assert "put at most 37 attached spoke VPCs in eu-central-1" in err
    # one spoke fewer per region fits
    load_config_text(dump(province(40, 3, spokes_per_region=37)))


def test_one_error_for_the_limit_not_one_per_spoke() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config_text(dump(province(40, 3, spokes_per_region=60)))
    assert [p.path for p in caught.value.problems] == [
        "network.vpcs[name=spoke-037]",
        "network.vpcs[name=spoke-102]",  # no VPN in eu-west-1: 42 fit
        "network.vpcs[name=spoke-162]",
    ]


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
    outdir = tmp_path / "cdk.out"
    monkeypatch.setenv("LZ_CONFIG", str(PROVINCE))
    monkeypatch.setenv("CDK_OUTDIR", str(outdir))
    monkeypatch.delenv("CDK_CONTEXT_JSON", raising=False)
    assert entry.main() == 0
    assert (outdir / "bio2" / "manifest.json").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name != "cdk.out"]
    # the templates are in the LandingZone Stage's assembly; the manifest names each stack's file
    manifest = json.loads((outdir / "bio2" / "manifest.json").read_text(encoding="utf-8"))
    files = {t["stack"]: outdir / t["file"] for t in manifest["templates"]}
    assert all(f.parent.name.startswith("assembly-LandingZone") for f in files.values())
    predicted = network_stack_resources(load_config(PROVINCE))
    for region, count in predicted.items():
        template = json.loads(files[f"lz-network-{region}"].read_text(encoding="utf-8"))
        actual = len(template["Resources"])
        assert actual <= count <= actual + 25, (region, actual, count)
    cfg = load_config(PROVINCE)
    template = json.loads(files[f"lz-log-archive-{cfg.regions.home}"].read_text())
    policies = [
        len(json.dumps(r["Properties"]["KeyPolicy"], separators=(",", ":")))
        for r in template["Resources"].values()
        if r["Type"] == "AWS::KMS::Key"
    ]
    assert max(policies) <= log_archive_key_policy_bytes(cfg)
    assert len(list(outdir.rglob("*.template.json"))) == len(files)
    for path in outdir.rglob("*.template.json"):
        assert os.path.getsize(path) < 1_000_000
        assert len(json.loads(path.read_text(encoding="utf-8"))["Resources"]) < MAX_RESOURCES


def test_the_key_policy_stays_far_below_its_limit_with_every_region() -> None:
    province_cfg = load_config(PROVINCE)
    every_region = province_cfg.regions.model_copy(update={"allowed": tuple(KNOWN_REGIONS)})
    cfg = province_cfg.model_copy(update={"regions": every_region})
    assert log_archive_key_policy_bytes(cfg) < MAX_KEY_POLICY_BYTES / 4
