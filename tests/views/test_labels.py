"""Human wording of codes and values (directory/presentation/labels.py) and the layout's
context helpers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask

from directory import create_app
from directory.dataset.models import NoteTopic, PaymentOption, QualitySignal, TreatmentCode
from directory.presentation import labels
from directory.views.site_context import GENERAL_CRISIS_LINES, crisis_box


@pytest.mark.parametrize(
    ("enum", "table"),
    [
        (PaymentOption, labels.PAYMENT_LABELS),
        (QualitySignal, labels.QUALITY_LABELS),
        (NoteTopic, labels.TOPIC_LABELS),
        (TreatmentCode, labels.TREATMENT_NAMES),
    ],
)
def test_every_code_has_a_label(enum: type, table: dict[str, str]) -> None:
    assert {member.value for member in enum} == set(table)


def test_labels_fall_back_to_the_code_or_unknown() -> None:
    assert labels.payment_label("cash") == "Self-pay (cash or card)"
    assert labels.treatment_label("new_code") == "new_code"
    assert labels.treatment_label(None) == "unknown"
    assert labels.yes_no_label(None) == "Unknown"
    assert labels.status_label("temporarily_closed") == "Temporarily closed"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((450, 550, "USD", "per_session"), "USD 450\u2013550 per session"),
        ((225, 225, "GBP", "per_session"), "GBP 225 per session"),
        ((2400, 4800, "USD", "per_initial_series"), "USD 2,400\u20134,800 per initial series"),
        ((7.7, 31.6, "AUD", "per_month"), "AUD 7.70\u201331.60 per month"),
        ((None, None, None, None), "unknown"),
        ((100, None, None, "per_session"), "unknown"),
    ],
)
def test_format_price(args: tuple[object, ...], expected: str) -> None:
    assert labels.format_price(*args) == expected


@pytest.mark.parametrize(
    ("km", "unit", "expected"),
    [
        (0.0, "km", "0.0 km"),
        (3.24, "km", "3.2 km"),
        (27.4, "km", "27 km"),
        (27.4, "mi", "17 mi"),
        (1609.344, "mi", "1,000 mi"),
        (None, "km", "unknown"),
    ],
)
def test_format_distance(km: float | None, unit: str, expected: str) -> None:
    assert labels.format_distance(km, unit) == expected


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        ("+15125550100", "tel:+15125550100"),
        ("(0)20 7946 0000", "tel:02079460000"),
        ("988", "tel:988"),
        ("116 123", "tel:116123"),
        ("call us", None),
        (None, None),
        ("", None),
    ],
)
def test_tel_href(phone: str | None, expected: str | None) -> None:
    assert labels.tel_href(phone) == expected


def test_format_date() -> None:
    assert labels.format_date("2026-01-15") == "15 January 2026"
    assert labels.format_date("2026-11-26T16:23:50+00:00") == "26 November 2026"
    assert labels.format_date(dt.date(2020, 1, 2)) == "2 January 2020"
    assert labels.format_date("December 2022") == "December 2022"
    assert labels.format_date(None) == "unknown"


@pytest.mark.parametrize(
    ("verified", "stale"),
    [(None, True), ("", True), ("not a date", True), ("2025-12-26", False), ("2025-11-25", True)],
)
def test_is_stale(verified: str | None, stale: bool) -> None:
    assert labels.is_stale(verified, dt.date(2026, 11, 26), 365) is stale


def test_crisis_box_without_a_known_country(site_app: Flask) -> None:
    with site_app.test_request_context("/"):
        assert crisis_box(None).lines == list(GENERAL_CRISIS_LINES)
        assert crisis_box("EU").general
        texas = crisis_box("US-TX")
    assert not texas.general
    assert texas.place == "US"
    assert [labels.phone_links(line.phone) for line in texas.lines] == [[("988", "tel:988")]]


def test_layout_renders_without_a_database(tmp_path: Path, gazetteer: Path) -> None:
    app = create_app(
        {
            "TESTING": True,
            "DATABASE": str(tmp_path / "missing.db"),
            "GAZETTEER": str(gazetteer),
            "SECRET_KEY": "test",
        }
    )
    response = app.test_client().get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Temporarily unavailable" in html
    assert "116 123" in html
    assert "Data as of unknown" in html
