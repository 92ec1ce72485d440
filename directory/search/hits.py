"""The hits on a page: the exact geodesic order for the rows on it, and each hit's details.

A ranking (by haversine on the R*Tree, from :mod:`directory.search.nearby`) becomes hits
here: only the rows that could land on the page get the exact WGS-84 distance, and only
those are read from the tables, with their treatments, prices and payment options.
"""

from __future__ import annotations

import bisect
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import orjson

from directory.dataset.layout import PROVIDER_SHIFT
from directory.search.geometry import (
    ABSOLUTE_SLACK_KM,
    EDGE_MARGIN,
    Point,
    a_to_km,
    geodesic_km,
    km_to_a,
)
from directory.search.nearby import Ranked


@dataclass
class Hit:
    """One provider in a result list, at its location nearest the searched place."""

    id: str
    name: str
    status: str
    illustrative: bool
    region: str | None
    country: str | None
    accepting_new_patients: str
    location_id: int | None
    city: str | None
    street: str | None
    postal_code: str | None
    latitude: float | None
    longitude: float | None
    precision: str | None
    distance_km: float | None = None
    treatments: list[dict[str, Any]] = field(default_factory=list)
    payment_options: list[str] = field(default_factory=list)

    @property
    def lowest_session_price(self) -> dict[str, Any] | None:
        """The cheapest published per-session price, if any."""
        prices = [
            t for t in self.treatments if t["unit"] == "per_session" and t["price_min"] is not None
        ]
        return min(prices, key=lambda t: t["price_min"]) if prices else None


HIT_COLUMNS = (
    # The region and country of the site shown (the nearest), else the provider's own.
    "p.id, p.name, p.status, p.illustrative, coalesce(l.region, p.region) AS region, "
    "coalesce(l.country, p.country) AS country, p.accepting_new_patients, "
    "l.id AS location_id, l.city, l.street, l.postal_code, l.latitude, l.longitude, l.precision"
)


def hit_from_row(row: Sequence[Any], distance: float | None = None) -> Hit:
    """A hit from a row that starts with :data:`HIT_COLUMNS` (a tuple or a sqlite3.Row)."""
    return Hit(
        row[0], row[1], row[2], bool(row[3]), row[4], row[5], row[6], row[7], row[8], row[9],
        row[10], row[11], row[12], row[13], distance,
    )  # fmt: skip


class Window(NamedTuple):
    """Positions of the ranking whose order by geodesic can differ from that by haversine."""

    before: int
    low_km: float
    high_km: float


def window(terms: Sequence[float], start: int, stop: int) -> Window:
    """The haversine bounds of the rows that can land on positions ``start:stop`` by geodesic.

    ``terms`` are the ranking's haversine terms (see :func:`directory.search.geometry.a_to_km`).
    ``g = h * (1 ± EDGE_MARGIN)`` (give or take the slack), so a row can only trade places with
    rows whose haversine distance lies within a factor ``(1 + m) / (1 - m)`` of its own.
    """
    first, last = a_to_km(terms[start]), a_to_km(terms[min(stop, len(terms)) - 1])
    low = (first - ABSOLUTE_SLACK_KM) * (1 - EDGE_MARGIN) / (1 + EDGE_MARGIN)
    high = (last + ABSOLUTE_SLACK_KM) * (1 + EDGE_MARGIN) / (1 - EDGE_MARGIN) + ABSOLUTE_SLACK_KM
    before = bisect.bisect_left(terms, km_to_a(max(0.0, low - ABSOLUTE_SLACK_KM)))
    return Window(before, low, high)


def page_by_geodesic(
    db: sqlite3.Connection, ranked: list[Ranked], center: Point, start: int, stop: int
) -> list[Hit]:
    """The hits at positions ``start:stop`` of the ranking by exact geodesic distance.

    Only the rows in the :func:`window` around the page's boundaries are read and get the
    geodesic.
    """
    if start >= len(ranked):
        return []
    terms = [item.a for item in ranked]
    before, _, high = window(terms, start, stop)
    doubtful = ranked[before : bisect.bisect_right(terms, km_to_a(high))]
    rows = _detail_rows(db, [item.location_id for item in doubtful])
    exact = sorted(
        (
            (geodesic_km(center.latitude, center.longitude, row[11], row[12]), item)
            for item in doubtful
            for row in (rows[item.location_id],)
        ),
        key=lambda pair: (pair[0], pair[1].provider_key),
    )
    chosen = exact[start - before : stop - before]
    hits = [_detailed_hit(rows[item.location_id], distance) for distance, item in chosen]
    # Equal distances (one building, several providers) are ordered by id, for stable pages.
    return sorted(hits, key=lambda hit: (hit.distance_km or 0.0, hit.id))


_DETAIL_COLUMNS = (
    f"{HIT_COLUMNS}, p.treatments_json AS treatments_json, p.payment_options_json AS payments_json"
)
#: A hit's treatment: the price's source date (if it shows one) and the day it was read.
TREATMENT_KEYS = (
    "code",
    "price_min",
    "price_max",
    "currency",
    "unit",
    "price_published",
    "price_retrieved",
)


def _detail_rows(db: sqlite3.Connection, location_ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    """Hit rows with their treatments and payment options, by location id, in one query."""
    if not location_ids:
        return {}
    marks = ", ".join("?" for _ in location_ids)
    cursor = db.cursor()
    cursor.row_factory = None
    cursor.execute(
        f"SELECT {_DETAIL_COLUMNS} FROM locations l "
        f"JOIN providers p ON p.key = l.id >> {PROVIDER_SHIFT} WHERE l.id IN ({marks})",
        list(location_ids),
    )
    return {row[7]: row for row in cursor}


def _detailed_hit(row: tuple[Any, ...], distance: float | None) -> Hit:
    hit = hit_from_row(row, distance)
    hit.treatments = [dict(zip(TREATMENT_KEYS, t, strict=True)) for t in orjson.loads(row[14])]
    hit.payment_options = orjson.loads(row[15])
    return hit


def attach_details(db: sqlite3.Connection, hits: Sequence[Hit]) -> None:
    """Fill in treatments (with prices) and payment options for ``hits``, in two queries."""
    if not hits:
        return
    by_id = {hit.id: hit for hit in hits}
    marks = ", ".join("?" for _ in by_id)
    ids = list(by_id)
    for row in db.execute(
        f"SELECT provider_id, {', '.join(TREATMENT_KEYS)} FROM treatments "
        f"WHERE provider_id IN ({marks}) ORDER BY provider_id, code",
        ids,
    ):
        by_id[row["provider_id"]].treatments.append({key: row[key] for key in TREATMENT_KEYS})
    for row in db.execute(
        f"SELECT provider_id, option FROM payment_options WHERE provider_id IN ({marks}) "
        "ORDER BY provider_id, option",
        ids,
    ):
        by_id[row["provider_id"]].payment_options.append(row["option"])


@dataclass(frozen=True)
class Site:
    """One of a hit's sites, with its distance from the searched place (None without one)."""

    location_id: int
    city: str | None
    region: str | None
    country: str | None
    street: str | None
    postal_code: str | None
    latitude: float
    longitude: float
    precision: str | None
    distance_km: float | None


def every_site(
    db: sqlite3.Connection, hits: Sequence[Hit], center: Point | None
) -> dict[str, list[Site]]:
    """Each hit's sites, by provider id: the hit's own (its nearest) first, then the others
    nearest first (in the record's order when the search has no place), in one query."""
    if not hits:
        return {}
    by_id: dict[str, list[Site]] = {hit.id: [] for hit in hits}
    marks = ", ".join("?" for _ in by_id)
    for row in db.execute(
        "SELECT l.provider_id, l.id, l.city, coalesce(l.region, p.region), "
        "coalesce(l.country, p.country), l.street, l.postal_code, l.latitude, l.longitude, "
        "l.precision FROM locations l JOIN providers p ON p.id = l.provider_id "
        f"WHERE l.provider_id IN ({marks}) ORDER BY l.provider_id, l.position",
        list(by_id),
    ):
        distance = (
            None
            if center is None
            else geodesic_km(center.latitude, center.longitude, row[7], row[8])
        )
        by_id[row[0]].append(
            Site(row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9], distance)
        )
    for hit in hits:
        own = [site for site in by_id[hit.id] if site.location_id == hit.location_id]
        others = [site for site in by_id[hit.id] if site.location_id != hit.location_id]
        if center is not None:
            others.sort(key=lambda site: site.distance_km or 0.0)
        by_id[hit.id] = own + others
    return by_id
