"""Pages say how old their evidence is, when a rule lapses, what nobody has researched, and
where the directory is thin."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from directory.submissions.freshness import check_freshness
from tests.builders import (
    JURISDICTION_SOURCE,
    SOURCE,
    make_jurisdiction,
    make_provider,
    write_dataset,
)
from tests.views.html import page_html

TODAY = dt.date.today()
PAST = (TODAY - dt.timedelta(days=30)).isoformat()
FUTURE = (TODAY + dt.timedelta(days=300)).isoformat()


def _note(text: str, **dates: str) -> dict[str, object]:
    return {
        "topic": "telehealth_prescribing",
        "text": text,
        "as_of": "2025-01-01",
        "sources": [dict(JURISDICTION_SOURCE)],
        **dates,
    }


@pytest.fixture
def dataset_dir(tmp_path: Path) -> Path:
    old_source = dict(SOURCE, published="2020-01-02")
    providers = [
        make_provider(illustrative=False),
        make_provider(id="old-news-clinic", name="Old News Clinic", sources=[old_source]),
    ]
    jurisdictions = [
        make_jurisdiction("US", notes=[_note("A rule that lapsed.", valid_until=PAST)]),
        make_jurisdiction("US-TX", notes=[_note("A rule still running.", valid_until=FUTURE)]),
        make_jurisdiction("CA"),
    ]
    return write_dataset(tmp_path / "data", providers, jurisdictions)


def test_a_lapsed_rule_says_it_needs_review(client: FlaskClient) -> None:
    html = page_html(client, "/regions/US")
    assert "Stated to lapse on" in html
    assert "This rule's stated end date has passed." in html


def test_a_running_rule_gives_its_end_date_without_a_warning(client: FlaskClient) -> None:
    rules = page_html(client, "/regions/US-TX").split('id="rules-heading"')[1]
    own = rules.split('<details class="inherited-rules"')[0]  # before the national ones
    assert "A rule still running." in own and "Stated to lapse on" in own
    assert "stated end date has passed" not in own


def test_unresearched_topics_are_named(client: FlaskClient) -> None:
    html = page_html(client, "/regions/CA")
    assert (
        "Not researched yet for CA: esketamine approval, public funding, prescribing by telehealth."
        in html
    )


def test_old_evidence_is_flagged_on_the_page_and_to_maintainers(
    client: FlaskClient, dataset_dir: Path
) -> None:
    html = page_html(client, "/providers/old-news-clinic")
    assert "The newest date any source of this record shows is 2 January 2020" in html
    assert "Old evidence" not in page_html(client, "/providers/harbor-ketamine-austin")
    report = check_freshness(dataset_dir, 365, TODAY)
    assert [(f.id, f.detail) for f in report.old_evidence] == [
        ("old-news-clinic", "newest dated source 2020-01-02")
    ]


@pytest.mark.parametrize("url", ["/", "/about"])
def test_the_directory_says_where_it_is_thin(client: FlaskClient, url: str) -> None:
    html = page_html(client, url)
    assert "Where the directory is thin" in html
    # The illustrative record is not counted; CA has rules but no provider yet.
    assert "Real providers listed by country: US 1. None yet in CA" in html
