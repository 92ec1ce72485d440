"""Search pages carry only the parameters that are set."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient


@pytest.mark.parametrize("path", ["/providers", "/map"])
def test_empty_parameters_are_dropped_by_a_redirect(site_client: FlaskClient, path: str) -> None:
    query = "near=Austin&radius=&unit=&treatment=&treatment=iv_infusion&q=+&page="
    response = site_client.get(f"{path}?{query}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"{path}?near=Austin&treatment=iv_infusion"
    assert site_client.get(response.headers["Location"]).status_code == 200


@pytest.mark.parametrize("path", ["/providers?near=Austin", "/map?near=Austin&radius=80"])
def test_a_clean_query_is_answered_at_once(site_client: FlaskClient, path: str) -> None:
    assert site_client.get(path).status_code == 200


def test_the_search_form_on_the_home_page_lands_on_a_clean_url(site_client: FlaskClient) -> None:
    form = {"near": "Austin", "radius": "", "unit": "", "treatment": "", "max_price": ""}
    response = site_client.get("/providers", query_string=form, follow_redirects=True)
    assert response.status_code == 200
    assert response.request.full_path == "/providers?near=Austin"
