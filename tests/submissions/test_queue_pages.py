"""The review queue under a flood: paged with its true count, filtered by kind, provider or
words, and the flood rejected in one go while a genuine submission stays."""

from __future__ import annotations

import re
from pathlib import Path

from flask.testing import FlaskClient

from directory.submissions import store
from tests.submissions.conftest import pending
from tests.submissions.helpers import csrf_from


def _flood(queue_path: Path, count: int) -> str:
    """``count`` spam suggestions, then one genuine one; the genuine one's reference."""
    with store.open_store(queue_path) as connection:
        for n in range(count):
            payload = {"explanation": f"cheap pills {n}", "provider_name": "Harbor Ketamine"}
            store.add(connection, "update", "harbor-ketamine-austin", payload, {"changes": []})
        genuine = {"explanation": "The clinic moved to 9 Lake Road.", "provider_name": "Second"}
        return store.add(connection, "update", "second-clinic", genuine, {"changes": []})


def test_the_queue_says_its_true_count_and_pages_on(
    reviewer: FlaskClient, queue_path: Path
) -> None:
    _flood(queue_path, 620)
    first = reviewer.get("/review/").get_data(as_text=True)
    assert "621 waiting, oldest first; showing 1\u2013100." in first
    assert "Page 1 of 7" in first
    last = reviewer.get("/review/?page=7").get_data(as_text=True)
    assert "showing 601\u2013621" in last
    beyond = reviewer.get("/review/?page=99").get_data(as_text=True)
    assert "Page 7 of 7" in beyond
    assert reviewer.get("/review/?page=-3&kind=%00").status_code == 200


def test_a_filter_finds_the_genuine_submission(reviewer: FlaskClient, queue_path: Path) -> None:
    genuine = _flood(queue_path, 150)
    by_words = reviewer.get("/review/?q=Lake+Road").get_data(as_text=True)
    assert "1 waiting that match" in by_words and genuine in by_words
    by_provider = reviewer.get("/review/?provider=second").get_data(as_text=True)
    assert genuine in by_provider and "1 waiting that match" in by_provider
    literal = reviewer.get("/review/?q=%25").get_data(as_text=True)  # a % is a character
    assert "No waiting submission matches." in literal
    assert "151 waiting" in reviewer.get("/review/?kind=update").get_data(as_text=True)
    assert "No waiting submission matches." in reviewer.get("/review/?kind=new").get_data(
        as_text=True
    )


def test_the_flood_is_rejected_in_one_go(reviewer: FlaskClient, queue_path: Path) -> None:
    genuine = _flood(queue_path, 30)
    opened = reviewer.get("/review/?q=cheap+pills")
    page = opened.get_data(as_text=True)
    refs = re.findall(r'name="ref" value="([^"]+)"', page)
    assert len(refs) == 30 and genuine not in refs
    response = reviewer.post(
        "/review/reject",
        data={"ref": refs, "reason": "Spam.", "csrf_token": csrf_from(opened)},
        follow_redirects=True,
    )
    assert "Rejected 30." in response.get_data(as_text=True)
    assert [s.ref for s in pending(queue_path)] == [genuine]
    with store.open_store(queue_path) as connection:
        assert store.get(connection, refs[0]).reason == "Spam."


def test_a_bulk_rejection_needs_a_reason(reviewer: FlaskClient, queue_path: Path) -> None:
    _flood(queue_path, 3)
    opened = reviewer.get("/review/")
    refs = re.findall(r'name="ref" value="([^"]+)"', opened.get_data(as_text=True))
    response = reviewer.post(
        "/review/reject",
        data={"ref": refs, "reason": " ", "csrf_token": csrf_from(opened)},
        follow_redirects=True,
    )
    assert "Nothing rejected" in response.get_data(as_text=True)
    assert len(pending(queue_path)) == 4
