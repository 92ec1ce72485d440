"""The lists the public forms offer, in plain words: statuses, answers, price units, payment
options, treatments, currencies, kinds of source, and the places the directory covers.

A form shows a label and posts its code; nobody types a code by hand.

    >>> places = Places.from_rows([
    ...     {"code": "US", "name": "United States", "kind": "country", "parent": None,
    ...      "currency": "USD"},
    ...     {"code": "US-TX", "name": "Texas", "kind": "state", "parent": "US", "currency": None},
    ... ])
    >>> places.resolve("Texas, us")
    (['US-TX', 'US'], [])
    >>> places.resolve("Atlantis")
    ([], ['Atlantis'])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pycountry

from directory.dataset.build import TREATMENT_LABELS
from directory.dataset.models import PaymentOption, TreatmentCode
from directory.presentation.labels import PAYMENT_LABELS, STATUS_LABELS, UNIT_LABELS

Option = tuple[str, str]

STATUS: list[Option] = list(STATUS_LABELS.items())
ANSWERS: list[Option] = [("unknown", "Don't know"), ("yes", "Yes"), ("no", "No")]
UNITS: list[Option] = list(UNIT_LABELS.items())
PAYMENTS: list[Option] = [(option.value, PAYMENT_LABELS[option]) for option in PaymentOption]
TREATMENTS: list[Option] = [(code.value, TREATMENT_LABELS[code]) for code in TreatmentCode]

#: How the person sending a suggestion learned the facts: a page, or the provider itself.
SOURCE_KINDS: list[Option] = [
    ("web", "A web page"),
    ("phone", "A phone call with the provider"),
    ("email", "An email from the provider"),
    ("visit", "A visit to the provider"),
]

_COUNTRY_KIND = "country"
_GROUPING_KINDS = frozenset({"union"})


def label_of(options: Iterable[Option], value: Any) -> str:
    """The label of ``value`` among ``options``, or the value itself when none has it."""
    return next((label for code, label in options if code == value), str(value))


def code_of(options: Iterable[Option], text: str) -> str | None:
    """The code whose code or label is ``text`` (case and spacing ignored), else None."""
    wanted = " ".join(text.split()).casefold()
    for code, label in options:
        if wanted in (code.casefold(), label.casefold()):
            return code
    return None


def currency_label(code: str) -> str:
    """A currency's name with its code, e.g. ``US Dollar (USD)``."""
    currency = pycountry.currencies.get(alpha_3=code)
    return f"{currency.name} ({code})" if currency is not None else code


@dataclass(frozen=True)
class Places:
    """The countries and regions the directory has rules for, with their names."""

    countries: list[Option] = field(default_factory=list)
    regions: dict[str, list[Option]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    currencies: list[Option] = field(default_factory=list)

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Any]]) -> Places:
        """Places from jurisdiction rows (code, name, kind, parent, currency), sorted by name."""
        rows = sorted(rows, key=lambda row: str(row["name"]).casefold())
        countries = [(row["code"], row["name"]) for row in rows if row["kind"] == _COUNTRY_KIND]
        regions: dict[str, list[Option]] = {}
        for row in rows:
            if row["kind"] not in {_COUNTRY_KIND, *_GROUPING_KINDS} and row["parent"]:
                country = str(row["code"]).split("-")[0]
                regions.setdefault(country, []).append((row["code"], row["name"]))
        codes = sorted({str(row["currency"]) for row in rows if row.get("currency")})
        return cls(
            countries=countries,
            regions=regions,
            names={row["code"]: row["name"] for row in rows},
            currencies=[(code, currency_label(code)) for code in codes],
        )

    def region_groups(self) -> list[tuple[str, list[Option]]]:
        """(country name, its regions) for every country that has regions, by country name."""
        return [(name, self.regions[code]) for code, name in self.countries if code in self.regions]

    def regions_of(self, country: str | None) -> list[Option]:
        """The regions of ``country`` (empty when it has none or is unknown)."""
        return self.regions.get(country or "", [])

    def resolve(self, text: str) -> tuple[list[str], list[str]]:
        """The jurisdiction codes that the comma-separated names or codes in ``text`` stand for,
        and the words that matched none."""
        options = list(self.names.items())
        codes: list[str] = []
        unknown: list[str] = []
        for word in (part.strip() for part in re.split(r"[,;\n]+", text)):
            if not word:
                continue
            code = code_of(options, word)
            if code is None:
                unknown.append(word)
            elif code not in codes:
                codes.append(code)
        return codes, unknown

    def describe(self, codes: Iterable[str]) -> str:
        """Codes as names, comma-separated (``US-TX, US-OK`` gives ``Texas, Oklahoma``)."""
        return ", ".join(self.names.get(code, code) for code in codes)
