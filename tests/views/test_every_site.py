"""A provider with several sites appears at each of them: on the map, in GeoJSON and in CSV.

The list shows it once, at its nearest site; the map's points and the exports' rows carry
every site (within the search's circle, for the map).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from directory import create_app
from directory.dataset.build import build_database
from directory.db import close_all
from directory.search.geometry import geodesic_km
from tests.builders import make_location, make_provider, write_dataset
from tests.seed import SEED_JURISDICTIONS, SEED_PROVIDERS

AUSTIN = (30.2672, -97.7431)
#: Three sites, listed in the record farthest from Austin first.
SITES = [
    ("Houston", 29.7604, -95.3698),
    ("Dallas", 32.7767, -96.7970),
    ("Austin", 30.2500, -97.7000),
]
MULTI = "three-site-clinic"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, gazetteer: Path) -> Iterator[FlaskClient]:
    root = tmp_path_factory.mktemp("every-site")
    multi = make_provider(
        id=MULTI,
        name="Three Site Clinic",
        locations=[make_location(city, "US-TX", "US", lat, lon) for city, lat, lon in SITES],
    )
    data = write_dataset(root / "data", [*SEED_PROVIDERS, multi], SEED_JURISDICTIONS)
    database = root / "directory.db"
    build_database(data, database)
    app: Flask = create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(data),
            "DATABASE": str(database),
            "GAZETTEER": str(gazetteer),
            "SECRET_KEY": "test",
        }
    )
    yield app.test_client()
    close_all()


def get_json(client: FlaskClient, url: str, **query: str) -> Any:
    response = client.get(url, query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return json.loads(response.get_data(as_text=True))


def multi_rows(payload: dict[str, Any]) -> list[list[Any]]:
    return [row for row in payload["points"] if row[2] == MULTI]


def near_austin(radius_km: int) -> dict[str, str]:
    return {"near": f"{AUSTIN[0]},{AUSTIN[1]}", "radius": str(radius_km), "unit": "km"}


def test_the_whole_map_has_a_point_at_every_site(client: FlaskClient) -> None:
    payload = get_json(client, "/map/points.json")
    positions = {(row[0], row[1]) for row in multi_rows(payload)}
    assert positions == {(lat, lon) for _, lat, lon in SITES}
    assert payload["count"] == len(payload["points"])
    assert payload["providers"] == len({row[2] for row in payload["points"]})
    assert payload["count"] == payload["providers"] + len(SITES) - 1


def test_a_circle_has_the_sites_inside_it_nearest_first(client: FlaskClient) -> None:
    small = multi_rows(get_json(client, "/map/points.json", **near_austin(50)))
    assert [(row[0], row[1]) for row in small] == [(30.25, -97.7)]
    wide = multi_rows(get_json(client, "/map/points.json", **near_austin(260)))
    assert [(row[0], row[1]) for row in wide] == [(30.25, -97.7), (29.7604, -95.3698)]
    assert [row[6] for row in wide] == sorted(row[6] for row in wide)
    houston = geodesic_km(*AUSTIN, 29.7604, -95.3698)
    assert wide[1][6] == pytest.approx(houston, rel=0.01)


def test_the_list_counts_the_provider_once(client: FlaskClient) -> None:
    document = get_json(client, "/api/providers", **near_austin(400))
    found = [row for row in document["results"] if row["id"] == MULTI]
    assert len(found) == 1
    assert found[0]["city"] == "Austin"
    payload = get_json(client, "/map/points.json", **near_austin(400))
    assert payload["providers"] == document["total"]


def test_an_area_has_every_site_inside_it(client: FlaskClient) -> None:
    # Dallas and Houston, not Austin.
    rows = multi_rows(get_json(client, "/map/points.json", bbox="-97.2,29.5,-95.0,33.0"))
    assert sorted(row[0] for row in rows) == [29.7604, 32.7767]


def test_geojson_has_a_multipoint_nearest_first(client: FlaskClient) -> None:
    document = get_json(client, "/api/providers.geojson", **near_austin(400))
    feature = next(f for f in document["features"] if f["id"] == MULTI)
    assert feature["geometry"]["type"] == "MultiPoint"
    order = sorted(SITES, key=lambda site: geodesic_km(*AUSTIN, site[1], site[2]))
    assert feature["geometry"]["coordinates"] == [[lon, lat] for _, lat, lon in order]
    described = feature["properties"]["sites"]
    assert [site["city"] for site in described] == [city for city, _, _ in order]
    distances = [site["distance_km"] for site in described]
    assert distances == sorted(distances)
    single = next(f for f in document["features"] if f["id"] == "austin-harbor-infusions")
    assert single["geometry"]["type"] == "Point"
    assert len(single["properties"]["sites"]) == 1


def test_csv_has_a_row_per_site(client: FlaskClient) -> None:
    response = client.get("/api/providers.csv", query_string=near_austin(400))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    mine = [row for row in rows if row["id"] == MULTI]
    assert [row["city"] for row in mine] == ["Austin", "Houston", "Dallas"]
    assert [row["site"] for row in mine] == ["1", "2", "3"]
    assert {row["sites"] for row in mine} == {"3"}
    assert [float(row["distance_km"]) for row in mine] == sorted(
        float(row["distance_km"]) for row in mine
    )
    telehealth = [row for row in rows if row["sites"] == "0"]
    assert all(row["latitude"] == "" and row["site"] == "" for row in telehealth)


def test_without_a_place_the_exports_keep_the_record_order(client: FlaskClient) -> None:
    response = client.get("/api/providers.csv", query_string={"q": "Three Site"})
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["city"] for row in rows] == [city for city, _, _ in SITES]
    assert {row["distance_km"] for row in rows} == {""}
