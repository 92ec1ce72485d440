"""Access control: every /review route refuses anonymous users; login, logout, rate limits,
cookie flags, and accounts removed while logged in."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from directory import create_app
from directory.auth import GUARD_MARK
from directory.db import close_all
from directory.submissions import accounts, store
from tests.submissions.helpers import PASSWORD, csrf_from, log_in

#: Values for URL arguments, so every rule can be turned into a concrete URL.
ARGUMENTS = {"ref": "KT-0000000000", "provider_id": "harbor-ketamine-austin"}


def review_rules(app: Flask) -> list[tuple[str, str]]:
    """(method, url) for every rule of the app under /review."""
    found = []
    for rule in app.url_map.iter_rules():
        if not (rule.rule == "/review" or rule.rule.startswith("/review/")):
            continue
        url = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: ARGUMENTS[m.group(1)], rule.rule)
        found += [(method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return found


#: Collected once, at import, from an app that needs no files (the rules do not depend on them).
RULES = review_rules(create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": "/none.db"}))


def test_the_review_area_has_the_expected_routes() -> None:
    rules = RULES
    urls = {url for _, url in rules}
    assert {"/review/", "/review/freshness", "/review/submissions/KT-0000000000"} <= urls
    assert ("POST", "/review/submissions/KT-0000000000/approve") in rules
    assert len(rules) >= 9


@pytest.mark.parametrize(("method", "url"), RULES)
def test_every_review_route_refuses_anonymous_users(
    client: FlaskClient, method: str, url: str
) -> None:
    response = client.open(url, method=method, data={"csrf_token": "x", "reason": "x"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/maintainers/login")
    assert "Signed in as" not in response.get_data(as_text=True)


def test_every_review_view_is_wrapped_by_the_decorator(app: Flask) -> None:
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/review"):
            view = app.view_functions[rule.endpoint]
            assert getattr(view, GUARD_MARK, False), rule.endpoint


def test_login_then_the_queue_then_logout(client: FlaskClient, maintainer: str) -> None:
    response = log_in(client, maintainer)
    assert response.status_code == 303
    assert response.headers["Location"] == "/review/"
    page = client.get("/review/")
    assert page.status_code == 200
    assert "Signed in as alice" in page.get_data(as_text=True)
    token = csrf_from(page)
    assert client.post("/maintainers/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/review/").status_code == 302


def test_login_returns_to_the_page_asked_for(client: FlaskClient, maintainer: str) -> None:
    first = client.get("/review/freshness")
    assert first.headers["Location"] == "/maintainers/login?next=/review/freshness"
    token = csrf_from(client.get(first.headers["Location"]))
    response = client.post(
        "/maintainers/login",
        data={
            "name": maintainer,
            "password": PASSWORD,
            "csrf_token": token,
            "next": "/review/freshness",
        },
    )
    assert response.headers["Location"] == "/review/freshness"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/review", "/review\\..\\x", "/elsewhere"]
)
def test_login_never_redirects_off_the_review_area(
    client: FlaskClient, maintainer: str, target: str
) -> None:
    token = csrf_from(client.get("/maintainers/login"))
    response = client.post(
        "/maintainers/login",
        data={"name": maintainer, "password": PASSWORD, "csrf_token": token, "next": target},
    )
    assert response.headers["Location"] == "/review/"


@pytest.mark.parametrize(
    ("name", "password"), [("alice", "wrong password!"), ("nobody", PASSWORD), ("", "")]
)
def test_a_wrong_login_is_refused(
    client: FlaskClient, maintainer: str, name: str, password: str
) -> None:
    response = log_in(client, name, password)
    assert response.status_code == 401
    assert "do not match" in response.get_data(as_text=True)
    assert client.get("/review/").status_code == 302


def test_login_without_csrf_token_is_refused(client: FlaskClient, maintainer: str) -> None:
    client.get("/maintainers/login")
    response = client.post("/maintainers/login", data={"name": "alice", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/review/").status_code == 302


def test_failed_logins_are_rate_limited(app_config: dict[str, Any], maintainer: str) -> None:
    app = create_app({**app_config, "LOGIN_LIMIT_PER_HOUR": 3})
    try:
        client = app.test_client()
        codes = [log_in(client, "alice", f"guess number {n}").status_code for n in range(4)]
        assert codes == [401, 401, 401, 429]
        # Even the right password is refused while the limit holds.
        assert log_in(client, "alice", PASSWORD).status_code == 429
        # The account is limited for other clients too.
        other = app.test_client()
        token = csrf_from(other.get("/maintainers/login"))
        response = other.post(
            "/maintainers/login",
            data={"name": "ALICE", "password": PASSWORD, "csrf_token": token},
            environ_base={"REMOTE_ADDR": "192.0.2.50"},
        )
        assert response.status_code == 429
    finally:
        close_all()


def test_session_cookie_is_http_only_samesite_and_secure(
    app_config: dict[str, Any], maintainer: str
) -> None:
    app = create_app({**app_config, "SECURE_COOKIES": True})
    try:
        response = log_in(app.test_client(), maintainer)
    finally:
        close_all()
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" in cookie


def test_public_pages_set_no_cookie(client: FlaskClient) -> None:
    response = client.get("/providers/harbor-ketamine-austin")
    assert "Set-Cookie" not in response.headers


def test_removing_an_account_ends_its_sessions(reviewer: FlaskClient, queue_path: Path) -> None:
    assert reviewer.get("/review/").status_code == 200
    with store.open_store(queue_path) as connection:
        assert accounts.remove(connection, "alice")
    assert reviewer.get("/review/").status_code == 302


def test_passwords_are_stored_as_argon2_hashes(queue_path: Path, maintainer: str) -> None:
    with store.open_store(queue_path) as connection:
        stored = connection.execute("SELECT password_hash FROM maintainers").fetchone()[0]
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
