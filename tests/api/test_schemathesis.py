"""Schemathesis, from the published OpenAPI document: no 5xx, responses match the schema.

Driven through Hypothesis directly (one test per documented operation) rather than through
Schemathesis's pytest plugin, which does not support this pytest version.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from directory.openapi import openapi_document

# Schemathesis leaves out the operation that serves the schema itself.
OPERATIONS = sorted(
    f"{method.upper()} {path}"
    for path, item in openapi_document("http://localhost")["paths"].items()
    for method in item
    if path != "/api/openapi.json"
)


@pytest.mark.parametrize("label", OPERATIONS)
def test_api_matches_its_documentation(seeded_app: Flask, label: str) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", seeded_app)
    (operation,) = [
        result.ok() for result in schema.get_all_operations() if result.ok().label == label
    ]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    def conforms(case: Any) -> None:
        # A schema-valid place name may still be nowhere: the API answers 400 for it, as
        # documented, so "valid data must be accepted" does not hold for this API.
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    conforms()
