"""Public submissions: "Suggest an update" on a provider, "Add a provider", and the status
page a reference number leads to. Each view hands the form to ``submissions.intake``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from directory import auth
from directory.db import get_db
from directory.queries.regions import jurisdiction_rows
from directory.review_queue import current_workspace, get_queue
from directory.submissions import intake, newprovider, store
from directory.submissions.choices import SOURCE_KINDS, Places
from directory.submissions.diff import get_at
from directory.submissions.fields import OTHER
from directory.submissions.forms import HONEYPOT

blueprint = Blueprint("submit", __name__)
auth.guard_forms(blueprint)

Page = str | tuple[str, int] | BaseResponse


@blueprint.route("/providers/<provider_id>/suggest", methods=["GET", "POST"])
@auth.csrf_protected
def suggest(provider_id: str) -> Page:
    """Suggest a correction to one field of a listed provider."""
    workspace = current_workspace()
    places = _places()
    target = intake.suggestion_target(workspace, provider_id, places)
    if target is None:
        abort(404)
    if request.method == "GET":
        return _suggest_page(target, _first_values(target, request.args.get("field", "")), {})
    connection = get_queue()
    outcome = intake.submit_suggestion(
        connection,
        workspace,
        target,
        request.form,
        auth.client_id(),
        getlist=request.form.getlist,
        places=places,
    )
    if outcome.ref is not None:
        return redirect(url_for("submit.status", ref=outcome.ref, sent=1), code=303)
    return _suggest_page(target, outcome.values, outcome.errors), outcome.status


def _places() -> Places:
    return Places.from_rows(jurisdiction_rows(get_db()))


def _first_values(target: intake.Target, path: str) -> dict[str, Any]:
    """The form's starting values: the chosen detail, and its current choices ticked."""
    values: dict[str, Any] = {"field": path[:200], "source_kind": "web"}
    chosen = target.field(path)
    if chosen is not None and chosen.entry in {"choice", "choices"}:
        current = get_at(target.record, chosen.path)
        if isinstance(current, list):
            values["proposed_list"] = [str(item) for item in current]
        elif current is not None:
            values["proposed"] = str(current)
    return values


def _suggest_page(target: intake.Target, values: dict[str, Any], errors: dict[str, str]) -> str:
    path = values.get("field")
    return render_template(
        "submit/suggest.html",
        crisis_country=intake.record_area(target.record),
        target=target,
        chosen=target.field(path),
        other_chosen=path == OTHER,
        field_options=[(choice.path, choice.label) for choice in target.fields]
        + [(OTHER, "Something else")],
        values=values,
        errors=errors,
        other=OTHER,
        honeypot=HONEYPOT,
        limits=intake.LIMITS,
        source_kinds=SOURCE_KINDS,
        today=dt.date.today().isoformat(),
    )


@blueprint.route("/providers/new", methods=["GET", "POST"])
@auth.csrf_protected
def new_provider() -> Page:
    """Propose a provider the directory does not list yet."""
    if request.method == "GET":
        return _new_page({}, {})
    workspace = current_workspace()
    connection = get_queue()
    outcome = intake.submit_new_provider(
        connection,
        workspace,
        request.form,
        request.form.getlist,
        auth.client_id(),
        places=_places(),
    )
    if outcome.ref is not None:
        return redirect(url_for("submit.status", ref=outcome.ref, sent=1), code=303)
    return _new_page(outcome.values, outcome.errors), outcome.status


def _new_page(values: dict[str, object], errors: dict[str, str]) -> str:
    return render_template(
        "submit/new.html",
        values=values,
        errors=errors,
        honeypot=HONEYPOT,
        limits=newprovider.TEXT_LIMITS,
        choices=newprovider.form_choices(_places()),
    )


@blueprint.get("/submissions/<ref>")
def status(ref: str) -> str:
    """Where a submission stands: pending, approved or rejected (with the reason)."""
    if not store.is_reference(ref):
        abort(404)
    connection = get_queue()
    submission = store.get(connection, ref)
    if submission is None:
        abort(404)
    return render_template(
        "submit/status.html",
        submission=submission,
        just_sent=request.args.get("sent") == "1",
        crisis_country=_submission_area(submission),
    )


def _submission_area(submission: store.Submission) -> str | None:
    """Where the provider a submission is about works, for the status page's crisis lines."""
    record = submission.proposal.get("record")
    if submission.kind == "new" and isinstance(record, dict):
        return intake.record_area(record)
    target = intake.suggestion_target(current_workspace(), submission.provider_id)
    return intake.record_area(target.record) if target else None
