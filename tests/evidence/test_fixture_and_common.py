"""The fixture manifest covers what the exporters must handle; shared constants match the manifest's."""

from __future__ import annotations

from typing import Any

import pytest

from bio2_aspects.evidence import common
from bio2_aspects.evidence.i18n import LABELS
from bio2_aspects.evidence.manifest import EVIDENCE_KINDS, STATUSES
from bio2_aspects.scope import THEMES


def test_constants_match_the_manifest_module() -> None:
    assert common.STATUSES == STATUSES
    assert common.THEMES == THEMES
    assert set(common.RESOURCE_KINDS) <= set(EVIDENCE_KINDS)
    assert set(common.STATUS_RANK) == set(STATUSES) - {"excluded"}


def test_fixture_is_valid_and_complete(manifest: dict[str, Any], check_manifest: Any) -> None:
    check_manifest(manifest)
    assert len(manifest["measures"]) == 117
    assert len(manifest["controls"]) == 93
    statuses = {m["status"] for m in manifest["measures"]}
    assert statuses == set(STATUSES), "every status appears"
    kinds = {k for m in manifest["measures"] for k in m["evidence_kinds"]}
    assert kinds == {"verified", "preventive", "detective", "attested"}
    assert any(m["accepted_risks"] for m in manifest["measures"])
    assert any(m["open_violations"] for m in manifest["measures"])
    assert any(v["acknowledged"] for v in manifest["violations"])
    assert any(not v["acknowledged"] for v in manifest["violations"])
    assert any(m["owner"] for m in manifest["measures"])
    assert any(m["exclusion"] for m in manifest["measures"])
    assert any(not c["applicable"] for c in manifest["controls"])
    assert manifest["unbacked_declarations"]


def test_fixture_scales(make_manifest: Any, check_manifest: Any) -> None:
    big = make_manifest(scale=50)
    check_manifest(big)
    assert len(big["resources"]) > 1900


def test_labels_have_the_same_keys_in_both_languages() -> None:
    assert set(LABELS["en"]) == set(LABELS["nl"])
    terms = {"logical_id"}  # CloudFormation's own term, the same in Dutch
    same = [
        k
        for k in LABELS["en"]
        if LABELS["en"][k] == LABELS["nl"][k] and " " in LABELS["en"][k] and k not in terms
    ]
    assert not same, f"untranslated labels: {same}"


@pytest.mark.parametrize(
    ("rtype", "stack", "path", "expected"),
    [
        ("AWS::Organizations::Policy", "lz-management", None, "organization"),
        ("AWS::SSO::PermissionSet", "lz-management", None, "identity"),
        ("AWS::IAM::Role", "lz-security", None, "identity"),
        ("AWS::CloudTrail::Trail", "lz-management", None, "logging"),
        ("AWS::Config::ConfigRule", "lz-log-archive", None, "logging"),
        ("AWS::S3::Bucket", "lz-log-archive-eu-central-1", "x/Bucket", "logging"),
        ("AWS::S3::Bucket", "app", "App/TrailBucket", "logging"),
        ("AWS::S3::Bucket", "app", "App/Data", "other"),
        ("AWS::GuardDuty::Detector", "lz-security", None, "security"),
        ("AWS::SecurityHub::Hub", "lz-security", None, "security"),
        ("AWS::EC2::VPC", "lz-network", None, "network"),
        ("AWS::EC2::TransitGateway", "lz-network", None, "network"),
        ("AWS::NetworkFirewall::Firewall", "lz-network", None, "network"),
        ("AWS::Backup::BackupVault", "lz-network", None, "backup"),
        ("AWS::KMS::Key", "lz-log-archive", None, "keys"),
        ("AWS::CloudFormation::StackSet", "lz-management", None, "baseline"),
        ("AWS::Lambda::Function", "lz-network", None, "other"),
        ("", "x", None, "other"),
    ],
)
def test_component_of(rtype: str, stack: str, path: str | None, expected: str) -> None:
    assert common.component_of(rtype, stack, path, "Lid") == expected


def test_resolve_lang(model: Any, model_nl: Any) -> None:
    assert common.resolve_lang(model, None) == "en"
    assert common.resolve_lang(model_nl, None) == "nl"
    assert common.resolve_lang(model, "nl") == "nl"
    with pytest.raises(ValueError, match="unknown language"):
        common.resolve_lang(model, "de")


def test_digest_is_the_hash_of_manifest_json(manifest: dict[str, Any]) -> None:
    import hashlib

    from bio2_aspects.evidence.manifest import dumps

    assert common.manifest_digest(manifest) == hashlib.sha256(dumps(manifest).encode("utf-8")).hexdigest()


def test_the_models_are_the_contract(manifest: dict[str, Any]) -> None:
    import copy

    import pydantic

    from bio2_aspects.evidence import models
    from bio2_aspects.evidence.schema import manifest_schema

    typed = models.validate(manifest)
    assert typed.model_dump(mode="json", exclude_none=False)["totals"] == manifest["totals"]
    bad = copy.deepcopy(manifest)
    bad["measures"][0]["status"] = "organisational"  # the status that gave owners a free pass
    with pytest.raises(pydantic.ValidationError):
        models.validate(bad)
    bad = copy.deepcopy(manifest)
    bad["audit"]["config"]["sha256"] = "not-a-hash"
    with pytest.raises(pydantic.ValidationError):
        models.validate(bad)
    # the schema is generated from the models: the status vocabulary is the status module's
    enum = manifest_schema()["$defs"]["Measure"]["properties"]["status"]["enum"]
    assert tuple(enum) == STATUSES
