"""The public pages over the seeded dataset: layout, search, detail, regions, about, sitemap."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient
from markupsafe import escape

from directory.content.about import SECTIONS
from tests.views.conftest import SCRIPT_NAME
from tests.views.html import json_ld, result_names, telehealth_names, text

PAGES = [
    ("/", "Find ketamine therapy providers"),
    ("/providers", "providers, listed alphabetically"),
    ("/providers?near=Austin", "within 30 mi of Austin, Texas, US"),
    ("/providers/austin-harbor-infusions", "Austin Harbor Infusions"),
    ("/regions", "Regions"),
    ("/regions/US-TX", "Providers with a clinic in US-TX"),
    ("/about", "About ketamine therapy"),
]


def get_text(client: FlaskClient, url: str, status: int = 200) -> str:
    """GET ``url``, check the status, and return the body."""
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


# Layout -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "expected"), PAGES)
def test_page_renders(site_client: FlaskClient, url: str, expected: str) -> None:
    assert expected in text(get_text(site_client, url))


@pytest.mark.parametrize("url", [url for url, _ in PAGES] + ["/providers/nope"])
def test_layout_landmarks_and_footer(site_client: FlaskClient, url: str) -> None:
    html = site_client.get(url).get_data(as_text=True)
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    for landmark in ("<header", "<nav", "<footer", "<aside"):
        assert landmark in html
    for label in ("Home", "Find providers", "Map", "Regions", "About"):
        assert f">{label}</a>" in html
    assert (
        "This directory is not medical advice. In an emergency call your local emergency number."
        in html
    )
    assert re.search(r"Data as of \d{1,2} \w+ \d{4}", html)


@pytest.mark.parametrize("url", [url for url, _ in PAGES] + ["/providers?radius=x"])
def test_only_self_hosted_assets_and_no_inline_code(site_client: FlaskClient, url: str) -> None:
    html = site_client.get(url).get_data(as_text=True)
    assert " style=" not in html
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'src="/static/' in tag or 'type="application/ld+json"' in tag
    for href in re.findall(r'<link [^>]*href="([^"]+)"', html):
        assert href.startswith(("/static/", "http://localhost/"))


def test_current_page_is_marked_in_nav(site_client: FlaskClient) -> None:
    assert '<a href="/regions" aria-current="page">' in get_text(site_client, "/regions")


def test_general_crisis_lines_without_a_country(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/")
    for number in ("988", "116 123", "13 11 14", "1737"):
        assert number in html
    assert 'href="tel:988"' in html
    assert 'href="tel:116123"' in html


@pytest.mark.parametrize(
    "url",
    ["/providers/austin-harbor-infusions", "/regions/US-TX", "/providers?near=Austin"],
)
def test_crisis_lines_for_the_country_in_view(site_client: FlaskClient, url: str) -> None:
    html = get_text(site_client, url)
    crisis = html.split('aria-labelledby="crisis-heading"')[1].split("</aside>")[0]
    assert "In crisis in US?" in crisis
    assert "Test crisis line" in crisis
    assert "116 123" not in crisis


def test_error_pages_use_the_layout(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/providers/no-such-provider", 404)
    assert "<h1>Page not found</h1>" in html  # in the site's voice, not the framework's
    assert "The requested URL was not found on the server" not in html
    assert '<main id="main"' in html
    assert "988" in html


# Home -------------------------------------------------------------------------------------


def test_home_has_form_and_data_currency(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/")
    assert '<fieldset class="field choices" id="field-payment" tabindex="-1"' in html
    assert "<legend>Payment options</legend>" in html
    for name in ("near", "radius", "unit", "treatment", "max_price", "accepting", "q"):
        assert f'<label for="field-{name}">' in html
        assert f'id="field-{name}" name="{name}"' in html
    assert "not yet verified unless marked" in html
    assert "lists 11 providers in 6 countries" in text(html)
    # Without JavaScript the location button stays hidden; locate.js reveals it.
    assert '<button type="button" class="secondary" id="use-location" hidden>' in html
    assert 'src="/static/js/locate.js"' in html


def test_static_assets_are_served(site_client: FlaskClient) -> None:
    for path in ("/static/css/site.css", "/static/js/locate.js"):
        with site_client.get(path) as response:
            assert response.status_code == 200


# Search -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("near", "within"),
    [
        ("Austin", "30 mi of Austin, Texas, US"),
        ("Austin, TX", "30 mi of Austin, Texas, US"),
        ("78701", "30 mi of 78701, Austin, Texas, US"),
        # Coordinates take the nearest city's country, and a rounded label.
        ("30.2672,-97.7431", "30 mi of 30.267, -97.743 (near Austin, Texas, US)"),
    ],
)
def test_search_by_place(site_client: FlaskClient, near: str, within: str) -> None:
    html = site_client.get("/providers", query_string={"near": near}).get_data(as_text=True)
    assert f"2 providers within {within}" in html
    assert result_names(html) == ["Austin Harbor Infusions", "Round Rock Ketamine"]


def test_result_count_is_announced(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/providers?near=Austin")
    assert re.search(r'<p class="result-count" role="status" aria-live="polite">2 providers', html)


def test_results_are_sorted_by_distance(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/providers?near=Austin&radius=150")
    assert result_names(html) == [
        "Austin Harbor Infusions",
        "Round Rock Ketamine",
        "San Antonio Spravato Centre",
    ]
    distances = [float(d) for d in re.findall(r"<strong>([\d.]+) km away</strong>", html)]
    assert distances == sorted(distances)
    assert len(distances) == 3


@pytest.mark.parametrize(
    ("url", "sentence"),
    [
        # A place in the US or the UK, with neither a unit nor a radius chosen: miles.
        ("/providers?near=Austin", "2 providers within 30 mi of Austin, Texas, US"),
        ("/map?near=Austin", "2 providers within 30 mi of Austin, Texas, US"),
        # Elsewhere, kilometres.
        ("/providers?near=Toronto", "within 50 km of Toronto"),
        # A chosen unit, or a radius given without one, is kept as it was asked.
        ("/providers?near=Austin&unit=km", "2 providers within 50 km of Austin, Texas, US"),
        ("/providers?near=Austin&radius=40", "within 40 km of Austin, Texas, US"),
    ],
)
def test_the_unit_is_the_one_used_where_you_search(
    site_client: FlaskClient, url: str, sentence: str
) -> None:
    assert sentence in get_text(site_client, url)


def test_a_local_unit_is_kept_by_the_form_and_the_links(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/providers?near=Austin")
    assert '<option value="mi" selected>miles</option>' in html
    assert "17 mi away" in html
    (href,) = re.findall(
        r'<a class="button-link" href="([^"]+)">View these results on the map', html
    )
    assert parse_qs(urlsplit(href.replace("&amp;", "&")).query)["unit"] == ["mi"]


def test_the_api_keeps_kilometres_as_its_default(site_client: FlaskClient) -> None:
    body = site_client.get("/api/providers?near=Austin").get_json()
    assert (body["radius"], body["unit"]) == (50, "km")


def test_distances_in_the_chosen_unit(site_client: FlaskClient) -> None:
    km = get_text(site_client, "/providers?near=Austin&unit=km")
    miles = get_text(site_client, "/providers?near=Austin&unit=mi")
    assert "27 km away" in km
    assert "17 mi away" in miles
    assert "within 30 mi of Austin" in miles
    assert "within 50 km of Austin" in km


def test_no_place_lists_everyone_alphabetically(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/providers")
    names = result_names(html)
    assert "10 providers, listed alphabetically" in html
    assert [n.lower() for n in names] == sorted(n.lower() for n in names)
    assert "Closed Austin Clinic" not in names


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("treatment=im_injection", ["Round Rock Ketamine"]),
        ("treatment=iv_infusion", ["Austin Harbor Infusions"]),
        ("max_price=400", ["Round Rock Ketamine"]),
        ("max_price=500", ["Austin Harbor Infusions", "Round Rock Ketamine"]),
        ("payment=financing", ["Austin Harbor Infusions"]),
        ("accepting=no", ["Round Rock Ketamine"]),
        ("accepting=yes", ["Austin Harbor Infusions"]),
        ("q=Harbor", ["Austin Harbor Infusions"]),
        ("q=Round", ["Round Rock Ketamine"]),
        (
            "include_closed=1",
            ["Austin Harbor Infusions", "Closed Austin Clinic", "Round Rock Ketamine"],
        ),
    ],
)
def test_each_filter_narrows_the_results(
    site_client: FlaskClient, query: str, expected: list[str]
) -> None:
    html = get_text(site_client, f"/providers?near=Austin&{query}")
    assert result_names(html) == expected


def test_filters_are_kept_in_the_form(site_client: FlaskClient) -> None:
    html = get_text(
        site_client,
        "/providers?near=Austin&treatment=iv_infusion&payment=cash&accepting=yes&unit=mi"
        "&include_closed=1&q=Harbor&max_price=600&radius=20",
    )
    assert '<option value="iv_infusion" selected>' in html
    assert 'id="field-payment-cash" name="payment" value="cash" checked>' in html
    assert 'id="field-payment-financing" name="payment" value="financing">' in html
    assert '<option value="yes" selected>' in html
    assert '<option value="mi" selected>' in html
    assert 'name="include_closed" value="1" checked' in html
    assert 'name="q" value="Harbor"' in html
    assert 'name="max_price" value="600"' in html
    assert 'name="radius" value="20"' in html


def _links(html: str, rel: str) -> list[str]:
    return [
        link.replace("&amp;", "&") for link in re.findall(rf'<a href="([^"]+)" rel="{rel}"', html)
    ]


def test_pagination_keeps_the_parameters(site_client: FlaskClient) -> None:
    first = get_text(site_client, "/providers?payment=cash&per_page=2")
    assert "Page 1 of 4" in first
    (next_url,) = _links(first, "next")
    assert parse_qs(urlsplit(next_url).query) == {
        "payment": ["cash"],
        "per_page": ["2"],
        "page": ["2"],
    }
    second = get_text(site_client, next_url)
    assert "Page 2 of 4" in second
    (prev_url,) = _links(second, "prev")
    assert parse_qs(urlsplit(prev_url).query) == {"payment": ["cash"], "per_page": ["2"]}
    assert not set(result_names(first)) & set(result_names(second))


def test_map_link_keeps_the_search(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/providers?near=Austin&treatment=iv_infusion&page=1")
    (href,) = re.findall(
        r'<a class="button-link" href="([^"]+)">View these results on the map', html
    )
    href = href.replace("&amp;", "&")
    assert urlsplit(href).path == "/map"
    assert parse_qs(urlsplit(href).query) == {
        "near": ["Austin"],
        "unit": ["mi"],
        "treatment": ["iv_infusion"],
    }


def test_telehealth_section_for_a_texas_search(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/providers?near=Austin")
    assert "Also available by telehealth in US-TX" in html
    assert telehealth_names(html) == ["Lone Star Telehealth"]
    assert "Lone Star Telehealth" not in result_names(html)


def test_no_telehealth_section_elsewhere(site_client: FlaskClient) -> None:
    assert "Also available by telehealth" not in get_text(site_client, "/providers?near=Toronto")


def test_zero_results_name_the_nearest_provider(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/providers?near=Springfield")
    assert "0 providers within 30 mi of Springfield, Missouri, US" in html
    match = re.search(
        r"No providers within 30 mi\.\s+The nearest is "
        r'<a href="/providers/([a-z0-9-]+)">([^<]+)</a> in ([^,]+), ([\d,]+) mi away\.',
        html,
    )
    assert match, text(html)
    assert match.group(1) == "round-rock-ketamine"
    assert match.groups()[1:3] == ("Round Rock Ketamine", "Round Rock")


def test_did_you_mean_reruns_the_search(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/providers?near=Portland&treatment=iv_infusion")
    links = re.findall(r'<a href="(/providers\?[^"]+)">Portland, Maine, US</a>', html)
    assert len(links) == 1
    href = links[0].replace("&amp;", "&")
    assert parse_qs(urlsplit(href).query)["treatment"] == ["iv_infusion"]
    assert "within 30 mi of Portland, Maine, US" in get_text(site_client, href)


def test_geocoder_fallback_sentence_is_shown(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/providers?near=1 Nowhere Street, Austin, TX")
    assert (
        '<p class="notice">We could not match the street address, so we used the city '
        "Austin, Texas, US.</p>"
    ) in html
    assert result_names(html)[0] == "Austin Harbor Infusions"


# Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("near=zzzzqqq", "near", "We could not find that place"),
        ("radius=abc", "radius", "radius must be a number"),
        ("radius=0", "radius", "radius must be between"),
        ("unit=furlongs", "unit", "unit must be one of"),
        ("treatment=magic", "treatment", "treatment must be one of"),
        ("max_price=-1", "max_price", "max_price must be between"),
        ("payment=barter", "payment", "payment must be any of"),
        ("payment=cash,barter", "payment", "payment must be any of"),
        ("accepting=maybe", "accepting", "accepting must be one of"),
        ("include_closed=perhaps", "include_closed", "include_closed must be one of"),
    ],
)
def test_bad_input_is_shown_next_to_its_field(
    site_client: FlaskClient, query: str, field: str, message: str
) -> None:
    html = get_text(site_client, f"/providers?{query}", 400)
    assert f'<p class="field-error" id="error-{field}">' in html
    assert message in html.split(f'id="error-{field}">')[1]
    control = re.search(rf'<(?:input|select|fieldset)[^>]*id="field-{field}"[^>]*>', html)
    assert control is not None
    assert 'aria-invalid="true"' in control.group(0)
    assert f"error-{field}" in control.group(0)
    assert f'<a href="#field-{field}">' in html
    assert html.count('aria-invalid="true"') == 1


@pytest.mark.parametrize("query", ["page=0", "per_page=1000", "bbox=1,2,3", "region=XX"])
def test_bad_hidden_parameters_are_shown_above_the_form(
    site_client: FlaskClient, query: str
) -> None:
    html = get_text(site_client, f"/providers?{query}", 400)
    assert '<div class="error-summary" role="alert"' in html
    assert 'aria-invalid="true"' not in html


def test_bad_input_keeps_the_other_values(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/providers?near=Austin&radius=abc&treatment=iv_infusion", 400)
    assert 'name="near" value="Austin"' in html
    assert '<option value="iv_infusion" selected>' in html


# Provider page ----------------------------------------------------------------------------


def test_provider_page_sections(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/providers/austin-harbor-infusions")
    for heading in (
        "Treatments and prices",
        "Payment options",
        "Contact",
        "Address",
        "Quality signals",
        "Rules that apply in US-TX",
        "Sources",
        "Verification",
    ):
        assert f">{heading}</h2>" in html
    assert "USD 450\u2013550 per session" in html
    assert "15 January 2026" in html
    assert '<a href="tel:+15125550100">(512) 555-0100</a>' in html
    assert '<a href="https://clinic.example.org/" rel="noopener nofollow">' in html
    # Directions go to the street address when one is known, not to the map pin.
    assert "directions?to=1+Congress+Ave%2C+Austin%2C+78701%2C+US" in html
    assert "directions?to=30.2672,-97.7431" not in html
    assert "Physician oversight: Anesthesiologist on site" in html
    assert "Self-pay (cash or card)" in html
    assert "Financing or payment plans" in html
    assert "<iframe" not in html


def test_provider_page_shows_jurisdiction_notes_with_sources(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/providers/austin-harbor-infusions")
    assert "A test note for US-TX." in html
    assert "A test note for US." in html
    assert "As of 1 January 2025." in html
    assert "the page shows no date; read on 15 January 2026." in html


def test_illustrative_banner(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/providers/round-rock-ketamine")
    assert "This is an illustrative record, not a real provider" in html
    assert '<meta name="robots" content="noindex">' in html


def test_no_banner_on_real_records(real_client: FlaskClient) -> None:
    html = get_text(real_client, "/providers/recently-verified-clinic")
    assert "illustrative record" not in html
    assert 'content="noindex"' not in html


def test_missing_fields_are_named_once_as_not_yet_known(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/providers/round-rock-ketamine")
    line = html.split('class="unknown-line"', 1)[1].split("</p>", 1)[0]
    for missing in ("street address", "whether a referral is needed", "quality signals"):
        assert missing in line
    for label in ("Street", "Postal code", "Price includes", "Referral required"):
        assert f"<dt>{label}</dt>" not in html
    assert "Organisation:" not in html and 'id="quality-heading"' not in html
    assert "<dd></dd>" not in html and ">unknown<" not in html


def test_unpriced_treatment_is_named_in_the_line(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/providers/austin-harbor-infusions")
    card = html.split("<h3>Esketamine nasal spray (Spravato)</h3>")[1].split("</li>")[0]
    assert "<dt>Price</dt>" not in card
    line = html.split('class="unknown-line"', 1)[1].split("</p>", 1)[0]
    assert "price of Esketamine nasal spray (Spravato)" in line
    assert "Esketamine nasal spray (Spravato): price unknown" in get_text(
        site_client, "/providers?near=Austin"
    )


def test_telehealth_only_provider(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/providers/lone-star-telehealth")
    assert "No clinic address is listed." in html
    assert '<a href="/regions/US-TX">US-TX</a>' in html
    assert "USD 129\u2013199 per month" in html


def test_not_yet_verified_warning(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/providers/austin-harbor-infusions")
    assert "Not yet verified." in html
    assert "<strong>Warning:</strong> nobody has yet confirmed this record" in html


def test_stale_verification_warning(real_client: FlaskClient) -> None:
    html = get_text(real_client, "/providers/long-ago-verified-clinic")
    assert "Last verified: 2 January 2020 by Old Reviewer." in html
    assert "last verified more than 365 days ago" in html


def test_recent_verification_has_no_warning(real_client: FlaskClient) -> None:
    html = get_text(real_client, "/providers/recently-verified-clinic")
    assert "Last verified:" in html
    assert "by Test Reviewer." in html
    assert "Warning:" not in html


def test_stale_after_days_comes_from_config(
    real_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(real_client.application.config, "STALE_AFTER_DAYS", 5)
    html = get_text(real_client, "/providers/recently-verified-clinic")
    assert "last verified more than 5 days ago" in html


def test_json_ld_describes_the_clinic(real_client: FlaskClient) -> None:
    html = get_text(real_client, "/providers/recently-verified-clinic")
    (data,) = json_ld(html)
    assert data["@type"] == "MedicalClinic"
    assert data["name"] == "Recently Verified Clinic"
    assert data["medicalSpecialty"] == "Psychiatric"
    assert data["telephone"] == "+15125550100"
    assert data["url"] == "https://clinic.example.org/"
    assert data["address"]["addressLocality"] == "Austin"
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 30.2672, "longitude": -97.7431}


def test_json_ld_cannot_break_out_of_its_script(real_client: FlaskClient) -> None:
    html = get_text(real_client, "/providers/script-name-clinic")
    (data,) = json_ld(html)
    assert data["name"] == SCRIPT_NAME
    assert "<script>alert(1)" not in html
    assert html.count("</script>") == 1


def test_no_json_ld_for_illustrative_records(site_client: FlaskClient) -> None:
    assert json_ld(get_text(site_client, "/providers/austin-harbor-infusions")) == []


def test_canonical_url(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/providers/austin-harbor-infusions")
    assert (
        '<link rel="canonical" href="http://localhost/providers/austin-harbor-infusions">' in html
    )


def test_markup_in_a_name_is_escaped(site_client: FlaskClient) -> None:
    for url in ("/providers/portland-mind-clinic", "/providers?near=Portland", "/providers"):
        html = get_text(site_client, url)
        assert "Portland Mind &lt;Clinic&gt;" in html
        assert "<Clinic>" not in html


@pytest.mark.parametrize(
    "url",
    [
        "/providers/no-such-provider",
        "/providers/Not_A_Slug",
        "/providers/closed",
        "/regions/XX",
        "/regions/US-ZZ",
        "/regions/us-tx",
        "/regions/ABCDEFGHIJKL",
        "/regions/DE",
    ],
)
def test_unknown_pages_are_404(site_client: FlaskClient, url: str) -> None:
    assert site_client.get(url).status_code == 404


def test_hidden_provider_is_404(real_client: FlaskClient) -> None:
    assert real_client.get("/providers/hidden-clinic").status_code == 404


def test_closed_provider_page_says_closed(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/providers/closed-austin-clinic")
    assert '<dd class="status-closed">Closed <span class="provenance muted">From ' in html


def test_each_fact_names_its_source_and_keeps_the_two_dates_apart(
    site_client: FlaskClient,
) -> None:
    html = get_text(site_client, "/providers/austin-harbor-infusions")
    phone = html.split("<dt>Phone</dt>")[1].split("</dd>")[0]
    assert '<a href="tel:+15125550100">(512) 555-0100</a>' in phone
    assert "(the provider&#39;s own page)" in phone
    # The page shows no date: the day it was read is never presented as the fact's date.
    assert "the page shows no date; read on 15 January 2026" in phone
    card = html.split("<h3>IV ketamine infusion</h3>")[1].split("</li>")[0]
    price = card.split("<dt>Price</dt>")[1].split("</dd>")[0]
    assert 'From <a href="https://clinic.example.org/pricing"' in price


# Regions ----------------------------------------------------------------------------------


def test_regions_grouped_by_country(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/regions")
    us = html.split('id="region-US"')[1].split("</section>")[0]
    assert '<a href="/regions/US-TX">US-TX</a>' in us
    assert '<a href="/regions/US-OR">US-OR</a>' in us
    assert '<a href="/regions/CA-ON">' not in us
    assert "(4 with a clinic, 1 by telehealth)" in us


def test_region_page(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/regions/US-TX")
    assert "A test note for US-TX." in html
    # The providers first, then the state's own rules, then the national ones folded.
    order = [
        html.index('id="providers-heading"'),
        html.index('id="rules-heading"'),
        html.index("<h3>US-TX's own rules</h3>"),
        html.index('<details class="inherited-rules">'),
    ]
    assert order == sorted(order)
    inherited = html.split('<details class="inherited-rules">')[1].split("</details>")[0]
    assert "<summary>Rules of US that also apply here (1)</summary>" in inherited
    assert "A test note for US." in inherited and "<h3>US</h3>" not in inherited
    assert "Test crisis line" in html.split('id="crisis-lines-heading"')[1]
    assert result_names(html) == [
        "Austin Harbor Infusions",
        "Round Rock Ketamine",
        "San Antonio Spravato Centre",
    ]
    assert telehealth_names(html) == ["Lone Star Telehealth"]


def test_region_page_lists_children(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/regions/US")
    children = html.split('id="children-heading"')[1].split("</section>")[0]
    assert '<a href="/regions/US-TX">US-TX</a>' in children


def test_region_page_past_the_last_page(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/regions/US?page=2")
    assert result_names(html) == []
    assert '<a href="/regions/US">Go to the first page</a>' in html


def test_region_page_rejects_a_bad_page(site_client: FlaskClient) -> None:
    assert site_client.get("/regions/US?page=abc").status_code == 400


# About ------------------------------------------------------------------------------------


def test_every_about_fact_has_a_dated_source() -> None:
    facts = [fact for section in SECTIONS for fact in section.facts]
    assert len(facts) >= 15
    for fact in facts:
        assert fact.source.url.startswith("https://")
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", fact.source.retrieved)
        assert fact.source.title


def test_about_page_shows_each_fact_with_its_source(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/about")
    for section in SECTIONS:
        assert f'id="{section.id}"' in html
        for fact in section.facts:
            item = html.split(str(escape(fact.text))[:60])
            assert len(item) > 1, fact.text
            citation = item[1].split("</li>")[0]
            assert fact.source.url.replace("&", "&amp;") in citation
            assert "read on 26 November 2026" in citation
    for heading in (
        "How to choose a provider",
        "Typical screening",
        "Costs",
        "Safety and monitoring",
    ):
        assert heading in html
    assert "not medical advice" in html
    assert "How the data is gathered" in html


# Sitemap and robots -----------------------------------------------------------------------


def test_sitemap_lists_pages_regions_and_providers(real_client: FlaskClient) -> None:
    response = real_client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ET.fromstring(response.data).findall("s:url/s:loc", namespace)]
    assert all(loc and loc.startswith("http://localhost/") for loc in locs)
    for path in ("/", "/about", "/regions", "/regions/US-TX", "/regions/GB"):
        assert f"http://localhost{path}" in locs
    for provider_id in (
        "austin-harbor-infusions",
        "portland-mind-clinic",
        "recently-verified-clinic",
    ):
        assert f"http://localhost/providers/{provider_id}" in locs
    assert "http://localhost/providers/hidden-clinic" not in locs


def test_robots_txt(site_client: FlaskClient) -> None:
    response = site_client.get("/robots.txt")
    assert response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    assert "User-agent: *\nAllow: /" in body
    assert "Sitemap: http://localhost/sitemap.xml" in body


def test_filters_fold_away_unless_in_use(site_client: FlaskClient) -> None:
    assert '<details class="filters">' in get_text(site_client, "/providers?near=Austin")
    folds = '<details class="filters" open data-fold-on-phone>'  # fold.js folds it on a phone
    assert folds in get_text(site_client, "/providers?payment=cash")
    assert folds in get_text(site_client, "/")
    # A search with an error keeps its filters open everywhere.
    assert '<details class="filters" open>' in get_text(site_client, "/providers?q=%00", 400)


def test_the_price_filter_says_which_currencies_it_left_out(site_client: FlaskClient) -> None:
    html = get_text(site_client, "/providers?near=Austin&max_price=600")
    assert "Only prices in USD are compared with your maximum" in html
    assert "1 record in CAD" in html and "1 record in GBP" in html
    assert '<select id="field-currency" name="currency"' in html


def test_the_privacy_page_is_linked_from_every_page(site_client: FlaskClient) -> None:
    assert '<a href="/privacy">Privacy</a>' in get_text(site_client, "/providers")
    html = get_text(site_client, "/privacy")
    assert "set no cookie" in html and "tile.openstreetmap.org" in html


def test_the_privacy_page_is_true_about_cookies(site_client: FlaskClient) -> None:
    """Browsing and searching set no cookie; a form page does (its CSRF token)."""
    for url in ("/", "/providers?near=Austin", "/map?near=Austin", "/about", "/privacy"):
        assert "Set-Cookie" not in site_client.get(url).headers, url
    form = site_client.get("/providers/new")
    assert form.status_code == 200 and "session=" in form.headers["Set-Cookie"]
