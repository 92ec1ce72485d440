"""The one owner of database connections: a read-only connection per worker thread.

The built database is never modified in place; a rebuild renames a new file over it. A
connection is therefore opened with ``immutable=1`` (no locking, no change checks) and
reused across requests until the file's identity (inode, size, mtime) changes, at which
point the next request opens the new file. A rebuild is served without a restart.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app

MMAP_BYTES = 1 << 30
EXPECTED_TABLES = frozenset({"meta", "providers", "locations", "jurisdictions", "treatments"})


class DatabaseUnavailable(Exception):
    """The built database is missing or unreadable."""


@dataclass
class _Cached:
    identity: tuple[int, int, int]
    connection: sqlite3.Connection


_local = threading.local()


def _identity(path: Path) -> tuple[int, int, int]:
    try:
        stat = os.stat(path)
    except FileNotFoundError as exc:
        raise DatabaseUnavailable(
            f"The database {path} does not exist; build it with ./scripts/build"
        ) from exc
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def open_readonly(path: Path) -> sqlite3.Connection:
    """Open ``path`` read-only and check it looks like a built directory database."""
    try:
        connection = sqlite3.connect(
            f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False
        )
        connection.row_factory = sqlite3.Row
        # The file never changes under a connection, so map it: reads become memory reads
        # shared between worker processes through the page cache.
        connection.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        raise DatabaseUnavailable(f"The database {path} is unreadable: {exc}") from exc
    missing = EXPECTED_TABLES - tables
    if missing:
        connection.close()
        raise DatabaseUnavailable(
            f"The database {path} is incomplete (missing {', '.join(sorted(missing))}); rebuild it"
        )
    return connection


def connect(path: Path) -> sqlite3.Connection:
    """This thread's connection to ``path``, reopened when the file has been replaced."""
    identity = _identity(path)
    cache: dict[Path, _Cached] = _local.__dict__.setdefault("connections", {})
    cached = cache.get(path)
    if cached is not None and cached.identity == identity:
        return cached.connection
    connection = open_readonly(path)
    if cached is not None:
        cached.connection.close()
    cache[path] = _Cached(identity, connection)
    return connection


def get_db() -> sqlite3.Connection:
    """The current app's database connection; raises :class:`DatabaseUnavailable`."""
    return connect(Path(current_app.config["DATABASE"]))


def close_all() -> None:
    """Close this thread's cached connections (used by tests and on shutdown)."""
    cache: dict[Path, _Cached] = _local.__dict__.get("connections", {})
    for cached in cache.values():
        cached.connection.close()
    cache.clear()


def init_app(app: Flask) -> None:
    """Make sure the instance folder, where the database lives by default, exists."""
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
