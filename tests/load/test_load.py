"""A bounded load test against gunicorn on 127.0.0.1: 5,000 mixed requests from 50
concurrent clients (searches, pages, the map, exports and submissions) finish with no error,
every submission is stored, and the access log holds no query string or client address."""

from __future__ import annotations

import html
import http.cookiejar
import random
import re
import sqlite3
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from directory.dataset.build import build_database
from tests.builders import write_dataset
from tests.seed import SEED_JURISDICTIONS, SEED_PROVIDERS
from tests.servers import gunicorn

CLIENTS = 50
REQUESTS = 5_000
DEADLINE_SECONDS = 300
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
PLACES = ["Austin, TX", "78701", "Toronto", "London, UK", "Portland, OR", "30.27,-97.74", "Waco"]
PROVIDERS = [p["id"] for p in SEED_PROVIDERS if p.get("status") != "closed"]


class Client:
    """One person's browser: its own cookies, a connection per request."""

    def __init__(self, base: str, rng: random.Random) -> None:
        self.base = base
        self.rng = rng
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.sent: Counter[str] = Counter()
        self.errors: list[str] = []
        self.refs: list[str] = []

    def get(self, path: str, kind: str) -> str:
        self.sent[kind] += 1
        try:
            with self.opener.open(self.base + path, timeout=30) as response:
                body = response.read().decode("utf-8", "replace")
                if response.status != 200:
                    self.errors.append(f"{response.status} {path}")
                return body
        except (urllib.error.URLError, OSError) as error:
            self.errors.append(f"{error} {path}")
            return ""

    def place(self) -> str:
        return urllib.parse.quote(self.rng.choice(PLACES))

    def submit(self) -> None:
        provider = self.rng.choice(PROVIDERS)
        url = f"/providers/{provider}/suggest"
        form = TOKEN.search(self.get(url + "?field=other", "submission form"))
        if not form:
            self.errors.append(f"no CSRF token on {url}")
            return
        body = urllib.parse.urlencode(
            {
                "field": "other",
                "proposed": f"Load test {self.rng.random()}",
                "explanation": "Sent by the load test.",
                "source_url": "https://clinic.example.org/contact",
                "csrf_token": html.unescape(form.group(1)),
            }
        ).encode()
        self.sent["submission"] += 1
        try:
            with self.opener.open(self.base + url, data=body, timeout=30) as response:
                found = re.search(r"/submissions/(KT-[0-9A-Z]{10})", response.geturl())
                if response.status != 200 or not found:
                    self.errors.append(f"{response.status} {url}")
                else:
                    self.refs.append(found.group(1))
        except (urllib.error.URLError, OSError) as error:
            self.errors.append(f"{error} POST {url}")

    def one(self) -> None:
        """One action, drawn with the weights of a realistic mix."""
        actions: list[tuple[int, Callable[[], object]]] = [
            (30, lambda: self.get(f"/api/providers?near={self.place()}&radius=200", "api search")),
            (15, lambda: self.get(f"/providers?near={self.place()}", "search page")),
            (15, lambda: self.get(f"/providers/{self.rng.choice(PROVIDERS)}", "provider page")),
            (5, lambda: self.get("/regions/US-TX", "region page")),
            (8, lambda: self.get(f"/map?near={self.place()}", "map page")),
            (7, lambda: self.get(f"/map/points.json?near={self.place()}", "map points")),
            (5, lambda: self.get(f"/api/providers.csv?near={self.place()}", "csv export")),
            (5, lambda: self.get("/api/providers.geojson", "geojson export")),
            (5, self.submit),
        ]
        weights, calls = zip(*actions, strict=True)
        self.rng.choices(calls, weights)[0]()


def test_mixed_load_has_no_errors_and_loses_no_submission(tmp_path: Path, gazetteer: Path) -> None:
    data = write_dataset(tmp_path / "data", SEED_PROVIDERS, SEED_JURISDICTIONS)
    database = tmp_path / "instance" / "directory.db"
    build_database(data, database)
    queue = tmp_path / "instance" / "submissions.db"
    log = tmp_path / "gunicorn.log"
    settings = {
        "DATA_DIR": str(data),
        "DATABASE": str(database),
        "GAZETTEER": str(gazetteer),
        "SUBMISSIONS_DATABASE": str(queue),
        "SECRET_KEY": "load-test",
        "SECURE_COOKIES": "false",  # plain HTTP on 127.0.0.1
        "SUBMIT_LIMIT_PER_HOUR": "100000",
    }
    clients: list[Client] = []
    with gunicorn(settings, workers=2, log=log) as base:
        clients = [Client(base, random.Random(n)) for n in range(CLIENTS)]
        started = time.monotonic()

        def run(client: Client) -> None:
            while sum(client.sent.values()) < REQUESTS // CLIENTS:
                if time.monotonic() - started > DEADLINE_SECONDS:
                    client.errors.append("deadline reached")
                    return
                client.one()

        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            list(pool.map(run, clients, timeout=DEADLINE_SECONDS + 60))
        elapsed = time.monotonic() - started

    sent = sum((client.sent for client in clients), Counter())
    errors = [error for client in clients for error in client.errors]
    refs = [ref for client in clients for ref in client.refs]
    with sqlite3.connect(queue) as connection:
        stored = {row[0] for row in connection.execute("SELECT ref FROM submissions")}
    print(
        f"\n{sum(sent.values())} requests in {elapsed:.1f} s "
        f"({sum(sent.values()) / elapsed:.0f}/s, {CLIENTS} clients): {dict(sent)}; "
        f"{len(errors)} errors; {len(refs)} submissions sent, {len(stored)} stored"
    )
    assert sum(sent.values()) >= REQUESTS
    assert errors == []
    assert refs and set(refs) <= stored and len(set(refs)) == len(refs)

    access = [line for line in log.read_text(errors="replace").splitlines() if '"GET ' in line]
    assert len(access) >= REQUESTS * 0.9
    assert not [line for line in access if "?" in line or "near=" in line or "127.0.0.1" in line]
