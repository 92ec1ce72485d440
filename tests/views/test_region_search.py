"""A search for a region's name lists that region's providers, as the region filter does."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.builders import make_jurisdiction, make_provider, write_dataset


def _site(city: str, lat: float, lon: float) -> dict[str, object]:
    return {
        "city": city,
        "region": "US-TX",
        "country": "US",
        "latitude": lat,
        "longitude": lon,
        "precision": "address",
    }


@pytest.fixture
def dataset_dir(tmp_path: Path) -> Path:
    providers = [
        # Houston and El Paso are hundreds of kilometres from the middle of Texas.
        make_provider(
            id="houston-clinic", name="Houston Clinic", locations=[_site("Houston", 29.76, -95.37)]
        ),
        make_provider(
            id="el-paso-clinic", name="El Paso Clinic", locations=[_site("El Paso", 31.76, -106.49)]
        ),
    ]
    jurisdictions = [
        make_jurisdiction(code, name=name)
        for code, name in (("US", "United States"), ("US-TX", "Texas"))
    ]
    return write_dataset(tmp_path / "data", providers, jurisdictions)


def test_a_region_name_lists_the_regions_providers(client: FlaskClient) -> None:
    html = client.get("/providers?near=Texas").get_data(as_text=True)
    assert "2 providers in Texas, listed alphabetically" in html
    assert "Houston Clinic" in html and "El Paso Clinic" in html


def test_the_api_does_the_same(client: FlaskClient) -> None:
    body = client.get("/api/providers?near=Texas").get_json()
    assert body["total"] == 2
    assert {row["id"] for row in body["results"]} == {"houston-clinic", "el-paso-clinic"}


def test_a_radius_still_means_a_circle(client: FlaskClient) -> None:
    html = client.get("/providers?near=Texas&radius=50").get_data(as_text=True)
    assert "within 50 km of Texas" in html
