"""The pending queue: public suggestions and new providers awaiting review, in their own
SQLite database (``instance/submissions.db`` by default).

The database runs in WAL mode with ``synchronous = FULL``: once :func:`add` returns, the
submission survives a crash or power cut, and two gunicorn workers can write at once (each
write waits up to :data:`BUSY_TIMEOUT_MS` for the other). Submitter contact details live in
one column that only :func:`contact_for` reads; nothing else here returns them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from directory.submissions import accounts, ratelimit
from directory.submissions.txn import transaction

BUSY_TIMEOUT_MS = 20_000
REF_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O or U
REF_PATTERN = re.compile(r"^KT-[0-9A-HJKMNP-TV-Z]{10}$")

Kind = Literal["update", "new"]
Status = Literal["pending", "approved", "rejected"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    ref TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('update', 'new')),
    provider_id TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'approved', 'rejected')),
    created_at TEXT NOT NULL,
    payload TEXT NOT NULL,
    proposal TEXT NOT NULL,
    contact TEXT,
    edited_by TEXT,
    edited_at TEXT,
    decided_by TEXT,
    decided_at TEXT,
    reason TEXT
);
CREATE INDEX IF NOT EXISTS submissions_status ON submissions (status, created_at);
CREATE INDEX IF NOT EXISTS submissions_provider ON submissions (provider_id, status);
"""

SCHEMA_VERSION = 2
#: Tries at switching a new queue to WAL while other workers create it too (about 2 s in all).
WAL_ATTEMPTS = 30


@dataclass(frozen=True)
class Submission:
    """A queued submission, without the submitter's contact details.

    ``payload`` is what the person sent (for the record); ``proposal`` is the change a
    maintainer would apply, which starts as the person's and may be edited.
    """

    ref: str
    kind: Kind
    provider_id: str
    status: Status
    created_at: dt.datetime
    payload: dict[str, Any]
    proposal: dict[str, Any]
    has_contact: bool
    edited_by: str | None
    edited_at: dt.datetime | None
    decided_by: str | None
    decided_at: dt.datetime | None
    reason: str | None

    def age(self, now: dt.datetime | None = None) -> dt.timedelta:
        """How long the submission has been in the queue."""
        return (now or utcnow()) - self.created_at


def utcnow() -> dt.datetime:
    """The current time in UTC, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def new_reference() -> str:
    """A fresh, unguessable reference such as ``KT-7F3K9Q2M4X`` (50 random bits)."""
    return "KT-" + "".join(secrets.choice(REF_ALPHABET) for _ in range(10))


def is_reference(text: str) -> bool:
    """Whether ``text`` has the shape of a reference."""
    return REF_PATTERN.match(text) is not None


def connect(path: Path) -> sqlite3.Connection:
    """Open the queue at ``path`` (creating it and its tables on first use)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    connection.row_factory = sqlite3.Row
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA synchronous = FULL")
    if connection.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
        _create_schema(connection)
    return connection


def _use_wal(connection: sqlite3.Connection) -> None:
    """Put the queue in WAL mode (kept by the file). Switching needs a lock that another worker
    creating the same new file may hold, and SQLite then fails at once rather than waiting:
    retry with back-off until it is done (by us or by the other worker)."""
    for attempt in range(WAL_ATTEMPTS):
        try:
            if connection.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
                return
            connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == WAL_ATTEMPTS - 1:
                raise
            time.sleep(0.005 * (attempt + 1))


def _create_schema(connection: sqlite3.Connection) -> None:
    _use_wal(connection)
    with transaction(connection):
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version >= SCHEMA_VERSION:
            return  # another worker created it while this one waited for the lock
        # One statement at a time: executescript() would commit the open transaction.
        for statement in (SCHEMA + accounts.SCHEMA + ratelimit.SCHEMA).split(";"):
            if statement.strip():
                connection.execute(statement)
        if version == 1:  # a queue made before sessions could be ended on the server
            for statement in accounts.MIGRATIONS:
                connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


@contextmanager
def open_store(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection to the queue for the length of a ``with`` block."""
    connection = connect(path)
    try:
        yield connection
    finally:
        connection.close()


def _time(value: str | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromisoformat(value)


def _row(row: sqlite3.Row) -> Submission:
    return Submission(
        ref=row["ref"],
        kind=row["kind"],
        provider_id=row["provider_id"],
        status=row["status"],
        created_at=dt.datetime.fromisoformat(row["created_at"]),
        payload=json.loads(row["payload"]),
        proposal=json.loads(row["proposal"]),
        has_contact=bool(row["contact"]),
        edited_by=row["edited_by"],
        edited_at=_time(row["edited_at"]),
        decided_by=row["decided_by"],
        decided_at=_time(row["decided_at"]),
        reason=row["reason"],
    )


_COLUMNS = (
    "ref, kind, provider_id, status, created_at, payload, proposal, contact IS NOT NULL AS "
    "contact, edited_by, edited_at, decided_by, decided_at, reason"
)


def add(
    connection: sqlite3.Connection,
    kind: Kind,
    provider_id: str,
    payload: dict[str, Any],
    proposal: dict[str, Any],
    contact: str | None = None,
) -> str:
    """Queue a submission and return its reference; durable once this returns."""
    created = utcnow().isoformat()
    for _ in range(5):
        ref = new_reference()
        try:
            with transaction(connection):
                connection.execute(
                    "INSERT INTO submissions (ref, kind, provider_id, status, created_at, "
                    "payload, proposal, contact) VALUES (?, ?, ?, 'pending', ?, ?, ?, ?)",
                    [
                        ref,
                        kind,
                        provider_id,
                        created,
                        json.dumps(payload, ensure_ascii=False),
                        json.dumps(proposal, ensure_ascii=False),
                        contact or None,
                    ],
                )
        except sqlite3.IntegrityError:
            continue  # a reference collision, vanishingly rare: draw another
        return ref
    raise RuntimeError("could not allocate a submission reference")


def get(connection: sqlite3.Connection, ref: str) -> Submission | None:
    """The submission ``ref``, or None."""
    row = connection.execute(f"SELECT {_COLUMNS} FROM submissions WHERE ref = ?", [ref]).fetchone()
    return None if row is None else _row(row)


def contact_for(connection: sqlite3.Connection, ref: str) -> str | None:
    """The submitter's contact details, for maintainers only; never written anywhere else."""
    row = connection.execute("SELECT contact FROM submissions WHERE ref = ?", [ref]).fetchone()
    return None if row is None else row["contact"]


@dataclass(frozen=True)
class QueueFilter:
    """Which pending submissions a maintainer looks at: a kind, a provider id, words."""

    kind: str = ""
    provider: str = ""
    words: str = ""

    def where(self) -> tuple[str, list[Any]]:
        """The SQL condition (after ``status = 'pending'``) and its parameters."""
        clauses, values = ["status = 'pending'"], []
        if self.kind in ("update", "new"):
            clauses.append("kind = ?")
            values.append(self.kind)
        if self.provider:
            clauses.append("provider_id LIKE ? ESCAPE '\\'")
            values.append(f"%{_like(self.provider)}%")
        if self.words:
            clauses.append("payload LIKE ? ESCAPE '\\'")
            values.append(f"%{_like(self.words)}%")
        return " AND ".join(clauses), values


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_pending(
    connection: sqlite3.Connection,
    limit: int = 500,
    offset: int = 0,
    matching: QueueFilter | None = None,
) -> list[Submission]:
    """Pending submissions, oldest first: ``limit`` of those ``matching``, from ``offset``."""
    where, values = (matching or QueueFilter()).where()
    rows = connection.execute(
        f"SELECT {_COLUMNS} FROM submissions WHERE {where} "
        "ORDER BY created_at, ref LIMIT ? OFFSET ?",
        [*values, limit, offset],
    )
    return [_row(row) for row in rows]


def count_pending(connection: sqlite3.Connection, matching: QueueFilter | None = None) -> int:
    """How many submissions wait for review (of those ``matching``)."""
    where, values = (matching or QueueFilter()).where()
    row = connection.execute(f"SELECT count(*) FROM submissions WHERE {where}", values)
    return int(row.fetchone()[0])


def list_decided(connection: sqlite3.Connection, limit: int = 20) -> list[Submission]:
    """The most recently decided submissions, newest first."""
    rows = connection.execute(
        f"SELECT {_COLUMNS} FROM submissions WHERE status != 'pending' "
        "ORDER BY decided_at DESC, ref LIMIT ?",
        [limit],
    )
    return [_row(row) for row in rows]


def pending_for(connection: sqlite3.Connection, provider_id: str) -> list[Submission]:
    """Pending submissions about ``provider_id``, oldest first."""
    rows = connection.execute(
        f"SELECT {_COLUMNS} FROM submissions WHERE status = 'pending' AND provider_id = ? "
        "ORDER BY created_at, ref",
        [provider_id],
    )
    return [_row(row) for row in rows]


def save_proposal(
    connection: sqlite3.Connection, ref: str, provider_id: str, proposal: dict[str, Any], by: str
) -> bool:
    """Replace a pending submission's proposal (a maintainer's edit); False if not pending."""
    with transaction(connection):
        cursor = connection.execute(
            "UPDATE submissions SET proposal = ?, provider_id = ?, edited_by = ?, edited_at = ? "
            "WHERE ref = ? AND status = 'pending'",
            [json.dumps(proposal, ensure_ascii=False), provider_id, by, utcnow().isoformat(), ref],
        )
    return cursor.rowcount == 1


def decide(
    connection: sqlite3.Connection,
    ref: str,
    status: Literal["approved", "rejected"],
    by: str,
    reason: str | None = None,
) -> bool:
    """Record a decision on a pending submission; False if it was already decided."""
    with transaction(connection):
        cursor = connection.execute(
            "UPDATE submissions SET status = ?, decided_by = ?, decided_at = ?, reason = ? "
            "WHERE ref = ? AND status = 'pending'",
            [status, by, utcnow().isoformat(), reason, ref],
        )
    return cursor.rowcount == 1


def all_refs(connection: sqlite3.Connection) -> list[str]:
    """Every reference in the queue, whatever its status (for tests and audits)."""
    return [row[0] for row in connection.execute("SELECT ref FROM submissions ORDER BY ref")]
