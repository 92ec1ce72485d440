"""Which records need a maintainer's attention: not verified lately, unsourced, or suspicious.

Records are read with future dates allowed, so a date in the future is reported here as
suspicious rather than hiding the whole record behind a validation error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from directory.dataset.loader import iter_providers
from directory.dataset.models import Provider
from directory.dataset.provenance import OLD_EVIDENCE_DAYS
from directory.submissions.contradictions import contradictions

MAX_PLAUSIBLE_PRICE = 20_000


@dataclass(frozen=True)
class Finding:
    """One record and what is wrong with it."""

    id: str
    name: str
    detail: str
    hidden: bool = False


@dataclass
class Report:
    """The freshness report, one list per kind of problem."""

    stale: list[Finding] = field(default_factory=list)
    unsourced: list[Finding] = field(default_factory=list)
    suspicious: list[Finding] = field(default_factory=list)
    contradictions: list[Finding] = field(default_factory=list)
    old_evidence: list[Finding] = field(default_factory=list)
    invalid: list[Finding] = field(default_factory=list)
    hidden: list[Finding] = field(default_factory=list)
    checked: int = 0

    def sections(self) -> list[tuple[str, list[Finding]]]:
        """Headings and findings, in the order pages and the command show them."""
        return [
            ("Not verified recently", self.stale),
            ("Without sources", self.unsourced),
            ("Suspicious values", self.suspicious),
            ("Notes that contradict a field", self.contradictions),
            ("Newest dated evidence more than two years old", self.old_evidence),
            ("Invalid records", self.invalid),
            ("Hidden from the public site (do not list)", self.hidden),
        ]


def check_freshness(data_dir: Path, stale_after_days: int, today: dt.date | None = None) -> Report:
    """Read every provider in ``data_dir`` and sort its problems into a :class:`Report`."""
    today = today or dt.date.today()
    report = Report()
    for loaded in iter_providers(data_dir, dt.date.max):
        report.checked += 1
        provider = loaded.provider
        if provider is None:
            if any(error.field.startswith("sources") for error in loaded.errors):
                report.unsourced.append(Finding(loaded.record, loaded.record, "no usable source"))
            for error in loaded.errors:
                where = f"{error.field}: " if error.field else ""
                report.invalid.append(Finding(loaded.record, loaded.record, where + error.message))
            continue
        hidden = provider.do_not_list
        if hidden:
            report.hidden.append(Finding(provider.id, provider.name, "do_not_list is set", True))
        stale = _staleness(provider, stale_after_days, today)
        if stale:
            report.stale.append(Finding(provider.id, provider.name, stale, hidden))
        if not provider.sources:
            report.unsourced.append(Finding(provider.id, provider.name, "no sources", hidden))
        report.suspicious += [
            Finding(provider.id, provider.name, detail, hidden)
            for detail in suspicious_values(provider, today)
        ]
        report.contradictions += [
            Finding(provider.id, provider.name, found.detail, hidden)
            for found in contradictions(provider)
        ]
        dated = [source.published for source in provider.sources if source.published]
        if dated and (today - max(dated)).days > OLD_EVIDENCE_DAYS:
            newest = f"newest dated source {max(dated).isoformat()}"
            report.old_evidence.append(Finding(provider.id, provider.name, newest, hidden))
    report.stale.sort(key=lambda finding: finding.detail)
    return report


def _staleness(provider: Provider, stale_after_days: int, today: dt.date) -> str | None:
    verified = provider.last_verified.date
    if verified is None:
        return "never verified"
    age = (today - verified).days
    if age > stale_after_days:
        return f"last verified {verified.isoformat()} ({age} days ago)"
    return None


def suspicious_values(provider: Provider, today: dt.date) -> list[str]:
    """Values that are allowed but probably wrong."""
    found = []
    for index, treatment in enumerate(provider.treatments):
        price = treatment.price
        if price is None:
            continue
        where = f"treatments[{index}].price"
        if price.min == 0:
            found.append(f"{where}.min is 0 (free treatment?)")
        if price.max > MAX_PLAUSIBLE_PRICE:
            found.append(f"{where}.max is {price.max:,.0f}, above {MAX_PLAUSIBLE_PRICE:,}")
    if not provider.phone and not provider.website:
        found.append("no phone number or website: no way to contact it")
    for index, source in enumerate(provider.sources):
        for name, value in (("published", source.published), ("retrieved", source.retrieved)):
            if value is not None and value > today:
                found.append(f"sources[{index}].{name} {value.isoformat()} is in the future")
    verified = provider.last_verified.date
    if verified is not None and verified > today:
        found.append(f"last_verified.date {verified.isoformat()} is in the future")
    if provider.status == "closed" and provider.accepting_new_patients == "yes":
        found.append("closed, yet accepting new patients")
    return found
