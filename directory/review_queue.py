"""The pending queue for the request, the flaskr way: ``get_queue()`` opens it on first use,
keeps it on ``g`` and the app closes it at teardown; ``current_workspace()`` says where the
data-update machinery reads and writes, from the settings."""

from __future__ import annotations

import sqlite3

from flask import Flask, current_app, g

from directory.submissions import store
from directory.submissions.workspace import Workspace


def current_workspace() -> Workspace:
    """The current app's data-update workspace."""
    return Workspace.from_config(current_app.config)


def get_queue() -> sqlite3.Connection:
    """The request's connection to the pending queue (created with its tables on first use)."""
    if "queue" not in g:
        g.queue = store.connect(current_workspace().queue)
    connection: sqlite3.Connection = g.queue
    return connection


def close_queue(_error: BaseException | None = None) -> None:
    """Close the request's queue connection, if one was opened."""
    connection = g.pop("queue", None)
    if connection is not None:
        connection.close()


def init_app(app: Flask) -> None:
    """Close the queue at the end of every request and app context."""
    app.teardown_appcontext(close_queue)
