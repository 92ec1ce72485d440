"""The freshness report finds statements in notes that contradict a field, and only those."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from directory.dataset.models import Provider
from directory.submissions.contradictions import contradictions
from directory.submissions.freshness import check_freshness
from tests.builders import make_provider, write_dataset

TODAY = dt.date(2026, 12, 4)


def _provider(notes: str, fields: dict[str, Any]) -> Provider:
    fields = dict(fields)
    referral = fields.pop("referral", "unknown")
    record = make_provider(**fields)
    key = record["sources"][0]["key"]
    record["screening"] = {"referral_required": referral, "notes": notes, "source": key}
    return Provider.model_validate(record, context={"today": TODAY})


@pytest.mark.parametrize(
    ("notes", "fields", "expected"),
    [
        (
            "The FAQ says the service can no longer accept new patients from outside the county.",
            {"accepting_new_patients": "unknown"},
            "accepting_new_patients is unknown",
        ),
        ("We are not taking new referrals.", {"accepting_new_patients": "yes"}, "is yes"),
        ("Currently accepting new patients.", {"accepting_new_patients": "no"}, "is no"),
        ("The clinic has permanently closed.", {"status": "active"}, "status is active"),
        ("A GP referral is required.", {"referral": "no"}, "referral_required is no"),
        ("No referral needed.", {"referral": "yes"}, "referral_required is yes"),
    ],
)
def test_a_note_against_its_field_is_found(
    notes: str, fields: dict[str, Any], expected: str
) -> None:
    [found] = contradictions(_provider(notes, fields))
    assert expected in found.detail and "screening.notes says “" in found.detail


@pytest.mark.parametrize(
    ("notes", "fields"),
    [
        ("We are not accepting new patients.", {"accepting_new_patients": "no"}),
        ("It had stopped accepting new patients in 2025.", {"accepting_new_patients": "no"}),
        ("Accepting new patients.", {"accepting_new_patients": "yes"}),
        ("No psychiatrist's referral is needed.", {"referral": "no"}),
        ("No psychiatrist referral needed; a diagnosis is.", {"referral": "no"}),
        ("A referral is required.", {"referral": "yes"}),
        ("Six infusions over two weeks.", {}),
    ],
)
def test_agreeing_notes_are_not_reported(notes: str, fields: dict[str, Any]) -> None:
    assert contradictions(_provider(notes, fields)) == []


def test_the_freshness_report_lists_the_contradiction(tmp_path: Path) -> None:
    record = make_provider(accepting_new_patients="unknown")
    record["regulatory_notes"] = [
        {"text": "It can no longer accept new patients.", "sources": [record["sources"][0]["key"]]}
    ]
    data = write_dataset(tmp_path / "data", providers=[record])
    report = check_freshness(data, 365, TODAY)
    [finding] = report.contradictions
    assert finding.id == record["id"] and "accepting_new_patients is unknown" in finding.detail
    assert ("Notes that contradict a field", report.contradictions) in report.sections()
