"""Translating Nominatim answers into our result shape."""

from __future__ import annotations

from typing import Any

import pytest

from directory.geo.nominatim import from_nominatim, from_nominatim_list, nominatim_precision
from tests.geo.conftest import AUSTIN_ANSWER


@pytest.mark.parametrize(
    ("answer", "precision"),
    [
        ({"addresstype": "city", "type": "administrative", "class": "boundary"}, "city"),
        ({"addresstype": "town"}, "city"),
        ({"type": "village", "class": "place"}, "city"),
        ({"addresstype": "postcode", "type": "postcode"}, "postal_code"),
        ({"addresstype": "state", "type": "administrative"}, "region"),
        ({"addresstype": "county"}, "region"),
        ({"addresstype": "country"}, "country"),
        ({"addresstype": "building", "type": "house", "class": "building"}, "address"),
        ({"addresstype": "road", "type": "primary", "class": "highway"}, "address"),
        ({"type": "administrative", "place_rank": 4}, "country"),
        ({"type": "administrative", "place_rank": 8}, "region"),
        ({}, "address"),
    ],
)
def test_precision(answer: dict[str, Any], precision: str) -> None:
    assert nominatim_precision(answer) == precision


def test_from_nominatim() -> None:
    result = from_nominatim(AUSTIN_ANSWER)
    assert result is not None
    raw = result.raw()
    assert raw["label"] == "Austin, Travis County, Texas, United States"
    assert (raw["latitude"], raw["longitude"]) == (30.2711286, -97.7436995)
    assert (raw["country"], raw["region"], raw["precision"]) == ("US", "US-TX", "city")
    assert (raw["fallback"], raw["alternatives"], raw["source"]) == (None, [], "nominatim")


def test_uk_answer_uses_the_nation_as_region() -> None:
    answer = {
        "lat": "51.5",
        "lon": "-0.12",
        "display_name": "London, Greater London, England, United Kingdom",
        "addresstype": "city",
        "address": {"country_code": "gb", "ISO3166-2-lvl4": "GB-ENG", "ISO3166-2-lvl6": "GB-LND"},
    }
    result = from_nominatim(answer)
    assert result is not None
    assert (result.country, result.region) == ("GB", "GB-ENG")


@pytest.mark.parametrize("answer", [{}, {"lat": "north", "lon": "1"}, {"lat": None, "lon": None}])
def test_answers_without_coordinates_are_dropped(answer: dict[str, Any]) -> None:
    assert from_nominatim(answer) is None


def test_list_keeps_the_rest_as_alternatives() -> None:
    portland_me = {**AUSTIN_ANSWER, "lat": "43.66", "lon": "-70.26", "display_name": "Portland, ME"}
    result = from_nominatim_list([AUSTIN_ANSWER, {}, portland_me])
    assert result is not None
    assert [alt.label for alt in result.alternatives] == ["Portland, ME"]
    assert from_nominatim_list([]) is None
