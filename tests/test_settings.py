"""Settings come in layers, and every setting and command is documented."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from directory import create_app
from directory.settings import PROJECT_ROOT, SETTINGS

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented(setting: Any) -> None:
    assert f"DIRECTORY_{setting.name}" in README
    assert setting.help


def test_environment_overrides_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DIRECTORY_STALE_AFTER_DAYS", "30")
    monkeypatch.setenv("DIRECTORY_HSTS", "true")
    app = create_app({"DATABASE": str(tmp_path / "x.db")})
    assert app.config["STALE_AFTER_DAYS"] == 30
    assert app.config["HSTS"] is True


def test_instance_settings_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "settings.toml").write_text('GEOCODER = "nominatim"\n', encoding="utf-8")
    from flask import Flask

    from directory.settings import load_settings

    app = Flask(__name__, instance_path=str(instance))
    load_settings(app)
    assert app.config["GEOCODER"] == "nominatim"
    assert app.config["DATABASE"] == str(instance / "directory.db")


def test_test_config_wins(tmp_path: Path) -> None:
    app = create_app({"DATABASE": str(tmp_path / "custom.db")})
    assert app.config["DATABASE"] == str(tmp_path / "custom.db")


@pytest.mark.parametrize("command", ["validate", "build", "schema", "generate"])
def test_every_command_has_help_and_is_in_the_readme(runner_app: Any, command: str) -> None:
    result = runner_app.invoke(args=[command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    assert f"flask --app directory {command}" in README


@pytest.fixture
def runner_app(tmp_path: Path) -> Any:
    return create_app({"DATABASE": str(tmp_path / "x.db")}).test_cli_runner()
