"""Distances and places that are no more precise than the data: city-level sites say so, a
card names the nearest site's own region, and an empty circle offers wider ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from directory.db import close_all
from tests.builders import make_jurisdiction, make_location, make_provider, write_dataset
from tests.views.html import page_html


def _site(city: str, region: str, lat: float, lon: float, precision: str) -> dict[str, object]:
    return make_location(city, region, "US", lat, lon, precision=precision)


def _client_over(data: Path, gazetteer: Path) -> FlaskClient:
    """A client over its own dataset folder (for tests that need another than the fixture's)."""
    from directory import create_app
    from directory.dataset.build import build_database

    database = data.parent / "instance" / "directory.db"
    build_database(data, database)
    settings = {"DATA_DIR": str(data), "DATABASE": str(database), "GAZETTEER": str(gazetteer)}
    return create_app({"TESTING": True, "SECRET_KEY": "t", **settings}).test_client()


@pytest.fixture
def dataset_dir(tmp_path: Path) -> Path:
    providers = [
        make_provider(
            id="city-centre-clinic",
            name="City Centre Clinic",
            locations=[_site("Austin", "US-TX", 30.26715, -97.74306, "city")],
        ),
        make_provider(
            id="two-coast-clinic",
            name="Two Coast Clinic",
            # Its first site, which sets its own region, is in New York.
            locations=[
                _site("New York", "US-NY", 40.7128, -74.006, "address"),
                _site("Santa Monica", "US-CA", 34.0195, -118.4912, "address"),
            ],
        ),
        make_provider(
            id="fort-collins-clinic",
            name="Fort Collins Clinic",
            locations=[_site("Fort Collins", "US-CO", 40.5853, -105.0844, "address")],
        ),
    ]
    jurisdictions = [make_jurisdiction(c) for c in ("US", "US-TX", "US-NY", "US-CA", "US-CO")]
    return write_dataset(tmp_path / "data", providers, jurisdictions)


def test_a_city_level_site_is_never_shown_as_exactly_here(client: FlaskClient) -> None:
    html = page_html(client, "/providers?near=Austin&unit=km")
    assert "under 1 km away (city-level position)" in html
    assert "0.0 km" not in html


def test_the_card_pairs_the_nearest_sites_city_with_its_own_region(client: FlaskClient) -> None:
    html = page_html(client, "/providers?near=Santa%20Monica")
    assert "Santa Monica, US-CA" in html
    assert "Santa Monica, US-NY" not in html
    assert "<strong>about" not in html and "away</strong>" in html  # a street address is exact


def test_an_empty_circle_offers_wider_searches_with_their_counts(client: FlaskClient) -> None:
    html = page_html(client, "/providers?near=Denver&unit=km")
    wider = html.split('class="wider"')[1].split("</p>")[0]
    assert "within 100 km (1 provider)" in wider
    assert "within 250 km (1 provider)" in wider
    assert "within 500 km (1 provider)" in wider
    assert "radius=250" in wider and "near=Denver" in wider
    assert page_html(client, "/providers?near=Denver&radius=100").count("Fort Collins Clinic") >= 1


def test_a_filter_every_record_can_answer_adds_no_note(client: FlaskClient) -> None:
    # The three records here all state a price and payment; none is "unknown" on accepting.
    html = page_html(client, "/providers?near=Austin&accepting=yes")
    assert "filter-note" not in html
    html = page_html(client, "/providers?near=Austin&max_price=1000")
    assert "filter-note" not in html


@pytest.fixture
def unknown_dir(tmp_path: Path) -> Path:
    providers = [
        make_provider(id="a-clinic", name="A Clinic", accepting_new_patients="unknown"),
        make_provider(
            id="b-clinic",
            name="B Clinic",
            accepting_new_patients="unknown",
            payment_options=[],
            treatments=[{"code": "iv_infusion"}],
        ),
    ]
    return write_dataset(tmp_path / "data", providers, [make_jurisdiction("US")])


def test_a_filter_nobody_can_match_says_why(unknown_dir: Path, gazetteer: Path) -> None:
    client = _client_over(unknown_dir, gazetteer)
    html = page_html(client, "/providers?accepting=yes")
    assert "No record states whether they accept new patients yet" in html
    html = page_html(client, "/providers?payment=cash")
    assert "Only 1 of 2 records state how patients can pay" in html
    close_all()


@pytest.fixture
def border_dir(tmp_path: Path) -> Path:
    site = make_location
    providers = [
        make_provider(
            id="detroit-clinic",
            name="Detroit Clinic",
            locations=[site("Detroit", "US-MI", "US", 42.3314, -83.0458)],
        ),
        make_provider(
            id="london-ontario-clinic",
            name="London Ontario Clinic",
            locations=[site("London", "CA-ON", "CA", 42.9849, -81.2453)],
        ),
    ]
    codes = ("US", "US-MI", "CA", "CA-ON")
    return write_dataset(tmp_path / "data", providers, [make_jurisdiction(c) for c in codes])


def test_the_nearest_across_a_border_says_so_and_names_the_nearest_at_home(
    border_dir: Path, gazetteer: Path
) -> None:
    html = page_html(_client_over(border_dir, gazetteer), "/providers?near=Windsor,%20ON&radius=1")
    notice = html.split('class="notice"')[1].split("</p>")[0]
    assert "Detroit Clinic" in notice and "across the border in US" in notice
    assert "The nearest in CA is" in notice and "London Ontario Clinic" in notice
    close_all()
