"""Faults: a killed rebuild, a missing or corrupt database, an over-expensive query."""

from __future__ import annotations

import hashlib
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from directory import create_app
from directory.dataset.build import build_database
from directory.dataset.synthetic import write_synthetic_dataset
from tests.builders import make_jurisdiction, make_provider, write_dataset

STATES = ("US-TX", "US-CA", "US-NY", "US-FL", "US-WA")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_kill_9_during_rebuild_leaves_the_old_database_serving(tmp_path: Path) -> None:
    jurisdictions = write_dataset(
        tmp_path / "j",
        providers=[],
        jurisdictions=[make_jurisdiction("US")] + [make_jurisdiction(code) for code in STATES],
    )
    small = write_dataset(tmp_path / "small", providers=[make_provider()], jurisdictions=None)
    target = tmp_path / "instance" / "directory.db"
    build_database(small, target)
    before = _sha(target)
    big = write_synthetic_dataset(tmp_path / "big", 60_000, jurisdictions / "jurisdictions")
    app = create_app({"DATABASE": str(target), "TESTING": True})
    client = app.test_client()
    version = client.get("/healthz").get_json()["dataset"]["dataset_version"]

    build = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "directory",
            "build",
            "--data",
            str(big),
            "--output",
            str(target),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not list(target.parent.glob(".directory.db.*.tmp")):  # the build has started
            assert build.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.3)
        os.killpg(build.pid, signal.SIGKILL)
    finally:
        build.wait(timeout=30)
    assert build.returncode == -signal.SIGKILL
    assert _sha(target) == before
    assert client.get("/healthz").get_json()["dataset"]["dataset_version"] == version
    assert list(target.parent.glob(".directory.db.*.tmp"))  # what the killed build left

    build_database(small, target)  # the next build cleans up after it
    assert not list(target.parent.glob(".directory.db.*.tmp"))
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize("content", [None, b"", b"not a database" * 200])
def test_missing_or_corrupt_database_says_so_at_start_up(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, content: bytes | None
) -> None:
    target = tmp_path / "directory.db"
    if content is not None:
        target.write_bytes(content)
    with caplog.at_level(logging.ERROR, logger="directory.db"):
        app = create_app({"DATABASE": str(target), "TESTING": True})
    (record,) = [r for r in caplog.records if r.name == "directory.db"]
    assert str(target) in record.getMessage()
    assert record.exc_info is None  # a clear line, not a traceback
    assert app.test_client().get("/healthz").status_code == 503
    assert app.test_client().get("/api/providers").status_code == 503


def test_expensive_query_is_stopped_with_a_clear_503(
    app_config: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The test database is tiny, so check the budget every few steps rather than every 20,000.
    monkeypatch.setattr("directory.db.PROGRESS_STEPS", 5)
    app = create_app(app_config | {"QUERY_BUDGET_SECONDS": 0.0})
    response = app.test_client().get("/api/providers?near=30.27,-97.74&radius=2500")
    assert response.status_code == 503
    assert "took too long" in response.get_json()["error"]


@pytest.mark.parametrize(
    "query", ["radius=2501", "radius=1e9", "per_page=101", "per_page=100000", "page=10001"]
)
def test_huge_radius_or_page_is_refused(seeded_client: Any, query: str) -> None:
    response = seeded_client.get(f"/api/providers?near=Austin&{query}")
    assert response.status_code == 400
