"""``/healthz`` reports the dataset version, and 503 when the database is missing or broken."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from directory import create_app


def test_reports_dataset_version_and_counts(client: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["dataset"]["counts"]["providers"] == 1
    assert len(body["dataset"]["dataset_version"]) == 16
    assert body["dataset"]["built_at"]
    assert response.headers["Cache-Control"] == "no-store"


def test_missing_database_answers_503(app_config: dict[str, Any], tmp_path: Path) -> None:
    app = create_app(app_config | {"DATABASE": str(tmp_path / "absent.db")})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "error": "the database is missing or unreadable",
    }


def test_corrupt_database_answers_503(app_config: dict[str, Any], tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"this is not a database" * 100)
    app = create_app(app_config | {"DATABASE": str(corrupt)})
    assert app.test_client().get("/healthz").status_code == 503


def test_serves_a_rebuilt_database_without_restart(
    client: Any, dataset_dir: Path, database: Path
) -> None:
    from directory.dataset.build import build_database
    from tests.builders import make_provider, write_dataset

    before = client.get("/healthz").get_json()["dataset"]
    write_dataset(dataset_dir, providers=[make_provider(id="second-clinic", name="Second")])
    build_database(dataset_dir, database)
    after = client.get("/healthz").get_json()["dataset"]
    assert after["counts"]["providers"] == 2
    assert after["dataset_version"] != before["dataset_version"]


def _page_corrupted_copy(source: Path, target: Path, page: int | None = None) -> Path:
    """``source`` copied to ``target`` with one page (default: the middle one) overwritten by
    garbage, its header and schema page left intact, as a failing disk leaves it."""
    data = bytearray(source.read_bytes())
    size = int.from_bytes(data[16:18], "big") or 65536
    pages = len(data) // size
    number = page if page is not None else max(2, pages // 2)
    start = (number - 1) * size
    data[start : start + size] = bytes((i * 37 + 11) % 256 for i in range(size))
    target.write_bytes(bytes(data))
    return target


def _large_database(tmp_path: Path) -> Path:
    from directory.dataset.build import build_database
    from tests.builders import make_provider, write_dataset

    providers = [make_provider(id=f"clinic-{n:04d}", name=f"Clinic {n}") for n in range(400)]
    database = tmp_path / "large" / "directory.db"
    build_database(write_dataset(tmp_path / "large-data", providers=providers), database)
    return database


def test_a_page_corrupted_database_answers_503(app_config: dict[str, Any], tmp_path: Path) -> None:
    healthy = _large_database(tmp_path)
    app = create_app(app_config | {"DATABASE": str(healthy)})
    assert app.test_client().get("/healthz").status_code == 200
    corrupt = _page_corrupted_copy(healthy, tmp_path / "corrupt-page.db")
    app = create_app(app_config | {"DATABASE": str(corrupt)})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable" and "database" in body["error"]


def test_a_database_corrupted_where_it_is_served_is_noticed(
    app_config: dict[str, Any], tmp_path: Path
) -> None:
    database = _large_database(tmp_path)
    client = create_app(app_config | {"DATABASE": str(database)}).test_client()
    assert client.get("/healthz").status_code == 200
    # The same file damaged in place (its identity changes): the next call checks again.
    _page_corrupted_copy(database, database, page=3)
    assert client.get("/healthz").status_code == 503
