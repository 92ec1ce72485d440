"""A provider's public change history, from the change log written by reviewed updates."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, render_template

from directory.dataset.models import slug_is_valid
from directory.db import get_db
from directory.queries.history import listed_provider_name, provider_history

blueprint = Blueprint("history", __name__)


@blueprint.get("/providers/<provider_id>/history")
def provider_history_page(provider_id: str) -> str:
    """Every reviewed change to one listed provider: field, old and new value, when, source."""
    if not slug_is_valid(provider_id):
        abort(404)
    name = listed_provider_name(get_db(), provider_id)
    if name is None:
        abort(404)
    changelog = Path(current_app.config["DATA_DIR"]) / "changelog.jsonl"
    return render_template(
        "history/provider.html",
        provider_id=provider_id,
        name=name,
        entries=provider_history(changelog, provider_id),
    )
