"""Wiring the configured geocoder into the app; the geocoders themselves live in ``geo/``.

The geocoder is created on first use, not at start-up, so that commands that never geocode
do not open the gazetteer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from flask import Flask

from directory.geo.gazetteer import ensure_gazetteer


class SupportsGeocode(Protocol):
    """What the app needs from a geocoder: geopy's ``geocode``."""

    def geocode(self, query: str) -> Any:
        """A geopy ``Location`` whose ``raw`` is a ``RawResult``, or None."""


class LazyGeocoder:
    """Creates the configured geocoder the first time it is asked for a place."""

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = config
        self._geocoder: SupportsGeocode | None = None

    def _get(self) -> SupportsGeocode:
        if self._geocoder is None:
            from directory.geo.online import make_geocoder

            config = self._config
            instance = Path(config["DATABASE"]).parent
            self._geocoder = make_geocoder(
                config["GEOCODER"],
                gazetteer_path=ensure_gazetteer(Path(config["GAZETTEER"])),
                user_agent=config["GEOCODER_USER_AGENT"],
                nominatim_url=config["NOMINATIM_URL"],
                cache_path=instance / "geocode-cache.db",
                cache_secret=str(config.get("SECRET_KEY") or ""),
            )
        return self._geocoder

    def geocode(self, query: str) -> Any:
        """Resolve ``query`` with the configured geocoder."""
        return self._get().geocode(query)


def init_app(app: Flask) -> None:
    """Attach the lazily created geocoder to ``app.extensions``."""
    app.extensions["geocoder"] = LazyGeocoder(app.config)
