"""Location and text search over the built database.

The straight line: :mod:`directory.nearby` counts the providers within the circle and ranks
those that can reach the page shown, on the R*Tree with a great-circle (haversine) distance;
only the rows on the page get the exact geodesic distance from geopy. Candidates whose
haversine distance lies within the two formulas' worst-case disagreement of the radius are
decided by the geodesic, so the count and the page agree with an exact computation.
"""

from __future__ import annotations

import bisect
import math
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

import orjson

from directory.geometry import (
    ABSOLUTE_SLACK_KM,
    EDGE_MARGIN,
    KM_PER_DEGREE_LAT,
    Point,
    a_to_km,
    bounding_boxes,
    geodesic_km,
    km_to_a,
)
from directory.nearby import (
    Candidates,
    Ranked,
    box_clause,
    count_and_rank,
    count_within,
    in_memory,
    ranking,
    ranking_prefix,
    ranking_sql,
    reaches,
)
from directory.search_params import BBox, SearchParams

__all__ = ["KM_PER_DEGREE_LAT", "Point", "bounding_boxes"]  # re-exported for callers


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


@dataclass
class SearchResult:
    """A page of hits, the total, and what to say when nothing is within the radius."""

    total: int
    hits: list[Hit]
    page: int
    per_page: int
    nearest: Hit | None = None
    #: When the nearest is across a border: the nearest in the searched place's own country.
    nearest_at_home: Hit | None = None
    telehealth: list[Hit] = field(default_factory=list)

    @property
    def pages(self) -> int:
        """How many pages the total makes."""
        return max(1, math.ceil(self.total / self.per_page))


def split_bbox(box: BBox) -> list[BBox]:
    """A box that crosses the antimeridian as two that don't."""
    if box.west <= box.east:
        return [box]
    return [
        BBox(box.west, box.south, 180.0, box.north),
        BBox(-180.0, box.south, box.east, box.north),
    ]


def fts_query(text: str) -> str:
    """User text as a safe FTS5 query: every word quoted, prefix-matched, all required.

    >>> fts_query('clinic "austin')
    '"clinic"* "austin"*'
    """
    words = [word.replace('"', "") for word in text.split()]
    return " ".join(f'"{word}"*' for word in words if word)


def _filters(params: SearchParams, where: list[str], args: dict[str, Any]) -> None:
    where.append("p.do_not_list = 0")
    if not params.include_closed:
        where.append("p.status != 'closed'")
    _provider_filters(params, where, args)


def _provider_filters(params: SearchParams, where: list[str], args: dict[str, Any]) -> None:
    """Conditions on ``p`` (providers) beyond being listed and open."""
    if params.treatment is not None:
        args["treatment"] = params.treatment.value
        where.append(
            "EXISTS (SELECT 1 FROM treatments t WHERE t.provider_id = p.id AND t.code = :treatment)"
        )
    if params.max_price is not None:
        args["max_price"] = params.max_price
        same_treatment = " AND t.code = :treatment" if params.treatment is not None else ""
        where.append(
            "EXISTS (SELECT 1 FROM treatments t WHERE t.provider_id = p.id "
            f"AND t.unit = 'per_session' AND t.price_min <= :max_price{same_treatment})"
        )
    if params.payment is not None:
        args["payment"] = params.payment.value
        where.append(
            "EXISTS (SELECT 1 FROM payment_options o "
            "WHERE o.provider_id = p.id AND o.option = :payment)"
        )
    if params.accepting is not None:
        args["accepting"] = params.accepting
        where.append("p.accepting_new_patients = :accepting")
    if params.region is not None:
        args["region"] = params.region
        where.append(
            "EXISTS (SELECT 1 FROM locations lr WHERE lr.provider_id = p.id "
            "AND (lr.region = :region OR lr.country = :region))"
        )
    if params.q:
        query = fts_query(params.q)
        if query:
            args["fts"] = query
            where.append(
                "p.rowid IN (SELECT rowid FROM providers_fts WHERE providers_fts MATCH :fts)"
            )


_HIT_COLUMNS = (
    # The region and country of the site shown (the nearest), else the provider's own.
    "p.id, p.name, p.status, p.illustrative, coalesce(l.region, p.region) AS region, "
    "coalesce(l.country, p.country) AS country, p.accepting_new_patients, "
    "l.id AS location_id, l.city, l.street, l.postal_code, l.latitude, l.longitude, l.precision"
)


def _hit(row: Sequence[Any], distance: float | None = None) -> Hit:
    """A hit from a row that starts with :data:`_HIT_COLUMNS` (a tuple or a sqlite3.Row)."""
    return Hit(
        row[0], row[1], row[2], bool(row[3]), row[4], row[5], row[6], row[7], row[8], row[9],
        row[10], row[11], row[12], row[13], distance,
    )  # fmt: skip


class _Window(NamedTuple):
    """Positions of the ranking whose order by geodesic can differ from that by haversine."""

    before: int
    low_km: float
    high_km: float


def _window(terms: Sequence[float], start: int, stop: int) -> _Window:
    """The haversine bounds of the rows that can land on positions ``start:stop`` by geodesic.

    ``terms`` are the ranking's haversine terms (see :func:`directory.geometry.a_to_km`).
    ``g = h * (1 ± EDGE_MARGIN)`` (give or take the slack), so a row can only trade places with
    rows whose haversine distance lies within a factor ``(1 + m) / (1 - m)`` of its own.
    """
    first, last = a_to_km(terms[start]), a_to_km(terms[min(stop, len(terms)) - 1])
    low = (first - ABSOLUTE_SLACK_KM) * (1 - EDGE_MARGIN) / (1 + EDGE_MARGIN)
    high = (last + ABSOLUTE_SLACK_KM) * (1 + EDGE_MARGIN) / (1 - EDGE_MARGIN) + ABSOLUTE_SLACK_KM
    before = bisect.bisect_left(terms, km_to_a(max(0.0, low - ABSOLUTE_SLACK_KM)))
    return _Window(before, low, high)


def _page(
    db: sqlite3.Connection, ranked: list[Ranked], center: Point, start: int, stop: int
) -> list[Hit]:
    """The hits at positions ``start:stop`` of the ranking by exact geodesic distance.

    Only the rows in the :func:`_window` around the page's boundaries are read and get the
    geodesic.
    """
    if start >= len(ranked):
        return []
    terms = [item.a for item in ranked]
    before, _, high = _window(terms, start, stop)
    window = ranked[before : bisect.bisect_right(terms, km_to_a(high))]
    rows = _detail_rows(db, [item.location_id for item in window])
    exact = sorted(
        (
            (geodesic_km(center.latitude, center.longitude, row[11], row[12]), item)
            for item in window
            for row in (rows[item.location_id],)
        ),
        key=lambda pair: (pair[0], pair[1].provider_key),
    )
    chosen = exact[start - before : stop - before]
    hits = [_detailed_hit(rows[item.location_id], distance) for distance, item in chosen]
    # Equal distances (one building, several providers) are ordered by id, for stable pages.
    return sorted(hits, key=lambda hit: (hit.distance_km or 0.0, hit.id))


_DETAIL_COLUMNS = (
    f"{_HIT_COLUMNS}, p.treatments_json AS treatments_json, p.payment_options_json AS payments_json"
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
        f"SELECT {_DETAIL_COLUMNS} FROM locations l JOIN providers p ON p.key = l.id >> 16 "
        f"WHERE l.id IN ({marks})",
        list(location_ids),
    )
    return {row[7]: row for row in cursor}


def _detailed_hit(row: tuple[Any, ...], distance: float | None) -> Hit:
    hit = _hit(row, distance)
    hit.treatments = [dict(zip(TREATMENT_KEYS, t, strict=True)) for t in orjson.loads(row[14])]
    hit.payment_options = orjson.loads(row[15])
    return hit


def _candidates(params: SearchParams) -> Candidates:
    """The R*Trees to search and the provider conditions that ``params`` ask for."""
    conditions: list[str] = []
    args: dict[str, Any] = {}
    _provider_filters(params, conditions, args)
    return Candidates(params.include_closed, tuple(conditions), args)


def _near(
    db: sqlite3.Connection, params: SearchParams, center: Point, radius_km: float
) -> tuple[int, list[Hit]]:
    """Providers within ``radius_km`` of ``center``, nearest first: (total, page of hits).

    The page comes from the start of the ranking when that surely holds the page and the rows
    that could trade places with its last (room for them: about 1 % further, so twice the
    page and some); the start is measured with the total for the common search, else ranked
    from the smallest circle that holds it. The whole circle is ranked only when the start
    does not do.
    """
    candidates = _candidates(params)
    start, stop = (params.page - 1) * params.per_page, params.page * params.per_page
    limit = 2 * stop + 16
    starts: Iterable[tuple[list[Ranked], float]]
    if in_memory(candidates):
        total, ranked, complete_km = count_and_rank(db, center, radius_km, limit)
        starts = [(ranked, complete_km)]
    else:
        total = count_within(db, center, radius_km, candidates)
        starts = (
            ranking_prefix(db, center, reach, limit, candidates)
            for reach in reaches(radius_km, min(stop, total), total)
        )
    if start >= total:
        return total, []
    wanted = min(stop, total)
    for ranked, complete_km in starts:
        terms = [row.a for row in ranked]
        if len(ranked) >= wanted and _window(terms, start, wanted).high_km <= complete_km:
            return total, _page(db, ranked, center, start, stop)
    return total, _page(db, ranking(db, center, radius_km, candidates), center, start, stop)


class MapPoint(NamedTuple):
    """One marker: a provider at its location nearest the searched place."""

    id: str
    name: str
    status: str
    illustrative: bool
    latitude: float
    longitude: float
    distance_km: float | None
    treatments: tuple[str, ...]


_POINT_COLUMNS = (
    "p.id, p.name, p.status, p.illustrative, {lat}, {lon}, {distance}, "
    "(SELECT group_concat(t.code) FROM treatments t WHERE t.provider_id = p.id)"
)


def _point(row: tuple[Any, ...]) -> MapPoint:
    codes = tuple(sorted(row[7].split(","))) if row[7] else ()
    return MapPoint(row[0], row[1], row[2], bool(row[3]), row[4], row[5], row[6], codes)


def matching_points(
    db: sqlite3.Connection, params: SearchParams, center: Point | None = None
) -> list[MapPoint]:
    """Every provider the search matches (all pages), one point each, for the map.

    The set is exactly the one :func:`search` counts; providers without a location (telehealth
    only) have no point. Distances are the haversine ones (good to 0.6 %). One statement
    returns everything, as plain tuples: at 100,000 providers this is the map's hot path.
    """
    cursor = db.cursor()
    cursor.row_factory = None
    if center is not None:
        radius_km = params.radius_km
        ranked, args = ranking_sql(center, radius_km, _candidates(params))
        columns = _POINT_COLUMNS.format(lat="l.latitude", lon="l.longitude", distance="x.a")
        rows = cursor.execute(
            f"SELECT {columns} FROM ({ranked}) x JOIN locations l ON l.id = x.id "
            "JOIN providers p ON p.id = l.provider_id ORDER BY x.a, x.k",
            args,
        ).fetchall()
        inner = args["inner"]  # in the haversine term, as x.a
        return [
            _point(row)._replace(distance_km=a_to_km(row[6]))
            for row in rows
            if row[6] <= inner
            or geodesic_km(center.latitude, center.longitude, row[4], row[5]) <= radius_km
        ]
    args = {}
    where: list[str] = []
    _filters(params, where, args)
    join = _box_join(params, args) or (
        "JOIN locations l ON l.provider_id = p.id AND l.position = 0"
    )
    columns = _POINT_COLUMNS.format(lat="l.latitude", lon="l.longitude", distance="NULL")
    rows = cursor.execute(
        f"SELECT {columns} FROM providers p {join} WHERE {' AND '.join(where)} ORDER BY p.id",
        args,
    ).fetchall()
    return [_point(row) for row in rows]


def _box_join(params: SearchParams, args: dict[str, Any]) -> str | None:
    """A join restricting providers to those with a location in the bbox (their first there)."""
    if params.bbox is None:
        return None
    boxes = box_clause(split_bbox(params.bbox), args)
    located = " UNION ALL ".join(
        f"SELECT r.id FROM {tree} r WHERE {boxes}" for tree in _candidates(params).single_trees()
    )
    return (
        f"JOIN (SELECT l.provider_id, min(l.id) AS location_id FROM ({located}) b "
        "JOIN locations l ON l.id = b.id GROUP BY l.provider_id) m ON m.provider_id = p.id "
        "JOIN locations l ON l.id = m.location_id"
    )


def _nearest_beyond(
    db: sqlite3.Connection, params: SearchParams, center: Point, radius_km: float
) -> Hit | None:
    """The single nearest matching provider, searching outward past the radius."""
    single = replace(params, page=1, per_page=1)
    reach = max(radius_km, 50.0) * 4
    while True:
        _, hits = _near(db, single, center, reach)
        if hits:
            return hits[0]
        if reach >= 20_100:
            return None
        reach = min(reach * 4, 20_100.0)


def _in_box(
    db: sqlite3.Connection, params: SearchParams, box: BBox | None
) -> tuple[int, list[Hit]]:
    """Providers in ``box`` (or everywhere), sorted by name."""
    args: dict[str, Any] = {}
    where: list[str] = []
    _filters(params, where, args)
    join = (
        _box_join(params, args)
        or "LEFT JOIN locations l ON l.provider_id = p.id AND l.position = 0"
    )
    condition = " AND ".join(where)
    total = db.execute(
        f"SELECT count(*) FROM providers p {join} WHERE {condition}", args
    ).fetchone()[0]
    args["limit"], args["offset"] = params.per_page, (params.page - 1) * params.per_page
    rows = db.execute(
        f"SELECT {_HIT_COLUMNS} FROM providers p {join} WHERE {condition} "
        "ORDER BY p.name COLLATE NOCASE, p.id LIMIT :limit OFFSET :offset",
        args,
    ).fetchall()
    return total, [_hit(row) for row in rows]


def telehealth_for(
    db: sqlite3.Connection, params: SearchParams, codes: Iterable[str], limit: int = 50
) -> list[Hit]:
    """Providers that treat by telehealth in any of ``codes`` (a region and its country)."""
    codes = [code for code in dict.fromkeys(codes) if code]
    if not codes:
        return []
    args: dict[str, Any] = {f"c{i}": code for i, code in enumerate(codes)}
    marks = ", ".join(":" + key for key in args)
    where = [
        f"p.id IN (SELECT provider_id FROM telehealth_areas WHERE jurisdiction_code IN ({marks}))"
    ]
    _filters(params, where, args)
    args["limit"] = limit
    rows = db.execute(
        f"SELECT {_HIT_COLUMNS} FROM providers p "
        "LEFT JOIN locations l ON l.provider_id = p.id AND l.position = 0 "
        f"WHERE {' AND '.join(where)} ORDER BY p.name COLLATE NOCASE, p.id LIMIT :limit",
        args,
    ).fetchall()
    hits = [_hit(row) for row in rows]
    attach_details(db, hits)
    return hits


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


def search(
    db: sqlite3.Connection,
    params: SearchParams,
    center: Point | None = None,
    telehealth_codes: Iterable[str] = (),
    home_country: str | None = None,
) -> SearchResult:
    """Run a search: near ``center`` within the radius, else in the bbox, else everywhere.

    When nothing is within the radius, the result names the nearest provider and, if that is
    in another country than ``home_country``, the nearest in ``home_country`` too.
    """
    if center is not None:
        total, hits = _near(db, params, center, params.radius_km)  # details included
    else:
        total, hits = _in_box(db, params, params.bbox)
        attach_details(db, hits)
    result = SearchResult(total=total, hits=hits, page=params.page, per_page=params.per_page)
    if center is not None and total == 0:
        result.nearest = _nearest_beyond(db, params, center, params.radius_km)
        nearest = result.nearest
        if nearest is not None and home_country and nearest.country != home_country:
            at_home = replace(params, region=home_country)
            result.nearest_at_home = _nearest_beyond(db, at_home, center, params.radius_km)
    result.telehealth = telehealth_for(db, params, telehealth_codes)
    return result
