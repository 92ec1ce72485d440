"""The coverage figures: measured exactly on a small dataset, and the shipped dataset held to
the floors it has reached, so it cannot silently fall below them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner

from directory.dataset.build import build_database
from directory.dataset.coverage import Coverage, measure
from directory.dataset.placing import build_time_resolver
from directory.settings import PROJECT_ROOT
from tests.builders import SOURCE, make_jurisdiction, make_provider, write_dataset

#: What the shipped dataset has reached, as counts (a share would fall whenever a less complete
#: record is added); raise a floor when the data grows past it. The directory's goals (300
#: providers, 60 % with a phone, 30 % priced, 60 % of sites finer than a city) are further on;
#: README.md quotes the figures.
FLOORS = {"providers": 320, "with_phone": 52, "priced": 18, "finer_than_city": 34}
COUNTRY_FLOORS = {"US": 235, "CA": 27, "GB": 8, "AU": 8, "DE": 8, "CH": 5, "NZ": 2}


def _measure(database: Path) -> Coverage:
    db = sqlite3.connect(database)
    try:
        return measure(db)
    finally:
        db.close()


@pytest.fixture
def small(tmp_path: Path) -> Coverage:
    third_party = dict(SOURCE, key="news", kind="news", url="https://news.example.org/a")
    providers = [
        make_provider(illustrative=False),
        make_provider(
            id="telehealth-only",
            name="Telehealth Only",
            illustrative=False,
            phone=None,
            website_source="news",
            locations=[],
            telehealth_areas=["US-TX"],
            treatments=[{"code": "at_home_telehealth"}],
            payment_options=[],
            accepting_new_patients="unknown",
            sources=[third_party],
        ),
        make_provider(id="made-up", name="Made Up"),  # illustrative: not counted
    ]
    jurisdictions = [make_jurisdiction(code) for code in ("US", "US-TX")]
    root = write_dataset(tmp_path / "data", providers, jurisdictions)
    target = tmp_path / "small.db"
    build_database(root, target)
    return _measure(target)


def test_figures_of_a_small_dataset(small: Coverage) -> None:
    assert small.providers == 2  # the illustrative record is left out
    assert small.by_country == {"US": 2}
    assert (small.reachable, small.with_phone, small.priced) == (2, 1, 1)
    assert small.sites == 1 and small.sites_by_precision == {"address": 1}
    assert small.third_party_only == ["telehealth-only"]
    assert small.country_notes["US"]["legal_status"] == "own"
    assert small.country_notes["US"]["public_funding"] == "missing"
    scores = {record.id: record for record in small.records}
    assert scores["harbor-ketamine-austin"].missing == ["screening"]
    assert scores["telehealth-only"].missing == [
        "phone",
        "street address",
        "postal code",
        "price",
        "payment options",
        "accepting new patients",
        "screening",
    ]
    assert small.as_json()["shares"]["with_phone"] == 0.5


def test_the_shipped_dataset_keeps_its_floors(tmp_path: Path, gazetteer: Path) -> None:
    target = tmp_path / "shipped.db"
    build_database(PROJECT_ROOT / "data", target, resolve=build_time_resolver(gazetteer))
    figures = _measure(target)
    assert figures.providers >= FLOORS["providers"]
    assert figures.reachable == figures.providers  # every provider has a website or a phone
    assert figures.with_phone >= FLOORS["with_phone"]
    assert figures.priced >= FLOORS["priced"]
    assert figures.sites_finer_than_city >= FLOORS["finer_than_city"]
    for country, floor in COUNTRY_FLOORS.items():
        assert figures.by_country.get(country, 0) >= floor, country


def test_the_command_prints_text_and_json(runner: FlaskCliRunner) -> None:
    text = runner.invoke(args=["coverage"])
    assert text.exit_code == 0, text.output
    assert text.output.startswith("providers: 0 in 0 countries")  # the fixture's is illustrative
    data = runner.invoke(args=["coverage", "--json"])
    assert data.exit_code == 0, data.output
    assert json.loads(data.output)["shares"]["reachable"] == 0.0
