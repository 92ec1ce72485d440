"""Rate limits per client that never store a client's address.

A client is counted under a keyed hash (HMAC-SHA256) of its address. The key of each UTC
day is derived from the instance secret and the day, and is never stored: someone holding
the queue database alone cannot test an address against its hashes, and the day's key
changes at midnight (a hit is looked up under today's and yesterday's keys, so a window
spanning midnight still counts). Every attempt older than :data:`KEPT_SECONDS` is deleted
whenever an attempt is counted, whatever its bucket. Being in SQLite, the counts are shared
by every worker process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import sqlite3

from directory.submissions.txn import transaction

SCHEMA = """
DROP TABLE IF EXISTS rate_keys;
CREATE TABLE IF NOT EXISTS rate_hits (
    bucket TEXT NOT NULL,
    client TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS rate_hits_lookup ON rate_hits (bucket, client, at);
"""

HOUR = 3600.0
#: How long any counted attempt is kept: longer than every window the app uses.
KEPT_SECONDS = 24 * HOUR


def day_key(secret: bytes, day: dt.date) -> bytes:
    """The key of ``day``, derived from the instance secret (never stored)."""
    if not secret:
        raise ValueError("rate limits need the instance secret (SECRET_KEY)")
    return hmac.new(secret, b"rate-limit " + day.isoformat().encode(), hashlib.sha256).digest()


def _keys(secret: bytes, now: dt.datetime) -> list[bytes]:
    """Today's key and yesterday's."""
    today = now.date()
    return [day_key(secret, today), day_key(secret, today - dt.timedelta(days=1))]


def _purge(connection: sqlite3.Connection, stamp: float) -> None:
    connection.execute("DELETE FROM rate_hits WHERE at < ?", [stamp - KEPT_SECONDS])


def _digest(key: bytes, identity: str) -> str:
    return hmac.new(key, identity.encode("utf-8", "replace"), hashlib.sha256).hexdigest()[:32]


def _hashes(secret: bytes, identity: str, now: dt.datetime) -> list[str]:
    """``identity`` as today's key and yesterday's write it, today's first."""
    return [_digest(key, identity) for key in _keys(secret, now)]


def _count(connection: sqlite3.Connection, bucket: str, hashes: list[str], since: float) -> int:
    marks = ", ".join("?" for _ in hashes)
    row = connection.execute(
        f"SELECT count(*) FROM rate_hits WHERE bucket = ? AND client IN ({marks}) AND at >= ?",
        [bucket, *hashes, since],
    ).fetchone()
    return int(row[0])


def attempt(
    connection: sqlite3.Connection,
    secret: bytes,
    bucket: str,
    identity: str,
    limit: int,
    window: float = HOUR,
    now: dt.datetime | None = None,
) -> bool:
    """Count one attempt by ``identity`` in ``bucket``; False (and not counted) if over ``limit``.

    >>> import sqlite3; c = sqlite3.connect(":memory:", isolation_level=None)
    >>> _ = c.executescript(SCHEMA)
    >>> [attempt(c, b"instance secret", "form", "192.0.2.1", limit=2) for _ in range(3)]
    [True, True, False]
    """
    now = now or dt.datetime.now(dt.UTC)
    stamp = now.timestamp()
    with transaction(connection):
        _purge(connection, stamp)
        hashes = _hashes(secret, identity, now)
        allowed = _count(connection, bucket, hashes, stamp - window) < limit
        if allowed:
            connection.execute(
                "INSERT INTO rate_hits (bucket, client, at) VALUES (?, ?, ?)",
                [bucket, hashes[0], stamp],
            )
    return allowed


def blocked(
    connection: sqlite3.Connection,
    secret: bytes,
    bucket: str,
    identity: str,
    limit: int,
    window: float = HOUR,
    now: dt.datetime | None = None,
) -> bool:
    """Whether ``identity`` has already used up ``limit`` attempts in ``bucket``."""
    now = now or dt.datetime.now(dt.UTC)
    with transaction(connection):
        hashes = _hashes(secret, identity, now)
        count = _count(connection, bucket, hashes, now.timestamp() - window)
    return count >= limit


def clear(
    connection: sqlite3.Connection,
    secret: bytes,
    bucket: str,
    identity: str,
    now: dt.datetime | None = None,
) -> None:
    """Forget every attempt counted for ``identity`` in ``bucket``."""
    now = now or dt.datetime.now(dt.UTC)
    with transaction(connection):
        hashes = _hashes(secret, identity, now)
        marks = ", ".join("?" for _ in hashes)
        connection.execute(
            f"DELETE FROM rate_hits WHERE bucket = ? AND client IN ({marks})", [bucket, *hashes]
        )


def record(
    connection: sqlite3.Connection,
    secret: bytes,
    bucket: str,
    identity: str,
    now: dt.datetime | None = None,
) -> None:
    """Count one attempt (such as a failed login) without checking the limit."""
    now = now or dt.datetime.now(dt.UTC)
    with transaction(connection):
        _purge(connection, now.timestamp())
        keys = _keys(secret, now)
        connection.execute(
            "INSERT INTO rate_hits (bucket, client, at) VALUES (?, ?, ?)",
            [bucket, _digest(keys[0], identity), now.timestamp()],
        )
