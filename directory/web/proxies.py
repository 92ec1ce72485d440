"""Trusting the reverse proxy in front: the client's address and scheme it forwards.

Behind nginx every request comes from nginx's address, so rate limits keyed on the client
would put every visitor in one bucket. ``TRUSTED_PROXIES`` says how many proxies stand in
front; werkzeug's ``ProxyFix`` then takes the client's address and scheme from that many
hops of ``X-Forwarded-For`` and ``X-Forwarded-Proto``. With the default 0 nothing forwarded is
trusted, so a client talking to the app directly cannot choose its own address.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    """Wrap the app in ``ProxyFix`` when ``TRUSTED_PROXIES`` is above 0."""
    hops = int(app.config["TRUSTED_PROXIES"])
    if hops < 0:
        raise ValueError("TRUSTED_PROXIES must be 0 or more")
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
