"""``/healthz``: is the database there, and which dataset version is being served."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, Response, jsonify

from directory.db import get_db
from directory.queries.meta import dataset_info

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz() -> Response:
    """Report the dataset's version; a missing database answers 503 through the error handler."""
    response = jsonify({"status": "ok", "dataset": asdict(dataset_info(get_db()))})
    response.headers["Cache-Control"] = "no-store"
    return response
