"""Filters in a real browser: ticking several payment options in the form lists providers
stating any of them, and the map of those results shows the same providers."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page

from tests.browser.helpers import api_total, drawn_count, wait_until_drawn

pytestmark = pytest.mark.browser


def test_two_payment_ticks_in_the_form_and_on_the_map(
    page: Page, browser_app: Flask, live_server: str
) -> None:
    page.goto(live_server + "/")
    if not page.is_visible("#field-payment-cash"):  # the filters start folded on a phone
        page.click("details.filters > summary")
    page.fill("#field-near", "Austin")
    page.fill("#field-radius", "2500")
    page.select_option("#field-unit", "km")
    page.check("#field-payment-private_insurance")
    page.check("#field-payment-sliding_scale")
    with page.expect_navigation():
        page.locator("form.search-form button[type=submit]").first.click()
    assert "payment=private_insurance%2Csliding_scale" in page.url or (
        "payment=private_insurance&payment=sliding_scale" in page.url
    )
    expected = api_total(
        browser_app,
        live_server,
        {"near": "Austin", "radius": "2500", "unit": "km",
         "payment": "private_insurance,sliding_scale"},
    )  # fmt: skip
    assert expected >= 2
    assert page.locator(".hits .hit").count() == expected
    assert page.is_checked("#field-payment-private_insurance")
    assert page.is_checked("#field-payment-sliding_scale")
    assert not page.is_checked("#field-payment-cash")
    with page.expect_navigation():
        page.get_by_role("link", name="View these results on the map").click()
    wait_until_drawn(page)
    assert drawn_count(page) == expected
