"""``benchmarks.pool`` estimates a variant's ratio over several saved series of ``benchmarks.run``:
the estimate follows the true ratio, the interval widens when the series disagree, the same files
give the same figures, and files that should not be pooled are refused with exit code 2."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from benchmarks.pool import PoolError, Series, check_comparable, main, pool, read_series
from benchmarks.run import save_series


def _series(ratio: float, speed: float, rounds: int, seed: int, **extra: object) -> Series:
    """A series whose machine runs at ``speed`` (the load of its minutes) and whose ``bio2`` costs
    ``ratio`` times the baseline, each run with a little noise of its own."""
    rng = random.Random(seed)
    base = [5.0 * speed * (1 + rng.uniform(-0.03, 0.03)) for _ in range(rounds)]
    bio2 = [b * ratio * (1 + rng.uniform(-0.03, 0.03)) for b in base]
    nag = [b * 1.17 * (1 + rng.uniform(-0.03, 0.03)) for b in base]
    fields: dict = {"source": f"s{seed}", "when": "", "commit": "c", "dirty": False, "resources": 2000}
    fields.update(extra)
    return Series(walls={"plain": base, "bio2": bio2, "awssolutions": nag}, **fields)


def test_the_pooled_ratio_follows_the_true_ratio_over_machines_of_different_speed() -> None:
    series = [_series(1.12, speed, 15, seed) for seed, speed in enumerate((1.0, 1.1, 0.95, 1.05))]
    p = pool(series, "bio2")
    assert p.series == 4 and p.rounds == 60
    for estimate, (lo, hi) in ((p.of_medians, p.of_medians_95), (p.paired, p.paired_95)):
        assert lo <= estimate <= hi
        assert abs(estimate - 1.12) < 0.015
        assert lo < 1.12 < hi
    # the same files, the same figures
    assert pool(series, "bio2") == p


def test_series_that_disagree_widen_the_interval() -> None:
    alike = [_series(1.12, 1.0, 15, seed) for seed in range(4)]
    apart = [_series(ratio, 1.0, 15, seed) for seed, ratio in enumerate((1.08, 1.16, 1.09, 1.15))]
    narrow, wide = pool(alike, "bio2"), pool(apart, "bio2")
    assert wide.of_medians_95[1] - wide.of_medians_95[0] > 2 * (
        narrow.of_medians_95[1] - narrow.of_medians_95[0]
    )
    # a single series' interval alone would hide the spread between series
    assert wide.of_medians_95[1] > 1.15


def test_a_variant_is_pooled_over_the_series_that_ran_it() -> None:
    with_nag = _series(1.12, 1.0, 9, 1)
    without = _series(1.12, 1.0, 9, 2)
    del without.walls["awssolutions"]
    assert pool([with_nag, without], "awssolutions").series == 1
    assert pool([with_nag, without], "bio2").series == 2
    with pytest.raises(PoolError):
        pool([without], "awssolutions")


def test_a_saved_run_reads_back_round_for_round(tmp_path: Path) -> None:
    out = {
        "scale": {
            "runs": {
                "plain": [[5.1, 700.0, 7.9], [5.3, 710.0, 8.0]],
                "bio2": [[5.7, 740.0, 8.6], [5.9, 745.0, 8.7]],
            }
        },
        "landing_zone": {"runs": {"default": [[7.3, 900.0, 9.0]], "province": [[8.0, 980.0, 9.9]]}},
    }
    path = tmp_path / "runs" / "a.json"
    save_series(path, out, resources=2000, repeats=2)
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["resources"] == 2000 and record["repeats"] == 2 and record["when"].endswith("Z")
    series = read_series(path)
    assert series.walls == {"plain": [5.1, 5.3], "bio2": [5.7, 5.9]} and series.rounds() == 2
    assert read_series(path, "landing_zone").walls == {"default": [7.3], "province": [8.0]}


def test_runs_of_different_code_or_size_are_refused_unless_mixed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = []
    for i, (commit, size) in enumerate((("aaa", 2000), ("bbb", 2000), ("aaa", 500))):
        s = _series(1.12, 1.0, 5, i)
        path = tmp_path / f"{i}.json"
        runs = {name: [[w, 700.0, 8.0] for w in walls] for name, walls in s.walls.items()}
        record = {
            "when": f"t{i}",
            "commit": commit,
            "dirty": False,
            "resources": size,
            "tables": {"scale": runs},
        }
        path.write_text(json.dumps(record), encoding="utf-8")
        files.append(path)
    series = [read_series(f) for f in files]
    problems = check_comparable(series)
    assert any("different commits" in p for p in problems) and any("app sizes" in p for p in problems)
    assert main([str(f) for f in files]) == 2
    err = capsys.readouterr().err
    assert "should not be pooled" in err and "--mixed" in err and "Traceback" not in err
    assert main(["--mixed", *(str(f) for f in files)]) == 0
    out = capsys.readouterr().out
    assert "goal: Bio2 at most 1.15x" in out and "goal: Bio2 below AwsSolutions" in out


def test_bio2_is_compared_with_awssolutions_round_by_round() -> None:
    """``_series`` gives AwsSolutions 1.17x: Bio2 at 1.12x is about 0.957 of it, and its interval
    stays below 1; at 1.20x it is above."""
    below = pool([_series(1.12, s, 15, i) for i, s in enumerate((1.0, 1.1, 0.95))], "bio2", "awssolutions")
    assert abs(below.paired - 1.12 / 1.17) < 0.01 and below.paired_95[1] < 1
    above = pool([_series(1.20, s, 15, i) for i, s in enumerate((1.0, 1.1, 0.95))], "bio2", "awssolutions")
    assert above.paired_95[0] > 1


def test_a_file_that_is_not_a_saved_run_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"scale": {"wall_ratio": {}}}), encoding="utf-8")
    for path in (broken, other, tmp_path / "missing.json"):
        assert main([str(path)]) == 2
        err = capsys.readouterr().err
        assert str(path) in err and "Traceback" not in err
