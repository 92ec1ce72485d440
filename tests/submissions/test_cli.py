"""The maintainers, freshness and import-updates commands, and that the README documents
each command and each new setting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskCliRunner

from directory.settings import PROJECT_ROOT, SETTINGS
from directory.submissions import accounts, store

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
DOC = PROJECT_ROOT / "docs" / "maintainers.md"


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


def test_add_asks_for_the_password_twice(runner: FlaskCliRunner, queue_path: Path) -> None:
    password = "a long enough password"
    result = runner.invoke(args=["maintainers", "add", "carol"], input=f"{password}\n{password}\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("Password") >= 1
    assert password not in result.output
    with store.open_store(queue_path) as connection:
        assert accounts.verify(connection, "carol", password) is not None


def test_add_refuses_mismatched_or_short_passwords(
    runner: FlaskCliRunner, queue_path: Path
) -> None:
    mismatched = runner.invoke(
        args=["maintainers", "add", "carol"],
        input="first long password\nsecond long password\nshort\nshort\n",
    )
    assert mismatched.exit_code != 0
    assert "at least 12 characters" in mismatched.output or "match" in mismatched.output
    with store.open_store(queue_path) as connection:
        assert accounts.find(connection, "carol") is None


def test_add_refuses_bad_names_and_duplicates(runner: FlaskCliRunner, maintainer: str) -> None:
    bad = runner.invoke(args=["maintainers", "add", "<x>", "--password", "long enough pw!"])
    assert bad.exit_code == 1 and "letters, digits" in bad.output
    again = runner.invoke(args=["maintainers", "add", "ALICE", "--password", "long enough pw!"])
    assert again.exit_code == 1 and "already exists" in again.output


def test_list_and_remove(runner: FlaskCliRunner, maintainer: str) -> None:
    listed = runner.invoke(args=["maintainers", "list"])
    assert listed.exit_code == 0 and "alice" in listed.output
    assert "argon2" not in listed.output
    removed = runner.invoke(args=["maintainers", "remove", "alice"])
    assert removed.exit_code == 0
    assert "no maintainers yet" in runner.invoke(args=["maintainers", "list"]).output
    missing = runner.invoke(args=["maintainers", "remove", "alice"])
    assert missing.exit_code == 1


def test_freshness_command(runner: FlaskCliRunner, dataset_dir: Path) -> None:
    path = dataset_dir / "providers" / "second-clinic-toronto.yaml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record["treatments"][0]["price"] = {
        "min": 0,
        "max": 25000,
        "currency": "CAD",
        "unit": "per_session",
        "source": record["sources"][0]["key"],
    }
    record["sources"][0]["retrieved"] = "2099-01-01"
    record.pop("phone")
    record.pop("website")
    record["last_verified"] = {"date": "2020-01-01", "by": "Someone"}
    path.write_text(yaml.safe_dump(record), encoding="utf-8")

    result = runner.invoke(args=["freshness"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "harbor-ketamine-austin: never verified" in out
    assert "second-clinic-toronto: last verified 2020-01-01" in out
    assert "treatments[0].price.min is 0" in out
    assert "treatments[0].price.max is 25,000" in out
    assert "2099-01-01 is in the future" in out
    assert "no phone number or website" in out

    as_json = json.loads(runner.invoke(args=["freshness", "--json"]).output)
    assert as_json["checked"] == 2


@pytest.mark.parametrize(
    "command", [["maintainers"], ["maintainers", "add"], ["import-updates"], ["freshness"]]
)
def test_every_command_has_help_and_is_in_the_readme(
    runner: FlaskCliRunner, command: list[str]
) -> None:
    result = runner.invoke(args=[*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    assert f"flask --app directory {command[0]}" in README


@pytest.mark.parametrize(
    "name",
    ["SUBMISSIONS_DATABASE", "SUBMIT_LIMIT_PER_HOUR", "LOGIN_LIMIT_PER_HOUR", "SECURE_COOKIES"],
)
def test_new_settings_are_declared_and_documented(name: str) -> None:
    assert name in {setting.name for setting in SETTINGS}
    assert f"DIRECTORY_{name}" in README


def test_the_maintainer_workflow_is_documented() -> None:
    assert "## Maintainers" in README
    assert "docs/maintainers.md" in README
    text = DOC.read_text(encoding="utf-8")
    for step in (
        "maintainers add",
        "/review",
        "import-updates",
        "--dry-run",
        "freshness",
        "changelog.jsonl",
        "do_not_list",
    ):
        assert step in text
