"""The app's own static files (``/static/...``), read and compressed once per process.

Behind nginx they are served from disk (see ``directory.deploy.nginx``); served by the app,
they get the same brotli or gzip as the map's vendored files (see ``directory.web.compression``).
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, Response, abort, request
from werkzeug.security import safe_join

from directory.settings import STATIC_FOLDER
from directory.web import compression

STATIC_URL = "/static"


def static_file(filename: str) -> Response:
    """One file under :data:`STATIC_FOLDER`; revalidated by ETag on every use."""
    joined = safe_join(str(STATIC_FOLDER), filename)
    if joined is None or not Path(joined).is_file():
        abort(404)
    return compression.send_file(Path(joined), request, max_age=None, immutable=False)


def init_app(app: Flask) -> None:
    """Serve :data:`STATIC_FOLDER` at :data:`STATIC_URL` as the ``static`` endpoint."""
    app.add_url_rule(f"{STATIC_URL}/<path:filename>", endpoint="static", view_func=static_file)
