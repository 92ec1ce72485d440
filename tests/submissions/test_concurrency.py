"""200 suggestions sent in parallel to a real gunicorn server (two worker processes writing
to one queue) are all in the queue afterwards, each with its own reference."""

from __future__ import annotations

import html
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from directory.submissions import store
from tests.submissions.helpers import suggestion

SUGGESTIONS = 200
CLIENTS = 16
START_TIMEOUT = 60.0
REQUEST_TIMEOUT = 30.0
GUNICORN = Path(sys.executable).with_name("gunicorn")
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(
    dataset_dir: Path, database: Path, gazetteer: Path, queue_path: Path, tmp_path: Path
) -> Iterator[str]:
    """gunicorn with two workers on a free port, over the test's dataset and queue."""
    port = _free_port()
    env = {
        **os.environ,
        "DIRECTORY_DATA_DIR": str(dataset_dir),
        "DIRECTORY_DATABASE": str(database),
        "DIRECTORY_GAZETTEER": str(gazetteer),
        "DIRECTORY_SUBMISSIONS_DATABASE": str(queue_path),
        "DIRECTORY_SECRET_KEY": "concurrency-test",
        "DIRECTORY_SECURE_COOKIES": "false",  # plain HTTP on 127.0.0.1
        "DIRECTORY_SUBMIT_LIMIT_PER_HOUR": str(SUGGESTIONS * 2),
    }
    log = (tmp_path / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "directory:create_app()",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start: {(tmp_path / 'gunicorn.log').read_text()}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def _send(base: str, number: int) -> str:
    """One person: open the form (for a session and its token), send it, return the reference."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    url = base + "/providers/harbor-ketamine-austin/suggest"
    with opener.open(url, timeout=REQUEST_TIMEOUT) as response:
        match = TOKEN.search(response.read().decode("utf-8"))
    assert match, "no CSRF token"
    form = suggestion(field="other", proposed=f"Suggestion number {number}")
    form["csrf_token"] = html.unescape(match.group(1))
    body = urllib.parse.urlencode(form).encode()
    with opener.open(url, data=body, timeout=REQUEST_TIMEOUT) as response:
        final = response.geturl()  # the 303 is followed to the status page
        assert response.status == 200
    found = re.search(r"/submissions/(KT-[0-9A-Z]{10})", final)
    assert found, final
    return found.group(1)


def test_parallel_suggestions_all_reach_the_queue(server: str, queue_path: Path) -> None:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        refs = list(pool.map(lambda n: _send(server, n), range(SUGGESTIONS), timeout=300))
    elapsed = time.perf_counter() - started
    with store.open_store(queue_path) as connection:
        stored = store.list_pending(connection, limit=SUGGESTIONS * 2)
    assert len(refs) == len(set(refs)) == SUGGESTIONS
    assert {s.ref for s in stored} == set(refs)
    proposed = {s.payload["proposed"] for s in stored}
    assert proposed == {f"Suggestion number {n}" for n in range(SUGGESTIONS)}
    print(
        f"\n{SUGGESTIONS} sent, {len(stored)} stored, {elapsed:.2f} s "
        f"({CLIENTS} clients, 2 gunicorn workers)"
    )
