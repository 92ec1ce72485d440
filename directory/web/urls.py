"""Links with a query string, for every blueprint."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from flask import url_for


def url_with(endpoint: str, args: Mapping[str, object], **values: Any) -> str:
    """The URL of ``endpoint`` (with its ``values``) and ``args`` as its query string (none
    when ``args`` is empty)."""
    url = url_for(endpoint, **values)
    return f"{url}?{urlencode(args)}" if args else url
