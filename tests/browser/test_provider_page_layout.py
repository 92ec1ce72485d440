"""A provider's page at a phone's width and a desktop's, in Debian's Chromium: the call
button, the website and what is not yet known are on the first screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

WIDTHS = [(390, 844), (1280, 900)]


@pytest.mark.parametrize(("width", "height"), WIDTHS, ids=["390px", "1280px"])
def test_call_website_and_unknowns_fit_the_first_screen(
    browser: Browser, live_server: str, width: int, height: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        page.goto(live_server + "/providers/closed-austin-clinic?from=30.27,-97.74&unit=mi")
        for locator in (
            page.get_by_role("link", name="Call (512) 555-0100"),
            page.get_by_role("link", name="Website", exact=True),
            page.get_by_text("From where you searched"),
            page.locator(".unknown-line"),
        ):
            box = locator.bounding_box()
            assert box is not None
            assert box["y"] + box["height"] <= height, locator
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, locator
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width  # nothing wider than the screen
    finally:
        context.close()
