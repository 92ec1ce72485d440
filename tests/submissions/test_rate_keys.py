"""The rate limits' keys live outside the queue database: derived from the instance secret
and the day, never stored; old attempts of every bucket are purged."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from directory.submissions import accounts, ratelimit, store
from tests.submissions.helpers import PASSWORD, csrf_from

NOON = dt.datetime(2026, 3, 5, 12, tzinfo=dt.UTC)


def _queue() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:", isolation_level=None)
    connection.executescript(ratelimit.SCHEMA)
    return connection


def test_no_key_is_stored_and_the_secret_is_needed_to_match(tmp_path: Path) -> None:
    connection = _queue()
    for _ in range(3):
        ratelimit.attempt(connection, b"secret one", "submit", "192.0.2.7", 10, now=NOON)
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert tables == {"rate_hits", "rate_hits_lookup"}
    # Without the secret the hashes say nothing: another secret finds no attempts at all.
    assert not ratelimit.blocked(connection, b"secret two", "submit", "192.0.2.7", 1, now=NOON)
    assert ratelimit.blocked(connection, b"secret one", "submit", "192.0.2.7", 3, now=NOON)


def test_keys_change_every_day() -> None:
    today = ratelimit.day_key(b"s", NOON.date())
    assert today != ratelimit.day_key(b"s", NOON.date() + dt.timedelta(days=1))
    assert today == ratelimit.day_key(b"s", NOON.date())
    with pytest.raises(ValueError, match="instance secret"):
        ratelimit.day_key(b"", NOON.date())


def test_old_attempts_of_every_bucket_are_purged() -> None:
    connection = _queue()
    for bucket in ("login-client", "login-name", "submit"):
        ratelimit.record(connection, b"s", bucket, "198.51.100.1", now=NOON)
    next_day = NOON + dt.timedelta(days=1, minutes=1)
    ratelimit.record(connection, b"s", "login-client", "203.0.113.9", now=next_day)
    rows = connection.execute("SELECT bucket, at FROM rate_hits").fetchall()
    assert rows == [("login-client", next_day.timestamp())]


def test_an_old_queue_loses_its_stored_keys(tmp_path: Path) -> None:
    path = tmp_path / "submissions.db"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE rate_keys (day TEXT PRIMARY KEY, key BLOB NOT NULL)")
    old.execute("INSERT INTO rate_keys VALUES ('2026-03-05', x'00112233')")
    old.commit()
    old.close()
    with store.open_store(path) as connection:
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert "rate_keys" not in names


def test_logins_are_limited_with_the_apps_secret(
    client: FlaskClient, maintainer: str, queue_path: Path
) -> None:
    token = csrf_from(client.get("/maintainers/login"))
    form = {"name": "alice", "password": "wrong", "csrf_token": token}
    assert client.post("/maintainers/login", data=form).status_code == 401
    with store.open_store(queue_path) as connection:
        hits = connection.execute("SELECT count(*) FROM rate_hits").fetchone()[0]
        assert hits == 2  # per client and per account, under the secret-derived key
        assert accounts.attempt_login(connection, b"test", "alice", PASSWORD, "x", 10).maintainer
