"""The map page for one dataset size on both sides: bytes transferred and time until drawn.

Our side is measured by :mod:`bench.map_bench` (the map's own benchmark,
kept with the map); the peer's by :mod:`bench.peer_map`. Both load the page
cold in Debian's headless Chromium with tiles blocked, and both count every location.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from bench import datasets, map_bench, peer, peer_map
from bench.contention import wait_for_quiet
from bench.measure import OUR_APP, gunicorn_command, our_env
from bench.servers import free_port, running


def our_map(database: Path, gazetteer: Path, work: Path, repeats: int) -> dict[str, Any]:
    """Our ``/map`` of every provider, served by gunicorn as in production, via map_bench."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    log = work / "ours-map.log"
    with (
        running(gunicorn_command(OUR_APP, port), our_env(database, gazetteer), log, port) as s,
        sync_playwright() as playwright,
    ):
        browser = map_bench.launch_chromium(playwright)
        try:
            measured: dict[str, Any] = map_bench.measure(browser, s.base_url, repeats)
        finally:
            browser.close()
    return measured | {
        "bytes": measured["transferred_bytes"],
        "draw_ms": measured["draw_ms_median"],
    }


def peer_maps(database: Path, venv: Path, work: Path, repeats: int) -> dict[str, Any]:
    """datasette-cluster-map over the providers: the lean page and the plain table page."""
    metadata = peer.write_metadata(database, work / "metadata-map.json")
    port = free_port()
    command = peer.default_command(venv, database, metadata, port)
    found: dict[str, Any] = {}
    with running(command, dict(os.environ), work / "datasette-map.log", port) as started:
        for name, (path, expected) in peer.map_pages(database).items():
            print(f"  Datasette map ({name}, {expected:,} points)", file=sys.stderr)
            found[f"datasette_{name}"] = peer_map.measure_cluster_map(
                started.base_url + path, expected, repeats
            ) | {"points": expected}
    return found


def measure_maps(
    sizes: list[dict[str, Any]],
    map_size: int,
    gazetteer: Path,
    venv: Path | None,
    work: Path,
    repeats: int,
    quiet_timeout_s: float = 0.0,
) -> dict[str, Any]:
    """Both maps over the dataset of ``map_size`` providers (built here if not yet)."""
    entry = next((entry for entry in sizes if entry["providers"] == map_size), None)
    if entry is None:
        env = dict(os.environ) | {"DIRECTORY_GAZETTEER": str(gazetteer)}
        database = datasets.prepare(work, map_size, env).database
    else:
        database = Path(entry["dataset"]["database"])
    found: dict[str, Any] = {"providers": map_size}
    print(f"  our map, {map_size:,}", file=sys.stderr)
    # A failing map is recorded and reported, not allowed to lose the rest of the run.
    try:
        quiet = wait_for_quiet(quiet_timeout_s)
        found["ours"] = our_map(database, gazetteer, work, repeats) | quiet
    except Exception as error:
        print(f"  our map failed: {error!r}", file=sys.stderr)
        found["ours"] = {"error": repr(error)}
    if venv is not None:
        try:
            found["datasette_quiet"] = (
                wait_for_quiet(quiet_timeout_s) if quiet_timeout_s > 0 else {}
            )
            found |= peer_maps(database, venv, work, repeats)
        except Exception as error:
            print(f"  Datasette's map failed: {error!r}", file=sys.stderr)
            found["datasette_error"] = repr(error)
    return found
