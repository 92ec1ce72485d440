"""The search at a phone's width and a desktop's, in Debian's Chromium: after a search the
form folds to one line on a phone so the results come first; the home page's filters start
folded on a phone and open on a desktop."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


@pytest.fixture(params=[(390, 844), (1280, 900)], ids=["390px", "1280px"])
def sized(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[Page, int, int]]:
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height})
    yield context.new_page(), width, height
    context.close()


def test_results_come_first_on_a_phone(sized: tuple[Page, int, int], live_server: str) -> None:
    page, width, height = sized
    page.goto(live_server + "/providers?near=Austin&radius=100")
    page.wait_for_load_state("load")
    fold = page.locator("details.search-fold")
    phone = width < 700
    assert (fold.get_attribute("open") is None) is phone
    first = page.locator(".hits .hit").first.bounding_box()
    assert first is not None
    if phone:
        assert first["y"] < height  # the first result is on the first screen
        assert "Change the search" in fold.locator("> summary").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_home_filters_fold_on_a_phone(sized: tuple[Page, int, int], live_server: str) -> None:
    page, width, _ = sized
    page.goto(live_server + "/")
    page.wait_for_load_state("load")
    filters = page.locator("details.filters")
    assert (filters.get_attribute("open") is None) is (width < 700)


def test_a_search_error_keeps_everything_open_on_a_phone(
    browser: Browser, live_server: str
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(live_server + "/providers?near=Austin&radius=-5")
        page.wait_for_load_state("load")
        assert page.locator(".error-summary").is_visible()
        assert page.locator("#field-radius").is_visible()
    finally:
        context.close()
