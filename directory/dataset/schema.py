"""The database's tables: normalised, with foreign keys, full-text search and a spatial index.

All tables are plain SQLite tables (plus one FTS5 and one R*Tree virtual table), so the built
file opens as it is in Datasette or the ``sqlite3`` shell.
"""

from __future__ import annotations

import sqlite_utils

from directory.dataset.layout import RTREES

_TEXT, _INT, _REAL = str, int, float


def create_schema(db: sqlite_utils.Database) -> None:
    """Create every table, empty, in ``db``."""
    db.table("meta").create({"key": _TEXT, "value": _TEXT}, pk="key")
    db.table("sources").create(
        {
            "id": _INT,
            "url": _TEXT,
            "kind": _TEXT,
            "title": _TEXT,
            "published": _TEXT,
            "retrieved": _TEXT,
            "note": _TEXT,
            "confirmed_on": _TEXT,
            "confirmed_by": _TEXT,
        },
        pk="id",
        not_null={"url", "retrieved"},
    )
    db.table("treatment_types").create({"code": _TEXT, "label": _TEXT}, pk="code")
    db.table("jurisdictions").create(
        {"code": _TEXT, "name": _TEXT, "parent": _TEXT, "kind": _TEXT, "currency": _TEXT},
        pk="code",
        foreign_keys=[("parent", "jurisdictions", "code")],
        not_null={"name", "kind"},
    )
    db.table("jurisdiction_notes").create(
        {
            "id": _INT,
            "jurisdiction_code": _TEXT,
            "position": _INT,
            "topic": _TEXT,
            "text": _TEXT,
            "as_of": _TEXT,
            "valid_until": _TEXT,
        },
        pk="id",
        foreign_keys=[("jurisdiction_code", "jurisdictions", "code")],
        not_null={"jurisdiction_code", "topic", "text"},
    )
    db.table("jurisdiction_note_sources").create(
        {"note_id": _INT, "source_id": _INT},
        pk=("note_id", "source_id"),
        foreign_keys=[("note_id", "jurisdiction_notes", "id"), ("source_id", "sources", "id")],
    )
    db.table("crisis_lines").create(
        {
            "id": _INT,
            "jurisdiction_code": _TEXT,
            "position": _INT,
            "name": _TEXT,
            "phone": _TEXT,
            "text": _TEXT,
            "url": _TEXT,
            "hours": _TEXT,
        },
        pk="id",
        foreign_keys=[("jurisdiction_code", "jurisdictions", "code")],
    )
    db.table("crisis_line_sources").create(
        {"crisis_line_id": _INT, "source_id": _INT},
        pk=("crisis_line_id", "source_id"),
        foreign_keys=[("crisis_line_id", "crisis_lines", "id"), ("source_id", "sources", "id")],
    )
    db.table("providers").create(
        {
            "id": _TEXT,
            "key": _INT,
            "name": _TEXT,
            "organisation": _TEXT,
            "status": _TEXT,
            "illustrative": _INT,
            "do_not_list": _INT,
            "website": _TEXT,
            "phone": _TEXT,
            "region": _TEXT,
            "country": _TEXT,
            "accepting_new_patients": _TEXT,
            "referral_required": _TEXT,
            "screening_notes": _TEXT,
            "last_verified_date": _TEXT,
            "last_verified_by": _TEXT,
            "search_text": _TEXT,
            # Treatments and payment options as JSON arrays, for result lists (one read a hit).
            "treatments_json": _TEXT,
            "payment_options_json": _TEXT,
        },
        # The key is the rowid: the search finds a provider from a location id (see
        # dataset.layout) in one B-tree lookup. The id, which other tables refer to, is
        # unique (see below).
        pk="key",
        not_null={"id", "name", "status", "illustrative", "do_not_list"},
    )
    db.table("locations").create(
        {
            "id": _INT,
            "provider_id": _TEXT,
            "position": _INT,
            "label": _TEXT,
            "street": _TEXT,
            "city": _TEXT,
            "postal_code": _TEXT,
            "region": _TEXT,
            "country": _TEXT,
            "latitude": _REAL,
            "longitude": _REAL,
            "precision": _TEXT,
        },
        pk="id",
        foreign_keys=[("provider_id", "providers", "id")],
        not_null={"provider_id", "latitude", "longitude", "country"},
    )
    # Listed locations of open providers, and of closed ones (searched only when asked for);
    # the locations of providers with several, again, to be grouped by provider on their own.
    for name in RTREES:
        db.execute(
            f"CREATE VIRTUAL TABLE {name} USING rtree("
            "id, min_lat, max_lat, min_lon, max_lon, "
            "+provider_key INTEGER, +latitude REAL, +longitude REAL, +closed INTEGER)"
        )
    db.table("treatments").create(
        {
            "provider_id": _TEXT,
            "code": _TEXT,
            "notes": _TEXT,
            "price_min": _REAL,
            "price_max": _REAL,
            "currency": _TEXT,
            "unit": _TEXT,
            "includes": _TEXT,
            # The price's source: its own date (if it shows one) and the day it was read.
            "price_source_id": _INT,
            "price_published": _TEXT,
            "price_retrieved": _TEXT,
        },
        pk=("provider_id", "code"),
        foreign_keys=[("provider_id", "providers", "id"), ("code", "treatment_types", "code")],
    )
    db.table("payment_options").create(
        {"provider_id": _TEXT, "option": _TEXT},
        pk=("provider_id", "option"),
        foreign_keys=[("provider_id", "providers", "id")],
    )
    db.table("quality_signals").create(
        {"provider_id": _TEXT, "position": _INT, "code": _TEXT, "detail": _TEXT},
        pk=("provider_id", "position"),
        foreign_keys=[("provider_id", "providers", "id")],
    )
    db.table("screening_requirements").create(
        {"provider_id": _TEXT, "position": _INT, "text": _TEXT},
        pk=("provider_id", "position"),
        foreign_keys=[("provider_id", "providers", "id")],
    )
    # provider_key and name_order (the provider's place in the list by name) are filled in by
    # finish_schema, so that a region's telehealth list is read in name order from an index.
    db.table("telehealth_areas").create(
        {
            "provider_id": _TEXT,
            "jurisdiction_code": _TEXT,
            "provider_key": _INT,
            "name_order": _INT,
        },
        pk=("provider_id", "jurisdiction_code"),
        foreign_keys=[
            ("provider_id", "providers", "id"),
            ("jurisdiction_code", "jurisdictions", "code"),
        ],
    )
    db.table("provider_notes").create(
        {"id": _INT, "provider_id": _TEXT, "position": _INT, "text": _TEXT},
        pk="id",
        foreign_keys=[("provider_id", "providers", "id")],
    )
    db.table("provider_note_sources").create(
        {"note_id": _INT, "source_id": _INT},
        pk=("note_id", "source_id"),
        foreign_keys=[("note_id", "provider_notes", "id"), ("source_id", "sources", "id")],
    )
    db.table("provider_sources").create(
        {"provider_id": _TEXT, "position": _INT, "key": _TEXT, "source_id": _INT},
        pk=("provider_id", "position"),
        foreign_keys=[("provider_id", "providers", "id"), ("source_id", "sources", "id")],
    )
    # Which source states each fact of a record (see dataset.provenance).
    db.table("fact_sources").create(
        {"provider_id": _TEXT, "path": _TEXT, "topic": _TEXT, "source_id": _INT},
        pk=("provider_id", "path", "source_id"),
        foreign_keys=[("provider_id", "providers", "id"), ("source_id", "sources", "id")],
    )


def finish_schema(db: sqlite_utils.Database) -> None:
    """Add the indexes and the full-text index once the rows are in (faster than before)."""
    db.table("locations").create_index(["provider_id"])
    db.table("locations").create_index(["latitude", "longitude"])
    db.table("locations").create_index(["region"])
    db.table("providers").create_index(["id"], unique=True)
    db.table("providers").create_index(["region"])
    db.table("providers").create_index(["status", "do_not_list"])
    db.table("treatments").create_index(["code", "price_min"])
    db.table("payment_options").create_index(["option"])
    db.execute(
        "CREATE TEMP TABLE name_orders AS SELECT key, row_number() OVER "
        "(ORDER BY name COLLATE NOCASE, id) AS name_order FROM providers"
    )
    db.execute(
        "UPDATE telehealth_areas SET provider_key = p.key, name_order = n.name_order "
        "FROM providers p JOIN name_orders n ON n.key = p.key "
        "WHERE p.id = telehealth_areas.provider_id"
    )
    db.execute("DROP TABLE name_orders")
    db.table("telehealth_areas").create_index(["jurisdiction_code", "name_order"])
    db.table("jurisdictions").create_index(["parent"])
    db.table("provider_sources").create_index(["source_id"])
    db.table("fact_sources").create_index(["source_id"])
    db.table("providers").enable_fts(
        ["name", "organisation", "search_text"],
        fts_version="FTS5",
        tokenize="unicode61 remove_diacritics 2",
    )
