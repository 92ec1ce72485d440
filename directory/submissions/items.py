"""What the review page shows about one submission: the field-level diff against the current
record, problems that would stop an approval, possible duplicates, and the proposal as YAML.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from directory.dataset.build import PointResolver
from directory.submissions import store, yamlio
from directory.submissions.diff import changes_from_json, diff_records, get_at, set_at
from directory.submissions.duplicates import Duplicate, existing_records, find_duplicates
from directory.submissions.forms import provider_errors
from directory.submissions.store import Submission
from directory.submissions.workspace import Workspace
from directory.submissions.yamlio import dump, load, new_document, read_file, read_record


@dataclass(frozen=True)
class DiffRow:
    """One field of a proposal: its value now, the proposed value, and its value when the
    proposal was made (it differs from ``current`` if someone changed the record since)."""

    field: str
    current: Any
    proposed: Any
    submitted: Any

    @property
    def changed_since(self) -> bool:
        """Whether the record's value moved since the proposal was made."""
        return bool(self.submitted != self.current)


@dataclass(frozen=True)
class ReviewItem:
    """Everything the review page shows about one submission."""

    submission: Submission
    contact: str | None
    record_id: str
    current: dict[str, Any] | None
    current_hash: str
    proposed: dict[str, Any] | None
    rows: list[DiffRow]
    problems: list[str]
    duplicates: list[Duplicate]
    proposal_yaml: str

    @property
    def changed_since(self) -> bool:
        """Whether the record changed since the submission was made or last edited."""
        return self.submission.proposal.get("base_hash") != self.current_hash


def record_id(submission: Submission) -> str:
    """The id of the record a submission changes or creates."""
    if submission.kind == "new":
        record = submission.proposal.get("record")
        if isinstance(record, Mapping) and isinstance(record.get("id"), str):
            return str(record["id"])
    return submission.provider_id


def load_item(
    connection: sqlite3.Connection,
    workspace: Workspace,
    ref: str,
    resolve: PointResolver | None = None,
    today: dt.date | None = None,
) -> ReviewItem | None:
    """The review page's data for submission ``ref``, or None if there is none."""
    submission = store.get(connection, ref)
    if submission is None:
        return None
    today = today or dt.date.today()
    identifier = record_id(submission)
    problems: list[str] = []
    try:
        current, digest = read_record(workspace.provider_file(identifier))
    except ValueError as exc:
        current, digest, problems = None, "unreadable", [f"the record cannot be read: {exc}"]
    if submission.kind == "new":
        proposed, rows, duplicates = _new_item(workspace, submission, current, problems, resolve)
    else:
        proposed, rows = _update_item(submission, current, problems)
        duplicates = []
    if proposed is not None:
        problems += [
            f"{path or 'record'}: {message}" for path, message in provider_errors(proposed, today)
        ]
        problems += jurisdiction_problems(workspace, proposed)
    return ReviewItem(
        submission=submission,
        contact=store.contact_for(connection, ref),
        record_id=identifier,
        current=current,
        current_hash=digest,
        proposed=proposed,
        rows=rows,
        problems=problems,
        duplicates=duplicates,
        proposal_yaml=_proposal_yaml(workspace, submission, identifier),
    )


def _update_item(
    submission: Submission, current: dict[str, Any] | None, problems: list[str]
) -> tuple[dict[str, Any] | None, list[DiffRow]]:
    changes = changes_from_json(submission.proposal.get("changes"))
    if current is None:
        problems.append("the record no longer exists")
        return None, [DiffRow(c.field, None, c.new, c.old) for c in changes]
    proposed = copy.deepcopy(current)
    for change in changes:
        try:
            set_at(proposed, change.field, change.new)
        except ValueError as exc:
            problems.append(str(exc))
    rows = [DiffRow(c.field, get_at(current, c.field), c.new, c.old) for c in changes]
    if not changes:
        problems.append(
            "this suggestion names no field; edit it to say what to change, or reject it"
        )
    return proposed, rows


def _new_item(
    workspace: Workspace,
    submission: Submission,
    current: dict[str, Any] | None,
    problems: list[str],
    resolve: PointResolver | None,
) -> tuple[dict[str, Any] | None, list[DiffRow], list[Duplicate]]:
    record = submission.proposal.get("record")
    if not isinstance(record, dict):
        problems.append("the proposal holds no record")
        return None, [], []
    if current is not None:
        problems.append(f"a record with id {record.get('id')} exists already; edit the id")
    rows = [DiffRow(c.field, None, c.new, None) for c in diff_records(None, record)]
    others = (
        r for r in existing_records(workspace.providers_dir) if r.get("id") != record.get("id")
    )
    return record, rows, find_duplicates(record, others, resolve)


def jurisdiction_problems(workspace: Workspace, record: Mapping[str, Any]) -> list[str]:
    problems = []
    for index, location in enumerate(record.get("locations") or []):
        if not isinstance(location, Mapping):
            continue
        for key in ("country", "region"):
            code = location.get(key)
            if isinstance(code, str) and not workspace.has_jurisdiction(code):
                problems.append(f"locations[{index}].{key}: no jurisdiction file for {code}")
    for index, code in enumerate(record.get("telehealth_areas") or []):
        if not workspace.has_jurisdiction(str(code)):
            problems.append(f"telehealth_areas[{index}]: no jurisdiction file for {code}")
    return problems


def _proposal_yaml(workspace: Workspace, submission: Submission, identifier: str) -> str:
    """The proposed record as YAML for the edit page (the live file's layout where it has one)."""
    if submission.kind == "new":
        record = submission.proposal.get("record")
        return dump(new_document(record)) if isinstance(record, dict) else ""
    try:
        text, _ = read_file(workspace.provider_file(identifier))
        if text is None:
            return ""
        document = load(text)
    except ValueError:
        return ""
    # On a bad path the page lists the problem and the maintainer edits the current record.
    with contextlib.suppress(ValueError):
        yamlio.apply(document, changes_from_json(submission.proposal.get("changes")))
    return dump(document)
