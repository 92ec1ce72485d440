"""The peer's SQL and pages, checked against our own search on the same database."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bench import datasets, peer
from directory.db import open_readonly
from directory.search.geometry import Point
from directory.search.params import SearchParams
from directory.search.result import search


@pytest.fixture(scope="module")
def centres(synthetic_database: Path) -> list[tuple[float, float]]:
    return datasets.city_centres(synthetic_database, 5)


def test_city_centres_are_the_busiest_cities(synthetic_database: Path) -> None:
    points = datasets.city_centres(synthetic_database, 3)
    assert len(points) == 3 and len(set(points)) == 3
    assert all(24 < lat < 72 and -170 < lon < -60 for lat, lon in points)


def test_nearest_sql_finds_the_providers_our_search_finds(
    synthetic_database: Path, centres: list[tuple[float, float]]
) -> None:
    connection = open_readonly(synthetic_database)
    try:
        for lat, lon in centres:
            theirs = connection.execute(peer.NEAREST_SQL, {"lat": lat, "lon": lon}).fetchall()
            params = SearchParams(radius=50.0, radius_given=True, per_page=20)
            ours = search(connection, params, center=Point(lat, lon)).hits
            assert [row["id"] for row in theirs] == [hit.id for hit in ours]
            assert [row["distance_km"] for row in theirs] == pytest.approx(
                [hit.distance_km for hit in ours], rel=0.006
            )
    finally:
        connection.close()


def test_metadata_holds_the_canned_query(synthetic_database: Path, tmp_path: Path) -> None:
    metadata = json.loads(peer.write_metadata(synthetic_database, tmp_path / "m.json").read_text())
    assert metadata["databases"]["providers-300"]["queries"]["nearest"] == peer.NEAREST_SQL
    path = peer.search_path(synthetic_database, 30.1, -97.2)
    assert path == "/providers-300/nearest.json?lat=30.1&lon=-97.2&_shape=array"


def test_map_pages_count_the_points_each_draws(synthetic_database: Path) -> None:
    pages = peer.map_pages(synthetic_database)
    connection = sqlite3.connect(synthetic_database)
    try:
        total = connection.execute("SELECT count(*) FROM locations").fetchone()[0]
        closed = connection.execute(
            "SELECT count(*) FROM providers WHERE status = 'closed'"
        ).fetchone()[0]
    finally:
        connection.close()
    assert pages["table"] == ("/providers-300/locations", total)
    assert pages["lean"][1] == total - closed
    assert "_where=closed%3D0" in pages["lean"][0]


def test_commands_bind_only_loopback(tmp_path: Path) -> None:
    venv, database, metadata = tmp_path / "venv", tmp_path / "x.db", tmp_path / "m.json"
    assert "127.0.0.1" in peer.default_command(venv, database, metadata, 8001)
    assert "127.0.0.1" in peer.stock_workers_command(venv, tmp_path, 8001, 2)
    launcher = peer.install_launcher(tmp_path / "app") / "datasette_asgi.py"
    assert "import directory" not in launcher.read_text()
