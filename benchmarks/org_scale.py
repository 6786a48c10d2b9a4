"""Synthesis time against the number of accounts: ``python -m benchmarks.org_scale``.

The default landing zone is synthesized (every component, the BIO2 engine in report-only mode) with
10 and with 1,000 accounts in ``organization.accounts`` (the example's accounts plus workload
accounts spread over Workloads/Prod, Workloads/NonProd and Sandbox). Each synthesis runs in a fresh
process (the first synth in a process carries a fixed start-up cost), the sizes interleaved, three
times each; the median counts. Goal: 1,000 accounts within 10% of 10 accounts, because nothing in
the templates is per account (OU placement is a script, the baseline a StackSet on OUs).

It runs twice: ``landing zone`` (every component) and ``organization`` (only the organization
component, with the BIO2 engine), to tell this component's cost from that of the others.

A benchmark, not a test: it prints figures and does not fail on a slow machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.proc import scratch_env

SIZES = (10, 1000)
SPREAD = ("Workloads/Prod", "Workloads/NonProd", "Sandbox")


def config_text(accounts: int) -> str:
    """The embedded example with workload accounts added up to ``accounts`` accounts."""
    import yaml

    from landing_zone.config import DEFAULT_CONFIG_PATH

    data = yaml.safe_load(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"))
    existing = data["organization"]["accounts"]
    _hold_identity_assignments(data, existing)
    for i in range(accounts - len(existing)):
        ou = SPREAD[i % len(SPREAD)]
        existing.append(
            {
                "name": f"bench-{i:04d}",
                "id": f"{900000000000 + i:012d}",
                "email": f"aws-bench-{i:04d}@voorbeeldstad.example",
                "ou": ou,
                "role": "sandbox" if ou == "Sandbox" else "workload",
                "environment": "sandbox" if ou == "Sandbox" else "prod" if ou.endswith("Prod") else "nonprod",
            }
        )
    return yaml.safe_dump(data, sort_keys=False)


def _hold_identity_assignments(data: dict, accounts: list[dict]) -> None:
    """Give IAM Identity Center assignments to the example's accounts only, in both sizes.

    An assignment is one ``AWS::SSO::Assignment`` per account (CloudFormation has no OU-level
    assignment), so assignments to OUs grow with the accounts in them and the identity section caps
    them; they are held constant here so that the benchmark measures everything else.
    """
    for assignment in (data.get("identity") or {}).get("assignments", []):
        ous = assignment.pop("ous", None)
        if not ous:
            continue
        names = [
            a["name"]
            for a in accounts
            if "Root" in ous or any(a["ou"] == ou or a["ou"].startswith(ou + "/") for ou in ous)
        ]
        assignment["accounts"] = sorted({*assignment.get("accounts", []), *names})


SCOPES = ("landing-zone", "organization")


def once(config_path: str, scope: str = "landing-zone") -> dict:
    """One synthesis in this process; timings in seconds."""
    t0 = time.perf_counter()
    from bio2_aspects import Bio2
    from landing_zone.app import bio2_scope, build_app, new_app
    from landing_zone.assembly import LandingZone
    from landing_zone.config import load_config

    t_import = time.perf_counter() - t0
    t1 = time.perf_counter()
    config = load_config(config_path)
    t_config = time.perf_counter() - t1
    outdir = tempfile.mkdtemp(prefix="bench-org-")
    t2 = time.perf_counter()
    app = new_app(outdir=outdir, context={"bio2:reportOnly": "true"})
    if scope == "organization":
        LandingZone(app, config, components=["organization"])
        Bio2(app, scope=bio2_scope(config))
    else:
        build_app(app, config)
    app.synth()
    t_synth = time.perf_counter() - t2
    resources = 0
    for path in Path(outdir).rglob("*.template.json"):
        resources += len(json.loads(path.read_text(encoding="utf-8")).get("Resources", {}))
    return {
        "scope": scope,
        "accounts": len(config.organization.accounts),
        "import_s": round(t_import, 3),
        "config_s": round(t_config, 3),
        "build_and_synth_s": round(t_synth, 3),
        "total_s": round(t_config + t_synth, 3),
        "resources": resources,
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _fresh(config_path: str, scope: str) -> dict:
    """One synthesis in a fresh process, with the CPU time of that process and its jsii node process
    (less sensitive than wall time to other work on the machine)."""
    cpu = _children_cpu()
    # the virtual environment's bin first: its node (Node 24, as `make` uses) runs jsii
    base = {
        **os.environ,
        "PATH": os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")]),
        "JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION": "1",
    }
    with scratch_env(base) as env:  # its assembly is removed after the run
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.org_scale", "--once", config_path, "--scope", scope],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["process_cpu_s"] = round(_children_cpu() - cpu, 3)
    return result


def run(repeats: int, scopes: tuple[str, ...] = SCOPES) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-org-config-") as tmp:
        paths = {}
        for size in SIZES:
            paths[size] = Path(tmp) / f"landing-zone-{size}.yaml"
            paths[size].write_text(config_text(size), encoding="utf-8")
        runs: dict[str, dict[int, list[dict]]] = {scope: {size: [] for size in SIZES} for scope in scopes}
        for _ in range(repeats):
            for scope in scopes:
                for size in SIZES:
                    runs[scope][size].append(_fresh(str(paths[size]), scope))
    result: dict = {"benchmark": "org_scale", "repeats": repeats, "scopes": {}}
    for scope in scopes:
        median = {size: statistics.median(r["total_s"] for r in runs[scope][size]) for size in SIZES}
        config = {size: statistics.median(r["config_s"] for r in runs[scope][size]) for size in SIZES}
        cpu = {size: statistics.median(r["process_cpu_s"] for r in runs[scope][size]) for size in SIZES}
        small, large = median[SIZES[0]], median[SIZES[-1]]
        result["scopes"][scope] = {
            "median_total_s": {str(size): median[size] for size in SIZES},
            "median_config_s": {str(size): config[size] for size in SIZES},
            "difference": round((large - small) / small, 3),
            "median_process_cpu_s": {str(size): cpu[size] for size in SIZES},
            "cpu_difference": round((cpu[SIZES[-1]] - cpu[SIZES[0]]) / cpu[SIZES[0]], 3),
            "resources": {str(size): runs[scope][size][0]["resources"] for size in SIZES},
            "runs": {str(size): runs[scope][size] for size in SIZES},
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--scope", choices=SCOPES, help="only this scope (default: both)")
    parser.add_argument("--once", metavar="CONFIG", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.once:
        print(json.dumps(once(args.once, args.scope or "landing-zone")))
        return
    result = run(args.repeats, (args.scope,) if args.scope else SCOPES)
    print(f"org_scale: config load + build + synth, median of {result['repeats']} fresh processes per figure")
    for scope, figures in result["scopes"].items():
        print(f"  {scope}:")
        for size in SIZES:
            runs = ", ".join(f"{r['total_s']:.2f}" for r in figures["runs"][str(size)])
            print(
                f"    {size:>5} accounts: {figures['median_total_s'][str(size)]:7.2f} s "
                f"(CPU {figures['median_process_cpu_s'][str(size)]:.2f} s; "
                f"config {figures['median_config_s'][str(size)]:.2f} s; "
                f"{figures['resources'][str(size)]} resources; runs: {runs})"
            )
        print(
            f"    difference: {figures['difference'] * 100:+.1f}% wall, "
            f"{figures['cpu_difference'] * 100:+.1f}% CPU (goal: within 10%)"
        )
    summary = {
        scope: {k: v for k, v in figures.items() if k != "runs"}
        for scope, figures in result["scopes"].items()
    }
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
