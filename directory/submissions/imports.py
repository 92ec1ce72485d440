"""Batch updates, planned against the current files and applied all or nothing with the same
lock, validation, atomic renames, rebuild and change log as an approval. The file format is
in :mod:`directory.submissions.batchfile`.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from directory.dataset.build import PointResolver
from directory.dataset.loader import DatasetInvalid
from directory.dataset.models import slug_is_valid
from directory.submissions import apply, changelog, display, yamlio
from directory.submissions.batchfile import BatchInvalid, NewRow, Row, read_batch
from directory.submissions.decisions import mark_approved
from directory.submissions.diff import FieldChange, diff_records, get_at, plain
from directory.submissions.fields import coerce_value
from directory.submissions.forms import provider_errors
from directory.submissions.workspace import Workspace

__all__ = ["BatchInvalid", "BatchPlan", "plan_batch", "read_batch", "run_import"]


@dataclass
class RecordPlan:
    """What the batch does to one record."""

    id: str
    new: bool
    path: Path
    rows: list[int]
    changes: list[FieldChange] = field(default_factory=list)
    content: str = ""


@dataclass
class BatchPlan:
    """Every record the batch changes, and the change-log entries it writes."""

    records: list[RecordPlan]
    entries: list[dict[str, Any]]

    def as_plan(self) -> apply.Plan:
        """The files and entries to commit."""
        writes = [apply.FileWrite(record.path, record.content) for record in self.records]
        return apply.Plan(writes=writes, entries=self.entries)

    def describe(self) -> list[str]:
        """The difference, one line per field, for a dry run."""
        lines = []
        for record in self.records:
            lines.append(f"{record.id}{' (new record)' if record.new else ''}:")
            for change in record.changes:
                lines.append(f"  {change.field}: {_show(change.old)} -> {_show(change.new)}")
        return lines


def _show(item: Any) -> str:
    if isinstance(item, list) and all(not isinstance(part, dict | list) for part in item):
        return "[" + ", ".join(str(part) for part in item) + "]"
    return display.value(item)


def plan_batch(
    workspace: Workspace,
    rows: Sequence[Row | NewRow],
    *,
    by: str,
    reference: str,
    today: dt.date,
) -> BatchPlan:
    """Work out every file the batch writes; raises :class:`BatchInvalid` on any bad row."""
    errors: list[str] = []
    records: list[RecordPlan] = []
    entries: list[dict[str, Any]] = []
    updates: dict[str, list[Row]] = {}
    seen_new: set[str] = set()
    for row in rows:
        if isinstance(row, Row):
            updates.setdefault(row.provider_id, []).append(row)
            continue
        planned = _plan_new(workspace, row, by, reference, today, seen_new, errors)
        if planned is not None:
            records.append(planned[0])
            entries += planned[1]
    for provider_id, group in updates.items():
        planned_update = _plan_update(workspace, provider_id, group, by, reference, today, errors)
        if planned_update is not None:
            records.append(planned_update[0])
            entries += planned_update[1]
    if errors:
        raise BatchInvalid(errors)
    return BatchPlan(records, entries)


def _plan_update(
    workspace: Workspace,
    provider_id: str,
    rows: Sequence[Row],
    by: str,
    reference: str,
    today: dt.date,
    errors: list[str],
) -> tuple[RecordPlan, list[dict[str, Any]]] | None:
    first = rows[0].number
    try:
        path = workspace.provider_file(provider_id)
        text, _ = yamlio.read_file(path)
        document = None if text is None else yamlio.load(text)
    except ValueError as exc:
        errors.append(f"row {first}, field 'provider_id': {exc}")
        return None
    if document is None:
        errors.append(f"row {first}, field 'provider_id': no provider with id {provider_id!r}")
        return None
    before = plain(document)
    sources: dict[str, str] = {}
    failed = False
    for row in rows:
        try:
            current = get_at(plain(document), row.field)
            value = row.value if row.typed else coerce_value(row.field, row.value, current)
            yamlio.apply(document, [FieldChange(row.field, current, value)])
        except ValueError as exc:
            errors.append(f"row {row.number}, field '{row.field}': {exc}")
            failed = True
            continue
        sources[row.field] = row.source_url
    if failed:
        return None
    changes = diff_records(before, document)
    logged = list(changes)
    sourced = plain(document)
    for row in rows:
        key = yamlio.add_source(
            document, row.source_url, row.source_title or None, today, f"Batch import {reference}."
        )
        yamlio.cite(document, [row.field], key)
        if row.verified:  # the row's fact, not the whole record, was confirmed
            yamlio.confirm_source(document, key, today, by)
    confirmed = [
        change
        for change in diff_records(sourced, document)
        if change.field.startswith("sources[") and "confirmed" in change.field
    ]
    logged += confirmed
    problems = provider_errors(plain(document), today)
    errors += [_located(rows, path_text, message) for path_text, message in problems]
    if problems:
        return None
    entries = []
    for change in logged:
        source = _source_for(sources, change.field) or rows[0].source_url
        entries += changelog.entries(
            provider_id,
            [change],
            by=by,
            when=changelog.now_stamp(),
            source=source,
            reference=reference,
        )
    record = RecordPlan(provider_id, False, path, [row.number for row in rows], logged)
    record.content = yamlio.dump(document)
    return record, entries


def _source_for(sources: Mapping[str, str], path: str) -> str | None:
    for field_name, url in sources.items():
        if path == field_name or path.startswith((field_name + ".", field_name + "[")):
            return url
        if field_name.startswith((path + ".", path + "[")):
            return url
    return None


def _located(rows: Sequence[Row], path: str, message: str) -> str:
    """An error named by the row and field that caused it (the row that set ``path``)."""
    for row in rows:
        if path and (
            path == row.field
            or path.startswith((row.field + ".", row.field + "["))
            or row.field.startswith((path + ".", path + "["))
        ):
            where = "" if path == row.field else f" (at {path})"
            return f"row {row.number}, field '{row.field}': {message}{where}"
    return f"row {rows[0].number}, field '{path or 'record'}': {message}"


def _plan_new(
    workspace: Workspace,
    row: NewRow,
    by: str,
    reference: str,
    today: dt.date,
    seen: set[str],
    errors: list[str],
) -> tuple[RecordPlan, list[dict[str, Any]]] | None:
    identifier = row.record.get("id")
    where = f"row {row.number}"
    if not isinstance(identifier, str) or not slug_is_valid(identifier):
        errors.append(f"{where}, field 'id': give an id of lower-case words joined by hyphens")
        return None
    path = workspace.provider_file(identifier)
    if path.exists() or identifier in seen:
        errors.append(f"{where}, field 'id': a record with id {identifier!r} exists already")
        return None
    seen.add(identifier)
    document = yamlio.new_document(row.record)
    if row.verified:
        yamlio.set_verified(document, today, by)
    problems = provider_errors(plain(document), today)
    errors += [f"{where}, field '{p or 'record'}': {message}" for p, message in problems]
    if problems:
        return None
    logged = diff_records(None, document)
    sources = plain(document).get("sources") or [{}]
    entries = changelog.entries(
        identifier,
        logged,
        by=by,
        when=changelog.now_stamp(),
        source=sources[0].get("url"),
        reference=reference,
    )
    record = RecordPlan(identifier, True, path, [row.number], logged, yamlio.dump(document))
    return record, entries


def _dataset_errors(
    error: DatasetInvalid, records: Iterable[RecordPlan], rows: Sequence[Row | NewRow]
) -> list[str]:
    by_record = {record.id: record for record in records}
    messages = []
    for problem in error.errors:
        record = by_record.get(problem.record)
        if record is None:
            messages.append(str(problem))
            continue
        own = [row for row in rows if isinstance(row, Row) and row.provider_id == record.id]
        if own:
            messages.append(_located(own, problem.field, problem.message))
        else:
            field_name = problem.field or "record"
            messages.append(f"row {record.rows[0]}, field '{field_name}': {problem.message}")
    return messages


def run_import(
    connection: sqlite3.Connection,
    workspace: Workspace,
    path: Path,
    *,
    by: str,
    dry_run: bool,
    resolve: PointResolver | None = None,
    today: dt.date | None = None,
) -> tuple[BatchPlan, apply.Committed | None]:
    """Check a batch and, unless ``dry_run``, apply it; raises :class:`BatchInvalid`.

    The plan is made again under the commit lock, against the files as they are then.
    """
    day = today or dt.date.today()
    rows = read_batch(path)
    if not rows:
        raise BatchInvalid([f"{path}: the batch holds no changes"])
    reference = f"import:{path.name}"
    plan = plan_batch(workspace, rows, by=by, reference=reference, today=day)
    try:
        if dry_run:
            apply.check(workspace, plan.as_plan(), today)
            return plan, None
        final: list[BatchPlan] = []

        def make() -> apply.Plan:
            final.append(plan_batch(workspace, rows, by=by, reference=reference, today=day))
            return final[-1].as_plan()

        committed = apply.commit(
            workspace, make, after=mark_approved(connection), resolve=resolve, today=today
        )
    except DatasetInvalid as exc:
        raise BatchInvalid(_dataset_errors(exc, plan.records, rows)) from None
    return final[-1], committed
