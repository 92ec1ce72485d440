"""The offline geocoder: every query form, ambiguity, fallbacks and hostile input."""

from __future__ import annotations

import socket
import time

import pytest
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.geo.offline import OfflineGeocoder

RAW_KEYS = {
    "label",
    "latitude",
    "longitude",
    "country",
    "region",
    "precision",
    "fallback",
    "alternatives",
    "source",
}


def geocode(offline: OfflineGeocoder, query: object) -> Location:
    """Geocode ``query`` and insist on a single Location."""
    location = offline.geocode(query)
    assert isinstance(location, Location), query
    return location


def test_is_a_geopy_geocoder(offline: OfflineGeocoder) -> None:
    assert isinstance(offline, Geocoder)


@pytest.mark.parametrize(
    ("query", "label", "region", "precision"),
    [
        ("Austin", "Austin, Texas, US", "US-TX", "city"),
        ("Austin, TX", "Austin, Texas, US", "US-TX", "city"),
        ("Austin, Texas", "Austin, Texas, US", "US-TX", "city"),
        ("austin tx", "Austin, Texas, US", "US-TX", "city"),
        ("  AUSTIN ,  tx , usa ", "Austin, Texas, US", "US-TX", "city"),
        ("London, ON", "London, Ontario, CA", "CA-ON", "city"),
        ("London, UK", "London, England, GB", "GB-ENG", "city"),
        ("London, United Kingdom", "London, England, GB", "GB-ENG", "city"),
        ("Toronto, Canada", "Toronto, Ontario, CA", "CA-ON", "city"),
        ("Sydney NSW", "Sydney, New South Wales, AU", "AU-NSW", "city"),
        ("Perth, WA, Australia", "Perth, Western Australia, AU", "AU-WA", "city"),
        ("Vancouver, WA", "Vancouver, Washington, US", "US-WA", "city"),
        ("Portland Maine", "Portland, Maine, US", "US-ME", "city"),
        ("Austin TX USA", "Austin, Texas, US", "US-TX", "city"),
        ("Austin TX, USA", "Austin, Texas, US", "US-TX", "city"),
        ("Sydney New South Wales", "Sydney, New South Wales, AU", "AU-NSW", "city"),
        ("Charleston West Virginia", "Charleston, West Virginia, US", "US-WV", "city"),
        ("Salt Lake City UT", "Salt Lake City, Utah, US", "US-UT", "city"),
        ("St. Louis, MO", "St. Louis, Missouri, US", "US-MO", "city"),
        ("Saint Louis", "St. Louis, Missouri, US", "US-MO", "city"),
        ("Washington, D.C.", "Washington, District of Columbia, US", "US-DC", "city"),
        ("Wellington, NZ", "Wellington, NZ", "NZ-WGN", "city"),
        ("Auckland", "Auckland, NZ", "NZ-AUK", "city"),
        ("Berlin", "Berlin, DE", "DE-BE", "city"),
        ("Dublin, Ireland", "Dublin, Leinster, IE", "IE-L", "city"),
        ("Edinburgh", "Edinburgh, Scotland, GB", "GB-SCT", "city"),
        ("Winston-Salem, NC", "Winston-Salem, North Carolina, US", "US-NC", "city"),
        ("78701", "78701, Austin, Texas, US", "US-TX", "postal_code"),
        ("78701-1234", "78701, Austin, Texas, US", "US-TX", "postal_code"),
        ("M5V 2T6", "M5V, Downtown Toronto, Ontario, CA", "CA-ON", "postal_code"),
        ("m5v2t6", "M5V, Downtown Toronto, Ontario, CA", "CA-ON", "postal_code"),
        ("Sydney NSW 2000", "2000, Barangaroo, New South Wales, AU", "AU-NSW", "postal_code"),
        ("Texas", "Texas, US", "US-TX", "region"),
        ("TX", "Texas, US", "US-TX", "region"),
        ("Ontario", "Ontario, CA", "CA-ON", "region"),
        ("Canada", "Canada", None, "country"),
        ("USA", "United States", None, "country"),
        ("United Kingdom", "United Kingdom", None, "country"),
    ],
)
def test_query_forms(
    offline: OfflineGeocoder, query: str, label: str, region: str | None, precision: str
) -> None:
    raw = geocode(offline, query).raw
    assert (raw["label"], raw["region"], raw["precision"]) == (label, region, precision)
    assert raw["fallback"] is None


def test_raw_shape(offline: OfflineGeocoder) -> None:
    location = geocode(offline, "Austin, TX")
    assert set(location.raw) == RAW_KEYS
    assert location.address == "Austin, Texas, US"
    assert location.raw["source"] == "offline"
    assert (location.latitude, location.longitude) == pytest.approx((30.27, -97.74), abs=0.05)
    assert location.raw["country"] == "US"


@pytest.mark.parametrize("query", ["munchen", "München", "MÜNCHEN", "Munich", "  muenchen  "])
def test_accents_and_alternate_names(offline: OfflineGeocoder, query: str) -> None:
    raw = geocode(offline, query).raw
    assert (raw["label"], raw["region"]) == ("Munich, Bavaria, DE", "DE-BY")


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("montreal", "Montréal, Quebec, CA"),
        ("Zurich", "Zürich, CH"),
        ("Cologne", "Köln, North Rhine-Westphalia, DE"),
        ("Lodz", "Łódź, PL"),
        ("Ft. Worth", "Fort Worth, Texas, US"),
    ],
)
def test_plain_spelling_finds_accented_name(
    offline: OfflineGeocoder, query: str, label: str
) -> None:
    assert geocode(offline, query).raw["label"] == label


def test_coordinates_take_the_country_and_region_of_the_nearest_city(
    offline: OfflineGeocoder,
) -> None:
    location = geocode(offline, "30.2672, -97.7431")
    assert (location.latitude, location.longitude) == (30.2672, -97.7431)
    assert location.raw["precision"] == "coordinates"
    assert (location.raw["country"], location.raw["region"]) == ("US", "US-TX")
    # Three decimals (about 100 m), not five, and the place they are near.
    assert location.raw["label"] == "30.267, -97.743 (near Austin, Texas, US)"


@pytest.mark.parametrize(("query", "country"), [("52.52, 13.405", "DE"), ("-36.85, 174.76", "NZ")])
def test_coordinates_abroad(offline: OfflineGeocoder, query: str, country: str) -> None:
    assert geocode(offline, query).raw["country"] == country


def test_coordinates_far_from_any_city_name_no_country(offline: OfflineGeocoder) -> None:
    location = geocode(offline, "0.0, -30.0")  # the middle of the Atlantic
    assert location.raw["precision"] == "coordinates"
    assert location.raw["country"] is None
    assert location.raw["label"] == "0.000, -30.000"


@pytest.mark.parametrize("query", ["91, 0", "0, 181", "-90.5, 10", "45, -180.01"])
def test_out_of_range_coordinates_return_none(offline: OfflineGeocoder, query: str) -> None:
    assert offline.geocode(query) is None


def test_street_address_falls_back_to_postcode(offline: OfflineGeocoder) -> None:
    raw = geocode(offline, "123 Main St, Austin, TX 78701").raw
    assert raw["precision"] == "postal_code"
    assert raw["label"] == "78701, Austin, Texas, US"
    assert raw["fallback"] == (
        "We could not match the street address, so we used the postcode 78701."
    )


def test_street_address_without_postcode_falls_back_to_city(offline: OfflineGeocoder) -> None:
    raw = geocode(offline, "123 Main St, Austin, TX").raw
    assert (raw["precision"], raw["label"]) == ("city", "Austin, Texas, US")
    assert raw["fallback"] == (
        "We could not match the street address, so we used the city Austin, Texas, US."
    )


def test_inline_street_address_falls_back_to_city(offline: OfflineGeocoder) -> None:
    raw = geocode(offline, "1600 Pennsylvania Ave Washington DC").raw
    assert raw["label"] == "Washington, District of Columbia, US"
    assert raw["fallback"] is not None and "street address" in raw["fallback"]


def test_city_and_postcode_without_street_has_no_fallback(offline: OfflineGeocoder) -> None:
    raw = geocode(offline, "Austin, TX 78701").raw
    assert (raw["precision"], raw["fallback"]) == ("postal_code", None)


def test_uk_postcode_uses_its_area_and_says_so(offline: OfflineGeocoder) -> None:
    raw = geocode(offline, "SW1A 1AA").raw
    assert (raw["precision"], raw["country"], raw["region"]) == ("postal_code", "GB", "GB-ENG")
    assert raw["fallback"] == (
        "We could not match the full postcode, so we used the postcode area SW (London South West)."
    )
    assert raw["latitude"] == pytest.approx(51.5, abs=0.1)


def test_unknown_postcode_falls_back_to_city(offline: OfflineGeocoder) -> None:
    raw = geocode(offline, "Austin, TX 00000").raw
    assert (raw["precision"], raw["label"]) == ("city", "Austin, Texas, US")
    assert raw["fallback"] == (
        "We could not find the postcode 00000, so we used Austin, Texas, US."
    )


def test_street_and_unknown_postcode_falls_back_to_city(offline: OfflineGeocoder) -> None:
    raw = geocode(offline, "123 Main St, Austin, TX 00000").raw
    assert (raw["precision"], raw["label"]) == ("city", "Austin, Texas, US")
    assert raw["fallback"] == (
        "We could not match the street address or find the postcode 00000,"
        " so we used Austin, Texas, US."
    )


def test_unrecognised_qualifier_is_reported(offline: OfflineGeocoder) -> None:
    raw = geocode(offline, "London, Narnia").raw
    assert raw["label"] == "London, England, GB"
    assert raw["fallback"] == "We did not recognise “Narnia”, so we matched London on its own."


@pytest.mark.parametrize("query", ["Austin, Vermont", "Austin Vermont"])
def test_place_missing_from_qualifier_is_reported(offline: OfflineGeocoder, query: str) -> None:
    raw = geocode(offline, query).raw
    assert raw["label"] == "Austin, Texas, US"
    assert raw["fallback"] == ("We could not find Austin in Vermont, so we used Austin, Texas, US.")


@pytest.mark.parametrize(
    ("query", "best", "alternative"),
    [
        ("Portland", "Portland, Oregon, US", "Portland, Maine, US"),
        ("Springfield", "Springfield, Missouri, US", "Springfield, Illinois, US"),
        ("London", "London, England, GB", "London, Ontario, CA"),
        ("London, CA", "London, California, US", "London, Ontario, CA"),
    ],
)
def test_ambiguous_names_list_alternatives(
    offline: OfflineGeocoder, query: str, best: str, alternative: str
) -> None:
    raw = geocode(offline, query).raw
    assert raw["label"] == best
    labels = [alt["label"] for alt in raw["alternatives"]]
    assert alternative in labels
    assert best not in labels
    first = raw["alternatives"][0]
    assert set(first) == {"label", "latitude", "longitude", "country", "region", "precision"}


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("Portland, OR", "Portland, Oregon, US"),
        ("Portland, ME", "Portland, Maine, US"),
        ("Springfield, IL", "Springfield, Illinois, US"),
        ("Springfield, Massachusetts", "Springfield, Massachusetts, US"),
        ("London, Ontario", "London, Ontario, CA"),
        ("London, England", "London, England, GB"),
    ],
)
def test_qualifier_picks_among_ambiguous_names(
    offline: OfflineGeocoder, query: str, label: str
) -> None:
    assert geocode(offline, query).raw["label"] == label


def test_exactly_one_false_returns_candidates(offline: OfflineGeocoder) -> None:
    locations = offline.geocode("Portland", exactly_one=False)
    assert isinstance(locations, list)
    assert [loc.address for loc in locations[:2]] == [
        "Portland, Oregon, US",
        "Portland, Maine, US",
    ]
    assert all(set(loc.raw) == RAW_KEYS for loc in locations)


@pytest.mark.parametrize(
    "query",
    [
        "asdfgh",
        "asdf Texas",
        "London Narnia",
        "",
        "   ",
        ",,,",
        "x" * 10_000,
        "Austin" * 2_000,
        "'; DROP TABLE places; --",
        "Austin' OR '1'='1",
        "<script>alert(1)</script>",
        "<b>Austin</b>",
        "Austin\x00",
        "\x00",
        "{{ 7*7 }}",
        "../../etc/passwd",
        "%s%s%s%n",
        None,
        42,
        b"Austin",
    ],
)
def test_nonsense_and_hostile_input_returns_none(offline: OfflineGeocoder, query: object) -> None:
    assert offline.geocode(query) is None


def test_hostile_input_is_fast(offline: OfflineGeocoder) -> None:
    queries = ["x" * 10_000, "a b c d e f g h i j k l m n o p " * 6, "asdf, qwer, zxcv, uiop"] * 50
    start = time.perf_counter()
    for query in queries:
        offline.geocode(query)
    assert time.perf_counter() - start < 2.0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_never_raises(offline: OfflineGeocoder, query: str) -> None:
    location = offline.geocode(query)
    assert location is None or isinstance(location, Location)


def test_makes_no_network_calls(offline: OfflineGeocoder, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the offline geocoder opened a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert geocode(offline, "123 Main St, Austin, TX 78701").raw["precision"] == "postal_code"
