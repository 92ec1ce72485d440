"""Fixtures for the geo tests: one gazetteer per session, geocoders, a fake Nominatim."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from directory.geo.gazetteer import Gazetteer
from directory.geo.offline import OfflineGeocoder

AUSTIN_ANSWER: dict[str, Any] = {
    "lat": "30.2711286",
    "lon": "-97.7436995",
    "display_name": "Austin, Travis County, Texas, United States",
    "type": "city",
    "class": "place",
    "addresstype": "city",
    "address": {"country_code": "us", "state": "Texas", "ISO3166-2-lvl4": "US-TX"},
}


@pytest.fixture(scope="session")
def gazetteer_path(gazetteer_file: Path) -> Path:
    """The gazetteer built from packaged data, once per test session (tests/conftest.py)."""
    return gazetteer_file


@pytest.fixture(scope="session")
def gazetteer(gazetteer_path: Path) -> Iterator[Gazetteer]:
    """A read-only gazetteer shared by the session."""
    with Gazetteer(gazetteer_path) as opened:
        yield opened


@pytest.fixture(scope="session")
def offline(gazetteer: Gazetteer) -> OfflineGeocoder:
    """The offline geocoder over the session gazetteer."""
    return OfflineGeocoder(gazetteer)


@dataclass
class FakeNominatim:
    """What the stand-in server answers, and what it was asked."""

    url: str
    status: int = 200
    answers: list[dict[str, Any]] = field(default_factory=lambda: [AUSTIN_ANSWER])
    requests: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
def fake_nominatim() -> Iterator[FakeNominatim]:
    """A local HTTP server on 127.0.0.1 answering ``/search`` like Nominatim."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    state = FakeNominatim(url=f"http://127.0.0.1:{server.server_address[1]}")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {key: values[0] for key, values in parse_qs(parts.query).items()}
            state.requests.append({"path": parts.path, "query": query, "headers": self.headers})
            if parts.path != "/search" or state.status != 200:
                self.send_error(state.status if state.status != 200 else 404)
                return
            body = json.dumps(state.answers).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output quiet."""

    server.RequestHandlerClass = Handler
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
