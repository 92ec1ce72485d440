"""Field paths, field-level differences between two records, and applying changes to a record.

A field is named by the path the validator uses in its errors, so a change, a diff row and
an error message all speak the same language::

    >>> for change in diff_records({"phone": "1", "locations": [{"city": "A"}]},
    ...                            {"phone": "2", "locations": [{"city": "B"}]}):
    ...     print(change)
    FieldChange(field='phone', old='1', new='2')
    FieldChange(field='locations[0].city', old='A', new='B')

Lists of mappings of the same length are compared item by item; any other list is one value.
A missing key and ``null`` are the same (the data format treats both as "unknown").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, MutableMapping, MutableSequence, Sequence
from dataclasses import dataclass
from typing import Any

from directory.dataset.loader import field_path

_TOKEN = re.compile(r"([a-z_]+)|\[(\d{1,4})\]|(\.)")
MAX_PATH = 200

PathPart = str | int


@dataclass(frozen=True)
class FieldChange:
    """One field's old and new value (JSON-ready plain data; None means absent)."""

    field: str
    old: Any
    new: Any


def parse_path(path: str) -> tuple[PathPart, ...]:
    """Split ``treatments[0].price.min`` into ``("treatments", 0, "price", "min")``.

    Raises ValueError for anything that is not a well-formed path.
    """
    if not path or len(path) > MAX_PATH:
        raise ValueError("not a field name")
    parts: list[PathPart] = []
    position = 0
    expect_name = True
    while position < len(path):
        match = _TOKEN.match(path, position)
        if match is None:
            raise ValueError(f"not a field name: {path[:60]!r}")
        name, index, _ = match.groups()
        if name is not None:
            if not expect_name:
                raise ValueError(f"not a field name: {path[:60]!r}")
            parts.append(name)
            expect_name = False
        elif index is not None:
            if expect_name:
                raise ValueError(f"not a field name: {path[:60]!r}")
            parts.append(int(index))
        else:
            if expect_name:
                raise ValueError(f"not a field name: {path[:60]!r}")
            expect_name = True
        position = match.end()
    if expect_name:
        raise ValueError(f"not a field name: {path[:60]!r}")
    return tuple(parts)


def format_path(parts: Sequence[PathPart]) -> str:
    """The inverse of :func:`parse_path`."""
    return field_path(parts)


def plain(value: Any) -> Any:
    """``value`` as JSON-ready data: dates as ISO strings, YAML node types as dicts and lists."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return int(value) if value.is_integer() else float(value)
    return str(value)


def get_at(record: Mapping[str, Any], path: str) -> Any:
    """The value at ``path`` in ``record`` as plain data, None when any part is missing."""
    value: Any = record
    for part in parse_path(path):
        if isinstance(part, int):
            if not isinstance(value, Sequence) or isinstance(value, str) or part >= len(value):
                return None
            value = value[part]
        else:
            if not isinstance(value, Mapping) or part not in value:
                return None
            value = value[part]
    return plain(value)


def set_at(record: MutableMapping[str, Any], path: str, value: Any) -> None:
    """Set ``path`` in ``record`` to ``value``; None removes the key. Creates missing mappings.

    Raises ValueError when the path crosses a value of the wrong kind or a missing list item.
    """
    parts = parse_path(path)
    container: Any = record
    for position, part in enumerate(parts[:-1]):
        following = parts[position + 1]
        if isinstance(part, int):
            if not isinstance(container, MutableSequence) or part >= len(container):
                raise ValueError(f"{path}: there is no item {part} to change")
            container = container[part]
            continue
        if not isinstance(container, MutableMapping):
            raise ValueError(f"{path}: {part} is not inside a mapping")
        if container.get(part) is None:
            if isinstance(following, int):
                raise ValueError(f"{path}: there is no list {part} to change")
            container[part] = {}
        container = container[part]
    last = parts[-1]
    if isinstance(last, int):
        if not isinstance(container, MutableSequence) or last >= len(container):
            raise ValueError(f"{path}: there is no item {last} to change")
        if value is None:
            raise ValueError(f"{path}: remove list items by editing the whole list")
        container[last] = value
        return
    if not isinstance(container, MutableMapping):
        raise ValueError(f"{path}: {last} is not inside a mapping")
    if value is None:
        container.pop(last, None)
    else:
        container[last] = value


def _is_record_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, Mapping) for item in value)


def _walk(old: Any, new: Any, parts: tuple[PathPart, ...]) -> Iterator[FieldChange]:
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        keys = list(old) + [key for key in new if key not in old]
        for key in keys:
            yield from _walk(old.get(key), new.get(key), (*parts, key))
        return
    if _is_record_list(old) and _is_record_list(new) and len(old) == len(new) and old:
        for index, (before, after) in enumerate(zip(old, new, strict=True)):
            yield from _walk(before, after, (*parts, index))
        return
    if old != new:
        yield FieldChange(format_path(parts), old, new)


def diff_records(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> list[FieldChange]:
    """The field-level changes that turn ``old`` into ``new`` (either may be None: no record)."""
    return list(_walk(plain(old or {}), plain(new or {}), ()))


def apply_changes(record: MutableMapping[str, Any], changes: Sequence[FieldChange]) -> None:
    """Set every change's new value in ``record`` (in place); raises ValueError on a bad path."""
    for change in changes:
        set_at(record, change.field, change.new)


def changes_to_json(changes: Sequence[FieldChange]) -> list[dict[str, Any]]:
    """Changes as a list of plain mappings, for storage."""
    return [{"field": c.field, "old": c.old, "new": c.new} for c in changes]


def changes_from_json(data: Any) -> list[FieldChange]:
    """The inverse of :func:`changes_to_json`; ignores malformed items."""
    if not isinstance(data, list):
        return []
    return [
        FieldChange(str(item["field"]), item.get("old"), item.get("new"))
        for item in data
        if isinstance(item, Mapping) and isinstance(item.get("field"), str)
    ]
