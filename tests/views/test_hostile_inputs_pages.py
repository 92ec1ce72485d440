"""Hostile input for every parameter of the public pages: never a 500, never live markup."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.hostile import CORPUS, MARKUP, SEARCH_PARAMETERS, assert_safe


@pytest.mark.parametrize("value", CORPUS, ids=lambda v: repr(v[:20]))
@pytest.mark.parametrize("param", SEARCH_PARAMETERS)
def test_provider_search_survives(site_client: FlaskClient, param: str, value: str) -> None:
    response = site_client.get("/providers", query_string={param: value}, follow_redirects=True)
    assert response.status_code in (200, 400)
    assert_safe(response.get_data(as_text=True), value)


@pytest.mark.parametrize("value", MARKUP)
def test_every_parameter_hostile_at_once(site_client: FlaskClient, value: str) -> None:
    response = site_client.get(
        "/providers", query_string={param: value for param in SEARCH_PARAMETERS}
    )
    assert response.status_code == 400
    assert_safe(response.get_data(as_text=True), value)


@pytest.mark.parametrize("value", (*MARKUP, "' OR 1=1 --", 'NEAR(a b) OR "', "*"))
def test_hostile_text_with_a_valid_place(site_client: FlaskClient, value: str) -> None:
    response = site_client.get("/providers", query_string={"near": "Austin", "q": value})
    assert response.status_code == 200
    assert_safe(response.get_data(as_text=True), value)


@pytest.mark.parametrize("value", MARKUP)
def test_hostile_text_quoted_by_the_geocoder(site_client: FlaskClient, value: str) -> None:
    response = site_client.get("/providers", query_string={"near": f"Austin, {value}"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "We did not recognise" in body
    assert_safe(body, value)


@pytest.mark.parametrize(
    "query",
    ["near=%ff%fe", "near=%", "q=%E0%A4%A", "near=Austin&near=<script>", "radius=%00"],
)
def test_malformed_query_strings(site_client: FlaskClient, query: str) -> None:
    response = site_client.get("/providers", query_string=query)
    assert response.status_code in (200, 400)
    assert_safe(response.get_data(as_text=True), "<script>")


@pytest.mark.parametrize("value", CORPUS[:12], ids=lambda v: repr(v[:20]))
@pytest.mark.parametrize("route", ["/providers/{}", "/regions/{}"])
def test_hostile_path_segments(site_client: FlaskClient, route: str, value: str) -> None:
    response = site_client.get(route.format(value.replace("/", "%2F").replace("?", "%3F")))
    assert response.status_code in (404, 405)
    assert_safe(response.get_data(as_text=True), value)


@pytest.mark.parametrize("value", CORPUS, ids=lambda v: repr(v[:20]))
def test_hostile_region_page_number(site_client: FlaskClient, value: str) -> None:
    response = site_client.get("/regions/US-TX", query_string={"page": value})
    assert response.status_code in (200, 400)
    assert_safe(response.get_data(as_text=True), value)
