"""What a maintainer decides about a submission: edit it, approve it or reject it.

An approval re-reads the record under the commit lock and compares its content hash with
the hash the maintainer reviewed; if another approval changed the record meanwhile, it
raises :class:`~directory.submissions.apply.Conflict` and the maintainer is shown the new
difference and asked again. Nothing is ever applied on top of a version nobody reviewed.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import Any

import yaml

from directory.dataset.build import PointResolver
from directory.dataset.models import slug_is_valid
from directory.submissions import apply, changelog, store, yamlio
from directory.submissions.diff import (
    changes_from_json,
    changes_to_json,
    diff_records,
    plain,
)
from directory.submissions.forms import check_url, clean, provider_errors
from directory.submissions.items import jurisdiction_problems, record_id
from directory.submissions.store import Submission
from directory.submissions.workspace import Workspace
from directory.submissions.yamlio import (
    add_source,
    content_hash,
    dump,
    load,
    new_document,
    read_file,
    read_record,
    set_verified,
)

MAX_EDIT = 200_000
MAX_REASON = 2000
#: Pending submissions on one page of the queue.
QUEUE_PAGE = 100
#: Submissions one bulk rejection may name.
MAX_BULK = 500


class NotPending(apply.UpdateError):
    """The submission is missing or was already decided."""


class NothingToApply(apply.UpdateError):
    """The proposal changes nothing."""


@dataclass(frozen=True)
class Approval:
    """A maintainer's approval as posted from the review page."""

    ref: str
    by: str
    base_hash: str
    source_url: str
    source_title: str = ""
    verified: bool = False


def mark_approved(connection: sqlite3.Connection) -> apply.AfterCommit:
    """The step run after a commit's renames: mark its submissions approved."""

    def after(meta: dict[str, Any]) -> None:
        for ref in meta.get("approve", []):
            store.decide(connection, str(ref), "approved", str(meta.get("by", "")))

    return after


def settle(connection: sqlite3.Connection, workspace: Workspace) -> None:
    """Finish any approval a crash interrupted, marking its submissions approved: every
    decision runs this first, so a submission whose change is live is never left pending."""
    apply.recover(workspace, mark_approved(connection))


def edit(
    connection: sqlite3.Connection,
    workspace: Workspace,
    ref: str,
    text: str,
    by: str,
    today: dt.date | None = None,
) -> list[str]:
    """Replace a pending submission's proposal with the record in ``text`` (YAML).

    Returns the problems that stopped it (nothing is saved then), or an empty list.
    """
    settle(connection, workspace)
    submission = store.get(connection, ref)
    if submission is None or submission.status != "pending":
        return ["this submission is no longer pending"]
    if len(text) > MAX_EDIT:
        return [f"the record is too long (at most {MAX_EDIT:,} characters)"]
    try:
        if _has_aliases(text.replace("\x00", "")):
            return ["anchors and aliases (& and *) are not allowed: write each value out"]
        parsed = yaml.safe_load(text.replace("\x00", ""))
    except yaml.YAMLError as exc:
        return [f"not valid YAML: {' '.join(str(exc).split())[:300]}"]
    if not isinstance(parsed, dict):
        return ["the record must be a mapping of fields, as in the data files"]
    record = plain(parsed)
    identifier = record.get("id")
    if not isinstance(identifier, str) or not slug_is_valid(identifier):
        return ["id: give the record an id of lower-case words joined by hyphens"]
    if submission.kind == "update" and identifier != submission.provider_id:
        return [f"id: this suggestion is about {submission.provider_id}; keep its id"]
    problems = [
        f"{path or 'record'}: {message}"
        for path, message in provider_errors(record, today or dt.date.today())
    ]
    problems += jurisdiction_problems(workspace, record)
    if problems:
        return problems
    if submission.kind == "new":
        proposal: dict[str, Any] = {"record": record, "base_hash": content_hash(None)}
    else:
        try:
            current, digest = read_record(workspace.provider_file(identifier))
        except ValueError as exc:
            return [f"the record cannot be read: {exc}"]
        if current is None:
            return ["the record no longer exists"]
        proposal = {"changes": changes_to_json(diff_records(current, record)), "base_hash": digest}
    if not store.save_proposal(connection, ref, identifier, proposal, by):
        return ["this submission is no longer pending"]
    return []


def _has_aliases(text: str) -> bool:
    """Whether ``text`` uses YAML anchors or aliases (read as events, so nothing expands:
    a few hundred bytes of nested aliases would otherwise take exponential time)."""
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return True
    return False


def approve(
    connection: sqlite3.Connection,
    workspace: Workspace,
    approval: Approval,
    resolve: PointResolver | None = None,
    today: dt.date | None = None,
) -> apply.Committed:
    """Write an approved submission into data/, log it, rebuild the database, mark it approved.

    Raises :class:`~directory.submissions.apply.Conflict` if the record is not the version
    reviewed, :class:`NotPending`, :class:`NothingToApply`, ``ValueError`` for a bad source,
    ``DatasetInvalid`` if the result would not validate.
    """
    url = clean(approval.source_url)
    message = check_url(url) if url else "give the source you checked"
    if message:
        raise ValueError(f"source: {message}")
    day = today or dt.date.today()

    def plan() -> apply.Plan:
        submission = store.get(connection, approval.ref)
        if submission is None or submission.status != "pending":
            decided = submission.decided_by if submission else None
            raise NotPending(
                f"this submission was already decided{' by ' + decided if decided else ''}"
            )
        return _approval_plan(workspace, submission, approval, url, day)

    return apply.commit(
        workspace, plan, after=mark_approved(connection), resolve=resolve, today=today
    )


def _approval_plan(
    workspace: Workspace, submission: Submission, approval: Approval, url: str, day: dt.date
) -> apply.Plan:
    identifier = record_id(submission)
    path = workspace.provider_file(identifier)
    text, digest = read_file(path)
    if digest != approval.base_hash:
        raise apply.Conflict(
            f"{identifier} changed since you opened this page; check the differences again",
            [identifier],
        )
    note = f"Checked by a maintainer when approving {submission.ref}."
    title = clean(approval.source_title) or None
    if submission.kind == "new":
        if text is not None:  # read under the approval lock: nothing can write it meanwhile
            raise apply.Conflict(
                f"a provider with the id {identifier} already exists; this would replace it. "
                "Edit the proposal to give the new provider another id, or reject it and "
                "suggest its facts as changes to the existing record",
                [identifier],
            )
        record = submission.proposal.get("record")
        if not isinstance(record, dict):
            raise NothingToApply("the proposal holds no record")
        document = new_document(record)
        yamlio.cite_all(document, add_source(document, url, title, day, note))
        if approval.verified:
            set_verified(document, day, approval.by)
        logged = diff_records(None, document)
    else:
        if text is None:
            raise apply.UpdateError(f"{identifier} no longer exists")
        document = load(text)
        before = plain(document)
        yamlio.apply(document, changes_from_json(submission.proposal.get("changes")))
        # The source is not logged as a field change: every entry names it already.
        logged = diff_records(before, document)
        if not logged and not approval.verified:
            raise NothingToApply("this changes nothing; edit the suggestion or reject it")
        key = add_source(document, url, title, day, note)
        yamlio.cite(document, [change.field for change in logged], key)
        if approval.verified:
            sourced = plain(document)
            if logged:  # the changed facts cite this source: they, not the record, are confirmed
                yamlio.confirm_source(document, key, day, approval.by)
            else:  # nothing changed: the maintainer confirmed the record as it stands
                set_verified(document, day, approval.by)
            logged += diff_records(sourced, document)
    entries = changelog.entries(
        identifier,
        logged,
        by=approval.by,
        when=changelog.now_stamp(),
        source=url,
        reference=submission.ref,
    )
    return apply.Plan(
        writes=[apply.FileWrite(path, dump(document))],
        entries=entries,
        meta={"approve": [submission.ref], "by": approval.by},
    )


def reject(
    connection: sqlite3.Connection, workspace: Workspace, ref: str, by: str, reason: str
) -> None:
    """Reject a pending submission, with a reason the submitter can read.

    Raises ValueError for a missing or over-long reason, :class:`NotPending` if decided.
    """
    settle(connection, workspace)
    reason = clean(reason, multiline=True)
    if not reason:
        raise ValueError("give a reason; the person who sent it will see it")
    if len(reason) > MAX_REASON:
        raise ValueError(f"the reason is too long (at most {MAX_REASON:,} characters)")
    if not store.decide(connection, ref, "rejected", by, reason):
        raise NotPending("this submission was already decided")


def reject_many(
    connection: sqlite3.Connection, workspace: Workspace, refs: list[str], by: str, reason: str
) -> tuple[list[str], list[str]]:
    """Reject each pending submission of ``refs`` with one reason (a flood, say): the
    references rejected, and those skipped as already decided or unknown.

    Raises ValueError for a missing or over-long reason, or too many references at once.
    """
    if len(refs) > MAX_BULK:
        raise ValueError(f"reject at most {MAX_BULK} at once")
    rejected, skipped = [], []
    for ref in dict.fromkeys(refs):
        if not store.is_reference(ref):
            skipped.append(ref[:20])
            continue
        try:
            reject(connection, workspace, ref, by, reason)
        except NotPending:
            skipped.append(ref)
        else:
            rejected.append(ref)
    return rejected, skipped


@dataclass(frozen=True)
class QueuePage:
    """One page of the pending submissions that match a filter, with their true count."""

    pending: list[Submission]
    total: int
    page: int
    pages: int
    first: int
    decided: list[Submission]


def pending_queue(
    connection: sqlite3.Connection,
    workspace: Workspace,
    matching: store.QueueFilter | None = None,
    page: int = 1,
    per_page: int = QUEUE_PAGE,
) -> QueuePage:
    """A page of pending submissions (oldest first) matching the filter, their true count and
    the recent decisions, after finishing any commit a crash interrupted."""
    settle(connection, workspace)
    total = store.count_pending(connection, matching)
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    offset = (page - 1) * per_page
    pending = store.list_pending(connection, per_page, offset, matching)
    return QueuePage(pending, total, page, pages, offset + 1, store.list_decided(connection))
