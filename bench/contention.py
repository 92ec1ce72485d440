"""Other work on the machine: the benchmark shares its two cores with whoever else works here.

Before each server, :func:`wait_for_quiet` waits (bounded) for the cores to be nearly idle.
During each load, :func:`measured` counts the CPU time that neither the server under test,
nor wrk, nor this process used: other people's share of the machine. A run that others
disturbed is repeated (a bounded number of times) and the share is kept in the results,
so a reader can tell a clean figure from a contended one.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from bench.servers import group_members

T = TypeVar("T")
TICKS_PER_S = os.sysconf("SC_CLK_TCK")
#: Busier than this (a fraction of all cores) and the machine is not quiet enough to start.
QUIET_BUSY = 0.15
#: A run during which others used more than this share of all cores is repeated.
MAX_OTHERS_SHARE = 0.10
#: How long a repeat waits for quiet, at most.
RETRY_QUIET_S = 60.0


def _cpu_ticks() -> tuple[int, int]:
    """(all ticks, busy ticks) of every core so far, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    total = sum(fields[:8])  # user nice system idle iowait irq softirq steal
    return total, total - fields[3] - fields[4]


def cpu_busy(interval_s: float = 1.0) -> float:
    """The fraction of all cores' time spent busy over the next ``interval_s``."""
    total_before, busy_before = _cpu_ticks()
    time.sleep(interval_s)
    total_after, busy_after = _cpu_ticks()
    return (busy_after - busy_before) / max(1, total_after - total_before)


def wait_for_quiet(timeout_s: float, busy_below: float = QUIET_BUSY) -> dict[str, float]:
    """Wait at most ``timeout_s`` for the cores to be nearly idle; what it saw and waited."""
    if timeout_s <= 0:
        return {}
    started = time.monotonic()
    busy = cpu_busy()
    while busy >= busy_below and time.monotonic() - started < timeout_s:
        busy = cpu_busy(2.0)
    return {"cpu_busy_before": round(busy, 3), "waited_s": round(time.monotonic() - started, 1)}


def group_ticks(group: int) -> int:
    """CPU ticks (user and system) used so far by the processes in ``group``."""
    ticks = 0
    for pid in group_members(group):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks


def _own_ticks() -> int:
    """CPU ticks of this process and of its finished children (wrk)."""
    ticks = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        ticks += (usage.ru_utime + usage.ru_stime) * TICKS_PER_S
    return round(ticks)


@dataclass(frozen=True)
class _Snapshot:
    total: int
    busy: int
    ours: int

    @classmethod
    def take(cls, group: int) -> _Snapshot:
        total, busy = _cpu_ticks()
        return cls(total, busy, group_ticks(group) + _own_ticks())


def others_share(before: _Snapshot, after: _Snapshot) -> float:
    """The share of all cores used by processes other than ours between two snapshots."""
    others = (after.busy - before.busy) - (after.ours - before.ours)
    return max(0.0, others / max(1, after.total - before.total))


def measured(run: Callable[[], T], group: int, retries: int) -> tuple[T, dict[str, Any]]:
    """``run()``, repeated up to ``retries`` times while others disturb it; with their share."""
    attempt = 0
    while True:
        before = _Snapshot.take(group)
        result = run()
        share = others_share(before, _Snapshot.take(group))
        attempt += 1
        if share <= MAX_OTHERS_SHARE or attempt > retries:
            return result, {"others_cpu_share": round(share, 3), "attempts": attempt}
        wait_for_quiet(RETRY_QUIET_S)
