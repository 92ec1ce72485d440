"""The parameter table drives the parser, the URLs, the OpenAPI document and the form."""

from __future__ import annotations

from dataclasses import fields

import pytest
from hypothesis import given
from hypothesis import strategies as st

from directory.openapi import openapi_document
from directory.search.params import (
    BY_NAME,
    PARAMETERS,
    ParamError,
    SearchParams,
    parse_search_params,
)
from directory.views.public import FILTER_FIELDS, FORM_FIELDS, HIDDEN_FIELDS


def test_every_row_is_a_field_of_the_parsed_search() -> None:
    names = {field.name for field in fields(SearchParams)}
    assert {parameter.name for parameter in PARAMETERS} <= names


@pytest.mark.parametrize("path", ["/api/providers", "/api/providers.csv", "/api/providers.geojson"])
def test_the_openapi_document_lists_every_row(path: str) -> None:
    operation = openapi_document("http://127.0.0.1")["paths"][path]["get"]
    documented = {parameter["name"]: parameter for parameter in operation["parameters"]}
    for parameter in PARAMETERS:
        assert documented[parameter.name]["description"] == parameter.help
        schema = documented[parameter.name]["schema"]
        if parameter.kind == "choices":
            assert schema["items"]["enum"] == list(parameter.choices)
            assert documented[parameter.name]["explode"] is False
        elif parameter.choices:
            assert schema["enum"] == list(parameter.choices)


def test_the_error_shape_names_the_parameter() -> None:
    error = openapi_document("http://127.0.0.1")["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"error", "parameter"}


def test_the_form_shows_the_rows_placed_in_it() -> None:
    assert tuple(p.name for p in PARAMETERS if p.placement in ("form", "filter")) == FORM_FIELDS
    assert set(FILTER_FIELDS) <= set(FORM_FIELDS)
    assert HIDDEN_FIELDS == ("region", "per_page")


@pytest.mark.parametrize(
    "parameter", [p for p in PARAMETERS if p.kind in ("choice", "choices", "flag")]
)
def test_a_value_outside_the_choices_names_its_parameter(parameter: object) -> None:
    name = parameter.name  # type: ignore[attr-defined]
    with pytest.raises(ParamError) as raised:
        parse_search_params({name: "not-a-choice"})
    assert raised.value.parameter == name


@pytest.mark.parametrize("parameter", [p for p in PARAMETERS if p.kind in ("number", "integer")])
def test_bounds_come_from_the_row(parameter: object) -> None:
    name, high = parameter.name, parameter.high  # type: ignore[attr-defined]
    with pytest.raises(ParamError, match=f"{name} must be between"):
        parse_search_params({name: str(high * 10 + 1)})


@given(
    radius=st.one_of(st.none(), st.floats(0.1, 1000).map(lambda v: round(v, 2))),
    unit=st.sampled_from(BY_NAME["unit"].choices),
    treatment=st.one_of(st.none(), st.sampled_from(BY_NAME["treatment"].choices)),
    max_price=st.one_of(st.none(), st.integers(0, 5000)),
    accepting=st.one_of(st.none(), st.sampled_from(BY_NAME["accepting"].choices)),
    include_closed=st.booleans(),
    page=st.integers(1, 50),
    q=st.sampled_from(["", "clinic", "ketamine austin"]),
)
def test_urls_read_back_as_the_same_search(**values: object) -> None:
    args = {name: str(value) for name, value in values.items() if value not in (None, "", False)}
    if values["include_closed"]:
        args["include_closed"] = "1"
    params = parse_search_params(args)
    assert parse_search_params(params.query_args()) == params
    assert "page" not in params.selection_args() and "per_page" not in params.selection_args()
