"""Security and privacy headers on every response, with a per-request CSP nonce.

The Content-Security-Policy allows only the app's own scripts and styles, plus inline
``<script>`` and ``<style>`` blocks that carry this request's nonce (Folium writes some).
Pages may only be framed when a view marks the response embeddable (the bare map).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, Response, g

EMBEDDABLE = "embeddable"


def csp_nonce() -> str:
    """This request's nonce for inline scripts and styles."""
    nonce = g.get("csp_nonce")
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(18)
    return str(nonce)


def allow_embedding(response: Response) -> Response:
    """Mark ``response`` as one other sites may put in an iframe."""
    setattr(response, EMBEDDABLE, True)
    return response


def _tile_origin(template: str) -> str:
    """``https://{s}.tile.example.org/{z}/{x}/{y}.png`` → ``https://*.tile.example.org``."""
    parts = urlsplit(template)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    host = parts.netloc.replace("{s}", "*")
    return f"{parts.scheme}://{host}"


def content_security_policy(nonce: str, tile_origin: str, embeddable: bool) -> str:
    """The policy for one response."""
    images = " ".join(filter(None, ["'self'", "data:", tile_origin]))
    directives = [
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        f"style-src-elem 'self' 'nonce-{nonce}'",
        # Leaflet positions markers and tiles with style attributes; they cannot carry a nonce.
        "style-src-attr 'unsafe-inline'",
        f"img-src {images}",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors *" if embeddable else "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


def _fixed_headers(app: Flask) -> list[tuple[str, str]]:
    """The headers every response gets, whatever it is."""
    headers = [
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        (
            "Permissions-Policy",
            "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), interest-cohort=()",
        ),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
    if app.config["HSTS"]:
        headers.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    return headers


def _header_adder(app: Flask) -> Callable[[Response], Response]:
    """The after-request hook, with what does not change between responses worked out once.

    A response that rendered no template (JSON, files) used no nonce: its policy has none.
    """
    fixed = _fixed_headers(app)
    tiles = _tile_origin(app.config["TILE_URL"])
    no_nonce = {
        embeddable: content_security_policy("", tiles, embeddable).replace(" 'nonce-'", "")
        for embeddable in (False, True)
    }

    def add_headers(response: Response) -> Response:
        embeddable = bool(getattr(response, EMBEDDABLE, False))
        nonce = g.get("csp_nonce")
        headers = response.headers
        headers["Content-Security-Policy"] = (
            content_security_policy(nonce, tiles, embeddable) if nonce else no_nonce[embeddable]
        )
        headers.extend(fixed)
        if not embeddable:
            headers["X-Frame-Options"] = "DENY"
        return response

    return add_headers


def init_app(app: Flask) -> None:
    """Add the headers to every response and expose ``csp_nonce`` to templates."""
    app.after_request(_header_adder(app))
    app.context_processor(lambda: {"csp_nonce": csp_nonce()})
