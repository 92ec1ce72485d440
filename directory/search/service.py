"""The search service: parameters in, a located and ranked result out.

One function serves the list page, the map and the API, so that all three always agree:
validate the parameters, resolve the place with the configured geocoder, and search.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from directory.db import get_db
from directory.geo.results import GeocodeResult
from directory.queries.regions import currency_for
from directory.search.geometry import Point
from directory.search.hits import Hit, Site, every_site
from directory.search.params import (
    DEFAULT_PER_PAGE,
    DEFAULT_RADIUS,
    MAX_PER_PAGE,
    ParamError,
    SearchParams,
    parse_search_params,
)
from directory.search.place import resolve_place
from directory.search.result import SearchResult, search, telehealth_for


@dataclass
class Finding:
    """A search as performed: its parameters, the place, and the result."""

    params: SearchParams
    place: GeocodeResult | None
    result: SearchResult
    center: Point | None = None


def _named_region(params: SearchParams, place: GeocodeResult | None) -> str | None:
    """The region a search named by itself ("Texas"), when it gave no radius, area or region
    filter of its own; else None."""
    if place is None or place.precision != "region" or params.region is not None:
        return None
    if params.bbox is not None or params.radius_given:
        return None
    return place.region


def search_center(params: SearchParams, place: GeocodeResult | None) -> Point | None:
    """The centre the search ranks from: the place, unless a map box ("Search this area")
    replaces the circle around it."""
    if place is None or params.bbox is not None:
        return None
    return Point(place.latitude, place.longitude)


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


#: Where people measure distance in miles: a page's search there defaults to miles.
MILE_COUNTRIES = frozenset({"US", "GB"})


def local_unit(params: SearchParams, place: GeocodeResult | None) -> SearchParams:
    """``params`` in the searched place's own unit when the search chose neither a unit nor a
    radius: 30 mi around a place in the US or the UK, 50 km elsewhere."""
    if params.unit_given or params.radius_given or place is None:
        return params
    if place.country not in MILE_COUNTRIES:
        return params
    return replace(params, unit="mi", radius=DEFAULT_RADIUS["mi"], unit_given=True)


NO_CURRENCY = (
    "say which currency the maximum price is in (for example currency=USD): "
    "prices in different currencies are never compared"
)


def price_currency(params: SearchParams, place: GeocodeResult | None) -> SearchParams:
    """``params`` with the currency its maximum price is in: the one asked for, else the
    searched place's (or region's) country's; raises :class:`ParamError` (on ``max_price``)
    when neither is known, since amounts in different currencies are never compared."""
    if params.max_price is None:
        return params
    if params.currency is not None:
        return replace(params, compare_currency=params.currency)
    where = (place.region or place.country) if place else params.region
    currency = currency_for(get_db(), where)
    if currency is None:
        raise ParamError("max_price", NO_CURRENCY)
    return replace(params, compare_currency=currency)


@dataclass(frozen=True)
class Plan:
    """A search ready to run: its final parameters, the place, the centre (None for a box, a
    region or everyone) and the areas whose telehealth programmes apply."""

    params: SearchParams
    place: GeocodeResult | None
    center: Point | None
    telehealth_codes: list[str]
    home_country: str | None


def plan_search(
    args: Mapping[str, str],
    *,
    unit_from_place: bool = False,
    max_per_page: int = MAX_PER_PAGE,
    default_per_page: int = DEFAULT_PER_PAGE,
) -> Plan:
    """Validate ``args`` and resolve the place: everything the list, the map's points and the
    API decide alike before they search; raises :class:`ParamError`.

    ``unit_from_place`` (the pages) gives a search without a unit or radius the place's own
    unit (:func:`local_unit`); the API keeps kilometres as its documented default.
    ``max_per_page`` and ``default_per_page`` let exports page in larger steps.
    """
    params = parse_search_params(args, max_per_page=max_per_page, default_per_page=default_per_page)
    place = resolve_place(params.near)
    if unit_from_place:
        params = local_unit(params, place)
    params = price_currency(params, place)
    region = _named_region(params, place)
    if region is not None:
        # "Texas" or "Bavaria" means the region, not a circle around its centroid: list its
        # providers as the region filter does.
        codes = [region, place.country or ""] if place else [region]
        return Plan(replace(params, region=region), place, None, codes, None)
    codes = [place.region or "", place.country or ""] if place else []
    home = place.country if place else None
    return Plan(params, place, search_center(params, place), codes, home)


def find_providers(
    args: Mapping[str, str],
    *,
    unit_from_place: bool = False,
    max_per_page: int = MAX_PER_PAGE,
    default_per_page: int = DEFAULT_PER_PAGE,
) -> Finding:
    """Plan the search (:func:`plan_search`) and run it; raises :class:`ParamError`."""
    plan = plan_search(
        args,
        unit_from_place=unit_from_place,
        max_per_page=max_per_page,
        default_per_page=default_per_page,
    )
    result = search(
        get_db(),
        plan.params,
        center=plan.center,
        telehealth_codes=plan.telehealth_codes,
        home_country=plan.home_country,
    )
    return Finding(params=plan.params, place=plan.place, result=result, center=plan.center)


def sites_found(finding: Finding) -> dict[str, list[Site]]:
    """Every site of each provider on the finding's page, the nearest first (see
    :func:`directory.search.hits.every_site`); for the exports' row per site."""
    return every_site(get_db(), finding.result.hits, finding.center)


def telehealth_serving(codes: Iterable[str]) -> list[Hit]:
    """Every open telehealth programme serving any of ``codes`` (a region and its ancestors)."""
    return telehealth_for(get_db(), SearchParams(), codes)
