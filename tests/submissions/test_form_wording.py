"""The public forms in a patient's words: proper choices instead of codes, the right input
types, a source that may be a call, email or visit with its day, the privacy warning before
the send button and an error summary that names each field once."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.submissions.conftest import pending
from tests.submissions.helpers import log_in, new_provider_form, post_form, suggestion

SUGGEST = "/providers/harbor-ketamine-austin/suggest"
NEW = "/providers/new"
#: Words of the data format that a person should never have to read or type.
CODES = (
    "per_session",
    "per_initial_series",
    "per_month",
    "temporarily_closed",
    "private_insurance",
    "sliding_scale",
    "YYYY-MM-DD",
    "comma-separated",
    "region code",
    "country code",
    "Two letters",
)


def _text(page: str) -> str:
    """What a person reads: the page without its tags, attributes and scripts."""
    body = page.split("<main", 1)[-1]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def _details(client: FlaskClient) -> list[str]:
    """Every detail the first step of the suggestion form offers."""
    page = client.get(SUGGEST).get_data(as_text=True)
    return re.findall(r'<option value="([^"]+)"', page)


def test_the_first_step_asks_only_which_detail(client: FlaskClient) -> None:
    page = client.get(SUGGEST).get_data(as_text=True)
    assert 'method="get"' in page and 'name="field"' in page
    assert 'name="csrf_token"' not in page  # nothing is sent yet, so no session either
    assert {"phone", "status", "payment_options", "other"} <= set(_details(client))


def test_no_label_or_hint_shows_a_code(client: FlaskClient) -> None:
    pages = [client.get(SUGGEST)] + [
        client.get(SUGGEST, query_string={"field": path}) for path in _details(client)
    ]
    pages.append(client.get(NEW))
    for response in pages:
        assert response.status_code == 200
        words = _text(response.get_data(as_text=True))
        for code in CODES:
            assert code not in words, (response.request.url, code)


@pytest.mark.parametrize(
    ("path", "control"),
    [
        ("status", '<select id="proposed" name="proposed"'),
        ("accepting_new_patients", '<select id="proposed" name="proposed"'),
        ("treatments[0].price.unit", '<select id="proposed" name="proposed"'),
        ("treatments[0].price.currency", '<select id="proposed" name="proposed"'),
        ("payment_options", 'type="checkbox" id="proposed-cash" name="proposed"'),
        ("phone", 'type="tel" id="proposed"'),
        ("website", 'type="url" id="proposed"'),
    ],
)
def test_each_detail_gets_the_right_control(client: FlaskClient, path: str, control: str) -> None:
    page = client.get(SUGGEST, query_string={"field": path}).get_data(as_text=True)
    assert control in page
    assert 'type="url" id="source_url"' in page
    assert 'type="date" id="source_date"' in page
    assert 'type="email" id="contact_email"' in page
    assert 'type="tel" id="contact_phone"' in page


def test_a_status_is_chosen_by_its_words(client: FlaskClient, queue_path: Path) -> None:
    page = client.get(SUGGEST, query_string={"field": "status"}).get_data(as_text=True)
    assert '<option value="temporarily_closed">Temporarily closed</option>' in page
    response = post_form(client, SUGGEST, suggestion(field="status", proposed="temporarily_closed"))
    assert response.status_code == 303
    [queued] = pending(queue_path)
    assert queued.proposal["changes"][0]["new"] == "temporarily_closed"


def test_ticked_payment_options_become_a_list(client: FlaskClient, queue_path: Path) -> None:
    form = suggestion(field="payment_options", proposed=["cash", "sliding_scale"])
    assert post_form(client, SUGGEST, form).status_code == 303
    [queued] = pending(queue_path)
    assert queued.proposal["changes"][0]["new"] == ["cash", "sliding_scale"]
    assert queued.payload["proposed"] == "Self-pay (cash or card), Sliding-scale fees"


def test_a_phone_call_with_its_day_is_a_source(
    client: FlaskClient, reviewer: FlaskClient, queue_path: Path
) -> None:
    form = suggestion(source_kind="phone", source_url="", source_date="2026-11-30")
    response = post_form(client, SUGGEST, form)
    assert response.status_code == 303
    [queued] = pending(queue_path)
    assert queued.payload["source_kind"] == "phone"
    assert queued.payload["source_date"] == "2026-11-30"
    told = "A phone call with the provider on 30 November 2026 (as the sender says)"
    status = client.get(response.headers["Location"]).get_data(as_text=True)
    assert told in html.unescape(status)
    item = reviewer.get(f"/review/submissions/{queued.ref}").get_data(as_text=True)
    assert told in html.unescape(item)


def test_a_call_without_its_day_is_refused(client: FlaskClient, queue_path: Path) -> None:
    form = suggestion(source_kind="email", source_url="", source_date="")
    response = post_form(client, SUGGEST, form)
    assert response.status_code == 400
    assert "give the day of the call, email or visit" in response.get_data(as_text=True)
    assert pending(queue_path) == []


@pytest.mark.parametrize(
    ("url", "query"), [(SUGGEST, {"field": "phone"}), (SUGGEST, {"field": "other"}), (NEW, None)]
)
def test_the_privacy_warning_comes_before_the_send_button(
    client: FlaskClient, url: str, query: dict[str, str] | None
) -> None:
    page = client.get(url, query_string=query).get_data(as_text=True)
    warning = page.find("Please do not include health information")
    button = page.find('<button type="submit"')
    assert 0 < warning < button


def _summary(page: str) -> list[str]:
    block = page.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    return [_text(item).strip() for item in re.findall(r"<li>(.*?)</li>", block, flags=re.S)]


@pytest.mark.parametrize(
    ("url", "form"),
    [
        (
            SUGGEST,
            suggestion(
                explanation="",
                source_url="",
                source_kind="visit",
                source_date="",
                contact_email="x",
                proposed="lots",
                field="treatments[0].price.max",
            ),
        ),
        (NEW, new_provider_form(name="", source_url="", contact_email="x", price_min="cheap")),
    ],
    ids=["suggest", "new"],
)
def test_the_error_summary_names_each_field_once(
    client: FlaskClient, url: str, form: dict[str, object]
) -> None:
    response = post_form(client, url, form)
    assert response.status_code == 400
    items = _summary(response.get_data(as_text=True))
    assert len(items) >= 3
    for item in items:
        label, _, message = item.partition(": ")
        assert message, item
        assert label.casefold() not in message.casefold(), item


def test_add_a_provider_chooses_places_from_lists(client: FlaskClient, queue_path: Path) -> None:
    page = client.get(NEW).get_data(as_text=True)
    assert '<select id="country" name="country"' in page
    assert '<select id="region" name="region"' in page and "<optgroup" in page
    assert '<select id="price_currency" name="price_currency"' in page
    form = new_provider_form(region="US-TX", country="US")
    assert post_form(client, NEW, form).status_code == 303
    [queued] = pending(queue_path)
    assert queued.proposal["record"]["locations"][0]["region"] == "US-TX"


def test_the_review_page_never_shows_a_phone_source_as_none(
    client: FlaskClient, queue_path: Path, tmp_path: Path, maintainer: str
) -> None:
    post_form(
        client, SUGGEST, suggestion(source_kind="visit", source_url="", source_date="2026-11-01")
    )
    [queued] = pending(queue_path)
    log_in(client)
    item = client.get(f"/review/submissions/{queued.ref}").get_data(as_text=True)
    given = item.split("Source given", 1)[1].split("</div>", 1)[0]
    assert "none" not in given and "A visit to the provider on 1 November 2026" in given
