"""The build: table contents, indexes, determinism, atomic replacement and scale."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

import pycountry
import pytest
import sqlite_utils

from directory.dataset.build import build_database
from directory.dataset.synthetic import synthetic_providers, write_synthetic_dataset
from tests.builders import make_jurisdiction, make_provider, write_dataset

SECOND = make_provider(
    id="lakeside-spravato-toronto",
    name="Lakeside Spravato Centre",
    locations=[
        {
            "city": "Toronto",
            "region": "CA-ON",
            "country": "CA",
            "latitude": 43.65,
            "longitude": -79.38,
            "precision": "city",
            "source": "pricing",
        }
    ],
    telehealth_areas=["CA-ON"],
    telehealth_areas_source="pricing",
    treatments=[
        {"code": "esketamine_nasal", "source": "pricing"},
        {"code": "at_home_telehealth", "source": "pricing"},
    ],
    payment_options=["public_insurance", "private_insurance"],
    quality_signals=[
        {"code": "spravato_rems_certified", "detail": "Certified setting", "source": "pricing"}
    ],
    screening={
        "referral_required": "yes",
        "requirements": ["A referral from a psychiatrist"],
        "source": "pricing",
    },
    regulatory_notes=[{"text": "Provincial note.", "sources": ["pricing"]}],
)


def _contents(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    db = sqlite3.connect(path)
    tables = [
        row[0]
        for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        if not row[0].startswith("sqlite_")
    ]
    contents = {
        table: db.execute(f"SELECT * FROM [{table}] ORDER BY 1, 2").fetchall() for table in tables
    }
    contents["meta"] = [row for row in contents["meta"] if row[0] != "built_at"]
    db.close()
    return contents


@pytest.fixture
def two_providers(tmp_path: Path) -> Path:
    root = write_dataset(tmp_path / "data", providers=[make_provider(), SECOND])
    target = tmp_path / "two.db"
    build_database(root, target)
    return target


def test_normalised_tables_hold_every_fact(two_providers: Path) -> None:
    db = sqlite_utils.Database(two_providers)
    assert db["providers"].count == 2
    [toronto] = db["providers"].rows_where("id = ?", ["lakeside-spravato-toronto"])
    assert toronto["region"] == "CA-ON" and toronto["referral_required"] == "yes"
    assert {r["code"] for r in db["treatments"].rows_where("provider_id = ?", [toronto["id"]])} == {
        "esketamine_nasal",
        "at_home_telehealth",
    }
    price = db["treatments"].get(("harbor-ketamine-austin", "iv_infusion"))
    assert (
        price["price_min"],
        price["price_max"],
        price["currency"],
        price["price_published"],
        price["price_retrieved"],
    ) == (400, 550, "USD", None, "2026-01-15")
    assert [
        r["option"]
        for r in db["payment_options"].rows_where(
            "provider_id = ?", [toronto["id"]], order_by="option"
        )
    ] == [
        "private_insurance",
        "public_insurance",
    ]
    key = db.execute("SELECT key FROM providers WHERE id = 'lakeside-spravato-toronto'").fetchone()
    by_name = [row[0] for row in db.execute("SELECT id FROM providers ORDER BY name, id")]
    assert list(db["telehealth_areas"].rows) == [
        {
            "provider_id": "lakeside-spravato-toronto",
            "jurisdiction_code": "CA-ON",
            "provider_key": key[0],
            "name_order": by_name.index("lakeside-spravato-toronto") + 1,
        }
    ]
    assert db["quality_signals"].count == 1 and db["screening_requirements"].count == 1
    assert db["provider_notes"].count == 1 and db["provider_note_sources"].count == 1
    assert db["sources"].count == 1  # one source, shared by providers and notes
    assert db["jurisdictions"].get("US-TX")["parent"] == "US"
    assert db["crisis_lines"].count == 3  # one per country in the fixture


def test_foreign_keys_hold(two_providers: Path) -> None:
    db = sqlite3.connect(two_providers)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    declared = sqlite_utils.Database(two_providers)["locations"].foreign_keys
    assert [(fk.column, fk.other_table) for fk in declared] == [("provider_id", "providers")]


def test_full_text_search_covers_names_cities_and_notes(two_providers: Path) -> None:
    db = sqlite_utils.Database(two_providers)
    assert [r["id"] for r in db["providers"].search("lakeside")] == ["lakeside-spravato-toronto"]
    assert [r["id"] for r in db["providers"].search("austin")] == ["harbor-ketamine-austin"]
    assert [r["id"] for r in db["providers"].search("provincial")] == ["lakeside-spravato-toronto"]


def test_spatial_index_finds_locations_in_a_box(two_providers: Path) -> None:
    db = sqlite3.connect(two_providers)
    rows = db.execute(
        "SELECT l.provider_id FROM locations_rtree r JOIN locations l ON l.id = r.id "
        "WHERE r.min_lat >= 43 AND r.max_lat <= 44 AND r.min_lon >= -80 AND r.max_lon <= -79"
    ).fetchall()
    assert rows == [("lakeside-spravato-toronto",)]
    plan = " ".join(
        str(row)
        for row in db.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM locations_rtree WHERE min_lat >= 1"
        )
    )
    assert "VIRTUAL TABLE INDEX" in plan


def test_meta_records_version_and_counts(two_providers: Path) -> None:
    db = sqlite_utils.Database(two_providers)
    meta = {row["key"]: row["value"] for row in db["meta"].rows}
    assert json.loads(meta["counts"]) == {
        "jurisdictions": 8,
        "locations": 2,
        "providers": 2,
        "sources": 1,
    }
    assert len(meta["dataset_version"]) == 16 and meta["built_at"]


def test_same_data_gives_same_database(tmp_path: Path) -> None:
    root = write_dataset(tmp_path / "data", providers=[make_provider(), SECOND])
    build_database(root, tmp_path / "a.db")
    build_database(root, tmp_path / "b.db")
    assert _contents(tmp_path / "a.db") == _contents(tmp_path / "b.db")


def test_changed_data_changes_version(tmp_path: Path) -> None:
    first = build_database(
        write_dataset(tmp_path / "a", providers=[make_provider()]), tmp_path / "a.db"
    )
    second = build_database(
        write_dataset(tmp_path / "b", providers=[make_provider(name="Renamed")]), tmp_path / "b.db"
    )
    assert first.dataset_version != second.dataset_version


def test_rebuild_swaps_atomically(tmp_path: Path) -> None:
    root = write_dataset(tmp_path / "data", providers=[make_provider()])
    target = tmp_path / "directory.db"
    build_database(root, target)
    reader = sqlite3.connect(f"file:{target}?mode=ro&immutable=1", uri=True)
    old_inode = os.stat(target).st_ino
    write_dataset(root, providers=[SECOND])
    build_database(root, target)
    assert os.stat(target).st_ino != old_inode  # a new file was renamed into place
    # A reader holding the old file keeps a consistent view of it.
    assert reader.execute("SELECT count(*) FROM providers").fetchone() == (1,)
    assert sqlite3.connect(target).execute("SELECT count(*) FROM providers").fetchone() == (2,)
    assert [p.name for p in tmp_path.glob(".directory.db.*.tmp")] == []


def test_interrupted_build_keeps_old_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_dataset(tmp_path / "data", providers=[make_provider()])
    target = tmp_path / "directory.db"
    build_database(root, target)
    before = target.read_bytes()

    def crash(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("directory.dataset.build.finish_schema", crash)
    with pytest.raises(OSError, match="disk full"):
        build_database(write_dataset(root, providers=[SECOND]), target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.glob(".directory.db.*.tmp")] == []


def test_synthetic_records_are_flagged_and_deterministic() -> None:
    first = list(synthetic_providers(50, seed=7))
    assert first == list(synthetic_providers(50, seed=7))
    assert all(record["illustrative"] for record in first)
    assert all("synthetic" in record["name"] for record in first)


def test_generate_refuses_the_curated_folder(runner: Any, app: Any) -> None:
    result = runner.invoke(args=["generate", "10", app.config["DATA_DIR"]])
    assert result.exit_code != 0
    assert "must not be written into the curated dataset" in result.output


def test_scale_build_of_100000_synthetic_providers(tmp_path: Path) -> None:
    jurisdictions = write_dataset(
        tmp_path / "j",
        providers=[],
        jurisdictions=[make_jurisdiction("US")]
        + [make_jurisdiction(f"US-{state}") for state in _US_STATES],
    )
    folder = write_synthetic_dataset(
        tmp_path / "synthetic", 100_000, jurisdictions / "jurisdictions"
    )
    started = time.perf_counter()
    report = build_database(folder, tmp_path / "synthetic.db")
    print(f"built 100,000 synthetic providers in {time.perf_counter() - started:.1f} s")
    assert (report.providers, report.locations) == (100_000, 100_000)
    db = sqlite3.connect(tmp_path / "synthetic.db")
    open_, closed = (
        db.execute(f"SELECT count(*) FROM {tree}").fetchone()[0]
        for tree in ("locations_rtree", "closed_locations_rtree")
    )
    assert open_ + closed == 100_000 and closed > 0
    assert db.execute("SELECT count(*) FROM providers WHERE illustrative = 0").fetchone() == (0,)


_US_STATES = sorted(
    sub.code.removeprefix("US-") for sub in pycountry.subdivisions.get(country_code="US")
)
