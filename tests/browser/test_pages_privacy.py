"""Every public page in a real browser: no request leaves 127.0.0.1, no script error, no
cookie until a form is used, and the CSP blocks nothing the page needs."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import Recorder

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/about",
    "/providers?near=Austin,%20TX",
    "/providers/austin-harbor-infusions",
    "/providers/austin-harbor-infusions/history",
    "/providers/austin-harbor-infusions/suggest",
    "/providers/austin-harbor-infusions/suggest?field=phone",
    "/regions",
    "/regions/US-TX",
    "/map?near=Austin,%20TX",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_stays_on_this_origin(
    page: Page, recorder: Recorder, live_server: str, path: str
) -> None:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    response = page.goto(live_server + path)
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    assert recorder.blocked_other == []  # nothing but map tiles may leave 127.0.0.1
    assert recorder.page_errors == [] and recorder.console_errors == []
    assert violations == []
    cookies = page.context.cookies()
    if path.endswith("/suggest?field=phone"):
        assert cookies  # a form page holds its CSRF token in a session cookie
    else:
        assert cookies == []


def test_use_my_location_fills_in_coordinates(page: Page, live_server: str) -> None:
    page.context.grant_permissions(["geolocation"], origin=live_server)
    page.context.set_geolocation({"latitude": 30.26721, "longitude": -97.74312})
    page.goto(live_server + "/")
    page.get_by_role("button", name="Use my location").click()
    near = page.get_by_label("Near")
    page.wait_for_function("() => document.querySelector('input[name=near]').value !== ''")
    assert near.input_value() == "30.267,-97.743"  # rounded to about 100 m, not exact
