"""Where a search is centred: the ``near`` text resolved by the app's geocoder.

The geocoders (``directory.geo``) parse coordinates with the one parser there
(:func:`directory.geo.query.parse_coordinates`) and answer with one type,
:class:`~directory.geo.results.GeocodeResult`, which the search and the views use as it is.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from directory.geo.query import parse_coordinates
from directory.geo.results import GeocodeResult
from directory.search.params import ParamError

NOT_FOUND = (
    "We could not find that place. Try a city, a postal code, an address, or latitude,longitude."
)
OUT_OF_RANGE = "coordinates must be a latitude within ±90 and a longitude within ±180"


def resolve_place(near: str) -> GeocodeResult | None:
    """Resolve ``near`` (text or "lat,lon") with the app's geocoder; None for no text.

    Raises :class:`ParamError` when the place cannot be found.
    """
    if not near:
        return None
    try:
        parse_coordinates(near)
    except ValueError:
        raise ParamError("near", OUT_OF_RANGE) from None
    location = current_app.extensions["geocoder"].geocode(near)
    if location is None:
        raise ParamError("near", NOT_FOUND)
    return GeocodeResult.from_raw(location.raw)


def place_json(place: GeocodeResult) -> dict[str, Any]:
    """The API's ``location`` object."""
    return {
        "label": place.label,
        "lat": place.latitude,
        "lon": place.longitude,
        "precision": place.precision,
        "country": place.country,
        "region": place.region,
        "fallback": place.fallback,
        "alternatives": place.raw()["alternatives"],
    }
