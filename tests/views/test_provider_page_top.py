"""The top of a provider's page: how to reach it first, how far it is from the search that
led there, and one line for what nobody has sourced yet instead of a dozen "unknown"s."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from flask.testing import FlaskClient

from tests.views.html import page_html as get_text


def test_call_and_website_come_before_everything_else(site_client: FlaskClient) -> None:
    page = get_text(site_client, "/providers/austin-harbor-infusions")
    call = page.find('<a class="button-link" href="tel:+15125550100">Call (512) 555-0100</a>')
    website = page.find('class="button-link button-secondary" href="https://clinic.example.org/"')
    verification = page.find('id="verified-heading"')
    assert 0 < call < verification and 0 < website < verification


def test_unknown_facts_fold_into_one_line_with_links_to_fill_them(
    site_client: FlaskClient,
) -> None:
    page = get_text(site_client, "/providers/closed-austin-clinic")
    line = page.split('class="unknown-line"', 1)[1].split("</p>", 1)[0]
    assert "price" in line and "street address" in line and "quality signals" in line
    assert 'href="/providers/closed-austin-clinic/suggest?field=locations%5B0%5D.street"' in line
    assert ">unknown<" not in page  # no section, row or card left saying only "unknown"
    assert ">Quality signals</h2>" not in page and ">Street</dt>" not in page


def test_a_known_fact_is_not_listed_as_unknown(site_client: FlaskClient) -> None:
    page = get_text(site_client, "/providers/austin-harbor-infusions")
    line = page.split('class="unknown-line"', 1)[1].split("</p>", 1)[0]
    for known in ("price", "phone", "website", "street address", "ways to pay"):
        assert f">{known}<" not in line and f" {known}," not in line


def test_a_result_link_carries_the_search_so_the_page_shows_the_distance(
    site_client: FlaskClient,
) -> None:
    results = get_text(site_client, "/providers?near=Round+Rock&radius=50&unit=km")
    link = re.search(r'href="(/providers/austin-harbor-infusions\?[^"]+)"', results)
    assert link is not None
    url = html_lib.unescape(link.group(1))
    assert "from=30.51,-97.68" in url and "unit=km" in url  # about a kilometre, no finer
    page = get_text(site_client, url)
    assert "From where you searched: <strong>" in page and " km away</strong>" in page
    canonical = 'rel="canonical" href="http://localhost/providers/austin-harbor-infusions"'
    assert canonical in page


@pytest.mark.parametrize("origin", ["", "999,999", "abc", "1e9,2", "30.2,-97.7,1", "nan,nan"])
def test_a_bad_origin_only_drops_the_distance(site_client: FlaskClient, origin: str) -> None:
    response = site_client.get("/providers/austin-harbor-infusions", query_string={"from": origin})
    assert response.status_code == 200
    assert "From where you searched" not in response.get_data(as_text=True)
