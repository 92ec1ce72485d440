"""The maintainer's workflow end to end: the queue and its diff, edit, approve (data file,
change log, database, public page), reject, new providers with duplicates, do-not-list."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask.testing import FlaskClient

from directory.dataset.loader import load_dataset
from directory.submissions import store
from tests.submissions.conftest import COMMENT, pending
from tests.submissions.helpers import (
    base_hash_from,
    csrf_from,
    new_provider_form,
    post_form,
    suggestion,
)

FILE = "providers/harbor-ketamine-austin.yaml"
SUGGEST = "/providers/harbor-ketamine-austin/suggest"


def suggest(client: FlaskClient, queue_path: Path, **changes: Any) -> str:
    """Send a suggestion and return its reference."""
    before = {s.ref for s in pending(queue_path)}
    assert post_form(client, SUGGEST, suggestion(**changes)).status_code == 303
    [ref] = {s.ref for s in pending(queue_path)} - before
    return ref


def approve(reviewer: FlaskClient, ref: str, **fields: Any) -> Any:
    """Open the review page and approve with what it shows, plus ``fields``."""
    page = reviewer.get(f"/review/submissions/{ref}")
    data = {
        "csrf_token": csrf_from(page),
        "base_hash": base_hash_from(page),
        "source_url": "https://clinic.example.org/contact",
        **fields,
    }
    return reviewer.post(f"/review/submissions/{ref}/approve", data=data)


def changelog(dataset_dir: Path) -> list[dict[str, Any]]:
    path = dataset_dir / "changelog.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_the_queue_lists_pending_items_with_their_age(
    client: FlaskClient, reviewer: FlaskClient, queue_path: Path
) -> None:
    ref = suggest(client, queue_path)
    page = reviewer.get("/review/").get_data(as_text=True)
    assert ref in page
    assert "just now" in page or "minute" in page
    assert "Harbor Ketamine" in page


def test_the_item_shows_a_field_diff_source_and_contact(
    client: FlaskClient, reviewer: FlaskClient, queue_path: Path
) -> None:
    ref = suggest(client, queue_path)
    page = reviewer.get(f"/review/submissions/{ref}").get_data(as_text=True)
    assert '<th scope="row">phone</th>' in page
    assert "+15125550100" in page and "+15125550199" in page
    assert "https://clinic.example.org/contact" in page
    assert "person@example.com" in page  # maintainers may contact the submitter
    assert "I confirmed these facts with the provider or an official register" in page


def test_approval_writes_the_file_log_database_and_public_page(
    client: FlaskClient, reviewer: FlaskClient, queue_path: Path, dataset_dir: Path
) -> None:
    ref = suggest(client, queue_path)
    original = (dataset_dir / FILE).read_text(encoding="utf-8")
    response = approve(reviewer, ref)
    assert response.status_code == 303, response.get_data(as_text=True)

    text = (dataset_dir / FILE).read_text(encoding="utf-8")
    assert text.startswith(COMMENT)  # comments and layout survive
    record = yaml.safe_load(text)
    assert record["phone"] == "+15125550199"
    assert record["sources"][-1]["url"] == "https://clinic.example.org/contact"
    assert str(record["sources"][-1]["retrieved"]) >= "2026-01-01"
    assert record.get("last_verified", {}).get("date") is None  # not ticked
    changed = [line for line in text.splitlines() if line not in original.splitlines()]
    assert any("phone" in line for line in changed)
    assert "person@example.com" not in text

    [entry] = changelog(dataset_dir)
    assert entry["record"] == "harbor-ketamine-austin"
    assert entry["field"] == "phone"
    assert (entry["old"], entry["new"]) == ("+15125550100", "+15125550199")
    assert entry["by"] == "alice"
    assert entry["source"] == "https://clinic.example.org/contact"
    assert entry["submission"] == ref
    assert entry["when"]
    assert "person@example.com" not in json.dumps(entry)

    load_dataset(dataset_dir)  # the whole dataset still validates
    public = client.get("/providers/harbor-ketamine-austin").get_data(as_text=True)
    assert "+15125550199" in public
    history = client.get("/providers/harbor-ketamine-austin/history").get_data(as_text=True)
    assert "+15125550100 → +15125550199" in history
    assert "person@example.com" not in history
    with store.open_store(queue_path) as connection:
        decided = store.get(connection, ref)
    assert decided is not None and decided.status == "approved"
    status = client.get(f"/submissions/{ref}").get_data(as_text=True)
    assert "Approved on" in status


def test_ticking_verified_confirms_the_changed_fact_only(
    client: FlaskClient, reviewer: FlaskClient, queue_path: Path, dataset_dir: Path
) -> None:
    ref = suggest(client, queue_path)  # a new phone number
    assert approve(reviewer, ref, verified="yes").status_code == 303
    record = yaml.safe_load((dataset_dir / FILE).read_text(encoding="utf-8"))
    [checked] = [s for s in record["sources"] if s["url"] == "https://clinic.example.org/contact"]
    assert checked["confirmed_by"] == "alice" and checked["confirmed_on"] is not None
    assert record["phone_source"] == checked["key"]  # the phone cites what was confirmed
    assert record["treatments"][0]["price"]["source"] != checked["key"]  # the price does not
    assert record.get("last_verified", {}).get("date") is None  # nor is the whole record
    fields = {entry["field"] for entry in changelog(dataset_dir)}
    assert "phone" in fields and not any(f.startswith("last_verified") for f in fields)
    page = client.get("/providers/harbor-ketamine-austin").get_data(as_text=True)
    phone = page.split("<dt>Phone</dt>")[1].split("</dd>")[0]
    assert "Confirmed with the provider or a register by alice on" in phone
    price = page.split("<dt>Price</dt>")[1].split("</dd>")[0]
    assert "Confirmed" not in price
    assert "Not yet verified." in page


def test_ticking_verified_without_a_change_confirms_the_record(
    client: FlaskClient, reviewer: FlaskClient, queue_path: Path, dataset_dir: Path
) -> None:
    ref = suggest(client, queue_path, field="other", proposed="All still correct.")
    assert approve(reviewer, ref, verified="yes").status_code == 303
    record = yaml.safe_load((dataset_dir / FILE).read_text(encoding="utf-8"))
    assert record["last_verified"]["by"] == "alice"


def test_approval_needs_a_source(
    client: FlaskClient, reviewer: FlaskClient, queue_path: Path, dataset_dir: Path
) -> None:
    ref = suggest(client, queue_path)
    before = (dataset_dir / FILE).read_bytes()
    response = approve(reviewer, ref, source_url="")
    assert response.status_code == 409
    assert "give the source you checked" in response.get_data(as_text=True)
    assert (dataset_dir / FILE).read_bytes() == before


def test_reject_with_a_reason(
    client: FlaskClient, reviewer: FlaskClient, queue_path: Path, dataset_dir: Path
) -> None:
    ref = suggest(client, queue_path)
    before = (dataset_dir / FILE).read_bytes()
    page = reviewer.get(f"/review/submissions/{ref}")
    url = f"/review/submissions/{ref}/reject"
    empty = reviewer.post(url, data={"csrf_token": csrf_from(page), "reason": " "})
    assert empty.status_code == 400
    response = reviewer.post(
        url, data={"csrf_token": csrf_from(page), "reason": "The source does not say this."}
    )
    assert response.status_code == 303
    assert pending(queue_path) == []
    assert (dataset_dir / FILE).read_bytes() == before
    assert changelog(dataset_dir) == []
    status = client.get(f"/submissions/{ref}").get_data(as_text=True)
    assert "Not accepted" in status and "The source does not say this." in status
    decided = reviewer.get(f"/review/submissions/{ref}")
    assert "Approve and publish" not in decided.get_data(as_text=True)
    again = reviewer.post(
        f"/review/submissions/{ref}/approve",
        data={"csrf_token": csrf_from(decided), "base_hash": "x", "source_url": "https://a.org/"},
    )
    assert again.status_code == 409
    assert "already decided by alice" in again.get_data(as_text=True)
    assert (dataset_dir / FILE).read_bytes() == before


def test_edit_then_approve(
    client: FlaskClient, reviewer: FlaskClient, queue_path: Path, dataset_dir: Path
) -> None:
    ref = suggest(client, queue_path, field="other", proposed="The max price is 600 now")
    page = reviewer.get(f"/review/submissions/{ref}").get_data(as_text=True)
    assert "names no field" in page
    edit = reviewer.get(f"/review/submissions/{ref}/edit")
    text = edit.get_data(as_text=True)
    assert "max: 550" in text
    start = text.index('name="record"')
    current = text[text.index(">", start) + 1 : text.index("</textarea>")]
    import html

    edited = html.unescape(current).replace("max: 550", "max: 600")
    bad = reviewer.post(
        f"/review/submissions/{ref}/edit",
        data={"csrf_token": csrf_from(edit), "record": edited.replace("max: 600", "max: 100")},
    )
    assert bad.status_code == 400
    assert "above maximum" in bad.get_data(as_text=True)
    saved = reviewer.post(
        f"/review/submissions/{ref}/edit", data={"csrf_token": csrf_from(edit), "record": edited}
    )
    assert saved.status_code == 303
    diff = reviewer.get(f"/review/submissions/{ref}").get_data(as_text=True)
    assert "treatments[0].price.max" in diff
    assert (
        approve(reviewer, ref, source_url="https://clinic.example.org/pricing").status_code == 303
    )
    record = yaml.safe_load((dataset_dir / FILE).read_text(encoding="utf-8"))
    assert record["treatments"][0]["price"]["max"] == 600
    [entry] = changelog(dataset_dir)
    assert entry["field"] == "treatments[0].price.max" and entry["new"] == 600


def test_a_new_provider_shows_duplicates_and_is_created_on_approval(
    client: FlaskClient, reviewer: FlaskClient, queue_path: Path, dataset_dir: Path
) -> None:
    form = new_provider_form(name="Harbor Ketamine", phone="(512) 555-0100", postal_code="78701")
    assert post_form(client, "/providers/new", form).status_code == 303
    [queued] = pending(queue_path)
    page = reviewer.get(f"/review/submissions/{queued.ref}").get_data(as_text=True)
    assert "Possible duplicates" in page
    assert "harbor-ketamine-austin" in page
    for reason in ("same name", "same phone", "same postal code"):
        assert reason in page
    response = approve(reviewer, queued.ref, source_url="https://lakeside.example.org/pricing")
    assert response.status_code == 303, response.get_data(as_text=True)
    new_id = queued.proposal["record"]["id"]
    assert new_id == "harbor-ketamine-austin-2"
    created = yaml.safe_load((dataset_dir / f"providers/{new_id}.yaml").read_text())
    assert created["accepting_new_patients"] == "yes"
    assert created["sources"][0]["url"] == "https://lakeside.example.org/pricing"
    load_dataset(dataset_dir)
    assert client.get(f"/providers/{new_id}").status_code == 200
    assert {entry["record"] for entry in changelog(dataset_dir)} == {new_id}


def test_a_provider_can_be_hidden_and_listed_again(
    client: FlaskClient, reviewer: FlaskClient, dataset_dir: Path
) -> None:
    url = "/review/providers/harbor-ketamine-austin"
    page = reviewer.get(url)
    assert page.status_code == 200
    response = reviewer.post(
        url,
        data={
            "csrf_token": csrf_from(page),
            "base_hash": base_hash_from(page),
            "hide": "yes",
            "reason": "The provider asked to be removed.",
        },
    )
    assert response.status_code == 303
    assert client.get("/providers/harbor-ketamine-austin").status_code == 404
    assert client.get("/providers/harbor-ketamine-austin/history").status_code == 404
    assert client.get(SUGGEST).status_code == 404
    record = yaml.safe_load((dataset_dir / FILE).read_text(encoding="utf-8"))
    assert record["do_not_list"] is True and record["name"] == "Harbor Ketamine"
    [entry] = changelog(dataset_dir)
    assert entry["field"] == "do_not_list" and entry["reason"].startswith("The provider asked")
    freshness = reviewer.get("/review/freshness").get_data(as_text=True)
    assert "do_not_list is set" in freshness

    page = reviewer.get(url)
    assert "List it again" in page.get_data(as_text=True)
    response = reviewer.post(
        url,
        data={
            "csrf_token": csrf_from(page),
            "base_hash": base_hash_from(page),
            "hide": "no",
            "reason": "Listed again at their request.",
        },
    )
    assert response.status_code == 303
    assert client.get("/providers/harbor-ketamine-austin").status_code == 200
    history = client.get("/providers/harbor-ketamine-austin/history").get_data(as_text=True)
    assert "do not list" in history


def test_the_freshness_page_lists_problems(reviewer: FlaskClient) -> None:
    page = reviewer.get("/review/freshness").get_data(as_text=True)
    assert "Not verified recently" in page
    assert "never verified" in page
    assert "Suspicious values" in page


def test_requests_never_fail_while_approvals_rebuild_the_database(
    app: Any, client: FlaskClient, reviewer: FlaskClient, queue_path: Path
) -> None:
    refs = [
        suggest(client, queue_path, field="name", proposed=f"Harbor Ketamine {n}") for n in range(3)
    ]
    failures: list[int] = []
    seen: set[int] = set()
    stop = threading.Event()

    def read() -> None:
        reader = app.test_client()
        while not stop.is_set():
            status = reader.get("/providers/harbor-ketamine-austin").status_code
            seen.add(status)
            if status != 200:
                failures.append(status)

    threads = [threading.Thread(target=read) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        for ref in refs:
            response = approve(reviewer, ref)
            if response.status_code == 409:  # the record changed: review again, approve again
                response = approve(reviewer, ref)
            assert response.status_code == 303
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert failures == []
    assert seen == {200}
    assert "Harbor Ketamine 2" in client.get("/providers/harbor-ketamine-austin").get_data(
        as_text=True
    )


@pytest.mark.parametrize("url", ["/providers/second-clinic-toronto/history"])
def test_history_of_an_unchanged_record_is_empty(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert "No reviewed changes yet" in response.get_data(as_text=True)


def test_approving_a_second_new_provider_with_the_same_id_never_replaces_the_first(
    client: FlaskClient, reviewer: FlaskClient, queue_path: Path, dataset_dir: Path
) -> None:
    first_form = new_provider_form(phone="+15125550222")
    second_form = new_provider_form(phone="+15125550233", website="https://other.example.org/")
    for form in (first_form, second_form):
        assert post_form(client, "/providers/new", form).status_code == 303
    first, second = sorted(pending(queue_path), key=lambda s: s.created_at)
    identifier = first.proposal["record"]["id"]
    assert second.proposal["record"]["id"] == identifier  # both named before either was approved
    assert approve(reviewer, first.ref).status_code == 303
    path = dataset_dir / f"providers/{identifier}.yaml"
    before = path.read_bytes()

    refused = approve(reviewer, second.ref)
    assert refused.status_code == 409
    assert f"a provider with the id {identifier} already exists" in refused.get_data(as_text=True)
    assert path.read_bytes() == before  # the first record's phone and sources are intact
    assert [s.ref for s in pending(queue_path)] == [second.ref]  # still waiting, nothing lost
    assert {entry["record"] for entry in changelog(dataset_dir)} == {identifier}
    assert len([e for e in changelog(dataset_dir) if e["field"] == "phone"]) == 1


@pytest.mark.parametrize(
    "record",
    [
        "id: harbor-ketamine-austin\nname: &n Harbor\norganisation: *n\n",
        # A "billion laughs" alias bomb: 413 bytes once took seconds to expand.
        "a: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n"
            for i in range(8)
        ),
    ],
    ids=["alias", "alias-bomb"],
)
def test_edited_yaml_may_not_use_anchors_or_aliases(
    client: FlaskClient, reviewer: FlaskClient, queue_path: Path, record: str
) -> None:
    ref = suggest(client, queue_path, field="other", proposed="The max price is 600 now")
    edit = reviewer.get(f"/review/submissions/{ref}/edit")
    refused = reviewer.post(
        f"/review/submissions/{ref}/edit", data={"csrf_token": csrf_from(edit), "record": record}
    )
    assert refused.status_code == 400
    assert "anchors and aliases" in refused.get_data(as_text=True)


@pytest.mark.parametrize(
    ("field", "proposed"),
    [
        ("phone", "+15125550199"),
        ("name", "Harbor Ketamine Austin"),
        ("payment_options", "cash, financing"),
        ("treatments[0].price.max", "600"),
        ("locations[0].street", "2 Test Street"),
        ("accepting_new_patients", "no"),
    ],
)
def test_approved_files_stay_plain_yaml(
    client: FlaskClient,
    reviewer: FlaskClient,
    queue_path: Path,
    dataset_dir: Path,
    field: str,
    proposed: str,
) -> None:
    from directory.submissions import yamlio

    path = dataset_dir / FILE
    # The shipped files are in the layout approvals write (the fixture is PyYAML's).
    path.write_text(yamlio.dump(yamlio.load(path.read_text(encoding="utf-8"))), encoding="utf-8")
    before = path.read_text(encoding="utf-8").splitlines()
    ref = suggest(client, queue_path, field=field, proposed=proposed)
    # Confirming the facts makes today's date appear twice (the source's and the verification's).
    assert approve(reviewer, ref, verified="yes").status_code == 303
    after = path.read_text(encoding="utf-8")
    assert "&id" not in after and "*id" not in after  # no anchors, no aliases
    yaml.safe_load(after)
    # Lines the change did not touch are byte for byte as they were.
    kept = [line for line in before if line in after.splitlines()]
    assert len(kept) >= len(before) - 6, set(before) - set(after.splitlines())
