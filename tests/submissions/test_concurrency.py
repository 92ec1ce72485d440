"""200 suggestions sent in parallel to a real gunicorn server (two worker processes writing
to one queue) are all in the queue afterwards, each with its own reference."""

from __future__ import annotations

import html
import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from directory.submissions import store
from tests.servers import gunicorn
from tests.submissions.helpers import suggestion

SUGGESTIONS = 200
CLIENTS = 16
REQUEST_TIMEOUT = 30.0
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def server(
    dataset_dir: Path, database: Path, gazetteer: Path, queue_path: Path, tmp_path: Path
) -> Iterator[str]:
    """gunicorn with two workers on a free port, over the test's dataset and queue."""
    settings = {
        "DATA_DIR": str(dataset_dir),
        "DATABASE": str(database),
        "GAZETTEER": str(gazetteer),
        "SUBMISSIONS_DATABASE": str(queue_path),
        "SECRET_KEY": "concurrency-test",
        "SECURE_COOKIES": "false",  # plain HTTP on 127.0.0.1
        "SUBMIT_LIMIT_PER_HOUR": str(SUGGESTIONS * 2),
    }
    with gunicorn(settings, workers=2, log=tmp_path / "gunicorn.log") as base:
        yield base


def _send(base: str, number: int) -> str:
    """One person: open the form (for a session and its token), send it, return the reference."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    url = base + "/providers/harbor-ketamine-austin/suggest"
    with opener.open(url + "?field=other", timeout=REQUEST_TIMEOUT) as response:
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


def _first_use(path: str) -> str | None:
    """Open the queue at ``path`` once, as a worker's first form post does; the error if any."""
    try:
        store.connect(Path(path)).close()
    except Exception as error:  # reported to the test, which asserts there are none
        return repr(error)
    return None


def test_many_first_connections_at_once_all_open_the_queue(tmp_path: Path) -> None:
    """Worker processes that receive their first form posts together each create the queue:
    switching a new file to WAL needs a lock another holds, which once gave about one post in
    1,800 a 500. Here 16 first uses race for each of 60 new files (the bug failed 16 of them)."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(8) as pool:
        errors = [
            error
            for number in range(60)
            for error in pool.map(_first_use, [str(tmp_path / f"queue-{number}.db")] * 16)
            if error
        ]
    assert errors == []
