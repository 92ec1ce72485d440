"""Building and reading the gazetteer file."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from directory.geo import gazetteer as gazetteer_module
from directory.geo import sources
from directory.geo.gazetteer import (
    Gazetteer,
    Place,
    build_gazetteer,
    default_gazetteer_path,
    ensure_gazetteer,
)
from directory.geo.regions import gb_postcode_region, iso_region, region_name


def test_file_is_compact(gazetteer_path: Path) -> None:
    assert gazetteer_path.stat().st_size < 40_000_000
    leftovers = [p for p in gazetteer_path.parent.iterdir() if p != gazetteer_path]
    assert leftovers == []


def test_default_path_is_versioned_under_cache_dir(tmp_path: Path) -> None:
    path = default_gazetteer_path(tmp_path)
    assert path.parent == tmp_path
    assert path.name == f"gazetteer-v{gazetteer_module.SCHEMA_VERSION}.sqlite3"


def test_ensure_gazetteer_keeps_an_existing_file(gazetteer_path: Path) -> None:
    before = gazetteer_path.stat().st_mtime_ns
    assert ensure_gazetteer(gazetteer_path) == gazetteer_path
    assert gazetteer_path.stat().st_mtime_ns == before


def test_ensure_gazetteer_rebuilds_a_file_of_an_older_version(
    gazetteer_path: Path, tmp_path: Path
) -> None:
    old = tmp_path / "gazetteer.db"
    old.write_bytes(gazetteer_path.read_bytes())
    with sqlite3.connect(old) as db:
        db.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
        db.execute("DROP INDEX places_by_latitude")
    db.close()
    with pytest.raises(ValueError, match="rebuild it"):
        Gazetteer(old)
    assert ensure_gazetteer(old) == old
    with Gazetteer(old) as rebuilt:
        assert rebuilt.nearest_city(30.27, -97.74) is not None


def test_nearest_city_reads_a_band_of_latitude(gazetteer_path: Path) -> None:
    with sqlite3.connect(f"{gazetteer_path.as_uri()}?mode=ro", uri=True) as db:
        plan = " ".join(
            str(row[3])
            for row in db.execute(
                "EXPLAIN QUERY PLAN SELECT name FROM places WHERE kind = 'city' "
                "AND latitude BETWEEN 29 AND 31 AND longitude BETWEEN -98 AND -96"
            )
        )
    db.close()
    assert "places_by_latitude" in plan


def test_failed_build_leaves_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "gazetteer.sqlite3"
    target.write_bytes(b"previous build")

    def broken(min_city_population: int) -> list[object]:
        raise RuntimeError("source data unreadable")

    monkeypatch.setattr(sources, "place_rows", broken)
    with pytest.raises(RuntimeError, match="unreadable"):
        build_gazetteer(target)
    assert target.read_bytes() == b"previous build"
    assert list(tmp_path.iterdir()) == [target]


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="build_gazetteer"):
        Gazetteer(tmp_path / "absent.sqlite3")


def test_wrong_schema_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("INSERT INTO meta VALUES ('schema_version', '0')")
    db.close()
    with pytest.raises(ValueError, match="rebuild"):
        Gazetteer(path)


def test_opened_read_only(gazetteer: Gazetteer) -> None:
    with pytest.raises(sqlite3.OperationalError):
        gazetteer._db.execute("DELETE FROM places")


def test_find_places_by_name_country_and_region(gazetteer: Gazetteer) -> None:
    assert [p.label for p in gazetteer.find_places("london", limit=2)] == [
        "London, England, GB",
        "London, Ontario, CA",
    ]
    assert gazetteer.find_places("London", country="ca")[0].region == "CA-ON"
    assert gazetteer.find_places("Portland", region="US-ME")[0].label == "Portland, Maine, US"
    assert gazetteer.find_places("Portland", region="US-ZZ") == []


def test_find_places_returns_frozen_places(gazetteer: Gazetteer) -> None:
    place = gazetteer.find_places("Austin")[0]
    assert place == Place("Austin", place.latitude, place.longitude, "US", "US-TX",
                          place.population, "city")  # fmt: skip
    assert place.population > 900_000
    with pytest.raises(AttributeError):
        place.name = "Elsewhere"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("name", "region"),
    [
        ("Calgary", "CA-AB"),
        ("Halifax", "CA-NS"),
        ("Montreal", "CA-QC"),
        ("Glasgow", "GB-SCT"),
        ("Cardiff", "GB-WLS"),
        ("Belfast", "GB-NIR"),
        ("Melbourne", "AU-VIC"),
        ("Hobart", "AU-TAS"),
        ("Canberra", "AU-ACT"),
        ("Hamburg", "DE-HH"),
        ("Dresden", "DE-SN"),
        ("Christchurch", "NZ-CAN"),
        ("Cork", "IE-M"),
        ("Galway", "IE-C"),
    ],
)
def test_admin1_codes_map_to_iso_3166_2(gazetteer: Gazetteer, name: str, region: str) -> None:
    assert gazetteer.find_places(name, kinds=("city",))[0].region == region


def test_codes_only_count_when_asked(gazetteer: Gazetteer) -> None:
    assert gazetteer.find_places("DEU", kinds=("country",)) == []
    assert gazetteer.find_places("DEU", include_codes=True)[0].name == "Germany"


@pytest.mark.parametrize(
    ("code", "country", "label"),
    [
        ("78701", None, "78701, Austin, Texas, US"),
        ("m5v", "CA", "M5V, Downtown Toronto, Ontario, CA"),
        ("EH", "GB", "EH, Edinburgh, Scotland, GB"),
        ("3000", "AU", "3000, Melbourne, Victoria, AU"),
        ("6011", "NZ", "6011, Wellington City, Wellington, NZ"),
    ],
)
def test_find_postal_code(gazetteer: Gazetteer, code: str, country: str | None, label: str) -> None:
    places = gazetteer.find_postal_code(code, country=country)
    assert places[0].label == label
    assert places[0].precision == "postal_code"


def test_region_helpers() -> None:
    assert iso_region("NZ", "E7") == "NZ-AUK"
    assert iso_region("FR", "11") is None
    assert region_name("GB-WLS") == "Wales"
    assert region_name(None) is None
    assert (gb_postcode_region("BT"), gb_postcode_region("CF"), gb_postcode_region("SW")) == (
        "GB-NIR",
        "GB-WLS",
        "GB-ENG",
    )


def test_worker_memory_stays_small(gazetteer_path: Path) -> None:
    """A worker doing a thousand lookups stays far below the 200 MB budget."""
    # VmHWM (peak RSS) starts afresh at exec; getrusage would count pytest's own pages.
    script = f"""
import re
from pathlib import Path
from directory.geo.offline import OfflineGeocoder
geocoder = OfflineGeocoder(Path({str(gazetteer_path)!r}))
for i in range(1000):
    geocoder.geocode(["Austin, TX", "Portland", "M5V 2T6", "78701", "munchen"][i % 5])
print(re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text())[1])
"""
    if not Path("/proc/self/status").exists():
        pytest.skip("needs Linux /proc to read peak memory")
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert int(out.stdout.strip()) < 150_000  # kilobytes, whole interpreter included
