"""Public submissions: a posted form becomes a queued submission, or messages and nothing stored.

Every post is first checked against the honeypot and the per-client rate limit, then
validated field by field. A suggestion to change a field is also checked against the data
format (a phone number too long, a currency that does not exist...), so the person hears
about it while they can still fix it. Only a valid submission reaches :func:`store.add`.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import logging
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from directory.dataset.codes import is_currency_code
from directory.dataset.provenance import key_field_for
from directory.submissions import newprovider, ratelimit, store
from directory.submissions.choices import SOURCE_KINDS, Places, code_of, label_of
from directory.submissions.diff import FieldChange, changes_to_json, get_at, set_at
from directory.submissions.fields import (
    OTHER,
    FieldChoice,
    coerce_value,
    last_key,
    suggestible_fields,
)
from directory.submissions.forms import (
    CONTACT_LIMITS,
    HONEYPOT,
    Outcome,
    check_contact,
    check_length,
    check_url,
    clean,
    contact_of,
    echo,
    provider_errors,
    require_url,
)
from directory.submissions.workspace import Workspace
from directory.submissions.yamlio import content_hash, read_record

log = logging.getLogger(__name__)

LIMITS = {
    "field": 200,
    "proposed": 2000,
    "explanation": 4000,
    "source_kind": 10,
    "source_url": 2000,
    "source_date": 10,
    **CONTACT_LIMITS,
}
SUGGESTION_FIELDS = tuple(LIMITS)
#: The earliest year a call, email or visit given as a source may be from.
EARLIEST_SOURCE_YEAR = 2000
RATE_BUCKET = "submit"
REFUSED = "This form could not be accepted. If you are a person, please leave hidden fields empty."
LIMITED = "You have sent a lot of suggestions in the last hour. Please try again later."


@dataclass(frozen=True)
class Target:
    """A provider a suggestion can be about, read from its file."""

    id: str
    name: str
    record: dict[str, Any]
    hash: str
    fields: list[FieldChoice]

    def field(self, path: str | None) -> FieldChoice | None:
        """The suggestible field ``path``, or None."""
        return next((choice for choice in self.fields if choice.path == path), None)


def record_area(record: Mapping[str, Any]) -> str | None:
    """Where a record's provider works (its first site's region or country, else its first
    telehealth area), for the crisis lines its pages show."""
    for location in record.get("locations") or []:
        if isinstance(location, Mapping) and (location.get("region") or location.get("country")):
            return str(location.get("region") or location.get("country"))
    areas = record.get("telehealth_areas") or []
    return str(areas[0]) if areas else None


def suggestion_target(
    workspace: Workspace, provider_id: str, places: Places | None = None
) -> Target | None:
    """The listed provider ``provider_id`` with the fields one can suggest (regions and
    currencies chosen from ``places``), or None."""
    try:
        record, digest = read_record(workspace.provider_file(provider_id))
    except (ValueError, OSError):
        return None  # an invalid id or an unreadable file: there is no page to suggest on
    if record is None or record.get("do_not_list") is True or record.get("id") != provider_id:
        return None
    return Target(
        id=provider_id,
        name=str(record.get("name", provider_id)),
        record=record,
        hash=digest,
        fields=suggestible_fields(record, places),
    )


def _guarded(
    connection: sqlite3.Connection, workspace: Workspace, form: Mapping[str, str], client: str
) -> str | None:
    """A refusal message for a bot or a client over its limit; None to go on."""
    if form.get(HONEYPOT):
        return REFUSED
    if not ratelimit.attempt(
        connection, workspace.rate_secret, RATE_BUCKET, client, workspace.submit_limit
    ):
        return LIMITED
    return None


def submit_suggestion(
    connection: sqlite3.Connection,
    workspace: Workspace,
    target: Target,
    form: Mapping[str, str],
    client: str,
    today: dt.date | None = None,
    getlist: Callable[[str], list[str]] | None = None,
    places: Places | None = None,
) -> Outcome:
    """Queue a suggested change to ``target``, or say what to fix (nothing is stored then).

    ``getlist`` gives every value of a posted name (several ticked options); ``places``
    turns the names of places into their codes.
    """
    today = today or dt.date.today()
    values: dict[str, Any] = echo(form, SUGGESTION_FIELDS)
    ticked = [clean(item)[:100] for item in (getlist or _single(form))("proposed")][:20]
    values["proposed_list"] = ticked
    refusal = _guarded(connection, workspace, form, client)
    if refusal is not None:
        status = 429 if refusal == LIMITED else 400
        return Outcome(status, errors={"": refusal}, values=values)
    cleaned = {name: clean(form.get(name), multiline=name == "explanation") for name in LIMITS}
    errors = _suggestion_errors(cleaned, today)
    change: FieldChange | None = None
    shown = cleaned["proposed"]  # the new value as the person chose it, for the status page
    chosen = target.field(cleaned["field"])
    if "field" not in errors and cleaned["field"] != OTHER and "proposed" not in errors:
        if chosen is None:
            errors["field"] = "choose one from the list, or “Something else”"
        else:
            entered, message = entered_value(chosen, cleaned["proposed"], ticked, places)
            if message is None:
                change, message = _proposed_change(workspace, target, chosen, entered, today)
                if chosen.entry in ("choice", "choices"):
                    codes = [code for code in entered.split(", ") if code]
                    shown = ", ".join(label_of(chosen.options, code) for code in codes)
            if message:
                errors["proposed"] = message
    if errors:
        return Outcome(400, errors=errors, values=values)
    labels = {choice.path: choice.label for choice in target.fields}
    payload = {
        "field": cleaned["field"],
        "field_label": labels.get(cleaned["field"], "Something else"),
        "proposed": shown,
        "explanation": cleaned["explanation"],
        "source_kind": cleaned["source_kind"] or "web",
        "source_url": cleaned["source_url"],
        "source_date": cleaned["source_date"],
        "provider_name": target.name,
    }
    proposal = {
        "changes": changes_to_json([change] if change else []),
        "base_hash": target.hash,
    }
    contact = contact_of(cleaned)
    ref = store.add(connection, "update", target.id, payload, proposal, contact or None)
    log.info("suggestion %s queued for %s", ref, target.id)
    return Outcome(303, ref=ref, values=values)


def _single(form: Mapping[str, str]) -> Callable[[str], list[str]]:
    def getlist(name: str) -> list[str]:
        value = form.get(name)
        return [value] if value else []

    return getlist


def _suggestion_errors(cleaned: Mapping[str, str], today: dt.date) -> dict[str, str]:
    errors = {}
    for name, limit in LIMITS.items():
        message = check_length(cleaned[name], limit)
        if message:
            errors[name] = message
    if not cleaned["field"]:
        errors.setdefault("field", "choose one from the list, or “Something else”")
    if not cleaned["explanation"]:
        errors.setdefault("explanation", "say in a few words what has changed")
    if cleaned["field"] == OTHER and not cleaned["proposed"]:
        errors.setdefault("proposed", "tell us what it should say")
    _source_errors(cleaned, errors, today)
    check_contact(errors, cleaned)
    return errors


def _source_errors(cleaned: Mapping[str, str], errors: dict[str, str], today: dt.date) -> None:
    """How the sender learned the facts: the page's address, or the day they were told."""
    kind = cleaned["source_kind"] or "web"
    if kind not in dict(SOURCE_KINDS):
        errors.setdefault("source_kind", "choose one of the four")
        return
    if kind == "web":
        require_url(errors, "source_url", cleaned["source_url"], "give the address of the page")
    elif cleaned["source_url"] and "source_url" not in errors:
        message = check_url(cleaned["source_url"])
        if message:
            errors["source_url"] = message
    text = cleaned["source_date"]
    if not text:
        if kind != "web":
            errors.setdefault("source_date", "give the day of the call, email or visit")
        return
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        errors.setdefault("source_date", "enter a day such as 2026-03-01")
        return
    if day > today:
        errors.setdefault("source_date", "this is in the future")
    elif day.year < EARLIEST_SOURCE_YEAR:
        errors.setdefault("source_date", f"give a day in {EARLIEST_SOURCE_YEAR} or later")


def entered_value(
    chosen: FieldChoice, text: str, ticked: list[str], places: Places | None
) -> tuple[str, str | None]:
    """What was entered for ``chosen`` as the text :func:`coerce_value` reads (codes, comma-
    separated for lists), or a message: a choice must be one of its options, a place one the
    directory covers."""
    if chosen.entry == "choice" and text:
        code = code_of(chosen.options, text)
        if code is None and last_key(chosen.path) == "currency" and is_currency_code(text.upper()):
            code = text.upper()
        return (code, None) if code is not None else ("", "choose one of the options in the list")
    if chosen.entry == "choices":
        items = [item for entry in (ticked or [text]) for item in entry.split(",") if item.strip()]
        picked = [code_of(chosen.options, item) for item in items]
        if any(code is None for code in picked):
            return "", "choose from the options in the list"
        return ", ".join(code for code in picked if code), None
    if chosen.entry == "places" and text:
        codes, unknown = (places or Places()).resolve(text)
        if unknown:
            words = ", ".join(f"“{word}”" for word in unknown)
            return "", f"the directory has no place called {words}"
        return ", ".join(codes), None
    return text, None


def _proposed_change(
    workspace: Workspace, target: Target, chosen: FieldChoice, entered: str, today: dt.date
) -> tuple[FieldChange | None, str | None]:
    path = chosen.path
    current = get_at(target.record, path)
    try:
        value = coerce_value(path, entered, current)
    except ValueError as exc:
        return None, str(exc)
    if value == current:
        return None, "that is what the directory already says"
    candidate = copy.deepcopy(target.record)
    try:
        set_at(candidate, path, value)
    except ValueError as exc:
        return None, str(exc)
    _cite_as_approval_will(candidate, path, value)
    problems = provider_errors(candidate, today)
    if problems:
        return None, "; ".join(dict.fromkeys(message for _, message in problems))
    unknown = _unknown_jurisdictions(workspace, last_key(path), value)
    if unknown:
        return None, unknown
    return FieldChange(path, current, value), None


def _cite_as_approval_will(record: dict[str, Any], path: str, value: Any) -> None:
    """Point the changed fact at a source, as approving it will (with the source checked)."""
    field = key_field_for(path)
    sources = record.get("sources") or []
    if field is None or value in (None, [], "unknown") or not sources:
        return
    with contextlib.suppress(ValueError):
        set_at(record, field, sources[0].get("key"))


def _unknown_jurisdictions(workspace: Workspace, key: str, value: Any) -> str | None:
    codes = value if isinstance(value, list) else [value]
    if key not in {"region", "country", "telehealth_areas"}:
        return None
    missing = [str(code) for code in codes if not workspace.has_jurisdiction(str(code))]
    if missing:
        return f"the directory does not cover {', '.join(missing)} yet"
    return None


def submit_new_provider(
    connection: sqlite3.Connection,
    workspace: Workspace,
    form: Mapping[str, str],
    getlist: Callable[[str], list[str]],
    client: str,
    today: dt.date | None = None,
    places: Places | None = None,
) -> Outcome:
    """Queue a proposed new provider, or say what to fix (nothing is stored then); its
    country, region and telehealth places are checked against ``places``."""
    values: dict[str, Any] = echo(form, newprovider.TEXT_FIELDS)
    for name in newprovider.LIST_FIELDS:
        values[name] = [clean(item)[:100] for item in getlist(name)][:20]
    refusal = _guarded(connection, workspace, form, client)
    if refusal is not None:
        status = 429 if refusal == LIMITED else 400
        return Outcome(status, errors={"": refusal}, values=values)
    built = newprovider.build(workspace, form, getlist, today or dt.date.today(), places)
    if built.errors:
        return Outcome(400, errors=built.errors, values=values)
    record = built.record
    payload = {**built.cleaned, "provider_name": record["name"]}
    proposal = {"record": record, "base_hash": content_hash(None)}
    ref = store.add(connection, "new", record["id"], payload, proposal, built.contact or None)
    log.info("new provider %s queued as %s", record["id"], ref)
    return Outcome(303, ref=ref, values=values)
