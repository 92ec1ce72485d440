"""Offline-first geocoding: a packaged gazetteer, geopy geocoders, no Flask.

The rest of the app needs only what is exported here::

    build_gazetteer(default_gazetteer_path(cache_dir))         # once, at build time
    geocoder = make_geocoder("offline", gazetteer_path=..., user_agent="...")
    location = geocoder.geocode("Austin, TX")                  # geopy Location or None
    location.raw["precision"], location.raw["fallback"]
"""

from __future__ import annotations

from directory.geo.gazetteer import (
    ATTRIBUTION,
    Gazetteer,
    Place,
    build_gazetteer,
    default_gazetteer_path,
    ensure_gazetteer,
)
from directory.geo.offline import OfflineGeocoder, ResolvedPoint, resolve_address
from directory.geo.online import FallbackGeocoder, LocationGeocoder, make_geocoder
from directory.geo.results import GeocodeResult, Precision, RawResult

__all__ = [
    "ATTRIBUTION",
    "FallbackGeocoder",
    "Gazetteer",
    "GeocodeResult",
    "LocationGeocoder",
    "OfflineGeocoder",
    "Place",
    "Precision",
    "RawResult",
    "ResolvedPoint",
    "build_gazetteer",
    "default_gazetteer_path",
    "ensure_gazetteer",
    "make_geocoder",
    "resolve_address",
]
