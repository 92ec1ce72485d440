"""Is the served database readable all through? ``/healthz`` asks on every call.

Two probes: on every call, the first and last row of every table (their b-trees' edges,
a few pages each, well under a millisecond); and SQLite's ``quick_check`` of every page,
run once per database file (the served file never changes in place, so a result holds
until the file is replaced or touched) and again after :data:`FULL_CHECK_EVERY_SECONDS`.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from directory.db import database_identity, open_readonly

#: How long a full ``quick_check`` of one database file is trusted before it is run again.
FULL_CHECK_EVERY_SECONDS = 600.0

_lock = threading.Lock()
_full_checks: dict[tuple[Path, tuple[int, int, int]], tuple[float, str | None]] = {}


def edges_problem(db: sqlite3.Connection) -> str | None:
    """The first table whose first or last row cannot be read, in words; None if all can."""
    try:
        tables = list(
            db.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'"
            )
        )
        for table, sql in tables:
            quoted = _quoted(table)
            key = _key_columns(db, quoted) if "WITHOUT ROWID" in sql.upper() else ["rowid"]
            for order in ("ASC", "DESC"):
                by = ", ".join(f"{column} {order}" for column in key)
                db.execute(f"SELECT * FROM {quoted} ORDER BY {by} LIMIT 1").fetchall()
    except sqlite3.DatabaseError as error:
        return f"the database cannot be read ({error})"
    return None


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _key_columns(db: sqlite3.Connection, quoted_table: str) -> list[str]:
    """The primary key columns of a WITHOUT ROWID table, in key order (its b-tree's order)."""
    columns = [(row[5], row[1]) for row in db.execute(f"PRAGMA table_info({quoted_table})")]
    return [_quoted(name) for position, name in sorted(columns) if position > 0]


def full_check_problem(path: Path, now: float | None = None) -> str | None:
    """``quick_check`` of every page of ``path``, cached per file for a while."""
    now = time.monotonic() if now is None else now
    key = (path, database_identity(path))
    cached = _full_checks.get(key)
    if cached is not None and now - cached[0] < FULL_CHECK_EVERY_SECONDS:
        return cached[1]
    # One thread checks; the others answer at once with what is known (health checks must
    # keep answering while a large file is read through).
    if not _lock.acquire(blocking=False):
        return cached[1] if cached is not None else None
    try:
        problem = _quick_check(path)
        for old in [k for k in _full_checks if k[0] == path and k != key]:
            del _full_checks[old]  # a replaced file's result is of no more use
        _full_checks[key] = (now, problem)
        return problem
    finally:
        _lock.release()


def _quick_check(path: Path) -> str | None:
    # A connection of its own: no request time budget, nothing shared with a request.
    connection = open_readonly(path)
    try:
        rows = [row[0] for row in connection.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as error:
        return f"the database failed its integrity check ({error})"
    finally:
        connection.close()
    if rows != ["ok"]:
        return f"the database failed its integrity check ({rows[0]})"
    return None


def integrity_problem(db: sqlite3.Connection, path: Path) -> str | None:
    """The first problem either probe finds in the database ``db`` reads (the file at
    ``path``); None when it reads cleanly."""
    return edges_problem(db) or full_check_problem(path)
