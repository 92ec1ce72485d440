"""A persistent cache of online geocoding answers, misses included.

One small SQLite table keyed by the normalised query, shared safely by every
worker process (WAL mode). Nominatim's usage policy asks clients to cache;
caching "not found" too keeps repeated nonsense from reaching the service.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from directory.geo.normalize import normalize
from directory.geo.results import GeocodeResult

_SCHEMA = """
CREATE TABLE IF NOT EXISTS geocode_cache (
    query TEXT PRIMARY KEY,
    result TEXT,            -- RawResult as JSON; NULL when the service found nothing
    stored_at REAL NOT NULL
) WITHOUT ROWID;
"""


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """A remembered answer; ``result`` is None when the service found nothing."""

    result: GeocodeResult | None


class GeocodeCache:
    """Remember online answers by normalised query; safe to share across threads."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, timeout=10, check_same_thread=False)
        with self._lock, self._db:
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.executescript(_SCHEMA)

    def get(self, query: str) -> CacheEntry | None:
        """Return the remembered answer for ``query``, or None if never asked."""
        with self._lock:
            row = self._db.execute(
                "SELECT result FROM geocode_cache WHERE query = ?", (normalize(query),)
            ).fetchone()
        if row is None:
            return None
        return CacheEntry(GeocodeResult.from_raw(json.loads(row[0])) if row[0] else None)

    def put(self, query: str, result: GeocodeResult | None) -> None:
        """Remember ``result`` (or that nothing was found) for ``query``."""
        payload = json.dumps(result.raw()) if result else None
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO geocode_cache VALUES (?, ?, ?)",
                (normalize(query), payload, time.time()),
            )

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM geocode_cache").fetchone()[0])

    def close(self) -> None:
        """Close the underlying connection."""
        self._db.close()
