"""Small readers for the map in a browser, so the tests say what they look for."""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import urlopen

from flask import Flask
from playwright.sync_api import Page

from bench.map_bench import DRAWN_COUNT_JS
from directory.search.service import find_providers


def open_map(page: Page, url: str) -> None:
    """Load ``url`` and wait until every marker and cluster is drawn."""
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    wait_until_drawn(page)


def wait_until_drawn(page: Page) -> None:
    """Wait for map.js to report the markers drawn; fail if it reported an error."""
    page.wait_for_selector("html[data-map-ready]", state="attached", timeout=30_000)
    assert page.get_attribute("html", "data-map-ready") == "1", page.inner_text("#map-status")


def drawn_count(page: Page) -> int:
    """How many providers the markers and cluster counts on the map add up to."""
    count: int = page.evaluate(DRAWN_COUNT_JS)
    return count


def api_total(app: Flask, base_url: str, params: Mapping[str, str]) -> int:
    """The total the API reports for ``params``; the search service's, if there is no API."""
    query = urlencode({**params, "per_page": "1"})
    try:
        with urlopen(f"{base_url}/api/providers?{query}", timeout=30) as response:
            total: int = json.load(response)["total"]
            return total
    except HTTPError as error:
        if error.code != 404:
            raise
    with app.test_request_context():
        return find_providers(params).result.total
