"""Search pages carry only the parameters that are set: a form sends every field, empty or
not, so a query with empty ones is answered by a redirect to the same page without them."""

from __future__ import annotations

from typing import Any

from flask import redirect, request, url_for
from werkzeug.wrappers import Response


def without_empty_parameters() -> Response | None:
    """A redirect to this page without the query's empty parameters; None when none is empty."""
    pairs = list(request.args.items(multi=True))
    kept = [(name, value) for name, value in pairs if value.strip()]
    if len(kept) == len(pairs):
        return None
    grouped: dict[str, list[str]] = {}
    for name, value in kept:
        grouped.setdefault(name, []).append(value)
    values: dict[str, Any] = {**(request.view_args or {}), **grouped}
    return redirect(url_for(request.endpoint or "public.providers", **values), code=302)
