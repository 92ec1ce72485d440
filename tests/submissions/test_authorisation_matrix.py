"""The authorisation matrix: every route, every role (anonymous, maintainer), the status.

A new route fails :func:`test_the_matrix_covers_every_route` until it is added here, so no
route can appear without someone deciding who may use it. POSTs are sent without a CSRF
token: the review area must turn anonymous users away before anything else (302 to the
login), and every form must refuse a request without a token (400) whoever sends it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.submissions.conftest import pending
from tests.submissions.helpers import post_form, suggestion

PROVIDER = "harbor-ketamine-austin"

#: (method, rule) → (status for anonymous, status for a logged-in maintainer)
MATRIX: dict[tuple[str, str], tuple[int, int]] = {
    ("GET", "/"): (200, 200),
    ("GET", "/about"): (200, 200),
    ("GET", "/privacy"): (200, 200),
    ("GET", "/healthz"): (200, 200),
    ("GET", "/robots.txt"): (200, 200),
    ("GET", "/sitemap.xml"): (200, 200),
    ("GET", "/providers"): (200, 200),
    ("GET", "/providers/<provider_id>"): (200, 200),
    ("GET", "/providers/<provider_id>/history"): (200, 200),
    ("GET", "/providers/<provider_id>/suggest"): (200, 200),
    ("POST", "/providers/<provider_id>/suggest"): (400, 400),
    ("GET", "/providers/new"): (200, 200),
    ("POST", "/providers/new"): (400, 400),
    ("GET", "/submissions/<ref>"): (200, 200),
    ("GET", "/regions"): (200, 200),
    ("GET", "/regions/<code>"): (200, 200),
    ("GET", "/map"): (200, 200),
    ("GET", "/map/points.json"): (200, 200),
    ("GET", "/map/popup/<provider_id>"): (200, 200),
    ("GET", "/map/vendor/<slug>/<path:filename>"): (200, 200),
    ("GET", "/static/<path:filename>"): (200, 200),
    ("GET", "/api/openapi.json"): (200, 200),
    ("GET", "/api/providers"): (200, 200),
    ("GET", "/api/providers.csv"): (200, 200),
    ("GET", "/api/providers.geojson"): (200, 200),
    ("GET", "/api/providers/<provider_id>"): (200, 200),
    ("GET", "/api/regions"): (200, 200),
    ("GET", "/api/regions/<code>"): (200, 200),
    ("GET", "/maintainers/login"): (200, 200),
    ("POST", "/maintainers/login"): (400, 400),
    ("POST", "/maintainers/logout"): (400, 400),
    ("GET", "/review/"): (302, 200),
    ("GET", "/review/freshness"): (302, 200),
    ("GET", "/review/providers/<provider_id>"): (302, 200),
    ("POST", "/review/providers/<provider_id>"): (302, 400),
    ("GET", "/review/submissions/<ref>"): (302, 200),
    ("GET", "/review/submissions/<ref>/edit"): (302, 200),
    ("POST", "/review/submissions/<ref>/edit"): (302, 400),
    ("POST", "/review/submissions/<ref>/approve"): (302, 400),
    ("POST", "/review/submissions/<ref>/reject"): (302, 400),
    ("POST", "/review/reject"): (302, 400),
}


def _rules(app: Flask) -> set[tuple[str, str]]:
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_the_matrix_covers_every_route(app: Flask) -> None:
    assert _rules(app) == set(MATRIX)


@pytest.fixture
def submission_ref(client: FlaskClient, queue_path: Path) -> str:
    post_form(client, f"/providers/{PROVIDER}/suggest", suggestion())
    [queued] = pending(queue_path)
    return queued.ref


def _url(app: Flask, rule: str, ref: str) -> str:
    vendor = next(iter(app.extensions["maps"].values()))
    values = {
        "provider_id": PROVIDER,
        "ref": ref,
        "code": "US-TX",
        "slug": vendor.slug,
        "filename": "leaflet.js"
        if vendor.name == "leaflet"
        else vendor.url("x").rsplit("/", 1)[-1],
    }
    if rule == "/static/<path:filename>":
        return "/static/css/site.css"
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: values[m.group(1)], rule)


@pytest.mark.parametrize(("method", "rule"), sorted(MATRIX), ids=lambda v: str(v))
def test_each_role_gets_the_expected_status(
    app: Flask,
    client: FlaskClient,
    reviewer: FlaskClient,
    submission_ref: str,
    method: str,
    rule: str,
) -> None:
    anonymous, maintainer = MATRIX[method, rule]
    url = _url(app, rule, submission_ref)
    for who, expected in ((client, anonymous), (reviewer, maintainer)):
        response = who.open(url, method=method)
        response.close()  # static files are streamed from an open file
        assert response.status_code == expected, (url, who is reviewer)
