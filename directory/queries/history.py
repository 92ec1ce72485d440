"""A provider's public change history: entries of ``data/changelog.jsonl`` for one record.

The change log is a file in the curated dataset, not a table in the built database, so this
module reads it line by line; only whether the provider is listed comes from the database.
Entries are returned with the fields the public page shows and nothing else (the log never
holds submitter contact details, and who approved a change is not shown publicly).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class HistoryEntry:
    """One field change as the history page shows it."""

    field: str
    old: Any
    new: Any
    when: dt.datetime | None
    source: str | None


def listed_provider_name(db: sqlite3.Connection, provider_id: str) -> str | None:
    """The name of ``provider_id`` if the public site lists it, else None."""
    row = db.execute(
        "SELECT name FROM providers WHERE id = ? AND do_not_list = 0", [provider_id]
    ).fetchone()
    return None if row is None else str(row[0])


def _when(value: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def provider_history(changelog: Path, provider_id: str, limit: int = 500) -> list[HistoryEntry]:
    """The changes to ``provider_id``, newest first (at most ``limit``)."""
    if not changelog.exists():
        return []
    found: list[HistoryEntry] = []
    with changelog.open(encoding="utf-8") as lines:
        for line in lines:
            if provider_id not in line:
                continue  # cheap filter before parsing
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue
            if not isinstance(entry, dict) or entry.get("record") != provider_id:
                continue
            source = entry.get("source")
            found.append(
                HistoryEntry(
                    field=str(entry.get("field", "")),
                    old=entry.get("old"),
                    new=entry.get("new"),
                    when=_when(entry.get("when")),
                    source=source if isinstance(source, str) else None,
                )
            )
    found.reverse()
    return found[:limit]
