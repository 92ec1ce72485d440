"""Rate limits per client that never store a client's address.

A client is counted under a keyed hash (HMAC-SHA256) of its address. The key is random,
kept in the queue database and replaced every UTC day; keys older than yesterday are
deleted, so yesterday's hashes cannot be linked to an address even by someone holding the
database. Attempts older than the window are deleted as new ones arrive. Being in SQLite,
the counts are shared by every worker process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import sqlite3

from directory.submissions.txn import transaction

SCHEMA = """
CREATE TABLE IF NOT EXISTS rate_keys (
    day TEXT PRIMARY KEY,
    key BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS rate_hits (
    bucket TEXT NOT NULL,
    client TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS rate_hits_lookup ON rate_hits (bucket, client, at);
"""

HOUR = 3600.0


def _keys(connection: sqlite3.Connection, now: dt.datetime) -> list[bytes]:
    """Today's key (created if missing) and yesterday's, if any; older keys are deleted."""
    today = now.date().isoformat()
    yesterday = (now.date() - dt.timedelta(days=1)).isoformat()
    connection.execute("DELETE FROM rate_keys WHERE day < ?", [yesterday])
    connection.execute(
        "INSERT OR IGNORE INTO rate_keys (day, key) VALUES (?, ?)", [today, secrets.token_bytes(32)]
    )
    rows = connection.execute(
        "SELECT key FROM rate_keys WHERE day IN (?, ?) ORDER BY day DESC", [today, yesterday]
    )
    return [bytes(row[0]) for row in rows]


def _digest(key: bytes, identity: str) -> str:
    return hmac.new(key, identity.encode("utf-8", "replace"), hashlib.sha256).hexdigest()[:32]


def _count(connection: sqlite3.Connection, bucket: str, hashes: list[str], since: float) -> int:
    marks = ", ".join("?" for _ in hashes)
    row = connection.execute(
        f"SELECT count(*) FROM rate_hits WHERE bucket = ? AND client IN ({marks}) AND at >= ?",
        [bucket, *hashes, since],
    ).fetchone()
    return int(row[0])


def attempt(
    connection: sqlite3.Connection,
    bucket: str,
    identity: str,
    limit: int,
    window: float = HOUR,
    now: dt.datetime | None = None,
) -> bool:
    """Count one attempt by ``identity`` in ``bucket``; False (and not counted) if over ``limit``.

    >>> import sqlite3; c = sqlite3.connect(":memory:", isolation_level=None)
    >>> _ = c.executescript(SCHEMA)
    >>> [attempt(c, "form", "192.0.2.1", limit=2) for _ in range(3)]
    [True, True, False]
    """
    now = now or dt.datetime.now(dt.UTC)
    stamp = now.timestamp()
    with transaction(connection):
        connection.execute(
            "DELETE FROM rate_hits WHERE bucket = ? AND at < ?", [bucket, stamp - window]
        )
        hashes = [_digest(key, identity) for key in _keys(connection, now)]
        allowed = _count(connection, bucket, hashes, stamp - window) < limit
        if allowed:
            connection.execute(
                "INSERT INTO rate_hits (bucket, client, at) VALUES (?, ?, ?)",
                [bucket, hashes[0], stamp],
            )
    return allowed


def blocked(
    connection: sqlite3.Connection,
    bucket: str,
    identity: str,
    limit: int,
    window: float = HOUR,
    now: dt.datetime | None = None,
) -> bool:
    """Whether ``identity`` has already used up ``limit`` attempts in ``bucket``."""
    now = now or dt.datetime.now(dt.UTC)
    with transaction(connection):
        hashes = [_digest(key, identity) for key in _keys(connection, now)]
        count = _count(connection, bucket, hashes, now.timestamp() - window)
    return count >= limit


def clear(
    connection: sqlite3.Connection, bucket: str, identity: str, now: dt.datetime | None = None
) -> None:
    """Forget every attempt counted for ``identity`` in ``bucket``."""
    now = now or dt.datetime.now(dt.UTC)
    with transaction(connection):
        hashes = [_digest(key, identity) for key in _keys(connection, now)]
        marks = ", ".join("?" for _ in hashes)
        connection.execute(
            f"DELETE FROM rate_hits WHERE bucket = ? AND client IN ({marks})", [bucket, *hashes]
        )


def record(
    connection: sqlite3.Connection, bucket: str, identity: str, now: dt.datetime | None = None
) -> None:
    """Count one attempt (such as a failed login) without checking the limit."""
    now = now or dt.datetime.now(dt.UTC)
    with transaction(connection):
        keys = _keys(connection, now)
        connection.execute(
            "INSERT INTO rate_hits (bucket, client, at) VALUES (?, ?, ?)",
            [bucket, _digest(keys[0], identity), now.timestamp()],
        )
