"""Every kind of bad input names its file, record and field, and nothing is written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from directory.dataset.build import build_database
from directory.dataset.loader import DatasetInvalid, load_dataset
from tests.builders import SOURCE, make_provider, write_dataset

FILE = "data/providers/harbor-ketamine-austin.yaml"
RECORD = "harbor-ketamine-austin"


def _price(**overrides: Any) -> list[dict[str, Any]]:
    treatment = make_provider()["treatments"][0]
    treatment["price"].update(overrides)
    return [treatment]


def _location(**overrides: Any) -> list[dict[str, Any]]:
    location = make_provider()["locations"][0]
    location.update(overrides)
    return [location]


BAD_RECORDS = [
    pytest.param({"name": None}, "name", "valid string", id="missing-name"),
    pytest.param(
        {"treatments": [{"code": "lsd"}]},
        "treatments[0].code",
        "Input should be",
        id="unknown-treatment",
    ),
    pytest.param(
        {"locations": _location(country="XX", region=None)},
        "locations[0].country",
        "unknown ISO 3166-1",
        id="unknown-country",
    ),
    pytest.param(
        {"locations": _location(region="US-ZZ")},
        "locations[0].region",
        "ISO 3166-2",
        id="unknown-region",
    ),
    pytest.param(
        {"locations": _location(latitude=123.0)},
        "locations[0].latitude",
        "less than or equal to 90",
        id="latitude-out-of-range",
    ),
    pytest.param(
        {"locations": _location(longitude=-181)},
        "locations[0].longitude",
        "greater than or equal to -180",
        id="longitude-out-of-range",
    ),
    pytest.param(
        {"treatments": _price(min=900)},
        "treatments[0].price",
        "minimum 900 is above maximum 550",
        id="price-min-above-max",
    ),
    pytest.param(
        {"treatments": _price(currency="XYZ")},
        "treatments[0].price.currency",
        "ISO 4217",
        id="unknown-currency",
    ),
    pytest.param(
        {"sources": [{"title": "No address", "retrieved": "2026-01-01"}]},
        "sources[0].url",
        "Field required",
        id="source-without-url",
    ),
    pytest.param(
        {"sources": [dict(SOURCE, url="not a url")]},
        "sources[0].url",
        "URL",
        id="source-url-invalid",
    ),
    pytest.param(
        {"sources": [dict(SOURCE, retrieved="2999-01-01")]},
        "sources[0].retrieved",
        "in the future",
        id="future-retrieved",
    ),
    pytest.param(
        {"treatments": _price(source="elsewhere")},
        "treatments[0].price.source",
        "source key 'elsewhere' names no source of this record",
        id="price-cites-missing-source",
    ),
    pytest.param(
        {"phone_source": "contact"},
        "phone_source",
        "source key 'contact' names no source",
        id="phone-cites-missing-source",
    ),
    pytest.param(
        {"phone_source": None},
        "phone_source",
        "name the source of phone",
        id="phone-without-source",
    ),
    pytest.param(
        {"locations": _location(source=None)},
        "locations[0].source",
        "name the source of locations[0]",
        id="site-without-source",
    ),
    pytest.param(
        {"treatments": [{"code": "iv_infusion", "source": None}]},
        "treatments[0].source",
        "name the source of treatments[0]",
        id="treatment-without-source",
    ),
    pytest.param(
        {"status": "closed", "status_source": None},
        "status_source",
        "name the source of status",
        id="status-change-without-source",
    ),
    pytest.param(
        {"regulatory_notes": [{"text": "A note.", "sources": ["nowhere"]}]},
        "regulatory_notes[0].sources[0]",
        "names no source",
        id="note-cites-missing-source",
    ),
    pytest.param(
        {"sources": [SOURCE, SOURCE]}, "", "two sources share a key", id="duplicate-source-key"
    ),
    pytest.param(
        {"phone": "+1 512-555-0100"},
        "phone",
        "E.164 form: +15125550100",
        id="phone-not-e164",
    ),
    pytest.param({"phone": "+1555123"}, "phone", "not a valid phone number", id="phone-invalid"),
    pytest.param({"phone": "call us"}, "phone", "not a phone number", id="phone-not-a-number"),
    pytest.param(
        {"locations": _location(postal_code="7870")},
        "locations[0].postal_code",
        "'7870' is not a ZIP code",
        id="zip-wrong-format",
    ),
    pytest.param(
        {"locations": _location(country="GB", region="GB-ENG", postal_code="OX37JX")},
        "locations[0].postal_code",
        "full postcode with a space",
        id="uk-postcode-without-space",
    ),
    pytest.param(
        {"treatments": _price(currency=None)},
        "treatments[0].price.currency",
        "valid string",
        id="price-without-currency",
    ),
    pytest.param(
        {"treatments": _price(unit=None)},
        "treatments[0].price.unit",
        "Input should be",
        id="price-without-unit",
    ),
    pytest.param({"sources": []}, "sources", "at least 1", id="no-sources"),
    pytest.param({"colour": "blue"}, "colour", "Extra inputs", id="unknown-field"),
    pytest.param(
        {"locations": [], "telehealth_areas": []},
        "",
        "at least one location or telehealth area",
        id="nowhere",
    ),
    pytest.param(
        {"telehealth_areas": ["Texas"]},
        "telehealth_areas",
        "jurisdiction code",
        id="bad-telehealth-area",
    ),
    pytest.param(
        {"telehealth_areas": ["DE-BY"], "telehealth_areas_source": "pricing"},
        "telehealth_areas[0]",
        "no jurisdiction file for DE-BY",
        id="telehealth-area-without-file",
    ),
    pytest.param({"id": "Bad Id!"}, "id", "pattern", id="bad-id"),
    pytest.param(
        {"last_verified": {"date": "2026-01-01", "by": None}},
        "last_verified",
        "both a date and who",
        id="verified-without-who",
    ),
]


def _errors(root: Path) -> list[str]:
    with pytest.raises(DatasetInvalid) as caught:
        load_dataset(root, today=dt.date(2026, 11, 26))
    return [str(error) for error in caught.value.errors]


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_RECORDS)
def test_bad_record_names_file_record_and_field(
    tmp_path: Path, overrides: dict[str, Any], field: str, message: str
) -> None:
    root = write_dataset(tmp_path / "data", providers=[make_provider(**overrides)])
    errors = _errors(root)
    record = overrides.get("id", RECORD)
    file = f"data/providers/{record}.yaml"
    where = f"field '{field}'" if field else "the record"
    assert any(
        error.startswith(f"{file}: record '{record}': {where}") and message in error
        for error in errors
    ), errors


def test_malformed_yaml(tmp_path: Path) -> None:
    root = write_dataset(tmp_path / "data", providers=[])
    (root / "providers" / "broken.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    (errors,) = [_errors(root)]
    assert errors[0].startswith(
        "data/providers/broken.yaml: record 'broken': the record: not valid YAML"
    )


def test_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    root = write_dataset(tmp_path / "data", providers=[])
    (root / "providers" / "list.yaml").write_text("- a\n- b\n", encoding="utf-8")
    assert "expected a mapping of fields" in _errors(root)[0]


def test_id_must_match_file_name(tmp_path: Path) -> None:
    root = write_dataset(tmp_path / "data", providers=[make_provider()])
    (root / "providers" / "harbor-ketamine-austin.yaml").rename(root / "providers" / "other.yaml")
    assert "field 'id': id must equal the file name 'other'" in _errors(root)[0]


def test_duplicate_ids(tmp_path: Path) -> None:
    root = write_dataset(tmp_path / "data", providers=[make_provider()])
    line = '{"id": "harbor-ketamine-austin"}'
    record = make_provider()
    import json

    line = json.dumps(record)
    (root / "providers.jsonl").write_text(line + "\n", encoding="utf-8")
    errors = _errors(root)
    assert any(
        "data/providers.jsonl:1: record 'harbor-ketamine-austin': field 'id': duplicate id" in e
        for e in errors
    ), errors


def test_jsonl_errors_name_the_line(tmp_path: Path) -> None:
    root = write_dataset(tmp_path / "data", providers=[])
    (root / "providers.jsonl").write_text("{not json\n", encoding="utf-8")
    assert _errors(root)[0].startswith(
        "data/providers.jsonl:1: record 'line 1': the record: not valid JSON"
    )


def test_unknown_jurisdiction_parent(tmp_path: Path) -> None:
    root = write_dataset(tmp_path / "data")
    (root / "jurisdictions" / "US-TX.yaml").write_text(
        (root / "jurisdictions" / "US-TX.yaml").read_text().replace("parent: US", "parent: MX"),
        encoding="utf-8",
    )
    assert (
        "data/jurisdictions/US-TX.yaml: record 'US-TX': field 'parent': unknown jurisdiction MX"
        in _errors(root)
    )


def test_jurisdiction_note_needs_a_source(tmp_path: Path) -> None:
    root = write_dataset(tmp_path / "data")
    path = root / "jurisdictions" / "US.yaml"
    import yaml

    record = yaml.safe_load(path.read_text())
    record["notes"][0]["sources"] = []
    path.write_text(yaml.safe_dump(record), encoding="utf-8")
    assert any("record 'US': field 'notes[0].sources'" in error for error in _errors(root))


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_RECORDS[:6])
def test_cli_exits_non_zero_and_writes_nothing(
    tmp_path: Path, runner: Any, overrides: dict[str, Any], field: str, message: str
) -> None:
    root = write_dataset(tmp_path / "bad", providers=[make_provider(**overrides)])
    target = tmp_path / "out" / "directory.db"
    result = runner.invoke(args=["build", "--data", str(root), "--output", str(target)])
    assert result.exit_code == 1
    assert f"record '{overrides.get('id', RECORD)}'" in result.output
    assert not target.exists()
    leftovers = [p.name for p in target.parent.glob("*") if not p.name.endswith(".lock")]
    assert leftovers == []


def test_failed_build_leaves_previous_database_untouched(tmp_path: Path, database: Path) -> None:
    before = database.read_bytes()
    bad = write_dataset(tmp_path / "bad", providers=[make_provider(treatments=[{"code": "nope"}])])
    with pytest.raises(DatasetInvalid):
        build_database(bad, database)
    assert database.read_bytes() == before
    files = sorted(p.name for p in database.parent.iterdir() if not p.name.endswith(".lock"))
    assert files == [database.name]
