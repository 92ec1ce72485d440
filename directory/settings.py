"""The settings table: every setting declared once, with its default and help text.

Settings are read in layers, later ones winning: the defaults below, then
``instance/settings.toml`` if present, then ``DIRECTORY_*`` environment variables, then
the mapping a test passes to :func:`directory.create_app`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask


@dataclass(frozen=True)
class Setting:
    """One configurable value."""

    name: str
    default: Any
    help: str


PACKAGE_ROOT = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_ROOT.parent
#: The package's own static files (CSS, JS, vendored libraries), served by directory.web.assets.
STATIC_FOLDER = PACKAGE_ROOT / "static"

SETTINGS: tuple[Setting, ...] = (
    Setting("DATA_DIR", str(PROJECT_ROOT / "data"), "Folder of the curated dataset."),
    Setting(
        "DATABASE",
        "",
        "Path of the built SQLite database; empty means instance/directory.db.",
    ),
    Setting(
        "GAZETTEER",
        "",
        "Path of the offline gazetteer database; empty means instance/gazetteer.db.",
    ),
    Setting("GEOCODER", "offline", "Geocoder: 'offline' (default, no network) or 'nominatim'."),
    Setting(
        "NOMINATIM_URL",
        "https://nominatim.openstreetmap.org",
        "Base URL of the Nominatim service, used only when GEOCODER is 'nominatim'.",
    ),
    Setting(
        "GEOCODER_USER_AGENT",
        "ketamine-access-map/0.1 (self-hosted directory)",
        "User agent sent to an online geocoder, identifying this deployment.",
    ),
    Setting(
        "TILE_URL",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "Map tile URL template; point it at your own tile server if you run one.",
    ),
    Setting(
        "TILE_ATTRIBUTION",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
        "Attribution shown on the map for the tiles.",
    ),
    Setting("SECRET_KEY", "", "Key that signs sessions and CSRF tokens; set it in production."),
    Setting("STALE_AFTER_DAYS", 365, "Records not verified for this many days are flagged."),
    Setting("HSTS", False, "Send Strict-Transport-Security (only behind HTTPS)."),
    Setting(
        "QUERY_BUDGET_SECONDS",
        2.0,
        "Longest a request's database queries may run before they are stopped (503).",
    ),
    Setting(
        "SUBMISSIONS_DATABASE",
        "",
        "Path of the SQLite queue of public suggestions and maintainer accounts; "
        "empty means instance/submissions.db.",
    ),
    Setting(
        "SUBMIT_LIMIT_PER_HOUR",
        10,
        "Suggestion and new-provider form posts accepted per client per hour.",
    ),
    Setting(
        "LOGIN_LIMIT_PER_HOUR",
        10,
        "Failed maintainer logins allowed per client, and per account, per hour.",
    ),
    Setting(
        "SESSION_IDLE_MINUTES",
        60,
        "A maintainer's session ends after this many minutes without a request.",
    ),
    Setting(
        "SESSION_MAX_HOURS",
        12,
        "A maintainer's session ends this many hours after logging in, however active.",
    ),
    Setting(
        "TRUSTED_PROXIES",
        0,
        "How many reverse proxies stand in front of the app; their X-Forwarded-For and "
        "X-Forwarded-Proto are trusted for that many hops (1 behind the documented nginx).",
    ),
    Setting(
        "TRUSTED_HOSTS",
        "",
        "Host names this deployment answers to, comma-separated (e.g. map.example.org); any "
        "other Host header gets a 400, so a forged one never reaches an absolute URL. Empty "
        "accepts any host (for local use).",
    ),
    Setting(
        "SECURE_COOKIES",
        True,
        "Send the session cookie only over HTTPS; turn off only for plain-HTTP testing.",
    ),
)

ENV_PREFIX = "DIRECTORY"


def _coerce(value: Any, default: Any) -> Any:
    if isinstance(default, bool) and isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int) and not isinstance(default, bool) and isinstance(value, str):
        return int(value)
    if isinstance(default, float) and isinstance(value, str):
        return float(value)
    return value


def _host_list(value: Any) -> list[str] | None:
    """Flask's ``TRUSTED_HOSTS`` from a comma-separated string or a list; None for any host.

    >>> _host_list("map.example.org, www.map.example.org"), _host_list("")
    (['map.example.org', 'www.map.example.org'], None)
    """
    names = value.split(",") if isinstance(value, str) else list(value or [])
    hosts = [str(name).strip() for name in names if str(name).strip()]
    return hosts or None


def load_settings(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    """Fill ``app.config`` from the settings layers."""
    for setting in SETTINGS:
        app.config.setdefault(setting.name, setting.default)
    instance_file = Path(app.instance_path) / "settings.toml"
    if instance_file.exists():
        with instance_file.open("rb") as handle:
            app.config.from_mapping(tomllib.load(handle))
    app.config.from_prefixed_env(ENV_PREFIX)
    if overrides:
        app.config.from_mapping(overrides)
    for setting in SETTINGS:
        app.config[setting.name] = _coerce(app.config[setting.name], setting.default)
    app.config["TRUSTED_HOSTS"] = _host_list(app.config["TRUSTED_HOSTS"])
    instance = Path(app.instance_path)
    if not app.config["DATABASE"]:
        app.config["DATABASE"] = str(instance / "directory.db")
    if not app.config["GAZETTEER"]:
        app.config["GAZETTEER"] = str(instance / "gazetteer.db")
    if not app.config["SUBMISSIONS_DATABASE"]:
        app.config["SUBMISSIONS_DATABASE"] = str(instance / "submissions.db")
