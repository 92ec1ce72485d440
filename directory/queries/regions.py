"""Jurisdictions: their notes with sources, crisis lines (inherited from parents), providers."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from directory.dataset.models import CORE_TOPICS
from directory.queries.providers import SourceRef, _source


@dataclass
class RegionDetail:
    """A jurisdiction with its own and its ancestors' notes and crisis lines."""

    code: str
    name: str
    kind: str
    parent: str | None
    currency: str | None
    ancestors: list[dict[str, str]] = field(default_factory=list)
    children: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    inherited_notes: list[dict[str, Any]] = field(default_factory=list)
    crisis_lines: list[dict[str, Any]] = field(default_factory=list)

    @property
    def unresearched_topics(self) -> list[str]:
        """Core topics with no note here or in an ancestor: nobody has researched them yet."""
        known = {note["topic"] for note in [*self.notes, *self.inherited_notes]}
        return [topic for topic in CORE_TOPICS if topic not in known]


def list_regions(db: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every jurisdiction with its parent and how many listed providers it has."""
    rows = db.execute(
        """
        SELECT j.code, j.name, j.kind, j.parent, j.currency,
          (SELECT count(DISTINCT l.provider_id) FROM locations l
            JOIN providers p ON p.id = l.provider_id
            WHERE (l.region = j.code OR l.country = j.code) AND p.do_not_list = 0) AS located,
          (SELECT count(*) FROM telehealth_areas t JOIN providers p ON p.id = t.provider_id
            WHERE t.jurisdiction_code = j.code AND p.do_not_list = 0) AS telehealth,
          (SELECT count(*) FROM jurisdiction_notes n WHERE n.jurisdiction_code = j.code) AS notes
        FROM jurisdictions j ORDER BY j.code
        """
    )
    return [dict(row) for row in rows]


def _notes(db: sqlite3.Connection, code: str) -> list[dict[str, Any]]:
    notes = []
    for note in db.execute(
        "SELECT id, topic, text, as_of, valid_until FROM jurisdiction_notes "
        "WHERE jurisdiction_code = ? "
        "ORDER BY position",
        [code],
    ):
        sources: list[SourceRef] = [
            _source(row)
            for row in db.execute(
                "SELECT s.* FROM jurisdiction_note_sources n JOIN sources s ON s.id = n.source_id "
                "WHERE n.note_id = ? ORDER BY s.id",
                [note["id"]],
            )
        ]
        notes.append(
            {
                "jurisdiction": code,
                "topic": note["topic"],
                "text": note["text"],
                "as_of": note["as_of"],
                "valid_until": note["valid_until"],
                # A rule whose stated end date has passed: its page says it needs review.
                "lapsed": bool(note["valid_until"])
                and note["valid_until"] < dt.date.today().isoformat(),
                "sources": sources,
            }
        )
    return notes


def _ancestors(db: sqlite3.Connection, code: str) -> list[dict[str, str]]:
    """Parents of ``code``, nearest first (for US-TX: US)."""
    chain: list[dict[str, str]] = []
    seen = {code}
    parent = db.execute("SELECT parent FROM jurisdictions WHERE code = ?", [code]).fetchone()
    while parent is not None and parent[0] is not None and parent[0] not in seen:
        row = db.execute(
            "SELECT code, name, parent FROM jurisdictions WHERE code = ?", [parent[0]]
        ).fetchone()
        if row is None:
            break
        seen.add(row["code"])
        chain.append({"code": row["code"], "name": row["name"]})
        parent = (row["parent"],)
    return chain


def nearest_jurisdiction(db: sqlite3.Connection, code: str | None) -> str | None:
    """``code`` if the dataset has it, else its country's (``DE-BE`` gives ``DE``), else None.

    Every look-up of the rules or crisis lines that apply somewhere goes through here, so a
    subdivision without a file of its own gets its country's, never nothing.
    """
    if not code:
        return None
    for candidate in dict.fromkeys([code, code.split("-")[0]]):
        if db.execute("SELECT 1 FROM jurisdictions WHERE code = ?", [candidate]).fetchone():
            return candidate
    return None


def currency_for(db: sqlite3.Connection, code: str | None) -> str | None:
    """The currency of ``code`` (a country or subdivision), from its country's record."""
    code = nearest_jurisdiction(db, code)
    if code is None:
        return None
    for candidate in [code, *(a["code"] for a in _ancestors(db, code))]:
        row = db.execute(
            "SELECT currency FROM jurisdictions WHERE code = ?", [candidate]
        ).fetchone()
        if row is not None and row[0]:
            return str(row[0])
    return None


def crisis_lines_for(db: sqlite3.Connection, code: str | None) -> list[dict[str, Any]]:
    """Crisis lines for ``code``: its own, else its nearest ancestor's that has some."""
    code = nearest_jurisdiction(db, code)
    if code is None:
        return []
    for candidate in [code, *(a["code"] for a in _ancestors(db, code))]:
        lines = [
            dict(row)
            for row in db.execute(
                "SELECT jurisdiction_code, name, phone, text, url, hours FROM crisis_lines "
                "WHERE jurisdiction_code = ? ORDER BY position",
                [candidate],
            )
        ]
        if lines:
            return lines
    return []


def get_region(db: sqlite3.Connection, code: str) -> RegionDetail | None:
    """The jurisdiction ``code`` with notes, inherited notes, children and crisis lines."""
    row = db.execute("SELECT * FROM jurisdictions WHERE code = ?", [code]).fetchone()
    if row is None:
        return None
    detail = RegionDetail(
        code=row["code"],
        name=row["name"],
        kind=row["kind"],
        parent=row["parent"],
        currency=row["currency"],
    )
    detail.ancestors = _ancestors(db, code)
    detail.children = [
        dict(r)
        for r in db.execute(
            "SELECT code, name, kind FROM jurisdictions WHERE parent = ? ORDER BY name", [code]
        )
    ]
    detail.notes = _notes(db, code)
    for ancestor in detail.ancestors:
        detail.inherited_notes += [
            note | {"jurisdiction_name": ancestor["name"]} for note in _notes(db, ancestor["code"])
        ]
    detail.crisis_lines = crisis_lines_for(db, code)
    return detail


def region_names(db: sqlite3.Connection) -> dict[str, str]:
    """Code → name for every jurisdiction (a small table, read once per request at most)."""
    return {row[0]: row[1] for row in db.execute("SELECT code, name FROM jurisdictions")}


def jurisdiction_rows(db: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every jurisdiction's code, name, kind, parent and currency, by name: the places the
    forms offer."""
    rows = db.execute("SELECT code, name, kind, parent, currency FROM jurisdictions ORDER BY name")
    return [dict(row) for row in rows]
