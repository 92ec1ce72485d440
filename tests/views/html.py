"""Small readers for rendered pages, so assertions name what they look for."""

from __future__ import annotations

import json
import re
from typing import Any

_HIT = re.compile(r'<h3 class="hit-name"><a href="[^"]+">([^<]*)</a>')
_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def result_names(html: str) -> list[str]:
    """Provider names in the main result list, in page order (telehealth section excluded)."""
    return _HIT.findall(html.split('id="telehealth-heading"')[0])


def telehealth_names(html: str) -> list[str]:
    """Provider names in the "Also available by telehealth" section."""
    parts = html.split('id="telehealth-heading"')
    return _HIT.findall(parts[1]) if len(parts) > 1 else []


def json_ld(html: str) -> list[Any]:
    """Every JSON-LD block on the page, parsed."""
    return [json.loads(block) for block in _LD.findall(html)]


def text(html: str) -> str:
    """The page's text with tags removed and whitespace collapsed (entities kept)."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def page_html(client: Any, url: str, status: int = 200) -> str:
    """GET ``url`` with a Flask test client, check the status, and return the body."""
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    return str(response.get_data(as_text=True))
