"""Who uses the two cores when: the CPU of a synth's threads over time. ``python -m benchmarks.timeline``.

Runs the scale app (:mod:`benchmarks.scale_app`) once plain and once with ``Bio2`` and samples,
every 10 ms from ``/proc``, the CPU time of four groups of threads: the Python process's main
thread, its other threads (the evidence worker, the thread that imports ahead), the jsii node
process's main thread and node's other threads (V8's helpers: garbage collection, WebAssembly
compilation). It prints, per 100 ms, how many cores each group used, with the moments the child
reports (``app.synth()`` begins, ``Bio2``'s plugin turn begins and ends, ``app.synth()`` returns).

This is how the fifth round of 2026-12-07 found that from the end of template rendering to the
end of CDK's validation node keeps both cores busy (``docs/performance.md``): a view for finding
where time goes, not a benchmark with a goal. Linux only.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.proc import scratch_env
from benchmarks.run import _env
from bio2_aspects.procfs import process_tree_threads, stat_fields

BIN_S = 0.1
SAMPLE_S = 0.01
GROUPS = ("python main", "python other", "node main", "node other")

#: The child: the scale app with marks (epoch seconds) printed as the last line of its output.
_CHILD = """
import json, sys, tempfile, time
marks = {}
import aws_cdk as cdk
from benchmarks.scale_app import build_app
mode = sys.argv[1]
if mode == "bio2":
    from bio2_aspects import Bio2, pack
    from bio2_aspects.synthesizer import Bio2StackSynthesizer
    validate = pack.Bio2Plugin.validate
    def timed(self, context):
        marks["plugin turn begins"] = time.time()
        try:
            return validate(self, context)
        finally:
            marks["plugin turn ends"] = time.time()
    pack.Bio2Plugin.validate = timed
    app = cdk.App(outdir=tempfile.mkdtemp(), default_stack_synthesizer=Bio2StackSynthesizer())
else:
    app = cdk.App(outdir=tempfile.mkdtemp())
build_app(app, int(sys.argv[2]))
if mode == "bio2":
    Bio2(app, report_only=True)
marks["app.synth() begins"] = time.time()
app.synth()
marks["app.synth() returns"] = time.time()
print(json.dumps(marks))
"""


def _group(python: int, nodes: set[int], pid: int, tid: int) -> str | None:
    """The group of a thread: of the Python process, or of a node process (jsii runs two: its
    runtime, which mostly relays, and the program that runs CDK)."""
    if pid == python:
        return "python main" if tid == python else "python other"
    if pid in nodes:
        return "node main" if tid == pid else "node other"
    return None


def timeline(mode: str, resources: int) -> tuple[list[dict[str, float]], dict[str, float], float]:
    """Per bin of ``BIN_S`` the cores each group used; the child's marks (seconds from the start)."""
    tick = os.sysconf("SC_CLK_TCK")
    root = Path(__file__).resolve().parent.parent
    cmd = [sys.executable, "-c", _CHILD, mode, str(resources)]
    with scratch_env(_env()) as env:  # the child's assembly is removed after the run
        start = time.time()
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        samples: list[tuple[float, dict[str, float]]] = []
        nodes: set[int] = set()
        seen: set[int] = {proc.pid}
        while proc.poll() is None:
            now = time.time()
            groups = dict.fromkeys(GROUPS, 0.0)
            for pid, tid, stat in process_tree_threads(proc.pid):
                if pid not in seen:
                    seen.add(pid)
                    try:  # node names its main thread ("MainThread"): its executable tells
                        if Path(os.readlink(f"/proc/{pid}/exe")).name == "node":
                            nodes.add(pid)
                    except OSError:
                        pass
                group = _group(proc.pid, nodes, pid, tid)
                if group is not None:
                    fields = stat_fields(stat)
                    groups[group] += (int(fields[11]) + int(fields[12])) / tick
            samples.append((now - start, groups))
            time.sleep(SAMPLE_S)
        out = proc.stdout.read().decode() if proc.stdout else ""
    if proc.returncode != 0:
        raise SystemExit(f"{mode}: the synth failed with exit code {proc.returncode}")
    marks = {k: v - start for k, v in json.loads(out.strip().splitlines()[-1]).items()}
    bins: list[dict[str, float]] = []
    for (_, before), (t1, after) in itertools.pairwise(samples):
        index = int(t1 / BIN_S)
        while len(bins) <= index:
            bins.append(dict.fromkeys(GROUPS, 0.0))
        for g in GROUPS:
            # a thread that ended between two samples leaves its group's sum: never negative
            bins[index][g] += max(0.0, after[g] - before[g]) / BIN_S
    return bins, marks, time.time() - start


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--resources", type=int, default=2000)
    p.add_argument("--modes", default="plain,bio2", help="plain, bio2 or both (comma-separated)")
    args = p.parse_args()
    for mode in args.modes.split(","):
        bins, marks, total = timeline(mode, args.resources)
        print(
            f"\n{mode}: cores used per {BIN_S:.1f} s "
            f"({args.resources} resources; whole process {total:.2f} s)"
        )
        print(f"  {'t (s)':>6} " + " ".join(f"{g:>12}" for g in GROUPS))
        for i, row in enumerate(bins):
            t = i * BIN_S
            here = [name for name, at in sorted(marks.items(), key=lambda kv: kv[1]) if t <= at < t + BIN_S]
            cells = " ".join(f"{row[g]:12.1f}" for g in GROUPS)
            print(f"  {t:6.1f} {cells}  {'; '.join(here)}")


if __name__ == "__main__":
    main()
