"""What one large evidence file costs to write, whole or in chunks. ``python -m benchmarks.write_chunks``.

Writes the same bytes (``--mib``, default 23.6: the ``manifest.json`` of the 2,000-resource app)
into a new file in a fresh directory on the file system of ``--dir`` (default: the working
directory, where ``cdk.out`` lives), once per way of writing, the ways interleaved and their
order rotated each round: in one ``write`` call, and in unbuffered calls of at most 4 MiB, 1 MiB,
256 KiB, 64 KiB (``evidence.common.WRITE_CHUNK``, what every evidence file uses) and 16 KiB. The
files are kept until the end, as a synth keeps its evidence. Prints each round's wall time and the
median wall time and kernel CPU time (``getrusage``) of each way. The figures belong to the
machine's kernel, file system and memory, and to their state: on the benchmark VM (Firecracker,
Linux 6.18, ext4) one call took about 6 ms in some runs and about 55 ms in others, calls of 256
KiB and 1 MiB were slow in one run and fast in another, calls of 64 KiB took 6-8 ms in every run.
This is a benchmark, not a test: it reports, it never fails.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import tempfile
import time

from bio2_aspects.evidence.common import WRITE_CHUNK, write_file

WAYS: dict[str, int | None] = {
    "one write": None,
    "4 MiB": 4 << 20,
    "1 MiB": 1 << 20,
    "256 KiB": 256 << 10,
    f"{WRITE_CHUNK >> 10} KiB (used)": WRITE_CHUNK,
    "16 KiB": 16 << 10,
}


def _kernel_s() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_stime


def measure(size: int, rounds: int, directory: str) -> dict[str, tuple[float, float, list[float]]]:
    """Per way of writing: the median wall time and kernel CPU time, and the wall time of each
    round, in seconds."""
    # JSON-like bytes rather than zeros (some file systems treat runs of zeros specially)
    line = b'    "logical_id": "Alerts10124A247C",\n'
    data = (line * (size // len(line) + 1))[:size]
    names = list(WAYS)
    walls: dict[str, list[float]] = {n: [] for n in names}
    kernel: dict[str, list[float]] = {n: [] for n in names}
    with tempfile.TemporaryDirectory(dir=directory, prefix="bio2-write-") as tmp:
        for r in range(rounds):
            for name in names[r % len(names) :] + names[: r % len(names)]:
                path = os.path.join(tmp, f"{r}-{len(walls[name])}-{names.index(name)}.json")
                before, t0 = _kernel_s(), time.perf_counter()
                write_file(path, data, chunk=WAYS[name] or len(data))
                walls[name].append(time.perf_counter() - t0)
                kernel[name].append(_kernel_s() - before)
    return {n: (statistics.median(walls[n]), statistics.median(kernel[n]), walls[n]) for n in names}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--mib", type=float, default=23.6, help="size of the file in MiB (default 23.6)")
    p.add_argument("--rounds", type=int, default=9)
    p.add_argument("--dir", default=".", help="a directory on the file system to measure (default .)")
    args = p.parse_args()
    size = int(args.mib * (1 << 20))
    result = measure(size, args.rounds, args.dir)
    print(
        f"writing {args.mib} MiB into a new file ({platform.system()} {platform.release()}, "
        f"{args.dir}); median of {args.rounds} interleaved rounds"
    )
    print(f"  {'way':<16} {'wall':>9} {'kernel CPU':>11}  wall of each round (ms)")
    for name, (wall, sys_s, walls) in result.items():
        rounds = " ".join(f"{1000 * w:.0f}" for w in walls)
        print(f"  {name:<16} {1000 * wall:7.1f}ms {1000 * sys_s:9.0f}ms  {rounds}")


if __name__ == "__main__":
    main()
