"""Cleaning and checking what people type into the public forms, with messages for them.

>>> clean("  a\\x00b\\u200b  ")
'ab'
>>> check_url("javascript:alert(1)")
'enter a web address starting with http:// or https://'
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import AnyHttpUrl, ValidationError

from directory.dataset import provenance
from directory.dataset.loader import field_path
from directory.dataset.models import Provider

# C0/C1 control characters except tab and newline, zero-width and bidirectional controls,
# which can hide or reorder text in a reviewer's view, Hangul fillers (blank letters) and
# variation selectors (they only change how a glyph is drawn).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff"
    "\u115f\u1160\u3164\uffa0\ufe00-\ufe0f\U000e0100-\U000e01ef]"
)
#: Format characters some scripts need inside words (Persian, Arabic and Indic writing):
#: the zero-width non-joiner and joiner. Every other format character (category Cf: soft
#: hyphens, word joiners, the Arabic letter mark, tag characters...) is removed.
KEPT_FORMAT_CHARACTERS = frozenset({"\u200c", "\u200d"})
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029]")

MAX_URL = 2000
#: An email address as a person types it: something, an at sign, a domain with a dot.
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
#: The optional contact fields of the public forms, with their length limits.
CONTACT_LIMITS = {"contact_email": 200, "contact_phone": 40}
#: The name of the honeypot field: hidden from people, irresistible to form-filling bots.
HONEYPOT = "fax_number"


@dataclass
class Outcome:
    """What became of a posted form: a reference, or the messages to show next to fields."""

    status: int
    ref: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def accepted(self) -> bool:
        """Whether the submission was queued."""
        return self.ref is not None


def clean(text: str | None, multiline: bool = False) -> str:
    """``text`` without invisible characters, NFC-normalised and stripped; one line unless
    ``multiline``."""
    if not text:
        return ""
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    text = "".join(
        ch for ch in text if unicodedata.category(ch) != "Cf" or ch in KEPT_FORMAT_CHARACTERS
    )
    if not multiline:
        text = " ".join(text.split())
    return unicodedata.normalize("NFC", text).strip()


def check_length(value: str, limit: int) -> str | None:
    """A message if ``value`` is longer than ``limit`` characters."""
    if len(value) > limit:
        return f"this is too long: at most {limit:,} characters, please (you wrote {len(value):,})"
    return None


def check_url(value: str) -> str | None:
    """A message if ``value`` is not an http(s) web address."""
    if len(value) > MAX_URL:
        return f"this address is too long: at most {MAX_URL:,} characters"
    if not re.match(r"^https?://[^\s/]", value, re.IGNORECASE):
        return "enter a web address starting with http:// or https://"
    try:
        AnyHttpUrl(value)
    except ValidationError:
        return "this is not a valid web address"
    return None


def require_url(errors: dict[str, str], name: str, value: str, missing: str) -> None:
    """Record in ``errors`` that field ``name`` is missing (``missing``) or not a web address,
    unless ``errors`` already has a message for it."""
    if not value:
        errors.setdefault(name, missing)
    elif name not in errors:
        message = check_url(value)
        if message:
            errors[name] = message


def check_contact(errors: dict[str, str], text: Mapping[str, str]) -> None:
    """Record in ``errors`` an email that does not look like one (unless already faulted)."""
    email = text["contact_email"]
    if email and "contact_email" not in errors and not EMAIL.fullmatch(email):
        errors["contact_email"] = "this does not look like an email, such as name@example.org"


def contact_of(text: Mapping[str, str]) -> str:
    """The sender's email and phone as one line for maintainers ("" when neither)."""
    return " / ".join(filter(None, (text["contact_email"], text["contact_phone"])))


def provider_errors(record: Mapping[str, Any], today: dt.date) -> list[tuple[str, str]]:
    """The validator's complaints about ``record`` as (field path, message) pairs."""
    try:
        provider = Provider.model_validate(record, context={"today": today})
    except ValidationError as exc:
        return [
            (field_path(error["loc"]), str(error["msg"]).removeprefix("Value error, "))
            for error in exc.errors(include_url=False)
        ]
    return list(provenance.problems(provider))


def echo(form: Mapping[str, str], names: tuple[str, ...], limit: int = 5000) -> dict[str, str]:
    """The posted values to show back in the form, cleaned and cut to a sane length."""
    return {name: clean(form.get(name), multiline=True)[:limit] for name in names}
