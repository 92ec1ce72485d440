"""A search's result: the total, the page of hits, and what to say when nobody is near.

Near a point the page comes from the ranking (:mod:`directory.search.nearby`) turned into
hits (:mod:`directory.search.hits`); in a map area, a region or the whole directory the
list is alphabetical. Telehealth programmes serving the searched area are listed beside.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from directory.search.candidates import box_join, candidates_for
from directory.search.geometry import BBox, Point
from directory.search.hits import (
    HIT_COLUMNS,
    Hit,
    attach_details,
    hit_from_row,
    page_by_geodesic,
    window,
)
from directory.search.nearby import count_and_starts, ranking
from directory.search.params import SearchParams


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
    candidates = candidates_for(params)
    start, stop = (params.page - 1) * params.per_page, params.page * params.per_page
    total, starts = count_and_starts(db, center, radius_km, stop, 2 * stop + 16, candidates)
    if start >= total:
        return total, []
    wanted = min(stop, total)
    for ranked, complete_km in starts:
        terms = [row.a for row in ranked]
        if len(ranked) >= wanted and window(terms, start, wanted).high_km <= complete_km:
            return total, page_by_geodesic(db, ranked, center, start, stop)
    return total, page_by_geodesic(
        db, ranking(db, center, radius_km, candidates), center, start, stop
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
    candidates = candidates_for(params)
    where, args = candidates.listed()
    join = (
        box_join(box, candidates, args)
        or "LEFT JOIN locations l ON l.provider_id = p.id AND l.position = 0"
    )
    condition = " AND ".join(where)
    total = db.execute(
        f"SELECT count(*) FROM providers p {join} WHERE {condition}", args
    ).fetchone()[0]
    args["limit"], args["offset"] = params.per_page, (params.page - 1) * params.per_page
    rows = db.execute(
        f"SELECT {HIT_COLUMNS} FROM providers p {join} WHERE {condition} "
        "ORDER BY p.name COLLATE NOCASE, p.id LIMIT :limit OFFSET :offset",
        args,
    ).fetchall()
    return total, [hit_from_row(row) for row in rows]


def telehealth_for(
    db: sqlite3.Connection, params: SearchParams, codes: Iterable[str], limit: int = 50
) -> list[Hit]:
    """Providers that treat by telehealth in any of ``codes`` (a region and its country)."""
    codes = [code for code in dict.fromkeys(codes) if code]
    if not codes:
        return []
    where, args = candidates_for(params).listed()
    args["limit"] = limit
    # Each area's programmes are read in name order from the index on (area, name_order),
    # the first ``limit`` that pass the filters; the areas' lists are then merged.
    firsts = []
    for index, code in enumerate(codes):
        args[f"area{index}"] = code
        firsts.append(
            "SELECT * FROM (SELECT t.provider_key AS k, t.name_order AS o FROM telehealth_areas t "
            f"JOIN providers p ON p.key = t.provider_key WHERE t.jurisdiction_code = :area{index} "
            f"AND {' AND '.join(where)} ORDER BY t.name_order LIMIT :limit)"
        )
    rows = db.execute(
        f"SELECT {HIT_COLUMNS} FROM (SELECT k, min(o) AS o FROM ({' UNION ALL '.join(firsts)}) "
        "GROUP BY k ORDER BY o LIMIT :limit) f JOIN providers p ON p.key = f.k "
        "LEFT JOIN locations l ON l.provider_id = p.id AND l.position = 0 ORDER BY f.o",
        args,
    ).fetchall()
    hits = [hit_from_row(row) for row in rows]
    attach_details(db, hits)
    return hits


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
