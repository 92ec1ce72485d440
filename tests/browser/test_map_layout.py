"""The map at a phone's width and a desktop's, in Debian's Chromium: the key lists only what
is on the map and folds on a phone, an open key covers no marker, popups fit the screen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.helpers import open_map

pytestmark = pytest.mark.browser

AUSTIN = "30.2672,-97.7431"


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    yield context.new_page()
    context.close()


def _overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_the_key_lists_only_the_statuses_on_the_map(page: Page, live_server: str) -> None:
    open_map(page, f"{live_server}/map?near={AUSTIN}&radius=100")
    key = page.locator(".kt-key").inner_text()
    assert "Open" in key and "Illustrative record" in key
    assert "Closed" not in key and "Temporarily closed" not in key  # none is shown
    open_map(page, f"{live_server}/map?near={AUSTIN}&radius=100&include_closed=1")
    assert "Closed" in page.locator(".kt-key").inner_text()


def test_an_open_key_covers_no_marker(page: Page, live_server: str) -> None:
    open_map(page, f"{live_server}/map?region=US-TX")
    legend = page.locator(".kt-legend").bounding_box()
    assert (
        legend is not None and page.locator(".kt-legend details").get_attribute("open") is not None
    )
    markers = page.locator(".leaflet-marker-pane .kt-marker, .leaflet-marker-pane .kt-cluster")
    assert markers.count() > 0
    for index in range(markers.count()):
        box = markers.nth(index).bounding_box()
        assert box is not None and not _overlaps(box, legend), index


def test_on_a_phone_the_key_is_folded_and_a_popup_fits(phone: Page, live_server: str) -> None:
    open_map(phone, f"{live_server}/map?near={AUSTIN}&radius=100")
    assert phone.locator(".kt-legend details").get_attribute("open") is None
    phone.locator('.kt-marker[title^="Austin Harbor Infusions ("]').click()
    phone.wait_for_selector(".kt-popup .kt-price")
    popup = phone.locator(".leaflet-popup").bounding_box()
    assert popup is not None
    assert popup["x"] >= 0 and popup["x"] + popup["width"] <= 390
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
