"""Performance at scale, side by side with Datasette: ``./scripts/bench`` (docs/benchmarks.md).

One run, everything on 127.0.0.1: synthetic datasets of each size, built by ``flask
build``; our app under gunicorn (two workers) and Datasette serving the same file; the
20-nearest-within-50-km search on both under wrk; the map page for one size on both in
headless Chromium; cold and warm requests; peak memory. Prints one table (ours, the peer,
the ratio, the bar), writes it with every raw figure as JSON, into docs/benchmarks.md,
and plots search latency against dataset size.

    ./scripts/bench                                # 1,000, 10,000 and 100,000 providers
    ./scripts/bench --sizes 200 --duration 1 --no-peer --no-docs   # a smoke run
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench import datasets, peer, report, table
from bench.bare_app import WSGI_APP as BARE_APP
from bench.load import ensure_wrk
from bench.maps_compared import measure_maps
from bench.measure import (
    OUR_APP,
    Plan,
    gunicorn_command,
    measure_server,
    our_env,
    our_search_path,
)
from directory.settings import PROJECT_ROOT

RESULTS = PROJECT_ROOT / "bench-results"
WORK_MARKER = ".bench-work"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line (see ``--help``)."""
    parser = argparse.ArgumentParser(
        prog="scripts/bench", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    add = parser.add_argument
    add("--sizes", default="1000,10000,100000", help="providers per dataset, comma-separated")
    add("--map-size", type=int, default=10_000, help="dataset whose map is measured")
    add("--duration", type=float, default=10.0, help="seconds of each wrk run")
    add("--connections", type=int, default=16, help="wrk connections under load")
    add("--threads", type=int, default=2, help="wrk threads")
    add("--points", type=int, default=20, help="search centres (the busiest cities)")
    add("--map-repeats", type=int, default=3, help="cold loads of each map page (median)")
    add("--work", type=Path, default=RESULTS / "work", help="scratch folder (its own; emptied)")
    add("--keep", action="store_true", help="keep the datasets in --work (logs are kept)")
    add("--json", type=Path, default=RESULTS / "latest.json", help="results file")
    add("--docs", type=Path, default=PROJECT_ROOT / "docs" / "benchmarks.md", help="table into")
    add("--no-docs", action="store_true", help="do not write the table into --docs")
    add("--plot", type=Path, default=PROJECT_ROOT / "docs" / "benchmarks-search.png", help="PNG")
    add("--no-plot", action="store_true", help="do not draw the plot")
    add("--gazetteer", type=Path, help="offline gazetteer (default: the app's setting)")
    add("--no-peer", action="store_true", help="skip Datasette (and its installation)")
    add("--no-stock", action="store_true", help="skip stock `uvicorn --workers 2`")
    add("--no-map", action="store_true", help="skip the map pages in Chromium")
    add("--peer-venv", type=Path, default=RESULTS / "datasette-venv", help="Datasette's venv")
    add("--from-json", type=Path, help="measure nothing: report a saved results file again")
    add(
        "--quiet-timeout",
        type=float,
        default=300.0,
        help="before each server, wait up to this many seconds for the cores to be idle (0: no)",
    )
    add("--retries", type=int, default=2, help="repeat a load run others disturbed, at most")
    return parser.parse_args(argv)


def _version(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "missing"
    lines = (done.stdout or done.stderr).strip().splitlines()  # wrk --version exits with 1
    return lines[0] if lines else "?"


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "wrk": _version(["wrk", "--version"]),
        "loadavg_at_start": [round(value, 2) for value in os.getloadavg()],
    }


def scratch_folder(work: Path) -> Path:
    """Empty ``work`` for a new run, if it is new, empty or a previous run's; else refuse."""
    marker = work / WORK_MARKER
    if work.exists() and any(work.iterdir()) and not marker.exists():
        raise SystemExit(f"{work} is not empty and not a benchmark's scratch folder")
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    marker.write_text("scratch folder of ./scripts/bench; emptied by each run\n")
    return work


def _gazetteer(option: Path | None) -> Path:
    from directory.geo.gazetteer import ensure_gazetteer

    configured = os.environ.get("DIRECTORY_GAZETTEER")
    default = PROJECT_ROOT / "instance" / "gazetteer.db"
    return ensure_gazetteer(option or (Path(configured) if configured else default))


def measure_peer(
    entry: dict[str, Any], venv: Path, work: Path, paths: list[str], plan: Plan, stock: bool
) -> None:
    """Datasette on ``entry``'s database: default, two workers (fixed), two workers (stock)."""
    database = Path(entry["dataset"]["database"])
    size = entry["providers"]
    metadata = peer.write_metadata(database, work / f"metadata-{size}.json")
    app_dir = peer.install_launcher(work / "datasette-app")
    env = dict(os.environ) | peer.launcher_env(database, metadata)
    print(f"  Datasette, default, {size:,}", file=sys.stderr)
    entry["datasette"] = measure_server(
        lambda port: peer.default_command(venv, database, metadata, port),
        env,
        work / f"datasette-{size}.log",
        paths,
        plan,
    )
    print(f"  Datasette, 2 workers, {size:,}", file=sys.stderr)
    entry["datasette_workers"] = measure_server(
        lambda port: peer.workers_command(venv, app_dir, port, 2),
        env,
        work / f"datasette-workers-{size}.log",
        paths,
        plan,
    )
    if stock:
        print(f"  Datasette, stock uvicorn --workers 2, {size:,}", file=sys.stderr)
        entry["datasette_stock_workers"] = measure_server(
            lambda port: peer.stock_workers_command(venv, app_dir, port, 2),
            env,
            work / f"datasette-stock-{size}.log",
            paths,
            Plan(**(plan.as_json() | {"single_url": False})),
        )


def run(options: argparse.Namespace) -> dict[str, Any]:
    """Build, serve and measure everything; the raw results."""
    sizes = sorted({int(size) for size in options.sizes.split(",") if size.strip()})
    plan = Plan(
        connections=options.connections,
        duration_s=options.duration,
        threads=options.threads,
        wrk=ensure_wrk(),
        quiet_timeout_s=options.quiet_timeout,
        retries=options.retries,
    )
    work = scratch_folder(options.work)
    gazetteer = _gazetteer(options.gazetteer)
    venv = None if options.no_peer else peer.ensure_venv(options.peer_venv)
    results: dict[str, Any] = {
        "meta": {
            "command": shlex.join(["./scripts/bench", *sys.argv[1:]]),
            "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "plan": plan.as_json(),
            "peer_pins": list(peer.PINS),
            "peer_sql": peer.NEAREST_SQL,
        },
        "sizes": [],
    }
    build_env = dict(os.environ) | {"DIRECTORY_GAZETTEER": str(gazetteer)}
    for size in sizes:
        print(f"building {size:,} providers", file=sys.stderr)
        built = datasets.prepare(work, size, build_env)
        results["sizes"].append({"providers": size, "dataset": built.as_json()})
    largest = Path(results["sizes"][-1]["dataset"]["database"])
    points = datasets.city_centres(largest, options.points)
    results["points"] = points
    print("bare Flask", file=sys.stderr)
    results["bare"] = measure_server(
        lambda port: gunicorn_command(BARE_APP, port),
        our_env(largest, gazetteer),
        work / "bare.log",
        ["/"],
        Plan(**(plan.as_json() | {"single_url": False, "one_connection": False})),
    )
    for entry in results["sizes"]:
        database = Path(entry["dataset"]["database"])
        print(f"  ours, {entry['providers']:,}", file=sys.stderr)
        entry["ours"] = measure_server(
            lambda port: gunicorn_command(OUR_APP, port),
            our_env(database, gazetteer),
            work / f"ours-{entry['providers']}.log",
            [our_search_path(lat, lon) for lat, lon in points],
            plan,
        )
        if venv is not None:
            paths = [peer.search_path(database, lat, lon) for lat, lon in points]
            measure_peer(entry, venv, work, paths, plan, not options.no_stock)
        report.write_json(options.json, results, [])  # a checkpoint, should a later step fail
    if not options.no_map:
        results["map"] = measure_maps(
            results["sizes"],
            options.map_size,
            gazetteer,
            venv,
            work,
            options.map_repeats,
            options.quiet_timeout,
        )
    return results


def finish(options: argparse.Namespace, results: dict[str, Any]) -> str:
    """Print the table; write the JSON, the docs' table and the plot. Returns the table."""
    rows = table.rows(results)
    text = report.text_table(rows)
    print(text)
    report.write_json(options.json, results, rows)
    print(f"wrote {options.json}", file=sys.stderr)
    if not options.no_plot:
        series = {
            "ours, 1 connection": "ours/one_connection",
            f"{table.PEER_DEFAULT}, 1 connection": "datasette/one_connection",
            "ours, 16 connections": "ours/rotating",
            f"{table.PEER_WORKERS}, 16 conn": "datasette_workers/rotating",
        }
        lines = {
            label: [
                (entry["providers"], entry[server]["load"][run]["median_ms"])
                for entry in results["sizes"]
                if entry.get(server) and run in entry[server]["load"]
            ]
            for label, (server, run) in ((k, v.split("/")) for k, v in series.items())
        }
        title = "Nearest 20 within 50 km: median latency by dataset size"
        if report.plot_search(options.plot, lines, title, bar_ms=table.MAX_SERVER_MS):
            print(f"wrote {options.plot}", file=sys.stderr)
        else:
            print("matplotlib is missing (pip install -e '.[bench]'): no plot", file=sys.stderr)
    if not options.no_docs:
        meta, machine_ = results["meta"], results["meta"]["machine"]
        note = (
            f"Measured {meta['started']} with `{meta['command'].strip()}` on {machine_['cores']}"
            f" cores (load average at start {machine_['loadavg_at_start']})."
        )
        report.update_docs(options.docs, note + "\n\n" + report.markdown_table(rows))
        print(f"wrote the table into {options.docs}", file=sys.stderr)
    return text


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and report it."""
    options = parse_args(argv)
    if options.from_json:
        saved = json.loads(options.from_json.read_text(encoding="utf-8"))
        saved.pop("rows", None)
        finish(options, saved)
        return
    try:
        results = run(options)
    finally:
        if not options.keep and options.work.exists():
            for path in [*options.work.glob("providers-*"), *options.work.glob(".providers-*")]:
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
    finish(options, results)


if __name__ == "__main__":
    main()
