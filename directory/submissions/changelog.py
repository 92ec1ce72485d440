"""Entries of ``data/changelog.jsonl``: one JSON object per changed field.

Each entry says which record and field changed, from what to what, who approved it, when,
on what source and for which submission or batch. Submitter contact details never appear:
entries are built only from the change, the maintainer's name and the source.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from directory.submissions.diff import FieldChange


def now_stamp() -> str:
    """The current UTC time as the change log writes it."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def entries(
    record: str,
    changes: Sequence[FieldChange],
    *,
    by: str,
    when: str,
    source: str | None,
    reference: str | None,
    reason: str | None = None,
) -> list[dict[str, Any]]:
    """One change-log entry per field change of ``record``."""
    made = []
    for change in changes:
        entry: dict[str, Any] = {
            "record": record,
            "field": change.field,
            "old": change.old,
            "new": change.new,
            "by": by,
            "when": when,
            "source": source,
            "submission": reference,
        }
        if reason:
            entry["reason"] = reason
        made.append(entry)
    return made


def render(lines: Iterable[dict[str, Any]]) -> str:
    """Entries as JSON lines, ready to append."""
    return "".join(json.dumps(entry, ensure_ascii=False, sort_keys=False) + "\n" for entry in lines)
