"""Access control: every /review route refuses anonymous users; login, logout, rate limits,
cookie flags, and accounts removed while logged in."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from directory import auth, create_app
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
    "target",
    [
        "https://evil.example/",
        "//evil.example/review",
        "/review\\..\\x",
        "/elsewhere",
        "/review/\r\nSet-Cookie: stolen=1",  # a line break once gave a 500
        "/review/\nx",
        "/reviewer",
    ],
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
        # Even the right password is refused from that client while the limit holds.
        assert log_in(client, "alice", PASSWORD).status_code == 429
        # One client's guesses do not lock the maintainer out from elsewhere.
        assert _log_in_from(app, "192.0.2.50", "ALICE", PASSWORD).status_code == 303
    finally:
        close_all()


def _log_in_from(app: Flask, address: str, name: str, password: str) -> Any:
    client = app.test_client()
    token = csrf_from(client.get("/maintainers/login", environ_base={"REMOTE_ADDR": address}))
    return client.post(
        "/maintainers/login",
        data={"name": name, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )


def test_guesses_spread_over_many_addresses_do_not_lock_an_account(
    app_config: dict[str, Any], maintainer: str
) -> None:
    app = create_app({**app_config, "LOGIN_LIMIT_PER_HOUR": 3})
    try:
        for n in range(10):  # ten wrong passwords from ten addresses
            assert _log_in_from(app, f"192.0.2.{n + 1}", "alice", "wrong").status_code == 401
        assert _log_in_from(app, "198.51.100.7", "alice", PASSWORD).status_code == 303
    finally:
        close_all()


def test_an_account_ceiling_stops_distributed_guessing_until_unlocked(
    app_config: dict[str, Any], maintainer: str
) -> None:
    app = create_app({**app_config, "LOGIN_LIMIT_PER_HOUR": 1})
    try:
        for n in range(accounts.ACCOUNT_CEILING_FACTOR):
            assert _log_in_from(app, f"192.0.2.{n + 1}", "alice", "wrong").status_code == 401
        assert _log_in_from(app, "198.51.100.7", "alice", PASSWORD).status_code == 429
        result = app.test_cli_runner().invoke(args=["maintainers", "unlock", "alice"])
        assert result.exit_code == 0 and "can log in again" in result.output
        assert _log_in_from(app, "198.51.100.7", "alice", PASSWORD).status_code == 303
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


def _copied_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def test_logout_ends_the_session_even_for_a_copied_cookie(
    app: Flask, reviewer: FlaskClient
) -> None:
    copied = _copied_cookie(reviewer)
    page = reviewer.get("/review/")
    assert page.status_code == 200
    assert (
        reviewer.post("/maintainers/logout", data={"csrf_token": csrf_from(page)}).status_code
        == 303
    )
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/review/").status_code == 302  # the copy no longer opens the queue


def test_a_new_password_from_the_cli_ends_every_session(app: Flask, reviewer: FlaskClient) -> None:
    runner = app.test_cli_runner()
    new = "another long enough password"
    result = runner.invoke(args=["maintainers", "reset-password", "alice"], input=f"{new}\n{new}\n")
    assert result.exit_code == 0, result.output
    assert reviewer.get("/review/").status_code == 302
    fresh = app.test_client()
    assert log_in(fresh, "alice", new).status_code == 303
    assert fresh.get("/review/").status_code == 200
    unknown = runner.invoke(
        args=["maintainers", "reset-password", "nobody"], input=f"{new}\n{new}\n"
    )
    assert unknown.exit_code != 0 and "no maintainer called 'nobody'" in unknown.output


def test_removing_and_adding_an_account_again_does_not_revive_old_cookies(
    app: Flask, reviewer: FlaskClient, queue_path: Path
) -> None:
    copied = _copied_cookie(reviewer)
    with store.open_store(queue_path) as connection:
        assert accounts.remove(connection, "alice")
        accounts.add(connection, "alice", PASSWORD)
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/review/").status_code == 302


@pytest.mark.parametrize(
    ("later", "open_"), [(59 * 60, True), (61 * 60, False)], ids=["active", "idle-too-long"]
)
def test_an_idle_session_ends(
    reviewer: FlaskClient, monkeypatch: pytest.MonkeyPatch, later: int, open_: bool
) -> None:
    start = auth._now()
    monkeypatch.setattr(auth, "_now", lambda: start + later)
    assert (reviewer.get("/review/").status_code == 200) is open_


def test_a_session_ends_after_its_absolute_lifetime_however_active(
    reviewer: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = auth._now()
    for hours in range(1, 13):  # a request every hour keeps it from going idle
        monkeypatch.setattr(auth, "_now", lambda hours=hours: start + hours * 3600 - 60)
        assert reviewer.get("/review/").status_code == 200, hours
    monkeypatch.setattr(auth, "_now", lambda: start + 12 * 3600 + 60)
    assert reviewer.get("/review/").status_code == 302


def test_a_queue_from_before_session_epochs_is_migrated(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    old.execute(
        "CREATE TABLE maintainers (name TEXT PRIMARY KEY COLLATE NOCASE, "
        "password_hash TEXT NOT NULL, created_at TEXT NOT NULL)"
    )
    old.execute(
        "INSERT INTO maintainers VALUES (?, ?, ?)",
        ["alice", accounts._hasher.hash(PASSWORD), "2026-01-01T00:00:00+00:00"],
    )
    old.execute("PRAGMA user_version = 1")
    old.commit()
    old.close()
    with store.open_store(path) as connection:
        account = accounts.verify(connection, "alice", PASSWORD)
        assert account is not None and account.session_epoch  # given one on first login
        assert accounts.find(connection, "alice") == account
