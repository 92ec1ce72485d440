"""Maintainer login and logout. Accounts are created on the command line, never here.

These two routes live outside /review so that every route under /review, without
exception, requires a logged-in maintainer. Accounts live in the queue database, so where a
single writer instance owns the queue (docs/deploy.md), /maintainers/ is routed to it too.
"""

from __future__ import annotations

import re

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from directory import auth
from directory.review_queue import current_workspace, get_queue
from directory.submissions import accounts

blueprint = Blueprint("login", __name__)
auth.guard_forms(blueprint)

FAILED = "That name and password do not match an account."
LIMITED = "Too many failed attempts. Wait an hour, or ask another maintainer for help."


#: A path under /review in printable ASCII: no other site, no control characters (a line
#: break in a redirect's Location would be refused by the server with a 500).
_REVIEW_PATH = re.compile(r"/review(?:[/?][\x21-\x7e]*)?")


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a page under /review, never another site."""
    if target and _REVIEW_PATH.fullmatch(target) and "//" not in target and "\\" not in target:
        return target
    return url_for("review.queue")


@blueprint.route("/maintainers/login", methods=["GET", "POST"])
@auth.csrf_protected
def login() -> str | tuple[str, int] | BaseResponse:
    """The login form; a correct name and password start a maintainer session."""
    target = request.values.get("next")
    if request.method == "GET":
        return render_template("review/login.html", next=target, name="", error=None)
    name = request.form.get("name", "")[:100]
    workspace = current_workspace()
    connection = get_queue()
    result = accounts.attempt_login(
        connection,
        workspace.rate_secret,
        name,
        request.form.get("password", ""),
        auth.client_id(),
        workspace.login_limit,
    )
    if result.maintainer is None:
        error, status = (LIMITED, 429) if result.limited else (FAILED, 401)
        page = render_template("review/login.html", next=target, name=name, error=error)
        return page, status
    auth.log_in(result.maintainer)
    return redirect(safe_next(target), code=303)


@blueprint.post("/maintainers/logout")
@auth.csrf_protected
def logout() -> BaseResponse:
    """End the maintainer's session."""
    auth.log_out()
    return redirect(url_for("login.login"), code=303)
