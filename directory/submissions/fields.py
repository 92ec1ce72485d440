"""What each field of a provider record holds: which fields the public may suggest changes
to, how a typed-in value becomes the field's value, and which values are dates.

    >>> coerce_value("payment_options", "cash, financing")
    ['cash', 'financing']
    >>> coerce_value("treatments[0].price.max", "1200")
    1200
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from directory.dataset.build import TREATMENT_LABELS
from directory.dataset.contact import region_of, to_e164
from directory.dataset.models import TreatmentCode
from directory.submissions.diff import get_at, parse_path

NUMBER_KEYS = frozenset({"min", "max", "latitude", "longitude"})
LIST_KEYS = frozenset({"payment_options", "telehealth_areas", "requirements"})
BOOL_KEYS = frozenset({"illustrative", "do_not_list"})
DATE_KEYS = frozenset({"as_of", "valid_until", "retrieved", "published", "date", "confirmed_on"})
TRUE_WORDS = frozenset({"yes", "true", "1", "on"})
FALSE_WORDS = frozenset({"no", "false", "0", "off"})
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

#: The value the suggestion form uses for "something else; described in words".
OTHER = "other"

_TOP_LEVEL = (
    ("name", "Name"),
    ("organisation", "Organisation"),
    ("status", "Status (active, temporarily_closed, closed)"),
    ("website", "Website"),
    ("phone", "Phone"),
    ("accepting_new_patients", "Accepting new patients (yes, no, unknown)"),
    ("payment_options", "Payment options (comma-separated)"),
    ("telehealth_areas", "Telehealth areas (comma-separated codes such as US-TX)"),
    ("screening.referral_required", "Referral required (yes, no, unknown)"),
)
_LOCATION = (
    ("label", "name of the site"),
    ("street", "street"),
    ("city", "city"),
    ("postal_code", "postal code"),
    ("region", "region code"),
)
_PRICE = (
    ("min", "lowest price"),
    ("max", "highest price"),
    ("currency", "currency"),
    ("unit", "price unit (per_session, per_initial_series, per_month)"),
    ("includes", "what the price includes"),
)


@dataclass(frozen=True)
class FieldChoice:
    """A field the public can suggest a new value for, with its current value as text."""

    path: str
    label: str
    current: str


def last_key(path: str) -> str:
    """The last named part of ``path`` (``treatments[0].price.min`` gives ``min``)."""
    names = [part for part in parse_path(path) if isinstance(part, str)]
    return names[-1]


def as_text(value: Any) -> str:
    """A field value as the text a form shows: lists comma-separated, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list) and all(not isinstance(item, dict | list) for item in value):
        return ", ".join(str(item) for item in value)
    return str(value)


def coerce_value(path: str, text: str, current: Any = None) -> Any:
    """The typed value of ``text`` for field ``path``: empty removes, lists split on commas.

    Raises ValueError with a message for the person who typed it.
    """
    text = text.strip()
    key = last_key(path)
    if text == "":
        return None
    if key in BOOL_KEYS or isinstance(current, bool):
        word = text.lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError("enter yes or no")
    if key == "phone":
        return to_e164(text, region_of(current if isinstance(current, str) else None))
    if key in LIST_KEYS or isinstance(current, list):
        return [item.strip() for item in text.split(",") if item.strip()]
    if key in NUMBER_KEYS or (isinstance(current, int | float) and not isinstance(current, bool)):
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            raise ValueError("enter a number, such as 450") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError("enter a number, such as 450")
        return int(number) if number.is_integer() else number
    return text


def yaml_value(key: str | int | None, value: Any) -> Any:
    """``value`` ready for a YAML file: ISO date strings under date keys become dates."""
    if isinstance(value, dict):
        return {name: yaml_value(name, item) for name, item in value.items()}
    if isinstance(value, list):
        return [yaml_value(key, item) for item in value]
    if (
        isinstance(key, str)
        and key in DATE_KEYS
        and isinstance(value, str)
        and ISO_DATE.match(value)
    ):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def suggestible_fields(record: Mapping[str, Any]) -> list[FieldChoice]:
    """The fields of ``record`` the suggestion form offers, in page order."""
    return list(_choices(record))


def _choices(record: Mapping[str, Any]) -> Iterator[FieldChoice]:
    for path, label in _TOP_LEVEL:
        yield FieldChoice(path, label, as_text(get_at(record, path)))
    locations = record.get("locations") or []
    for index, location in enumerate(locations):
        place = location.get("city", "") if isinstance(location, Mapping) else ""
        for key, label in _LOCATION:
            path = f"locations[{index}].{key}"
            yield FieldChoice(
                path, f"Address {index + 1} ({place}): {label}", as_text(get_at(record, path))
            )
    treatments = record.get("treatments") or []
    for index, treatment in enumerate(treatments):
        if not isinstance(treatment, Mapping):
            continue
        name = _treatment_name(treatment.get("code"))
        path = f"treatments[{index}].notes"
        yield FieldChoice(path, f"{name}: notes", as_text(get_at(record, path)))
        if isinstance(treatment.get("price"), Mapping):
            for key, label in _PRICE:
                path = f"treatments[{index}].price.{key}"
                yield FieldChoice(path, f"{name}: {label}", as_text(get_at(record, path)))


def _treatment_name(code: Any) -> str:
    try:
        return TREATMENT_LABELS[TreatmentCode(str(code))]
    except ValueError:
        return str(code)
