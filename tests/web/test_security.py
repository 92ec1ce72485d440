"""Security and privacy headers on every response; no cookies on public pages."""

from __future__ import annotations

import re
from typing import Any

import pytest

from directory import create_app
from directory.web.security import content_security_policy

PUBLIC_PAGES = [
    "/",
    "/about",
    "/providers",
    "/providers?near=Austin,%20TX",
    "/providers/austin-harbor-infusions",
    "/providers/austin-harbor-infusions/history",
    "/regions",
    "/regions/US-TX",
    "/map?near=Austin,%20TX",
    "/map/points.json?near=Austin,%20TX",
    "/api/providers?near=Austin",
    "/api/regions",
    "/healthz",
    "/sitemap.xml",
    "/robots.txt",
    "/providers/nope",
    "/providers?radius=abc",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_response_carries_the_headers(seeded_client: Any, path: str) -> None:
    response = seeded_client.get(path)
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    scripts = csp.split(";")[1].strip()
    assert scripts.startswith("script-src 'self'") and "'unsafe-inline'" not in scripts
    # a nonce where a template was rendered; none where nothing could use it
    if response.mimetype == "text/html":
        assert "'nonce-" in scripts
    elif response.mimetype in ("application/json", "text/plain"):
        assert "'nonce-" not in scripts
    assert "default-src 'self'" in csp and "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "geolocation=(self)" in headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in headers  # only when configured


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_set_no_cookies(seeded_client: Any, path: str) -> None:
    assert "Set-Cookie" not in seeded_client.get(path).headers


@pytest.mark.parametrize(
    "path", ["/", "/providers?near=Austin,%20TX", "/providers/austin-harbor-infusions", "/map"]
)
def test_inline_scripts_carry_this_responses_nonce(seeded_client: Any, path: str) -> None:
    response = seeded_client.get(path)
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)  # type: ignore[union-attr]
    html = response.get_data(as_text=True)
    for tag in re.findall(r"<script\b[^>]*>", html):
        if "src=" in tag or 'type="application/ld+json"' in tag or "application/json" in tag:
            continue
        assert f'nonce="{nonce}"' in tag, tag
    assert "<style" not in html or all(
        f'nonce="{nonce}"' in tag for tag in re.findall(r"<style\b[^>]*>", html)
    )
    assert (
        seeded_client.get(path).headers["Content-Security-Policy"]
        != response.headers["Content-Security-Policy"]
    )  # a fresh nonce for every response


def test_only_the_embeddable_map_may_be_framed(seeded_client: Any) -> None:
    embed = seeded_client.get("/map?embed=1&near=Austin,%20TX")
    assert "frame-ancestors *" in embed.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed.headers


def test_hsts_when_configured(seeded_app: Any) -> None:
    app = create_app({**seeded_app.config, "HSTS": True})
    response = app.test_client().get("/")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_tile_server_is_the_only_other_image_origin() -> None:
    policy = content_security_policy("n", "https://*.tile.example.org", embeddable=False)
    assert "img-src 'self' data: https://*.tile.example.org" in policy
    assert "connect-src 'self'" in policy


@pytest.mark.parametrize(("hops", "seen"), [(0, "192.0.2.9"), (1, "198.51.100.7")])
def test_forwarded_addresses_are_trusted_only_from_configured_proxies(
    app_config: dict[str, Any], hops: int, seen: str
) -> None:
    """A direct client cannot choose its address; behind one proxy, the proxy's header counts."""
    from flask import request

    app = create_app({**app_config, "TRUSTED_PROXIES": hops})
    with app.test_request_context(
        "/", environ_base={"REMOTE_ADDR": "192.0.2.9"}, headers={"X-Forwarded-For": "198.51.100.7"}
    ):
        environ = request.environ
        app.wsgi_app(environ, lambda status, headers: None)  # type: ignore[arg-type]
        assert environ["REMOTE_ADDR"] == seen  # what the rate limits key on


@pytest.mark.parametrize(
    "path", ["/", "/sitemap.xml", "/robots.txt", "/api/openapi.json", "/api/providers"]
)
def test_a_forged_host_never_reaches_an_absolute_url(
    seeded_dir: Any, seeded_database: Any, gazetteer: Any, path: str
) -> None:
    app = create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(seeded_dir),
            "DATABASE": str(seeded_database),
            "GAZETTEER": str(gazetteer),
            "SECRET_KEY": "test",
            "TRUSTED_HOSTS": "map.example.org",
        }
    )
    client = app.test_client()
    forged = client.get(path, headers={"Host": "evil.example"})
    assert forged.status_code == 400
    assert "evil.example" not in forged.get_data(as_text=True)
    good = client.get(path, headers={"Host": "map.example.org"})
    assert good.status_code == 200
    if path == "/sitemap.xml":
        assert "http://map.example.org/" in good.get_data(as_text=True)


def test_trusted_hosts_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIRECTORY_TRUSTED_HOSTS", "map.example.org, www.map.example.org")
    app = create_app({"TESTING": True, "SECRET_KEY": "test"})
    assert app.config["TRUSTED_HOSTS"] == ["map.example.org", "www.map.example.org"]
