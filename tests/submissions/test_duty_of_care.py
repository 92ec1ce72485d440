"""Every page about one country shows that country's rules and crisis lines, also where the
provider's own subdivision has no file (Berlin's DE-BE falls back to Germany)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.builders import (
    JURISDICTION_SOURCE,
    make_jurisdiction,
    make_location,
    make_provider,
    write_dataset,
)
from tests.submissions.helpers import csrf_from, suggestion


def _line(name: str, phone: str) -> dict[str, object]:
    return {"name": name, "phone": phone, "sources": [dict(JURISDICTION_SOURCE)]}


JURISDICTIONS = [
    make_jurisdiction("US", name="United States"),
    make_jurisdiction("US-TX", name="Texas"),
    make_jurisdiction(
        "DE",
        name="Germany",
        crisis_lines=[_line("TelefonSeelsorge", "0800 111 0 111 / 0800 111 0 222")],
    ),
    make_jurisdiction("NZ", name="New Zealand", crisis_lines=[_line("Need to talk? 1737", "1737")]),
]


def _site(city: str, region: str, country: str, lat: float, lon: float) -> dict[str, object]:
    return make_location(city, region, country, lat, lon, precision="city")


PROVIDERS = [
    make_provider(),
    make_provider(
        id="berlin-clinic",
        name="Berlin Clinic",
        phone=None,
        locations=[_site("Berlin", "DE-BE", "DE", 52.52, 13.405)],
        treatments=[{"code": "esketamine_nasal"}],
    ),
    make_provider(
        id="christchurch-clinic",
        name="Christchurch Clinic",
        phone=None,
        locations=[_site("Christchurch", "NZ-CAN", "NZ", -43.53, 172.64)],
        treatments=[{"code": "iv_infusion"}],
    ),
]


@pytest.fixture
def dataset_dir(tmp_path: Path) -> Path:
    return write_dataset(tmp_path / "data", PROVIDERS, JURISDICTIONS)


def crisis_box(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    html = response.get_data(as_text=True)
    return html.split('aria-labelledby="crisis-heading"')[1].split("</aside>")[0]


@pytest.mark.parametrize(
    ("url", "heading", "line"),
    [
        ("/providers/berlin-clinic", "In crisis in Germany?", "TelefonSeelsorge"),
        ("/providers/berlin-clinic/suggest", "In crisis in Germany?", "TelefonSeelsorge"),
        ("/providers/christchurch-clinic", "In crisis in New Zealand?", "Need to talk? 1737"),
        ("/providers/harbor-ketamine-austin", "In crisis in the United States?", "988"),
        ("/providers?near=Berlin", "In crisis in Germany?", "TelefonSeelsorge"),
    ],
)
def test_the_country_in_view_gets_its_own_crisis_lines(
    client: FlaskClient, url: str, heading: str, line: str
) -> None:
    box = crisis_box(client, url)
    assert heading in box
    assert line in box
    assert "Free help, any time" not in box  # not the generic box


def test_rules_fall_back_to_the_country(client: FlaskClient) -> None:
    html = client.get("/providers/berlin-clinic").get_data(as_text=True)
    rules = html.split('id="rules-heading"')[1].split("</section>")[0]
    assert "Rules that apply in Germany" in rules
    assert "A test note for DE." in rules


def test_the_status_page_of_a_suggestion_shows_the_countrys_lines(client: FlaskClient) -> None:
    page = client.get("/providers/berlin-clinic/suggest?field=name")
    form = suggestion(field="name", proposed="Berlin Clinic Mitte", csrf_token=csrf_from(page))
    sent = client.post("/providers/berlin-clinic/suggest", data=form)
    assert sent.status_code == 303, sent.get_data(as_text=True)[:500]
    assert "TelefonSeelsorge" in crisis_box(client, sent.headers["Location"])


@pytest.mark.parametrize("url", ["/providers/berlin-clinic", "/regions/DE"])
def test_each_number_of_a_line_is_its_own_link(client: FlaskClient, url: str) -> None:
    """ "0800 111 0 111 / 0800 111 0 222" is two numbers to call, not one of 22 digits."""
    html = client.get(url).get_data(as_text=True)
    assert 'href="tel:08001110111"' in html and 'href="tel:08001110222"' in html
    assert "tel:0800111011108001110222" not in html


def test_a_search_by_position_shows_the_crisis_lines_of_its_country(client: FlaskClient) -> None:
    """ "Use my location" sends coordinates: Berlin's are in Germany, so Germany's lines."""
    box = crisis_box(client, "/providers?near=52.52,13.405")
    assert "In crisis in Germany?" in box and "TelefonSeelsorge" in box
