"""Translate Nominatim's JSON answers into our :class:`GeocodeResult` shape.

>>> result = from_nominatim({"lat": "30.27", "lon": "-97.74", "display_name": "Austin",
...     "addresstype": "city", "address": {"country_code": "us", "ISO3166-2-lvl4": "US-TX"}})
>>> result.country, result.region, result.precision
('US', 'US-TX', 'city')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from directory.geo.results import Candidate, GeocodeResult, Precision

_CITY = frozenset(
    {"city", "town", "village", "hamlet", "municipality", "borough", "suburb", "quarter"}
    | {"neighbourhood", "locality", "city_district", "district", "isolated_dwelling"}
)
_REGION = frozenset({"state", "province", "region", "state_district", "county"})
_COUNTRY = frozenset({"country"})
_POSTCODE = frozenset({"postcode"})
_REGION_KEYS = ("ISO3166-2-lvl4", "ISO3166-2-lvl3", "ISO3166-2-lvl5", "ISO3166-2-lvl6")


def nominatim_precision(answer: Mapping[str, Any]) -> Precision:
    """Classify an answer by its ``addresstype``, then ``type``, then ``place_rank``."""
    for kind in (answer.get("addresstype"), answer.get("type")):
        if kind in _POSTCODE:
            return "postal_code"
        if kind in _CITY:
            return "city"
        if kind in _REGION:
            return "region"
        if kind in _COUNTRY:
            return "country"
    rank = answer.get("place_rank")
    if isinstance(rank, int) and rank <= 12:
        return "country" if rank <= 4 else "region"
    return "address"


def from_nominatim(answer: Mapping[str, Any]) -> GeocodeResult | None:
    """Return one Nominatim answer as a result, or None if it lacks coordinates."""
    try:
        latitude, longitude = float(answer["lat"]), float(answer["lon"])
    except (KeyError, TypeError, ValueError):
        return None
    address = answer.get("address") or {}
    country = str(address.get("country_code") or "").upper() or None
    region = next((str(address[key]) for key in _REGION_KEYS if address.get(key)), None)
    label = str(answer.get("display_name") or f"{latitude:.5f}, {longitude:.5f}")
    precision = nominatim_precision(answer)
    return GeocodeResult(label, latitude, longitude, country, region, precision, source="nominatim")


def from_nominatim_list(answers: Sequence[Mapping[str, Any]]) -> GeocodeResult | None:
    """Return the first answer with the rest as its alternatives, or None if empty."""
    results = [r for r in map(from_nominatim, answers) if r is not None]
    if not results:
        return None
    best, others = results[0], results[1:]
    alternatives = tuple(
        Candidate(r.label, r.latitude, r.longitude, r.country, r.region, r.precision)
        for r in others
    )
    return replace(best, alternatives=alternatives)
