"""The map's points: every site of every provider a search matches (all pages), a marker each."""

from __future__ import annotations

import sqlite3
from typing import Any, NamedTuple

from directory.search.candidates import box_join, candidates_for
from directory.search.geometry import Point, a_to_km, geodesic_km
from directory.search.nearby import sites_sql
from directory.search.params import SearchParams


class MapPoint(NamedTuple):
    """One marker: a provider at one of its sites (a provider with several has a point each)."""

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
    """Every site of every provider the search matches (all pages), a point each, for the map.

    The providers are exactly the ones :func:`search` counts; within a circle, each of their
    sites inside it has a point, nearest first; otherwise each of their sites (in the map area,
    when there is one). Providers without a location (telehealth only) have no point.
    Distances are the haversine ones (good to 0.6 %). One statement returns everything, as
    plain tuples: at 100,000 providers this is the map's hot path.
    """
    cursor = db.cursor()
    cursor.row_factory = None
    if center is not None:
        radius_km = params.radius_km
        ranked, args = sites_sql(center, radius_km, candidates_for(params))
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
    candidates = candidates_for(params)
    where, args = candidates.listed()
    join = box_join(params.bbox, candidates, args, every_site=True) or (
        "JOIN locations l ON l.provider_id = p.id"
    )
    columns = _POINT_COLUMNS.format(lat="l.latitude", lon="l.longitude", distance="NULL")
    rows = cursor.execute(
        f"SELECT {columns} FROM providers p {join} WHERE {' AND '.join(where)} "
        "ORDER BY p.id, l.position",
        args,
    ).fetchall()
    return [_point(row) for row in rows]
