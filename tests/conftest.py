"""Shared fixtures: a small dataset folder, its built database, the app, client and runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from playwright.sync_api import Browser, sync_playwright

from bench.map_bench import CHROMIUM, CHROMIUM_ARGS
from directory import create_app
from directory.dataset.build import build_database
from directory.db import close_all
from directory.geo.gazetteer import build_gazetteer
from tests.builders import make_provider, write_dataset
from tests.chromium import chromium_missing_reason
from tests.seed import SEED_JURISDICTIONS, SEED_PROVIDERS


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium (Debian's), launched once per session and shared by every test that
    drives a browser (one Playwright per process: a second would find the first's loop)."""
    reason = chromium_missing_reason()
    if reason:
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def gazetteer_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline gazetteer, built once per test session."""
    path = tmp_path_factory.mktemp("gazetteer") / "gazetteer.db"
    build_gazetteer(path)
    return path


@pytest.fixture(scope="session")
def gazetteer(gazetteer_file: Path) -> Path:
    """Path of the session's gazetteer (tests/geo rebinds this name to an open one)."""
    return gazetteer_file


@pytest.fixture
def dataset_dir(tmp_path: Path) -> Path:
    """A valid dataset folder with one provider and a few jurisdictions."""
    return write_dataset(tmp_path / "data", providers=[make_provider()])


@pytest.fixture(scope="session")
def seeded_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An illustrative dataset spread over real places (see tests/seed.py); do not modify."""
    root = tmp_path_factory.mktemp("seeded") / "data"
    return write_dataset(root, SEED_PROVIDERS, SEED_JURISDICTIONS)


@pytest.fixture(scope="session")
def seeded_database(seeded_dir: Path) -> Path:
    """The database built from :func:`seeded_dir`, shared by the read-only tests."""
    target = seeded_dir.parent / "instance" / "directory.db"
    build_database(seeded_dir, target)
    return target


@pytest.fixture
def seeded_app(seeded_dir: Path, seeded_database: Path, gazetteer: Path) -> Iterator[Flask]:
    """An app over the seeded dataset with the offline geocoder."""
    yield create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(seeded_dir),
            "DATABASE": str(seeded_database),
            "GAZETTEER": str(gazetteer),
            "SECRET_KEY": "test",
        }
    )
    close_all()


@pytest.fixture
def seeded_client(seeded_app: Flask) -> FlaskClient:
    """A test client over the seeded dataset."""
    return seeded_app.test_client()


@pytest.fixture
def database(dataset_dir: Path, tmp_path: Path) -> Path:
    """The database built from :func:`dataset_dir`."""
    target = tmp_path / "instance" / "directory.db"
    build_database(dataset_dir, target)
    return target


@pytest.fixture
def app_config(dataset_dir: Path, database: Path, gazetteer: Path) -> dict[str, Any]:
    """Settings for a test app over the temporary dataset and database."""
    return {
        "TESTING": True,
        "DATA_DIR": str(dataset_dir),
        "DATABASE": str(database),
        "GAZETTEER": str(gazetteer),
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
