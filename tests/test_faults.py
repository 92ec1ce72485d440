"""Faults: a killed rebuild, a missing or corrupt database, an over-expensive query."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from directory import create_app
from directory.dataset.build import build_database
from directory.dataset.layout import SCHEMA_VERSION
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


def _import(env: dict[str, str], batch: Path, capture: bool = False) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "directory",
            "import-updates",
            str(batch),
            "--by",
            "alice",
        ],
        env=env,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


#: A file whose appearance shows the commit has reached a phase (glob in the database folder).
#: The renames after the journal take microseconds, too short to aim a kill at: their crash
#: safety is tested with simulated crashes in tests/submissions/test_atomic_commit.py.
PHASES = {"validating": ".staging-*", "building": ".*.chg.*.tmp"}


@pytest.mark.parametrize("phase", list(PHASES))
def test_kill_9_during_an_approval_loses_nothing(
    tmp_path: Path, gazetteer: Path, phase: str
) -> None:
    """An import (the approval path, in its own process) killed at some point of its commit:
    files and database stay consistent, the pending queue is intact, and running it again
    applies the change exactly once."""
    from directory.submissions import accounts, store
    from tests.seed import SEED_JURISDICTIONS

    everything = [make_jurisdiction(code) for code in ("US", *[f"US-{s}" for s in _STATES])]
    codes = {j["code"] for j in everything}
    data = write_dataset(
        tmp_path / "data",
        [make_provider()],
        everything + [j for j in SEED_JURISDICTIONS if j["code"] not in codes],
    )
    # A large bulk file makes the validation and build take seconds, so the kill lands inside.
    write_synthetic_dataset(tmp_path / "bulk", 40_000, data / "jurisdictions")
    (tmp_path / "bulk" / "providers.jsonl").rename(data / "providers.jsonl")
    instance = tmp_path / "instance"
    database = instance / "directory.db"
    build_database(data, database)
    queue = instance / "submissions.db"
    with store.open_store(queue) as connection:
        accounts.add(connection, "alice", "correct horse battery staple")
    app = create_app(
        {
            "DATA_DIR": str(data),
            "DATABASE": str(database),
            "SUBMISSIONS_DATABASE": str(queue),
            "GAZETTEER": str(gazetteer),
            "SECRET_KEY": "x",
            "SECURE_COOKIES": False,
            "TESTING": True,
        }
    )
    client = app.test_client()
    from tests.submissions.helpers import post_form, suggestion

    post_form(client, "/providers/harbor-ketamine-austin/suggest", suggestion())
    with store.open_store(queue) as connection:
        [waiting] = store.list_pending(connection)
    batch = tmp_path / "batch.csv"
    batch.write_text(
        "provider_id,field,value,source_url,source_title,verified\n"
        "harbor-ketamine-austin,phone,+15125550177,https://clinic.example.org/contact,,no\n",
        encoding="utf-8",
    )
    env = os.environ | {
        "DIRECTORY_DATA_DIR": str(data),
        "DIRECTORY_DATABASE": str(database),
        "DIRECTORY_SUBMISSIONS_DATABASE": str(queue),
        "DIRECTORY_GAZETTEER": str(gazetteer),
    }
    record = data / "providers" / "harbor-ketamine-austin.yaml"
    before = (record.read_text(), _sha(database))

    victim = _import(env, batch)
    deadline = time.monotonic() + 120
    while victim.poll() is None and not list(database.parent.glob(PHASES[phase])):
        assert time.monotonic() < deadline
        time.sleep(0.005)
    if victim.poll() is None:
        os.killpg(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)
    leftovers = sorted(p.name for p in database.parent.iterdir() if p.name.startswith("."))
    print(f"killed while {phase} (exit {victim.returncode}); left: {leftovers}")

    def phone_in_database() -> str:
        import sqlite3

        with sqlite3.connect(database) as db:
            return str(
                db.execute(
                    "SELECT phone FROM providers WHERE id = 'harbor-ketamine-austin'"
                ).fetchone()[0]
            )

    # Consistent: either nothing happened yet, or the change is complete (or a journal will
    # complete it); the live database always opens and serves.
    assert client.get("/healthz").status_code == 200
    if victim.returncode == 0:  # it finished before the kill
        assert "555-0177" in record.read_text()
    elif record.read_text() == before[0]:
        assert phone_in_database() == "+15125550100"

    rerun = _import(env, batch, capture=True)
    output = rerun.communicate(timeout=300)[0].decode()
    assert rerun.returncode == 0, output
    assert "+15125550177" in record.read_text()
    assert phone_in_database() == "+15125550177"
    log = (data / "changelog.jsonl").read_text().splitlines()
    phone_changes = [line for line in log if '"phone"' in line]
    assert len(phone_changes) == 1  # the killed run wrote nothing; the rerun applied it once
    with store.open_store(queue) as connection:
        assert [s.ref for s in store.list_pending(connection)] == [waiting.ref]
    assert not list(database.parent.glob(".*.tmp"))


_STATES = (
    "TX",
    "CA",
    "NY",
    "FL",
    "WA",
    "OR",
    "IL",
    "GA",
    "MA",
    "CO",
    "PA",
    "OH",
    "MI",
    "NC",
    "AZ",
    "NJ",
    "VA",
    "TN",
    "IN",
    "MO",
    "MD",
    "WI",
    "MN",
    "SC",
    "AL",
    "LA",
    "KY",
    "OK",
    "CT",
    "UT",
    "IA",
    "NV",
    "AR",
    "MS",
    "KS",
    "NM",
    "NE",
    "ID",
    "WV",
    "HI",
    "NH",
    "ME",
    "MT",
    "RI",
    "DE",
    "SD",
    "ND",
    "AK",
    "DC",
    "VT",
    "WY",
)


def test_a_database_of_another_schema_says_so(
    tmp_path: Path, seeded_database: Path, caplog: pytest.LogCaptureFixture
) -> None:
    target = tmp_path / "old.db"
    shutil.copy(seeded_database, target)
    with sqlite3.connect(target) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    with caplog.at_level(logging.ERROR, logger="directory.db"):
        app = create_app({"DATABASE": str(target), "TESTING": True})
    (record,) = [r for r in caplog.records if r.name == "directory.db"]
    assert f"schema version {SCHEMA_VERSION - 1}" in record.getMessage()
    assert "./scripts/build" in record.getMessage()
    assert app.test_client().get("/api/providers?near=Austin").status_code == 503
