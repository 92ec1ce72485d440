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
