"""The downgrade rule of bio2_aspects.collect.merge, status by status."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from bio2_aspects.collect.merge import merge_observations
from bio2_aspects.collect.sources import Observation

COLLECTION = {
    "collected_at": "2026-12-06T06:00:00Z",
    "collected_at_source": "argument",
    "regions": ["eu-central-1"],
    "sources": ["config"],
}


def obs(compliance: str, monitor: str = "config:s3-bucket-ssl-requests-only") -> Observation:
    return Observation(
        "aws-config",
        monitor,
        "111111111111",
        "eu-central-1",
        "AWS::S3::Bucket",
        "b",
        compliance,
        "2026-12-05T00:00:00Z",
        "2026-12-05T00:00:00Z" if compliance == "NON_COMPLIANT" else None,
        "x",
    )


def with_status(manifest: dict[str, Any], mid: str, status: str, states: dict[str, str]) -> dict[str, Any]:
    out = copy.deepcopy(manifest)
    m = next(m for m in out["measures"] if m["id"] == mid)
    m["status"] = m["headline"] = status
    for f in m["facets"]:
        f["state"] = states.get(f["id"], f["state"])
    return out


@pytest.mark.parametrize(
    ("status", "states", "expected"),
    [
        ("implemented", {"8.21.04.t1": "evidenced", "8.21.04.o1": "attested"}, "partially_implemented"),
        (
            "awaiting_attestation",
            {"8.21.04.t1": "evidenced", "8.21.04.o1": "missing"},
            "partially_implemented",
        ),
        (
            "partially_implemented",
            {"8.21.04.t1": "partial", "8.21.04.o1": "missing"},
            "partially_implemented",
        ),
        ("unattested", {"8.21.04.t1": "missing", "8.21.04.o1": "unattested"}, "gap"),
        ("gap", {"8.21.04.t1": "missing", "8.21.04.o1": "missing"}, "gap"),
        ("excluded", {}, "excluded"),
    ],
)
def test_red_downgrades_never_upgrades(
    design_manifest: dict[str, Any], status: str, states: dict[str, str], expected: str
) -> None:
    base = with_status(design_manifest, "8.21.04", status, states)
    red = merge_observations(base, [obs("NON_COMPLIANT")], collection=COLLECTION)
    m = next(m for m in red["measures"] if m["id"] == "8.21.04")
    assert m["status"] == expected
    assert m["runtime"]["design"]["status"] == status
    if expected != "excluded":
        assert next(f for f in m["facets"] if f["id"] == "8.21.04.t1")["state"] not in (
            "evidenced",
            "attested",
        )
    green = merge_observations(base, [obs("COMPLIANT")], collection=COLLECTION)
    assert next(m for m in green["measures"] if m["id"] == "8.21.04")["status"] == status


def test_unknown_monitors_and_measures_are_ignored(design_manifest: dict[str, Any]) -> None:
    out = merge_observations(
        design_manifest, [obs("NON_COMPLIANT", "config:not-in-the-table")], collection=COLLECTION
    )
    assert all("runtime" not in m for m in out["measures"])
    assert out["audit"]["collection"]["measures_downgraded"] == []


def test_the_input_manifest_is_not_changed(design_manifest: dict[str, Any]) -> None:
    before = copy.deepcopy(design_manifest)
    merge_observations(design_manifest, [obs("NON_COMPLIANT")], collection=COLLECTION)
    assert design_manifest == before
