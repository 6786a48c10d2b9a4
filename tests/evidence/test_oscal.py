"""``oscal-component-definition.json`` passes compliance-trestle's validation."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("trestle", reason="compliance-trestle is a dependency of the OSCAL exporter")

# The validator registry must be imported before a validator module (trestle's import cycle).
from trestle.core.validator_factory import validator_factory
from trestle.oscal.component import ComponentDefinition

from bio2_aspects.evidence.oscal import render_oscal, stable_uuid


def _write(tmp_path: Path, manifest: dict[str, Any], lang: str = "en") -> Path:
    path = tmp_path / "oscal-component-definition.json"
    path.write_bytes(render_oscal(manifest, lang))
    return path


def test_loads_with_trestle_and_passes_every_validator(tmp_path: Path, manifest: dict[str, Any]) -> None:
    model = ComponentDefinition.oscal_read(_write(tmp_path, manifest))
    assert isinstance(model, ComponentDefinition)
    validators = validator_factory.get_all()
    assert {type(v).__name__ for v in validators} >= {"AllValidator", "DuplicatesValidator", "RefsValidator"}
    for validator in validators:
        assert validator.model_is_valid(model, quiet=True, trestle_root=tmp_path), type(validator).__name__


def test_trestle_validate_command(tmp_path: Path, manifest: dict[str, Any]) -> None:
    exe = shutil.which("trestle", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("the trestle command is not installed next to this Python")
    ws = tmp_path / "ws"
    ws.mkdir()
    subprocess.run([exe, "init"], cwd=ws, check=True, capture_output=True, timeout=120)
    target = ws / "component-definitions" / "landing-zone" / "component-definition.json"
    target.parent.mkdir(parents=True)
    target.write_bytes(render_oscal(manifest))
    proc = subprocess.run(
        [exe, "validate", "-f", str(target)], cwd=ws, capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "VALID" in proc.stdout


def test_content(tmp_path: Path, manifest: dict[str, Any]) -> None:
    doc = json.loads(_write(tmp_path, manifest).read_text())["component-definition"]
    meta = doc["metadata"]
    assert meta["last-modified"] == "2026-12-01T09:30:00+00:00"  # audit.generated_at
    assert meta["oscal-version"].startswith("1.")
    (component,) = doc["components"]
    assert component["type"] == "service"
    bio2, soa = component["control-implementations"]
    reqs = {r["control-id"]: r for r in bio2["implemented-requirements"]}
    assert len(reqs) == 117 and len(soa["implemented-requirements"]) == 93
    # Status as a property; evidence per kind as statements.
    req = reqs["bio2-8.15.05"]
    props = {p["name"]: p["value"] for p in req["props"]}
    assert props["status"] == "implemented"
    smts = {s["statement-id"]: s for s in req["statements"]}
    assert set(smts) == {"bio2-8.15.05_smt.detective", "bio2-8.15.05_smt.verified"}
    assert "BIO2-CloudTrail-LogFileValidation" in smts["bio2-8.15.05_smt.verified"]["description"]
    # Gaps are listed, never left out; accepted risks are stated.
    gap = next(m["id"] for m in manifest["measures"] if m["status"] == "gap" and not m["evidence"])
    assert {p["name"]: p["value"] for p in reqs[f"bio2-{gap}"]["props"]}["status"] == "gap"
    risky = next(m["id"] for m in manifest["measures"] if m["accepted_risks"])
    assert any(s["statement-id"].endswith("accepted-risks") for s in reqs[f"bio2-{risky}"]["statements"])
    # Owners are parties with the measure-owner role.
    parties = {p["name"]: p["uuid"] for p in meta["parties"]}
    owned = next(m for m in manifest["measures"] if m["owner"])
    (role,) = reqs[f"bio2-{owned['id']}"]["responsible-roles"]
    assert role["role-id"] == "measure-owner" and role["party-uuids"] == [parties[owned["owner"]["name"]]]
    # Every template is in the back matter with its hash.
    hashes = {
        h["value"]
        for r in doc["back-matter"]["resources"]
        for link in r.get("rlinks", [])
        for h in link["hashes"]
    }
    assert {t["sha256"] for t in manifest["templates"]} <= hashes


def test_uuids_are_stable_and_unique(tmp_path: Path, manifest: dict[str, Any]) -> None:
    text = _write(tmp_path, manifest).read_text()
    uuids = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "uuid" in node:
                uuids.append(node["uuid"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(json.loads(text))
    assert len(uuids) == len(set(uuids)) > 117 + 93
    assert stable_uuid("a", "b") == stable_uuid("a", "b") != stable_uuid("a", "c")
    # Requirement UUIDs survive a change elsewhere in the manifest; the document UUID does not.
    changed = json.loads(json.dumps(manifest))
    changed["violations"] = []
    other = json.loads(render_oscal(changed))["component-definition"]
    first = json.loads(text)["component-definition"]
    assert other["uuid"] != first["uuid"]
    assert other["components"][0]["uuid"] == first["components"][0]["uuid"]


def test_dutch(tmp_path: Path, manifest: dict[str, Any]) -> None:
    doc = json.loads(render_oscal(manifest, "nl"))["component-definition"]
    assert doc["metadata"]["title"].startswith("BIO2-componentdefinitie")
    req = doc["components"][0]["control-implementations"][0]["implemented-requirements"][0]
    assert req["control-id"] == "bio2-5.01.01"
    assert "Status: geïmplementeerd." in req["description"]
