"""The floor: a bare Flask app that answers ``{"ok": true}``, served exactly like ours.

Its requests per second under the same gunicorn settings and the same load are the most
any Flask view could reach on this machine; the search is reported as a share of it.
"""

from __future__ import annotations

from flask import Flask

#: gunicorn's application spec for this app.
WSGI_APP = "bench.bare_app:create_app()"


def create_app() -> Flask:
    """A Flask app with one view, ``GET /`` → ``{"ok": true}``."""
    app = Flask(__name__)

    @app.get("/")
    def ok() -> dict[str, bool]:
        return {"ok": True}

    return app
