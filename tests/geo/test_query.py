"""Parsing queries: coordinates, postcodes and street lines."""

from __future__ import annotations

import pytest

from directory.geo.query import (
    find_postcode,
    looks_like_street,
    parse_coordinates,
    split_parts,
    strip_street,
)


@pytest.mark.parametrize(
    ("text", "point"),
    [
        ("30.27, -97.74", (30.27, -97.74)),
        ("30.27,-97.74", (30.27, -97.74)),
        ("  -33.87 151.21 ", (-33.87, 151.21)),
        ("90, 180", (90.0, 180.0)),
        ("Austin", None),
        ("78701", None),
        ("10 20", None),
    ],
)
def test_parse_coordinates(text: str, point: tuple[float, float] | None) -> None:
    assert parse_coordinates(text) == point


@pytest.mark.parametrize("text", ["91, 0", "0, 181", "-90.1, 0", "12.5, -180.5"])
def test_out_of_range_coordinates_raise(text: str) -> None:
    with pytest.raises(ValueError, match="out of range"):
        parse_coordinates(text)


@pytest.mark.parametrize(
    ("text", "lookups", "shown", "rest"),
    [
        ("78701", (("US", "78701"),), "78701", ""),
        ("78701-1234", (("US", "78701"),), "78701-1234", ""),
        ("123 Main St, Austin, TX 78701", (("US", "78701"),), "78701", "123 Main St, Austin, TX"),
        ("M5V 2T6", (("CA", "M5V"),), "M5V 2T6", ""),
        ("m5v2t6", (("CA", "M5V"),), "M5V 2T6", ""),
        ("M5V", (("CA", "M5V"), ("GB", "M")), "M5V", ""),
        ("SW1A 1AA", (("GB", "SW"),), "SW1A 1AA", ""),
        ("10 Downing St, London SW1A 2AA", (("GB", "SW"),), "SW1A 2AA", "10 Downing St, London"),
        ("SW1A", (("GB", "SW"),), "SW1A", ""),
        ("W1A", (("GB", "W"),), "W1A", ""),
        ("Sydney NSW 2000", (("AU", "2000"), ("NZ", "2000")), "2000", "Sydney NSW"),
    ],
)
def test_find_postcode(
    text: str, lookups: tuple[tuple[str, str], ...], shown: str, rest: str
) -> None:
    match = find_postcode(text)
    assert match is not None
    assert (match.lookups, match.shown, match.rest) == (lookups, shown, rest)


@pytest.mark.parametrize("text", ["Austin", "London, ON", "123", "Route 66", "Austin78701"])
def test_no_postcode(text: str) -> None:
    assert find_postcode(text) is None


def test_split_parts_drops_empty_parts() -> None:
    assert split_parts("'; DROP TABLE places; --") == ["DROP TABLE places"]
    assert split_parts("Austin,, TX ,") == ["Austin", "TX"]


@pytest.mark.parametrize(
    ("part", "street"),
    [
        ("123 Main St", True),
        ("Congress Avenue", True),
        ("Suite 200", True),
        ("Unit #4", True),
        ("St. Louis", False),
        ("Port St. Lucie", False),
        ("Austin", False),
        ("Salt Lake City", False),
    ],
)
def test_looks_like_street(part: str, street: bool) -> None:
    assert looks_like_street(part) is street


@pytest.mark.parametrize(
    ("parts", "stripped"),
    [
        (["123 Main St", "Austin", "TX"], ["Austin", "TX"]),
        (["123 Main St", "Suite 4", "Austin"], ["Austin"]),
        (["1600 Pennsylvania Ave Washington DC"], ["Washington DC"]),
        (["12 Congress Ave Suite 300 Austin TX"], ["Austin TX"]),
        (["Austin", "TX"], None),
        (["123 Main St"], None),
        (["St. Louis", "MO"], None),
    ],
)
def test_strip_street(parts: list[str], stripped: list[str] | None) -> None:
    assert strip_street(parts) == stripped
