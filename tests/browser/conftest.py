"""Fixtures for the browser tests: the app in a real server on 127.0.0.1, and Chromium.

The server runs the seeded illustrative dataset (tests/seed.py) plus hostile names and a
provider at the very spot of another (:data:`EXTRA_PROVIDERS`), in
a werkzeug thread on a free port. Chromium is Debian's (/usr/bin/chromium), driven by
Playwright; no browser is ever downloaded. Every page records each request it makes and
aborts any that would leave 127.0.0.1 (map tiles included), so a test can check that the
map works offline and that nothing else tried to go out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Browser, ConsoleMessage, Page, Route

from bench.map_bench import NOT_LOCAL, serve
from directory import create_app
from directory.dataset.build import build_database
from directory.db import close_all
from tests.builders import make_location, make_provider, write_dataset
from tests.chromium import chromium_missing_reason
from tests.seed import SEED_JURISDICTIONS, SEED_PROVIDERS

#: Names that would run script if a popup or tooltip ever used innerHTML.
HOSTILE_NAME = '<img src=x onerror="window.__xss=1">Hostile & Co'
HOSTILE_SCRIPT = "</script><script>window.__xss=2</script>"
#: A provider with two sites, far from every other search the tests make.
TWO_SITE_ID = "two-site-clinic-england"
#: Hostile names, a twin of the Portland clinic at the very same coordinates, and a provider
#: with two sites (Brighton and Manchester).
EXTRA_PROVIDERS = [
    make_provider(
        id=TWO_SITE_ID,
        name="Two Site Clinic",
        locations=[
            make_location("Brighton", "GB-ENG", "GB", 50.8225, -0.1372),
            make_location("Manchester", "GB-ENG", "GB", 53.4808, -2.2426),
        ],
    ),
    make_provider(
        id="hostile-name-austin",
        name=HOSTILE_NAME,
        locations=[
            {
                "city": "Austin",
                "region": "US-TX",
                "country": "US",
                "latitude": 30.40,
                "longitude": -97.90,
                "precision": "address",
            }
        ],
    ),
    make_provider(
        id="portland-twin-clinic",
        name="Portland Twin Clinic",
        locations=[
            {
                "city": "Portland",
                "region": "US-OR",
                "country": "US",
                "latitude": 45.5152,
                "longitude": -122.6784,
                "precision": "address",
            }
        ],
    ),
    make_provider(
        id="hostile-script-austin",
        name=HOSTILE_SCRIPT,
        locations=[
            {
                "city": "Austin",
                "region": "US-TX",
                "country": "US",
                "latitude": 30.10,
                "longitude": -97.50,
                "precision": "address",
            }
        ],
    ),
]


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``browser`` marker."""
    config.addinivalue_line("markers", "browser: drives Debian's Chromium through Playwright")


@pytest.fixture(autouse=True)
def _needs_chromium(request: pytest.FixtureRequest) -> None:
    reason = chromium_missing_reason()
    if reason and request.node.get_closest_marker("browser"):
        pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_app(tmp_path_factory: pytest.TempPathFactory, gazetteer: Path) -> Iterator[Flask]:
    """An app over the seeded dataset plus :data:`EXTRA_PROVIDERS`."""
    root = tmp_path_factory.mktemp("browser")
    data = write_dataset(root / "data", SEED_PROVIDERS + EXTRA_PROVIDERS, SEED_JURISDICTIONS)
    database = root / "instance" / "directory.db"
    build_database(data, database)
    yield create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(data),
            "DATABASE": str(database),
            "GAZETTEER": str(gazetteer),
            "SECRET_KEY": "test",
        }
    )
    close_all()


@pytest.fixture(scope="session")
def live_server(browser_app: Flask) -> Iterator[str]:
    """The base URL of :func:`browser_app` served on 127.0.0.1."""
    url, server = serve(browser_app)
    yield url
    server.shutdown()


@dataclass
class Recorder:
    """What a page did: every request, the ones stopped, errors and console errors."""

    tile_host: str
    requests: list[str] = field(default_factory=list)
    blocked_tiles: list[str] = field(default_factory=list)
    blocked_other: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def route(self, route: Route) -> None:
        """Abort anything not for 127.0.0.1, sorting tiles from the rest."""
        url = route.request.url
        if urlsplit(url).hostname == self.tile_host:
            self.blocked_tiles.append(url)
        else:
            self.blocked_other.append(url)
        route.abort()

    def console(self, message: ConsoleMessage) -> None:
        """Keep console errors, except the failed loads of the tiles we blocked."""
        if message.type != "error":
            return
        source = message.location.get("url", "")
        blocked_tile = urlsplit(source).hostname == self.tile_host
        if blocked_tile and message.text.startswith("Failed to load resource"):
            return
        self.console_errors.append(f"{message.text} ({source})")

    def attach(self, page: Page) -> None:
        """Start recording ``page``."""
        page.route(NOT_LOCAL, self.route)
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("console", self.console)


@pytest.fixture
def recorder(browser_app: Flask) -> Recorder:
    """A fresh :class:`Recorder` for the app's tile server."""
    return Recorder(tile_host=urlsplit(browser_app.config["TILE_URL"]).hostname or "")


@pytest.fixture
def page(browser: Browser, recorder: Recorder) -> Iterator[Page]:
    """A new page in its own context (no cache, no cookies), recorded by ``recorder``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    recorder.attach(tab)
    yield tab
    context.close()
