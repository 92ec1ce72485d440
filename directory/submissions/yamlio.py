"""Round-trip editing of provider files: a change touches only the fields it names.

ruamel.yaml keeps key order, comments, quoting and flow-style lists, so an approved change
to one field gives a one-line diff in review, and reading then writing a file unchanged
gives back the same bytes (tested over the real dataset).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.representer import RoundTripRepresenter

from directory.dataset import provenance
from directory.dataset.models import Provider
from directory.submissions.diff import FieldChange, parse_path, plain, set_at
from directory.submissions.fields import yaml_value


def _misread_by_yaml_1_1(text: str) -> bool:
    """Whether PyYAML would read the plain scalar ``text`` as something other than a string."""
    table = yaml.resolver.Resolver.yaml_implicit_resolvers
    candidates = [*table.get(text[:1], []), *table.get(None, [])]
    return any(pattern.match(text) for _tag, pattern in candidates)


#: Top-level keys in the order the data format documents them.
KEY_ORDER = tuple(Provider.model_fields)


def _represent_none(representer: RoundTripRepresenter, _: None) -> Any:
    # The dataset writes unknown values as an explicit null, not as an empty value.
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def _represent_str(representer: RoundTripRepresenter, data: str) -> Any:
    # The dataset is read with PyYAML, which follows YAML 1.1: there "yes", "no", "on",
    # "null", "1_000" or "12:30" are not strings. Quote any string it would misread.
    if _misread_by_yaml_1_1(data):
        return representer.represent_scalar("tag:yaml.org,2002:str", data, style='"')
    return representer.represent_str(data)


def _yaml() -> YAML:
    document = YAML(typ="rt")
    document.preserve_quotes = True
    document.width = 100_000  # never fold long notes: a one-word change stays a one-line diff
    document.indent(mapping=2, sequence=4, offset=2)
    document.representer.add_representer(type(None), _represent_none)
    document.representer.add_representer(str, _represent_str)
    # One date object used twice (a source read today, a verification made today) would be
    # written as an anchor and an alias (&id001 / *id001): curated files stay plain YAML.
    document.representer.ignore_aliases = lambda _data: True
    return document


def content_hash(data: bytes | None) -> str:
    """The hash a reviewer saw: of the file's bytes, or ``absent`` when there is no file."""
    if data is None:
        return "absent"
    return hashlib.sha256(data).hexdigest()[:32]


def read_file(path: Path) -> tuple[str | None, str]:
    """The text of ``path`` (None if missing) and its :func:`content_hash`.

    Raises ValueError when the file is not UTF-8.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, content_hash(None)
    return data.decode("utf-8"), content_hash(data)


def load(text: str) -> CommentedMap:
    """Parse a provider file for editing; raises ValueError if it is not a YAML mapping."""
    try:
        document = _yaml().load(text)
    except YAMLError as exc:
        raise ValueError(f"not valid YAML: {' '.join(str(exc).split())}") from None
    if not isinstance(document, CommentedMap):
        raise ValueError("expected a mapping of fields")
    return document


def read_record(path: Path) -> tuple[dict[str, Any] | None, str]:
    """The record in ``path`` as plain data (None if there is no file) and its hash.

    Raises ValueError when the file is not a readable YAML mapping.
    """
    text, digest = read_file(path)
    if text is None:
        return None, digest
    return plain(load(text)), digest


def dump(document: Mapping[str, Any]) -> str:
    """Serialise a record in the dataset's layout."""
    out = io.StringIO()
    _yaml().dump(document, out)
    return out.getvalue()


def new_document(record: Mapping[str, Any]) -> CommentedMap:
    """A document for a new record: keys in the documented order, dates as dates."""
    document = CommentedMap()
    for key in (*KEY_ORDER, *(k for k in record if k not in KEY_ORDER)):
        if key in record:
            document[key] = _node(key, yaml_value(key, plain(record[key])))
    return document


def _node(key: str, value: Any) -> Any:
    """Short lists of codes are written inline, as the hand-written files do."""
    if key in {"telehealth_areas", "payment_options"} and isinstance(value, list):
        sequence = CommentedSeq(value)
        sequence.fa.set_flow_style()
        return sequence
    return value


def _keep_style(old: Any, new: Any) -> Any:
    if isinstance(old, CommentedSeq) and isinstance(new, list) and old.fa.flow_style():
        sequence = CommentedSeq(new)
        sequence.fa.set_flow_style()
        return sequence
    return new


def _current(document: Mapping[str, Any], parts: Sequence[str | int]) -> Any:
    value: Any = document
    for part in parts:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def apply(document: CommentedMap, changes: Sequence[FieldChange]) -> None:
    """Apply field changes to a parsed file in place; raises ValueError on a bad path."""
    for change in changes:
        parts = parse_path(change.field)
        names = [part for part in parts if isinstance(part, str)]
        value = _keep_style(_current(document, parts), yaml_value(names[-1], change.new))
        top = parts[0]
        if len(parts) == 1 and isinstance(top, str) and top not in document and value is not None:
            document.insert(_position(document, top), top, _node(top, value))
            continue
        set_at(document, change.field, value)


def _position(document: CommentedMap, key: str) -> int:
    """Where ``key`` goes so the documented order is kept."""
    if key not in KEY_ORDER:
        return len(document)
    rank = KEY_ORDER.index(key)
    position = 0
    for index, existing in enumerate(document):
        if existing in KEY_ORDER and KEY_ORDER.index(existing) < rank:
            position = index + 1
    return position


def add_source(
    document: CommentedMap,
    url: str,
    title: str | None,
    retrieved: dt.date,
    note: str,
    kind: str = "other",
) -> str:
    """Cite ``url`` in the record's sources, read on ``retrieved`` (refreshes a known URL).

    Returns the source's key, by which the facts it supports cite it.
    """
    sources = document.get("sources")
    if not isinstance(sources, list):
        sources = CommentedSeq()
        document.insert(_position(document, "sources"), "sources", sources)
    keys = {str(source.get("key")) for source in sources if isinstance(source, dict)}
    for source in sources:
        if isinstance(source, dict) and source.get("url") == url:
            source["retrieved"] = retrieved
            if title and not source.get("title"):
                source["title"] = title
            if not source.get("key") and isinstance(source, CommentedMap):
                source.insert(0, "key", _free_key(keys))
            return str(source["key"])
    entry = CommentedMap()
    entry["key"] = _free_key(keys)
    entry["kind"] = kind
    entry["url"] = url
    if title:
        entry["title"] = title
    entry["retrieved"] = retrieved
    entry["note"] = note
    sources.append(entry)
    return str(entry["key"])


def _free_key(taken: set[str]) -> str:
    number = len(taken) + 1
    while f"source-{number}" in taken:
        number += 1
    return f"source-{number}"


def cite(document: CommentedMap, paths: Sequence[str], key: str) -> None:
    """Make the facts that changes to ``paths`` touched cite the source ``key``."""
    for path in paths:
        field = provenance.key_field_for(path)
        if field is None:
            continue
        parent, _, name = field.rpartition(".")
        if not parent:
            fact = name.removesuffix("_source")
            if document.get(fact) in (None, [], "unknown"):
                document.pop(name, None)
            elif name in document:
                document[name] = key
            else:
                document.insert(_position(document, name), name, key)
            continue
        container = _current(document, parse_path(parent))
        if isinstance(container, dict):
            container[name] = key


def cite_all(document: CommentedMap, key: str) -> None:
    """Make every fact of a new record cite the source ``key``."""
    fields = ("status", *provenance.SOURCED_FIELDS)
    paths = [field for field in fields if document.get(field) not in (None, [], "unknown")]
    for index, _ in enumerate(document.get("locations") or []):
        paths.append(f"locations[{index}].city")
    for index, treatment in enumerate(document.get("treatments") or []):
        paths.append(f"treatments[{index}].code")
        if isinstance(treatment, dict) and treatment.get("price"):
            paths.append(f"treatments[{index}].price.min")
    screening = document.get("screening")
    if isinstance(screening, dict) and (
        screening.get("requirements")
        or screening.get("notes")
        or screening.get("referral_required", "unknown") != "unknown"
    ):
        paths.append("screening.referral_required")
    cite(document, paths, key)


#: The key of the source a member of the public gave with a new provider.
SUBMITTED_KEY = "submitted"


def confirm_source(document: CommentedMap, key: str, when: dt.date, by: str) -> None:
    """Record that ``by`` confirmed the facts citing source ``key`` with the provider or a
    register on ``when`` (the facts a change touched cite the source its approval added)."""
    for source in document.get("sources") or []:
        if isinstance(source, dict) and source.get("key") == key:
            source["confirmed_on"] = when
            source["confirmed_by"] = by
            return
    raise ValueError(f"the record has no source {key!r}")


def set_verified(document: CommentedMap, when: dt.date, by: str) -> None:
    """Record that ``by`` confirmed the facts with the provider or a register on ``when``."""
    verification = CommentedMap()
    verification["date"] = when
    verification["by"] = by
    if "last_verified" in document:
        document["last_verified"] = verification
    else:
        document.insert(_position(document, "last_verified"), "last_verified", verification)
