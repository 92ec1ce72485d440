"""Counting and ranking around a point, against brute force, where the fast paths are taken."""

from __future__ import annotations

import math
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from geopy.distance import geodesic
from hypothesis import given
from hypothesis import strategies as st

from directory.dataset.build import build_database
from directory.dataset.layout import OPEN_TREE, SHARED_FLAG
from directory.dataset.models import TreatmentCode
from directory.db import open_readonly
from directory.search import nearby, point_index
from directory.search import result as result_module
from directory.search.candidates import Candidates
from directory.search.geometry import BBox, Point, a_to_km, haversine_km, inner_boxes, inner_km
from directory.search.nearby import count_within, ranking
from directory.search.params import SearchParams
from directory.search.result import search
from tests.builders import make_jurisdiction, make_provider, write_dataset

CITY = Point(40.75, -73.98)
CENTRES = {"city": CITY, "suburb": Point(40.95, -73.60), "empty-sea": Point(39.5, -71.0)}


def _location(rng: random.Random, centre: Point, spread: float) -> dict[str, Any]:
    return {
        "city": "Somewhere",
        "country": "US",
        "latitude": round(centre.latitude + rng.gauss(0, spread), 6),
        "longitude": round(centre.longitude + rng.gauss(0, spread * 1.3), 6),
        "precision": "address",
    }


def _dense_providers(count: int, seed: int = 11) -> list[dict[str, Any]]:
    """A city: dense in the middle, thinning out; a quarter have two or three locations."""
    rng = random.Random(seed)
    providers = []
    for number in range(count):
        spread = rng.choice([0.05, 0.15, 0.4])
        first = _location(rng, CITY, spread)
        more = rng.choice([0, 0, 0, 1, 2])
        home = Point(first["latitude"], first["longitude"])
        providers.append(
            make_provider(
                id=f"d-{number:05d}",
                name=f"Dense {number}",
                status="closed" if rng.random() < 0.1 else "active",
                locations=[first] + [_location(rng, home, 0.2) for _ in range(more)],
                treatments=[
                    make_provider()["treatments"][0]
                    | {"code": rng.choice(["iv_infusion", "esketamine_nasal"])}
                ],
            )
        )
    return providers


@pytest.fixture(scope="module")
def dense(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    root = tmp_path_factory.mktemp("dense")
    write_dataset(root / "data", _dense_providers(2500), [make_jurisdiction("US")])
    build_database(root / "data", root / "db.sqlite")
    db = open_readonly(root / "db.sqlite")
    yield db
    db.close()


def _expected(
    db: sqlite3.Connection, centre: Point, radius_km: float, params: SearchParams
) -> list[str]:
    """Every provider with a location within the radius by geodesic, nearest first."""
    nearest: dict[str, float] = {}
    for row in db.execute(
        "SELECT p.id, p.status, l.latitude, l.longitude, "
        "(SELECT group_concat(code) FROM treatments t WHERE t.provider_id = p.id) AS codes "
        "FROM providers p JOIN locations l ON l.provider_id = p.id"
    ):
        if row["status"] == "closed" and not params.include_closed:
            continue
        if params.treatment is not None and params.treatment.value not in row["codes"]:
            continue
        distance = geodesic(
            (centre.latitude, centre.longitude), (row["latitude"], row["longitude"])
        ).km
        nearest[row["id"]] = min(distance, nearest.get(row["id"], math.inf))
    within = [(d, provider) for provider, d in nearest.items() if d <= radius_km]
    return [provider for _, provider in sorted(within)]


@pytest.mark.parametrize("centre", list(CENTRES), ids=list(CENTRES))
@pytest.mark.parametrize("radius_km", [3.0, 20.0, 50.0, 120.0])
@pytest.mark.parametrize("per_page", [1, 20])
def test_pages_match_brute_force(
    dense: sqlite3.Connection, centre: str, radius_km: float, per_page: int
) -> None:
    point = CENTRES[centre]
    params = SearchParams(radius=radius_km, radius_given=True, per_page=per_page)
    expected = _expected(dense, point, radius_km, params)
    last = max(1, -(-len(expected) // per_page))
    for page in sorted({1, 2, last // 2 or 1, last}):
        result = search(dense, SearchParams(**{**params.__dict__, "page": page}), center=point)
        assert result.total == len(expected)
        start = (page - 1) * per_page
        assert [hit.id for hit in result.hits] == expected[start : start + per_page]


@pytest.mark.parametrize(
    "params",
    [
        SearchParams(radius=40.0, radius_given=True, include_closed=True, per_page=10),
        SearchParams(radius=60.0, radius_given=True, treatment=TreatmentCode.ESKETAMINE_NASAL),
    ],
    ids=["closed-too", "treatment"],
)
def test_filters_on_the_fast_path(dense: sqlite3.Connection, params: SearchParams) -> None:
    expected = _expected(dense, CITY, params.radius_km, params)
    result = search(dense, params, center=CITY)
    assert result.total == len(expected)
    assert [hit.id for hit in result.hits] == expected[: params.per_page]


def test_a_dense_first_page_ranks_a_small_circle(
    dense: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole circle is never ranked for the first page at the centre of a city."""

    def whole_circle(*args: Any) -> Any:
        raise AssertionError("ranked every candidate")

    monkeypatch.setattr(result_module, "ranking", whole_circle)
    result = search(dense, SearchParams(radius=50.0, radius_given=True), center=CITY)
    assert result.total > 1000 and len(result.hits) == 20


@pytest.mark.parametrize("include_closed", [False, True])
@pytest.mark.parametrize("radius_km", [0.5, 5.0, 30.0, 80.0, 400.0])
def test_count_is_the_ranking_length(
    dense: sqlite3.Connection, radius_km: float, include_closed: bool
) -> None:
    candidates = Candidates(include_closed)
    for centre in CENTRES.values():
        assert count_within(dense, centre, radius_km, candidates) == len(
            ranking(dense, centre, radius_km, candidates)
        )


def test_shared_flag_marks_providers_with_several_locations(dense: sqlite3.Connection) -> None:
    rows = dense.execute(
        "SELECT l.id, (SELECT count(*) FROM locations m WHERE m.provider_id = l.provider_id) "
        "FROM locations l"
    ).fetchall()
    assert {bool(location_id & SHARED_FLAG) for location_id, n in rows if n > 1} == {True}
    assert {bool(location_id & SHARED_FLAG) for location_id, n in rows if n == 1} == {False}


@given(
    latitude=st.floats(-70, 70),
    longitude=st.floats(-179, 179),
    radius_km=st.floats(0.05, 1000),
    fractions=st.lists(st.tuples(st.floats(-1, 1), st.floats(-1, 1)), min_size=1, max_size=8),
)
def test_inner_boxes_lie_inside_the_circle(
    latitude: float, longitude: float, radius_km: float, fractions: list[tuple[float, float]]
) -> None:
    centre = Point(latitude, longitude)
    for box in inner_boxes(centre, radius_km):
        mid_lat, mid_lon = (box.south + box.north) / 2, (box.west + box.east) / 2
        half_lat, half_lon = (box.north - box.south) / 2, (box.east - box.west) / 2
        corners = [(sy, sx) for sy in (-1, 1) for sx in (-1, 1)]
        for fy, fx in corners + fractions:
            point = (mid_lat + fy * half_lat, mid_lon + fx * half_lon)
            assert haversine_km(latitude, longitude, *point) <= radius_km


def test_inner_boxes_only_where_they_are_sure() -> None:
    assert len(inner_boxes(CITY, 50.0)) == 2
    assert inner_boxes(Point(75.0, 10.0), 50.0) == []
    assert inner_boxes(CITY, 1500.0) == []
    assert inner_boxes(Point(0.0, 179.99), 50.0) == []


def test_sql_haversine_agrees_with_python(dense: sqlite3.Connection) -> None:
    """The inner boxes are checked in Python; SQLite measures the rows."""
    sql = nearby.HAVERSINE_SQL.replace("r.min_lat", ":plat").replace("r.min_lon", ":plon")
    rng = random.Random(5)
    for _ in range(200):
        lat, lon = rng.uniform(-70, 70), rng.uniform(-180, 180)
        plat, plon = lat + rng.uniform(-5, 5), lon + rng.uniform(-5, 5)
        args = {"lat": lat, "lon": lon, "coslat": math.cos(math.radians(lat))}
        in_sql = dense.execute(f"SELECT {sql}", args | {"plat": plat, "plon": plon}).fetchone()[0]
        assert in_sql == pytest.approx(haversine_km(lat, lon, plat, plon), rel=1e-12)


@pytest.mark.parametrize("reach_km", [0.3, 2.0, 7.5, 25.0])
def test_a_prefix_is_the_start_of_the_whole_ranking(
    dense: sqlite3.Connection, reach_km: float
) -> None:
    whole = ranking(dense, CITY, 200.0, Candidates())
    for limit in (5, 10_000):
        prefix, complete_km = nearby.ranking_prefix(dense, CITY, reach_km, limit, Candidates())
        expected = [row for row in whole if a_to_km(row.a) <= complete_km]
        assert _same_rows(prefix, expected)
        assert len(prefix) > 0 or reach_km < 1


def _same_rows(got: list[nearby.Ranked], expected: list[nearby.Ranked]) -> bool:
    """The same providers at the same locations in the same order; terms to the last bits."""
    return [row[1:] for row in got] == [row[1:] for row in expected] and all(
        row.a == pytest.approx(other.a, rel=1e-12, abs=1e-18)
        for row, other in zip(got, expected, strict=True)
    )


RANDOM_BOXES = [
    BBox(-74.3, 40.5, -73.7, 41.0),
    BBox(-74.0, 40.74, -73.96, 40.76),
    BBox(-180.0, -90.0, 180.0, 90.0),
    BBox(-71.5, 39.0, -70.5, 40.0),
    BBox(-74.0, 40.0, -73.0, 40.0),
]


@pytest.mark.parametrize("box", RANDOM_BOXES, ids=str)
def test_the_memory_index_selects_as_the_rtree_does(dense: sqlite3.Connection, box: BBox) -> None:
    index = point_index.index_for(dense, OPEN_TREE, SHARED_FLAG)
    got = set(index.ids[index.in_boxes([box])].tolist())
    expected = {
        row[0]
        for row in dense.execute(
            "SELECT id FROM locations_rtree WHERE min_lon >= ? AND max_lon <= ? "
            "AND min_lat >= ? AND max_lat <= ? AND (id & ?) = 0",
            [box.west, box.east, box.south, box.north, SHARED_FLAG],
        )
    }
    assert got == expected


def test_the_memory_index_measures_as_sqlite_does(dense: sqlite3.Connection) -> None:
    index = point_index.index_for(dense, OPEN_TREE, SHARED_FLAG)
    rows = index.in_boxes([BBox(-74.3, 40.5, -73.7, 41.0)])
    terms = index.terms(rows, CITY.latitude, CITY.longitude)
    sql = f"SELECT id, {nearby.HAVERSINE_A_SQL} FROM locations_rtree r"
    args = {"lat": CITY.latitude, "lon": CITY.longitude, "coslat": math.cos(math.radians(40.75))}
    by_sql = dict(dense.execute(sql, args).fetchall())
    assert len(rows) > 100
    for location_id, term in zip(index.ids[rows].tolist(), terms.tolist(), strict=True):
        assert term == pytest.approx(by_sql[location_id], rel=1e-12, abs=1e-18)


@pytest.mark.parametrize("radius_km", [0.5, 5.0, 30.0, 80.0, 400.0])
def test_memory_and_sqlite_count_alike(dense: sqlite3.Connection, radius_km: float) -> None:
    for centre in CENTRES.values():
        in_memory, _, _ = nearby.count_and_rank(dense, centre, radius_km, limit=1)
        assert in_memory == count_within(dense, centre, radius_km, Candidates())


def test_an_index_per_database_file(tmp_path: Any, dense: sqlite3.Connection) -> None:
    first = point_index.index_for(dense, OPEN_TREE, SHARED_FLAG)
    assert point_index.index_for(dense, OPEN_TREE, SHARED_FLAG) is first
    path = dense.execute("PRAGMA database_list").fetchone()[2]
    others = [open_readonly(Path(path)) for _ in range(point_index.KEPT + 1)]
    try:
        fresh = [point_index.index_for(db, OPEN_TREE, SHARED_FLAG) for db in others]
        assert all(index is not first for index in fresh)
        assert len(point_index._kept) == point_index.KEPT
        assert len(fresh[0]) == len(first)
    finally:
        for db in others:
            db.close()


@pytest.mark.parametrize("limit", [1, 7, 10_000])
@pytest.mark.parametrize("radius_km", [0.5, 5.0, 30.0, 120.0])
def test_one_measurement_counts_and_ranks(
    dense: sqlite3.Connection, radius_km: float, limit: int
) -> None:
    for centre in CENTRES.values():
        whole = ranking(dense, centre, radius_km, Candidates())
        total, start, complete_km = nearby.count_and_rank(dense, centre, radius_km, limit)
        assert total == len(whole)
        assert complete_km <= inner_km(radius_km)
        assert _same_rows(start, [row for row in whole if a_to_km(row.a) <= complete_km])
        assert len(start) <= limit
