"""The curated dataset in data/: valid, sourced, placed, and its published schema current."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from directory.dataset.build import build_database
from directory.dataset.loader import Dataset, load_dataset
from directory.dataset.placing import build_time_resolver
from directory.dataset.published_schema import render, schema_documents
from directory.settings import PROJECT_ROOT

DATA = PROJECT_ROOT / "data"


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    return load_dataset(DATA)


def test_published_schemas_match_the_models() -> None:
    for name, document in schema_documents().items():
        published = (DATA / "schema" / name).read_text(encoding="utf-8")
        assert published == render(document), f"run: flask --app directory schema ({name})"
        json.loads(published)


def test_real_providers_in_at_least_five_countries(shipped: Dataset) -> None:
    real = [p for p in shipped.providers if not p.illustrative]
    countries = {loc.country for p in real for loc in p.locations} | {
        area.split("-")[0] for p in real for area in p.telehealth_areas
    }
    assert len(real) >= 40
    assert len(countries) >= 5


def test_every_record_is_sourced_and_dated(shipped: Dataset) -> None:
    for provider in shipped.providers:
        assert provider.sources, provider.id
        assert all(source.retrieved for source in provider.sources)
        for treatment in provider.treatments:
            if treatment.price:
                assert provider.source(treatment.price.source) is not None
        # Reading a page is not verification: a date needs someone who confirmed the facts.
        assert (provider.last_verified.date is None) == (provider.last_verified.by is None)
    for jurisdiction in shipped.jurisdictions:
        for note in jurisdiction.notes:
            assert note.sources, jurisdiction.code


def test_required_jurisdictions_are_covered(shipped: Dataset) -> None:
    codes = {j.code for j in shipped.jurisdictions}
    assert {"US", "CA", "GB", "GB-ENG", "GB-WLS", "GB-SCT", "IE", "AU", "NZ", "DE", "EU"} <= codes
    regions = {loc.region for p in shipped.providers for loc in p.locations if loc.region}
    us_states = {code for code in regions if code.startswith("US-")}
    assert us_states <= codes, us_states - codes
    for code in ("US", "CA", "GB", "IE", "AU", "NZ"):
        country = next(j for j in shipped.jurisdictions if j.code == code)
        assert country.crisis_lines, code


def test_shipped_data_builds_and_every_location_is_placed(tmp_path: Path, gazetteer: Path) -> None:
    report = build_database(DATA, tmp_path / "shipped.db", resolve=build_time_resolver(gazetteer))
    assert report.providers >= 40
    db = sqlite3.connect(tmp_path / "shipped.db")
    unplaced = db.execute(
        "SELECT provider_id FROM locations WHERE latitude IS NULL OR longitude IS NULL"
    ).fetchall()
    assert unplaced == []
    assert db.execute("SELECT count(*) FROM providers WHERE illustrative = 1").fetchone() == (0,)


def test_curated_files_are_plain_yaml_without_anchors_or_aliases() -> None:
    import yaml

    for path in sorted((DATA / "providers").glob("*.yaml")) + sorted(
        (DATA / "jurisdictions").glob("*.yaml")
    ):
        for event in yaml.parse(path.read_text(encoding="utf-8")):
            assert not isinstance(event, yaml.AliasEvent), path
            assert getattr(event, "anchor", None) is None, path
