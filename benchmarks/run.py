"""Synth-time benchmarks. ``make bench`` (or ``python -m benchmarks.run``) prints a table and JSON.

* ``scale``: an app of about 2,000 resources over 8 stacks, synthesized four ways in one run:
  plain, with ``Bio2``, with ``Bio2(tag_resources=False)``, and with cdk-nag's AwsSolutions pack.
  Each synth runs in a fresh process (the first synth in a process carries a fixed start-up cost),
  interleaved, several times; the median counts. Goal: Bio2 adds at most 30% to plain and less
  than AwsSolutions adds.

These are benchmarks, not tests: they report figures, they do not fail on a slow machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys


def _once(mode: str, resources: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.scale_app", mode, str(resources)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def scale(resources: int, repeats: int) -> dict:
    modes = ("plain", "bio2", "bio2-notags", "awssolutions")
    runs: dict[str, list[dict]] = {m: [] for m in modes}
    for _ in range(repeats):
        for m in modes:
            runs[m].append(_once(m, resources))
    med = {m: statistics.median(r["build_and_synth_s"] for r in runs[m]) for m in modes}
    plain = med["plain"]
    result = {
        "benchmark": "scale",
        "resources": runs["plain"][0]["resources"],
        "repeats": repeats,
        "median_build_and_synth_s": med,
        "overhead_vs_plain": {m: round((med[m] - plain) / plain, 3) for m in modes if m != "plain"},
        "runs": runs,
    }
    return result


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--resources", type=int, default=2000)
    p.add_argument("--repeats", type=int, default=3)
    args = p.parse_args()
    res = scale(args.resources, args.repeats)
    print(f"scale: {res['resources']} resources, median of {res['repeats']} fresh-process runs")
    for m, s in res["median_build_and_synth_s"].items():
        over = res["overhead_vs_plain"].get(m)
        print(f"  {m:<13} {s:7.2f} s" + (f"   +{over * 100:.1f}% vs plain" if over is not None else ""))
    print(json.dumps({k: v for k, v in res.items() if k != "runs"}, indent=2))


if __name__ == "__main__":
    main()
