"""A persistent cache of online geocoding answers, misses included, that keeps no record of
who searched what or when.

One small SQLite table shared safely by every worker process (WAL mode). Nominatim's usage
policy asks clients to cache; caching "not found" too keeps repeated nonsense from reaching
the service. What people type is sensitive (an address near a clinic for depression), so:

* the key is an HMAC of the normalised query under a key derived from the instance secret
  and the current window of :data:`WINDOW_DAYS` days: the file alone does not reveal the
  queries, and the key rotates with each window, so an answer is kept for at most one window;
* no timestamp is stored, only the day an entry expires; expired entries are deleted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from directory.geo.normalize import normalize
from directory.geo.results import GeocodeResult

#: How long one cache key lives: answers older than this are never served and are deleted.
WINDOW_DAYS = 30

_SCHEMA = """
DROP TABLE IF EXISTS geocode_cache;  -- kept queries in clear with the time they were asked
CREATE TABLE IF NOT EXISTS geocode_answers (
    key TEXT PRIMARY KEY,   -- HMAC of the normalised query under the window's key
    result TEXT,            -- RawResult as JSON; NULL when the service found nothing
    expires INTEGER NOT NULL  -- the day (proleptic ordinal) after which it is deleted
) WITHOUT ROWID;
"""


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """A remembered answer; ``result`` is None when the service found nothing."""

    result: GeocodeResult | None


class GeocodeCache:
    """Remember online answers by normalised query; safe to share across threads."""

    def __init__(
        self,
        path: Path,
        secret: str = "",
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        """``secret`` is the instance's secret key; without one, a random key serves this
        process only (so nothing outlives it)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._secret = (secret or secrets.token_urlsafe(32)).encode()
        self._today = today
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, timeout=10, check_same_thread=False)
        with self._lock, self._db:
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.executescript(_SCHEMA)

    def _key(self, query: str) -> tuple[str, int]:
        """The query's key in the current window, and the day that window's entries expire."""
        day = self._today().toordinal()
        window = day // WINDOW_DAYS
        window_key = hmac.new(self._secret, f"geocode-window:{window}".encode(), "sha256")
        digest = hmac.new(window_key.digest(), normalize(query).encode(), hashlib.sha256)
        return digest.hexdigest(), (window + 1) * WINDOW_DAYS

    def get(self, query: str) -> CacheEntry | None:
        """Return the remembered answer for ``query``, or None if not asked in this window."""
        key, _ = self._key(query)
        with self._lock:
            row = self._db.execute(
                "SELECT result FROM geocode_answers WHERE key = ?", (key,)
            ).fetchone()
        if row is None:
            return None
        return CacheEntry(GeocodeResult.from_raw(json.loads(row[0])) if row[0] else None)

    def put(self, query: str, result: GeocodeResult | None) -> None:
        """Remember ``result`` (or that nothing was found) for ``query``; drop expired ones."""
        payload = json.dumps(result.raw()) if result else None
        key, expires = self._key(query)
        with self._lock, self._db:
            self._db.execute(
                "DELETE FROM geocode_answers WHERE expires < ?", (self._today().toordinal(),)
            )
            self._db.execute(
                "INSERT OR REPLACE INTO geocode_answers VALUES (?, ?, ?)", (key, payload, expires)
            )

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM geocode_answers").fetchone()[0])

    def close(self) -> None:
        """Close the underlying connection."""
        self._db.close()
