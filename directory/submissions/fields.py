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
from directory.submissions import choices
from directory.submissions.choices import Option
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

#: How a field's new value is entered: one of a list, several of a list, the names of places,
#: or typed text of a kind (a browser then offers the right keyboard or checks).
ENTRIES = ("choice", "choices", "places", "text", "area", "tel", "url", "number")

_TOP_LEVEL: tuple[tuple[str, str, str, list[Option]], ...] = (
    ("name", "Name", "text", []),
    ("organisation", "Organisation", "text", []),
    ("status", "Open or closed", "choice", choices.STATUS),
    ("website", "Website", "url", []),
    ("phone", "Phone", "tel", []),
    ("accepting_new_patients", "Accepting new patients", "choice", choices.ANSWERS),
    ("payment_options", "Ways to pay", "choices", choices.PAYMENTS),
    ("telehealth_areas", "Where it treats by video", "places", []),
    ("screening.referral_required", "Whether a referral is needed", "choice", choices.ANSWERS),
)
_LOCATION = (
    ("label", "name of the site", "text"),
    ("street", "street", "text"),
    ("city", "city", "text"),
    ("postal_code", "postal code", "text"),
)
_PRICE = (
    ("min", "lowest price", "number"),
    ("max", "highest price", "number"),
    ("currency", "currency", "choice"),
    ("unit", "what the price is for", "choice"),
    ("includes", "what the price includes", "text"),
)


@dataclass(frozen=True)
class FieldChoice:
    """A field the public can suggest a new value for: its label, its current value in plain
    words, how a new value is entered (one of ``ENTRIES``) and the options to choose from."""

    path: str
    label: str
    current: str
    entry: str = "text"
    options: tuple[Option, ...] = ()


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


def suggestible_fields(
    record: Mapping[str, Any], places: choices.Places | None = None
) -> list[FieldChoice]:
    """The fields of ``record`` the suggestion form offers, in page order, with the regions
    and currencies of ``places`` to choose from."""
    return list(_choices(record, places or choices.Places()))


def _choice(
    record: Mapping[str, Any],
    path: str,
    label: str,
    entry: str,
    options: list[Option],
    places: choices.Places,
) -> FieldChoice:
    value = get_at(record, path)
    if entry == "choice" and value == "unknown":
        current = ""  # shown as "not yet known", as every empty field is
    elif entry == "choice" and value is not None:
        current = choices.label_of(options, value)
    elif entry == "choices" and isinstance(value, list):
        current = ", ".join(choices.label_of(options, item) for item in value)
    elif entry == "places" and isinstance(value, list):
        current = places.describe(str(item) for item in value)
    else:
        current = as_text(value)
    return FieldChoice(path, label, current, entry, tuple(options))


def _choices(record: Mapping[str, Any], places: choices.Places) -> Iterator[FieldChoice]:
    for path, label, entry, options in _TOP_LEVEL:
        yield _choice(record, path, label, entry, options, places)
    locations = record.get("locations") or []
    for index, location in enumerate(locations):
        if not isinstance(location, Mapping):
            continue
        where = f"Address {index + 1} ({location.get('city', '')})"
        for key, label, entry in _LOCATION:
            path = f"locations[{index}].{key}"
            yield _choice(record, path, f"{where}: {label}", entry, [], places)
        regions = places.regions_of(location.get("country"))
        if regions:  # a region is chosen from the country's list, never typed as a code
            path = f"locations[{index}].region"
            yield _choice(record, path, f"{where}: state or region", "choice", regions, places)
    treatments = record.get("treatments") or []
    for index, treatment in enumerate(treatments):
        if not isinstance(treatment, Mapping):
            continue
        name = _treatment_name(treatment.get("code"))
        path = f"treatments[{index}].notes"
        yield _choice(record, path, f"{name}: notes", "area", [], places)
        if isinstance(treatment.get("price"), Mapping):
            for key, label, entry in _PRICE:
                path = f"treatments[{index}].price.{key}"
                options = {"currency": places.currencies, "unit": choices.UNITS}.get(key, [])
                yield _choice(record, path, f"{name}: {label}", entry, options, places)


def _treatment_name(code: Any) -> str:
    try:
        return TREATMENT_LABELS[TreatmentCode(str(code))]
    except ValueError:
        return str(code)
