"""Several app instances behind a real nginx, sharing one read-only database file."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from directory.dataset.build import build_database
from directory.deploy.nginx import WRITER_ROUTES, render_nginx_config
from directory.settings import PROJECT_ROOT
from tests.builders import make_provider, write_dataset
from tests.seed import SEED_JURISDICTIONS, SEED_PROVIDERS
from tests.servers import free_port, gunicorn, nginx

pytestmark = pytest.mark.skipif(
    shutil.which("nginx") is None and not os.environ.get("CI"),
    reason="nginx is not installed (./scripts/test installs it)",
)


@dataclass
class Cluster:
    base: str
    data: Path
    database: Path
    logs: list[Path]


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


def _hits(log: Path, path: str) -> int:
    return sum(1 for line in log.read_text(errors="replace").splitlines() if f" {path}" in line)


@pytest.fixture
def cluster(tmp_path: Path, gazetteer: Path) -> Iterator[Cluster]:
    data = write_dataset(tmp_path / "data", SEED_PROVIDERS, SEED_JURISDICTIONS)
    database = tmp_path / "shared" / "directory.db"
    build_database(data, database)
    settings = {"DATABASE": str(database), "GAZETTEER": str(gazetteer), "DATA_DIR": str(data)}
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    with ExitStack() as stack:
        bases = [
            stack.enter_context(gunicorn(settings, workers=1, log=log)).removeprefix("http://")
            for log in logs
        ]
        port = free_port()
        config = render_nginx_config(
            listen=f"127.0.0.1:{port}",
            readers=bases,
            writer=bases[0],
            static_root=PROJECT_ROOT / "directory" / "static",
            work_dir=tmp_path / "nginx",
            run_as_root=os.geteuid() == 0,
        )
        base = stack.enter_context(nginx(config, tmp_path / "nginx", port))
        yield Cluster(base, data, database, logs)


def test_reads_are_shared_and_a_rebuild_reaches_every_instance(cluster: Cluster) -> None:
    for _ in range(40):
        status, body = _get(f"{cluster.base}/api/providers?near=Austin,%20TX")
        assert status == 200 and json.loads(body)["total"] == 2
    assert all(_hits(log, "/api/providers") > 0 for log in cluster.logs)  # both served

    before = json.loads(_get(f"{cluster.base}/healthz")[1])["dataset"]["dataset_version"]
    extra = make_provider(id="new-austin-clinic", name="New Austin Clinic")
    write_dataset(cluster.data, [extra], SEED_JURISDICTIONS)
    build_database(cluster.data, cluster.database)
    versions = {
        json.loads(_get(f"{cluster.base}/healthz")[1])["dataset"]["dataset_version"]
        for _ in range(10)
    }
    assert versions and before not in versions and len(versions) == 1


def test_static_files_come_from_nginx(cluster: Cluster) -> None:
    status, body = _get(f"{cluster.base}/static/css/site.css")
    assert status == 200 and body
    assert all(_hits(log, "/static/css/site.css") == 0 for log in cluster.logs)


@pytest.mark.parametrize(
    ("path", "mimetype"),
    [("/static/css/site.css", "text/css"), ("/static/js/locate.js", "application/javascript")],
)
def test_static_files_carry_their_type_and_the_apps_headers(
    cluster: Cluster, path: str, mimetype: str
) -> None:
    with urllib.request.urlopen(cluster.base + path, timeout=10) as response:
        headers = response.headers
    assert headers.get_content_type() == mimetype
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "default-src 'none'" in headers["Content-Security-Policy"]


def test_pages_through_nginx_are_styled_in_chromium(cluster: Cluster, browser: Browser) -> None:
    page = browser.new_page()
    try:
        page.goto(f"{cluster.base}/providers?near=Austin,%20TX")
        rules = page.evaluate(
            "() => [...document.styleSheets].reduce((n, s) => n + s.cssRules.length, 0)"
        )
        skip_link = page.eval_on_selector(".skip-link", "el => getComputedStyle(el).position")
    finally:
        page.close()
    assert rules > 10  # the stylesheet was applied, not dropped as text/plain
    assert skip_link == "absolute"  # a rule of site.css in force (browsers default to static)


def test_writes_go_to_the_writer_only(cluster: Cluster) -> None:
    for path in ("/review/", "/providers/new", "/providers/x/suggest", "/submissions/ABC"):
        # A 404 or a redirect to the login is fine: what matters is which instance answered.
        with contextlib.suppress(urllib.error.HTTPError):
            _get(cluster.base + path)
        assert _hits(cluster.logs[1], path) == 0


def test_a_dead_instance_is_routed_around(cluster: Cluster) -> None:
    pid_line = [
        line
        for line in cluster.logs[1].read_text().splitlines()
        if "Booting worker with pid" in line
    ]
    assert pid_line
    os.kill(int(pid_line[0].rsplit(" ", 1)[-1]), signal.SIGKILL)  # a worker dies mid-service
    statuses = [_get(f"{cluster.base}/api/providers?q=clinic")[0] for _ in range(30)]
    assert statuses == [200] * 30


def test_a_failed_reader_leaves_no_search_or_address_in_the_error_log(cluster: Cluster) -> None:
    # Stop the second instance altogether: nginx's connections to it are refused, and it
    # would write each one, with the client's address and the request line, to its error log.
    processes = re.findall(
        r"\[(\d+)\] \[INFO\] (?:Starting gunicorn|Booting worker)", cluster.logs[1].read_text()
    )
    assert processes
    for pid in processes:
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(pid), signal.SIGKILL)
    statuses = [_get(f"{cluster.base}/api/providers?q=clinic")[0] for _ in range(10)]
    assert statuses == [200] * 10  # the other reader answered every one
    error_log = (cluster.data.parent / "nginx" / "error.log").read_text(errors="replace")
    assert "q=clinic" not in error_log
    assert "client:" not in error_log


@pytest.mark.parametrize(
    ("path", "writes"),
    [
        ("/providers/new", True),
        ("/providers/austin-harbor-infusions/suggest", True),
        ("/submissions/K7Q2", True),
        ("/review/queue", True),
        ("/maintainers/login", True),
        ("/providers", False),
        ("/providers/austin-harbor-infusions", False),
        ("/api/providers", False),
    ],
)
def test_writer_routes(path: str, writes: bool) -> None:
    assert bool(re.match(WRITER_ROUTES, path)) is writes
