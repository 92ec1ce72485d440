"""The map in headless Chromium: what is drawn, popups, escaping, offline, "search this area".

Each test loads a page from the live server with every request that would leave 127.0.0.1
(map tiles included) aborted and recorded, and ends by checking that the page raised no
error, logged no console error, and tried no request other than tiles.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.conftest import HOSTILE_NAME, HOSTILE_SCRIPT, Recorder
from tests.browser.helpers import api_total, drawn_count, open_map, wait_until_drawn

pytestmark = pytest.mark.browser

AUSTIN = "30.2672,-97.7431"
SEARCHES: list[dict[str, str]] = [
    {"near": AUSTIN, "radius": "100"},
    {"near": AUSTIN, "radius": "100", "include_closed": "1"},
    {"near": "Austin", "radius": "1500", "unit": "mi"},
    {"near": AUSTIN, "radius": "400", "treatment": "iv_infusion"},
    {"bbox": "-130,20,-60,55"},
    {"bbox": "170,-30,-170,0"},
    {"region": "US-TX"},
]


@pytest.fixture(autouse=True)
def _page_stays_clean(recorder: Recorder) -> Iterator[None]:
    """After each test: no page error, no console error, nothing but tiles tried to leave."""
    yield
    assert recorder.page_errors == []
    assert recorder.console_errors == []
    assert recorder.blocked_other == []
    # Every other request went to 127.0.0.1 or (aborted) to the tile server.
    for url in recorder.requests:
        assert urlsplit(url).hostname in ("127.0.0.1", recorder.tile_host), url


def map_url(live_server: str, params: dict[str, str]) -> str:
    """The map page for ``params``."""
    return f"{live_server}/map?{urlencode(params)}"


@pytest.mark.parametrize(
    "params", SEARCHES, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items())
)
def test_markers_and_clusters_add_up_to_the_api_total(
    page: Page, browser_app: Flask, live_server: str, params: dict[str, str]
) -> None:
    open_map(page, map_url(live_server, params))
    total = api_total(browser_app, live_server, params)
    assert total > 0
    assert drawn_count(page) == total
    assert page.inner_text("#map-status").startswith(
        f"{total} provider{'s' if total != 1 else ''} shown on the map"
    )


def test_the_whole_directory_says_how_many_are_telehealth_only(
    page: Page, browser_app: Flask, live_server: str
) -> None:
    open_map(page, f"{live_server}/map")
    total = api_total(browser_app, live_server, {})
    drawn = drawn_count(page)
    # Lone Star Telehealth has no location; the two-site clinic has a marker at each site.
    assert drawn == total - 1 + 1
    status = page.inner_text("#map-status")
    shown = f"{total - 1} providers (at {drawn} sites) shown on the map"
    assert f"{shown}; 1 provides telehealth only" in status


def test_a_provider_with_two_sites_has_a_marker_at_each(page: Page, live_server: str) -> None:
    open_map(page, map_url(live_server, {"bbox": "-5,50,2,55"}))  # with the seeded London clinic
    markers = page.locator('.kt-marker[title^="Two Site Clinic ("]')
    expect(markers).to_have_count(2)
    assert page.inner_text("#map-status").startswith("2 providers (at 3 sites) shown on the map")
    markers.first.click()
    expect(page.locator(".kt-popup-name")).to_have_text("Two Site Clinic")
    # Within a circle around Brighton only the Brighton site is drawn.
    open_map(page, map_url(live_server, {"near": "50.8225,-0.1372", "radius": "30"}))
    expect(page.locator('.kt-marker[title^="Two Site Clinic ("]')).to_have_count(1)


def test_popup_shows_the_provider(page: Page, live_server: str) -> None:
    open_map(page, map_url(live_server, {"near": AUSTIN, "radius": "100"}))
    page.locator('.kt-marker[title^="Austin Harbor Infusions ("]').click()
    popup = page.locator(".leaflet-popup .kt-popup")
    assert popup.locator(".kt-popup-name").inner_text() == "Austin Harbor Infusions"
    page.wait_for_selector(".kt-popup .kt-price")
    text = popup.inner_text()
    assert "IV ketamine infusion: USD 450\u2013550 per session" in text
    assert "Esketamine nasal spray (Spravato): unknown" in text
    assert "0.0 km from the searched place" in text
    assert "Illustrative record, not a real provider" in text
    link = popup.get_by_role("link", name="View provider details")
    # The link carries the searched point (about a kilometre) so the page can say how far.
    href = link.get_attribute("href") or ""
    assert href == "/providers/austin-harbor-infusions?from=30.27%2C-97.74&unit=km"


def test_popup_opens_from_the_keyboard(page: Page, live_server: str) -> None:
    open_map(page, map_url(live_server, {"near": AUSTIN, "radius": "100"}))
    marker = page.locator('.kt-marker[title^="Round Rock Ketamine ("]')
    marker.focus()
    page.keyboard.press("Enter")
    assert page.locator(".kt-popup-name").inner_text() == "Round Rock Ketamine"


def test_providers_at_one_spot_are_listed(page: Page, live_server: str) -> None:
    open_map(page, map_url(live_server, {"near": "45.5152,-122.6784", "radius": "5"}))
    group = page.get_by_role("button", name="2 providers here: select to zoom in")
    assert group.get_attribute("title") == "2 providers here: select to zoom in"
    group.click()
    choices = page.locator(".kt-popup-choice")
    assert sorted(choices.all_inner_texts()) == ["Portland Mind <Clinic>", "Portland Twin Clinic"]
    choices.filter(has_text="Portland Twin Clinic").click()
    expect(page.locator(".leaflet-popup")).to_have_count(1)  # the list fades out
    expect(page.locator(".kt-popup-name")).to_have_text("Portland Twin Clinic")


@pytest.mark.parametrize("name", [HOSTILE_NAME, HOSTILE_SCRIPT])
def test_hostile_names_stay_text(page: Page, live_server: str, name: str) -> None:
    open_map(page, map_url(live_server, {"near": AUSTIN, "radius": "100"}))
    markers = page.locator(".kt-marker")
    titles = [markers.nth(i).get_attribute("title") or "" for i in range(markers.count())]
    expected = f"{name} (Illustrative record, not a real provider)"
    assert expected in titles
    markers.nth(titles.index(expected)).click()
    page.wait_for_selector(".kt-popup .kt-price")
    assert page.locator(".kt-popup-name").inner_text() == name
    assert page.locator(".kt-popup img, .kt-popup script").count() == 0
    assert page.evaluate("window.__xss") is None


def test_hostile_place_text_stays_text(page: Page, live_server: str) -> None:
    near = "Austin, <img src=x onerror=window.__xss=3>"
    open_map(page, map_url(live_server, {"near": near}))
    place = page.locator(".leaflet-marker-icon.kt-place")
    assert place.get_attribute("title", timeout=5000) is not None
    assert page.locator(".leaflet-marker-pane img:not(.leaflet-marker-icon)").count() == 0
    assert page.evaluate("window.__xss") is None


def test_works_with_tiles_blocked(page: Page, live_server: str, recorder: Recorder) -> None:
    open_map(page, map_url(live_server, {"near": AUSTIN, "radius": "100"}))
    page.wait_for_selector(".kt-tile-note")
    assert recorder.blocked_tiles, "the map should have asked for tiles"
    assert drawn_count(page) > 0
    page.locator(".kt-marker").first.click()
    assert page.locator(".kt-popup-name").count() == 1


def test_search_this_area(page: Page, browser_app: Flask, live_server: str) -> None:
    open_map(page, map_url(live_server, {"near": AUSTIN, "radius": "400"}))
    button = page.get_by_role("button", name="Search this area")
    assert button.is_hidden()
    box = page.locator(".folium-map").bounding_box()
    assert box is not None
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    zoom = "() => window[document.querySelector('.folium-map').id].getZoom()"
    before = page.evaluate(zoom)
    page.mouse.move(*centre)
    # Zoom in around Austin; Leaflet drops a wheel that comes while it is still animating.
    for _ in range(10):
        page.mouse.wheel(0, -600)
        page.wait_for_timeout(300)
        if page.evaluate(zoom) >= before + 2:
            break
    assert page.evaluate(zoom) >= before + 2
    page.mouse.down()
    page.mouse.move(centre[0] + 60, centre[1] + 40, steps=5)
    page.mouse.up()
    button.wait_for(state="visible")
    button.click()
    page.wait_for_url("**/map?*bbox=*")
    wait_until_drawn(page)
    params = {name: values[0] for name, values in parse_qs(urlsplit(page.url).query).items()}
    # The area replaces the circle: no old place or radius left to contradict it.
    assert "bbox" in params and "near" not in params and "radius" not in params
    total = api_total(browser_app, live_server, params)
    assert drawn_count(page) == total
    assert total < api_total(browser_app, live_server, {"near": AUSTIN, "radius": "400"})
    assert "in the map area (an area search gives no distances)" in page.inner_text("main")


def test_treatment_filter(page: Page, live_server: str) -> None:
    open_map(page, map_url(live_server, {"near": AUSTIN, "radius": "400"}))
    before = drawn_count(page)
    page.get_by_label("IV ketamine infusion", exact=False).uncheck()
    wait_until_drawn(page)
    page.wait_for_function(
        f"() => !document.querySelector('#map-status').textContent.startsWith('{before} providers')"
    )
    assert drawn_count(page) < before
    assert "filtered by treatment" in page.inner_text("#map-status")


def test_embed_is_a_working_bare_map(page: Page, browser_app: Flask, live_server: str) -> None:
    params = {"near": AUSTIN, "radius": "100"}
    open_map(page, map_url(live_server, params | {"embed": "1"}))
    assert page.locator(".site-header").count() == 0
    assert drawn_count(page) == api_total(browser_app, live_server, params)
    page.locator('.kt-marker[title^="Austin Harbor Infusions ("]').click()
    link = page.get_by_role("link", name="View provider details")
    assert link.get_attribute("target") == "_blank"


def test_accessible_alternative(page: Page, live_server: str) -> None:
    params = {"near": AUSTIN, "radius": "100"}
    open_map(page, map_url(live_server, params))
    region = page.get_by_role("region", name="Map of the providers found")
    assert region.count() == 1
    help_link = page.locator("#map-help a")
    assert parse_qs(urlsplit(help_link.get_attribute("href") or "").query) == {
        name: [value] for name, value in params.items()
    }
