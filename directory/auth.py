"""Access control: the ``maintainer_required`` decorator, CSRF checks on every form, the
session cookie's settings, and the per-request size limit for forms.

The blueprints that take form posts (submit, review, login) call :func:`init_app` when they
are registered, so the settings below apply whichever of them an app includes:

* the session cookie is HTTP-only, ``SameSite=Lax`` and, unless ``SECURE_COOKIES`` is off,
  sent only over HTTPS;
* without a configured ``SECRET_KEY`` a random one is created once in the instance folder
  (``instance/secret_key``) and shared by every worker, so sessions and CSRF tokens work
  out of the box and survive restarts; production sets ``DIRECTORY_SECRET_KEY``.
"""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from flask import Blueprint, abort, current_app, g, redirect, request, session, url_for
from flask.sansio.app import App
from flask_wtf.csrf import generate_csrf, validate_csrf  # type: ignore[import-untyped]
from werkzeug.wrappers import Response as BaseResponse
from wtforms.validators import ValidationError  # type: ignore[import-untyped]

from directory.review_queue import get_queue
from directory.submissions import accounts

P = ParamSpec("P")
R = TypeVar("R")

#: The largest form post accepted (the longest form, with every field full, is ~30 kB).
MAX_FORM_BYTES = 256 * 1024
#: How long a form's CSRF token stays valid: long enough to write a careful suggestion.
CSRF_SECONDS = 6 * 3600
SESSION_KEY = "maintainer"
GUARD_MARK = "requires_maintainer"
CSRF_FAILED = (
    "This form's security token is missing or has expired. Go back, reload the page and "
    "send the form again. Nothing was saved."
)


def init_app(app: App) -> None:
    """Configure the session cookie and CSRF tokens on ``app`` (once)."""
    if "directory.auth" in app.extensions:
        return
    app.extensions["directory.auth"] = True
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_SECURE"] = bool(app.config.get("SECURE_COOKIES", True))
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", CSRF_SECONDS)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret(Path(app.instance_path))
    app.add_template_global(csrf_token)


def instance_secret(instance: Path) -> str:
    """The key in ``instance/secret_key``, created atomically on first use."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        temporary = instance / f".secret_key.{secrets.token_hex(4)}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
        # link() fails if another worker got there first; then both use that worker's key.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
        temporary.unlink()
    return path.read_text(encoding="utf-8").strip()


def client_id() -> str:
    """The client's address, for rate limits only (hashed there, never stored or logged)."""
    return request.remote_addr or "unknown"


def csrf_token() -> str:
    """The CSRF token for this session's forms (a template global)."""
    return str(generate_csrf())


def limit_form_size() -> None:
    """Refuse (413) a request body larger than any form of ours needs."""
    request.max_content_length = MAX_FORM_BYTES
    request.max_form_memory_size = MAX_FORM_BYTES


def csrf_protected(view: Callable[P, R]) -> Callable[P, R]:
    """Refuse (400) a form post without this session's CSRF token."""

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        if request.method not in {"GET", "HEAD", "OPTIONS"}:
            try:
                validate_csrf(request.form.get("csrf_token"))
            except ValidationError:
                abort(400, description=CSRF_FAILED)
        return view(*args, **kwargs)

    return wrapped


def maintainer_required(view: Callable[P, R]) -> Callable[P, R | BaseResponse]:
    """Let only a logged-in maintainer, whose account still exists, reach ``view``.

    Anyone else is sent to the login page (and a removed account's session is ended).
    """

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R | BaseResponse:
        account = _session_account()
        if account is None:
            session.clear()
            target = request.full_path.rstrip("?") if request.method == "GET" else None
            return redirect(url_for("login.login", next=target))
        session["seen"] = _now()
        g.maintainer = account.name
        return view(*args, **kwargs)

    setattr(wrapped, GUARD_MARK, True)  # lets a test check every /review view carries it
    return wrapped


def _now() -> int:
    """Seconds since the epoch (a function, so tests can move the clock)."""
    return int(time.time())


def _session_account() -> accounts.Maintainer | None:
    """The account this session belongs to, if the session is still good.

    It must name an existing account, carry that account's current epoch (logout, a new
    password or removal replace it), and be within both the idle and the absolute lifetime.
    """
    name, epoch = session.get(SESSION_KEY), session.get("epoch")
    started, seen = session.get("started"), session.get("seen")
    if not (isinstance(name, str) and isinstance(epoch, str) and epoch):
        return None
    if not (isinstance(started, int) and isinstance(seen, int)):
        return None
    now = _now()
    config = current_app.config
    if now - seen > int(config["SESSION_IDLE_MINUTES"]) * 60:
        return None
    if now - started > int(config["SESSION_MAX_HOURS"]) * 3600:
        return None
    account = accounts.find(get_queue(), name)
    if account is None or not secrets.compare_digest(account.session_epoch, epoch):
        return None
    return account


def current_maintainer() -> str:
    """The name of the maintainer making this request (set by :func:`maintainer_required`)."""
    return str(g.maintainer)


def log_in(account: accounts.Maintainer) -> None:
    """Start a maintainer's session (a fresh one, so no earlier session state carries over)."""
    session.clear()
    now = _now()
    session.update(
        {SESSION_KEY: account.name, "epoch": account.session_epoch, "started": now, "seen": now}
    )


def log_out() -> None:
    """End this session and every other session of the same account, then clear the cookie."""
    account = _session_account()
    if account is not None:
        accounts.end_sessions(get_queue(), account.name)
    session.clear()


def no_store(response: Any) -> Any:
    """Keep maintainer pages and form results out of shared and browser caches."""
    response.headers["Cache-Control"] = "no-store"
    return response


def guard_forms(blueprint: Blueprint) -> None:
    """Set ``blueprint`` up for forms: sessions and CSRF on the app, bounded request bodies,
    and answers kept out of caches."""
    blueprint.record_once(lambda state: init_app(state.app))
    blueprint.before_request(limit_form_size)
    blueprint.after_request(no_store)
