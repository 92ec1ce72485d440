"""Every path that decides about a submission, or commits a change, first finishes an
approval a crash interrupted, so a submission whose change is live is never left pending,
rejected or edited."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient, FlaskCliRunner

from directory.submissions import decisions, items, store
from directory.submissions.workspace import Workspace
from tests.submissions.helpers import (
    Crash,
    base_hash_from,
    crash_after_first_rename,
    csrf_from,
    post_form,
    suggestion,
)

FILE = "providers/harbor-ketamine-austin.yaml"


def _crashed_approval(
    client: FlaskClient, workspace: Workspace, queue_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """A suggestion whose approval died after renaming the data file, before "approved"."""
    post_form(client, "/providers/harbor-ketamine-austin/suggest", suggestion())
    with store.open_store(queue_path) as connection:
        [queued] = store.list_pending(connection)
        item = items.load_item(connection, workspace, queued.ref)
        assert item is not None
        approval = decisions.Approval(
            queued.ref, "alice", item.current_hash, "https://clinic.example.org/contact"
        )
        with crash_after_first_rename(monkeypatch, workspace.journal), pytest.raises(Crash):
            decisions.approve(connection, workspace, approval)
    assert workspace.journal.exists()
    assert store.get(store.connect(queue_path), queued.ref).status == "pending"  # type: ignore[union-attr]
    return queued.ref


def _status(queue_path: Path, ref: str) -> str:
    with store.open_store(queue_path) as connection:
        submission = store.get(connection, ref)
    assert submission is not None
    return submission.status


def _assert_finished(queue_path: Path, workspace: Workspace, dataset_dir: Path, ref: str) -> None:
    assert _status(queue_path, ref) == "approved"
    assert not workspace.journal.exists()
    assert "5550199" in (dataset_dir / FILE).read_text(encoding="utf-8")


def test_a_reject_after_a_crashed_approval_is_refused(
    client: FlaskClient,
    reviewer: FlaskClient,
    workspace: Workspace,
    queue_path: Path,
    dataset_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ref = _crashed_approval(client, workspace, queue_path, monkeypatch)
    token = csrf_from(reviewer.get("/review/freshness"))  # a page that decides nothing
    response = reviewer.post(
        f"/review/submissions/{ref}/reject",
        data={"csrf_token": token, "reason": "The source does not say this."},
    )
    assert response.status_code == 400
    assert "already decided" in response.get_data(as_text=True)
    _assert_finished(queue_path, workspace, dataset_dir, ref)


def test_an_edit_after_a_crashed_approval_is_refused(
    client: FlaskClient,
    reviewer: FlaskClient,
    workspace: Workspace,
    queue_path: Path,
    dataset_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ref = _crashed_approval(client, workspace, queue_path, monkeypatch)
    with store.open_store(queue_path) as connection:
        problems = decisions.edit(connection, workspace, ref, "id: harbor-ketamine-austin\n", "bob")
    assert problems == ["this submission is no longer pending"]
    _assert_finished(queue_path, workspace, dataset_dir, ref)


def test_the_item_page_after_a_crashed_approval_shows_it_approved(
    client: FlaskClient,
    reviewer: FlaskClient,
    workspace: Workspace,
    queue_path: Path,
    dataset_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ref = _crashed_approval(client, workspace, queue_path, monkeypatch)
    page = reviewer.get(f"/review/submissions/{ref}").get_data(as_text=True)
    assert "Approve and publish" not in page
    _assert_finished(queue_path, workspace, dataset_dir, ref)


def test_hiding_a_provider_after_a_crashed_approval_marks_the_approval(
    client: FlaskClient,
    reviewer: FlaskClient,
    workspace: Workspace,
    queue_path: Path,
    dataset_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ref = _crashed_approval(client, workspace, queue_path, monkeypatch)
    url = "/review/providers/second-clinic-toronto"
    page = reviewer.get(url)
    response = reviewer.post(
        url,
        data={
            "csrf_token": csrf_from(page),
            "base_hash": base_hash_from(page),
            "hide": "yes",
            "reason": "The provider asked to be removed.",
        },
    )
    assert response.status_code == 303
    _assert_finished(queue_path, workspace, dataset_dir, ref)


def test_an_import_after_a_crashed_approval_marks_the_approval(
    client: FlaskClient,
    runner: FlaskCliRunner,
    maintainer: str,
    workspace: Workspace,
    queue_path: Path,
    dataset_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ref = _crashed_approval(client, workspace, queue_path, monkeypatch)
    batch = tmp_path / "batch.csv"
    batch.write_text(
        "provider_id,field,value,source_url,source_title,verified\n"
        "second-clinic-toronto,phone,+14165550111,https://second.example.org/contact,,\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["import-updates", str(batch), "--by", maintainer])
    assert result.exit_code == 0, result.output
    _assert_finished(queue_path, workspace, dataset_dir, ref)
