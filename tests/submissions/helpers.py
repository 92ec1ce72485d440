"""Helpers for the submission tests: reading CSRF tokens, filling forms, logging in."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

PASSWORD = "correct horse battery staple"

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_BASE_HASH = re.compile(r'name="base_hash" value="([^"]+)"')


def csrf_from(response: TestResponse) -> str:
    """The CSRF token in a page's form."""
    match = _TOKEN.search(response.get_data(as_text=True))
    assert match, "the page has no CSRF token"
    return html.unescape(match.group(1))


def base_hash_from(response: TestResponse) -> str:
    """The record hash an approval or listing form carries."""
    match = _BASE_HASH.search(response.get_data(as_text=True))
    assert match, "the page has no base_hash"
    return html.unescape(match.group(1))


def suggestion(**overrides: Any) -> dict[str, Any]:
    """A valid suggestion form."""
    form = {
        "field": "phone",
        "proposed": "+15125550199",
        "explanation": "The clinic changed its number in January.",
        "source_url": "https://clinic.example.org/contact",
        "contact_email": "person@example.com",
    }
    form.update(overrides)
    return form


def new_provider_form(**overrides: Any) -> dict[str, Any]:
    """A valid "Add a provider" form."""
    form: dict[str, Any] = {
        "name": "Lakeside Ketamine Centre",
        "website": "https://lakeside.example.org/",
        "phone": "+15125550222",
        "status": "active",
        "street": "9 Lake Road",
        "city": "Austin",
        "postal_code": "78702",
        "region": "TX",
        "country": "US",
        "treatments": ["iv_infusion", "esketamine_nasal"],
        "price_treatment": "iv_infusion",
        "price_min": "450",
        "price_max": "600",
        "price_currency": "USD",
        "price_unit": "per_session",
        "payment_options": ["cash"],
        "accepting_new_patients": "yes",
        "referral_required": "unknown",
        "source_url": "https://lakeside.example.org/pricing",
        "source_title": "Pricing",
        "contact_email": "someone@example.com",
    }
    form.update(overrides)
    return form


def post_form(client: FlaskClient, url: str, data: dict[str, Any]) -> TestResponse:
    """GET ``url`` for its CSRF token, then POST ``data`` with it (a suggestion form is opened
    past its first step, which only asks which detail)."""
    opened = {"field": "other"} if url.endswith("/suggest") else None
    token = csrf_from(client.get(url, query_string=opened))
    return client.post(url, data={**data, "csrf_token": token})


def log_in(client: FlaskClient, name: str = "alice", password: str = PASSWORD) -> TestResponse:
    """Log ``client`` in as a maintainer."""
    token = csrf_from(client.get("/maintainers/login"))
    return client.post(
        "/maintainers/login", data={"name": name, "password": password, "csrf_token": token}
    )


class Crash(Exception):
    """Stands for the process dying at this point."""


@contextmanager
def crash_after_first_rename(monkeypatch: pytest.MonkeyPatch, journal: Path) -> Iterator[None]:
    """Within the block, a commit dies (raises :class:`Crash`) at its second data-file
    rename, as if the process were killed mid-commit; renames of ``journal`` still happen."""
    from directory.submissions import apply

    real_replace = apply._replace
    renamed: list[Path] = []

    def replace(source: Path, target: Path) -> None:
        if renamed and target != journal:
            raise Crash
        if target != journal:
            renamed.append(target)
        real_replace(source, target)

    monkeypatch.setattr(apply, "_replace", replace)
    try:
        yield
    finally:
        monkeypatch.setattr(apply, "_replace", real_replace)
