"""Telling a clean run from one that other work on the machine disturbed."""

from __future__ import annotations

import os

from bench.contention import (
    _Snapshot,
    cpu_busy,
    measured,
    others_share,
    wait_for_quiet,
)


def test_others_share_is_busy_time_not_spent_by_us() -> None:
    before = _Snapshot(total=1000, busy=100, ours=50)
    after = _Snapshot(total=1200, busy=250, ours=150)
    assert others_share(before, after) == (150 - 100) / 200
    assert others_share(before, _Snapshot(total=1200, busy=120, ours=200)) == 0.0


def test_measured_returns_the_result_with_the_share_it_saw() -> None:
    result, contended = measured(lambda: sum(range(1000)), os.getpgrp(), retries=0)
    assert result == 499500
    assert contended["attempts"] == 1 and 0.0 <= contended["others_cpu_share"] <= 1.0


def test_cpu_busy_is_a_fraction_and_a_zero_timeout_does_not_wait() -> None:
    assert 0.0 <= cpu_busy(0.05) <= 1.0
    assert wait_for_quiet(0) == {}
