"""The telehealth list read in name order from the (area, name_order) index is exactly the
list a plain query sorting every matching programme by name gives, with every filter."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from directory.dataset.build import build_database
from directory.dataset.models import PaymentOption, TreatmentCode
from directory.dataset.synthetic import write_synthetic_dataset
from directory.db import open_readonly
from directory.search.candidates import candidates_for
from directory.search.params import SearchParams
from directory.search.result import telehealth_for

JURISDICTIONS = Path(__file__).resolve().parents[2] / "data" / "jurisdictions"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    root = tmp_path_factory.mktemp("telehealth")
    data = write_synthetic_dataset(root / "data", 3000, JURISDICTIONS, seed=5)
    build_database(data, root / "directory.db")
    connection = open_readonly(root / "directory.db")
    yield connection
    connection.close()


def plainly(
    db: sqlite3.Connection, params: SearchParams, codes: list[str], limit: int
) -> list[str]:
    """The list as a query over every matching programme, sorted by name, gives it."""
    where, args = candidates_for(params).listed()
    marks = ", ".join(f":c{index}" for index in range(len(codes)))
    args.update({f"c{index}": code for index, code in enumerate(codes)})
    where.append(
        f"p.id IN (SELECT provider_id FROM telehealth_areas WHERE jurisdiction_code IN ({marks}))"
    )
    return [
        row[0]
        for row in db.execute(
            f"SELECT p.id FROM providers p WHERE {' AND '.join(where)} "
            f"ORDER BY p.name COLLATE NOCASE, p.id LIMIT {limit}",
            args,
        )
    ]


SEARCHES = [
    SearchParams(),
    SearchParams(include_closed=True),
    SearchParams(treatment=TreatmentCode.AT_HOME_TELEHEALTH),
    SearchParams(payment=(PaymentOption.CASH, PaymentOption.FINANCING)),
    SearchParams(accepting="yes"),
    SearchParams(q="ketamine"),
]
AREAS = [["US-TX", "US"], ["US-NY", "US-TX", "US"], ["CA-ON", "CA"], ["GB-SCT", "GB"], ["US-CA"]]


@pytest.mark.parametrize("limit", [1, 5, 50])
@pytest.mark.parametrize("codes", AREAS, ids="+".join)
@pytest.mark.parametrize("params", SEARCHES, ids=repr)
def test_the_indexed_list_is_the_plain_one(
    db: sqlite3.Connection, params: SearchParams, codes: list[str], limit: int
) -> None:
    expected = plainly(db, params, codes, limit)
    assert [hit.id for hit in telehealth_for(db, params, codes, limit=limit)] == expected


def test_the_shared_areas_have_many_programmes(db: sqlite3.Connection) -> None:
    count = db.execute(
        "SELECT count(DISTINCT provider_id) FROM telehealth_areas "
        "WHERE jurisdiction_code IN ('US-NY', 'US-TX', 'US')"
    ).fetchone()[0]
    assert count > 50  # so the limit and the merge of two areas are both exercised
