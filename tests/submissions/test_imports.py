"""Batch imports: dry run prints the diff and changes nothing; a good batch applies with the
change log; one bad row stops the whole batch and the error names the row and field."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskCliRunner

from directory.dataset.loader import load_dataset
from tests.builders import make_provider

HEADER = "provider_id,field,value,source_url,source_title,verified\n"
GOOD = (
    HEADER
    + "harbor-ketamine-austin,phone,+15125550177,https://clinic.example.org/contact,Contact,no\n"
    + "harbor-ketamine-austin,treatments[0].price.max,600,https://clinic.example.org/pricing,,yes\n"
    + 'second-clinic-toronto,payment_options,"cash, financing",https://second.example.org/,,\n'
)


@pytest.fixture
def runner(app: Flask, maintainer: str) -> FlaskCliRunner:
    return app.test_cli_runner()


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.*"))}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_dry_run_prints_the_diff_and_writes_nothing(
    runner: FlaskCliRunner, tmp_path: Path, dataset_dir: Path, database: Path
) -> None:
    batch = _write(tmp_path, "batch.csv", GOOD)
    before, database_inode = _snapshot(dataset_dir), database.stat().st_ino
    result = runner.invoke(args=["import-updates", str(batch), "--by", "alice", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "harbor-ketamine-austin:" in result.output
    assert "phone: +15125550100 -> +15125550177" in result.output
    assert "treatments[0].price.max: 550 -> 600" in result.output
    assert "payment_options: [cash] -> [cash, financing]" in result.output
    assert "dry run" in result.output
    assert _snapshot(dataset_dir) == before
    assert database.stat().st_ino == database_inode


def test_a_good_batch_applies_with_the_change_log(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, dataset_dir: Path
) -> None:
    batch = _write(tmp_path, "batch.csv", GOOD)
    result = runner.invoke(args=["import-updates", str(batch), "--by", "alice"])
    assert result.exit_code == 0, result.output
    assert "applied" in result.output
    record = yaml.safe_load((dataset_dir / "providers/harbor-ketamine-austin.yaml").read_text())
    assert record["phone"] == "+15125550177"
    assert record["treatments"][0]["price"]["max"] == 600
    # The row that said "verified" confirms its own fact (the price), not the whole record.
    [pricing] = [s for s in record["sources"] if s["url"] == "https://clinic.example.org/pricing"]
    assert (pricing["confirmed_by"], pricing["confirmed_on"]) == ("alice", dt.date.today())
    assert record["treatments"][0]["price"]["source"] == pricing["key"]
    [contact] = [s for s in record["sources"] if s["url"] == "https://clinic.example.org/contact"]
    assert "confirmed_by" not in contact and record["phone_source"] == contact["key"]
    assert record.get("last_verified", {}).get("date") is None
    other = yaml.safe_load((dataset_dir / "providers/second-clinic-toronto.yaml").read_text())
    assert other["payment_options"] == ["cash", "financing"]
    assert other.get("last_verified", {}).get("date") is None
    assert "https://second.example.org/" in {s["url"] for s in other["sources"]}
    lines = (dataset_dir / "changelog.jsonl").read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines]
    by_field = {(e["record"], e["field"]): e for e in entries}
    phone = by_field[("harbor-ketamine-austin", "phone")]
    assert phone["source"] == "https://clinic.example.org/contact"
    assert phone["submission"] == "import:batch.csv"
    assert by_field[("harbor-ketamine-austin", "treatments[0].price.max")]["source"] == (
        "https://clinic.example.org/pricing"
    )
    assert all(e["by"] == "alice" for e in entries)
    load_dataset(dataset_dir)
    page = app.test_client().get("/providers/harbor-ketamine-austin").get_data(as_text=True)
    assert "+15125550177" in page


@pytest.mark.parametrize(
    ("bad_row", "expected"),
    [
        (
            "harbor-ketamine-austin,treatments[0].price.min,900,https://a.example.org/,,\n",
            "row 3, field 'treatments[0].price.min': minimum 900 is above maximum 550 "
            "(at treatments[0].price)",
        ),
        ("no-such-clinic,phone,1,https://a.example.org/,,\n", "row 3, field 'provider_id'"),
        ("harbor-ketamine-austin,phone,1,not a url,,\n", "row 3, field 'source_url'"),
        (
            "harbor-ketamine-austin,phone,,https://a.example.org/,,maybe\n",
            "row 3, field 'verified'",
        ),
        ("harbor-ketamine-austin,Phone!,1,https://a.example.org/,,\n", "row 3, field 'Phone!'"),
        ("harbor-ketamine-austin,status,gone,https://a.example.org/,,\n", "row 3, field 'status'"),
        (
            "harbor-ketamine-austin,telehealth_areas,US-FL,https://a.example.org/,,\n",
            "row 3, field 'telehealth_areas': no jurisdiction file for US-FL",
        ),
        (
            "harbor-ketamine-austin,locations[5].city,X,https://a.example.org/,,\n",
            "row 3, field 'locations[5].city'",
        ),
        (",phone,1,,,\n", "row 3, field 'provider_id': missing"),
    ],
)
def test_one_bad_row_stops_the_whole_batch(
    runner: FlaskCliRunner, tmp_path: Path, dataset_dir: Path, bad_row: str, expected: str
) -> None:
    good_first = HEADER + GOOD.splitlines(keepends=True)[1]
    batch = _write(tmp_path, "batch.csv", good_first + bad_row)
    before = _snapshot(dataset_dir)
    result = runner.invoke(args=["import-updates", str(batch), "--by", "alice"])
    assert result.exit_code == 1
    assert expected in result.output
    assert "nothing was changed" in result.output
    assert _snapshot(dataset_dir) == before


def test_unknown_columns_are_named(runner: FlaskCliRunner, tmp_path: Path) -> None:
    batch = _write(tmp_path, "batch.csv", "provider_id,field,value,source_url,colour\n")
    result = runner.invoke(args=["import-updates", str(batch), "--by", "alice"])
    assert result.exit_code == 1
    assert "row 1, column 'colour': unknown column" in result.output


def test_a_yaml_batch_can_add_and_change_records(
    runner: FlaskCliRunner, tmp_path: Path, dataset_dir: Path
) -> None:
    new = make_provider(id="new-clinic-austin", name="New Clinic", phone="+15125550300")
    batch = _write(
        tmp_path,
        "batch.yaml",
        yaml.safe_dump(
            [
                {
                    "provider_id": "harbor-ketamine-austin",
                    "field": "treatments[0].price.min",
                    "value": 425,
                    "source_url": "https://clinic.example.org/pricing",
                },
                {"new_provider": new},
            ]
        ),
    )
    dry = runner.invoke(args=["import-updates", str(batch), "--by", "alice", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "new-clinic-austin (new record):" in dry.output
    result = runner.invoke(args=["import-updates", str(batch), "--by", "alice"])
    assert result.exit_code == 0, result.output
    assert (dataset_dir / "providers/new-clinic-austin.yaml").exists()
    load_dataset(dataset_dir)


def test_a_yaml_batch_with_a_bad_new_record_changes_nothing(
    runner: FlaskCliRunner, tmp_path: Path, dataset_dir: Path
) -> None:
    bad = make_provider(id="harbor-ketamine-austin")
    batch = _write(tmp_path, "batch.yaml", yaml.safe_dump([{"new_provider": bad}]))
    before = _snapshot(dataset_dir)
    result = runner.invoke(args=["import-updates", str(batch), "--by", "alice"])
    assert result.exit_code == 1
    assert "row 1, field 'id': a record with id 'harbor-ketamine-austin' exists" in result.output
    assert _snapshot(dataset_dir) == before


def test_the_batch_needs_a_known_maintainer(runner: FlaskCliRunner, tmp_path: Path) -> None:
    batch = _write(tmp_path, "batch.csv", GOOD)
    result = runner.invoke(args=["import-updates", str(batch), "--by", "mallory"])
    assert result.exit_code == 1
    assert "no maintainer called 'mallory'" in result.output
