"""Reading a batch file of updates (CSV or YAML) into rows, each error naming its row and field.

A CSV file has one change per row::

    provider_id,field,value,source_url,source_title,verified
    harbor-ketamine-austin,phone,+1 512-555-0199,https://clinic.example.org/contact,Contact,no
    harbor-ketamine-austin,treatments[0].price.max,600,https://clinic.example.org/pricing,,yes

``value`` is typed in as on the suggestion form: numbers for prices, comma-separated lists,
empty to remove a field. A YAML file is a list of the same mappings (with typed values),
and may also add whole records as ``- new_provider: {...}``.

Every row is checked before anything is written; one bad row stops the whole batch, and
each error names the row and the field.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from directory.submissions.diff import parse_path, plain
from directory.submissions.fields import FALSE_WORDS, TRUE_WORDS
from directory.submissions.forms import check_url

COLUMNS = ("provider_id", "field", "value", "source_url", "source_title", "verified")
REQUIRED = ("provider_id", "field", "source_url")
MAX_ROWS = 100_000


class BatchInvalid(Exception):
    """The batch has errors; nothing was written. Each error names its row and field."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


@dataclass(frozen=True)
class Row:
    """One field change: CSV values are text (``typed`` False), YAML values keep their type."""

    number: int
    provider_id: str
    field: str
    value: Any
    typed: bool
    source_url: str
    source_title: str = ""
    verified: bool = False


@dataclass(frozen=True)
class NewRow:
    """A whole new record (YAML only)."""

    number: int
    record: dict[str, Any]
    verified: bool = False


def _flag(text: Any, where: str, errors: list[str]) -> bool:
    if isinstance(text, bool):
        return text
    word = "" if text is None else str(text).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS or word == "":
        return False
    errors.append(f"{where}, field 'verified': enter yes or no, not {str(text)[:40]!r}")
    return False


def read_batch(path: Path) -> list[Row | NewRow]:
    """Read a CSV or YAML batch file; raises :class:`BatchInvalid` naming rows and fields."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BatchInvalid([f"{path}: cannot read the file: {exc}"]) from None
    if path.suffix.lower() == ".csv":
        return _read_csv(text)
    if path.suffix.lower() in {".yaml", ".yml"}:
        return _read_yaml(text)
    raise BatchInvalid([f"{path}: give a .csv, .yaml or .yml file"])


def _read_csv(text: str) -> list[Row | NewRow]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    errors = [f"row 1, column '{name}': unknown column" for name in header if name not in COLUMNS]
    errors += [f"row 1, column '{name}': missing" for name in REQUIRED if name not in header]
    if errors:
        raise BatchInvalid(errors)
    rows: list[Row | NewRow] = []
    for number, raw in enumerate(reader, start=2):
        if number > MAX_ROWS:
            raise BatchInvalid([f"row {number}: a batch has at most {MAX_ROWS:,} rows"])
        values = {key.strip(): (value or "") for key, value in raw.items() if key is not None}
        if None in raw:
            errors.append(f"row {number}: more values than columns")
        if not any(values.values()):
            continue  # a blank line
        rows.append(_row(number, values, typed=False, errors=errors))
    if errors:
        raise BatchInvalid(errors)
    return rows


def _read_yaml(text: str) -> list[Row | NewRow]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise BatchInvalid([f"not valid YAML: {' '.join(str(exc).split())}"]) from None
    if isinstance(data, Mapping) and "updates" in data:
        data = data["updates"]
    if not isinstance(data, list):
        raise BatchInvalid(["a YAML batch is a list of changes (or a mapping with 'updates')"])
    errors: list[str] = []
    rows: list[Row | NewRow] = []
    for number, item in enumerate(data[:MAX_ROWS], start=1):
        if not isinstance(item, Mapping):
            errors.append(f"row {number}: expected a mapping of columns")
            continue
        if "new_provider" in item:
            extra = set(item) - {"new_provider", "verified"}
            record = item["new_provider"]
            if extra or not isinstance(record, Mapping):
                errors.append(f"row {number}: a new record is 'new_provider: {{...}}' only")
                continue
            verified = _flag(item.get("verified"), f"row {number}", errors)
            rows.append(NewRow(number, plain(record), verified))
            continue
        unknown = [str(key) for key in item if key not in COLUMNS]
        errors += [f"row {number}, column '{key}': unknown column" for key in unknown]
        rows.append(_row(number, dict(item), typed=True, errors=errors))
    if errors:
        raise BatchInvalid(errors)
    return rows


def _row(number: int, values: Mapping[str, Any], *, typed: bool, errors: list[str]) -> Row:
    where = f"row {number}"
    text = {name: str(values.get(name) or "").strip() for name in COLUMNS if name != "value"}
    for name in REQUIRED:
        if not text[name]:
            errors.append(f"{where}, field '{name}': missing")
    if text["field"]:
        try:
            parse_path(text["field"])
        except ValueError:
            errors.append(f"{where}, field '{text['field'][:60]}': not a field name")
    if text["source_url"]:
        message = check_url(text["source_url"])
        if message:
            errors.append(f"{where}, field 'source_url': {message}")
    value = values.get("value")
    return Row(
        number=number,
        provider_id=text["provider_id"],
        field=text["field"],
        value=plain(value) if typed else ("" if value is None else str(value)),
        typed=typed,
        source_url=text["source_url"],
        source_title=text["source_title"],
        verified=_flag(values.get("verified"), where, errors),
    )
