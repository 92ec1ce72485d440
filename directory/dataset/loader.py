"""Reading and validating a dataset folder: every error names its file, record and field.

A dataset folder holds ``providers/*.yaml`` (one provider per file), optionally
``providers.jsonl`` (one provider per line, used for large synthetic sets) and
``jurisdictions/*.yaml``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from directory.dataset import provenance
from directory.dataset.models import Jurisdiction, Provider

try:  # the C loader is several times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as YamlLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as YamlLoader  # type: ignore[assignment]

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class DataError:
    """One problem in the dataset, located precisely enough to fix it."""

    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"field '{self.field}'" if self.field else "the record"
        return f"{self.file}: record '{self.record}': {where}: {self.message}"


class DatasetInvalid(Exception):
    """Raised when a dataset folder has one or more errors."""

    def __init__(self, errors: Sequence[DataError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


@dataclass
class Dataset:
    """A validated dataset: jurisdictions sorted by code, providers in file order."""

    providers: list[Provider] = field(default_factory=list)
    jurisdictions: list[Jurisdiction] = field(default_factory=list)


def field_path(location: Sequence[int | str]) -> str:
    """Render a pydantic error location as ``treatments[0].price.min``.

    >>> field_path(("treatments", 0, "price", "min"))
    'treatments[0].price.min'
    """
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + part
    return path


def _validation_errors(exc: ValidationError, file: str, record: str) -> Iterator[DataError]:
    for error in exc.errors(include_url=False):
        # Validators on a whole model report an empty location; strip pydantic's prefix.
        message = str(error["msg"]).removeprefix("Value error, ")
        yield DataError(file, record, field_path(error["loc"]), message)


def _validate(
    model: type[ModelT], raw: object, file: str, record: str, today: dt.date
) -> tuple[ModelT | None, list[DataError]]:
    if not isinstance(raw, dict):
        return None, [DataError(file, record, "", "expected a mapping of fields")]
    try:
        return model.model_validate(raw, context={"today": today}), []
    except ValidationError as exc:
        return None, list(_validation_errors(exc, file, record))


def _validate_provider(
    raw: object, file: str, record: str, today: dt.date
) -> tuple[Provider | None, list[DataError]]:
    """The provider model of ``raw``, or errors; a fact citing no source is an error too."""
    provider, errors = _validate(Provider, raw, file, record, today)
    if provider is not None:
        errors += [DataError(file, record, f, m) for f, m in provenance.problems(provider)]
        if errors:
            return None, errors
    return provider, errors


def _read_yaml(path: Path, display: str) -> tuple[object, DataError | None]:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=YamlLoader), None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        message = " ".join(str(exc).split())
        return None, DataError(display, path.stem, "", f"not valid YAML: {message}")


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class LoadedProvider:
    """One provider record as read from its file: the model, or the errors that stopped it."""

    file: str
    record: str
    provider: Provider | None
    errors: list[DataError]


def iter_providers(root: Path, today: dt.date) -> Iterator[LoadedProvider]:
    """Every provider record in ``root``, validated one at a time (YAML files, then JSONL)."""
    for path in sorted((root / "providers").glob("*.yaml")):
        display = _display(path, root)
        raw, error = _read_yaml(path, display)
        if error:
            yield LoadedProvider(display, path.stem, None, [error])
            continue
        record = str(raw.get("id", path.stem)) if isinstance(raw, dict) else path.stem
        provider, problems = _validate_provider(raw, display, record, today)
        if provider is not None and provider.id != path.stem:
            problems.append(
                DataError(display, record, "id", f"id must equal the file name '{path.stem}'")
            )
        yield LoadedProvider(display, record, provider, problems)
    bulk = root / "providers.jsonl"
    if bulk.exists():
        display = _display(bulk, root)
        with bulk.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                yield _jsonl_provider(line, f"{display}:{number}", number, today)


def _jsonl_provider(line: str, where: str, number: int, today: dt.date) -> LoadedProvider:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        return LoadedProvider(
            where,
            f"line {number}",
            None,
            [DataError(where, f"line {number}", "", f"not valid JSON: {exc}")],
        )
    record = str(raw.get("id", f"line {number}")) if isinstance(raw, dict) else f"line {number}"
    provider, problems = _validate_provider(raw, where, record, today)
    return LoadedProvider(where, record, provider, problems)


def load_jurisdictions(root: Path, today: dt.date) -> tuple[list[Jurisdiction], list[DataError]]:
    """All jurisdictions in ``root``, sorted by code, and the errors found in them."""
    loaded: list[tuple[str, Jurisdiction]] = []
    errors: list[DataError] = []
    for path in sorted((root / "jurisdictions").glob("*.yaml")):
        display = _display(path, root)
        raw, error = _read_yaml(path, display)
        if error:
            errors.append(error)
            continue
        record = str(raw.get("code", path.stem)) if isinstance(raw, dict) else path.stem
        jurisdiction, problems = _validate(Jurisdiction, raw, display, record, today)
        errors += problems
        if jurisdiction is not None:
            if jurisdiction.code != path.stem:
                errors.append(
                    DataError(
                        display, record, "code", f"code must equal the file name '{path.stem}'"
                    )
                )
            loaded.append((display, jurisdiction))
    codes = {j.code for _, j in loaded}
    for file, jurisdiction in loaded:
        if jurisdiction.parent is not None and jurisdiction.parent not in codes:
            errors.append(
                DataError(
                    file, jurisdiction.code, "parent", f"unknown jurisdiction {jurisdiction.parent}"
                )
            )
    return sorted((j for _, j in loaded), key=lambda j: j.code), errors


class CrossChecker:
    """Checks that need more than one record: unique ids, references to jurisdictions."""

    def __init__(self, jurisdiction_codes: set[str]) -> None:
        self.codes = jurisdiction_codes
        self.seen: set[str] = set()

    def check(self, file: str, provider: Provider) -> list[DataError]:
        """Errors of ``provider`` against the records checked before it."""
        errors: list[DataError] = []
        if provider.id in self.seen:
            errors.append(
                DataError(file, provider.id, "id", "duplicate id: used by another record")
            )
        self.seen.add(provider.id)
        for index, location in enumerate(provider.locations):
            if location.country not in self.codes:
                errors.append(
                    DataError(
                        file,
                        provider.id,
                        f"locations[{index}].country",
                        f"no jurisdiction file for country {location.country}",
                    )
                )
        for index, area in enumerate(provider.telehealth_areas):
            if area not in self.codes:
                errors.append(
                    DataError(
                        file,
                        provider.id,
                        f"telehealth_areas[{index}]",
                        f"no jurisdiction file for {area}",
                    )
                )
        return errors


def load_dataset(root: Path, today: dt.date | None = None) -> Dataset:
    """Read and validate the whole dataset folder ``root``; raise :class:`DatasetInvalid`."""
    today = today or dt.date.today()
    if not root.is_dir():
        raise DatasetInvalid([DataError(str(root), "", "", "dataset folder not found")])
    jurisdictions, errors = load_jurisdictions(root, today)
    checker = CrossChecker({j.code for j in jurisdictions})
    dataset = Dataset(jurisdictions=jurisdictions)
    for loaded in iter_providers(root, today):
        errors += loaded.errors
        if loaded.provider is not None:
            errors += checker.check(loaded.file, loaded.provider)
            dataset.providers.append(loaded.provider)
    if errors:
        raise DatasetInvalid(errors)
    return dataset


def read_raw_yaml(path: Path) -> dict[str, Any]:
    """Read one YAML record as plain data (for tools that rewrite files)."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=YamlLoader)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping")
    return data
