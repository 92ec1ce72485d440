"""How the review and history pages show values, field names, dates and ages (template filters).

>>> value(None), value(["cash", "financing"]), value({"min": 400})
('(none)', 'cash, financing', '{"min": 400}')
>>> field_label("locations[1].postal_code")
'locations 2 > postal code'
>>> age(dt.timedelta(days=3, hours=4)), age(dt.timedelta(minutes=5))
('3 days', '5 minutes')
>>> how_known({"source_kind": "phone", "source_date": "2026-11-30"})
'A phone call with the provider on 30 November 2026 (as the sender says)'

"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

from directory.presentation.labels import format_date
from directory.submissions.choices import SOURCE_KINDS
from directory.submissions.fields import as_text


def value(item: Any) -> str:
    """A field value: "(none)" for nothing, lists joined by commas, records as compact JSON."""
    if item is None or item == "":
        return "(none)"
    if isinstance(item, dict) or (
        isinstance(item, list) and any(isinstance(part, dict | list) for part in item)
    ):
        return json.dumps(item, ensure_ascii=False)
    return as_text(item) or "(none)"


def field_label(path: str) -> str:
    """A field path in words, counting list items from 1."""
    words = re.sub(r"\[(\d+)\]", lambda match: f" {int(match.group(1)) + 1}", path)
    return " > ".join(part.replace("_", " ") for part in words.split("."))


def day(moment: dt.datetime | dt.date | None) -> str:
    """A date as "5 March 2026"."""
    if moment is None:
        return "unknown"
    return f"{moment.day} {moment:%B %Y}"


def how_known(payload: Mapping[str, Any]) -> str | None:
    """How the sender of a suggestion learned its facts, when not from a web page, in words:
    "A phone call with the provider on 30 November 2026 (as the sender says)"."""
    kind = payload.get("source_kind") or "web"
    kinds = dict(SOURCE_KINDS)
    if kind == "web" or kind not in kinds:
        return None
    when = payload.get("source_date")
    on = f" on {format_date(when)}" if when else ""
    return f"{kinds[kind]}{on} (as the sender says)"


def age(span: dt.timedelta) -> str:
    """How long something has waited, in its largest whole unit."""
    seconds = max(0, int(span.total_seconds()))
    for size, unit in ((86_400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return "just now"
