"""The public forms: CSRF, honeypot, size and rate limits, inline messages, the status page.

An invalid submission is refused with a message and stored nowhere; a valid one gets a
reference and a status page that never shows the submitter's contact details.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from directory import create_app
from directory.db import close_all
from directory.submissions import store
from tests.submissions.conftest import pending
from tests.submissions.helpers import csrf_from, new_provider_form, post_form, suggestion

SUGGEST = "/providers/harbor-ketamine-austin/suggest"
#: The suggestion form opened at a detail (its first step only asks which detail).
SUGGEST_FORM = SUGGEST + "?field=phone"
NEW = "/providers/new"


def test_provider_page_links_to_suggest_and_history(client: FlaskClient) -> None:
    page = client.get("/providers/harbor-ketamine-austin").get_data(as_text=True)
    assert 'href="/providers/harbor-ketamine-austin/suggest"' in page
    assert 'href="/providers/harbor-ketamine-austin/history"' in page
    assert 'href="/providers/new"' in page


@pytest.mark.parametrize("url", [SUGGEST_FORM, NEW])
def test_forms_carry_a_csrf_token_and_a_honeypot(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert csrf_from(response)
    assert 'name="fax_number"' in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("url", "form"), [(SUGGEST, suggestion()), (NEW, new_provider_form())], ids=["suggest", "new"]
)
@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_a_post_without_this_sessions_token_is_refused(
    client: FlaskClient, queue_path: Path, url: str, form: dict[str, Any], token: str | None
) -> None:
    client.get(url)  # a session exists, but the token is missing or wrong
    data = dict(form) if token is None else {**form, "csrf_token": token}
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    assert pending(queue_path) == []


def test_a_token_from_another_session_is_refused(
    app: Flask, client: FlaskClient, queue_path: Path
) -> None:
    token = csrf_from(app.test_client().get(SUGGEST_FORM))
    client.get(SUGGEST_FORM)
    response = client.post(SUGGEST, data={**suggestion(), "csrf_token": token})
    assert response.status_code == 400
    assert pending(queue_path) == []


def test_a_valid_suggestion_is_queued_with_a_reference(
    client: FlaskClient, queue_path: Path
) -> None:
    response = post_form(client, SUGGEST, suggestion())
    assert response.status_code == 303
    [queued] = pending(queue_path)
    assert response.headers["Location"].startswith(f"/submissions/{queued.ref}")
    assert queued.kind == "update"
    assert queued.provider_id == "harbor-ketamine-austin"
    assert queued.proposal["changes"] == [
        {"field": "phone", "old": "+15125550100", "new": "+15125550199"}
    ]
    assert queued.has_contact
    status = client.get(response.headers["Location"])
    page = status.get_data(as_text=True)
    assert status.status_code == 200
    assert queued.ref in page
    assert "Waiting for a maintainer" in page
    assert "person@example.com" not in page


def test_the_queue_keeps_contact_details_out_of_everything_but_one_column(
    client: FlaskClient, queue_path: Path
) -> None:
    post_form(client, SUGGEST, suggestion())
    [queued] = pending(queue_path)
    assert "person@example.com" not in repr(queued)
    with store.open_store(queue_path) as connection:
        assert store.contact_for(connection, queued.ref) == "person@example.com"


def test_a_valid_new_provider_is_queued(client: FlaskClient, queue_path: Path) -> None:
    response = post_form(client, NEW, new_provider_form())
    assert response.status_code == 303, response.get_data(as_text=True)
    [queued] = pending(queue_path)
    record = queued.proposal["record"]
    assert queued.kind == "new"
    assert record["id"] == "lakeside-ketamine-centre-austin"
    assert record["locations"][0]["region"] == "US-TX"
    # Every fact cites the one source the sender gave.
    assert record["treatments"][0]["price"]["source"] == record["sources"][0]["key"]
    assert record["locations"][0]["source"] == record["sources"][0]["key"]
    assert record["sources"][0]["url"] == "https://lakeside.example.org/pricing"
    assert "someone@example.com" not in repr(record)
    assert "contact" not in queued.payload


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"explanation": ""}, "explanation", "say in a few words"),
        ({"source_url": ""}, "source_url", "give the address of the page"),
        ({"source_url": "javascript:alert(1)"}, "source_url", "starting with http"),
        ({"field": ""}, "field", "choose one from the list"),
        ({"field": "sources[0].url"}, "field", "choose one from the list"),
        ({"field": "status", "proposed": "shut"}, "proposed", "choose one of the options"),
        ({"field": "treatments[0].price.max", "proposed": "lots"}, "proposed", "enter a number"),
        ({"field": "treatments[0].price.max", "proposed": "100"}, "proposed", "above maximum"),
        (
            {"field": "treatments[0].price.currency", "proposed": "XYZ"},
            "proposed",
            "one of the options",
        ),
        ({"field": "telehealth_areas", "proposed": "US-FL"}, "proposed", "no place called"),
        ({"field": "phone", "proposed": "+15125550100"}, "proposed", "already says"),
        ({"field": "other", "proposed": ""}, "proposed", "what it should say"),
        ({"explanation": "x" * 4001}, "explanation", "too long"),
        ({"contact_email": "c" * 201}, "contact_email", "too long"),
        ({"contact_email": "not an address"}, "contact_email", "does not look like an email"),
        ({"source_kind": "phone", "source_url": ""}, "source_date", "day of the call"),
        ({"source_kind": "rumour"}, "source_kind", "one of the four"),
        ({"source_kind": "visit", "source_date": "2999-01-01"}, "source_date", "in the future"),
        ({"source_date": "yesterday"}, "source_date", "enter a day"),
    ],
)
def test_an_invalid_suggestion_gets_an_inline_message_and_is_not_stored(
    client: FlaskClient, queue_path: Path, changes: dict[str, str], field: str, message: str
) -> None:
    response = post_form(client, SUGGEST, suggestion(**changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in page
    assert message in page
    assert 'aria-invalid="true"' in page
    assert pending(queue_path) == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "give it as the provider writes it"),
        ({"source_url": ""}, "source_url", "web address"),
        ({"website": "ftp://x.example.org"}, "website", "http"),
        ({"treatments": []}, "treatments", "tick at least one"),
        ({"treatments": ["magic"]}, "treatments", "choose treatments"),
        ({"country": ""}, "country", "choose one from the list for the address"),
        ({"country": "ZZ"}, "country", "choose a country from the list"),
        ({"country": "FR", "region": ""}, "country", "choose a country from the list"),
        ({"country": "CA", "region": "TX"}, "region", "of the country you chose"),
        ({"telehealth_areas": "US-TX, Atlantis"}, "telehealth_areas", "no place called “Atlantis”"),
        ({"price_max": "100"}, "price_max", "above maximum"),
        ({"price_min": "cheap"}, "price_min", "an amount"),
        ({"price_currency": ""}, "price_currency", "needed for a price"),
        ({"price_treatment": "oral_sublingual"}, "price_treatment", "one of the treatments"),
        ({"status": "gone"}, "status", "Input should be"),
        ({"phone": "1" * 41}, "phone", "too long"),
        (
            {"street": "", "city": "", "postal_code": "", "region": "", "country": ""},
            "city",
            "or the places it treats by video",
        ),
    ],
)
def test_an_invalid_new_provider_gets_an_inline_message_and_is_not_stored(
    client: FlaskClient, queue_path: Path, changes: dict[str, Any], field: str, message: str
) -> None:
    response = post_form(client, NEW, new_provider_form(**changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page
    assert f'id="{field}-error"' in page
    assert message in page
    assert pending(queue_path) == []


def test_telehealth_only_provider_is_accepted(client: FlaskClient, queue_path: Path) -> None:
    form = new_provider_form(
        street="", city="", postal_code="", region="", country="", telehealth_areas="us-tx, US-CA"
    )
    assert post_form(client, NEW, form).status_code == 303
    [queued] = pending(queue_path)
    assert queued.proposal["record"]["telehealth_areas"] == ["US-TX", "US-CA"]
    assert queued.proposal["record"]["locations"] == []


@pytest.mark.parametrize(("url", "form"), [(SUGGEST, suggestion()), (NEW, new_provider_form())])
def test_the_honeypot_refuses_bots(
    client: FlaskClient, queue_path: Path, url: str, form: dict[str, Any]
) -> None:
    response = post_form(client, url, {**form, "fax_number": "+1 555 0100"})
    assert response.status_code == 400
    assert "could not be accepted" in response.get_data(as_text=True)
    assert pending(queue_path) == []


def test_the_rate_limit_applies_per_client(app_config: dict[str, Any], queue_path: Path) -> None:
    app = create_app({**app_config, "SUBMIT_LIMIT_PER_HOUR": 2})
    try:
        one = app.test_client()
        codes = [post_form(one, SUGGEST, suggestion()).status_code for _ in range(3)]
        assert codes == [303, 303, 429]
        other = app.test_client()
        token = csrf_from(other.get(SUGGEST_FORM))
        elsewhere = other.post(
            SUGGEST,
            data={**suggestion(), "csrf_token": token},
            environ_base={"REMOTE_ADDR": "192.0.2.9"},
        )
        assert elsewhere.status_code == 303
    finally:
        close_all()
    assert len(pending(queue_path)) == 3


def test_the_rate_limit_never_stores_an_address(
    app_config: dict[str, Any], queue_path: Path
) -> None:
    app = create_app(app_config)
    try:
        client = app.test_client()
        token = csrf_from(client.get(SUGGEST_FORM))
        client.post(
            SUGGEST,
            data={**suggestion(), "csrf_token": token},
            environ_base={"REMOTE_ADDR": "203.0.113.77"},
        )
    finally:
        close_all()
    assert b"203.0.113.77" not in queue_path.read_bytes()
    wal = queue_path.with_name(queue_path.name + "-wal")
    assert not wal.exists() or b"203.0.113.77" not in wal.read_bytes()


def test_an_oversized_post_is_refused(client: FlaskClient, queue_path: Path) -> None:
    token = csrf_from(client.get(SUGGEST_FORM))
    response = client.post(
        SUGGEST, data={**suggestion(explanation="x" * 400_000), "csrf_token": token}
    )
    assert response.status_code == 413
    assert pending(queue_path) == []


@pytest.mark.parametrize(
    "url", ["/providers/no-such-clinic/suggest", "/providers/NOT%20A%20SLUG/suggest"]
)
def test_suggesting_on_a_missing_provider_is_404(client: FlaskClient, url: str) -> None:
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("ref", ["KT-0000000000", "nonsense", "KT-" + "A" * 500, "<b>x</b>"])
def test_an_unknown_reference_is_404(client: FlaskClient, ref: str) -> None:
    assert client.get(f"/submissions/{ref}").status_code == 404
