"""How complete the built directory is: the figures the dataset is held to, and what each
record lacks.

Read from the built database (what the site and the API serve), real listed providers only:
illustrative records and providers who asked not to be listed are left out.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from directory.dataset.models import CORE_TOPICS, FIRST_HAND_KINDS

#: What a record can lack, in the order the completeness list names it.
RECORD_FACTS = (
    "phone",
    "website",
    "street address",
    "postal code",
    "price",
    "payment options",
    "accepting new patients",
    "screening",
)


@dataclass
class RecordCompleteness:
    """One record's completeness: the share of :data:`RECORD_FACTS` it states, and the rest."""

    id: str
    score: float
    missing: list[str]


@dataclass
class Coverage:
    """The dataset's figures."""

    providers: int = 0
    by_country: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    reachable: int = 0
    with_phone: int = 0
    priced: int = 0
    third_party_only: list[str] = field(default_factory=list)
    sites: int = 0
    sites_by_precision: dict[str, int] = field(default_factory=dict)
    #: Per country with a provider: topic -> "own", "inherited from EU" or "missing".
    country_notes: dict[str, dict[str, str]] = field(default_factory=dict)
    records: list[RecordCompleteness] = field(default_factory=list)

    def share(self, count: int) -> float:
        """``count`` as a share of all providers (0 when there are none)."""
        return count / self.providers if self.providers else 0.0

    @property
    def sites_finer_than_city(self) -> int:
        """Sites placed by postal code or address rather than a city's centre."""
        return sum(n for precision, n in self.sites_by_precision.items() if precision != "city")

    def as_json(self) -> dict[str, Any]:
        """The figures as plain data, with the shares worked out."""
        data = asdict(self)
        data["shares"] = {
            "reachable": round(self.share(self.reachable), 4),
            "with_phone": round(self.share(self.with_phone), 4),
            "priced": round(self.share(self.priced), 4),
            "sites_finer_than_city": round(self.sites_finer_than_city / self.sites, 4)
            if self.sites
            else 0.0,
        }
        return data


_LISTED = "p.illustrative = 0 AND p.do_not_list = 0"


def measure(db: sqlite3.Connection) -> Coverage:
    """The coverage figures of the built database ``db``."""
    coverage = Coverage()
    rows = db.execute(
        f"SELECT p.id, p.country, p.status, p.website, p.phone, p.accepting_new_patients, "
        f"p.referral_required, p.screening_notes, p.payment_options_json FROM providers p "
        f"WHERE {_LISTED} ORDER BY p.id"
    ).fetchall()
    priced = {r[0] for r in db.execute("SELECT provider_id FROM treatments WHERE price_min >= 0")}
    requirements = {r[0] for r in db.execute("SELECT provider_id FROM screening_requirements")}
    streets: dict[str, bool] = defaultdict(bool)
    postal: dict[str, bool] = defaultdict(bool)
    precision: Counter[str] = Counter()
    for provider_id, street, code, where in db.execute(
        f"SELECT l.provider_id, l.street, l.postal_code, l.precision FROM locations l "
        f"JOIN providers p ON p.id = l.provider_id WHERE {_LISTED}"
    ):
        streets[provider_id] |= bool(street)
        postal[provider_id] |= bool(code)
        precision[where] += 1
    kinds: dict[str, set[str]] = defaultdict(set)
    for provider_id, kind in db.execute(
        "SELECT ps.provider_id, s.kind FROM provider_sources ps "
        "JOIN sources s ON s.id = ps.source_id"
    ):
        kinds[provider_id].add(kind or "other")
    countries: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    for row in rows:
        provider_id, country, status, website, phone, accepting, referral, notes, payments = row
        countries[country] += 1
        statuses[status] += 1
        coverage.reachable += bool(website or phone)
        coverage.with_phone += bool(phone)
        coverage.priced += provider_id in priced
        if not kinds[provider_id] & {kind.value for kind in FIRST_HAND_KINDS}:
            coverage.third_party_only.append(provider_id)
        known = {
            "phone": bool(phone),
            "website": bool(website),
            "street address": streets[provider_id],
            "postal code": postal[provider_id],
            "price": provider_id in priced,
            "payment options": payments not in (None, "[]"),
            "accepting new patients": accepting != "unknown",
            "screening": referral != "unknown" or bool(notes) or provider_id in requirements,
        }
        missing = [fact for fact in RECORD_FACTS if not known[fact]]
        score = round(1 - len(missing) / len(RECORD_FACTS), 2)
        coverage.records.append(RecordCompleteness(provider_id, score, missing))
    coverage.providers = len(rows)
    coverage.by_country = dict(sorted(countries.items(), key=lambda item: (-item[1], item[0])))
    coverage.by_status = dict(sorted(statuses.items()))
    coverage.sites = sum(precision.values())
    coverage.sites_by_precision = dict(sorted(precision.items()))
    coverage.country_notes = _country_notes(db, sorted(countries))
    return coverage


def _country_notes(db: sqlite3.Connection, countries: list[str]) -> dict[str, dict[str, str]]:
    topics: dict[str, set[str]] = defaultdict(set)
    for code, topic in db.execute("SELECT jurisdiction_code, topic FROM jurisdiction_notes"):
        topics[code].add(topic)
    parents = dict(db.execute("SELECT code, parent FROM jurisdictions").fetchall())
    result: dict[str, dict[str, str]] = {}
    for country in countries:
        found: dict[str, str] = {}
        for topic in CORE_TOPICS:
            if topic in topics[country]:
                found[topic] = "own"
                continue
            parent = parents.get(country)
            inherited = parent is not None and topic in topics.get(parent, set())
            found[topic] = f"inherited from {parent}" if inherited else "missing"
        result[country] = found
    return result


def report(coverage: Coverage, records: int = 10) -> str:
    """The figures as text for the command line; the ``records`` least complete records."""
    sites = coverage.sites or 1
    lines = [
        f"providers: {coverage.providers} in {len(coverage.by_country)} countries",
        "  by country: " + ", ".join(f"{c} {n}" for c, n in coverage.by_country.items()),
        "  by status: " + ", ".join(f"{s} {n}" for s, n in coverage.by_status.items()),
        f"reachable (website or phone): {coverage.reachable} "
        f"({coverage.share(coverage.reachable):.0%})",
        f"with a phone: {coverage.with_phone} ({coverage.share(coverage.with_phone):.0%})",
        f"with a price: {coverage.priced} ({coverage.share(coverage.priced):.0%})",
        f"sites: {coverage.sites}, placed finer than a city's centre: "
        f"{coverage.sites_finer_than_city} ({coverage.sites_finer_than_city / sites:.0%})",
        "  by precision: " + ", ".join(f"{p} {n}" for p, n in coverage.sites_by_precision.items()),
        f"records whose only sources are third-party: {len(coverage.third_party_only)}"
        + (f" ({', '.join(coverage.third_party_only)})" if coverage.third_party_only else ""),
        "notes by topic per country:",
    ]
    for country, topics in coverage.country_notes.items():
        lines.append(f"  {country}: " + ", ".join(f"{t} {state}" for t, state in topics.items()))
    average = (
        sum(r.score for r in coverage.records) / len(coverage.records) if coverage.records else 0
    )
    lines.append(f"completeness: mean score {average:.2f} over {len(RECORD_FACTS)} facts")
    for record in sorted(coverage.records, key=lambda r: (r.score, r.id))[:records]:
        lines.append(f"  {record.id} ({record.score:.2f}): missing {', '.join(record.missing)}")
    return "\n".join(lines)
