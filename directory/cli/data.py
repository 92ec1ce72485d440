"""The dataset's commands: validate, build, schema, generate, coverage."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from directory.dataset import coverage
from directory.dataset.build import build_database, stale_reason
from directory.dataset.loader import DatasetInvalid, load_dataset
from directory.dataset.placing import build_time_resolver
from directory.dataset.published_schema import write_schemas
from directory.dataset.synthetic import write_synthetic_dataset


def _fail(error: DatasetInvalid) -> None:
    for problem in error.errors:
        click.echo(f"error: {problem}", err=True)
    raise click.exceptions.Exit(1)


@click.command("validate")
@with_appcontext
@click.option("--data", "data_dir", type=click.Path(path_type=Path), help="Dataset folder.")
def validate_command(data_dir: Path | None) -> None:
    """Validate the dataset folder and report every error with its file, record and field."""
    folder = data_dir or Path(current_app.config["DATA_DIR"])
    try:
        dataset = load_dataset(folder)
    except DatasetInvalid as error:
        _fail(error)
        return
    click.echo(
        f"{folder}: {len(dataset.providers)} providers and "
        f"{len(dataset.jurisdictions)} jurisdictions are valid"
    )


@click.command("build")
@with_appcontext
@click.option("--data", "data_dir", type=click.Path(path_type=Path), help="Dataset folder.")
@click.option("--output", type=click.Path(path_type=Path), help="Database file to write.")
@click.option(
    "--if-stale",
    is_flag=True,
    help="Only when the database is missing, older than a file of the dataset, or of an "
    "older schema.",
)
def build_command(data_dir: Path | None, output: Path | None, if_stale: bool) -> None:
    """Validate the dataset and build the SQLite database (atomically replacing the old one)."""
    folder = data_dir or Path(current_app.config["DATA_DIR"])
    target = output or Path(current_app.config["DATABASE"])
    if if_stale:
        reason = stale_reason(folder, target)
        if reason is None:
            click.echo(f"{target} is up to date")
            return
        click.echo(f"building the database from {folder} ({reason}); this takes a moment")
    resolver = build_time_resolver(Path(current_app.config["GAZETTEER"]))
    try:
        report = build_database(folder, target, resolve=resolver)
    except DatasetInvalid as error:
        _fail(error)
        return
    click.echo(
        f"built {report.path}: {report.providers} providers, {report.locations} locations, "
        f"{report.jurisdictions} jurisdictions, {report.sources} sources "
        f"in {report.seconds:.2f} s (dataset {report.dataset_version})"
    )


@click.command("schema")
@with_appcontext
@click.option("--output", type=click.Path(path_type=Path), help="Folder for the JSON Schemas.")
def schema_command(output: Path | None) -> None:
    """Write the published JSON Schemas of the data format into data/schema/."""
    folder = output or Path(current_app.config["DATA_DIR"]) / "schema"
    for path in write_schemas(folder):
        click.echo(f"wrote {path}")


@click.command("generate")
@with_appcontext
@click.argument("count", type=click.IntRange(min=1, max=2_000_000))
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed.")
def generate_command(count: int, folder: Path, seed: int) -> None:
    """Write COUNT synthetic (illustrative) providers into FOLDER, never into data/."""
    data_dir = Path(current_app.config["DATA_DIR"]).resolve()
    if folder.resolve() == data_dir or data_dir in folder.resolve().parents:
        raise click.BadParameter("synthetic data must not be written into the curated dataset")
    write_synthetic_dataset(folder, count, data_dir / "jurisdictions", seed=seed)
    click.echo(json.dumps({"folder": str(folder), "providers": count, "seed": seed}))


@click.command("coverage")
@with_appcontext
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--records",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    help="How many of the least complete records to list.",
)
def coverage_command(as_json: bool, records: int) -> None:
    """Print the built directory's coverage: providers by country, reachable, with a phone,
    site precision, priced, notes by topic per country, third-party-only records, and what
    each record lacks."""
    database = Path(current_app.config["DATABASE"])
    if not database.exists():
        raise click.ClickException(f"{database} does not exist; build it with ./scripts/build")
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        figures = coverage.measure(db)
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps(figures.as_json(), indent=2))
    else:
        click.echo(coverage.report(figures, records=records))


def init_app(app: Flask) -> None:
    """Register the commands on ``app``."""
    for command in (
        validate_command,
        build_command,
        schema_command,
        generate_command,
        coverage_command,
    ):
        app.cli.add_command(command)
