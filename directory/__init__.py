"""Ketamine Therapy Access Map: a sourced directory and map of ketamine-therapy providers."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_orjson import OrjsonProvider

from directory import cli, db, geocoding, maps, review_queue, settings
from directory.views import register_blueprints
from directory.web import assets, errors, proxies, security


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the application: settings, database, blueprints, error handlers, CLI."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(settings.PROJECT_ROOT / "templates"),
        static_folder=None,  # see directory.web.assets: compressed, served by one view
    )
    settings.load_settings(app, test_config)
    app.json = OrjsonProvider(app)  # orjson: the API's answers are serialised in C
    db.init_app(app)
    review_queue.init_app(app)
    geocoding.init_app(app)
    maps.init_app(app)
    assets.init_app(app)
    register_blueprints(app)
    errors.init_app(app)
    security.init_app(app)
    proxies.init_app(app)
    cli.init_app(app)
    return app
