"""Blueprints, one per feature, each a thin layer over the query and service modules."""

from __future__ import annotations

from flask import Flask

from directory.views import health


def register_blueprints(app: Flask) -> None:
    """Attach every blueprint to ``app``."""
    app.register_blueprint(health.blueprint)
