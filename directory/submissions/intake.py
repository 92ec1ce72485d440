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

from directory.dataset.provenance import key_field_for
from directory.submissions import newprovider, ratelimit, store
from directory.submissions.diff import FieldChange, changes_to_json, get_at, set_at
from directory.submissions.fields import (
    OTHER,
    FieldChoice,
    coerce_value,
    last_key,
    suggestible_fields,
)
from directory.submissions.forms import (
    HONEYPOT,
    Outcome,
    check_length,
    clean,
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
    "source_url": 2000,
    "contact": 200,
}
SUGGESTION_FIELDS = tuple(LIMITS)
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


def record_area(record: Mapping[str, Any]) -> str | None:
    """Where a record's provider works (its first site's region or country, else its first
    telehealth area), for the crisis lines its pages show."""
    for location in record.get("locations") or []:
        if isinstance(location, Mapping) and (location.get("region") or location.get("country")):
            return str(location.get("region") or location.get("country"))
    areas = record.get("telehealth_areas") or []
    return str(areas[0]) if areas else None


def suggestion_target(workspace: Workspace, provider_id: str) -> Target | None:
    """The listed provider ``provider_id`` with the fields one can suggest, or None."""
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
        fields=suggestible_fields(record),
    )


def _guarded(
    connection: sqlite3.Connection, workspace: Workspace, form: Mapping[str, str], client: str
) -> str | None:
    """A refusal message for a bot or a client over its limit; None to go on."""
    if form.get(HONEYPOT):
        return REFUSED
    if not ratelimit.attempt(connection, RATE_BUCKET, client, workspace.submit_limit):
        return LIMITED
    return None


def submit_suggestion(
    connection: sqlite3.Connection,
    workspace: Workspace,
    target: Target,
    form: Mapping[str, str],
    client: str,
    today: dt.date | None = None,
) -> Outcome:
    """Queue a suggested change to ``target``, or say what to fix (nothing is stored then)."""
    values = echo(form, SUGGESTION_FIELDS)
    refusal = _guarded(connection, workspace, form, client)
    if refusal is not None:
        status = 429 if refusal == LIMITED else 400
        return Outcome(status, errors={"": refusal}, values=values)
    cleaned = {name: clean(form.get(name), multiline=name == "explanation") for name in LIMITS}
    errors = _suggestion_errors(cleaned)
    change: FieldChange | None = None
    if "field" not in errors and cleaned["field"] != OTHER and "proposed" not in errors:
        change, message = _proposed_change(workspace, target, cleaned, today or dt.date.today())
        if message:
            errors["proposed"] = message
    if errors:
        return Outcome(400, errors=errors, values=values)
    labels = {choice.path: choice.label for choice in target.fields}
    payload = {
        "field": cleaned["field"],
        "field_label": labels.get(cleaned["field"], "Something else"),
        "proposed": cleaned["proposed"],
        "explanation": cleaned["explanation"],
        "source_url": cleaned["source_url"],
        "provider_name": target.name,
    }
    proposal = {
        "changes": changes_to_json([change] if change else []),
        "base_hash": target.hash,
    }
    ref = store.add(connection, "update", target.id, payload, proposal, cleaned["contact"] or None)
    log.info("suggestion %s queued for %s", ref, target.id)
    return Outcome(303, ref=ref, values=values)


def _suggestion_errors(cleaned: Mapping[str, str]) -> dict[str, str]:
    errors = {}
    for name, limit in LIMITS.items():
        message = check_length(cleaned[name], limit)
        if message:
            errors[name] = message
    if not cleaned["field"]:
        errors.setdefault("field", "choose what is wrong, or 'Something else'")
    if not cleaned["explanation"]:
        errors.setdefault("explanation", "tell us what is wrong")
    if cleaned["field"] == OTHER and not cleaned["proposed"]:
        errors.setdefault("proposed", "tell us what it should say")
    require_url(
        errors,
        "source_url",
        cleaned["source_url"],
        "give the web address where you read the correct facts",
    )
    return errors


def _proposed_change(
    workspace: Workspace, target: Target, cleaned: Mapping[str, str], today: dt.date
) -> tuple[FieldChange | None, str | None]:
    path = cleaned["field"]
    if path not in {choice.path for choice in target.fields}:
        return None, "choose one of the fields in the list"
    current = get_at(target.record, path)
    try:
        value = coerce_value(path, cleaned["proposed"], current)
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
) -> Outcome:
    """Queue a proposed new provider, or say what to fix (nothing is stored then)."""
    values: dict[str, Any] = echo(form, newprovider.TEXT_FIELDS)
    for name in newprovider.LIST_FIELDS:
        values[name] = [clean(item)[:100] for item in getlist(name)][:20]
    refusal = _guarded(connection, workspace, form, client)
    if refusal is not None:
        status = 429 if refusal == LIMITED else 400
        return Outcome(status, errors={"": refusal}, values=values)
    built = newprovider.build(workspace, form, getlist, today or dt.date.today())
    if built.errors:
        return Outcome(400, errors=built.errors, values=values)
    record = built.record
    payload = {**built.cleaned, "provider_name": record["name"]}
    proposal = {"record": record, "base_hash": content_hash(None)}
    ref = store.add(connection, "new", record["id"], payload, proposal, built.contact or None)
    log.info("new provider %s queued as %s", record["id"], ref)
    return Outcome(303, ref=ref, values=values)
