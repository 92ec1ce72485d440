"""Location and text search over the built database.

The straight line: a spatial prefilter (R*Tree) keeps locations inside the search circle's
bounding box; SQLite ranks and counts them with a great-circle (haversine) distance; only the
rows on the page shown get the exact geodesic distance from geopy. Candidates whose haversine
distance lies within the two formulas' worst-case disagreement of the radius are re-checked
with the geodesic, so the count and the page agree with an exact computation.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from geopy.distance import geodesic

from directory.search_params import BBox, SearchParams

EARTH_RADIUS_KM = 6371.0088
# Haversine on a sphere and the WGS-84 geodesic differ by at most about 0.56 %.
EDGE_MARGIN = 0.0056
KM_PER_DEGREE_LAT = 110.574

_HAVERSINE = (
    f"2 * {EARTH_RADIUS_KM} * asin(sqrt("
    "pow(sin(radians(l.latitude - :lat) / 2), 2) + "
    "cos(radians(:lat)) * cos(radians(l.latitude)) * "
    "pow(sin(radians(l.longitude - :lon) / 2), 2)))"
)


@dataclass(frozen=True)
class Point:
    """A place on Earth in degrees."""

    latitude: float
    longitude: float


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
    telehealth: list[Hit] = field(default_factory=list)

    @property
    def pages(self) -> int:
        """How many pages the total makes."""
        return max(1, math.ceil(self.total / self.per_page))


def bounding_boxes(center: Point, radius_km: float) -> list[BBox]:
    """Boxes (one, or two across the antimeridian) that contain the search circle."""
    dlat = radius_km / KM_PER_DEGREE_LAT * (1 + EDGE_MARGIN)
    south, north = center.latitude - dlat, center.latitude + dlat
    if south <= -90 or north >= 90:
        return [BBox(-180.0, max(south, -90.0), 180.0, min(north, 90.0))]
    widest = max(abs(south), abs(north))
    km_per_degree_lon = 111.320 * math.cos(math.radians(widest))
    dlon = radius_km / km_per_degree_lon * (1 + EDGE_MARGIN)
    if dlon >= 180:
        return [BBox(-180.0, south, 180.0, north)]
    west, east = center.longitude - dlon, center.longitude + dlon
    if west < -180:
        return [BBox(west + 360, south, 180.0, north), BBox(-180.0, south, east, north)]
    if east > 180:
        return [BBox(west, south, 180.0, north), BBox(-180.0, south, east - 360, north)]
    return [BBox(west, south, east, north)]


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


def _box_clause(boxes: Sequence[BBox], args: dict[str, Any]) -> str:
    clauses = []
    for index, box in enumerate(boxes):
        args.update(
            {
                f"w{index}": box.west,
                f"s{index}": box.south,
                f"e{index}": box.east,
                f"n{index}": box.north,
            }
        )
        clauses.append(
            f"(r.min_lon >= :w{index} AND r.max_lon <= :e{index} "
            f"AND r.min_lat >= :s{index} AND r.max_lat <= :n{index})"
        )
    return " OR ".join(clauses)


_HIT_COLUMNS = (
    "p.id, p.name, p.status, p.illustrative, p.region, p.country, p.accepting_new_patients, "
    "l.id AS location_id, l.city, l.street, l.postal_code, l.latitude, l.longitude, l.precision"
)


def _hit(row: sqlite3.Row, distance: float | None = None) -> Hit:
    return Hit(
        id=row["id"],
        name=row["name"],
        status=row["status"],
        illustrative=bool(row["illustrative"]),
        region=row["region"],
        country=row["country"],
        accepting_new_patients=row["accepting_new_patients"],
        location_id=row["location_id"],
        city=row["city"],
        street=row["street"],
        postal_code=row["postal_code"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        precision=row["precision"],
        distance_km=distance,
    )


def _geodesic_km(center: Point, latitude: float, longitude: float) -> float:
    return float(geodesic((center.latitude, center.longitude), (latitude, longitude)).km)


def _ranked_sql(
    params: SearchParams, center: Point, radius_km: float
) -> tuple[str, dict[str, Any]]:
    """SQL ranking matching providers by haversine distance; ``{band}`` picks inside or edge."""
    args: dict[str, Any] = {"lat": center.latitude, "lon": center.longitude}
    boxes = _box_clause(bounding_boxes(center, radius_km), args)
    where: list[str] = []
    _filters(params, where, args)
    args["outer"] = radius_km * (1 + EDGE_MARGIN)
    args["inner"] = radius_km * (1 - EDGE_MARGIN)
    sql = f"""
        WITH candidates AS (
            SELECT l.provider_id, l.id AS location_id, {_HAVERSINE} AS d
            FROM locations_rtree r JOIN locations l ON l.id = r.id
            WHERE {boxes}
        ),
        nearest AS (
            SELECT provider_id, location_id, min(d) AS d FROM candidates
            WHERE d <= :outer GROUP BY provider_id
        )
        SELECT {_HIT_COLUMNS}, n.d AS d, count(*) OVER () AS total
        FROM nearest n JOIN providers p ON p.id = n.provider_id
        JOIN locations l ON l.id = n.location_id
        WHERE {" AND ".join(where)} AND n.d {{band}}
        ORDER BY n.d, p.id
    """
    return sql, args


def _edge_rows(
    db: sqlite3.Connection, sql: str, args: dict[str, Any], center: Point, radius_km: float
) -> list[sqlite3.Row]:
    """Rows near the radius that the exact geodesic puts inside it."""
    return [
        row
        for row in db.execute(sql.format(band="> :inner"), args)
        if _geodesic_km(center, row["latitude"], row["longitude"]) <= radius_km
    ]


def _near(
    db: sqlite3.Connection, params: SearchParams, center: Point, radius_km: float
) -> tuple[int, list[Hit]]:
    """Providers within ``radius_km`` of ``center``, nearest first: (total, page of hits).

    SQLite ranks by haversine distance ``h``; the page shown is ranked by the exact geodesic
    ``g``. Since ``g = h * (1 ± EDGE_MARGIN)``, only rows whose ``h`` lies in a window around
    the page's boundaries can change places, so only those get the geodesic:

    1. the few rows near the radius's edge, which the geodesic keeps or drops;
    2. the page by haversine and the total (one pass, with a window count), which give the
       haversine distances at the page's first and last positions;
    3. the rows in the widened window ``[low, high]`` and the count of rows below ``low``;
       sorted by geodesic, they give exactly the rows at the page's positions.
    """
    ranked, args = _ranked_sql(params, center, radius_km)
    start, stop = (params.page - 1) * params.per_page, params.page * params.per_page
    edge = _edge_rows(db, ranked, args, center, radius_km)
    page_by_h = db.execute(
        ranked.format(band="<= :inner") + " LIMIT :limit OFFSET :offset",
        args | {"limit": params.per_page, "offset": start},
    ).fetchall()
    if page_by_h:
        inside_total = page_by_h[0]["total"]
    else:
        count_sql = f"SELECT count(*) FROM ({ranked.format(band='<= :inner')})"
        inside_total = db.execute(count_sql, args).fetchone()[0]
    total = inside_total + len(edge)
    if start >= total:
        return total, []
    ordered_h = [row["d"] for row in page_by_h] + [row["d"] for row in edge]
    window = ordered_h[max(0, start - inside_total) :] if not page_by_h else ordered_h
    first, last = window[0], window[min(len(window), stop - start) - 1]
    low = first * (1 - EDGE_MARGIN) / (1 + EDGE_MARGIN)
    high = last * (1 + EDGE_MARGIN) / (1 - EDGE_MARGIN)
    band_args = args | {"low": low, "high": high}
    before = db.execute(
        f"SELECT count(*) FROM ({ranked.format(band='< :low AND n.d <= :inner')})", band_args
    ).fetchone()[0] + sum(1 for row in edge if row["d"] < low)
    candidates = db.execute(
        ranked.format(band="BETWEEN :low AND min(:high, :inner)"), band_args
    ).fetchall() + [row for row in edge if low <= row["d"] <= high]
    exact = sorted(
        ((_geodesic_km(center, row["latitude"], row["longitude"]), row) for row in candidates),
        key=lambda item: (item[0], item[1]["id"]),
    )
    chosen = exact[start - before : stop - before]
    return total, [_hit(row, distance) for distance, row in chosen]


@dataclass(frozen=True)
class MapPoint:
    """One marker: a provider at its location nearest the searched place."""

    id: str
    name: str
    status: str
    illustrative: bool
    latitude: float
    longitude: float
    distance_km: float | None
    treatments: tuple[str, ...]


def matching_points(
    db: sqlite3.Connection, params: SearchParams, center: Point | None = None
) -> list[MapPoint]:
    """Every provider the search matches (all pages), one point each, for the map.

    The set is exactly the one :func:`search` counts; providers without a location (telehealth
    only) have no point. Distances are the haversine ones (good to 0.6 %).
    """
    if center is not None:
        sql, args = _ranked_sql(params, center, params.radius_km)
        rows = db.execute(sql.format(band="<= :inner"), args).fetchall()
        rows += _edge_rows(db, sql, args, center, params.radius_km)
        distances: list[float | None] = [row["d"] for row in rows]
    else:
        args = {}
        where: list[str] = []
        _filters(params, where, args)
        join = _box_join(params.bbox, args) or (
            "JOIN locations l ON l.provider_id = p.id AND l.position = 0"
        )
        rows = db.execute(
            f"SELECT {_HIT_COLUMNS} FROM providers p {join} WHERE {' AND '.join(where)} "
            "ORDER BY p.id",
            args,
        ).fetchall()
        distances = [None] * len(rows)
    codes: dict[str, list[str]] = {}
    if rows:
        ids = [row["id"] for row in rows]
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            marks = ", ".join("?" for _ in chunk)
            for row in db.execute(
                f"SELECT provider_id, code FROM treatments WHERE provider_id IN ({marks})", chunk
            ):
                codes.setdefault(row[0], []).append(row[1])
    return [
        MapPoint(
            id=row["id"],
            name=row["name"],
            status=row["status"],
            illustrative=bool(row["illustrative"]),
            latitude=row["latitude"],
            longitude=row["longitude"],
            distance_km=distance,
            treatments=tuple(sorted(codes.get(row["id"], ()))),
        )
        for row, distance in zip(rows, distances, strict=True)
    ]


def _box_join(box: BBox | None, args: dict[str, Any]) -> str | None:
    """A join restricting providers to those with a location in ``box`` (their first one there)."""
    if box is None:
        return None
    boxes = _box_clause(split_bbox(box), args)
    located = (
        "SELECT l.provider_id, min(l.id) AS location_id FROM locations_rtree r "
        f"JOIN locations l ON l.id = r.id WHERE {boxes} GROUP BY l.provider_id"
    )
    return f"JOIN ({located}) m ON m.provider_id = p.id JOIN locations l ON l.id = m.location_id"


def _nearest_beyond(
    db: sqlite3.Connection, params: SearchParams, center: Point, radius_km: float
) -> Hit | None:
    """The single nearest matching provider, searching outward past the radius."""
    single = SearchParams(**{**params.__dict__, "page": 1, "per_page": 1})
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
        _box_join(box, args) or "LEFT JOIN locations l ON l.provider_id = p.id AND l.position = 0"
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
        "SELECT provider_id, code, price_min, price_max, currency, unit, as_of FROM treatments "
        f"WHERE provider_id IN ({marks}) ORDER BY provider_id, code",
        ids,
    ):
        by_id[row["provider_id"]].treatments.append(
            {
                key: row[key]
                for key in ("code", "price_min", "price_max", "currency", "unit", "as_of")
            }
        )
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
) -> SearchResult:
    """Run a search: near ``center`` within the radius, else in the bbox, else everywhere."""
    if center is not None:
        total, hits = _near(db, params, center, params.radius_km)
    else:
        total, hits = _in_box(db, params, params.bbox)
    attach_details(db, hits)
    result = SearchResult(total=total, hits=hits, page=params.page, per_page=params.per_page)
    if center is not None and total == 0:
        result.nearest = _nearest_beyond(db, params, center, params.radius_km)
        if result.nearest is not None:
            attach_details(db, [result.nearest])
    result.telehealth = telehealth_for(db, params, telehealth_codes)
    return result
