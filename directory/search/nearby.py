"""Which providers lie within a radius of a point: counted and ranked on the R*Tree alone.

The R*Tree's node holds each location's coordinates (32-bit floats, rounded outward) and its
id, whose high bits are the provider's key (see :mod:`directory.dataset.layout`),
so counting and ranking read no table row. SQLite measures with the great-circle (haversine)
formula, compared as its inner term ``a`` (``d = 2 R asin(sqrt(a))``, the same order, no
``asin`` per row); where the sphere could disagree with the WGS-84 geodesic about the radius,
the geodesic on the stored coordinates decides.

Four things keep a dense search cheap:

* for the common search (open providers, no filters) the candidates are measured a box at a
  time from an in-memory copy of the points (:mod:`directory.search.point_index`);
* otherwise the total is counted by SQLite, not handed to Python row by row; a location
  inside one of two boxes drawn inside the circle (see
  :func:`directory.search.geometry.inner_boxes`) is counted without its distance;
* providers with one location (the id's :data:`SHARED_FLAG` clear) need no grouping; the
  locations of those with several are in an R*Tree of their own, grouped there;
* the page is ranked from a smaller circle around the point (:func:`reaches`), nearest
  first with a limit, never from every candidate.
"""

from __future__ import annotations

import bisect
import math
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np

from directory.dataset.layout import OPEN_TREE, PROVIDER_SHIFT, SHARED_FLAG, SHARED_TREE
from directory.search import point_index
from directory.search.candidates import Candidates, box_clause
from directory.search.geometry import (
    ABSOLUTE_SLACK_KM,
    EARTH_RADIUS_KM,
    EDGE_MARGIN,
    Point,
    a_to_km,
    bounding_boxes,
    geodesic_km,
    inner_boxes,
    inner_km,
    km_to_a,
    outer_km,
)
from directory.search.point_index import Floats, Ints

#: The haversine's inner term over the R*Tree node's own columns, so ranking reads no row;
#: :coslat is cos(centre latitude). Radians by multiplication: one function call fewer.
HAVERSINE_A_SQL = (
    f"(pow(sin((r.min_lat - :lat) * {math.pi / 360!r}), 2) + "
    f":coslat * cos(r.min_lat * {math.pi / 180!r}) * "
    f"pow(sin((r.min_lon - :lon) * {math.pi / 360!r}), 2))"
)
#: The haversine distance in km, as :func:`directory.search.geometry.haversine_km` computes it.
HAVERSINE_SQL = f"(2 * {EARTH_RADIUS_KM} * asin(sqrt({HAVERSINE_A_SQL})))"


class Ranked(NamedTuple):
    """A matching provider at its nearest location, by haversine on the node (``a``: its term).

    The haversine distance is ``a_to_km(a)``; ``a`` orders the same, without an ``asin``.
    """

    a: float
    provider_key: int
    location_id: int


def _circle_args(center: Point, radius_km: float, candidates: Candidates) -> dict[str, Any]:
    return {
        **candidates.args,
        "lat": center.latitude,
        "lon": center.longitude,
        "coslat": math.cos(math.radians(center.latitude)),
        "outer": km_to_a(outer_km(radius_km)),
        "inner": _inner_term(radius_km),
    }


def _shared_each(candidates: Candidates, box: str) -> str:
    """SQL for providers with several locations in ``box``, each at its nearest: a, k, id."""
    return (
        f"SELECT min({HAVERSINE_A_SQL}) AS a, r.id >> {PROVIDER_SHIFT} AS k, r.id AS id "
        f"FROM {SHARED_TREE} r {candidates.join()} "
        f"WHERE ({box}){candidates.shared_condition()}{candidates.where()} GROUP BY k"
    )


def _nearest_each(candidates: Candidates, box: str, limit: str = "") -> str:
    """SQL ranking providers (``a``, ``k``, ``id``) in ``box`` and within :outer, by ``a``.

    Locations of providers with one need no grouping; the others are grouped to their
    nearest in the shared R*Tree.
    """
    join, where, shift = candidates.join(), candidates.where(), PROVIDER_SHIFT
    selects = [
        f"SELECT {HAVERSINE_A_SQL} AS a, r.id >> {shift} AS k, r.id AS id FROM {tree} r {join} "
        f"WHERE ({box}) AND (r.id & {SHARED_FLAG}) = 0{where}"
        for tree in candidates.single_trees()
    ]
    selects.append(_shared_each(candidates, box))
    return (
        f"SELECT a, k, id FROM ({' UNION ALL '.join(selects)}) WHERE a <= :outer "
        f"ORDER BY a, k{limit}"
    )


def ranking_sql(
    center: Point, radius_km: float, candidates: Candidates
) -> tuple[str, dict[str, Any]]:
    """SQL ranking every matching provider within the outer radius, nearest first.

    Columns ``a`` (the haversine term, see :func:`a_to_km`), ``k`` (the provider's key) and
    ``id`` (its nearest location).
    """
    args = _circle_args(center, radius_km, candidates)
    return _nearest_each(candidates, box_clause(bounding_boxes(center, radius_km), args)), args


def sites_sql(
    center: Point, radius_km: float, candidates: Candidates
) -> tuple[str, dict[str, Any]]:
    """SQL for every location of every matching provider within the outer radius, by ``a``.

    Columns ``a``, ``k`` and ``id`` as in :func:`ranking_sql`, a row per location: a provider
    with several sites in the circle has a row for each (the map shows them all).
    """
    args = _circle_args(center, radius_km, candidates)
    box = box_clause(bounding_boxes(center, radius_km), args)
    join, where = candidates.join(), candidates.where()
    selects = [
        f"SELECT {HAVERSINE_A_SQL} AS a, r.id >> {PROVIDER_SHIFT} AS k, r.id AS id "
        f"FROM {tree} r {join} WHERE ({box}){where}"
        for tree in candidates.single_trees()
    ]
    sql = f"SELECT a, k, id FROM ({' UNION ALL '.join(selects)}) WHERE a <= :outer ORDER BY a, k"
    return sql, args


def _plain(db: sqlite3.Connection) -> sqlite3.Cursor:
    cursor = db.cursor()
    cursor.row_factory = None  # plain tuples: there can be thousands of rows
    return cursor


def exact_points(db: sqlite3.Connection, ids: Sequence[int]) -> dict[int, tuple[float, float]]:
    """The stored (double precision) coordinates of locations ``ids``."""
    points: dict[int, tuple[float, float]] = {}
    for offset in range(0, len(ids), 900):
        chunk = ids[offset : offset + 900]
        marks = ", ".join("?" for _ in chunk)
        for location_id, latitude, longitude in db.execute(
            f"SELECT id, latitude, longitude FROM locations WHERE id IN ({marks})", chunk
        ):
            points[location_id] = (latitude, longitude)
    return points


def _confirmed(
    db: sqlite3.Connection, center: Point, radius_km: float, location_ids: Sequence[int]
) -> list[int]:
    """The locations of ``location_ids`` within ``radius_km`` by geodesic."""
    if not location_ids:
        return []
    points = exact_points(db, location_ids)
    return [
        location_id
        for location_id in location_ids
        if geodesic_km(center.latitude, center.longitude, *points[location_id]) <= radius_km
    ]


def ranking(
    db: sqlite3.Connection, center: Point, radius_km: float, candidates: Candidates
) -> list[Ranked]:
    """Every matching provider within ``radius_km`` (exactly, by geodesic), by haversine.

    A provider is within when its nearest location by haversine is within by geodesic; rows
    within the formulas' disagreement of the radius are decided on their stored coordinates.
    """
    sql, args = ranking_sql(center, radius_km, candidates)
    rows = _plain(db).execute(sql, args).fetchall()
    cut = bisect.bisect_right([row[0] for row in rows], args["inner"])
    confirmed = set(_confirmed(db, center, radius_km, [row[2] for row in rows[cut:]]))
    return list(map(Ranked._make, rows[:cut] + [row for row in rows[cut:] if row[2] in confirmed]))


def in_memory(candidates: Candidates) -> bool:
    """Whether :mod:`directory.search.point_index` can answer: open providers, no filters."""
    return not candidates.conditions and not candidates.include_closed


def _singles_in_sql(
    db: sqlite3.Connection, center: Point, radius_km: float, candidates: Candidates
) -> tuple[int, list[int]]:
    """Providers with one location: how many surely within, and the locations in doubt.

    One pass over the box, each location's distance computed once at most (the nested
    subqueries run as co-routines; ``LIMIT -1`` keeps them from being flattened into copies
    of the expression); a location inside an inner box is counted without its distance.
    """
    args = _circle_args(center, radius_km, candidates)
    box = box_clause(bounding_boxes(center, radius_km), args)
    inside = box_clause(inner_boxes(center, inner_km(radius_km)), args, prefix="i")
    join, where = candidates.join(), candidates.where()
    located = " UNION ALL ".join(
        f"SELECT r.id AS id, CASE WHEN {inside} THEN NULL ELSE {HAVERSINE_A_SQL} END AS a "
        f"FROM {tree} r {join} WHERE ({box}) AND (r.id & {SHARED_FLAG}) = 0{where}"
        for tree in candidates.single_trees()
    )
    # v: NULL when surely within, the location's id when in doubt, 0 when surely outside
    single = (
        "SELECT count(*) - count(v), group_concat(v) FILTER (WHERE v > 0) FROM ("
        "SELECT CASE WHEN a IS NULL OR a <= :inner THEN NULL WHEN a <= :outer THEN id ELSE 0 "
        f"END AS v FROM ({located} LIMIT -1) LIMIT -1)"
    )
    certain, doubtful = _plain(db).execute(single, args).fetchone()
    doubted = [int(location_id) for location_id in doubtful.split(",")] if doubtful else []
    return int(certain), doubted


def _measured(db: sqlite3.Connection, center: Point, radius_km: float) -> tuple[Ints, Floats]:
    """Location ids and haversine terms of the open single-location providers in the
    circle's box, from the in-memory index."""
    index = point_index.index_for(db, OPEN_TREE, SHARED_FLAG)
    rows = index.in_boxes(bounding_boxes(center, radius_km))
    return index.ids[rows], index.terms(rows, center.latitude, center.longitude)


def _nearest_of(ids: Ints, terms: Floats, limit: int) -> list[tuple[float, int, int]]:
    """The ``limit`` rows with the smallest terms as (a, key, location id), by (a, key)."""
    if len(terms) > limit:  # keep every row tied with the limit-th, then order exactly
        cut = np.partition(terms, limit - 1)[limit - 1]
        ids, terms = ids[terms <= cut], terms[terms <= cut]
    keys = ids >> PROVIDER_SHIFT
    order = np.lexsort((keys, terms))[:limit]
    return list(zip(terms[order].tolist(), keys[order].tolist(), ids[order].tolist(), strict=True))


def count_and_rank(
    db: sqlite3.Connection, center: Point, radius_km: float, limit: int
) -> tuple[int, list[Ranked], float]:
    """For the common search (:func:`in_memory`): the total within the radius, as
    :func:`count_within`, and the start of the ranking, as :func:`ranking_prefix`, from one
    measurement of the circle's box.

    The start holds at most ``limit`` providers and is complete up to the distance
    returned: the radius's inner bound, or less when the limit cut it short.
    """
    ids, terms = _measured(db, center, radius_km)
    inner, outer = _inner_term(radius_km), km_to_a(outer_km(radius_km))
    certain = terms <= inner
    total = int(np.count_nonzero(certain))
    doubted: list[int] = ids[~certain & (terms <= outer)].tolist()
    nearest = _nearest_of(ids[certain], terms[certain], limit)
    args = _circle_args(center, radius_km, Candidates())
    box = box_clause(bounding_boxes(center, radius_km), args)
    shared = f"SELECT a, k, id FROM ({_shared_each(Candidates(), box)}) WHERE a <= :outer"
    for row in _plain(db).execute(shared, args).fetchall():
        if row[0] <= inner:
            total += 1
            nearest.append(row)
        else:
            doubted.append(row[2])
    total += len(_confirmed(db, center, radius_km, doubted))
    nearest = sorted(nearest, key=lambda row: (row[0], row[1]))[:limit]
    return (total, *_sure_start(nearest, limit, inner_km(radius_km)))


def _inner_term(radius_km: float) -> float:
    return km_to_a(inner_km(radius_km)) if inner_km(radius_km) > 0 else -1.0


def count_within(
    db: sqlite3.Connection, center: Point, radius_km: float, candidates: Candidates
) -> int:
    """How many providers :func:`ranking` would return, without ranking them.

    Providers with one location are counted by SQLite, without their rows; only those near
    the radius come back, to be decided by geodesic. Providers with several locations are
    grouped to their nearest in the shared R*Tree. (The common search is counted from
    memory instead: :func:`count_and_rank`.)
    """
    certain, doubted = _singles_in_sql(db, center, radius_km, candidates)
    args = _circle_args(center, radius_km, candidates)
    box = box_clause(bounding_boxes(center, radius_km), args)
    shared = f"SELECT a, id FROM ({_shared_each(candidates, box)}) WHERE a <= :outer"
    for a, location_id in _plain(db).execute(shared, args).fetchall():
        if a <= args["inner"]:
            certain += 1
        else:
            doubted.append(location_id)
    return certain + len(_confirmed(db, center, radius_km, doubted))


def ranking_prefix(
    db: sqlite3.Connection, center: Point, reach_km: float, limit: int, candidates: Candidates
) -> tuple[list[Ranked], float]:
    """The first ``limit`` or fewer of the ranking around ``center``, and how far it is sure.

    Ranks only the locations within ``reach_km``. Every provider whose nearest location is
    within the returned haversine distance is in the list, at that location, in order.
    """
    args = _circle_args(center, reach_km, candidates)
    args["limit"] = limit
    box = box_clause(bounding_boxes(center, reach_km), args)
    sql = _nearest_each(candidates, box, " LIMIT :limit")
    rows = _plain(db).execute(sql, args).fetchall()
    return _sure_start(rows, limit, reach_km / (1 + EDGE_MARGIN) ** 2 - 3 * ABSOLUTE_SLACK_KM)


def _sure_start(
    rows: Sequence[tuple[float, int, int]], limit: int, complete_km: float
) -> tuple[list[Ranked], float]:
    """The rows up to where they surely are the ranking's start, and that distance: at most
    ``complete_km``, and below the last row when ``limit`` cut them short (ties may be cut)."""
    if len(rows) == limit:
        complete_km = min(complete_km, math.nextafter(a_to_km(rows[-1][0]), -math.inf))
    cut = bisect.bisect_right([row[0] for row in rows], km_to_a(complete_km))
    return list(map(Ranked._make, rows[:cut])), complete_km


def count_and_starts(
    db: sqlite3.Connection,
    center: Point,
    radius_km: float,
    stop: int,
    limit: int,
    candidates: Candidates,
) -> tuple[int, Iterable[tuple[list[Ranked], float]]]:
    """The total within the radius and the starts of the ranking worth trying, smallest
    first, each with how far it is sure: the one interface over both counters.

    The common search (:func:`in_memory`) is counted and its start ranked from one
    measurement of the in-memory points; any other from SQLite, its start ranked from
    circles grown until one holds the page (:func:`reaches`). ``stop`` is the end of the
    page wanted; ``limit`` how many rows a start may hold.
    """
    if in_memory(candidates):
        total, ranked, complete_km = count_and_rank(db, center, radius_km, limit)
        return total, [(ranked, complete_km)]
    total = count_within(db, center, radius_km, candidates)
    starts = (
        ranking_prefix(db, center, reach, limit, candidates)
        for reach in reaches(radius_km, min(stop, total), total)
    )
    return total, starts


def reaches(radius_km: float, wanted: int, total: int) -> Iterator[float]:
    """Radii worth ranking from before ranking the whole circle, smallest first.

    Sized for ``wanted`` providers as if the ``total`` were spread evenly, a little under
    (providers crowd towards a city's middle), then half as large again each time; none
    past half the radius, where ranking everything costs no more.

    >>> [round(r, 1) for r in reaches(50.0, 20, 500)]
    [7.5, 11.2, 16.9]
    >>> list(reaches(50.0, 20, 40))
    []
    """
    reach = radius_km * 0.75 * math.sqrt(wanted / total) if total else radius_km
    while reach < radius_km / 2:
        yield reach
        reach *= 1.5
