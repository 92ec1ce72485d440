"""The results of a run as the table's rows, each with the bar it must reach (if any).

Pure functions over the results dictionary that :mod:`bench.compare` writes,
so that the table can be rebuilt from a saved JSON file and tested without a server.
"""

from __future__ import annotations

from typing import Any

from bench.report import Row

MB = 1_000_000
#: The bars from the issue, on a two-core machine.
MAX_WORKER_RSS_MB = 200
MAX_BUILD_RSS_MB = 500
MIN_PEER_THROUGHPUT_RATIO = 2.0
MIN_SHARE_OF_BARE = 0.30
MAX_SERVER_MS = 2.0
MAX_MAP_BYTES_RATIO = 0.2
MAX_MAP_DRAW_RATIO = 0.5

PEER_DEFAULT = "Datasette default (1 process)"
PEER_WORKERS = "Datasette, 2 uvicorn workers (SO_REUSEPORT, TCP_NODELAY)"
PEER_STOCK = "Datasette, stock `uvicorn --workers 2` (TCP_NODELAY off)"


def _get(result: dict[str, Any] | None, *keys: str) -> float | None:
    """A nested figure, or None where the run or the figure is missing."""
    value: Any = result
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return float(value) if isinstance(value, int | float) else None


def _at_most(value: float | None, limit: float) -> bool | None:
    return None if value is None else value <= limit


def _at_least(value: float | None, limit: float) -> bool | None:
    return None if value is None else value >= limit


def _mb(value: float | None) -> float | None:
    return None if value is None else value / MB


def size_rows(entry: dict[str, Any], bare_rps: float | None) -> list[Row]:
    """The rows for one dataset size."""
    section = f"{entry['providers']:,} providers"
    dataset, ours = entry["dataset"], entry.get("ours")
    default, workers = entry.get("datasette"), entry.get("datasette_workers")
    stock = entry.get("datasette_stock_workers")

    def row(measure: str, keys: tuple[str, ...], peer: Any, **kw: Any) -> Row:
        return Row(section, measure, _get(ours, *keys), _get(peer, *keys), **kw)

    rps = ("load", "rotating", "requests_per_second")
    one_conn = _get(ours, "load", "one_connection", "median_ms")
    rss = _mb(_get(ours, "memory", "VmHWM"))
    build_rss = _mb(float(dataset["build_peak_rss_bytes"]))
    ours_rps = _get(ours, *rps)
    workers_rps = _get(workers, *rps)
    share = ours_rps / bare_rps * 100 if ours_rps and bare_rps else None
    return [
        Row(section, "build time (s)", float(dataset["build_s"])),
        Row(section, "database file (MB)", _mb(float(dataset["file_bytes"]))),
        Row(
            section,
            "build peak RSS (MB)",
            build_rss,
            goal=f"< {MAX_BUILD_RSS_MB} MB",
            met=None if build_rss is None else build_rss < MAX_BUILD_RSS_MB,
        ),
        row(f"search req/s, 16 conn, 20 points; vs {PEER_DEFAULT}", rps, default),
        Row(
            section,
            f"search req/s, 16 conn, 20 points; vs {PEER_WORKERS}",
            ours_rps,
            workers_rps,
            goal=f"ratio ≥ {MIN_PEER_THROUGHPUT_RATIO:g}",
            met=_at_least(
                ours_rps / workers_rps if ours_rps and workers_rps else None,
                MIN_PEER_THROUGHPUT_RATIO,
            ),
        ),
        row(f"search req/s, 16 conn, 20 points; vs {PEER_STOCK}", rps, stock),
        row(
            f"search median ms, 16 conn; vs {PEER_DEFAULT}",
            ("load", "rotating", "median_ms"),
            default,
        ),
        row(
            f"search median ms, 16 conn; vs {PEER_WORKERS}",
            ("load", "rotating", "median_ms"),
            workers,
        ),
        row(f"search p99 ms, 16 conn; vs {PEER_WORKERS}", ("load", "rotating", "p99_ms"), workers),
        row(
            f"search req/s, 16 conn, one URL (the busiest city); vs {PEER_WORKERS}",
            ("load", "single_url", "requests_per_second"),
            workers,
        ),
        Row(
            section,
            f"search median ms, 1 connection (server time); vs {PEER_DEFAULT}",
            one_conn,
            _get(default, "load", "one_connection", "median_ms"),
            goal=f"ours ≤ {MAX_SERVER_MS:g} ms",
            met=_at_most(one_conn, MAX_SERVER_MS),
        ),
        row(f"cold: first request (ms); vs {PEER_DEFAULT}", ("cold", "first_request_ms"), default),
        row(
            f"cold: launch to first answer (s); vs {PEER_DEFAULT}",
            ("cold", "launch_to_first_answer_s"),
            default,
        ),
        row(f"warm request, median of 20 (ms); vs {PEER_DEFAULT}", ("warm_ms",), default),
        Row(
            section,
            f"peak RSS of one worker (MB); vs {PEER_DEFAULT}",
            rss,
            _mb(_get(default, "memory", "VmHWM")),
            goal=f"< {MAX_WORKER_RSS_MB} MB",
            met=None if rss is None else rss < MAX_WORKER_RSS_MB,
        ),
        Row(
            section,
            f"peak RSS of one worker (MB); vs {PEER_WORKERS}",
            rss,
            _mb(_get(workers, "memory", "VmHWM")),
        ),
        Row(
            section,
            "search req/s as % of bare Flask req/s",
            share,
            goal=f"≥ {MIN_SHARE_OF_BARE:.0%}",
            met=_at_least(share, MIN_SHARE_OF_BARE * 100),
        ),
        row("response bytes per search (mean of the points)", ("mean_response_bytes",), default),
    ]


def scaling_rows(results: dict[str, Any]) -> list[Row]:
    """The bare endpoint, and how search and build times grow with the data."""
    section = "scaling"
    bare = _get(results.get("bare"), "load", "rotating", "requests_per_second")
    rows = [Row(section, 'bare Flask {"ok": true} req/s, gunicorn 2 workers, 16 conn', bare)]
    sizes = sorted(results["sizes"], key=lambda entry: entry["providers"])
    if len(sizes) < 2:
        return rows
    small, large = sizes[0], sizes[-1]
    data = large["providers"] / small["providers"]
    keys = ("load", "one_connection", "median_ms")

    def growth(name: str, entry_keys: tuple[str, ...]) -> float | None:
        before, after = _get(small.get(name), *entry_keys), _get(large.get(name), *entry_keys)
        return after / before if before and after else None

    ours_growth = growth("ours", keys)
    span = f"{small['providers']:,} to {large['providers']:,} (data x{data:g})"
    build_growth = float(large["dataset"]["build_s"]) / float(small["dataset"]["build_s"] or 1)
    return [
        *rows,
        Row(
            section,
            f"growth of 1-connection search median, {span}; vs {PEER_DEFAULT}",
            ours_growth,
            growth("datasette", keys),
            goal=f"≤ x{data / 10:g} (a tenth of the data's)",
            met=_at_most(ours_growth, data / 10),
        ),
        Row(
            section,
            f"growth of build time, {span}",
            build_growth,
            goal=f"≤ x{data * 1.5:g} (linear, with slack)",
            met=build_growth <= data * 1.5,
        ),
    ]


def map_rows(found: dict[str, Any] | None) -> list[Row]:
    """Bytes and draw time of the map pages, ours against datasette-cluster-map."""
    if not found:
        return []
    section = f"map, {found['providers']:,} providers"
    ours, lean, table = found.get("ours"), found.get("datasette_lean"), found.get("datasette_table")
    ours_bytes, ours_ms = _get(ours, "bytes"), _get(ours, "draw_ms")
    lean_bytes, lean_ms = _get(lean, "bytes"), _get(lean, "draw_ms")
    lean_name = "Datasette cluster map of the same points, coordinates only"
    table_name = "Datasette cluster map of the locations table page"
    return [
        Row(
            section,
            f"bytes transferred; vs {lean_name}",
            ours_bytes,
            lean_bytes,
            goal=f"ratio ≤ {MAX_MAP_BYTES_RATIO:g}",
            met=_at_most(
                ours_bytes / lean_bytes if ours_bytes and lean_bytes else None,
                MAX_MAP_BYTES_RATIO,
            ),
        ),
        Row(
            section,
            f"ms until every marker or cluster is drawn; vs {lean_name}",
            ours_ms,
            lean_ms,
            goal=f"ratio ≤ {MAX_MAP_DRAW_RATIO:g}",
            met=_at_most(ours_ms / lean_ms if ours_ms and lean_ms else None, MAX_MAP_DRAW_RATIO),
        ),
        Row(section, f"bytes transferred; vs {table_name}", ours_bytes, _get(table, "bytes")),
        Row(section, f"ms until drawn; vs {table_name}", ours_ms, _get(table, "draw_ms")),
    ]


def rows(results: dict[str, Any]) -> list[Row]:
    """Every row of the table, size by size, then scaling, then the map."""
    bare = _get(results.get("bare"), "load", "rotating", "requests_per_second")
    out: list[Row] = []
    for entry in sorted(results["sizes"], key=lambda entry: entry["providers"]):
        out += size_rows(entry, bare)
    return out + scaling_rows(results) + map_rows(results.get("map"))
