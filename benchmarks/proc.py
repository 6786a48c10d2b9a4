"""Whole-process measurement: wall time and peak memory of a command and every process it starts.

The figure users feel is the whole process: Python start-up, imports, the jsii node process,
synthesis and the evidence files. :func:`measure` runs a command, samples the resident set size
(RSS) of the process tree (Python plus the jsii node child) from ``/proc`` every 20 ms, and returns
the wall time and the largest sum seen. Linux only (``/proc``).
"""

from __future__ import annotations

import os
import resource
import subprocess
import time
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


def measure(
    cmd: list[str], env: dict[str, str] | None = None, interval: float = 0.02, cwd: str | Path | None = None
) -> Measurement:
    """Run ``cmd`` to completion (in ``cwd``); its wall time, CPU time and the peak RSS of its
    process tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True, cwd=cwd
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
