"""Fixtures for the public pages: read-only apps built once per session.

The pages never write to the database, so one build serves every test here; that keeps the
hostile-input corpus (hundreds of requests) fast. ``site_client`` serves the seeded dataset
(tests/seed.py); ``real_client`` adds records that are *not* flagged illustrative (still
invented, for tests only), verified at various dates, and one hidden at its own request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from directory import create_app
from directory.dataset.build import build_database
from directory.db import close_all
from tests.builders import make_provider, write_dataset
from tests.seed import SEED_JURISDICTIONS, SEED_PROVIDERS

TODAY = dt.date.today()

#: A non-illustrative record whose name tries to break out of the JSON-LD script element.
SCRIPT_NAME = "Clinic </script><script>alert(1)</script> & Co"


EXTRA_PROVIDERS: list[dict[str, Any]] = [
    make_provider(
        illustrative=False,
        id="recently-verified-clinic",
        name="Recently Verified Clinic",
        organisation="Verified Health LLC",
        last_verified={"date": (TODAY - dt.timedelta(days=10)).isoformat(), "by": "Test Reviewer"},
    ),
    make_provider(
        illustrative=False,
        id="long-ago-verified-clinic",
        name="Long Ago Verified Clinic",
        last_verified={"date": "2020-01-02", "by": "Old Reviewer"},
    ),
    make_provider(illustrative=False, id="script-name-clinic", name=SCRIPT_NAME),
    make_provider(illustrative=False, id="hidden-clinic", name="Hidden Clinic", do_not_list=True),
]


def _app(root: Path, gazetteer: Path, providers: list[dict[str, Any]]) -> Flask:
    data = write_dataset(root / "data", providers, SEED_JURISDICTIONS)
    database = root / "instance" / "directory.db"
    build_database(data, database)
    return create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(data),
            "DATABASE": str(database),
            "GAZETTEER": str(gazetteer),
            "SECRET_KEY": "test",
        }
    )


@pytest.fixture(scope="session")
def site_app(tmp_path_factory: pytest.TempPathFactory, gazetteer: Path) -> Iterator[Flask]:
    """An app over the seeded, illustrative dataset, shared by the read-only page tests."""
    yield _app(tmp_path_factory.mktemp("site"), gazetteer, SEED_PROVIDERS)
    close_all()


@pytest.fixture
def site_client(site_app: Flask) -> FlaskClient:
    """A client for :func:`site_app`."""
    return site_app.test_client()


@pytest.fixture(scope="session")
def real_app(tmp_path_factory: pytest.TempPathFactory, gazetteer: Path) -> Iterator[Flask]:
    """The seeded dataset plus the non-illustrative :data:`EXTRA_PROVIDERS`."""
    yield _app(tmp_path_factory.mktemp("real"), gazetteer, SEED_PROVIDERS + EXTRA_PROVIDERS)
    close_all()


@pytest.fixture
def real_client(real_app: Flask) -> FlaskClient:
    """A client for :func:`real_app`."""
    return real_app.test_client()
