"""Blueprints, one per feature, each a thin layer over the query and service modules."""

from __future__ import annotations

from flask import Flask

from directory.presentation.filters import FILTERS
from directory.views import api, health, history, login, map, public, review, submit


def register_blueprints(app: Flask) -> None:
    """Attach every blueprint to ``app``, and every template filter."""
    app.jinja_env.filters.update(FILTERS)
    for module in (health, public, map, api, submit, history, login, review):
        app.register_blueprint(module.blueprint)
