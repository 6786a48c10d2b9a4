"""Synth-time benchmarks as users feel them. ``make bench`` (or ``python -m benchmarks.run``).

Every figure is a whole process (Python start-up, imports, the jsii node process, synthesis, the
evidence files), measured from outside (:mod:`benchmarks.proc`: wall time and the peak RSS of the
process tree), with every variant interleaved with its baseline in one run; the median of the
repeats counts and ratios are against the baseline of the same run. ``paired`` is the median of
the per-round ratios (each round runs every variant once, the order rotating), which follows a
variant's own cost more closely than the ratio of medians when the machine's load drifts.

* ``scale``: an app of about 2,000 resources over 8 stacks (:mod:`benchmarks.scale_app`): plain CDK
  (baseline), ``Bio2`` with tags written by its stack synthesizer (default reports), the same with
  the full report set (``reports="all"``), ``Bio2`` with tags through the construct tree (apps that
  keep CDK's own synthesizers), ``Bio2`` without tags, and cdk-nag's AwsSolutions pack.
* ``landing zone``: ``python app.py`` (what ``cdk synth`` runs) on the default configuration and on
  a 40-account, 3-region province configuration (:mod:`benchmarks.lz_app`).

``--against DIR`` adds one more scale variant, ``bio2@DIR``: ``Bio2`` as another checkout of
this project builds it (a ``git worktree`` of an earlier commit, say), run from that directory in
the same interleaved series, so that a change is measured against the code before it under the
same load (its modules compiled to bytecode first, as this checkout's).

The in-process split of the scale app (imports against build and synth) and the CPU time of each
process tree (user + system, less sensitive than wall time to other work on a shared machine) are
printed as second views. Goals: ``Bio2`` at most 1.15x plain in wall time and in peak memory, and
below AwsSolutions' ratio. These are benchmarks, not tests: they report, they do not fail on a slow machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

from benchmarks.proc import Measurement, measure
from benchmarks.scale_app import MODES

ROOT = Path(__file__).resolve().parent.parent


#: The project's own code, compiled to bytecode before any run (see ``_compile_project``).
PROJECT_CODE = ("bio2_aspects", "landing_zone", "benchmarks", "app.py")


def _compile_project(root: Path = ROOT) -> None:
    """Compile the project's modules to bytecode, as pip does when it installs a package.

    The runs do not write bytecode (``PYTHONDONTWRITEBYTECODE``), so without this every run of a
    variant that imports the project compiled its modules from source (about 0.1 s for the engine,
    more for the landing zone), a cost that an installed copy, or any second run of a checkout,
    never pays; the plain baseline imports none of them.
    """
    import compileall

    for name in PROJECT_CODE:
        path = root / name
        if path.is_dir():
            compileall.compile_dir(str(path), quiet=1)
        elif path.is_file():
            compileall.compile_file(str(path), quiet=1)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    bin_dir = str(Path(sys.executable).parent)  # .venv/bin holds node 24 (see the Makefile)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    env.setdefault("CDK_DISABLE_CLI_TELEMETRY", "true")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _series(
    commands: dict[str, list[str]], repeats: int, cwds: dict[str, Path] | None = None
) -> dict[str, list[Measurement]]:
    """Run every command ``repeats`` times, interleaved (the order rotates each round); a command
    named in ``cwds`` runs in that directory."""
    names = list(commands)
    runs: dict[str, list[Measurement]] = {n: [] for n in names}
    env = _env()
    cwds = cwds or {}
    for i in range(repeats):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            m = measure(commands[name], env=env, cwd=cwds.get(name))
            if m.returncode != 0:
                raise SystemExit(f"{name} failed with exit code {m.returncode}: {' '.join(commands[name])}")
            runs[name].append(m)
    return runs


#: The goal for ``Bio2`` in wall time and in peak memory, as a ratio to plain (issue 18).
GOAL = 1.15

#: Resamples of the rounds for the confidence intervals (``_intervals``), and their seed: the same
#: runs always give the same intervals.
BOOTSTRAP_RESAMPLES = 4000
BOOTSTRAP_SEED = 18


def _intervals(
    walls: list[float], base: list[float], level: float = 0.95
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Bootstrap intervals (percentile, ``level``) of a variant's wall-time ratio to the baseline:
    of the ratio of medians and of the paired ratio (median of the per-round ratios).

    The rounds are resampled whole (a variant's run with the baseline's run of the same round), so
    the intervals keep what the rounds share (the machine's load at the time). They say how far
    the figure of this run could move with other runs on the same machine, not how it would do on
    another machine. With few rounds they are coarse (the median of a few values takes few
    values; with 5 rounds or fewer the bounds are the extreme rounds), and the paired interval is
    narrower than its level says (in a simulation with 7-15 rounds it held the true ratio about 90%
    of the time; the interval of the ratio of medians, which the goal line uses, 94-99%).
    """
    import random

    rng = random.Random(BOOTSTRAP_SEED)
    n = len(walls)
    of_medians, paired = [], []
    for _ in range(BOOTSTRAP_RESAMPLES):
        rounds = [rng.randrange(n) for _ in range(n)]
        of_medians.append(
            statistics.median(walls[i] for i in rounds) / statistics.median(base[i] for i in rounds)
        )
        paired.append(statistics.median(walls[i] / base[i] for i in rounds))
    return percentile_bounds(of_medians, level), percentile_bounds(paired, level)


def percentile_bounds(values: list[float], level: float = 0.95) -> tuple[float, float]:
    """The percentile interval of bootstrap resamples at ``level`` (sorts ``values`` in place): as
    many resamples below the lower bound as above the upper."""
    values.sort()
    k = int((1 - level) / 2 * len(values))
    return values[k], values[len(values) - 1 - k]


def _table(title: str, runs: dict[str, list[Measurement]], baseline: str) -> dict:
    wall = {n: statistics.median(m.wall_s for m in ms) for n, ms in runs.items()}
    rss = {n: statistics.median(m.peak_rss_mib for m in ms) for n, ms in runs.items()}
    cpu = {n: statistics.median(m.cpu_s for m in ms) for n, ms in runs.items()}
    # Each round runs every variant once, so a variant's run and the baseline's run of the same
    # round shared the machine's load at the time: the median of those per-round ratios follows
    # the variant's own cost more closely than the ratio of medians when the load drifts.
    paired = {
        n: statistics.median(m.wall_s / b.wall_s for m, b in zip(ms, runs[baseline], strict=True))
        for n, ms in runs.items()
    }
    base_walls = [m.wall_s for m in runs[baseline]]
    intervals = {n: _intervals([m.wall_s for m in ms], base_walls) for n, ms in runs.items() if n != baseline}
    print(f"\n{title} (median of {len(runs[baseline])} interleaved whole-process runs)")
    x = "x " + baseline
    print(f"  {'variant':<16} {'wall':>8} {x:>10} {'paired':>8} {'peak RSS':>10} {x:>10} {'CPU':>8} {x:>10}")
    for n in runs:
        print(
            f"  {n:<16} {wall[n]:7.2f}s {wall[n] / wall[baseline]:9.2f}x {paired[n]:7.2f}x "
            f"{rss[n]:7.0f}MiB {rss[n] / rss[baseline]:9.2f}x {cpu[n]:7.2f}s {cpu[n] / cpu[baseline]:9.2f}x"
        )
    coarse = " (coarse: fewer than 11 rounds)" if len(base_walls) < 11 else ""
    print(f"  95% bootstrap intervals of the wall-time ratio (rounds resampled): of medians / paired{coarse}")
    for n, (of_medians, paired_iv) in intervals.items():
        print(
            f"    {n:<16} {of_medians[0]:.3f}-{of_medians[1]:.3f}x / {paired_iv[0]:.3f}-{paired_iv[1]:.3f}x"
        )
    return {
        "median_wall_s": wall,
        "median_peak_rss_mib": rss,
        "median_cpu_s": cpu,
        "wall_ratio": {n: round(wall[n] / wall[baseline], 3) for n in runs},
        "paired_wall_ratio": {n: round(paired[n], 3) for n in runs},
        "wall_ratio_95": {n: [round(b, 3) for b in iv[0]] for n, iv in intervals.items()},
        "paired_wall_ratio_95": {n: [round(b, 3) for b in iv[1]] for n, iv in intervals.items()},
        "rss_ratio": {n: round(rss[n] / rss[baseline], 3) for n in runs},
        "cpu_ratio": {n: round(cpu[n] / cpu[baseline], 3) for n in runs},
        "runs": {n: [[m.wall_s, m.peak_rss_mib, m.cpu_s] for m in ms] for n, ms in runs.items()},
    }


def scale(resources: int, repeats: int, modes: tuple[str, ...] = MODES, against: Path | None = None) -> dict:
    commands = {m: [sys.executable, "-m", "benchmarks.scale_app", m, str(resources)] for m in modes}
    cwds: dict[str, Path] = {}
    if against is not None:
        name = f"bio2@{against.name}"
        commands[name] = [sys.executable, "-m", "benchmarks.scale_app", "bio2", str(resources)]
        cwds[name] = against
    runs = _series(commands, repeats, cwds)
    result = _table(f"scale: {resources} resources, 8 stacks", runs, "plain")
    print("  in-process split (median): import / build+synth")
    for m, ms in runs.items():
        split = [json.loads(x.stdout.strip().splitlines()[-1]) for x in ms]
        imp = statistics.median(s["import_s"] for s in split)
        syn = statistics.median(s["build_and_synth_s"] for s in split)
        print(f"    {m:<16} {imp:6.2f}s / {syn:6.2f}s")
    return result


def landing_zone(repeats: int) -> dict:
    commands = {c: [sys.executable, "-m", "benchmarks.lz_app", c] for c in ("default", "province")}
    return _table("landing zone: python app.py (what cdk synth runs)", _series(commands, repeats), "default")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--resources", type=int, default=2000)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--only", choices=("scale", "landing-zone"), default=None)
    p.add_argument(
        "--modes",
        default=",".join(MODES),
        help=f"scale variants, comma-separated (default: all of {','.join(MODES)}; plain always runs)",
    )
    p.add_argument(
        "--save",
        type=Path,
        default=None,
        metavar="FILE",
        help="also write every round of the run as JSON (for python -m benchmarks.pool)",
    )
    p.add_argument(
        "--against",
        type=Path,
        default=None,
        metavar="DIR",
        help="another checkout of this project whose Bio2 runs as one more scale variant",
    )
    args = p.parse_args()
    _compile_project()
    against = args.against.resolve() if args.against is not None else None
    if against is not None:
        if not (against / "benchmarks" / "scale_app.py").is_file():
            p.error(f"--against {args.against}: not a checkout of this project (no benchmarks/scale_app.py)")
        _compile_project(against)
    modes = tuple(m for m in MODES if m == "plain" or m in args.modes.split(","))
    out: dict = {}
    if args.only in (None, "scale"):
        out["scale"] = scale(args.resources, args.repeats, modes, against)
        r = out["scale"]
        w, m, p = r["wall_ratio"], r["rss_ratio"], r["paired_wall_ratio"]
        if "bio2" in w and "awssolutions" in w:
            hi = r["wall_ratio_95"]["bio2"][1]
            print(
                # the ratios as kept (three decimals), not rounded a second time
                f"  goals: Bio2 wall {w['bio2']:.3f}x, paired {p['bio2']:.3f}x (<= {GOAL:.2f}x; "
                f"upper bound of the 95% interval {hi:.3f}x), below AwsSolutions {w['awssolutions']:.3f}x, "
                f"paired {p['awssolutions']:.3f}x; peak RSS {m['bio2']:.3f}x (<= {GOAL:.2f}x)"
            )
            print(
                "  (one series: on a shared machine series differ by about 0.05x; for an estimate over "
                "several, run with --save FILE and pool them: python -m benchmarks.pool FILE...)"
            )
        if "bio2-all" in w:
            full = f"wall {w['bio2-all']:.2f}x, peak RSS {m['bio2-all']:.2f}x"
            print(f"  Bio2 with the full report set: {full}")
    if args.only in (None, "landing-zone"):
        out["landing_zone"] = landing_zone(args.repeats)
    print(json.dumps({k: {kk: vv for kk, vv in v.items() if kk != "runs"} for k, v in out.items()}, indent=2))
    if args.save is not None:
        save_series(args.save, out, resources=args.resources, repeats=args.repeats)
        print(f"rounds written to {args.save}")


def save_series(path: Path, out: dict, *, resources: int, repeats: int) -> None:
    """Write the rounds of a run (per table and variant: wall time, peak RSS and CPU time of each
    round, in the order run) with when and on which commit it ran, for :mod:`benchmarks.pool`."""
    import datetime
    import subprocess

    def git(*argv: str) -> str:
        done = subprocess.run(["git", *argv], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    record = {
        "when": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": git("rev-parse", "HEAD") or None,
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        "resources": resources,
        "repeats": repeats,
        "tables": {name: table["runs"] for name, table in out.items()},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
