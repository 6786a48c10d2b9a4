"""Several runs of ``benchmarks.run`` taken together. ``python -m benchmarks.pool FILE...``.

One run (a *series*: every variant interleaved with the baseline, round after round) says how a
variant compares under the load of those minutes. On a shared machine the load changes from one
series to the next by as much as the margin to a goal: the same commit gave 1.08x, 1.10x, 1.13x
and 1.16x in four series within 30 minutes (``docs/performance.md``). This tool reads series
written with ``python -m benchmarks.run --save FILE`` and estimates each variant's ratio to the
baseline over all of them, with an interval that counts the differences between series as well as
the rounds within each:

* per series: rounds, the ratio of medians and the paired ratio (median of the per-round ratios),
  as ``benchmarks.run`` prints them;
* pooled: the median of the series' ratios of medians, and the median of every round's ratio;
* for the goals of ``benchmarks.run``: ``bio2`` against 1.15x, and ``bio2`` against ``awssolutions``
  directly (their runs of the same rounds paired, as with the baseline);
* 95% intervals by a two-stage bootstrap: series drawn with replacement, then each drawn series'
  rounds drawn with replacement (the rounds stay whole: a variant's run with the baseline's run of
  the same round). With few series the interval is coarse, and it says nothing about another
  machine.

Every series must be of the same commit and the same app size, unless ``--mixed`` is given: a pool
of different code would estimate nothing in particular. Reports, never fails on the figures.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# the resamples and seed of benchmarks.run's intervals: the same files give the same intervals
from benchmarks.run import BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, GOAL, percentile_bounds

BASELINE = "plain"


@dataclass(frozen=True)
class Series:
    """One saved run: where it came from and, per variant, the wall time of each round."""

    source: str
    when: str
    commit: str | None
    dirty: bool
    resources: int | None
    walls: dict[str, list[float]]

    def rounds(self) -> int:
        return len(next(iter(self.walls.values())))


class PoolError(ValueError):
    """Files that cannot be pooled: unreadable, not a saved run, or runs of different things."""


#: The baseline of each table ``benchmarks.run`` writes.
BASELINES = {"scale": BASELINE, "landing_zone": "default"}


def read_series(path: Path, table: str = "scale") -> Series:
    """A series saved by ``benchmarks.run --save`` (its ``table``: ``scale`` or ``landing_zone``)."""
    baseline = BASELINES[table]
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PoolError(f"{path}: cannot read a saved run: {exc}") from exc
    runs = record.get("tables", {}).get(table) if isinstance(record, dict) else None
    if not isinstance(runs, dict) or baseline not in runs:
        raise PoolError(f"{path}: no {table!r} table with a {baseline!r} baseline (saved with --save?)")
    walls = {name: [float(r[0]) for r in rounds] for name, rounds in runs.items()}
    if len({len(w) for w in walls.values()}) != 1:
        raise PoolError(f"{path}: the variants have different numbers of rounds")
    return Series(
        source=str(path),
        when=str(record.get("when", "")),
        commit=record.get("commit"),
        dirty=bool(record.get("dirty")),
        resources=record.get("resources"),
        walls=walls,
    )


def _ratio_of_medians(walls: Sequence[float], base: Sequence[float]) -> float:
    return statistics.median(walls) / statistics.median(base)


def _paired(walls: Sequence[float], base: Sequence[float]) -> list[float]:
    return [w / b for w, b in zip(walls, base, strict=True)]


@dataclass(frozen=True)
class Pooled:
    """A variant's pooled ratios to the baseline with their 95% intervals."""

    variant: str
    series: int
    rounds: int
    of_medians: float
    of_medians_95: tuple[float, float]
    paired: float
    paired_95: tuple[float, float]


def pool(series: Sequence[Series], variant: str, baseline: str = BASELINE) -> Pooled:
    """``variant`` against ``baseline`` over the series that ran both (see the module docstring)."""
    chosen = [s for s in series if variant in s.walls and baseline in s.walls]
    if not chosen:
        raise PoolError(f"no series ran both {variant!r} and {baseline!r}")
    pairs = [(s.walls[variant], s.walls[baseline]) for s in chosen]

    def stats(drawn: Sequence[tuple[Sequence[float], Sequence[float]]]) -> tuple[float, float]:
        of_medians = statistics.median(_ratio_of_medians(w, b) for w, b in drawn)
        paired = statistics.median(r for w, b in drawn for r in _paired(w, b))
        return of_medians, paired

    of_medians, paired = stats(pairs)
    rng = random.Random(BOOTSTRAP_SEED)
    samples_m, samples_p = [], []
    for _ in range(BOOTSTRAP_RESAMPLES):
        drawn = []
        for _ in pairs:
            w, b = pairs[rng.randrange(len(pairs))]
            rounds = [rng.randrange(len(b)) for _ in b]
            drawn.append(([w[i] for i in rounds], [b[i] for i in rounds]))
        m, p = stats(drawn)
        samples_m.append(m)
        samples_p.append(p)
    return Pooled(
        variant=variant,
        series=len(chosen),
        rounds=sum(len(b) for _, b in pairs),
        of_medians=of_medians,
        of_medians_95=percentile_bounds(samples_m),
        paired=paired,
        paired_95=percentile_bounds(samples_p),
    )


def check_comparable(series: Sequence[Series]) -> list[str]:
    """Why these series should not be pooled (different commits, a dirty tree, app sizes); empty
    when they may."""
    problems = []
    commits = {s.commit for s in series}
    if len(commits) > 1:
        problems.append(f"different commits: {', '.join(sorted(c or '?' for c in commits))}")
    if any(s.dirty for s in series):
        dirty = ", ".join(s.source for s in series if s.dirty)
        problems.append(f"run from a working tree with changes: {dirty}")
    sizes = {s.resources for s in series}
    if len(sizes) > 1:
        problems.append(f"different app sizes: {', '.join(str(n) for n in sorted(sizes, key=str))}")
    return problems


def report(series: Sequence[Series], baseline: str = BASELINE) -> list[Pooled]:
    """Print the series and the pooled figures; return the pooled figures."""
    variants = sorted({v for s in series for v in s.walls if v != baseline})
    print(f"{len(series)} series, baseline {baseline!r}; per series: rounds, ratio of medians (paired)")
    for s in series:
        base = s.walls[baseline]
        cells = ", ".join(
            f"{v} {_ratio_of_medians(s.walls[v], base):.3f}x "
            f"({statistics.median(_paired(s.walls[v], base)):.3f}x)"
            for v in variants
            if v in s.walls
        )
        head = f"{s.when or s.source}  {s.rounds():>3} rounds, {baseline} {statistics.median(base):.2f} s"
        print(f"  {head}: {cells}")
    pooled = [pool(series, v, baseline) for v in variants]
    print("pooled: median of the series' ratios of medians [95%] / median of every round's ratio [95%]")
    for p in pooled:
        print(
            f"  {p.variant:<16} {p.of_medians:.3f}x [{p.of_medians_95[0]:.3f}-{p.of_medians_95[1]:.3f}] / "
            f"{p.paired:.3f}x [{p.paired_95[0]:.3f}-{p.paired_95[1]:.3f}]  "
            f"({p.series} series, {p.rounds} rounds)"
        )
    by_name = {p.variant: p for p in pooled}
    bio2 = by_name.get("bio2")
    if bio2 is not None:
        line = (
            f"goal: Bio2 at most {GOAL:.2f}x: pooled {bio2.of_medians:.3f}x, upper bound "
            f"{bio2.of_medians_95[1]:.3f}x; paired {bio2.paired:.3f}x, upper bound {bio2.paired_95[1]:.3f}x"
        )
        print(line)
        if "awssolutions" in by_name:
            # the second goal compared directly: Bio2's runs against AwsSolutions' runs of the same rounds
            v = pool(series, "bio2", "awssolutions")
            print(
                f"goal: Bio2 below AwsSolutions: Bio2 / AwsSolutions pooled {v.of_medians:.3f}x "
                f"[{v.of_medians_95[0]:.3f}-{v.of_medians_95[1]:.3f}], paired {v.paired:.3f}x "
                f"[{v.paired_95[0]:.3f}-{v.paired_95[1]:.3f}] (below 1: Bio2 is faster)"
            )
    return pooled


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("files", nargs="+", type=Path, help="runs saved with python -m benchmarks.run --save FILE")
    p.add_argument("--table", choices=("scale", "landing_zone"), default="scale")
    p.add_argument("--mixed", action="store_true", help="pool series of different commits or app sizes")
    args = p.parse_args(argv)
    try:
        series = [read_series(f, args.table) for f in args.files]
        problems = check_comparable(series)
        if problems and not args.mixed:
            why = "; ".join(problems)
            raise PoolError(f"these runs should not be pooled (--mixed to pool them anyway): {why}")
        report(series, BASELINES[args.table])
    except PoolError as exc:
        print(f"benchmarks.pool: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
