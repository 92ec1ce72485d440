"""The one owner of database connections: a read-only connection per worker thread.

The built database is never modified in place; a rebuild renames a new file over it. A
connection is therefore opened with ``immutable=1`` (no locking, no change checks) and
reused across requests until the file's identity (inode, size, mtime) changes, at which
point the next request opens the new file. A rebuild is served without a restart.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import click
from flask import Flask, current_app

from directory.dataset.layout import EXPECTED_TABLES, SCHEMA_VERSION

log = logging.getLogger(__name__)

MMAP_BYTES = 1 << 30
# How many SQLite VM steps between checks of the time budget (about a millisecond).
PROGRESS_STEPS = 20_000


class DatabaseUnavailable(Exception):
    """The built database is missing or unreadable."""


class QueryTooExpensive(Exception):
    """A query ran past the request's time budget and was interrupted."""


@dataclass
class _Cached:
    identity: tuple[int, int, int]
    connection: sqlite3.Connection


_local = threading.local()


def database_identity(path: Path) -> tuple[int, int, int]:
    """The file at ``path`` as (inode, size, modification time): it changes when the file is
    replaced or written to. Raises :class:`DatabaseUnavailable` when there is no file."""
    return _identity(path)


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
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise DatabaseUnavailable(f"The database {path} is unreadable: {exc}") from exc
    missing = EXPECTED_TABLES - tables
    if missing:
        connection.close()
        raise DatabaseUnavailable(
            f"The database {path} is incomplete (missing {', '.join(sorted(missing))}); rebuild it"
        )
    if version != SCHEMA_VERSION:
        connection.close()
        raise DatabaseUnavailable(
            f"The database {path} has schema version {version}, this app reads version "
            f"{SCHEMA_VERSION}; rebuild it with ./scripts/build"
        )
    return connection


def _over_budget() -> int:
    """SQLite's progress handler: non-zero interrupts the running statement."""
    deadline: float | None = getattr(_local, "deadline", None)
    return int(deadline is not None and time.monotonic() > deadline)


def start_budget(seconds: float) -> None:
    """Give this thread's queries ``seconds`` from now before they are interrupted."""
    _local.deadline = time.monotonic() + seconds


def end_budget() -> None:
    """Lift this thread's query time budget."""
    _local.deadline = None


def connect(path: Path) -> sqlite3.Connection:
    """This thread's connection to ``path``, reopened when the file has been replaced."""
    identity = _identity(path)
    cache: dict[Path, _Cached] = _local.__dict__.setdefault("connections", {})
    cached = cache.get(path)
    if cached is not None and cached.identity == identity:
        return cached.connection
    connection = open_readonly(path)
    connection.set_progress_handler(_over_budget, PROGRESS_STEPS)
    if cached is not None:
        cached.connection.close()
    cache[path] = _Cached(identity, connection)
    return connection


def get_db() -> sqlite3.Connection:
    """The current app's database connection; raises :class:`DatabaseUnavailable`."""
    return connect(_as_path(current_app.config["DATABASE"]))


@lru_cache(maxsize=16)
def _as_path(setting: str) -> Path:
    return Path(setting)


def interrupted(error: sqlite3.OperationalError) -> bool:
    """Whether ``error`` is SQLite stopping a statement that ran past its budget."""
    return "interrupted" in str(error)


def close_all() -> None:
    """Close this thread's cached connections (used by tests and on shutdown)."""
    cache: dict[Path, _Cached] = _local.__dict__.get("connections", {})
    for cached in cache.values():
        cached.connection.close()
    cache.clear()


def check_database(path: Path) -> str | None:
    """A one-line description of what is wrong with the database at ``path``, or None."""
    try:
        _identity(path)
        open_readonly(path).close()
    except DatabaseUnavailable as problem:
        return str(problem)
    return None


def init_app(app: Flask) -> None:
    """Create the instance folder, say clearly at start-up if the database is unusable,
    and bound every request's queries in time."""
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    problem = check_database(Path(app.config["DATABASE"]))
    # One clear line, not a traceback: the app still starts and /healthz answers 503. A
    # command (``flask --app directory build``) says for itself what it does about it.
    if problem and click.get_current_context(silent=True) is None:
        log.error("%s", problem)
    budget = float(app.config["QUERY_BUDGET_SECONDS"])
    app.before_request(lambda: start_budget(budget))
    app.teardown_request(lambda _error: end_budget())
