"""The peer's map: datasette-cluster-map drawing every location, timed in headless Chromium.

The plugin keeps its Leaflet map and marker-cluster layer in local variables, so an init
script catches Leaflet as it assigns ``window.L`` and registers a ``Map`` init hook that
remembers the map. The page is drawn when the cluster layer's tree holds every location
(the plugin fetches the table's JSON 1,000 rows at a time and adds each batch with
``chunkedLoading``), no zoom animation is running, and markers or clusters are in the DOM.
The plugin shows a "load all" button after the first 1,000 rows; it is clicked, in the
page, the moment it appears, as an impatient user would. Time is ``performance.now()`` at
that frame (milliseconds since navigation began), as our map's ``mapState.readyAt`` is.
Chromium, the viewport, the blocking of tiles (anything not addressed to 127.0.0.1) and the
count of bytes (every finished response's headers and encoded body) are those of
:mod:`bench.map_bench`, which measures our map, so both sides are measured
alike.
"""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass
from typing import Any

from bench.map_bench import NOT_LOCAL, launch_chromium

#: The same window as map_bench's cold loads.
VIEWPORT = {"width": 1280, "height": 900}
DRAW_TIMEOUT_MS = 120_000

#: Runs before any page script: catch Leaflet as it becomes ``window.L``, remember the map.
HOOK_LEAFLET = """
(() => {
  let leaflet;
  Object.defineProperty(window, "L", {
    configurable: true,
    get() { return leaflet; },
    set(value) {
      leaflet = value;
      if (value && value.Map && !value.__benchHooked) {
        value.__benchHooked = true;
        value.Map.addInitHook(function () { window.__benchMap = this; });
      }
    },
  });
})();
"""

#: Polled every animation frame: click "load all" once, then report when all is drawn.
DRAWN = """
(expected) => {
  const button = document.querySelector("button.cluster-map-button");
  if (button && button.textContent.trim() === "load all" && !window.__benchClicked) {
    window.__benchClicked = true;
    button.click();
  }
  const map = window.__benchMap;
  if (!map) return false;
  let group = null;
  map.eachLayer((layer) => { if (layer._topClusterLevel) group = layer; });
  if (!group || group._topClusterLevel.getChildCount() < expected) return false;
  if (group._inZoomAnimation || map._animatingZoom) return false;
  if (!document.querySelector(".leaflet-marker-icon")) return false;
  window.__benchDrawnAt = performance.now();
  window.__benchMarkers = group._topClusterLevel.getChildCount();
  return true;
}
"""


@dataclass(frozen=True)
class MapLoad:
    """One load of a map page, cold (a new browser context)."""

    bytes: int
    draw_ms: float
    markers: int
    requests: int
    blocked: int


def measure_once(browser: Any, url: str, expected: int) -> MapLoad:
    """Load ``url`` in a fresh context and time it until ``expected`` points are drawn."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.add_init_script(HOOK_LEAFLET)
        blocked: list[str] = []
        sizes: list[dict[str, int]] = []

        def _block(route: Any) -> None:
            blocked.append(route.request.url)
            route.abort()

        page.route(NOT_LOCAL, _block)
        page.on("requestfinished", lambda request: sizes.append(request.sizes()))
        page.goto(url, wait_until="commit")
        page.wait_for_function(DRAWN, arg=expected, polling="raf", timeout=DRAW_TIMEOUT_MS)
        draw_ms = float(page.evaluate("window.__benchDrawnAt"))
        markers = int(page.evaluate("window.__benchMarkers"))
        return MapLoad(
            bytes=sum(size["responseBodySize"] + size["responseHeadersSize"] for size in sizes),
            draw_ms=round(draw_ms, 1),
            markers=markers,
            requests=len(sizes),
            blocked=len(blocked),
        )
    finally:
        context.close()


def measure_cluster_map(url: str, expected: int, repeats: int = 3) -> dict[str, Any]:
    """The median draw time and bytes over ``repeats`` cold loads of a cluster-map page."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("the map is only ever loaded from this machine's loopback address")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            loads = [measure_once(browser, url, expected) for _ in range(max(1, repeats))]
        finally:
            browser.close()
    return {
        "url": url,
        "bytes": max(load.bytes for load in loads),
        "draw_ms": round(statistics.median(load.draw_ms for load in loads), 1),
        "loads": [asdict(load) for load in loads],
    }
