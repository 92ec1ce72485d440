"""Property-based tests: any value of any query parameter gives a clean answer, never a 5xx."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.dataset.models import PaymentOption, TreatmentCode
from directory.openapi import SEARCH_PARAMETERS

PARAMETER_NAMES = [parameter["name"] for parameter in SEARCH_PARAMETERS]

numbers = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
values = st.one_of(
    st.text(max_size=300),
    numbers,
    st.sampled_from([code.value for code in TreatmentCode] + [o.value for o in PaymentOption]),
    st.sampled_from(["km", "mi", "yes", "no", "1", "true", "Austin, TX", "78701", "30.27,-97.74"]),
    st.tuples(numbers, numbers, numbers, numbers).map(",".join),
    st.tuples(numbers, numbers).map(",".join),
)
queries = st.dictionaries(st.sampled_from(PARAMETER_NAMES), values, max_size=6)

PROFILE = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize(
    "path", ["/api/providers", "/api/providers.geojson", "/api/providers.csv", "/providers", "/map"]
)
def test_any_query_is_answered_cleanly(seeded_app: Flask, path: str) -> None:
    client = seeded_app.test_client()

    @given(query=queries)
    @PROFILE
    def answered(query: dict[str, str]) -> None:
        response = client.get(f"{path}?{urlencode(query)}")
        if response.status_code == 302:  # a search page drops empty parameters first
            assert not path.startswith("/api/"), query
            assert "=&" not in response.headers["Location"] + "&", query
            response = client.get(response.headers["Location"])
        assert response.status_code in (200, 400), (query, response.status_code)
        if path.startswith("/api/") and response.status_code == 400:
            body: Any = response.get_json()
            assert body["error"] and body["parameter"] in PARAMETER_NAMES

    answered()


@given(code=st.text(max_size=40))
@PROFILE
def test_any_region_code_is_answered_cleanly(seeded_app: Flask, code: str) -> None:
    from urllib.parse import quote

    client = seeded_app.test_client()
    for path in ("/regions/", "/api/regions/", "/providers/", "/api/providers/"):
        response = client.get(path + quote(code, safe=""))
        assert response.status_code in (200, 308, 404), (path, code, response.status_code)
