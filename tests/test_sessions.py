"""Sessions: one serializer per set of keys, and sessions still round-trip and verify."""

from __future__ import annotations

from typing import Any

from flask import Flask, session

from directory.sessions import SessionInterface


def _app(secret: str) -> Flask:
    app = Flask(__name__)
    app.secret_key = secret
    app.session_interface = SessionInterface()

    @app.get("/set")
    def set_value() -> str:
        session["n"] = 7
        return "ok"

    @app.get("/get")
    def get_value() -> Any:
        return {"n": session.get("n")}

    return app


def test_the_serializer_is_made_once_per_key() -> None:
    app = _app("one")
    interface = app.session_interface
    assert interface.get_signing_serializer(app) is interface.get_signing_serializer(app)
    app.secret_key = "two"
    assert (
        len({id(interface.get_signing_serializer(app)), id(interface._serializers[("one",)])}) == 2
    )


def test_a_session_round_trips_and_a_new_key_rejects_it() -> None:
    app = _app("one")
    client = app.test_client()
    client.get("/set")
    assert client.get("/get").json == {"n": 7}
    app.secret_key = "two"
    assert client.get("/get").json == {"n": None}
