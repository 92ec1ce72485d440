"""Reading one provider with everything its page shows, and listing ids for the sitemap."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass
class SourceRef:
    """A cited source."""

    id: int
    url: str
    kind: str | None
    title: str | None
    published: str | None
    retrieved: str
    note: str | None
    confirmed_on: str | None = None
    confirmed_by: str | None = None


@dataclass
class ProviderDetail:
    """A provider with every section of its page."""

    id: str
    name: str
    organisation: str | None
    status: str
    illustrative: bool
    do_not_list: bool
    website: str | None
    phone: str | None
    region: str | None
    country: str | None
    accepting_new_patients: str
    referral_required: str
    screening_notes: str | None
    last_verified_date: str | None
    last_verified_by: str | None
    locations: list[dict[str, Any]] = field(default_factory=list)
    treatments: list[dict[str, Any]] = field(default_factory=list)
    payment_options: list[str] = field(default_factory=list)
    quality_signals: list[dict[str, Any]] = field(default_factory=list)
    screening_requirements: list[str] = field(default_factory=list)
    telehealth_areas: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)
    #: The sources of each fact, by the fact's path (``phone``, ``treatments[0].price``).
    fact_sources: dict[str, list[SourceRef]] = field(default_factory=dict)

    def cited(self, path: str) -> list[SourceRef]:
        """The sources stating the fact at ``path`` (none when it is unknown)."""
        return self.fact_sources.get(path, [])


def _source(row: sqlite3.Row) -> SourceRef:
    return SourceRef(
        id=row["id"],
        url=row["url"],
        kind=row["kind"],
        title=row["title"],
        published=row["published"],
        retrieved=row["retrieved"],
        note=row["note"],
        confirmed_on=row["confirmed_on"],
        confirmed_by=row["confirmed_by"],
    )


def get_provider(db: sqlite3.Connection, provider_id: str) -> ProviderDetail | None:
    """The provider ``provider_id`` with all its sections, or None (also when unlisted)."""
    row = db.execute(
        "SELECT * FROM providers WHERE id = ? AND do_not_list = 0", [provider_id]
    ).fetchone()
    if row is None:
        return None
    detail = ProviderDetail(
        id=row["id"],
        name=row["name"],
        organisation=row["organisation"],
        status=row["status"],
        illustrative=bool(row["illustrative"]),
        do_not_list=bool(row["do_not_list"]),
        website=row["website"],
        phone=row["phone"],
        region=row["region"],
        country=row["country"],
        accepting_new_patients=row["accepting_new_patients"],
        referral_required=row["referral_required"],
        screening_notes=row["screening_notes"],
        last_verified_date=row["last_verified_date"],
        last_verified_by=row["last_verified_by"],
    )
    key = [provider_id]
    detail.locations = [
        dict(r)
        for r in db.execute(
            "SELECT l.*, j.name AS region_name FROM locations l "
            "LEFT JOIN jurisdictions j ON j.code = l.region "
            "WHERE provider_id = ? ORDER BY position",
            key,
        )
    ]
    detail.treatments = [
        dict(r)
        for r in db.execute(
            "SELECT t.*, tt.label FROM treatments t JOIN treatment_types tt ON tt.code = t.code "
            "WHERE provider_id = ? ORDER BY t.code",
            key,
        )
    ]
    detail.payment_options = [
        r[0]
        for r in db.execute(
            "SELECT option FROM payment_options WHERE provider_id = ? ORDER BY option", key
        )
    ]
    detail.quality_signals = [
        dict(r)
        for r in db.execute(
            "SELECT code, detail FROM quality_signals WHERE provider_id = ? ORDER BY position", key
        )
    ]
    detail.screening_requirements = [
        r[0]
        for r in db.execute(
            "SELECT text FROM screening_requirements WHERE provider_id = ? ORDER BY position", key
        )
    ]
    detail.telehealth_areas = [
        dict(r)
        for r in db.execute(
            "SELECT t.jurisdiction_code AS code, j.name FROM telehealth_areas t "
            "JOIN jurisdictions j ON j.code = t.jurisdiction_code "
            "WHERE t.provider_id = ? ORDER BY j.name",
            key,
        )
    ]
    detail.sources = [
        _source(r)
        for r in db.execute(
            "SELECT s.* FROM provider_sources ps JOIN sources s ON s.id = ps.source_id "
            "WHERE ps.provider_id = ? ORDER BY ps.position",
            key,
        )
    ]
    for row in db.execute(
        "SELECT f.path, s.* FROM fact_sources f JOIN sources s ON s.id = f.source_id "
        "WHERE f.provider_id = ? ORDER BY f.path, s.id",
        key,
    ):
        detail.fact_sources.setdefault(row["path"], []).append(_source(row))
    for note in db.execute(
        "SELECT id, text FROM provider_notes WHERE provider_id = ? ORDER BY position", key
    ):
        detail.notes.append(
            {
                "text": note["text"],
                "sources": [
                    _source(r)
                    for r in db.execute(
                        "SELECT s.* FROM provider_note_sources n "
                        "JOIN sources s ON s.id = n.source_id WHERE n.note_id = ? ORDER BY s.id",
                        [note["id"]],
                    )
                ],
            }
        )
    return detail


def listed_provider_ids(db: sqlite3.Connection) -> Iterator[str]:
    """Ids of every listed provider, for the sitemap."""
    for row in db.execute("SELECT id FROM providers WHERE do_not_list = 0 ORDER BY id"):
        yield row[0]
