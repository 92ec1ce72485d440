"""A corpus of hostile values for every parameter: never a 500, always JSON, never reflected raw."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest

from tests.hostile import CORPUS, SEARCH_PARAMETERS

#: Every search parameter and the API's own ``fields``.
PARAMETERS = (*SEARCH_PARAMETERS, "fields")


@pytest.mark.parametrize("param", PARAMETERS)
@pytest.mark.parametrize("value", CORPUS, ids=lambda v: repr(v[:20]))
def test_never_500(seeded_client: Any, param: str, value: str) -> None:
    response = seeded_client.get("/api/providers?" + urlencode({param: value}))
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:300]
    body = response.get_json()
    if response.status_code == 400:
        assert body["error"] and body["parameter"] == param
    assert "<script>" not in response.get_data(as_text=True)


@pytest.mark.parametrize("value", CORPUS[:10], ids=lambda v: repr(v[:20]))
@pytest.mark.parametrize("path", ["/api/providers/{}", "/api/regions/{}"])
def test_path_parameters(seeded_client: Any, path: str, value: str) -> None:
    from urllib.parse import quote

    response = seeded_client.get(path.format(quote(value, safe="")))
    assert response.status_code in (404, 400)
