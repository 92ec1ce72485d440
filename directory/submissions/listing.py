"""Hiding a provider from the public site (``do_not_list``) and listing it again, keeping its
file and its history; and the maintainer's overview of one record.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from directory.dataset.build import PointResolver
from directory.submissions import apply, changelog, store, yamlio
from directory.submissions.decisions import MAX_REASON, NothingToApply, mark_approved
from directory.submissions.diff import FieldChange, diff_records, plain
from directory.submissions.forms import clean
from directory.submissions.store import Submission
from directory.submissions.workspace import Workspace
from directory.submissions.yamlio import dump, load, read_file, read_record


@dataclass(frozen=True)
class Overview:
    """A record as maintainers see it: listed or hidden, its hash, what waits for review."""

    id: str
    name: str
    hidden: bool
    hash: str
    pending: list[Submission]


def provider_overview(
    connection: sqlite3.Connection, workspace: Workspace, provider_id: str
) -> Overview | None:
    """The maintainer's view of ``provider_id``, or None if there is no such record."""
    try:
        record, digest = read_record(workspace.provider_file(provider_id))
    except ValueError:
        return None
    if record is None:
        return None
    return Overview(
        id=provider_id,
        name=str(record.get("name", provider_id)),
        hidden=record.get("do_not_list") is True,
        hash=digest,
        pending=store.pending_for(connection, provider_id),
    )


def set_listing(
    connection: sqlite3.Connection,
    workspace: Workspace,
    provider_id: str,
    *,
    hide: bool,
    by: str,
    reason: str,
    base_hash: str,
    resolve: PointResolver | None = None,
    today: dt.date | None = None,
) -> apply.Committed:
    """Set or clear ``do_not_list``: the record leaves (or returns to) the public site, and
    its files and history are kept. Raises like :func:`approve`."""
    reason = clean(reason, multiline=True)
    if not reason:
        raise ValueError("give a reason for the change log")
    if len(reason) > MAX_REASON:
        raise ValueError(f"the reason is too long (at most {MAX_REASON:,} characters)")
    path = workspace.provider_file(provider_id)

    def plan() -> apply.Plan:
        text, digest = read_file(path)
        if text is None:
            raise apply.UpdateError(f"{provider_id} does not exist")
        if digest != base_hash:
            raise apply.Conflict(f"{provider_id} changed since you opened this page", [provider_id])
        document = load(text)
        before = plain(document)
        yamlio.apply(document, [FieldChange("do_not_list", before.get("do_not_list"), hide)])
        logged = diff_records(before, document)
        if not logged:
            raise NothingToApply("the record is already " + ("hidden" if hide else "listed"))
        entries = changelog.entries(
            provider_id,
            logged,
            by=by,
            when=changelog.now_stamp(),
            source=None,
            reference=None,
            reason=reason,
        )
        return apply.Plan(writes=[apply.FileWrite(path, dump(document))], entries=entries)

    return apply.commit(
        workspace, plan, after=mark_approved(connection), resolve=resolve, today=today
    )
