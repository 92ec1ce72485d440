"""What every page's layout needs: navigation, the crisis-resources box and the data's date.

Registered by the public blueprint as an app-wide context processor, so the map, the error
pages and any later blueprint get the same header and footer. The layout reaches the database
only through the two functions here, and both degrade to safe defaults when the database is
unavailable, because the error page (which also uses this layout) must always render, and
the crisis box must always show something.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from flask import g, request

from directory.db import DatabaseUnavailable, get_db
from directory.presentation import labels
from directory.queries.meta import DatasetInfo, dataset_info
from directory.queries.regions import crisis_lines_for
from directory.queries.site import jurisdiction_name

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CrisisLine:
    """One crisis service as the box shows it."""

    name: str
    phone: str | None = None
    text: str | None = None
    url: str | None = None
    hours: str | None = None
    where: str | None = None

    @property
    def sms(self) -> str | None:
        """The ``sms:`` link for the text number."""
        tel = labels.tel_href(self.text)
        return None if tel is None else "sms:" + tel.removeprefix("tel:")


@dataclass(frozen=True)
class CrisisBox:
    """The lines to show and for where; ``general`` when no country is known."""

    lines: list[CrisisLine] = field(default_factory=list)
    place: str | None = None
    general: bool = True


# Shown when no country is known, or a jurisdiction has no lines of its own. The numbers are
# the README's; their sources are in the countries' files in data/jurisdictions/.
GENERAL_CRISIS_LINES: tuple[CrisisLine, ...] = (
    CrisisLine("Suicide and crisis line", phone="988", text="988", where="US and Canada"),
    CrisisLine("Samaritans", phone="116 123", hours="free, 24/7", where="UK and Ireland"),
    CrisisLine("Lifeline", phone="13 11 14", text="0477 13 11 14", where="Australia"),
    CrisisLine("Free helpline", phone="1737", text="1737", where="New Zealand"),
)

NAV: tuple[tuple[str, str], ...] = (
    ("/", "Home"),
    ("/providers", "Find providers"),
    ("/map", "Map"),
    ("/regions", "Regions"),
    ("/providers/new", "Add a provider"),
    ("/about", "About"),
)


def _dataset() -> DatasetInfo | None:
    """The running build's meta data, read once per request; None if the database is down."""
    if "site_dataset" not in g:
        try:
            g.site_dataset = dataset_info(get_db())
        except (DatabaseUnavailable, sqlite3.Error) as exc:
            log.warning("layout without dataset info: %s", exc)
            g.site_dataset = None
    info: DatasetInfo | None = g.site_dataset
    return info


def data_as_of() -> str:
    """The build date of the data being served, for the footer; "unknown" if unavailable."""
    info = _dataset()
    return labels.format_date(info.built_at if info else None)


def crisis_box(code: str | None = None) -> CrisisBox:
    """Crisis lines for ``code`` (a state inherits its country's), else the general list."""
    if code:
        try:
            db = get_db()
            rows = crisis_lines_for(db, code)
            # Name where the lines come from: a state inherits its country's lines.
            name = jurisdiction_name(db, rows[0]["jurisdiction_code"]) if rows else None
            place = labels.place_in_sentence(name)
        except (DatabaseUnavailable, sqlite3.Error) as exc:
            log.warning("crisis box without database: %s", exc)
            rows, place = [], None
        if rows:
            lines = [
                CrisisLine(
                    name=row["name"],
                    phone=row["phone"],
                    text=row["text"],
                    url=row["url"],
                    hours=row["hours"],
                )
                for row in rows
            ]
            return CrisisBox(lines=lines, place=place, general=False)
    return CrisisBox(lines=list(GENERAL_CRISIS_LINES))


def nav_items() -> list[dict[str, Any]]:
    """The main navigation with the current page marked."""
    path = request.path
    items = []
    for href, label in NAV:
        current = path == href or (
            href == "/providers" and path.startswith("/providers/") and path != "/providers/new"
        )
        items.append({"href": href, "label": label, "current": current})
    return items


def inject() -> dict[str, Any]:
    """The context processor: functions the layout calls (lazily, only when it renders)."""
    return {"nav_items": nav_items, "crisis_box": crisis_box, "data_as_of": data_as_of}
