"""``benchmarks/evidence_export.py`` keeps working: its synthetic app gives a valid manifest and
every step of the evidence writing is timed."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location(
        "evidence_export", ROOT / "benchmarks" / "evidence_export.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_synthetic_app_and_timings(tmp_path: Path, check_manifest: Any) -> None:
    bench = _bench()
    assembly = tmp_path / "cdk.out"
    manifest = bench.synthetic_manifest(assembly, resources=60, stacks=2)
    check_manifest(manifest)
    assert len(manifest["resources"]) == 60
    assert [t["stack"] for t in manifest["templates"]] == ["Workload0", "Workload1"]
    assert manifest["violations"] and any(m["evidence"] for m in manifest["measures"])
    res = bench.run(manifest, assembly / "bio2", runs=1)
    assert list(res["steps"]) == [
        "manifest.json",
        "validate",
        "summary",
        "hld",
        "html",
        "xlsx",
        "csv",
        "oscal",
        "sarif",
    ]
    cpu, wall = res["write_evidence"]
    assert cpu > 0 and wall > 0
    # The templates beside the evidence directory give the SARIF results their lines.
    assert '"startLine"' in (assembly / "bio2" / "bio2.sarif").read_text(encoding="utf-8")
