"""``flask --app directory ...`` commands: the dataset's and the maintainers'."""

from __future__ import annotations

from flask import Flask

from directory.cli import data, maintainers


def init_app(app: Flask) -> None:
    """Register every command on ``app``."""
    data.init_app(app)
    maintainers.init_app(app)
