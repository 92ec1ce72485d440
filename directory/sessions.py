"""Flask's signed-cookie sessions, with the signing serializer built once per set of keys.

Flask opens the session on every request, cookie or not, and builds a new serializer (with
its key derivation) each time; most requests here are anonymous reads that never use it.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface


class SessionInterface(SecureCookieSessionInterface):
    """:class:`SecureCookieSessionInterface` whose serializer is reused while the keys stay."""

    def __init__(self) -> None:
        self._serializers: dict[tuple[Any, ...], Any] = {}

    def get_signing_serializer(self, app: Flask) -> Any:
        """The serializer for the app's secret key and fallbacks, made on first use."""
        keys = (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = self._serializers[keys] = super().get_signing_serializer(app)
        return serializer


def init_app(app: Flask) -> None:
    """Use :class:`SessionInterface` for ``app``."""
    app.session_interface = SessionInterface()
