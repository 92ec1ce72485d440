"""``/healthz``: is the database there and readable all through, and which dataset version
is being served."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify

from directory.db import get_db
from directory.queries.integrity import integrity_problem
from directory.queries.meta import dataset_info

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz() -> Response:
    """Report the dataset's version; 503 when the database is missing (through the error
    handler) or fails the integrity probes."""
    db = get_db()
    problem = integrity_problem(db, Path(current_app.config["DATABASE"]))
    if problem is not None:
        response = jsonify({"status": "unavailable", "error": problem})
        response.status_code = 503
    else:
        response = jsonify({"status": "ok", "dataset": asdict(dataset_info(db))})
    response.headers["Cache-Control"] = "no-store"
    return response
