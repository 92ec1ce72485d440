"""The table's rows and bars, from a results dictionary shaped like a real run's."""

from __future__ import annotations

import pytest

from bench.report import Row
from bench.table import map_rows, rows
from tests.benchmarks.results import RESULTS, server, size


def by_measure(table: list[Row], section: str, start: str) -> Row:
    """The one row of ``section`` whose measure starts with ``start``."""
    found = [r for r in table if r.section == section and r.measure.startswith(start)]
    assert len(found) == 1, [r.measure for r in found]
    return found[0]


@pytest.fixture(scope="module")
def table() -> list[Row]:
    return rows(RESULTS)


def test_sizes_come_in_order_then_scaling_then_map(table: list[Row]) -> None:
    sections = list(dict.fromkeys(r.section for r in table))
    assert sections == ["1,000 providers", "100,000 providers", "scaling", "map, 10,000 providers"]


def test_throughput_bar_is_twice_datasette_with_as_many_workers(table: list[Row]) -> None:
    section, measure = "100,000 providers", "search req/s, 16 conn, 20 points; vs Datasette"
    row = by_measure(table, section, f"{measure}, 2")
    assert (row.ours, row.peer, row.met) == (1500, 700, True)
    default = by_measure(table, section, f"{measure} default")
    assert default.met is None and default.peer == 400


def test_server_time_memory_and_share_of_bare(table: list[Row]) -> None:
    section = "100,000 providers"
    assert by_measure(table, section, "search median ms, 1 connection").met is True
    rss = by_measure(table, section, "peak RSS of one worker (MB); vs Datasette default")
    assert rss.ours == 150
    share = by_measure(table, section, "search req/s as % of bare")
    assert share.ours == pytest.approx(1500 / 5200 * 100) and share.met is False


def test_growth_rows_compare_the_smallest_and_largest_sizes(table: list[Row]) -> None:
    search = by_measure(table, "scaling", "growth of 1-connection search median")
    assert search.ours == pytest.approx(1.9) and search.peer == pytest.approx(1.0)
    assert search.met is True
    build = by_measure(table, "scaling", "growth of build time")
    assert build.ours == pytest.approx(20 / 0.3) and build.met is True


def test_map_bars_are_a_fifth_of_the_bytes_and_half_the_time(table: list[Row]) -> None:
    section = "map, 10,000 providers"
    assert by_measure(table, section, "bytes transferred; vs Datasette cluster map of the same").met
    assert by_measure(table, section, "ms until every marker").met is False


def test_missing_peer_leaves_the_bar_unjudged() -> None:
    only_ours = {"sizes": [size(1_000, server(1600, 9, 1.0, 90), 0.3)], "bare": None}
    for entry in only_ours["sizes"]:
        entry.pop("datasette")
        entry.pop("datasette_workers")
    table = rows(only_ours)
    row = by_measure(table, "1,000 providers", "search req/s, 16 conn, 20 points; vs Datasette, 2")
    assert row.peer is None and row.met is None
    assert map_rows(None) == []
