"""The payment filter takes several options at once, in the API, the form, the map and exports.

A provider matches when it states at least one of the options chosen; one whose payment
options are unknown never matches.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from typing import Any

import pytest
from flask.testing import FlaskClient

from directory.dataset.models import PaymentOption

OPTIONS = [option.value for option in PaymentOption]
SUBSETS = [
    combination
    for size in range(1, len(OPTIONS) + 1)
    for combination in itertools.combinations(OPTIONS, size)
]


def api(client: FlaskClient, query: Any) -> dict[str, Any]:
    response = client.get("/api/providers", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    document: dict[str, Any] = json.loads(response.get_data(as_text=True))
    return document


@pytest.fixture(scope="module")
def everyone(site_client_module: FlaskClient) -> dict[str, set[str]]:
    """Every listed provider's payment options, as the unfiltered API states them."""
    document = api(site_client_module, {"per_page": "100"})
    assert document["total"] <= 100
    rows = document["results"] + document["telehealth"]
    return {row["id"]: set(row["payment_options"]) for row in rows}


@pytest.fixture(scope="module")
def site_client_module(site_app: Any) -> FlaskClient:
    """A client for the seeded site, shared by this module's tests."""
    client: FlaskClient = site_app.test_client()
    return client


@pytest.mark.parametrize("chosen", SUBSETS, ids=",".join)
def test_any_of_the_options_chosen_matches(
    site_client_module: FlaskClient, everyone: dict[str, set[str]], chosen: tuple[str, ...]
) -> None:
    document = api(site_client_module, {"payment": ",".join(chosen), "per_page": "100"})
    found = {row["id"] for row in document["results"] + document["telehealth"]}
    expected = {provider for provider, options in everyone.items() if options & set(chosen)}
    assert found == expected
    assert document["total"] == len({row["id"] for row in document["results"]})


def test_repeating_the_parameter_is_the_same_as_a_comma_list(
    site_client_module: FlaskClient,
) -> None:
    repeated = api(site_client_module, [("payment", "sliding_scale"), ("payment", "financing")])
    listed = api(site_client_module, {"payment": "financing,sliding_scale"})
    assert repeated["total"] == listed["total"] == 2
    assert repeated["results"] == listed["results"]


def test_unknown_payment_never_matches(
    site_client_module: FlaskClient, everyone: dict[str, set[str]]
) -> None:
    unknown = {provider for provider, options in everyone.items() if not options}
    assert unknown, "the seed should have a provider whose payment options are unknown"
    document = api(site_client_module, {"payment": ",".join(OPTIONS), "per_page": "100"})
    assert not unknown & {row["id"] for row in document["results"] + document["telehealth"]}


@pytest.mark.parametrize("value", ["barter", "cash,barter", "cash,,CASH", "cash;financing"])
def test_a_bad_option_is_a_400_naming_payment(site_client_module: FlaskClient, value: str) -> None:
    response = site_client_module.get("/api/providers", query_string={"payment": value})
    assert response.status_code == 400
    body = json.loads(response.get_data(as_text=True))
    assert body["parameter"] == "payment"
    assert "payment must be any of: cash, private_insurance" in body["error"]


def test_the_form_ticks_every_option_chosen_and_pages_keep_them(
    site_client_module: FlaskClient,
) -> None:
    query = [("payment", "cash"), ("payment", "financing"), ("per_page", "1")]
    response = site_client_module.get("/providers", query_string=query)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="cash" checked>' in html
    assert 'value="financing" checked>' in html
    assert 'value="private_insurance">' in html
    assert "payment=cash%2Cfinancing" in html  # the next page's link keeps both


def test_the_map_and_exports_take_several_options(site_client_module: FlaskClient) -> None:
    query = {"payment": "sliding_scale,private_insurance"}
    points = json.loads(site_client_module.get("/map/points.json", query_string=query).data)
    total = api(site_client_module, query)["total"]
    assert points["providers"] == total
    text = site_client_module.get("/api/providers.csv", query_string=query).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["id"] for row in rows} == {row[2] for row in points["points"]}
    for row in rows:
        assert set(row["payment_options"].split()) & {"sliding_scale", "private_insurance"}
