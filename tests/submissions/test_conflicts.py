"""Two maintainers, one record: a change approved on top of a version nobody reviewed is
never applied silently; the second maintainer sees the new difference and is asked again.
Approvals are serialised by the lock, so concurrent ones never interleave."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import yaml
from flask import Flask
from flask.testing import FlaskClient

from directory.submissions import apply, decisions, items, store
from directory.submissions.workspace import Workspace
from tests.submissions.conftest import pending
from tests.submissions.helpers import base_hash_from, csrf_from, log_in, post_form, suggestion

FILE = "providers/harbor-ketamine-austin.yaml"
SUGGEST = "/providers/harbor-ketamine-austin/suggest"


def test_the_second_approval_of_the_same_record_is_asked_again(
    app: Flask,
    client: FlaskClient,
    reviewer: FlaskClient,
    second_maintainer: str,
    queue_path: Path,
    dataset_dir: Path,
) -> None:
    bob = app.test_client()
    log_in(bob, second_maintainer)
    post_form(client, SUGGEST, suggestion())
    post_form(client, SUGGEST, suggestion(field="name", proposed="Harbor Ketamine Austin"))
    by_field = {s.payload["field"]: s for s in pending(queue_path)}
    phone, name = by_field["phone"], by_field["name"]

    # Both open their item before either approves: both pages carry the same record hash.
    alice_page = reviewer.get(f"/review/submissions/{phone.ref}")
    bob_page = bob.get(f"/review/submissions/{name.ref}")
    assert base_hash_from(alice_page) == base_hash_from(bob_page)

    response = reviewer.post(
        f"/review/submissions/{phone.ref}/approve",
        data={
            "csrf_token": csrf_from(alice_page),
            "base_hash": base_hash_from(alice_page),
            "source_url": "https://clinic.example.org/contact",
        },
    )
    assert response.status_code == 303

    stale = bob.post(
        f"/review/submissions/{name.ref}/approve",
        data={
            "csrf_token": csrf_from(bob_page),
            "base_hash": base_hash_from(bob_page),
            "source_url": "https://clinic.example.org/about",
        },
    )
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "changed since you opened this page" in page
    assert "Harbor Ketamine Austin" in page  # the difference, shown again
    record = yaml.safe_load((dataset_dir / FILE).read_text(encoding="utf-8"))
    assert record["name"] == "Harbor Ketamine"  # nothing applied
    assert record["phone"] == "+15125550199"  # alice's change is kept

    # The conflict page carries the current hash; approving from it applies both changes.
    again = bob.post(
        f"/review/submissions/{name.ref}/approve",
        data={
            "csrf_token": csrf_from(stale),
            "base_hash": base_hash_from(stale),
            "source_url": "https://clinic.example.org/about",
        },
    )
    assert again.status_code == 303
    record = yaml.safe_load((dataset_dir / FILE).read_text(encoding="utf-8"))
    assert (record["name"], record["phone"]) == ("Harbor Ketamine Austin", "+15125550199")
    lines = (dataset_dir / "changelog.jsonl").read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines]
    assert [(e["field"], e["by"]) for e in entries] == [("phone", "alice"), ("name", "bob")]


def test_a_suggestion_made_before_a_change_is_flagged(
    client: FlaskClient, reviewer: FlaskClient, queue_path: Path
) -> None:
    post_form(client, SUGGEST, suggestion())
    post_form(client, SUGGEST, suggestion(proposed="+15125550111"))
    by_value = {s.payload["proposed"]: s for s in pending(queue_path)}
    first, second = by_value["+15125550199"], by_value["+15125550111"]
    page = reviewer.get(f"/review/submissions/{first.ref}")
    reviewer.post(
        f"/review/submissions/{first.ref}/approve",
        data={
            "csrf_token": csrf_from(page),
            "base_hash": base_hash_from(page),
            "source_url": "https://clinic.example.org/contact",
        },
    )
    later = reviewer.get(f"/review/submissions/{second.ref}").get_data(as_text=True)
    assert "The record has changed since this was sent" in later
    assert "changed since: was +15125550100" in later


def test_the_same_submission_approved_twice_at_once_is_applied_once(
    app: Flask,
    client: FlaskClient,
    reviewer: FlaskClient,
    second_maintainer: str,
    queue_path: Path,
    dataset_dir: Path,
) -> None:
    post_form(client, SUGGEST, suggestion())
    [queued] = pending(queue_path)
    workspace = Workspace.from_config(app.config)
    with store.open_store(queue_path) as connection:
        item = items.load_item(connection, workspace, queued.ref)
    assert item is not None
    results: list[str] = []

    def run(by: str) -> None:
        approval = decisions.Approval(
            queued.ref, by, item.current_hash, "https://clinic.example.org/contact"
        )
        with store.open_store(queue_path) as connection:
            try:
                decisions.approve(connection, workspace, approval)
                results.append("applied")
            except apply.UpdateError as exc:
                results.append(type(exc).__name__)

    threads = [threading.Thread(target=run, args=(name,)) for name in ("alice", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == ["NotPending", "applied"]
    entries = (dataset_dir / "changelog.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(entries) == 1
