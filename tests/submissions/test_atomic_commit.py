"""Crash safety of approvals and imports: a commit interrupted at any point leaves the data
files and the database consistent, and the next commit (or recovery) finishes it."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask.testing import FlaskClient

from directory.dataset.loader import DatasetInvalid
from directory.settings import PROJECT_ROOT
from directory.submissions import apply, decisions, items, store, yamlio
from directory.submissions.workspace import Workspace
from tests.submissions.conftest import pending
from tests.submissions.helpers import Crash, crash_after_first_rename, post_form, suggestion

FILE = "providers/harbor-ketamine-austin.yaml"


def _queued(client: FlaskClient, queue_path: Path) -> str:
    post_form(client, "/providers/harbor-ketamine-austin/suggest", suggestion())
    [queued] = pending(queue_path)
    return queued.ref


def _approve(workspace: Workspace, queue_path: Path, ref: str) -> None:
    with store.open_store(queue_path) as connection:
        item = items.load_item(connection, workspace, ref)
        assert item is not None
        approval = decisions.Approval(
            ref, "alice", item.current_hash, "https://clinic.example.org/contact"
        )
        decisions.approve(connection, workspace, approval)


def _phone_in_database(database: Path) -> str:
    with sqlite3.connect(database) as connection:
        row = connection.execute(
            "SELECT phone FROM providers WHERE id = 'harbor-ketamine-austin'"
        ).fetchone()
    return str(row[0])


def test_a_crash_during_the_renames_is_finished_by_recovery(
    client: FlaskClient,
    workspace: Workspace,
    queue_path: Path,
    dataset_dir: Path,
    database: Path,
    maintainer: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ref = _queued(client, queue_path)
    with crash_after_first_rename(monkeypatch, workspace.journal), pytest.raises(Crash):
        _approve(workspace, queue_path, ref)

    # Half done: the data file is new, the change log and database are not yet.
    assert workspace.journal.exists()
    assert "5550199" in (dataset_dir / FILE).read_text(encoding="utf-8")
    assert not (dataset_dir / "changelog.jsonl").exists()
    assert _phone_in_database(database) == "+15125550100"

    with store.open_store(queue_path) as connection:
        meta = apply.recover(workspace, decisions.mark_approved(connection))
        assert meta is not None and meta["approve"] == [ref]
        submission = store.get(connection, ref)
    assert submission is not None and submission.status == "approved"
    assert not workspace.journal.exists()
    assert "5550199" in (dataset_dir / "changelog.jsonl").read_text(encoding="utf-8")
    assert _phone_in_database(database) == "+15125550199"
    assert apply._strays(workspace) == []
    assert client.get("/providers/harbor-ketamine-austin").status_code == 200


def test_a_crash_before_the_journal_changes_nothing(
    client: FlaskClient,
    workspace: Workspace,
    queue_path: Path,
    dataset_dir: Path,
    database: Path,
    maintainer: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ref = _queued(client, queue_path)
    before = (dataset_dir / FILE).read_bytes()

    def crash(*_: Any) -> None:
        raise Crash

    monkeypatch.setattr(apply, "_write_journal", crash)
    with pytest.raises(Crash):
        _approve(workspace, queue_path, ref)
    monkeypatch.undo()
    assert (dataset_dir / FILE).read_bytes() == before
    assert _phone_in_database(database) == "+15125550100"
    assert apply._strays(workspace)  # temporary files were left behind...
    assert apply.recover(workspace) is None
    assert apply._strays(workspace) == []  # ...and are swept up
    assert [s.ref for s in pending(queue_path)] == [ref]  # the submission is not lost
    _approve(workspace, queue_path, ref)  # and can still be approved
    assert _phone_in_database(database) == "+15125550199"


def test_a_plan_that_breaks_the_dataset_writes_nothing(
    workspace: Workspace, dataset_dir: Path, database: Path
) -> None:
    path = dataset_dir / FILE
    before = path.read_bytes()
    database_before = database.stat().st_ino
    # Valid on its own, but the dataset has no jurisdiction file for US-FL.
    broken = path.read_text(encoding="utf-8").replace(
        "telehealth_areas: []", "telehealth_areas: [US-FL]\ntelehealth_areas_source: pricing"
    )
    assert "US-FL" in broken

    with pytest.raises(DatasetInvalid) as caught:
        apply.commit(workspace, lambda: apply.Plan([apply.FileWrite(path, broken)], []), after=None)
    assert "no jurisdiction file for US-FL" in str(caught.value)
    assert "data/providers/harbor-ketamine-austin.yaml" in str(caught.value)
    assert path.read_bytes() == before
    assert database.stat().st_ino == database_before
    assert apply._strays(workspace) == []
    assert not workspace.journal.exists()


def test_commits_refuse_to_write_outside_the_providers_folder(
    workspace: Workspace, tmp_path: Path
) -> None:
    plan = apply.Plan([apply.FileWrite(tmp_path / "elsewhere.yaml", "x: 1\n")], [])
    with pytest.raises(apply.UpdateError):
        apply.commit(workspace, lambda: plan, after=None)


def test_the_lock_keeps_two_commits_apart(workspace: Workspace) -> None:
    holding = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with apply.locked(workspace):
            holding.set()
            release.wait(timeout=10)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert holding.wait(timeout=10)
        with pytest.raises(apply.Busy), apply.locked(workspace, timeout=0.2):
            pass
    finally:
        release.set()
        thread.join(timeout=10)
    with apply.locked(workspace, timeout=1):
        pass


@pytest.mark.parametrize(
    "path", sorted((PROJECT_ROOT / "data" / "providers").glob("*.yaml")), ids=lambda p: p.stem
)
def test_round_trip_editing_keeps_every_real_file_byte_for_byte(path: Path) -> None:
    text = path.read_text(encoding="utf-8")  # read only: the real data/ is never written
    assert yamlio.dump(yamlio.load(text)) == text


def test_strings_yaml_1_1_would_misread_are_quoted() -> None:
    record = {"a": "yes", "b": "no", "c": "on", "d": "12:30", "e": "null", "f": "78701"}
    assert yaml.safe_load(yamlio.dump(record)) == record


def test_a_commit_leaves_no_temporary_files(
    client: FlaskClient,
    workspace: Workspace,
    queue_path: Path,
    dataset_dir: Path,
    instance_dir: Path,
    maintainer: str,
) -> None:
    _approve(workspace, queue_path, _queued(client, queue_path))
    left = {path.name for path in instance_dir.iterdir()}
    assert left <= {
        "directory.db",
        ".directory.db.lock",
        "submissions.db",
        "submissions.db-wal",
        "submissions.db-shm",
    }
    assert {path.name for path in (dataset_dir / "providers").iterdir()} == {
        "harbor-ketamine-austin.yaml",
        "second-clinic-toronto.yaml",
    }
    assert not list(dataset_dir.glob(".*"))
