"""A compact, read-only SQLite gazetteer of cities, regions, countries and postcodes.

Build it once (``build_gazetteer``), then open it in every worker with
``Gazetteer(path)``. Lookups are single indexed queries; nothing is loaded
into memory up front, so many processes can share the file through the OS
page cache.

>>> gazetteer = Gazetteer(default_gazetteer_path(cache_dir))  # doctest: +SKIP
>>> gazetteer.find_places("munchen")[0].label  # doctest: +SKIP
'Munich, Bavaria, DE'
"""

from __future__ import annotations

import math
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from directory.geo.normalize import compact_postcode, normalize
from directory.geo.regions import region_name

if TYPE_CHECKING:
    from directory.geo.sources import PlaceRow

SCHEMA_VERSION = 2
#: GeoNames city file to build from: cities of at least this many people.
DEFAULT_MIN_CITY_POPULATION = 1000
#: Credits the data licences ask for wherever results are shown (see ``sources``).
ATTRIBUTION = (
    "Places: GeoNames (geonames.org), CC BY 4.0.",
    "Postcodes outside the US: countrystatecity.in, ODbL 1.0.",
    "US ZIP codes: the zipcodes package (github.com/seanpianka/zipcodes).",
)
PlaceKind = Literal["city", "region", "country"]
PlacePrecision = Literal["city", "region", "country", "postal_code"]

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE places (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    region TEXT,
    latitude REAL NOT NULL,
    longitude REAL NOT NULL,
    population INTEGER NOT NULL
);
-- nearest_city reads a band of latitude, not the whole table.
CREATE INDEX places_by_latitude ON places (kind, latitude);
-- general = 0 marks codes ("BY", "DEU") that only count after a comma.
CREATE TABLE names (
    key TEXT NOT NULL,
    place_id INTEGER NOT NULL,
    score INTEGER NOT NULL,
    general INTEGER NOT NULL,
    PRIMARY KEY (key, place_id)
) WITHOUT ROWID;
CREATE TABLE postcodes (
    code TEXT NOT NULL,
    country TEXT NOT NULL,
    name TEXT NOT NULL,
    region TEXT,
    latitude REAL NOT NULL,
    longitude REAL NOT NULL,
    PRIMARY KEY (code, country)
) WITHOUT ROWID;
"""
# Ranking: a city's own name counts its population, an alternate name a tenth
# of it; regions and countries get a floor so "California" beats California,
# MD, yet New York City still beats New York State.
_ALTERNATE_WEIGHT, _PRIMARY_WEIGHT = 1, 10
_FLOOR = {"city": 0, "region": 500_000, "country": 400_000}
_SHARE = {"city": 1.0, "region": 0.01, "country": 0.01}
_SYNONYMS = {"st": "saint", "saint": "st", "ste": "sainte", "sainte": "ste", "mt": "mount"}
_SYNONYMS |= {"mount": "mt", "ft": "fort", "fort": "ft"}


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer answer: a city, region, country or postal code centre."""

    name: str
    latitude: float
    longitude: float
    country: str
    region: str | None
    population: int
    precision: PlacePrecision
    postal_code: str | None = None

    @property
    def label(self) -> str:
        """A display name such as ``"Austin, Texas, US"`` or ``"78701, Austin, Texas, US"``."""
        if self.precision == "country":
            return self.name
        parts = [self.postal_code, self.name, region_name(self.region), self.country]
        shown: list[str] = []
        for part in parts:
            if part and part not in shown:
                shown.append(part)
        return ", ".join(shown)


def default_gazetteer_path(cache_dir: Path) -> Path:
    """Return where the gazetteer lives under ``cache_dir`` (versioned by schema)."""
    return cache_dir / f"gazetteer-v{SCHEMA_VERSION}.sqlite3"


def ensure_gazetteer(path: Path) -> Path:
    """Build the gazetteer at ``path`` unless one of this schema version is there (a file of
    an older version, left by an earlier release, is rebuilt in place); return ``path``."""
    if not path.exists() or schema_version_of(path) != str(SCHEMA_VERSION):
        build_gazetteer(path)
    return path


def schema_version_of(path: Path) -> str | None:
    """The schema version a gazetteer file declares; None when it is not one."""
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError:
        return None
    return str(row[0]) if row else None


def build_gazetteer(path: Path, *, min_city_population: int = DEFAULT_MIN_CITY_POPULATION) -> None:
    """Build the gazetteer from packaged data into ``path``, atomically.

    Writes a temporary file next to ``path`` and renames it into place, so
    workers never see a half-built file.
    """
    # Imported here so that workers, which only read, never load the data packages.
    from directory.geo import sources

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        db = sqlite3.connect(tmp)
        try:
            db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
            _insert_places(db, sources.place_rows(min_city_population))
            db.executemany(
                "INSERT OR IGNORE INTO postcodes"
                " (country, code, name, region, latitude, longitude) VALUES (?, ?, ?, ?, ?, ?)",
                sources.postcode_rows(),
            )
            db.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [
                    ("schema_version", str(SCHEMA_VERSION)),
                    ("min_city_population", str(min_city_population)),
                ],
            )
            db.commit()
            db.execute("VACUUM")
        finally:
            db.close()
        tmp.chmod(0o644)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _index_keys(name: str) -> set[str]:
    key = normalize(name)
    if not key:
        return set()
    words = key.split()
    variant = " ".join(_SYNONYMS.get(word, word) for word in words)
    return {key, variant}


def _insert_places(db: sqlite3.Connection, rows: Iterable[PlaceRow]) -> None:
    names: dict[tuple[str, int], tuple[int, int]] = {}

    def add(key: str, place_id: int, score: int, general: int) -> None:
        old = names.get((key, place_id), (0, 0))
        names[(key, place_id)] = (max(score, old[0]), max(general, old[1]))

    places = []
    for place_id, row in enumerate(rows, start=1):
        columns = (row.kind, row.name, row.country, row.region, row.latitude, row.longitude)
        places.append((place_id, *columns, row.population))
        importance = _FLOOR[row.kind] + int(row.population * _SHARE[row.kind])
        for name in row.names:
            for key in _index_keys(name):
                add(key, place_id, importance * _PRIMARY_WEIGHT, 1)
        for name in row.alternates:
            for key in _index_keys(name):
                if key.isascii():  # Latin-script names only.
                    add(key, place_id, importance * _ALTERNATE_WEIGHT, 1)
        for code in row.codes:
            for key in _index_keys(code):
                add(key, place_id, importance * _PRIMARY_WEIGHT, 0)
    db.executemany("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?)", places)
    db.executemany(
        "INSERT INTO names VALUES (?, ?, ?, ?)",
        ((key, pid, score, general) for (key, pid), (score, general) in sorted(names.items())),
    )


class Gazetteer:
    """Read-only lookups against a built gazetteer file; safe to share across threads."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise FileNotFoundError(f"No gazetteer at {path}; build it with build_gazetteer().")
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        self.path = path
        self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        version = self._rows("SELECT value FROM meta WHERE key = 'schema_version'", ())
        if not version or version[0][0] != str(SCHEMA_VERSION):
            self._db.close()
            raise ValueError(f"{path} is not a version {SCHEMA_VERSION} gazetteer; rebuild it.")

    def find_places(
        self,
        name: str,
        *,
        country: str | None = None,
        region: str | None = None,
        kinds: Sequence[PlaceKind] = ("city", "region", "country"),
        include_codes: bool = False,
        limit: int = 10,
        min_share: float = 0.0,
    ) -> list[Place]:
        """Return places called ``name`` (any spelling we index), most likely first.

        ``country`` (ISO 3166-1 alpha-2) and ``region`` (ISO 3166-2) narrow the
        search; ``include_codes`` also matches bare codes such as ``"BY"``;
        ``min_share`` drops places ranked below that fraction of the best one.
        """
        key = normalize(name)
        if not key or not kinds:
            return []
        sql = (
            "SELECT n.score, p.kind, p.name, p.latitude, p.longitude, p.country, p.region,"
            " p.population"
            " FROM names n JOIN places p ON p.id = n.place_id"
            f" WHERE n.key = ? AND p.kind IN ({', '.join('?' * len(kinds))})"
        )
        params: list[object] = [key, *kinds]
        if not include_codes:
            sql += " AND n.general = 1"
        if country:
            sql += " AND p.country = ?"
            params.append(country.upper())
        if region:
            sql += " AND p.region = ?"
            params.append(region.upper())
        sql += " ORDER BY n.score DESC, p.id LIMIT ?"
        params.append(limit)
        rows = self._rows(sql, params)
        floor = rows[0][0] * min_share if rows else 0
        return [
            Place(name, lat, lon, cc, reg, pop, kind)
            for score, kind, name, lat, lon, cc, reg, pop in rows
            if score >= floor
        ]

    def nearest_city(
        self, latitude: float, longitude: float, *, within_degrees: float = 1.0
    ) -> Place | None:
        """The city nearest a point, within about ``within_degrees`` of latitude (~110 km), or
        None (out at sea, or far from any city we know)."""
        span = within_degrees / max(0.2, math.cos(math.radians(latitude)))
        squeeze = math.cos(math.radians(latitude)) ** 2
        rows = self._rows(
            "SELECT kind, name, latitude, longitude, country, region, population FROM places"
            " WHERE kind = 'city' AND latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?"
            " ORDER BY (latitude - ?) * (latitude - ?) + (longitude - ?) * (longitude - ?) * ?"
            " LIMIT 1",
            [
                latitude - within_degrees,
                latitude + within_degrees,
                longitude - span,
                longitude + span,
                latitude,
                latitude,
                longitude,
                longitude,
                squeeze,
            ],
        )
        if not rows:
            return None
        kind, name, lat, lon, country, region, population = rows[0]
        return Place(name, lat, lon, country, region, population, kind)

    def find_postal_code(
        self, code: str, *, country: str | None = None, limit: int = 5
    ) -> list[Place]:
        """Return the centres filed under postal ``code`` (``"78701"``, ``"M5V"``, ``"SW"``)."""
        sql = (
            "SELECT code, name, latitude, longitude, country, region FROM postcodes WHERE code = ?"
        )
        params: list[object] = [compact_postcode(code)]
        if country:
            sql += " AND country = ?"
            params.append(country.upper())
        params.append(limit)
        return [
            Place(name, lat, lon, cc, reg, 0, "postal_code", postal_code=pc)
            for pc, name, lat, lon, cc, reg in self._rows(sql + " LIMIT ?", params)
        ]

    def close(self) -> None:
        """Close the underlying connection."""
        self._db.close()

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _rows(self, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()
