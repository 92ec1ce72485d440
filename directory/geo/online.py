"""Choose a geocoder: offline (default), or Nominatim backed by the offline one.

The Nominatim path is rate-limited, cached on disk (misses too) and falls back
to the gazetteer when the service errors, times out or finds nothing, so a
search never fails because a server is down.

>>> geocoder = make_geocoder("offline", gazetteer_path=path, user_agent="kam/1.0")  # doctest: +SKIP
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from geopy.location import Location

from directory.geo.cache import GeocodeCache
from directory.geo.gazetteer import Gazetteer
from directory.geo.nominatim import from_nominatim_list
from directory.geo.normalize import clean_query
from directory.geo.offline import OfflineGeocoder
from directory.geo.query import parse_coordinates
from directory.geo.results import GeocodeResult

GEOCODER_KINDS = ("offline", "nominatim")
log = logging.getLogger(__name__)


class LocationGeocoder(Protocol):
    """What the app needs from any geocoder made here."""

    def geocode(
        self, query: object, exactly_one: bool = True, timeout: float | None = None
    ) -> Location | list[Location] | None: ...

    def lookup(self, query: object) -> GeocodeResult | None: ...

    def close(self) -> None: ...


class FallbackGeocoder:
    """Ask Nominatim (rate-limited, cached); use the offline geocoder when it fails."""

    def __init__(
        self,
        nominatim: Nominatim,
        offline: OfflineGeocoder,
        *,
        cache: GeocodeCache | None = None,
        min_delay_seconds: float = 1.0,
        timeout: float = 5.0,
    ) -> None:
        self.nominatim = nominatim
        self.offline = offline
        self.cache = cache
        self.timeout = timeout
        # We fall back instead of retrying, so a dead server costs one request.
        self._search = RateLimiter(
            nominatim.geocode,
            min_delay_seconds=min_delay_seconds,
            max_retries=0,
            error_wait_seconds=min_delay_seconds,
            swallow_exceptions=False,
        )

    def geocode(
        self, query: object, exactly_one: bool = True, timeout: float | None = None
    ) -> Location | list[Location] | None:
        """Return the best ``Location`` (or all candidates) for ``query``, or None."""
        result = self.lookup(query, timeout=timeout)
        if result is None:
            return None
        return result.to_location() if exactly_one else result.to_locations()

    def lookup(self, query: object, timeout: float | None = None) -> GeocodeResult | None:
        """Return the typed result for ``query``: online if possible, else offline."""
        text = clean_query(query)
        if text is None:
            return None
        if _is_coordinates(text):
            return self.offline.lookup(text)
        entry = self.cache.get(text) if self.cache is not None else None
        if entry is not None:
            return entry.result or self.offline.lookup(text)
        try:
            answers = self._search(
                text,
                exactly_one=False,
                limit=5,
                addressdetails=True,
                timeout=timeout or self.timeout,
            )
        except (GeopyError, OSError) as error:
            # Never the query: what people type is sensitive (see directory.geo.cache).
            log.warning("Nominatim failed (%s); using the offline gazetteer.", type(error).__name__)
            return self.offline.lookup(text)
        result = from_nominatim_list([a.raw for a in answers or ()])
        if self.cache is not None:
            self.cache.put(text, result)
        return result or self.offline.lookup(text)

    def close(self) -> None:
        """Close the HTTP session, the cache and the offline gazetteer."""
        self.nominatim.__exit__(None, None, None)  # geopy's way to close its session
        if self.cache is not None:
            self.cache.close()
        self.offline.close()


def _is_coordinates(text: str) -> bool:
    try:
        return parse_coordinates(text) is not None
    except ValueError:
        return True  # Out of range: the offline geocoder rejects it without a request.


def make_geocoder(
    kind: str = "offline",
    *,
    gazetteer_path: Path,
    user_agent: str,
    nominatim_url: str | None = None,
    cache_path: Path | None = None,
    cache_secret: str = "",
    min_delay_seconds: float = 1.0,
    timeout: float = 5.0,
) -> OfflineGeocoder | FallbackGeocoder:
    """Return the geocoder named by ``kind``: ``"offline"`` or ``"nominatim"``.

    ``nominatim_url`` points at a server such as ``"http://127.0.0.1:8080"``
    (default: the public OpenStreetMap instance, whose policy requires an
    identifying ``user_agent``, at most one request per second, and the credit
    "© OpenStreetMap contributors"). The rate limit is per process.
    """
    if kind not in GEOCODER_KINDS:
        raise ValueError(f"Unknown geocoder {kind!r}; expected one of {GEOCODER_KINDS}.")
    offline = OfflineGeocoder(Gazetteer(gazetteer_path))
    if kind == "offline":
        return offline
    if not user_agent.strip():
        raise ValueError(
            "Nominatim needs an identifying user_agent, e.g. 'site-name/1.0 (contact)'."
        )
    # urllib3 logs the full URL, with what the person typed, when it retries a request.
    logging.getLogger("urllib3.connectionpool").setLevel(logging.ERROR)
    nominatim = Nominatim(user_agent=user_agent, **_server(nominatim_url))
    cache = GeocodeCache(cache_path, cache_secret) if cache_path else None
    return FallbackGeocoder(
        nominatim, offline, cache=cache, min_delay_seconds=min_delay_seconds, timeout=timeout
    )


def _server(url: str | None) -> dict[str, Any]:
    """Split ``"http://host:port/path"`` into geopy's ``scheme`` and ``domain``."""
    if not url:
        return {}
    parts = urlsplit(url if "://" in url else f"https://{url}")
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"Not a Nominatim URL: {url!r}")
    return {"scheme": parts.scheme, "domain": parts.netloc + parts.path.rstrip("/")}
