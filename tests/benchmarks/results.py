"""A results dictionary shaped like a real benchmark run's, for the table and report tests."""

from __future__ import annotations

from typing import Any


def server(rps: float, median: float, one_conn: float, rss_mb: float) -> dict[str, Any]:
    """A server's figures as measure_server records them."""
    load = {"requests_per_second": rps, "median_ms": median, "p99_ms": median * 3}
    return {
        "cold": {"first_request_ms": 900.0, "launch_to_first_answer_s": 1.2},
        "warm_ms": 1.5,
        "mean_response_bytes": 12000,
        "load": {
            "rotating": load,
            "single_url": load,
            "one_connection": load | {"median_ms": one_conn},
        },
        "memory": {"VmHWM": rss_mb * 1_000_000},
    }


def size(providers: int, ours: dict[str, Any], build_s: float) -> dict[str, Any]:
    """One size's entry, with Datasette default at 400 req/s and 2 workers at 700."""
    return {
        "providers": providers,
        "dataset": {"build_s": build_s, "file_bytes": 12e6, "build_peak_rss_bytes": 150e6},
        "ours": ours,
        "datasette": server(400, 40, 1.5, 60),
        "datasette_workers": server(700, 20, 1.5, 60),
    }


RESULTS = {
    "bare": server(5200, 3, 0.3, 40),
    "sizes": [
        size(100_000, server(1500, 10, 1.9, 150), build_s=20.0),
        size(1_000, server(1600, 9, 1.0, 90), build_s=0.3),
    ],
    "map": {
        "providers": 10_000,
        "ours": {"bytes": 150_000, "draw_ms": 1200.0},
        "datasette_lean": {"bytes": 1_000_000, "draw_ms": 2000.0},
        "datasette_table": {"bytes": 3_700_000, "draw_ms": 2500.0},
    },
}
