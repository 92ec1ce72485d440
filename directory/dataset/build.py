"""Building the SQLite database from a validated dataset, atomically.

The database is written to a temporary file next to the target and renamed over it only
when complete, so a failed build leaves the previous database untouched and serving.
The same dataset always gives the same table contents; only ``meta.built_at`` differs.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from directory.dataset import provenance
from directory.dataset.layout import (
    CLOSED_TREE,
    OPEN_TREE,
    SCHEMA_VERSION,
    SHARED_TREE,
    location_key,
)
from directory.dataset.loader import (
    CrossChecker,
    DataError,
    DatasetInvalid,
    LoadedProvider,
    iter_providers,
    load_jurisdictions,
)
from directory.dataset.models import Jurisdiction, Location, Provider, Source, TreatmentCode
from directory.dataset.schema import create_schema, finish_schema
from directory.durable import fsync_directory, fsync_file

#: Resolves (city, postal_code, region, country) to (latitude, longitude, precision).
PointResolver = Callable[[str, str | None, str | None, str], tuple[float, float, str] | None]


TREATMENT_LABELS = {
    TreatmentCode.IV_INFUSION: "IV ketamine infusion",
    TreatmentCode.IM_INJECTION: "IM ketamine injection",
    TreatmentCode.ESKETAMINE_NASAL: "Esketamine nasal spray (Spravato)",
    TreatmentCode.ORAL_SUBLINGUAL: "Oral or sublingual ketamine",
    TreatmentCode.KETAMINE_ASSISTED_PSYCHOTHERAPY: "Ketamine-assisted psychotherapy",
    TreatmentCode.AT_HOME_TELEHEALTH: "At-home ketamine by telehealth",
}


@dataclass(frozen=True)
class BuildReport:
    """What a build produced."""

    path: Path
    providers: int
    locations: int
    jurisdictions: int
    sources: int
    seconds: float
    dataset_version: str


class _Sources:
    """Deduplicates sources, giving each a stable id in first-seen order."""

    def __init__(self) -> None:
        self.ids: dict[tuple[str | None, ...], int] = {}
        self.pending: list[dict[str, Any]] = []

    def id_of(self, source: Source) -> int:
        published = source.published.isoformat() if source.published else None
        kind = source.kind.value if source.kind else None
        confirmed = getattr(source, "confirmed_on", None)
        confirmed_on = confirmed.isoformat() if confirmed else None
        confirmed_by = getattr(source, "confirmed_by", None)
        key: tuple[str | None, ...] = (source.url, kind, source.title, published)
        key += (source.retrieved.isoformat(), source.note, confirmed_on, confirmed_by)
        number = self.ids.get(key)
        if number is None:
            number = self.ids[key] = len(self.ids) + 1
            self.pending.append(
                {
                    "id": number,
                    "url": source.url,
                    "kind": kind,
                    "title": source.title,
                    "published": published,
                    "retrieved": key[4],
                    "note": source.note,
                    "confirmed_on": confirmed_on,
                    "confirmed_by": confirmed_by,
                }
            )
        return number


class _Writer:
    """Buffers rows per table and writes them in batches with sqlite-utils."""

    BATCH = 5000

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.sources = _Sources()
        self.buffers: dict[str, list[dict[str, Any]]] = {}
        self.counts: dict[str, int] = {}
        #: Listed providers stating the facts filters match on (see queries.site).
        self.filled = {"providers": 0, "accepting": 0, "payment": 0, "price": 0}
        self.note_id = 0

    def add(self, table: str, row: dict[str, Any]) -> None:
        buffer = self.buffers.setdefault(table, [])
        buffer.append(row)
        self.counts[table] = self.counts.get(table, 0) + 1
        if len(buffer) >= self.BATCH:
            self.flush(table)

    def flush(self, table: str | None = None) -> None:
        self.buffers["sources"] = self.buffers.get("sources", []) + self.sources.pending
        self.counts["sources"] = len(self.sources.ids)
        self.sources.pending = []
        for name in [table, "sources"] if table else list(self.buffers):
            rows = self.buffers.get(name)
            if rows:
                self.db.table(name).insert_all(rows, batch_size=1000)
                self.buffers[name] = []

    def add_jurisdiction(self, jurisdiction: Jurisdiction) -> None:
        self.add(
            "jurisdictions",
            {
                "code": jurisdiction.code,
                "name": jurisdiction.name,
                "parent": jurisdiction.parent,
                "kind": jurisdiction.kind,
                "currency": jurisdiction.currency,
            },
        )
        for position, note in enumerate(jurisdiction.notes):
            self.note_id += 1
            self.add(
                "jurisdiction_notes",
                {
                    "id": self.note_id,
                    "jurisdiction_code": jurisdiction.code,
                    "position": position,
                    "topic": note.topic.value,
                    "text": note.text,
                    "as_of": note.as_of,
                    "valid_until": note.valid_until,
                },
            )
            for source in note.sources:
                self.add(
                    "jurisdiction_note_sources",
                    {"note_id": self.note_id, "source_id": self.sources.id_of(source)},
                )
        for position, line in enumerate(jurisdiction.crisis_lines):
            line_id = self.counts.get("crisis_lines", 0) + 1
            self.add(
                "crisis_lines",
                {
                    "id": line_id,
                    "jurisdiction_code": jurisdiction.code,
                    "position": position,
                    "name": line.name,
                    "phone": line.phone,
                    "text": line.text,
                    "url": line.url,
                    "hours": line.hours,
                },
            )
            for source in line.sources:
                self.add(
                    "crisis_line_sources",
                    {"crisis_line_id": line_id, "source_id": self.sources.id_of(source)},
                )

    def add_provider(self, provider: Provider, points: list[tuple[float, float, str]]) -> None:
        region, country = _display_region(provider)
        if not provider.do_not_list:
            self.filled["providers"] += 1
            self.filled["accepting"] += provider.accepting_new_patients != "unknown"
            self.filled["payment"] += bool(provider.payment_options)
            self.filled["price"] += any(t.price for t in provider.treatments)
        key = self.counts.get("providers", 0) + 1
        self.add(
            "providers",
            {
                "id": provider.id,
                "key": key,
                "name": provider.name,
                "organisation": provider.organisation,
                "status": provider.status,
                "illustrative": int(provider.illustrative),
                "do_not_list": int(provider.do_not_list),
                "website": provider.website,
                "phone": provider.phone,
                "region": region,
                "country": country,
                "accepting_new_patients": provider.accepting_new_patients,
                "referral_required": provider.screening.referral_required,
                "screening_notes": provider.screening.notes,
                "last_verified_date": provider.last_verified.date,
                "last_verified_by": provider.last_verified.by,
                "search_text": _search_text(provider),
                "treatments_json": _treatments_json(provider),
                "payment_options_json": json.dumps(
                    sorted(option.value for option in provider.payment_options)
                ),
            },
        )
        shared = len(provider.locations) > 1
        for position, (location, point) in enumerate(zip(provider.locations, points, strict=True)):
            location_id = location_key(key, position, shared=shared)
            latitude, longitude, precision = point
            self.add(
                "locations",
                {
                    "id": location_id,
                    "provider_id": provider.id,
                    "position": position,
                    "label": location.label,
                    "street": location.street,
                    "city": location.city,
                    "postal_code": location.postal_code,
                    "region": location.region,
                    "country": location.country,
                    "latitude": latitude,
                    "longitude": longitude,
                    "precision": precision,
                },
            )
            if provider.do_not_list:
                continue  # unlisted providers are kept for history but never found
            closed = provider.status == "closed"
            node = {
                "id": location_id,
                "min_lat": latitude,
                "max_lat": latitude,
                "min_lon": longitude,
                "max_lon": longitude,
                # For people querying the file; the search reads only the node's own
                # columns and the id, which encodes the provider (see location_key).
                "provider_key": key,
                "latitude": latitude,
                "longitude": longitude,
                "closed": int(closed),
            }
            self.add(CLOSED_TREE if closed else OPEN_TREE, node)
            if shared:
                self.add(SHARED_TREE, node)
        by_key = {source.key: source for source in provider.sources}
        for treatment in provider.treatments:
            price = treatment.price
            price_source = by_key[price.source] if price else None
            self.add(
                "treatments",
                {
                    "provider_id": provider.id,
                    "code": treatment.code.value,
                    "notes": treatment.notes,
                    "price_min": price.min if price else None,
                    "price_max": price.max if price else None,
                    "currency": price.currency if price else None,
                    "unit": price.unit if price else None,
                    "includes": price.includes if price else None,
                    "price_source_id": self.sources.id_of(price_source) if price_source else None,
                    "price_published": price_source.published if price_source else None,
                    "price_retrieved": price_source.retrieved if price_source else None,
                },
            )
        for option in provider.payment_options:
            self.add("payment_options", {"provider_id": provider.id, "option": option.value})
        for position, claim in enumerate(provider.quality_signals):
            self.add(
                "quality_signals",
                {
                    "provider_id": provider.id,
                    "position": position,
                    "code": claim.code.value,
                    "detail": claim.detail,
                },
            )
        for position, text in enumerate(provider.screening.requirements):
            self.add(
                "screening_requirements",
                {"provider_id": provider.id, "position": position, "text": text},
            )
        for code in sorted(set(provider.telehealth_areas)):
            self.add("telehealth_areas", {"provider_id": provider.id, "jurisdiction_code": code})
        for position, note in enumerate(provider.regulatory_notes):
            note_id = self.counts.get("provider_notes", 0) + 1
            self.add(
                "provider_notes",
                {
                    "id": note_id,
                    "provider_id": provider.id,
                    "position": position,
                    "text": note.text,
                },
            )
            for note_key in dict.fromkeys(note.sources):
                self.add(
                    "provider_note_sources",
                    {"note_id": note_id, "source_id": self.sources.id_of(by_key[note_key])},
                )
        for position, source in enumerate(provider.sources):
            self.add(
                "provider_sources",
                {
                    "provider_id": provider.id,
                    "position": position,
                    "key": source.key,
                    "source_id": self.sources.id_of(source),
                },
            )
        cited = {(fact.path, fact.topic, fact.source_key) for fact in provenance.facts(provider)}
        for path, topic, source_key in sorted(cited, key=lambda row: (row[0], str(row[2]))):
            self.add(
                "fact_sources",
                {
                    "provider_id": provider.id,
                    "path": path,
                    "topic": topic,
                    "source_id": self.sources.id_of(by_key[str(source_key)]),
                },
            )


def stale_reason(data_dir: Path, database: Path) -> str | None:
    """Why ``database`` needs building from ``data_dir``, or None when it is current."""
    if not database.exists():
        return f"{database} does not exist"
    built = database.stat().st_mtime
    for path in data_dir.rglob("*"):
        if path.is_file() and path.stat().st_mtime > built:
            return f"{path} changed after the last build"
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return f"{database} is unreadable ({error})"
    if version != SCHEMA_VERSION:
        return f"{database} has schema version {version}, not {SCHEMA_VERSION}"
    return None


def _treatments_json(provider: Provider) -> str:
    """``[[code, price_min, price_max, currency, unit, published, retrieved], ...]``, by code.

    The last two are the price source's own date (or null) and the day it was read.
    """
    rows: list[list[Any]] = []
    for treatment in sorted(provider.treatments, key=lambda t: t.code.value):
        price = treatment.price
        source = provider.source(price.source) if price else None
        if price is None or source is None:
            rows.append([treatment.code.value] + [None] * 6)
            continue
        published = source.published.isoformat() if source.published else None
        code = treatment.code.value
        rows.append([code, price.min, price.max, price.currency, price.unit, published])
        rows[-1].append(source.retrieved.isoformat())
    return json.dumps(rows)


def _display_region(provider: Provider) -> tuple[str, str]:
    if provider.locations:
        first: Location = provider.locations[0]
        return first.region or first.country, first.country
    area = provider.telehealth_areas[0]
    return area, area.split("-")[0]


def _search_text(provider: Provider) -> str:
    parts: list[str] = []
    for location in provider.locations:
        parts += [location.city, location.postal_code or "", location.region or ""]
    parts += provider.telehealth_areas
    parts += [note.text for note in provider.regulatory_notes]
    parts += [treatment.notes or "" for treatment in provider.treatments]
    return " ".join(part for part in parts if part)


def _place(
    loaded: LoadedProvider, provider: Provider, resolve: PointResolver | None
) -> tuple[list[tuple[float, float, str]], list[DataError]]:
    """Coordinates for every location, from the record or else the offline gazetteer."""
    points: list[tuple[float, float, str]] = []
    errors: list[DataError] = []
    for index, location in enumerate(provider.locations):
        if location.latitude is not None and location.longitude is not None:
            points.append((location.latitude, location.longitude, location.precision or "address"))
            continue
        found = None
        if resolve is not None:
            found = resolve(location.city, location.postal_code, location.region, location.country)
        if found is None:
            place = " ".join(filter(None, [location.city, location.postal_code, location.country]))
            errors.append(
                DataError(
                    loaded.file,
                    provider.id,
                    f"locations[{index}]",
                    f"could not place '{place}' with the offline gazetteer; "
                    "add latitude, longitude and precision",
                )
            )
        else:
            points.append(found)
    return points, errors


@contextmanager
def _build_lock(target: Path) -> Iterator[None]:
    """One build of ``target`` at a time; leftovers of a killed build are removed under it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with (target.parent / f".{target.name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            for stale in target.parent.glob(f".{target.name}.*.tmp"):
                stale.unlink(missing_ok=True)
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@contextmanager
def _temporary_database(target: Path) -> Iterator[sqlite_utils.Database]:
    """A new database beside ``target``, renamed over it only if the block succeeds."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    connection = sqlite3.connect(temporary)
    try:
        # The file is private until renamed, so durability is only needed at the end.
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        yield sqlite_utils.Database(connection)
        connection.commit()
        connection.close()
        fsync_file(temporary)
        os.replace(temporary, target)
        fsync_directory(target.parent)
    except BaseException:
        connection.close()
        temporary.unlink(missing_ok=True)
        raise


def build_database(
    data_dir: Path,
    target: Path,
    resolve: PointResolver | None = None,
    today: dt.date | None = None,
) -> BuildReport:
    """Validate ``data_dir`` and build it into ``target``; on any error nothing is replaced.

    Records are validated and written in one streaming pass, so memory stays flat however
    large the dataset; any error aborts the build and deletes the temporary file.
    """
    started = time.perf_counter()
    today = today or dt.date.today()
    if not data_dir.is_dir():
        raise DatasetInvalid([DataError(str(data_dir), "", "", "dataset folder not found")])
    jurisdictions, errors = load_jurisdictions(data_dir, today)
    if errors:
        raise DatasetInvalid(errors)
    checker = CrossChecker({j.code for j in jurisdictions})
    digest = hashlib.sha256()
    with _build_lock(target), _temporary_database(target) as db:
        create_schema(db)
        writer = _Writer(db)
        for code, label in TREATMENT_LABELS.items():
            writer.add("treatment_types", {"code": code.value, "label": label})
        for jurisdiction in jurisdictions:
            digest.update(jurisdiction.model_dump_json().encode())
            writer.add_jurisdiction(jurisdiction)
        for loaded in iter_providers(data_dir, today):
            errors += loaded.errors
            provider = loaded.provider
            if provider is None:
                continue
            problems = checker.check(loaded.file, provider)
            points, placing_errors = _place(loaded, provider, resolve)
            errors += problems + placing_errors
            if not errors:
                digest.update(provider.model_dump_json().encode())
                writer.add_provider(provider, points)
        if errors:
            raise DatasetInvalid(errors)
        writer.flush()
        finish_schema(db)
        counts = {
            "providers": writer.counts.get("providers", 0),
            "locations": writer.counts.get("locations", 0),
            "jurisdictions": writer.counts.get("jurisdictions", 0),
            "sources": writer.counts.get("sources", 0),
        }
        version = digest.hexdigest()[:16]
        meta = {
            "schema_version": str(SCHEMA_VERSION),
            "dataset_version": version,
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "counts": json.dumps(counts, sort_keys=True),
            "filled": json.dumps(writer.filled, sort_keys=True),
        }
        db.table("meta").insert_all({"key": k, "value": v} for k, v in meta.items())
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("ANALYZE")
    return BuildReport(
        path=target,
        providers=counts["providers"],
        locations=counts["locations"],
        jurisdictions=counts["jurisdictions"],
        sources=counts["sources"],
        seconds=time.perf_counter() - started,
        dataset_version=version,
    )
