"""Locating structured addresses at dataset build time."""

from __future__ import annotations

import pytest

from directory.geo.gazetteer import Gazetteer
from directory.geo.offline import OfflineGeocoder, ResolvedPoint, resolve_address


@pytest.mark.parametrize(
    ("city", "postal_code", "region", "country", "precision", "label"),
    [
        ("Austin", "78701", "TX", "US", "postal_code", "78701, Austin, Texas, US"),
        (
            "Austin",
            "78701-1234",
            "Texas",
            "United States",
            "postal_code",
            "78701, Austin, Texas, US",
        ),
        ("Austin", None, "TX", "US", "city", "Austin, Texas, US"),
        ("Austin", "00000", "US-TX", "USA", "city", "Austin, Texas, US"),
        ("Portland", None, "ME", "US", "city", "Portland, Maine, US"),
        ("London", None, "ON", "CA", "city", "London, Ontario, CA"),
        ("London", None, None, "GB", "city", "London, England, GB"),
        ("Toronto", "M5V 2T6", "ON", "CA", "postal_code", "M5V, Downtown Toronto, Ontario, CA"),
        ("Sydney", "2000", "NSW", "AU", "postal_code", "2000, Barangaroo, New South Wales, AU"),
        ("Munich", None, None, "DE", "city", "Munich, Bavaria, DE"),
        ("München", None, "Bayern", "Germany", "city", "Munich, Bavaria, DE"),
        # A German postcode must not be read as the New York ZIP 10115.
        ("Berlin", "10115", None, "DE", "city", "Berlin, DE"),
        # A subdivision code the gazetteer does not map narrows nothing: the city is looked
        # up in its country (Zurich in CH-ZH, Barcelona in ES-CT).
        ("Zurich", None, "CH-ZH", "CH", "city", "Zürich, CH"),
        ("Barcelona", None, "ES-CT", "ES", "city", "Barcelona, ES"),
    ],
)
def test_resolve_address(
    gazetteer: Gazetteer,
    city: str,
    postal_code: str | None,
    region: str | None,
    country: str,
    precision: str,
    label: str,
) -> None:
    point = resolve_address(city, postal_code, region, country, gazetteer=gazetteer)
    assert point is not None
    assert (point.precision, point.label) == (precision, label)


@pytest.mark.parametrize(
    ("city", "postal_code", "region", "country"),
    [
        ("Nowhereville", None, "TX", "US"),
        ("Nowhereville", "00000", "TX", "US"),
        ("Austin", None, "TX", "Narnia"),
        (None, None, None, None),
        ("Toronto", None, "TX", "US"),
    ],
)
def test_unresolvable_addresses(
    gazetteer: Gazetteer,
    city: str | None,
    postal_code: str | None,
    region: str | None,
    country: str | None,
) -> None:
    assert resolve_address(city, postal_code, region, country, gazetteer=gazetteer) is None


def test_geocoder_method_matches_function(offline: OfflineGeocoder) -> None:
    point = offline.resolve_address("Austin", "78701", "TX", "US")
    assert point == ResolvedPoint(
        30.2713, -97.7426, "postal_code", "78701, Austin, Texas, US", "US", "US-TX"
    )
