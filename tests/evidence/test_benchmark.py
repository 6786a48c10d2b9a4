"""``benchmarks/evidence_export.py`` keeps working: its synthetic app gives a valid manifest and
every step of the evidence writing is timed."""

from __future__ import annotations

import importlib.util
import tempfile
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


def test_the_wall_time_intervals_are_reproducible_and_hold_the_figures() -> None:
    """``benchmarks.run`` reports a bootstrap interval for each ratio: the same runs give the same
    interval, which holds the ratio of the run itself, and a variant that is the baseline plus
    noise gets an interval around 1."""
    import random
    import statistics

    from benchmarks.run import _intervals

    rng = random.Random(7)
    base = [5.0 + rng.random() * 0.4 for _ in range(15)]
    variant = [b * 1.12 + rng.random() * 0.2 for b in base]
    first = _intervals(variant, base)
    assert first == _intervals(variant, base)
    (low, high), (paired_low, paired_high) = first
    ratio = statistics.median(variant) / statistics.median(base)
    paired = statistics.median(v / b for v, b in zip(variant, base, strict=True))
    assert low <= ratio <= high and paired_low <= paired <= paired_high
    assert 1.1 < low < high < 1.2
    (same_low, same_high), _ = _intervals(base, base)
    assert same_low == same_high == 1.0


def test_the_timeline_sorts_threads_into_their_groups() -> None:
    """``benchmarks.timeline`` counts each thread once: the Python process's main thread and the
    others, and of every node process (jsii runs two) its main thread and its helpers."""
    from benchmarks.timeline import _group

    python, nodes = 100, {200, 300}
    assert _group(python, nodes, 100, 100) == "python main"
    assert _group(python, nodes, 100, 101) == "python other"
    assert _group(python, nodes, 200, 200) == _group(python, nodes, 300, 300) == "node main"
    assert _group(python, nodes, 300, 305) == "node other"
    assert _group(python, nodes, 400, 400) is None  # git, say: neither


def test_a_measured_run_leaves_no_temporary_files_behind() -> None:
    """Each benchmark run of a synth writes its assembly into a temporary directory (20-60 MB on the
    scale app); left behind, they filled the disk (58 GB). ``proc.measure`` gives the command a
    ``TMPDIR`` of its own and removes it after the run."""
    import os
    import sys

    from benchmarks.proc import measure, scratch_env

    child = (
        "import os, tempfile; d = tempfile.mkdtemp(prefix='bench-x-'); "
        "open(os.path.join(d, 'template.json'), 'w').write('x' * 4096); print(d)"
    )
    m = measure([sys.executable, "-c", child])
    made = Path(m.stdout.strip())
    assert m.returncode == 0 and made.name.startswith("bench-x-")
    assert made.parent.name.startswith("bench-run-") and made.parent.parent == Path(tempfile.gettempdir())
    assert not made.exists() and not made.parent.exists()
    with scratch_env({"KEEP": "1"}) as env:
        assert env["KEEP"] == "1" and Path(env["TMPDIR"]).is_dir()
    assert not Path(env["TMPDIR"]).exists()
    assert os.environ.get("TMPDIR") != env["TMPDIR"]  # this process's environment is left as it was
