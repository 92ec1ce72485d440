"""The API's shapes, filters, exports and errors."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from flask import Flask

from directory import exports
from directory.openapi import openapi_document


def test_search_contract(seeded_client: Any) -> None:
    body = seeded_client.get("/api/providers?near=Austin, TX").get_json()
    assert set(body) >= {"location", "total", "page", "per_page", "results"}
    assert set(body["location"]) >= {"label", "lat", "lon", "precision"}
    assert body["location"]["label"] == "Austin, Texas, US"
    first = body["results"][0]
    assert set(first) >= {
        "id",
        "name",
        "distance_km",
        "latitude",
        "longitude",
        "region",
        "treatments",
    }
    assert first["id"] == "austin-harbor-infusions"
    assert [r["id"] for r in body["results"]] == ["austin-harbor-infusions", "round-rock-ketamine"]
    assert body["total"] == 2
    assert first["payment_options"] == ["cash", "financing"]  # each once, in order
    assert [t["code"] for t in first["treatments"]] == ["esketamine_nasal", "iv_infusion"]
    assert first["treatments"][1] == {
        "code": "iv_infusion",
        "price_min": 450,
        "price_max": 550,
        "currency": "USD",
        "unit": "per_session",
        "price_published": None,
        "price_retrieved": "2026-01-15",
    }
    distances = [r["distance_km"] for r in body["results"]]
    assert distances == sorted(distances)


def test_location_is_null_without_near(seeded_client: Any) -> None:
    body = seeded_client.get("/api/providers").get_json()
    assert body["location"] is None
    assert body["total"] == 10  # every listed provider except the closed one


def test_radius_in_miles(seeded_client: Any) -> None:
    km = seeded_client.get("/api/providers?near=Austin, TX&radius=20").get_json()
    mi = seeded_client.get("/api/providers?near=Austin, TX&radius=20&unit=mi").get_json()
    assert km["total"] == 1 and mi["total"] == 2  # Round Rock is ~27 km away


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("treatment=im_injection", ["round-rock-ketamine"]),
        ("max_price=400", ["round-rock-ketamine"]),
        ("payment=financing", ["austin-harbor-infusions"]),
        ("accepting=no", ["round-rock-ketamine"]),
        ("q=round", ["round-rock-ketamine"]),
        (
            "include_closed=1",
            ["austin-harbor-infusions", "closed-austin-clinic", "round-rock-ketamine"],
        ),
    ],
)
def test_filters(seeded_client: Any, query: str, expected: list[str]) -> None:
    body = seeded_client.get(f"/api/providers?near=Austin, TX&{query}").get_json()
    assert sorted(r["id"] for r in body["results"]) == expected


def test_pagination(seeded_client: Any) -> None:
    pages = [
        seeded_client.get(f"/api/providers?per_page=3&page={n}").get_json() for n in (1, 2, 3, 4)
    ]
    ids = [r["id"] for page in pages for r in page["results"]]
    assert len(ids) == len(set(ids)) == 10
    assert pages[0]["pages"] == 4 and pages[3]["results"] and len(pages[3]["results"]) == 1


def test_telehealth_and_nearest(seeded_client: Any) -> None:
    body = seeded_client.get("/api/providers?near=Waco, TX&radius=5").get_json()
    assert body["total"] == 0
    assert body["nearest"]["id"] == "round-rock-ketamine"
    assert [t["id"] for t in body["telehealth"]] == ["lone-star-telehealth"]


def test_provider_and_regions(seeded_client: Any) -> None:
    provider = seeded_client.get("/api/providers/austin-harbor-infusions").get_json()
    assert provider["name"] == "Austin Harbor Infusions"
    assert provider["sources"][0]["url"].startswith("https://")
    assert provider["last_verified"] == {"date": None, "by": None}
    regions = seeded_client.get("/api/regions").get_json()["results"]
    assert {"code": "US-TX"}.items() <= next(r for r in regions if r["code"] == "US-TX").items()
    texas = seeded_client.get("/api/regions/US-TX").get_json()
    assert texas["crisis_lines"][0]["phone"] == "988"  # inherited from US
    assert texas["inherited_notes"][0]["jurisdiction"] == "US"


@pytest.mark.parametrize(
    "url", ["/api/providers/nope", "/api/regions/XX-ZZ", "/api/regions/not-a-code", "/api/nothing"]
)
def test_unknown_ids_are_404_json(seeded_client: Any, url: str) -> None:
    response = seeded_client.get(url)
    assert response.status_code == 404
    assert "error" in response.get_json()


def test_geojson_is_a_feature_collection(seeded_client: Any) -> None:
    response = seeded_client.get("/api/providers.geojson?near=Austin, TX")
    assert response.mimetype == "application/geo+json"
    body = response.get_json()
    assert body["type"] == "FeatureCollection"
    feature = body["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [-97.7431, 30.2672]}
    assert feature["properties"]["name"] == "Austin Harbor Infusions"
    assert response.headers["X-Total-Count"] == "2"


def test_csv_export(seeded_client: Any) -> None:
    response = seeded_client.get("/api/providers.csv?near=Austin, TX")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["id"] for row in rows] == ["austin-harbor-infusions", "round-rock-ketamine"]
    assert rows[0]["lowest_session_price"] == "450.0" and rows[0]["currency"] == "USD"
    # The price's two dates, kept apart: its page shows none; it was read on 15 January 2026.
    assert (rows[0]["price_published"], rows[0]["price_retrieved"]) == ("", "2026-01-15")


def test_csv_neutralises_formulas() -> None:
    from directory.exports import _csv_safe

    assert _csv_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _csv_safe("Clinic") == "Clinic"


def test_cors_is_open_for_get(seeded_client: Any) -> None:
    response = seeded_client.get("/api/regions")
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_every_api_route_is_documented(seeded_app: Flask) -> None:
    documented = set(openapi_document("http://x")["paths"])
    routes = {
        rule.rule.replace("<", "{").replace(">", "}")
        for rule in seeded_app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
    }
    assert routes == documented


def test_openapi_is_served(seeded_client: Any) -> None:
    body = seeded_client.get("/api/openapi.json").get_json()
    assert body["openapi"].startswith("3.")
    names = {p["name"] for p in body["paths"]["/api/providers"]["get"]["parameters"]}
    assert names >= {
        "near",
        "radius",
        "unit",
        "treatment",
        "max_price",
        "payment",
        "accepting",
        "q",
        "page",
        "per_page",
        "bbox",
    }


def test_fields_choose_what_each_row_carries(seeded_client: Any) -> None:
    full = seeded_client.get("/api/providers?near=Austin,%20TX").get_json()
    lean = seeded_client.get(
        "/api/providers?near=Austin,%20TX&fields=name,distance_km,city"
    ).get_json()
    assert lean["total"] == full["total"] and lean["total"] > 0
    assert [list(row) for row in lean["results"]] == [["id", "name", "distance_km", "city"]] * len(
        full["results"]
    )
    for row, whole in zip(lean["results"], full["results"], strict=True):
        assert row == {key: whole[key] for key in row}
    assert all(list(row) == list(exports.HIT_FIELDS) for row in full["results"])


@pytest.mark.parametrize("value", ["nope", "name,nope", "name;city", "x" * 500])
def test_fields_must_be_known(seeded_client: Any, value: str) -> None:
    response = seeded_client.get("/api/providers", query_string={"fields": value})
    assert response.status_code == 400
    assert response.get_json()["parameter"] == "fields"
    assert "distance_km" in response.get_json()["error"]


def test_a_provider_carries_the_source_of_each_fact(seeded_client: Any) -> None:
    body = seeded_client.get("/api/providers/austin-harbor-infusions").get_json()
    [price_source] = body["fact_sources"]["treatments.iv_infusion.price"]
    assert price_source["url"] == "https://clinic.example.org/pricing"
    assert price_source["kind"] == "provider"
    # The page shows no date: that stays null, never filled in with the day it was read.
    assert (price_source["published"], price_source["retrieved"]) == (None, "2026-01-15")
    assert set(body["fact_sources"]) >= {"phone", "website", "locations[0]"}


# Prices in different currencies are never compared ---------------------------------------


def _ids(client: Any, query: str) -> set[str]:
    response = client.get("/api/providers?" + query)
    assert response.status_code == 200, response.get_json()
    return {row["id"] for row in response.get_json()["results"]}


def test_a_maximum_price_is_in_the_searched_countrys_currency(seeded_client: Any) -> None:
    # Toronto's CAD 500 is under a maximum of 600 in Canadian dollars.
    assert "toronto-lakeside" in _ids(seeded_client, "near=Toronto&max_price=600")
    # The same 600 read as US dollars leaves the CAD price out rather than compare it.
    assert "toronto-lakeside" not in _ids(seeded_client, "near=Toronto&max_price=600&currency=USD")


def test_a_chosen_currency_leaves_prices_in_others_out(seeded_client: Any) -> None:
    found = _ids(seeded_client, "max_price=600&currency=USD&per_page=100")
    assert "round-rock-ketamine" in found  # USD 300
    assert "london-esketamine" not in found  # GBP 551: a smaller number, another currency
    assert "toronto-lakeside" not in found  # CAD 500


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("max_price=600", "max_price", "say which currency the maximum price is in"),
        ("max_price=600&currency=XYZ", "currency", "currency must be a currency code"),
        ("currency=dollars", "currency", "currency must be a currency code"),
    ],
)
def test_a_maximum_price_without_a_known_currency_is_refused(
    seeded_client: Any, query: str, parameter: str, message: str
) -> None:
    response = seeded_client.get("/api/providers?" + query)
    assert response.status_code == 400
    body = response.get_json()
    assert body["parameter"] == parameter and message in body["error"]
