"""When the database needs building: missing, older than the data, of another schema."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from directory.dataset.build import build_database, stale_reason
from directory.dataset.layout import SCHEMA_VERSION
from tests.builders import make_provider, write_dataset


def _built(tmp_path: Path) -> tuple[Path, Path]:
    data = write_dataset(tmp_path / "data", providers=[make_provider()])
    database = tmp_path / "directory.db"
    build_database(data, database)
    return data, database


def test_a_fresh_build_is_current(tmp_path: Path) -> None:
    data, database = _built(tmp_path)
    assert stale_reason(data, database) is None


def test_missing_newer_data_and_older_schema_are_stale(tmp_path: Path) -> None:
    data, database = _built(tmp_path)
    record = next(data.rglob("*.yaml"))
    later = database.stat().st_mtime + 10
    os.utime(record, (later, later))
    assert str(record) in (stale_reason(data, database) or "")
    os.utime(record, (later - 20, later - 20))
    with sqlite3.connect(database) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    assert "schema version" in (stale_reason(data, database) or "")
    database.unlink()
    assert "does not exist" in (stale_reason(data, database) or "")
    database.write_bytes(b"not a database" * 300)
    assert "unreadable" in (stale_reason(data, database) or "")


def test_build_if_stale_builds_only_when_needed(tmp_path: Path, runner: Any) -> None:
    data, database = _built(tmp_path)
    args = ["build", "--if-stale", "--data", str(data), "--output", str(database)]
    assert "up to date" in runner.invoke(args=args).output
    database.unlink()
    result = runner.invoke(args=args)
    assert result.exit_code == 0 and database.exists()
    # What a first ./scripts/serve prints: what it is doing, not an instruction to do it.
    assert f"building the database from {data} ({database} does not exist)" in result.output


def test_a_command_is_not_told_to_build_the_database_it_is_building(
    tmp_path: Path, caplog: Any
) -> None:
    import logging

    from click.testing import CliRunner
    from flask.cli import cli

    from directory import create_app

    data, database = _built(tmp_path)
    database.unlink()
    env = {"DIRECTORY_DATA_DIR": str(data), "DIRECTORY_DATABASE": str(database)}
    with caplog.at_level(logging.ERROR):
        create_app({"TESTING": True, "DATA_DIR": str(data), "DATABASE": str(database)})
        assert "does not exist" in caplog.text  # a server starting without it says so
        caplog.clear()
        # The flask command creates the app itself, inside the command, as ./scripts/serve does.
        result = CliRunner().invoke(cli, ["--app", "directory", "build", "--if-stale"], env=env)
    assert result.exit_code == 0, result.output
    assert "building the database from" in result.output and database.exists()
    assert "build it with ./scripts/build" not in caplog.text + result.output
