"""Hostile values in every field of every form: never a 500, never unescaped markup, and
nothing stored that should not be."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.submissions.conftest import pending
from tests.submissions.helpers import csrf_from, new_provider_form, suggestion

SUGGEST = "/providers/harbor-ketamine-austin/suggest"
NEW = "/providers/new"
MARKUP = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
HOSTILE = [
    MARKUP,
    "x" * 100_000,
    "nul\x00byte",
    "\x00" * 50,
    "\u202egnp.exe\u202c right-to-left override",
    "zero\u200bwidth\ufeff",
    "emoji 🧪💉 and combining e\u0301",
    "{{ 7*7 }} {% raw %}",
    "' OR 1=1 --",
    "../../etc/passwd",
    "line\r\nbreak\u2028separator",
    "   ",
]


def _post(client: FlaskClient, url: str, data: dict[str, object]) -> tuple[int, str]:
    token = csrf_from(client.get(url, query_string={"field": "other"} if url == SUGGEST else None))
    response = client.post(url, data={**data, "csrf_token": token})
    return response.status_code, response.get_data(as_text=True)


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize(
    "field",
    [
        "field",
        "proposed",
        "explanation",
        "source_kind",
        "source_url",
        "source_date",
        "contact_email",
        "contact_phone",
    ],
)
def test_suggestion_form_survives_hostile_values(
    client: FlaskClient, field: str, value: str
) -> None:
    status, page = _post(client, SUGGEST, suggestion(**{field: value}))
    assert status in {303, 400, 413}
    assert "<script>alert(1)" not in page
    assert "onerror=alert" not in page or "onerror=alert(2)&gt;" in page


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize(
    "field",
    [
        "name",
        "website",
        "phone",
        "city",
        "region",
        "country",
        "telehealth_areas",
        "price_min",
        "price_currency",
        "notes",
        "source_url",
        "contact",
        "treatments",
        "payment_options",
    ],
)
def test_new_provider_form_survives_hostile_values(
    client: FlaskClient, field: str, value: str
) -> None:
    status, page = _post(client, NEW, new_provider_form(**{field: value}))
    assert status in {303, 400, 413}
    assert "<script>alert(1)" not in page


def test_markup_in_an_accepted_suggestion_is_escaped_everywhere(
    client: FlaskClient, reviewer: FlaskClient, queue_path: Path
) -> None:
    status, _ = _post(
        client,
        SUGGEST,
        suggestion(field="other", proposed=MARKUP, explanation=MARKUP, contact_phone=MARKUP[:40]),
    )
    assert status == 303
    [queued] = pending(queue_path)
    for page in (
        client.get(f"/submissions/{queued.ref}").get_data(as_text=True),
        reviewer.get("/review/").get_data(as_text=True),
        reviewer.get(f"/review/submissions/{queued.ref}").get_data(as_text=True),
        reviewer.get(f"/review/submissions/{queued.ref}/edit").get_data(as_text=True),
    ):
        assert "<script>alert(1)" not in page
        assert "&lt;script&gt;alert(1)" in page or "alert(1)" not in page


def test_nul_bytes_never_reach_the_queue(client: FlaskClient, queue_path: Path) -> None:
    status, _ = _post(
        client, SUGGEST, suggestion(field="other", proposed="a\x00b", explanation="c\x00d")
    )
    assert status == 303
    [queued] = pending(queue_path)
    assert queued.payload["proposed"] == "ab"
    assert queued.payload["explanation"] == "cd"


def test_repeated_and_missing_fields_are_handled(client: FlaskClient, queue_path: Path) -> None:
    token = csrf_from(client.get(SUGGEST, query_string={"field": "other"}))
    response = client.post(SUGGEST, data={"csrf_token": token})
    assert response.status_code == 400
    response = client.post(
        SUGGEST, data={"csrf_token": token, "field": ["phone", "name"], "proposed": ["a", "b"]}
    )
    assert response.status_code == 400
    assert pending(queue_path) == []


def test_undecodable_bytes_are_handled(client: FlaskClient) -> None:
    token = csrf_from(client.get(SUGGEST, query_string={"field": "other"}))
    body = b"csrf_token=" + token.encode() + b"&explanation=%FF%FE%00&field=phone&proposed=%C3"
    response = client.post(SUGGEST, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


@pytest.mark.parametrize("value", HOSTILE[:4], ids=range(4))
def test_review_forms_survive_hostile_values(
    client: FlaskClient, reviewer: FlaskClient, queue_path: Path, value: str
) -> None:
    assert _post(client, SUGGEST, suggestion())[0] == 303
    [queued] = pending(queue_path)
    item = f"/review/submissions/{queued.ref}"
    for url, data in [
        (f"{item}/edit", {"record": value}),
        (f"{item}/approve", {"base_hash": value, "source_url": value, "source_title": value}),
        (f"{item}/reject", {"reason": value}),
        ("/review/providers/harbor-ketamine-austin", {"reason": value, "base_hash": value}),
    ]:
        token = csrf_from(reviewer.get(item))
        response = reviewer.post(url, data={**data, "csrf_token": token})
        assert response.status_code < 500, (url, response.status_code)
        assert "<script>alert(1)" not in response.get_data(as_text=True)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    field=st.text(max_size=80),
    proposed=st.text(max_size=300),
    explanation=st.text(max_size=300),
    source_url=st.one_of(st.text(max_size=100), st.just("https://example.org/a")),
)
def test_suggestion_form_never_fails_on_any_text(
    client: FlaskClient, field: str, proposed: str, explanation: str, source_url: str
) -> None:
    data = {
        "field": field,
        "proposed": proposed,
        "explanation": explanation,
        "source_url": source_url,
    }
    # Lone surrogates cannot be encoded in a form post; a browser never sends them.
    data = {key: value.encode("utf-8", "replace").decode("utf-8") for key, value in data.items()}
    status, _ = _post(client, SUGGEST, data)
    assert status in {303, 400}
