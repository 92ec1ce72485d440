"""``flask --app directory`` commands for the data-update workflow: maintainer accounts,
batch imports and the freshness report. Registered by :func:`directory.cli.init_app`.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from directory.dataset.placing import build_time_resolver
from directory.review_queue import current_workspace
from directory.submissions import accounts, apply, store
from directory.submissions.freshness import check_freshness
from directory.submissions.imports import BatchInvalid, run_import

maintainers = AppGroup("maintainers", help="Manage maintainer accounts (add, list, remove).")


@maintainers.command("add")
@click.argument("name")
@click.password_option(
    "--password", prompt="Password", help="Prompted for (twice) when not given; never echoed."
)
def add_maintainer(name: str, password: str) -> None:
    """Create the maintainer account NAME, asking for its password twice."""
    with store.open_store(current_workspace().queue) as connection:
        try:
            accounts.add(connection, name, password)
        except accounts.AccountError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"added maintainer {name}")


@maintainers.command("list")
def list_maintainers() -> None:
    """List maintainer accounts and when each was created."""
    with store.open_store(current_workspace().queue) as connection:
        found = accounts.list_all(connection)
    for maintainer in found:
        click.echo(f"{maintainer.name}\t{maintainer.created_at}")
    if not found:
        click.echo("no maintainers yet: add one with 'flask --app directory maintainers add NAME'")


@maintainers.command("reset-password")
@click.argument("name")
@click.password_option(
    "--password", prompt="New password", help="Prompted for (twice) when not given."
)
def reset_password(name: str, password: str) -> None:
    """Give the maintainer NAME a new password and end all of its sessions."""
    with store.open_store(current_workspace().queue) as connection:
        try:
            changed = accounts.set_password(connection, name, password)
        except accounts.AccountError as exc:
            raise click.ClickException(str(exc)) from None
    if not changed:
        raise click.ClickException(f"there is no maintainer called {name!r}")
    click.echo(f"new password set for {name}; every session of the account has ended")


@maintainers.command("unlock")
@click.argument("name")
def unlock_maintainer(name: str) -> None:
    """Clear the failed logins counted against NAME, so it can log in again at once."""
    workspace = current_workspace()
    with store.open_store(workspace.queue) as connection:
        if accounts.find(connection, name) is None:
            raise click.ClickException(f"there is no maintainer called {name!r}")
        accounts.unlock(connection, workspace.rate_secret, name)
    click.echo(f"failed logins for {name} cleared; it can log in again")


@maintainers.command("remove")
@click.argument("name")
def remove_maintainer(name: str) -> None:
    """Delete the maintainer account NAME; its sessions stop working at once."""
    with store.open_store(current_workspace().queue) as connection:
        removed = accounts.remove(connection, name)
    if not removed:
        raise click.ClickException(f"there is no maintainer called {name!r}")
    click.echo(f"removed maintainer {name}")


@click.command("import-updates")
@with_appcontext
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--by", required=True, help="The maintainer account applying the batch.")
@click.option("--dry-run", is_flag=True, help="Check the batch and print the diff; change nothing.")
def import_updates_command(file: Path, by: str, dry_run: bool) -> None:
    """Apply a CSV or YAML batch of updates to data/, all or nothing, with the change log."""
    workspace = current_workspace()
    with store.open_store(workspace.queue) as connection:
        maintainer = accounts.find(connection, by)
    if maintainer is None:
        raise click.ClickException(f"there is no maintainer called {by!r}")
    resolve = build_time_resolver(workspace.gazetteer)
    try:
        with store.open_store(workspace.queue) as connection:
            plan, committed = run_import(
                connection, workspace, file, by=maintainer.name, dry_run=dry_run, resolve=resolve
            )
    except BatchInvalid as invalid:
        for error in invalid.errors:
            click.echo(f"error: {error}", err=True)
        raise click.ClickException("nothing was changed") from None
    except apply.UpdateError as exc:
        raise click.ClickException(f"{exc}; nothing was changed") from None
    for line in plan.describe():
        click.echo(line)
    changed = sum(len(record.changes) for record in plan.records)
    if committed is None:
        click.echo(f"dry run: {changed} changes to {len(plan.records)} records; nothing written")
        return
    click.echo(
        f"applied {changed} changes to {len(plan.records)} records; "
        f"{committed.entries} change-log entries; database rebuilt "
        f"({committed.build.providers} providers)"
    )


@click.command("freshness")
@with_appcontext
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def freshness_command(as_json: bool) -> None:
    """List records not verified lately, without sources, or with suspicious values."""
    workspace = current_workspace()
    report = check_freshness(workspace.data_dir, workspace.stale_after_days)
    if as_json:
        sections = {title: [asdict(f) for f in found] for title, found in report.sections()}
        click.echo(json.dumps({"checked": report.checked, "sections": sections}, indent=2))
        return
    click.echo(f"{report.checked} records checked; stale after {workspace.stale_after_days} days")
    for title, found in report.sections():
        click.echo(f"\n{title} ({len(found)})")
        for finding in found:
            hidden = " [hidden]" if finding.hidden else ""
            click.echo(f"  {finding.id}: {finding.detail}{hidden}")


def init_app(app: Flask) -> None:
    """Register the commands on ``app``."""
    for command in (maintainers, import_updates_command, freshness_command):
        app.cli.add_command(command)
