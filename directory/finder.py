"""The search service: parameters in, a located and ranked result out.

One function serves the list page, the map and the API, so that all three always agree:
validate the parameters, resolve the place with the configured geocoder, and search.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from flask import current_app

from directory.db import get_db
from directory.search import Point, SearchResult, search
from directory.search_params import ParamError, SearchParams, parse_coordinates, parse_search_params

NOT_FOUND = (
    "We could not find that place. Try a city, a postal code, an address, or latitude,longitude."
)


@dataclass(frozen=True)
class ResolvedPlace:
    """Where a search is centred, and how we got there."""

    label: str
    latitude: float
    longitude: float
    precision: str
    country: str | None = None
    region: str | None = None
    fallback: str | None = None
    alternatives: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The API's ``location`` object."""
        return {
            "label": self.label,
            "lat": self.latitude,
            "lon": self.longitude,
            "precision": self.precision,
            "country": self.country,
            "region": self.region,
            "fallback": self.fallback,
            "alternatives": self.alternatives,
        }


@dataclass
class Finding:
    """A search as performed: its parameters, the place, and the result."""

    params: SearchParams
    place: ResolvedPlace | None
    result: SearchResult


def resolve_place(near: str) -> ResolvedPlace | None:
    """Resolve ``near`` (text or "lat,lon") with the app's geocoder; None for no text.

    Raises :class:`ParamError` when the place cannot be found.
    """
    if not near:
        return None
    coordinates = parse_coordinates(near)
    geocoder = current_app.extensions["geocoder"]
    location = geocoder.geocode(near)
    if location is None:
        if coordinates is None:
            raise ParamError("near", NOT_FOUND)
        latitude, longitude = coordinates
        return ResolvedPlace(f"{latitude:.5f}, {longitude:.5f}", latitude, longitude, "coordinates")
    raw = location.raw
    return ResolvedPlace(
        label=raw["label"],
        latitude=raw["latitude"],
        longitude=raw["longitude"],
        precision=raw["precision"],
        country=raw.get("country"),
        region=raw.get("region"),
        fallback=raw.get("fallback"),
        alternatives=list(raw.get("alternatives") or []),
    )


def _named_region(params: SearchParams, place: ResolvedPlace | None) -> str | None:
    """The region a search named by itself ("Texas"), when it gave no radius, area or region
    filter of its own; else None."""
    if place is None or place.precision != "region" or params.region is not None:
        return None
    if params.bbox is not None or params.radius_given:
        return None
    return place.region


#: The wider radii an empty search offers, in the search's own unit.
WIDER_RADII = (100.0, 250.0, 500.0)


@dataclass(frozen=True)
class WiderSearch:
    """A one-click wider search: its radius and how many providers it would find."""

    radius: float
    total: int
    args: dict[str, str]


def wider_searches(finding: Finding) -> list[WiderSearch]:
    """For a circle that found nobody: the same search at each of :data:`WIDER_RADII` beyond
    its radius, with the count each would find (one count query each, on empty pages only)."""
    params, place = finding.params, finding.place
    if finding.result.total or place is None or params.bbox is not None:
        return []
    center = Point(place.latitude, place.longitude)
    codes = [place.region or "", place.country or ""]
    found = []
    for radius in WIDER_RADII:
        if radius <= params.radius:
            continue
        wider = replace(params, radius=radius, radius_given=True, page=1, per_page=1)
        total = search(get_db(), wider, center=center, telehealth_codes=codes).total
        found.append(WiderSearch(radius, total, wider.query_args(per_page=params.per_page)))
    return found


def find_providers(args: Mapping[str, str], **limits: int) -> Finding:
    """Validate ``args``, resolve the place and search; raises :class:`ParamError`.

    ``limits`` (``max_per_page``, ``default_per_page``) let exports page in larger steps.
    """
    params = parse_search_params(args, **limits)
    place = resolve_place(params.near)
    region = _named_region(params, place)
    if region is not None:
        # "Texas" or "Bavaria" means the region, not a circle around its centroid: list its
        # providers as the region filter does.
        params = replace(params, region=region)
        codes = [region, place.country or ""] if place else [region]
        result = search(get_db(), params, center=None, telehealth_codes=codes)
        return Finding(params=params, place=place, result=result)
    # "Search this area" sends the visible box; it wins over the circle around the place.
    center = Point(place.latitude, place.longitude) if place and params.bbox is None else None
    codes = [place.region or "", place.country or ""] if place else []
    home = place.country if place else None
    result = search(get_db(), params, center=center, telehealth_codes=codes, home_country=home)
    return Finding(params=params, place=place, result=result)
