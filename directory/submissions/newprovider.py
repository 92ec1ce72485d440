"""The "Add a provider" form: the dataset's fields in a form, built into a provider record.

The record is checked with the same model as the dataset, and each complaint is shown next
to the form field it is about. The id is made from the name and city; a maintainer can
change it in review.

    >>> make_id("Café Ketamine & Co.", "São Paulo")
    'cafe-ketamine-co-sao-paulo'
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from directory.dataset.contact import to_e164
from directory.dataset.models import PaymentOption, TreatmentCode
from directory.submissions import choices
from directory.submissions.choices import Places
from directory.submissions.diff import plain
from directory.submissions.forms import (
    CONTACT_LIMITS,
    check_contact,
    check_length,
    check_url,
    clean,
    contact_of,
    provider_errors,
    require_url,
)
from directory.submissions.workspace import Workspace
from directory.submissions.yamlio import SUBMITTED_KEY, cite_all, new_document

#: Single-value fields and their length limits.
TEXT_LIMITS = {
    "name": 300,
    "organisation": 300,
    "website": 2000,
    "phone": 40,
    "status": 40,
    "street": 300,
    "city": 300,
    "postal_code": 16,
    "region": 10,
    "country": 2,
    "telehealth_areas": 500,
    "price_treatment": 60,
    "price_min": 20,
    "price_max": 20,
    "price_currency": 3,
    "price_unit": 40,
    "accepting_new_patients": 10,
    "referral_required": 10,
    "notes": 4000,
    "source_url": 2000,
    "source_title": 300,
    **CONTACT_LIMITS,
}
TEXT_FIELDS = tuple(TEXT_LIMITS)
LIST_FIELDS = ("treatments", "payment_options")
SOURCE_NOTE = "Submitted through the public form; not yet confirmed."

_LOCATION_FIELDS = ("street", "city", "postal_code", "region", "country")
_PRICE_FIELDS = ("price_min", "price_max", "price_currency", "price_unit")
#: Where a complaint about a record field is shown in the form.
_FORM_FIELD = {
    "id": "name",
    "sources[0].url": "source_url",
    "sources[0].title": "source_title",
    "screening.referral_required": "referral_required",
}


@dataclass
class Built:
    """The record built from the form, or the messages to show (keyed by form field)."""

    record: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    cleaned: dict[str, Any] = field(default_factory=dict)
    contact: str = ""


def form_choices(places: Places) -> dict[str, Any]:
    """The options of the form's lists, as (value, label) pairs; regions grouped by country."""
    return {
        "treatments": choices.TREATMENTS,
        "payment_options": choices.PAYMENTS,
        "status": choices.STATUS,
        "answers": choices.ANSWERS,
        "units": choices.UNITS,
        "countries": places.countries,
        "region_groups": places.region_groups(),
        "currencies": places.currencies,
    }


def make_id(name: str, city: str) -> str:
    """A provider id from its name and city: lower-case ASCII words joined by hyphens."""
    text = unicodedata.normalize("NFKD", f"{name} {city}").encode("ascii", "ignore").decode()
    slug = "-".join(re.findall(r"[a-z0-9]+", text.lower()))[:100].strip("-")
    return slug if len(slug) >= 2 else f"provider-{secrets.token_hex(3)}"


def free_id(workspace: Workspace, wanted: str) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3``… if a record already has that id."""
    candidate, number = wanted, 1
    while workspace.provider_file(candidate).exists():
        number += 1
        candidate = f"{wanted}-{number}"
    return candidate


def _form_field(path: str) -> str:
    if path in _FORM_FIELD:
        return str(_FORM_FIELD[path])
    parts: list[str] = re.findall(r"[a-z_]+", path)
    if not parts:
        return ""
    if parts[0] == "locations":
        return parts[-1] if parts[-1] in _LOCATION_FIELDS else "city"
    if parts[0] == "treatments":
        if parts[-1] == "price":  # the range as a whole, e.g. a minimum above the maximum
            return "price_max"
        return f"price_{parts[-1]}" if f"price_{parts[-1]}" in _PRICE_FIELDS else "treatments"
    if parts[0] in TEXT_LIMITS or parts[0] in LIST_FIELDS:
        return parts[0]
    return ""


def build(
    workspace: Workspace,
    form: Mapping[str, str],
    getlist: Callable[[str], list[str]],
    today: dt.date,
    places: Places | None = None,
) -> Built:
    """Build and check the record the form describes (places named in words are looked up
    in ``places``)."""
    places = places or Places()
    text = {name: clean(form.get(name), multiline=name == "notes") for name in TEXT_LIMITS}
    lists = {name: [clean(item) for item in getlist(name)][:50] for name in LIST_FIELDS}
    built = Built(cleaned={**{k: v for k, v in text.items() if k not in CONTACT_LIMITS}, **lists})
    built.contact = contact_of(text)
    for name, limit in TEXT_LIMITS.items():
        message = check_length(text[name], limit)
        if message:
            built.errors[name] = message
    _require(built, text, lists, places)
    if built.errors:
        return built
    areas, _ = places.resolve(text["telehealth_areas"])
    record = _record(workspace, text, lists, today, areas)
    for path, message in provider_errors(record, today):
        built.errors.setdefault(_form_field(path), message)
    _check_jurisdictions(workspace, record, built)
    built.record = record
    return built


def _require(
    built: Built, text: Mapping[str, str], lists: Mapping[str, list[str]], places: Places
) -> None:
    errors = built.errors
    _require_place(errors, text, places)
    check_contact(errors, text)
    if not text["name"]:
        errors.setdefault("name", "give it as the provider writes it")
    require_url(
        errors, "source_url", text["source_url"], "give the web address where you read these facts"
    )
    if text["website"] and "website" not in errors:
        message = check_url(text["website"])
        if message:
            errors["website"] = message
    if text["phone"] and "phone" not in errors:
        try:
            to_e164(text["phone"], text["country"])
        except ValueError as exc:
            errors["phone"] = str(exc)
    known = {code.value for code in TreatmentCode}
    if not lists["treatments"]:
        errors.setdefault("treatments", "tick at least one treatment")
    elif any(code not in known for code in lists["treatments"]):
        errors.setdefault("treatments", "choose treatments from the list")
    payments = {option.value for option in PaymentOption}
    if any(option not in payments for option in lists["payment_options"]):
        errors.setdefault("payment_options", "choose payment options from the list")
    has_place = any(text[name] for name in _LOCATION_FIELDS)
    if has_place and not text["city"]:
        errors.setdefault("city", "needed when there is an address")
    if has_place and not text["country"]:
        errors.setdefault("country", "choose one from the list for the address")
    if not has_place and not text["telehealth_areas"]:
        errors.setdefault("city", "give an address, or the places it treats by video")
    if any(text[name] for name in _PRICE_FIELDS):
        for name in _PRICE_FIELDS:
            if not text[name]:
                errors.setdefault(name, "needed for a price")
        if text["price_treatment"] not in lists["treatments"]:
            errors.setdefault("price_treatment", "choose one of the treatments you ticked")
        for name in ("price_min", "price_max"):
            if text[name] and not re.fullmatch(r"\d{1,7}(\.\d{1,2})?", text[name].replace(",", "")):
                errors.setdefault(name, "enter an amount such as 450")


def _require_place(errors: dict[str, str], text: Mapping[str, str], places: Places) -> None:
    """The country and region must come from the lists, the region from the chosen country's,
    and every place it treats by video must be one the directory covers."""
    country, region = text["country"].upper(), text["region"].upper()
    if country and country not in dict(places.countries):
        errors.setdefault("country", "choose a country from the list")
    elif region:
        if "-" not in region and country:
            region = f"{country}-{region}"
        if region not in dict(places.regions_of(country)):
            errors.setdefault("region", "choose a state or region of the country you chose")
    if text["telehealth_areas"]:
        _, unknown = places.resolve(text["telehealth_areas"])
        if unknown:
            words = ", ".join(f"“{word}”" for word in unknown)
            errors.setdefault("telehealth_areas", f"the directory has no place called {words}")


def _record(
    workspace: Workspace,
    text: Mapping[str, str],
    lists: Mapping[str, list[str]],
    today: dt.date,
    areas: list[str],
) -> dict[str, Any]:
    source: dict[str, Any] = {"key": SUBMITTED_KEY, "kind": "other", "url": text["source_url"]}
    if text["source_title"]:
        source["title"] = text["source_title"]
    source["retrieved"] = today.isoformat()
    source["note"] = SOURCE_NOTE
    record: dict[str, Any] = {
        "id": free_id(workspace, make_id(text["name"], text["city"])),
        "name": text["name"],
        "status": text["status"] or "active",
        "illustrative": False,
    }
    for name in ("organisation", "website"):
        if text[name]:
            record[name] = text[name]
    if text["phone"]:
        record["phone"] = to_e164(text["phone"], text["country"])
    record["locations"] = [_location(text)] if text["city"] or text["country"] else []
    record["telehealth_areas"] = areas
    record["treatments"] = [_treatment(code, text, today) for code in lists["treatments"]]
    record["payment_options"] = lists["payment_options"]
    record["accepting_new_patients"] = text["accepting_new_patients"] or "unknown"
    record["screening"] = {"referral_required": text["referral_required"] or "unknown"}
    record["sources"] = [source]
    record["last_verified"] = {"date": None, "by": None}
    record["do_not_list"] = False
    # Every fact comes from the one source the sender gave.
    document = new_document(record)
    cite_all(document, SUBMITTED_KEY)
    cited: dict[str, Any] = plain(document)
    return cited


def _location(text: Mapping[str, str]) -> dict[str, Any]:
    country = text["country"].upper()
    region = text["region"].upper()
    if region and "-" not in region and country:
        region = f"{country}-{region}"
    location: dict[str, Any] = {}
    if text["street"]:
        location["street"] = text["street"]
    location["city"] = text["city"]
    if text["postal_code"]:
        location["postal_code"] = text["postal_code"]
    if region:
        location["region"] = region
    location["country"] = country
    return location


def _treatment(code: str, text: Mapping[str, str], today: dt.date) -> dict[str, Any]:
    treatment: dict[str, Any] = {"code": code}
    if text["price_treatment"] == code and text["price_min"]:
        treatment["price"] = {
            "min": _amount(text["price_min"]),
            "max": _amount(text["price_max"]),
            "currency": text["price_currency"].upper(),
            "unit": text["price_unit"],
            "source": SUBMITTED_KEY,
        }
    return treatment


def _amount(text: str) -> int | float:
    number = float(text.replace(",", ""))
    return int(number) if number.is_integer() else number


def _check_jurisdictions(workspace: Workspace, record: Mapping[str, Any], built: Built) -> None:
    for location in record["locations"]:
        for name in ("country", "region"):
            code = location.get(name)
            if code and name not in built.errors and not workspace.has_jurisdiction(code):
                built.errors[name] = f"the directory does not cover {code} yet"
    missing = [code for code in record["telehealth_areas"] if not workspace.has_jurisdiction(code)]
    if missing and "telehealth_areas" not in built.errors:
        built.errors["telehealth_areas"] = f"the directory does not cover {', '.join(missing)} yet"
