"""Site-wide figures for the public pages: how many records are listed, and how many verified."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CountryCount:
    """How many real providers the directory lists in one country (0 where it has rules only)."""

    code: str
    name: str
    providers: int


@dataclass(frozen=True)
class ListingSummary:
    """What the directory lists right now (providers who asked to be removed excluded)."""

    providers: int
    countries: int
    verified: int
    jurisdictions: int
    #: Real (not illustrative) providers per country, most first; countries without any last.
    by_country: list[CountryCount] = field(default_factory=list)


def price_currencies(db: sqlite3.Connection) -> dict[str, int]:
    """How many listed providers give a per-session price in each currency, most first."""
    return {
        currency: count
        for currency, count in db.execute(
            """
            SELECT t.currency, count(DISTINCT t.provider_id) AS providers
            FROM treatments t JOIN providers p ON p.id = t.provider_id
            WHERE p.do_not_list = 0 AND t.unit = 'per_session' AND t.price_min IS NOT NULL
              AND t.currency IS NOT NULL
            GROUP BY t.currency ORDER BY providers DESC, t.currency
            """
        )
    }


def listing_summary(db: sqlite3.Connection) -> ListingSummary:
    """Count listed providers, the countries they are in, and how many are verified."""
    row = db.execute(
        """
        SELECT
          (SELECT count(*) FROM providers WHERE do_not_list = 0) AS providers,
          (SELECT count(DISTINCT country) FROM providers
             WHERE do_not_list = 0 AND country IS NOT NULL) AS countries,
          (SELECT count(*) FROM providers
             WHERE do_not_list = 0 AND last_verified_date IS NOT NULL) AS verified,
          (SELECT count(*) FROM jurisdictions) AS jurisdictions
        """
    ).fetchone()
    counts = [
        CountryCount(code, name, providers)
        for code, name, providers in db.execute(
            """
            SELECT j.code, j.name, count(p.key) AS providers
            FROM jurisdictions j LEFT JOIN providers p
              ON p.country = j.code AND p.do_not_list = 0 AND p.illustrative = 0
            WHERE j.kind = 'country'
            GROUP BY j.code ORDER BY providers DESC, j.name
            """
        )
    ]
    return ListingSummary(
        providers=row["providers"],
        countries=row["countries"],
        verified=row["verified"],
        jurisdictions=row["jurisdictions"],
        by_country=counts,
    )


@dataclass(frozen=True)
class FilledFields:
    """How many listed providers state the facts that filters match on."""

    providers: int
    accepting: int
    payment: int
    price: int


def filled_fields(db: sqlite3.Connection) -> FilledFields:
    """How many listed providers state whether they take new patients, how one pays, a price
    (counted once by the build, so a filtered page costs one small read)."""
    row = db.execute("SELECT value FROM meta WHERE key = 'filled'").fetchone()
    counts = json.loads(row[0]) if row else {}
    return FilledFields(**{name: int(counts.get(name, 0)) for name in FIELDS_FILLED})


FIELDS_FILLED = ("providers", "accepting", "payment", "price")


def jurisdiction_name(db: sqlite3.Connection, code: str) -> str | None:
    """The name of the jurisdiction ``code``, or None when there is no such jurisdiction."""
    row = db.execute("SELECT name FROM jurisdictions WHERE code = ?", [code]).fetchone()
    return None if row is None else str(row["name"])
