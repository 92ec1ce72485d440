"""The maintainers' review pages under /review: the queue, one submission with its diff,
edit, approve, reject, the freshness report, and hiding or listing a provider.

Every route carries :func:`~directory.auth.maintainer_required`; a test walks the URL map
to check none is missed. Each view calls one function in ``submissions.decisions``.
"""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from directory import auth
from directory.dataset.build import PointResolver
from directory.dataset.loader import DatasetInvalid
from directory.dataset.placing import build_time_resolver
from directory.review_queue import current_workspace, get_queue
from directory.submissions import apply, decisions, items, listing, store
from directory.submissions.freshness import check_freshness
from directory.submissions.workspace import Workspace

log = logging.getLogger(__name__)

blueprint = Blueprint("review", __name__, url_prefix="/review")
auth.guard_forms(blueprint)

Page = str | tuple[str, int] | BaseResponse


def _nearby(workspace: Workspace) -> PointResolver | None:
    """Placing for the duplicate check: the gazetteer if built (never built for a page view)."""
    return build_time_resolver(workspace.gazetteer) if workspace.gazetteer.exists() else None


def _placing(workspace: Workspace) -> PointResolver:
    """Placing for a rebuild, as ``flask build`` does it (builds the gazetteer if missing)."""
    return build_time_resolver(workspace.gazetteer)


@blueprint.get("/")
@auth.maintainer_required
def queue() -> str:
    """Pending submissions, oldest first, a page at a time, filtered by kind, provider or
    words; then recent decisions."""
    workspace = current_workspace()
    matching = store.QueueFilter(
        kind=request.args.get("kind", "")[:10],
        provider=request.args.get("provider", "").strip()[:100],
        words=request.args.get("q", "").strip()[:200],
    )
    page = request.args.get("page", "1")
    number = int(page) if page.isdigit() and len(page) < 7 else 1
    listed = decisions.pending_queue(get_queue(), workspace, matching, number)
    return render_template(
        "review/queue.html", listed=listed, matching=matching, now=store.utcnow()
    )


@blueprint.post("/reject")
@auth.maintainer_required
@auth.csrf_protected
def reject_many() -> Page:
    """Reject the ticked submissions with one reason (for a flood)."""
    workspace = current_workspace()
    refs = [ref[:40] for ref in request.form.getlist("ref")]
    try:
        rejected, skipped = decisions.reject_many(
            get_queue(), workspace, refs, auth.current_maintainer(), request.form.get("reason", "")
        )
    except ValueError as refused:
        flash(f"Nothing rejected: {refused}.")
        return redirect(url_for("review.queue"), code=303)
    note = f" ({len(skipped)} skipped: already decided or unknown)" if skipped else ""
    flash(f"Rejected {len(rejected)}{note}.")
    return redirect(url_for("review.queue"), code=303)


@blueprint.get("/submissions/<ref>")
@auth.maintainer_required
def item(ref: str) -> Page:
    """One submission: field-level diff, source, duplicates, and the decision forms."""
    return _item_page(ref)


def _item_page(
    ref: str, *, message: str | None = None, errors: list[str] | None = None, status: int = 200
) -> tuple[str, int] | str:
    if not store.is_reference(ref):
        abort(404)
    workspace = current_workspace()
    connection = get_queue()
    decisions.settle(connection, workspace)  # show an interrupted approval as approved
    found = items.load_item(connection, workspace, ref, resolve=_nearby(workspace))
    if found is None:
        abort(404)
    page = render_template(
        "review/item.html", item=found, message=message, errors=errors or [], now=store.utcnow()
    )
    return (page, status) if status != 200 else page


@blueprint.route("/submissions/<ref>/edit", methods=["GET", "POST"])
@auth.maintainer_required
@auth.csrf_protected
def edit(ref: str) -> Page:
    """Edit the proposed record as YAML before approving it."""
    if not store.is_reference(ref):
        abort(404)
    workspace = current_workspace()
    connection = get_queue()
    found = items.load_item(connection, workspace, ref)
    if found is None:
        abort(404)
    if request.method == "GET":
        return render_template("review/edit.html", item=found, text=found.proposal_yaml)
    text = request.form.get("record", "")
    problems = decisions.edit(connection, workspace, ref, text, auth.current_maintainer())
    if problems:
        page = render_template("review/edit.html", item=found, text=text, errors=problems)
        return page, 400
    flash("Your edit is saved. Check the differences, then approve or reject.")
    return redirect(url_for("review.item", ref=ref), code=303)


@blueprint.post("/submissions/<ref>/approve")
@auth.maintainer_required
@auth.csrf_protected
def approve(ref: str) -> Page:
    """Apply the submission to data/, log it, rebuild the database, mark it approved."""
    if not store.is_reference(ref):
        abort(404)
    workspace = current_workspace()
    approval = decisions.Approval(
        ref=ref,
        by=auth.current_maintainer(),
        base_hash=request.form.get("base_hash", ""),
        source_url=request.form.get("source_url", ""),
        source_title=request.form.get("source_title", ""),
        verified=request.form.get("verified") == "yes",
    )
    try:
        connection = get_queue()
        decisions.approve(connection, workspace, approval, resolve=_placing(workspace))
    except apply.Conflict as conflict:
        return _item_page(ref, message=f"Not applied: {conflict}.", status=409)
    except DatasetInvalid as invalid:
        errors = [str(error) for error in invalid.errors]
        return _item_page(
            ref, message="Not applied: the result would not validate.", errors=errors, status=422
        )
    except (apply.UpdateError, ValueError) as refused:
        return _item_page(ref, message=f"Not applied: {refused}.", status=409)
    log.info("submission %s approved by %s", ref, approval.by)
    flash(f"Approved {ref}: the data files and the live database are updated.")
    return redirect(url_for("review.queue"), code=303)


@blueprint.post("/submissions/<ref>/reject")
@auth.maintainer_required
@auth.csrf_protected
def reject(ref: str) -> Page:
    """Reject the submission with a reason the submitter can read."""
    if not store.is_reference(ref):
        abort(404)
    workspace = current_workspace()
    try:
        connection = get_queue()
        decisions.reject(
            connection, workspace, ref, auth.current_maintainer(), request.form.get("reason", "")
        )
    except (apply.UpdateError, ValueError) as refused:
        return _item_page(ref, message=f"Not rejected: {refused}.", status=400)
    flash(f"Rejected {ref}.")
    return redirect(url_for("review.queue"), code=303)


@blueprint.get("/freshness")
@auth.maintainer_required
def freshness() -> str:
    """Records not verified lately, without sources, or with suspicious values."""
    workspace = current_workspace()
    report = check_freshness(workspace.data_dir, workspace.stale_after_days)
    return render_template(
        "review/freshness.html", report=report, stale_after_days=workspace.stale_after_days
    )


@blueprint.route("/providers/<provider_id>", methods=["GET", "POST"])
@auth.maintainer_required
@auth.csrf_protected
def provider(provider_id: str) -> Page:
    """A record's listing: hide it from the public site (``do_not_list``) or list it again."""
    workspace = current_workspace()
    message = None
    status = 200
    if request.method == "POST":
        try:
            listing.set_listing(
                get_queue(),
                workspace,
                provider_id,
                hide=request.form.get("hide") == "yes",
                by=auth.current_maintainer(),
                reason=request.form.get("reason", ""),
                base_hash=request.form.get("base_hash", ""),
                resolve=_placing(workspace),
            )
        except DatasetInvalid as invalid:
            message, status = f"Not changed: {invalid.errors[0]}", 422
        except (apply.UpdateError, ValueError) as refused:
            message, status = f"Not changed: {refused}.", 409
        else:
            flash("Saved: the live site shows the change now.")
            return redirect(url_for("review.provider", provider_id=provider_id), code=303)
    connection = get_queue()
    overview = listing.provider_overview(connection, workspace, provider_id)
    if overview is None:
        abort(404)
    page = render_template("review/provider.html", overview=overview, message=message)
    return (page, status) if status != 200 else page
