"""Shared fixtures: a small dataset folder, its built database, the app, client and runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from directory import create_app
from directory.dataset.build import build_database
from directory.db import close_all
from tests.builders import make_provider, write_dataset


@pytest.fixture
def dataset_dir(tmp_path: Path) -> Path:
    """A valid dataset folder with one provider and a few jurisdictions."""
    return write_dataset(tmp_path / "data", providers=[make_provider()])


@pytest.fixture
def database(dataset_dir: Path, tmp_path: Path) -> Path:
    """The database built from :func:`dataset_dir`."""
    target = tmp_path / "instance" / "directory.db"
    build_database(dataset_dir, target)
    return target


@pytest.fixture
def app_config(dataset_dir: Path, database: Path, tmp_path: Path) -> dict[str, Any]:
    """Settings for a test app over the temporary dataset and database."""
    return {
        "TESTING": True,
        "DATA_DIR": str(dataset_dir),
        "DATABASE": str(database),
        "GAZETTEER": str(tmp_path / "gazetteer.db"),
        "SECRET_KEY": "test",
    }


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    """An app over the temporary database."""
    yield create_app(app_config)
    close_all()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for :func:`app`."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A CLI runner for :func:`app`."""
    return app.test_cli_runner()
