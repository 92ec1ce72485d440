"""Error handlers: JSON for the API and health check, HTML pages elsewhere; never a traceback."""

from __future__ import annotations

import logging
import sqlite3

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from directory.db import DatabaseUnavailable, interrupted

log = logging.getLogger(__name__)


def wants_json() -> bool:
    """Whether the current request is for the API or another machine-readable route."""
    return request.path.startswith("/api/") or request.path == "/healthz"


def _render(status: int, title: str, message: str) -> tuple[Response | str, int]:
    if wants_json():
        return jsonify({"error": message}), status
    return render_template("error.html", status=status, title=title, message=message), status


#: The site's own words for errors the framework would otherwise describe in its own.
SITE_WORDS: dict[int, tuple[str, str]] = {
    404: (
        "Page not found",
        "We could not find this page. The address may be mistyped, or the provider may no "
        "longer be listed.",
    ),
    405: ("Not possible here", "This page cannot be used that way."),
    413: ("Too much sent", "What was sent is larger than any form here takes. Nothing was saved."),
    500: (
        "Something went wrong",
        "Something went wrong on our side, and nothing you sent was lost. Please try again.",
    ),
}


def _http_error(error: HTTPException) -> tuple[Response | str, int]:
    status = error.code or 500
    title, message = error.name, error.description or error.name
    if status in SITE_WORDS and error.description == type(error).description:
        title, message = SITE_WORDS[status]  # the framework's default text, not ours
    return _render(status, title, message)


#: Said for a Host header outside ``TRUSTED_HOSTS``; the forged name is never echoed.
UNTRUSTED_HOST = "This site does not answer to that host name."


def _untrusted_host(_error: SecurityError) -> tuple[Response, int]:
    """A 400 without the layout: with an untrusted host no URL can be built for its links."""
    if wants_json():
        return jsonify({"error": UNTRUSTED_HOST}), 400
    page = f"<!doctype html><title>Bad request</title><p>{UNTRUSTED_HOST}</p>"
    return Response(page, mimetype="text/html"), 400


def _database_unavailable(error: DatabaseUnavailable) -> tuple[Response | str, int]:
    log.error("database unavailable: %s", error)
    response, status = _render(
        503,
        "Temporarily unavailable",
        "The directory's database is not available right now. Please try again shortly.",
    )
    if wants_json() and isinstance(response, Response):
        response = jsonify(
            {"status": "unavailable", "error": "the database is missing or unreadable"}
        )
    return response, status


def _unexpected(error: Exception) -> tuple[Response | str, int]:
    if isinstance(error, sqlite3.OperationalError) and interrupted(error):
        log.warning("query stopped after the time budget: %s", request.path)
        return _render(
            503,
            "Search too broad",
            "That search took too long. Try a smaller radius or fewer results per page.",
        )
    log.exception("unexpected error", exc_info=error)
    return _http_error(InternalServerError())


def init_app(app: Flask) -> None:
    """Register the handlers on ``app``."""
    app.register_error_handler(SecurityError, _untrusted_host)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(DatabaseUnavailable, _database_unavailable)
    app.register_error_handler(Exception, _unexpected)
