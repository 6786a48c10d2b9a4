"""The BIO2 evidence of the default landing zone: complete, schema-valid, pointing at real resources."""

from __future__ import annotations

import jsonschema
import pytest

from bio2_aspects.engine import measures_from_tags
from bio2_aspects.evidence.schema import manifest_schema
from bio2_aspects.rules.base import tags_of

pytestmark = pytest.mark.synth


def test_manifest_is_schema_valid_and_lists_every_measure_and_control(default_synth):
    manifest = default_synth.manifest
    jsonschema.Draft202012Validator(manifest_schema()).validate(manifest)
    assert len(manifest["measures"]) == 117
    assert len(manifest["controls"]) == 93
    assert manifest["totals"]["measures"] == 117


def test_evidence_points_at_resources_in_the_templates(default_synth):
    by_stack = default_synth.templates
    count = 0
    for m in default_synth.manifest["measures"]:
        for e in m["evidence"]:
            if e["resource_type"] == "BIO2::Inventory":  # the engine's inventory of every template
                assert e["path"] == f"manifest.json#/{e['logical_id']}"
                continue
            res = by_stack[e["stack"]]["Resources"].get(e["logical_id"])
            assert res is not None, f"{m['id']}: {e['stack']}/{e['logical_id']} is not in the template"
            assert res["Type"] == e["resource_type"]
            count += 1
    assert count > 0


def test_tags_equal_the_measures_the_manifest_proves(default_synth):
    proven = {
        (r["stack"], r["logical_id"]): tuple(r["measures"]) for r in default_synth.manifest["resources"]
    }
    tagged = 0
    for stack, tpl in default_synth.templates.items():
        for lid, res in tpl.get("Resources", {}).items():
            measures = measures_from_tags(tags_of(res.get("Properties", {})))
            if measures:
                tagged += 1
                assert measures == proven[(stack, lid)], f"{stack}/{lid}"
    mismatches = [v for v in default_synth.manifest["violations"] if v["rule"] == "BIO2-Engine-TagMismatch"]
    assert not mismatches


def test_template_hashes_in_the_manifest(default_synth):
    import hashlib

    for t in default_synth.manifest["templates"]:
        assert hashlib.sha256((default_synth.outdir / t["file"]).read_bytes()).hexdigest() == t["sha256"]
