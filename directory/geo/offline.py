"""The offline geocoder: geopy's interface over the local gazetteer, no network.

>>> geocoder = OfflineGeocoder(Gazetteer(path))  # doctest: +SKIP
>>> location = geocoder.geocode("Portland, ME")  # doctest: +SKIP
>>> location.raw["label"], location.raw["precision"]  # doctest: +SKIP
('Portland, Maine, US', 'city')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NoReturn

from geopy.adapters import BaseSyncAdapter
from geopy.exc import GeocoderServiceError
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from directory.geo.gazetteer import Gazetteer, Place
from directory.geo.query import find_postcode
from directory.geo.regions import region_name
from directory.geo.resolver import Constraint, Resolver
from directory.geo.results import GeocodeResult

_ISO_REGION = re.compile(r"[A-Za-z]{2}-[A-Za-z0-9]{1,3}")


class _NoNetworkAdapter(BaseSyncAdapter):  # type: ignore[misc]  # geopy ships no types
    """A geopy adapter that refuses every request, so the offline geocoder cannot leak."""

    def get_json(self, url: str, *, timeout: float, headers: dict[str, str]) -> NoReturn:
        raise GeocoderServiceError(f"The offline geocoder makes no requests ({url}).")

    def get_text(self, url: str, *, timeout: float, headers: dict[str, str]) -> NoReturn:
        raise GeocoderServiceError(f"The offline geocoder makes no requests ({url}).")


@dataclass(frozen=True, slots=True)
class ResolvedPoint:
    """Where a provider's address puts it on the map, for the dataset build."""

    latitude: float
    longitude: float
    precision: Literal["postal_code", "city"]
    label: str
    country: str
    region: str | None

    @classmethod
    def from_place(cls, place: Place) -> ResolvedPoint:
        """Describe a gazetteer place (a postcode or a city)."""
        precision: Literal["postal_code", "city"] = (
            "postal_code" if place.precision == "postal_code" else "city"
        )
        return cls(
            place.latitude, place.longitude, precision, place.label, place.country, place.region
        )


class OfflineGeocoder(Geocoder):  # type: ignore[misc]  # geopy ships no types
    """geopy ``Geocoder`` answering from the gazetteer; never touches the network."""

    def __init__(self, gazetteer: Gazetteer | Path) -> None:
        super().__init__(
            user_agent="ketamine-access-map-offline", adapter_factory=_NoNetworkAdapter
        )
        self.gazetteer = gazetteer if isinstance(gazetteer, Gazetteer) else Gazetteer(gazetteer)
        self.resolver = Resolver(self.gazetteer)

    def geocode(
        self, query: object, exactly_one: bool = True, timeout: float | None = None
    ) -> Location | list[Location] | None:
        """Return the best ``Location`` for ``query`` (or all candidates), or None.

        ``Location.raw`` is a :class:`~directory.geo.results.RawResult`.
        ``timeout`` is accepted for interface compatibility and ignored.
        """
        result = self.lookup(query)
        if result is None:
            return None
        return result.to_location() if exactly_one else result.to_locations()

    def close(self) -> None:
        """Close the gazetteer."""
        self.gazetteer.close()

    def lookup(self, query: object) -> GeocodeResult | None:
        """Return the typed result for ``query``, or None; never raises on bad input."""
        return self.resolver.resolve(query)

    def resolve_address(
        self,
        city: str | None,
        postal_code: str | None,
        region: str | None,
        country: str | None,
    ) -> ResolvedPoint | None:
        """Locate a provider: see :func:`resolve_address`."""
        return resolve_address(city, postal_code, region, country, gazetteer=self.gazetteer)


def resolve_address(
    city: str | None,
    postal_code: str | None,
    region: str | None,
    country: str | None,
    *,
    gazetteer: Gazetteer,
) -> ResolvedPoint | None:
    """Locate a structured address: postal code first, then city within region/country.

    ``region`` may be "TX", "US-TX" or "Texas"; ``country`` "US", "USA" or
    "United States". Returns None when neither the postcode nor the city is known.

    >>> resolve_address("Austin", "78701", "TX", "US", gazetteer=gazetteer)  # doctest: +SKIP
    ResolvedPoint(latitude=30.2713, longitude=-97.7426, precision='postal_code', ...)
    """
    resolver = Resolver(gazetteer)
    constraints = _address_constraints(resolver, region, country)
    countries = list(dict.fromkeys(c for c, _ in constraints))
    postcode = find_postcode(postal_code) if postal_code else None
    if postcode and not postcode.rest:
        for lookup_country, code in postcode.lookups:
            if countries and lookup_country not in countries:
                continue
            places = resolver.gazetteer.find_postal_code(code, country=lookup_country)
            if places:
                return ResolvedPoint.from_place(places[0])
    if city:
        places = resolver.city_in(city, constraints) if constraints else []
        if not places and not (region or country):
            places = resolver.gazetteer.find_places(city, kinds=("city",), limit=1)
        cities = [p for p in places if p.precision == "city"]
        if cities:
            return ResolvedPoint.from_place(cities[0])
    return None


def _address_constraints(
    resolver: Resolver, region: str | None, country: str | None
) -> list[Constraint]:
    """Turn free-form region and country fields into (country, region) options."""
    countries: list[Constraint] = []
    if country:
        countries = [c for c in resolver.qualifier(country) if c[1] is None]
        if not countries:
            return []
    regions: list[Constraint] = []
    if region and _ISO_REGION.fullmatch(region.strip()):
        code = region.strip().upper()
        # A subdivision the gazetteer files no place under (Zurich's CH-ZH) narrows nothing.
        regions = [(code[:2], code)] if region_name(code) is not None else []
    elif region:
        regions = [c for c in resolver.qualifier(region) if c[1] is not None]
    if not regions:
        return countries
    if countries:
        allowed = {c for c, _ in countries}
        return [r for r in regions if r[0] in allowed]
    return regions
