"""Behind the documented nginx, each client is rate-limited on its own address, and a client
that forges X-Forwarded-For is limited all the same (nginx replaces the header)."""

from __future__ import annotations

import functools
import http.client
import http.cookiejar
import os
import re
import shutil
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from directory.dataset.build import build_database
from directory.deploy.nginx import render_nginx_config
from directory.settings import PROJECT_ROOT
from tests.builders import write_dataset
from tests.seed import SEED_JURISDICTIONS, SEED_PROVIDERS
from tests.servers import free_port, gunicorn, nginx

pytestmark = pytest.mark.skipif(
    shutil.which("nginx") is None and not os.environ.get("CI"),
    reason="nginx is not installed (./scripts/test installs it)",
)

LIMIT = 2
SUGGEST = "/providers/austin-harbor-infusions/suggest"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class _FromAddress(urllib.request.HTTPHandler):
    """Connects from a chosen loopback address, so nginx sees distinct clients."""

    def __init__(self, address: str) -> None:
        super().__init__()
        self.address = address

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        connection = functools.partial(http.client.HTTPConnection, source_address=(self.address, 0))
        return self.do_open(connection, req)  # type: ignore[arg-type]


class Visitor:
    """A browser with its own cookies, connecting from ``address`` (127.0.0.x)."""

    def __init__(self, base: str, address: str) -> None:
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            _FromAddress(address), urllib.request.HTTPCookieProcessor(jar)
        )

    def suggest(self, name: str, headers: dict[str, str] | None = None) -> int:
        """Send one suggestion; the status of the answer (after the redirect)."""
        form = self.opener.open(self.base + SUGGEST + "?field=name", timeout=10).read().decode()
        match = _TOKEN.search(form)
        assert match, "the form has no CSRF token"
        body = urllib.parse.urlencode(
            {
                "csrf_token": match.group(1),
                "field": "name",
                "proposed": name,
                "explanation": "The clinic renamed itself.",
                "source_url": "https://clinic.example.org/about",
            }
        ).encode()
        request = urllib.request.Request(
            self.base + SUGGEST, data=body, headers=headers or {}, method="POST"
        )
        try:
            with self.opener.open(request, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)


@pytest.fixture
def behind_nginx(tmp_path: Path, gazetteer: Path) -> Iterator[str]:
    data = write_dataset(tmp_path / "data", SEED_PROVIDERS, SEED_JURISDICTIONS)
    database = tmp_path / "instance" / "directory.db"
    build_database(data, database)
    settings = {
        "DATABASE": str(database),
        "GAZETTEER": str(gazetteer),
        "DATA_DIR": str(data),
        "SUBMISSIONS_DATABASE": str(tmp_path / "instance" / "submissions.db"),
        "SUBMIT_LIMIT_PER_HOUR": str(LIMIT),
        "SECRET_KEY": "test-secret",
        "SECURE_COOKIES": "false",
        "TRUSTED_PROXIES": "1",
    }
    with ExitStack() as stack:
        app = stack.enter_context(gunicorn(settings, workers=1, log=tmp_path / "app.log"))
        address = app.removeprefix("http://")
        port = free_port()
        config = render_nginx_config(
            listen=f"127.0.0.1:{port}",
            readers=[address],
            writer=address,
            static_root=PROJECT_ROOT / "directory" / "static",
            work_dir=tmp_path / "nginx",
            run_as_root=os.geteuid() == 0,
        )
        yield stack.enter_context(nginx(config, tmp_path / "nginx", port))


def test_two_clients_are_limited_separately(behind_nginx: str) -> None:
    first, second = Visitor(behind_nginx, "127.0.0.2"), Visitor(behind_nginx, "127.0.0.3")
    assert [first.suggest(f"Name {n}") for n in range(LIMIT)] == [200] * LIMIT
    assert first.suggest("One too many") == 429
    assert second.suggest("Another visitor's name") == 200  # not shut out by the first


def test_a_forged_forwarded_address_does_not_escape_the_limit(behind_nginx: str) -> None:
    forger = Visitor(behind_nginx, "127.0.0.4")
    statuses = [
        forger.suggest(f"Forged {n}", headers={"X-Forwarded-For": f"203.0.113.{n}"})
        for n in range(LIMIT + 2)
    ]
    assert statuses == [200] * LIMIT + [429, 429]
