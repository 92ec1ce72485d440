"""Search correctness against an independent, brute-force geodesic computation."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from geopy.distance import geodesic

from directory.dataset.build import build_database
from directory.db import open_readonly
from directory.search.candidates import fts_query
from directory.search.geometry import BBox, Point, bounding_boxes
from directory.search.params import SearchParams
from directory.search.points import matching_points
from directory.search.result import search
from tests.builders import make_jurisdiction, make_provider, write_dataset
from tests.seed import SEED_JURISDICTIONS, SEED_PROVIDERS

CENTRES = {
    "austin": Point(30.2672, -97.7431),
    "antimeridian-east": Point(-16.8, 179.9),
    "antimeridian-west": Point(-16.8, -179.9),
    "arctic": Point(78.2, 15.6),
    "near-north-pole": Point(89.5, 0.0),
    "equator": Point(0.0, 0.0),
}


def _random_providers(count: int, seed: int = 3) -> list[dict[str, Any]]:
    """Providers scattered around each centre, some on the radius's edge."""
    rng = random.Random(seed)
    providers = []
    for number in range(count):
        centre = rng.choice(list(CENTRES.values()))
        latitude = max(-89.99, min(89.99, centre.latitude + rng.uniform(-3, 3)))
        longitude = (centre.longitude + rng.uniform(-6, 6) + 180) % 360 - 180
        providers.append(
            make_provider(
                id=f"p-{number:04d}",
                name=f"Provider {number}",
                status=rng.choice(["active", "active", "closed"]),
                locations=[
                    {
                        "city": "Somewhere",
                        "country": "US",
                        "latitude": round(latitude, 6),
                        "longitude": round(longitude, 6),
                        "precision": "address",
                    }
                ],
                treatments=[
                    {
                        "code": rng.choice(["iv_infusion", "esketamine_nasal"]),
                        "price": {
                            "min": rng.randrange(100, 900, 50),
                            "max": 950,
                            "currency": "USD",
                            "unit": "per_session",
                            "source": "pricing",
                        },
                    }
                ],
                payment_options=[rng.choice(["cash", "private_insurance"])],
            )
        )
    return providers


@pytest.fixture(scope="module")
def scattered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    root = tmp_path_factory.mktemp("scattered")
    providers = _random_providers(1500)
    write_dataset(root / "data", providers, [make_jurisdiction("US")])
    build_database(root / "data", root / "db.sqlite")
    db = open_readonly(root / "db.sqlite")
    yield db
    db.close()


def _expected(
    db: sqlite3.Connection, centre: Point, radius_km: float, **filters: Any
) -> list[tuple[str, float]]:
    rows = db.execute(
        "SELECT p.id, p.status, l.latitude, l.longitude "
        "FROM providers p JOIN locations l ON l.provider_id = p.id"
    ).fetchall()
    out = []
    for row in rows:
        if row["status"] == "closed" and not filters.get("include_closed"):
            continue
        if "treatment" in filters:
            codes = {
                r[0]
                for r in db.execute(
                    "SELECT code FROM treatments WHERE provider_id = ?", [row["id"]]
                )
            }
            if filters["treatment"] not in codes:
                continue
        distance = geodesic(
            (centre.latitude, centre.longitude), (row["latitude"], row["longitude"])
        ).km
        if distance <= radius_km:
            out.append((row["id"], distance))
    return sorted(out, key=lambda item: (item[1], item[0]))


@pytest.mark.parametrize("centre", list(CENTRES), ids=list(CENTRES))
@pytest.mark.parametrize("radius_km", [25.0, 150.0, 400.0])
def test_matches_brute_force_geodesic(
    scattered: sqlite3.Connection, centre: str, radius_km: float
) -> None:
    point = CENTRES[centre]
    expected = _expected(scattered, point, radius_km)
    params = SearchParams(radius=radius_km, radius_given=True, per_page=100)
    result = search(scattered, params, center=point)
    assert result.total == len(expected)
    got = [(hit.id, hit.distance_km) for hit in result.hits]
    assert [item[0] for item in got] == [item[0] for item in expected[:100]]
    for (_, distance), (_, exact) in zip(got, expected, strict=False):
        assert distance == pytest.approx(exact, abs=1e-6)
    points = matching_points(scattered, params, point)
    assert sorted(p.id for p in points) == sorted(item[0] for item in expected)


def test_pagination_walks_the_whole_ranking(scattered: sqlite3.Connection) -> None:
    point = CENTRES["austin"]
    expected = [item[0] for item in _expected(scattered, point, 400.0)]
    seen: list[str] = []
    page = 1
    while True:
        params = SearchParams(radius=400.0, radius_given=True, per_page=7, page=page)
        result = search(scattered, params, center=point)
        if not result.hits:
            break
        seen += [hit.id for hit in result.hits]
        page += 1
    assert seen == expected
    assert result.pages == -(-len(expected) // 7)


def test_filters_agree_with_brute_force(scattered: sqlite3.Connection) -> None:
    point = CENTRES["equator"]
    expected = _expected(scattered, point, 300.0, treatment="esketamine_nasal", include_closed=True)
    from directory.dataset.models import TreatmentCode

    params = SearchParams(
        radius=300.0,
        radius_given=True,
        per_page=100,
        include_closed=True,
        treatment=TreatmentCode.ESKETAMINE_NASAL,
    )
    result = search(scattered, params, center=point)
    assert [hit.id for hit in result.hits] == [item[0] for item in expected]


def test_bounding_boxes_split_at_the_antimeridian() -> None:
    boxes = bounding_boxes(Point(0, 179.9), 100)
    assert len(boxes) == 2
    assert boxes[0].east == 180 and boxes[1].west == -180
    polar = bounding_boxes(Point(89.9, 10), 100)
    assert polar == [BBox(-180.0, polar[0].south, 180.0, 90.0)]


def test_fts_query_neutralises_syntax() -> None:
    assert fts_query('NEAR(a b) OR "x') == '"NEAR(a"* "b)"* "OR"* "x"*'
    assert fts_query('""') == ""


@pytest.fixture
def seeded_db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    root = write_dataset(tmp_path / "data", SEED_PROVIDERS, SEED_JURISDICTIONS)
    build_database(root, tmp_path / "db.sqlite")
    db = open_readonly(tmp_path / "db.sqlite")
    yield db
    db.close()


def test_closed_hidden_unless_asked(seeded_db: sqlite3.Connection) -> None:
    austin = CENTRES["austin"]
    ids = [h.id for h in search(seeded_db, SearchParams(), center=austin).hits]
    assert "closed-austin-clinic" not in ids
    ids = [h.id for h in search(seeded_db, SearchParams(include_closed=True), center=austin).hits]
    assert "closed-austin-clinic" in ids


def test_nothing_within_radius_names_the_nearest(seeded_db: sqlite3.Connection) -> None:
    result = search(
        seeded_db, SearchParams(radius=5, radius_given=True), center=Point(31.5, -97.1)
    )  # Waco
    assert result.total == 0
    assert result.nearest is not None and result.nearest.id == "round-rock-ketamine"
    assert result.nearest.distance_km == pytest.approx(
        geodesic((31.5, -97.1), (30.5083, -97.6789)).km, abs=1e-6
    )


def test_telehealth_section_for_the_region(seeded_db: sqlite3.Connection) -> None:
    result = search(
        seeded_db, SearchParams(), center=CENTRES["austin"], telehealth_codes=["US-TX", "US"]
    )
    assert [h.id for h in result.telehealth] == ["lone-star-telehealth"]
    assert result.telehealth[0].treatments[0]["unit"] == "per_month"


def test_bbox_across_the_antimeridian(seeded_db: sqlite3.Connection) -> None:
    params = SearchParams(bbox=BBox(179.0, -18.0, -179.0, -15.0))
    ids = sorted(h.id for h in search(seeded_db, params).hits)
    assert ids == ["fiji-dateline-clinic", "samoa-dateline-clinic"]


def test_dateline_neighbours_are_close(seeded_db: sqlite3.Connection) -> None:
    result = search(
        seeded_db, SearchParams(radius=10, radius_given=True), center=Point(-16.85, 179.99)
    )
    assert sorted(h.id for h in result.hits) == ["fiji-dateline-clinic", "samoa-dateline-clinic"]
