"""Fixtures for the data-update tests: an app over a temporary dataset, its own queue
database and instance folder, a maintainer account, and a logged-in client.

The real data/ folder is never touched: every test gets its own copy of a small dataset.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from directory.dataset.build import build_database
from directory.submissions import accounts, store
from directory.submissions.workspace import Workspace
from tests.builders import make_provider, write_dataset
from tests.submissions.helpers import PASSWORD, log_in

#: A comment in the first provider's file: approvals must keep it.
COMMENT = "# Curated by hand; keep this comment.\n"

SECOND = make_provider(
    id="second-clinic-toronto",
    name="Second Clinic",
    phone="+14165550100",
    locations=[
        {
            "city": "Toronto",
            "postal_code": "M5V 2T6",
            "region": "CA-ON",
            "country": "CA",
            "latitude": 43.6426,
            "longitude": -79.3871,
            "precision": "address",
        }
    ],
    treatments=[{"code": "ketamine_assisted_psychotherapy"}],
)


@pytest.fixture
def dataset_dir(tmp_path: Path) -> Path:
    """Two providers and a few jurisdictions; the first file starts with a comment."""
    root = write_dataset(tmp_path / "data", providers=[make_provider(), SECOND])
    first = root / "providers" / "harbor-ketamine-austin.yaml"
    first.write_text(COMMENT + first.read_text(encoding="utf-8"), encoding="utf-8")
    return root


@pytest.fixture
def instance_dir(tmp_path: Path) -> Path:
    """A temporary instance folder for the queue and the built database."""
    folder = tmp_path / "instance"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture
def database(dataset_dir: Path, instance_dir: Path) -> Path:
    """The database built from :func:`dataset_dir`."""
    target = instance_dir / "directory.db"
    build_database(dataset_dir, target)
    return target


@pytest.fixture
def queue_path(instance_dir: Path) -> Path:
    """The pending-queue database of the test app."""
    return instance_dir / "submissions.db"


@pytest.fixture
def app_config(
    dataset_dir: Path, database: Path, gazetteer: Path, queue_path: Path
) -> dict[str, Any]:
    """Settings for an app whose every file lives under the test's temporary folder."""
    return {
        "TESTING": True,
        "DATA_DIR": str(dataset_dir),
        "DATABASE": str(database),
        "GAZETTEER": str(gazetteer),
        "SUBMISSIONS_DATABASE": str(queue_path),
        "SECRET_KEY": "test",
        "SUBMIT_LIMIT_PER_HOUR": 1000,
    }


@pytest.fixture
def workspace(app: Flask) -> Workspace:
    """The app's data-update workspace."""
    return Workspace.from_config(app.config)


@pytest.fixture
def maintainer(queue_path: Path) -> str:
    """A maintainer account called alice."""
    with store.open_store(queue_path) as connection:
        accounts.add(connection, "alice", PASSWORD)
    return "alice"


@pytest.fixture
def second_maintainer(queue_path: Path) -> str:
    """A second maintainer account, bob."""
    with store.open_store(queue_path) as connection:
        accounts.add(connection, "bob", PASSWORD)
    return "bob"


@pytest.fixture
def reviewer(app: Flask, maintainer: str) -> FlaskClient:
    """A client logged in as alice."""
    client = app.test_client()
    response = log_in(client, maintainer)
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


def pending(queue_path: Path) -> list[store.Submission]:
    """The pending submissions in the queue."""
    with store.open_store(queue_path) as connection:
        return store.list_pending(connection)
