"""The Nominatim-backed geocoder, against a local stand-in server only."""

from __future__ import annotations

import datetime as dt
import logging
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from geopy.location import Location

from directory.geo.cache import WINDOW_DAYS, GeocodeCache
from directory.geo.offline import OfflineGeocoder
from directory.geo.online import FallbackGeocoder, make_geocoder
from tests.geo.conftest import FakeNominatim

USER_AGENT = "ketamine-access-map-tests/1.0 (tests@example.org)"


@pytest.fixture
def online(
    fake_nominatim: FakeNominatim, gazetteer_path: Path, tmp_path: Path
) -> Iterator[FallbackGeocoder]:
    """A Nominatim geocoder pointed at the stand-in server, with a fresh cache."""
    geocoder = make_geocoder(
        "nominatim",
        gazetteer_path=gazetteer_path,
        user_agent=USER_AGENT,
        nominatim_url=fake_nominatim.url,
        cache_path=tmp_path / "cache" / "geocode.sqlite3",
        min_delay_seconds=0.01,
    )
    assert isinstance(geocoder, FallbackGeocoder)
    yield geocoder
    geocoder.close()


def geocode(geocoder: FallbackGeocoder, query: str) -> Location:
    """Geocode ``query`` and insist on a single Location."""
    location = geocoder.geocode(query)
    assert isinstance(location, Location)
    return location


def test_answers_from_nominatim(online: FallbackGeocoder, fake_nominatim: FakeNominatim) -> None:
    raw = geocode(online, "Austin, TX").raw
    assert raw["source"] == "nominatim"
    assert (raw["country"], raw["region"], raw["precision"]) == ("US", "US-TX", "city")
    [request] = fake_nominatim.requests
    assert request["path"] == "/search"
    assert request["query"]["q"] == "Austin, TX"
    assert request["query"]["format"] == "json"
    assert request["query"]["addressdetails"] == "1"


def test_sends_identifying_user_agent(
    online: FallbackGeocoder, fake_nominatim: FakeNominatim
) -> None:
    geocode(online, "Austin, TX")
    assert fake_nominatim.requests[0]["headers"]["User-Agent"] == USER_AGENT


def test_second_call_is_served_from_cache(
    online: FallbackGeocoder, fake_nominatim: FakeNominatim
) -> None:
    first = geocode(online, "Austin, TX").raw
    second = geocode(online, "  austin,   tx ").raw
    assert second == first
    assert len(fake_nominatim.requests) == 1


def test_cache_survives_a_restart(
    fake_nominatim: FakeNominatim, gazetteer_path: Path, tmp_path: Path
) -> None:
    for _ in range(2):
        geocoder = make_geocoder(
            "nominatim",
            gazetteer_path=gazetteer_path,
            user_agent=USER_AGENT,
            nominatim_url=fake_nominatim.url,
            cache_path=tmp_path / "geocode.sqlite3",
            cache_secret="the instance secret",
            min_delay_seconds=0.01,
        )
        location = geocoder.geocode("Austin, TX")
        geocoder.close()
        assert isinstance(location, Location)
        assert location.raw["source"] == "nominatim"
    assert len(fake_nominatim.requests) == 1


def test_misses_are_cached_and_fall_back_offline(
    online: FallbackGeocoder, fake_nominatim: FakeNominatim
) -> None:
    fake_nominatim.answers = []
    for _ in range(2):
        raw = geocode(online, "Portland, ME").raw
        assert (raw["source"], raw["label"]) == ("offline", "Portland, Maine, US")
    assert len(fake_nominatim.requests) == 1
    assert online.cache is not None and len(online.cache) == 1


def test_nonsense_returns_none(online: FallbackGeocoder, fake_nominatim: FakeNominatim) -> None:
    fake_nominatim.answers = []
    assert online.geocode("asdfgh") is None
    assert online.geocode("x" * 10_000) is None
    assert online.geocode("Austin\x00") is None
    assert len(fake_nominatim.requests) == 1  # only "asdfgh" was worth asking


def test_server_error_falls_back_offline_and_is_not_cached(
    online: FallbackGeocoder, fake_nominatim: FakeNominatim
) -> None:
    fake_nominatim.status = 500
    raw = geocode(online, "Austin, TX").raw
    assert (raw["source"], raw["label"]) == ("offline", "Austin, Texas, US")
    fake_nominatim.status = 200
    assert geocode(online, "Austin, TX").raw["source"] == "nominatim"
    assert len(fake_nominatim.requests) == 2


def test_server_down_falls_back_offline(
    gazetteer_path: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    geocoder = make_geocoder(
        "nominatim",
        gazetteer_path=gazetteer_path,
        user_agent=USER_AGENT,
        nominatim_url=f"http://127.0.0.1:{port}",
        cache_path=tmp_path / "geocode.sqlite3",
        min_delay_seconds=0.01,
        timeout=2,
    )
    try:
        with caplog.at_level(logging.WARNING):
            location = geocoder.geocode("78701")
        assert isinstance(location, Location)
        assert (location.raw["source"], location.raw["precision"]) == ("offline", "postal_code")
        assert "Nominatim failed" in caplog.text
        assert "78701" not in caplog.text  # what the person typed is never logged
    finally:
        geocoder.close()


def test_coordinates_never_reach_the_server(
    online: FallbackGeocoder, fake_nominatim: FakeNominatim
) -> None:
    assert geocode(online, "30.27, -97.74").raw["precision"] == "coordinates"
    assert online.geocode("95, 0") is None
    assert fake_nominatim.requests == []


def test_exactly_one_false_lists_alternatives(
    online: FallbackGeocoder, fake_nominatim: FakeNominatim
) -> None:
    second = {**fake_nominatim.answers[0], "display_name": "Austin, Minnesota", "lat": "43.67"}
    fake_nominatim.answers = [fake_nominatim.answers[0], second]
    locations = online.geocode("Austin", exactly_one=False)
    assert isinstance(locations, list)
    assert [loc.address for loc in locations] == [
        "Austin, Travis County, Texas, United States",
        "Austin, Minnesota",
    ]


def test_offline_is_the_default(gazetteer_path: Path) -> None:
    geocoder = make_geocoder("offline", gazetteer_path=gazetteer_path, user_agent="")
    assert isinstance(geocoder, OfflineGeocoder)
    geocoder.close()


@pytest.mark.parametrize(
    ("kind", "user_agent", "url", "message"),
    [
        ("google", USER_AGENT, None, "Unknown geocoder"),
        ("nominatim", "  ", None, "user_agent"),
        ("nominatim", USER_AGENT, "ftp://127.0.0.1/", "Not a Nominatim URL"),
    ],
)
def test_bad_configuration_is_refused(
    gazetteer_path: Path, kind: str, user_agent: str, url: str | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        make_geocoder(kind, gazetteer_path=gazetteer_path, user_agent=user_agent, nominatim_url=url)


def test_cache_round_trip(tmp_path: Path, offline: OfflineGeocoder) -> None:
    cache = GeocodeCache(tmp_path / "cache.sqlite3", "secret")
    result = offline.lookup("Portland")
    assert result is not None
    assert cache.get("Portland") is None
    cache.put("Portland", result)
    cache.put("asdfgh", None)
    entry, miss = cache.get(" PORTLAND "), cache.get("asdfgh")
    assert entry is not None and entry.result == result
    assert miss is not None and miss.result is None
    cache.close()


def test_the_cache_keeps_neither_queries_nor_times_and_forgets_after_its_window(
    tmp_path: Path, offline: OfflineGeocoder
) -> None:
    day = [dt.date(2026, 12, 4)]
    path = tmp_path / "cache.sqlite3"
    cache = GeocodeCache(path, "instance secret", today=lambda: day[0])
    result = offline.lookup("Portland")
    cache.put("12 Main Street, Portland", result)
    assert cache.get("12 main street,  portland") is not None
    wal = path.with_name(path.name + "-wal")
    raw = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert b"Main Street" not in raw and b"main street" not in raw
    columns = [
        row[1] for row in sqlite3.connect(path).execute("PRAGMA table_info(geocode_answers)")
    ]
    assert columns == ["key", "result", "expires"]  # no time of asking
    other = GeocodeCache(path, "another secret", today=lambda: day[0])
    assert other.get("12 Main Street, Portland") is None  # the key is not the query
    day[0] += dt.timedelta(days=WINDOW_DAYS)
    assert cache.get("12 Main Street, Portland") is None  # a new window, a new key
    cache.put("Elsewhere", None)  # writing drops what has expired
    assert len(cache) == 1
    cache.close()
    other.close()
