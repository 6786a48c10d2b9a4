"""The threads of a process tree, read from ``/proc`` (Linux), without importing CDK.

Used by the evidence worker to tell this process's own work from other work on the machine
(``pack._runnable_counts``) and by ``benchmarks.timeline`` to sample the CPU of a synth's threads.
"""

from __future__ import annotations

import os
from collections.abc import Iterator


def process_tree_threads(root: int) -> Iterator[tuple[int, int, bytes]]:
    """Each thread of process ``root`` and of its descendants, read from ``/proc`` (Linux): the
    process ID, the thread ID and the thread's ``stat`` line. A process or thread that ends
    meanwhile is skipped; on a kernel without the ``children`` lists only ``root`` is seen."""
    pending = [root]
    while pending:
        pid = pending.pop()
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            try:
                with open(f"/proc/{pid}/task/{tid}/stat", "rb") as fh:
                    stat = fh.read()
            except OSError:
                continue
            yield pid, int(tid), stat
            try:
                with open(f"/proc/{pid}/task/{tid}/children", "rb") as fh:
                    pending.extend(int(child) for child in fh.read().split())
            except OSError:
                pass


def stat_fields(stat: bytes) -> list[bytes]:
    """The fields of a ``/proc`` ``stat`` line after the command name (which may hold spaces):
    the state first (``R`` when runnable), user and system CPU ticks at 11 and 12."""
    return stat[stat.rindex(b")") + 2 :].split()
