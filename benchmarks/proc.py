"""Whole-process measurement: wall time and peak memory of a command and every process it starts.

The figure users feel is the whole process: Python start-up, imports, the jsii node process,
synthesis and the evidence files. :func:`measure` runs a command, samples the resident set size
(RSS) of the process tree (Python plus the jsii node child) from ``/proc`` every 20 ms, and returns
the wall time and the largest sum seen. Linux only (``/proc``).
"""

from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Measurement:
    wall_s: float
    peak_rss_mib: float
    returncode: int
    stdout: str
    #: user + system CPU time of the process tree (every process it started and waited for): a
    #: second view, less sensitive than wall time to other work on a shared machine
    cpu_s: float = 0.0


def _tree_rss(root: int) -> int:
    """Bytes resident in ``root`` and all its descendants."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            statm = Path(entry.path, "statm").read_text()
        except OSError:
            continue
        # the command name (field 2) may hold spaces: split after its closing parenthesis
        fields = stat[stat.rindex(")") + 2 :].split()
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        rss[pid] = int(statm.split()[1]) * _PAGE
    total, todo, seen = 0, [root], set()
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, ()))
    return total


@contextlib.contextmanager
def scratch_env(env: Mapping[str, str] | None = None) -> Iterator[dict[str, str]]:
    """``env`` (default: this process's environment) with ``TMPDIR`` set to a new directory, which
    is removed with everything in it when the block ends.

    Every benchmark run of a synth writes its cloud assembly into a temporary directory (20-60 MB
    on the scale app: templates, ``manifest.json``, SARIF), as do jsii's node process and CDK's
    validation. Left behind, they filled the disk: 3,183 directories, 58 GB, over the benchmark
    runs up to 2026-12-07. A child started with this environment writes them here instead, and they
    are removed after the run, outside the time measured."""
    with tempfile.TemporaryDirectory(prefix="bench-run-") as scratch:
        yield {**(os.environ if env is None else env), "TMPDIR": scratch}


def measure(
    cmd: list[str], env: dict[str, str] | None = None, interval: float = 0.02, cwd: str | Path | None = None
) -> Measurement:
    """Run ``cmd`` to completion (in ``cwd``); its wall time, CPU time and the peak RSS of its
    process tree. Its temporary files go into a directory of its own, removed after the run
    (:func:`scratch_env`)."""
    with scratch_env(env) as run_env:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=run_env, text=True, cwd=cwd
        )
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(interval)
        out = proc.stdout.read() if proc.stdout else ""
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measurement(round(wall, 3), round(peak / 2**20, 1), proc.returncode, out, round(cpu, 3))
