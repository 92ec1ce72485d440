"""Human wording for the dataset's codes and values, in one place.

Every page, and anything else that shows a code to a person, takes its words from here, so a
label is changed once. The functions are pure and tested without a server.

>>> payment_label("sliding_scale")
'Sliding-scale fees'
>>> format_price(225, 225, "GBP", "per_session")
'GBP 225 per session'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from directory.dataset.build import TREATMENT_LABELS
from directory.dataset.contact import national_format
from directory.dataset.models import NoteTopic, PaymentOption, QualitySignal
from directory.dataset.provenance import OLD_EVIDENCE_DAYS
from directory.search.params import KM_PER_MILE

UNKNOWN = "unknown"
EN_DASH = "\u2013"  # joins the ends of a price range

PAYMENT_LABELS: dict[str, str] = {
    PaymentOption.CASH: "Self-pay (cash or card)",
    PaymentOption.PRIVATE_INSURANCE: "Private insurance",
    PaymentOption.PUBLIC_INSURANCE: "Public insurance or public health system",
    PaymentOption.FINANCING: "Financing or payment plans",
    PaymentOption.SLIDING_SCALE: "Sliding-scale fees",
}

QUALITY_LABELS: dict[str, str] = {
    QualitySignal.SPRAVATO_REMS_CERTIFIED: "Spravato REMS-certified setting",
    QualitySignal.PHYSICIAN_OVERSIGHT: "Physician oversight",
    QualitySignal.ANAESTHESIA_STAFF: "Anaesthesia staff",
    QualitySignal.PSYCHIATRIST_LED: "Psychiatrist-led",
    QualitySignal.INTEGRATED_THERAPY: "Therapy integrated with treatment",
    QualitySignal.PROFESSIONAL_BODY_MEMBER: "Member of a professional body",
    QualitySignal.ACCREDITED_FACILITY: "Accredited facility",
    QualitySignal.OTHER: "Other",
}

TOPIC_LABELS: dict[str, str] = {
    NoteTopic.LEGAL_STATUS: "Legal status",
    NoteTopic.ESKETAMINE_APPROVAL: "Esketamine approval",
    NoteTopic.PUBLIC_FUNDING: "Public funding",
    NoteTopic.TELEHEALTH_PRESCRIBING: "Prescribing by telehealth",
    NoteTopic.OTHER: "Other rules",
}

STATUS_LABELS: dict[str, str] = {
    "active": "Open",
    "temporarily_closed": "Temporarily closed",
    "closed": "Closed",
}

YES_NO_LABELS: dict[str, str] = {"yes": "Yes", "no": "No", "unknown": "Unknown"}

UNIT_LABELS: dict[str, str] = {
    "per_session": "per session",
    "per_initial_series": "per initial series",
    "per_month": "per month",
}

PRECISION_LABELS: dict[str, str] = {
    "address": "at the street address",
    "postal_code": "approximate: centre of the postal code",
    "city": "approximate: centre of the city",
}

KIND_LABELS: dict[str, str] = {
    "country": "Country",
    "state": "State",
    "province": "Province",
    "territory": "Territory",
    "nation": "Nation",
    "union": "Union",
}

SOURCE_KIND_LABELS: dict[str, str] = {
    "provider": "the provider's own page",
    "register": "an official register",
    "locator": "a health service's locator",
    "directory": "a third-party directory",
    "news": "a news report",
    "other": "another source",
}

TREATMENT_NAMES: dict[str, str] = {code.value: label for code, label in TREATMENT_LABELS.items()}


def _lookup(table: dict[str, str], code: str | None) -> str:
    """The label for ``code``; the code itself if we have no label, "unknown" for nothing."""
    if not code:
        return UNKNOWN
    return table.get(code, code)


def treatment_label(code: str | None) -> str:
    """The name of a treatment code, e.g. "IV ketamine infusion"."""
    return _lookup(TREATMENT_NAMES, code)


def payment_label(code: str | None) -> str:
    """The name of a payment option code."""
    return _lookup(PAYMENT_LABELS, code)


def quality_label(code: str | None) -> str:
    """The name of a quality signal code."""
    return _lookup(QUALITY_LABELS, code)


def topic_label(code: str | None) -> str:
    """The heading of a regulatory note topic."""
    return _lookup(TOPIC_LABELS, code)


def status_label(code: str | None) -> str:
    """The status in words: "Open", "Temporarily closed" or "Closed"."""
    return _lookup(STATUS_LABELS, code)


def yes_no_label(value: str | None) -> str:
    """A yes/no/unknown field in words: "Yes", "No" or "Unknown"."""
    return _lookup(YES_NO_LABELS, value or "unknown")


def precision_label(code: str | None) -> str:
    """How exact a location's map position is."""
    return _lookup(PRECISION_LABELS, code)


def kind_label(code: str | None) -> str:
    """A jurisdiction kind in words: "State", "Province" and so on."""
    return _lookup(KIND_LABELS, code)


def format_amount(value: float) -> str:
    """A price without needless decimals: 450 → "450", 7.7 → "7.70", 1500 → "1,500"."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def format_price(
    low: float | None, high: float | None, currency: str | None, unit: str | None
) -> str:
    """A price range as "USD 450-550 per session" (with an en dash); "unknown" when none."""
    if low is None or currency is None:
        return UNKNOWN
    amount = format_amount(low)
    if high is not None and high != low:
        amount = f"{amount}{EN_DASH}{format_amount(high)}"
    per = UNIT_LABELS.get(unit or "", "")
    return f"{currency} {amount} {per}".strip()


def treatment_price(treatment: Mapping[str, Any]) -> str:
    """The price of a treatment row (``price_min``, ``price_max``, ``currency``, ``unit``)."""
    return format_price(
        treatment.get("price_min"),
        treatment.get("price_max"),
        treatment.get("currency"),
        treatment.get("unit"),
    )


def format_distance(km: float | None, unit: str) -> str:
    """A distance in the chosen unit: "3.2 km", "12 mi"; "unknown" without one."""
    if km is None:
        return UNKNOWN
    value = km / KM_PER_MILE if unit == "mi" else km
    shown = f"{value:.1f}" if value < 10 else f"{value:,.0f}"
    return f"{shown} {unit}"


#: How a distance to a site placed only approximately is qualified.
APPROXIMATE_POSITIONS = {"city": "city-level position", "postal_code": "postal-code position"}


def describe_distance(km: float | None, unit: str, precision: str | None) -> str:
    """A distance as precise as the site's position allows: exact to a street address, "about"
    and whole units to a city's or postal code's centre, never "0.0 km" to a centroid.

    >>> describe_distance(5.26, "km", "city"), describe_distance(0.04, "km", "city")
    ('about 5 km away (city-level position)', 'under 1 km away (city-level position)')
    >>> describe_distance(3.21, "mi", "address")
    '2.0 mi away'
    """
    if km is None:
        return UNKNOWN
    approximate = APPROXIMATE_POSITIONS.get(precision or "")
    if approximate is None:
        return f"{format_distance(km, unit)} away"
    value = km / KM_PER_MILE if unit == "mi" else km
    shown = f"under 1 {unit}" if value < 1 else f"about {value:,.0f} {unit}"
    return f"{shown} away ({approximate})"


def format_radius(radius: float, unit: str) -> str:
    """A search radius as typed: "50 km", "2.5 mi"."""
    return f"{radius:g} {unit}"


def tel_href(phone: str | None) -> str | None:
    """A ``tel:`` URL from a phone number as published: "+1 512-555-0100" → "tel:+15125550100"."""
    if not phone:
        return None
    digits = re.sub(r"\D", "", phone)
    if not digits:
        return None
    return "tel:" + ("+" if phone.strip().startswith("+") else "") + digits


#: What separates two numbers in one published phone field: "0800 111 0 111 / 0800 111 0 222".
_NUMBER_SEPARATORS = re.compile(r"\s*(?:/|;|\bor\b)\s*")


def phone_links(phone: str | None) -> list[tuple[str, str]]:
    """Each number in a published phone field, as (shown, ``tel:`` link).

    >>> phone_links("14416 / 1-800-891-4416")
    [('14416', 'tel:14416'), ('1-800-891-4416', 'tel:18008914416')]
    """
    links = []
    for part in _NUMBER_SEPARATORS.split(phone or ""):
        href = tel_href(part)
        if href is not None:
            links.append((part.strip(), href))
    return links


#: Place names that take "the" inside a sentence ("In crisis in the United States?").
NAMES_WITH_THE = frozenset(
    {"United States", "United Kingdom", "Netherlands", "Philippines", "Czech Republic", "Bahamas"}
)


def place_in_sentence(name: str | None) -> str | None:
    """A place name as a sentence needs it: "the United States", but "Germany".

    >>> place_in_sentence("United States"), place_in_sentence("Germany")
    ('the United States', 'Germany')
    """
    if name in NAMES_WITH_THE:
        return f"the {name}"
    return name


def phone_display(phone: str | None) -> str:
    """An E.164 number as its country writes it: "+15125550100" → "(512) 555-0100"."""
    return national_format(phone) if phone else UNKNOWN


def source_kind_label(code: str | None) -> str:
    """What kind of publisher a source is, in words: "the provider's own page"."""
    return _lookup(SOURCE_KIND_LABELS, code)


def source_dates(published: str | None, retrieved: str | None) -> str:
    """A source's two dates kept apart: its own date if it shows one, and the day it was read.

    >>> source_dates(None, "2026-11-26")
    'the page shows no date; read on 26 November 2026'
    >>> source_dates("2025-03-01", "2026-11-26")
    'page dated 1 March 2025; read on 26 November 2026'
    """
    shown = f"page dated {format_date(published)}" if published else "the page shows no date"
    return f"{shown}; read on {format_date(retrieved)}"


def format_date(value: str | dt.date | None) -> str:
    """An ISO date (or the date part of a timestamp) as "15 January 2026"; "unknown" for none."""
    if not value:
        return UNKNOWN
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return str(value)
    return f"{day.day} {day:%B %Y}"


def days_since(value: str | None, today: dt.date) -> int | None:
    """Whole days from the ISO date ``value`` to ``today``; None when there is no valid date."""
    if not value:
        return None
    try:
        return (today - dt.date.fromisoformat(str(value)[:10])).days
    except ValueError:
        return None


def old_evidence(published: list[str | None], today: dt.date) -> str | None:
    """A warning when the newest date any source shows is years old, else None.

    >>> print(old_evidence(["2021-03-02", None], dt.date(2026, 12, 4)))  # doctest: +ELLIPSIS
    The newest date any source of this record shows is 2 March 2021; the others show none. ... date.
    """
    dated = sorted(day for day in published if day)
    age = days_since(dated[-1], today) if dated else None
    if age is None or age <= OLD_EVIDENCE_DAYS:
        return None
    rest = "; the others show none" if len(dated) < len(published) else ""
    return (
        f"The newest date any source of this record shows is {format_date(dated[-1])}{rest}. "
        "Its facts may be out of date."
    )


def is_stale(last_verified: str | None, today: dt.date, stale_after_days: int) -> bool:
    """Whether a record needs a warning: never verified, or verified too long ago."""
    age = days_since(last_verified, today)
    return age is None or age > stale_after_days


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """A count with its noun: "1 provider", "12 providers"."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"
