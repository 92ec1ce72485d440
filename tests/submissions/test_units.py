"""The pure pieces: field paths and diffs, value coercion, display, ids, duplicates, the
queue, the rate limiter and account checks."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from directory.submissions import accounts, display, ratelimit, store
from directory.submissions.diff import (
    FieldChange,
    apply_changes,
    diff_records,
    get_at,
    parse_path,
    set_at,
)
from directory.submissions.duplicates import find_duplicates, name_key, phone_key
from directory.submissions.fields import coerce_value, suggestible_fields
from directory.submissions.newprovider import make_id
from tests.builders import make_provider


@pytest.mark.parametrize(
    ("path", "parts"),
    [
        ("phone", ("phone",)),
        ("treatments[0].price.min", ("treatments", 0, "price", "min")),
        ("locations[12].city", ("locations", 12, "city")),
    ],
)
def test_parse_path(path: str, parts: tuple[Any, ...]) -> None:
    assert parse_path(path) == parts


@pytest.mark.parametrize(
    "path", ["", ".phone", "phone.", "[0]", "a[0]b", "a..b", "Phone", "a[x]", "a" * 300, "a b"]
)
def test_parse_path_refuses_malformed(path: str) -> None:
    with pytest.raises(ValueError):
        parse_path(path)


def test_diff_is_field_level() -> None:
    old = make_provider()
    new = make_provider(phone="+1 000", payment_options=["cash", "financing"])
    new["treatments"][0]["price"]["max"] = 600
    new["organisation"] = "Harbor Health"
    changes = diff_records(old, new)
    assert changes == [
        FieldChange("phone", "+15125550100", "+1 000"),
        FieldChange("treatments[0].price.max", 550, 600),
        FieldChange("payment_options", ["cash"], ["cash", "financing"]),
        FieldChange("organisation", None, "Harbor Health"),
    ]


def test_diff_treats_a_list_of_different_length_as_one_value() -> None:
    old = {"treatments": [{"code": "a"}]}
    new = {"treatments": [{"code": "a"}, {"code": "b"}]}
    assert diff_records(old, new) == [
        FieldChange("treatments", old["treatments"], new["treatments"])
    ]


def test_diff_of_dates_and_missing_values() -> None:
    assert diff_records({"d": dt.date(2026, 1, 2)}, {"d": "2026-01-02"}) == []
    assert diff_records({"a": None}, {}) == []
    assert diff_records(None, {"id": "x"}) == [FieldChange("id", None, "x")]


def test_apply_changes_round_trips_a_diff() -> None:
    old = make_provider()
    new = make_provider(phone="+1 000", status="closed")
    new["treatments"][0]["price"]["min"] = 100
    apply_changes(old, diff_records(old, new))
    assert diff_records(old, new) == []


def test_set_at_creates_mappings_and_removes_with_none() -> None:
    record: dict[str, Any] = {"screening": None, "phone": "1"}
    set_at(record, "screening.referral_required", "yes")
    set_at(record, "phone", None)
    assert record == {"screening": {"referral_required": "yes"}}
    with pytest.raises(ValueError):
        set_at(record, "locations[0].city", "x")
    assert get_at(record, "locations[3].city") is None


@pytest.mark.parametrize(
    ("path", "text", "current", "expected"),
    [
        ("phone", " +1 (512) 555-0100 ", "x", "+15125550100"),
        ("phone", "01865 902522", "+441865902500", "+441865902522"),
        ("treatments[0].price.max", "1,200", 550, 1200),
        ("treatments[0].price.max", "12.5", None, 12.5),
        ("payment_options", "cash, , financing", ["cash"], ["cash", "financing"]),
        ("do_not_list", "Yes", False, True),
        ("organisation", "", "Old", None),
    ],
)
def test_coerce_value(path: str, text: str, current: Any, expected: Any) -> None:
    assert coerce_value(path, text, current) == expected


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("treatments[0].price.max", "nan"),
        ("treatments[0].price.min", "lots"),
        ("do_not_list", "perhaps"),
        ("treatments[0].price.max", "inf"),
    ],
)
def test_coerce_value_refuses(path: str, text: str) -> None:
    with pytest.raises(ValueError):
        coerce_value(path, text)


def test_suggestible_fields_follow_the_record() -> None:
    paths = [choice.path for choice in suggestible_fields(make_provider())]
    assert paths[:2] == ["name", "organisation"]
    assert "locations[0].postal_code" in paths
    assert "treatments[0].price.max" in paths
    assert "sources[0].url" not in paths


def test_display_helpers() -> None:
    assert display.value(True) == "yes"
    assert display.value([{"code": "a"}]) == '[{"code": "a"}]'
    assert display.field_label("treatments[0].price.max") == "treatments 1 > price > max"
    assert display.day(dt.date(2026, 3, 5)) == "5 March 2026"
    assert display.age(dt.timedelta(hours=1)) == "1 hour"


@pytest.mark.parametrize(
    ("name", "city", "expected"),
    [
        ("Harbor Ketamine", "Austin", "harbor-ketamine-austin"),
        ("Clinique Kétamine", "Montréal", "clinique-ketamine-montreal"),
    ],
)
def test_make_id(name: str, city: str, expected: str) -> None:
    assert make_id(name, city) == expected


def test_make_id_falls_back_for_names_without_latin_letters() -> None:
    assert make_id("東京クリニック", "").startswith("provider-")


def test_duplicates_by_name_phone_and_distance() -> None:
    existing = [
        make_provider(),
        make_provider(id="elsewhere", name="Elsewhere", phone="+442079460000", locations=[]),
    ]
    twin = {
        "name": "The Harbor Ketamine Clinic",
        "phone": "512.555.0100",
        "locations": [{"city": "Austin", "country": "US", "latitude": 30.27, "longitude": -97.74}],
    }
    [found] = find_duplicates(twin, existing)
    assert found.id == "harbor-ketamine-austin"
    assert set(found.reasons) == {"same name", "same phone", "a site within 1.5 km"}
    far = {"name": "Other", "locations": [{"latitude": 40.0, "longitude": -70.0}]}
    assert find_duplicates(far, existing) == []
    assert name_key("Harbor Ketamine, LLC") == "harborketamine"
    assert phone_key("123") == ""


def test_the_queue_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "queue.db"
    with store.open_store(path) as connection:
        ref = store.add(connection, "update", "x", {"a": "é"}, {"changes": []}, "me@x.org")
        assert store.is_reference(ref)
        got = store.get(connection, ref)
        assert got is not None and got.payload == {"a": "é"} and got.has_contact
        assert store.count_pending(connection) == 1
        assert store.save_proposal(connection, ref, "x", {"changes": [1]}, "alice")
        assert store.decide(connection, ref, "rejected", "alice", "no")
        assert not store.decide(connection, ref, "approved", "bob")
        assert not store.save_proposal(connection, ref, "x", {}, "bob")
        assert store.list_pending(connection) == []
        assert [s.ref for s in store.list_decided(connection)] == [ref]
        mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_the_rate_limiter_windows_and_rotates_keys() -> None:
    connection = sqlite3.connect(":memory:", isolation_level=None)
    connection.executescript(ratelimit.SCHEMA)
    secret = b"instance secret"
    noon = dt.datetime(2026, 3, 5, 12, tzinfo=dt.UTC)
    hits = [ratelimit.attempt(connection, secret, "b", "1.2.3.4", 2, now=noon) for _ in range(3)]
    assert hits == [True, True, False]
    assert ratelimit.attempt(connection, secret, "b", "5.6.7.8", 2, now=noon)
    later = noon + dt.timedelta(hours=1, seconds=1)
    assert ratelimit.attempt(connection, secret, "b", "1.2.3.4", 2, now=later)
    # Hits just before midnight still count just after it, under the new day's key.
    late = dt.datetime(2026, 3, 5, 23, 50, tzinfo=dt.UTC)
    for _ in range(2):
        ratelimit.record(connection, secret, "c", "9.9.9.9", now=late)
    after = late + dt.timedelta(minutes=20)
    assert ratelimit.blocked(connection, secret, "c", "9.9.9.9", 2, now=after)
    stored = " ".join(str(row) for row in connection.execute("SELECT * FROM rate_hits"))
    assert "1.2.3.4" not in stored


@pytest.mark.parametrize("name", ["a", "-x", "has space", "x" * 41, "<b>"])
def test_account_names_are_checked(name: str) -> None:
    with pytest.raises(accounts.AccountError):
        accounts.check_name(name)


def test_verify_fails_for_unknown_names_and_long_passwords(tmp_path: Path) -> None:
    with store.open_store(tmp_path / "q.db") as connection:
        accounts.add(connection, "alice", "a long enough password")
        assert accounts.verify(connection, "nobody", "a long enough password") is None
        assert accounts.verify(connection, "alice", "x" * 2000) is None
        found = accounts.verify(connection, "ALICE", "a long enough password")
        assert found is not None and found.name == "alice"


@pytest.mark.parametrize(
    "character",
    ["\u2060", "\u061c", "\u180e", "\u00ad", "\u3164", "\U000e0041", "\ufe0f", "\u200b"],
    ids=[
        "word-joiner",
        "arabic-mark",
        "mongolian-sep",
        "soft-hyphen",
        "hangul-filler",
        "tag",
        "variation-selector",
        "zero-width-space",
    ],
)
def test_clean_removes_invisible_and_format_characters(character: str) -> None:
    from directory.submissions.forms import clean

    assert clean(f"Harbor{character} Ketamine") == "Harbor Ketamine"


def test_clean_keeps_the_joiners_scripts_need() -> None:
    from directory.submissions.forms import clean

    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # "I want", with a ZWNJ
    assert clean(persian) == persian
