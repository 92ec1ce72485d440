"""Map benchmark: what the map page sends, and how soon every marker and cluster is drawn.

For each size it generates a synthetic dataset (``directory.dataset.synthetic``), builds it,
serves the app on 127.0.0.1 and opens ``/map`` (every provider: the heaviest map there is)
in headless Chromium with a cold cache and the tile server blocked. It reports:

* **page + points**: the map page's HTML plus the points payload, gzipped as sent;
* **all transferred**: every response the page loaded (HTML, points, scripts, styles,
  images), as encoded on the wire;
* **draw ms**: from navigation start until map.js reports every marker and cluster drawn
  (``window.mapState.readyAt``), the median of ``--runs`` loads with a cold browser cache;
* **points ms**: the server's time to answer ``/map/points.json`` the first time (query,
  encode, gzip) and then from its cache of compressed payloads, which the loads above use;
* **load**: the machine's one-minute load average, since draw times grow with it.

Run it with ``./scripts/bench-map`` (``--sizes 1000,10000,100000 --runs 5``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.request import Request, urlopen

from flask import Flask
from playwright.sync_api import Browser, sync_playwright
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from directory import create_app
from directory.dataset.build import build_database
from directory.dataset.synthetic import write_synthetic_dataset
from directory.db import close_all
from directory.settings import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOST = "127.0.0.1"
#: Any host but 127.0.0.1 fails to resolve, so tiles fail at once and nothing leaves the
#: machine, without Playwright intercepting (and slowing) every request.
OFFLINE_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
#: Every request not addressed to the local server (the tiles) is aborted.
NOT_LOCAL = re.compile(r"^(?!https?://127\.0\.0\.1[:/])")
#: Sums what the marker pane draws: each group's count, plus one per single marker.
DRAWN_COUNT_JS = """() => {
  const pane = document.querySelector(".leaflet-marker-pane");
  let total = pane.querySelectorAll(".kt-marker").length;
  for (const group of pane.querySelectorAll(".kt-cluster [data-count]")) {
    total += parseInt(group.dataset.count, 10);
  }
  return total;
}"""
DEFAULT_SIZES = (1_000, 10_000, 100_000)
_CONFIG = re.compile(rb'<script type="application/json" id="map-config">(.*?)</script>', re.S)


class _QuietHandler(WSGIRequestHandler):
    """Werkzeug's handler without a log line per request."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Log nothing."""


def serve(app: Flask) -> tuple[str, BaseWSGIServer]:
    """Start ``app`` on a free port of 127.0.0.1 in a thread; returns (base URL, server)."""
    server = make_server(LOCAL_HOST, 0, app, threaded=True, request_handler=_QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://{LOCAL_HOST}:{server.server_port}", server


def launch_chromium(playwright: Any) -> Browser:
    """Debian's headless Chromium; Playwright never downloads a browser here."""
    browser: Browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS + OFFLINE_ARGS
    )
    return browser


def synthetic_database(work: Path, size: int, rebuild: bool = False) -> Path:
    """The built database of ``size`` synthetic providers under ``work`` (reused if there)."""
    target = work / f"synthetic-{size}.db"
    if target.exists() and not rebuild:
        return target
    folder = work / f"synthetic-{size}"
    if folder.exists():
        shutil.rmtree(folder)
    write_synthetic_dataset(folder, size, PROJECT_ROOT / "data" / "jurisdictions")
    build_database(folder, target)
    shutil.rmtree(folder)
    return target


@contextmanager
def served(database: Path, work: Path) -> Iterator[str]:
    """The app over ``database`` on 127.0.0.1, for the length of the block."""
    app = create_app(
        {
            "DATABASE": str(database),
            "GAZETTEER": str(work / "gazetteer.db"),
            "SECRET_KEY": "benchmark",
        }
    )
    url, server = serve(app)
    try:
        yield url
    finally:
        server.shutdown()
        close_all()


def _get(url: str) -> tuple[int, bytes, float]:
    """GET ``url`` accepting gzip, as a browser does: (bytes as sent, body, seconds)."""
    started = time.perf_counter()
    with urlopen(Request(url, headers={"Accept-Encoding": "gzip"}), timeout=300) as response:
        sent: bytes = response.read()
        packed = response.headers.get("Content-Encoding") == "gzip"
    elapsed = time.perf_counter() - started
    return len(sent), (gzip.decompress(sent) if packed else sent), elapsed


def page_bytes(base_url: str) -> dict[str, Any]:
    """The map page and its points payload: bytes as sent (gzipped) and the point count."""
    html_sent, html, _ = _get(f"{base_url}/map")
    match = _CONFIG.search(html)
    if match is None:
        raise RuntimeError("the map page has no map config")
    points_url = base_url + json.loads(match.group(1))["pointsUrl"]
    points_sent, points, seconds = _get(points_url)
    return {
        "points_cold_ms": round(seconds * 1000, 1),
        "html_bytes": html_sent,
        "points_bytes": points_sent,
        "points_raw_bytes": len(points),
        "points": json.loads(points)["count"],
        "points_url": points_url,
    }


def cold_load(browser: Browser, url: str) -> dict[str, Any]:
    """Load ``url`` in a fresh context; time to everything drawn, and bytes on the wire."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sizes: list[Any] = []
    page.on("requestfinished", lambda request: sizes.append(request.sizes()))
    page.goto(url)
    page.wait_for_selector("html[data-map-ready]", state="attached", timeout=600_000)
    if page.get_attribute("html", "data-map-ready") != "1":
        raise RuntimeError(page.inner_text("#map-status"))
    ready_ms: float = page.evaluate("window.mapState.readyAt")
    drawn: int = page.evaluate(DRAWN_COUNT_JS)
    context.close()
    return {
        "draw_ms": ready_ms,
        "drawn": drawn,
        "transferred_bytes": sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes),
    }


def measure(browser: Browser, base_url: str, runs: int) -> dict[str, Any]:
    """Bytes and median draw time of ``/map`` on the running server."""
    sent = page_bytes(base_url)
    loads = [cold_load(browser, f"{base_url}/map") for _ in range(runs)]
    server_ms = [_get(sent["points_url"])[2] * 1000 for _ in range(runs)]
    if any(load["drawn"] != sent["points"] for load in loads):
        raise RuntimeError(f"drawn {[load['drawn'] for load in loads]} of {sent['points']}")
    return {
        "points": sent["points"],
        "html_bytes": sent["html_bytes"],
        "points_bytes": sent["points_bytes"],
        "points_raw_bytes": sent["points_raw_bytes"],
        "page_bytes": sent["html_bytes"] + sent["points_bytes"],
        "transferred_bytes": max(load["transferred_bytes"] for load in loads),
        "draw_ms_median": round(statistics.median(load["draw_ms"] for load in loads), 1),
        "draw_ms_runs": [round(load["draw_ms"], 1) for load in loads],
        "points_cold_ms": sent["points_cold_ms"],
        "points_ms_median": round(statistics.median(server_ms), 1),
    }


def run(sizes: Sequence[int], runs: int, work: Path, rebuild: bool = False) -> list[dict[str, Any]]:
    """Build, serve and measure each size in turn."""
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            for size in sizes:
                started = time.perf_counter()
                database = synthetic_database(work, size, rebuild)
                build_s = time.perf_counter() - started
                with served(database, work) as url:
                    row = {"providers": size} | measure(browser, url, runs)
                # Draw times scale with how busy the machine is; say how busy it was.
                load = round(os.getloadavg()[0], 2)
                rows.append(row | {"build_s": round(build_s, 1), "runs": runs, "load_1min": load})
        finally:
            browser.close()
    return rows


def _kb(value: int) -> str:
    return f"{value / 1024:,.0f} KB"


def table(rows: Sequence[dict[str, Any]]) -> str:
    """The figures as a plain-text table."""
    header = (
        f"{'providers':>10} {'on map':>8} {'page+points':>12} {'points raw':>11} "
        f"{'all sent':>9} {'draw ms':>8} {'points ms (first, cached)':>26} {'load':>5}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(
            f"{row['providers']:>10,} {row['points']:>8,} {_kb(row['page_bytes']):>12} "
            f"{_kb(row['points_raw_bytes']):>11} {_kb(row['transferred_bytes']):>9} "
            f"{row['draw_ms_median']:>8,.0f} "
            f"{row['points_cold_ms']:>18,.0f}, {row['points_ms_median']:>5,.0f} "
            f"{row['load_1min']:>5.1f}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Parse the flags, run, print the table and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default=",".join(str(size) for size in DEFAULT_SIZES),
        help="synthetic dataset sizes, comma-separated (default: %(default)s)",
    )
    parser.add_argument("--runs", type=int, default=5, help="cold loads per size (median)")
    parser.add_argument(
        "--work",
        type=Path,
        help="keep the built synthetic databases here and reuse them (default: a temporary folder)",
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild databases in --work")
    parser.add_argument(
        "--json",
        type=Path,
        default=PROJECT_ROOT / "bench-results" / "map-bench.json",
        help="where to write the figures (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    if args.work is not None:
        rows = run(sizes, args.runs, args.work, args.rebuild)
    else:
        with tempfile.TemporaryDirectory(prefix="bench-map-") as scratch:
            rows = run(sizes, args.runs, Path(scratch))
    print(table(rows))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json}")
    return rows


if __name__ == "__main__":
    main()
