"""The open-data API: JSON, GeoJSON and CSV over the same search as the pages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, jsonify, request, url_for

from directory import exports
from directory.dataset.codes import is_jurisdiction_code
from directory.db import get_db
from directory.openapi import openapi_document
from directory.queries.providers import get_provider
from directory.queries.regions import get_region, list_regions
from directory.search.params import EXPORT_DEFAULT_PER_PAGE, EXPORT_MAX_PER_PAGE, ParamError
from directory.search.service import find_providers, sites_found

blueprint = Blueprint("api", __name__, url_prefix="/api")


@blueprint.after_request
def _open_for_reading(response: Response) -> Response:
    """Anyone may read the open data from a browser on another site."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response.headers.setdefault("Cache-Control", "public, max-age=300")
    return response


@blueprint.errorhandler(ParamError)
def _bad_parameter(error: ParamError) -> tuple[Response, int]:
    return jsonify({"error": str(error), "parameter": error.parameter}), 400


@blueprint.get("/providers")
def providers() -> Response:
    """Search providers: JSON with the resolved location, the total and one page of results."""
    fields = exports.parse_fields(request.args.get("fields", ""))
    finding = find_providers(request.args)
    return jsonify(exports.search_json(finding, fields))


@blueprint.get("/providers.geojson")
def providers_geojson() -> Response:
    """The same search as an RFC 7946 FeatureCollection (one page, up to 5,000 features)."""
    finding = find_providers(
        request.args,
        max_per_page=EXPORT_MAX_PER_PAGE,
        default_per_page=EXPORT_DEFAULT_PER_PAGE,
    )
    response = jsonify(exports.feature_collection(finding, sites_found(finding)))
    response.mimetype = "application/geo+json"
    _paging_headers(response, finding.result.total, finding.params.page, finding.result.pages)
    return response


@blueprint.get("/providers.csv")
def providers_csv() -> Response:
    """The same search as CSV (one page, up to 5,000 rows)."""
    finding = find_providers(
        request.args,
        max_per_page=EXPORT_MAX_PER_PAGE,
        default_per_page=EXPORT_DEFAULT_PER_PAGE,
    )
    response = Response(exports.csv_text(finding, sites_found(finding)), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="providers.csv"'
    _paging_headers(response, finding.result.total, finding.params.page, finding.result.pages)
    return response


@blueprint.get("/providers/<provider_id>")
def provider(provider_id: str) -> Response:
    """One provider with every section of its page."""
    detail = get_provider(get_db(), provider_id) if len(provider_id) <= 120 else None
    if detail is None:
        abort(404, description=f"No provider with id {provider_id[:120]!r}.")
    return jsonify(exports.provider_json(detail))


@blueprint.get("/regions")
def regions() -> Response:
    """Every jurisdiction with its parent and provider counts."""
    return jsonify({"results": [exports.region_summary(r) for r in list_regions(get_db())]})


@blueprint.get("/regions/<code>")
def region(code: str) -> Response:
    """One jurisdiction with its regulatory notes, sources and crisis lines."""
    detail = get_region(get_db(), code) if len(code) <= 10 and is_jurisdiction_code(code) else None
    if detail is None:
        abort(404, description=f"No region with code {code[:10]!r}.")
    return jsonify(exports.region_json(detail))


@blueprint.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3 description of this API."""
    return jsonify(openapi_document(request.host_url.rstrip("/")))


def _paging_headers(response: Response, total: int, page: int, pages: int) -> None:
    response.headers["X-Total-Count"] = str(total)
    if page < pages:
        args: dict[str, Any] = request.args.to_dict() | {"page": str(page + 1)}
        response.headers["Link"] = (
            f'<{url_for(request.endpoint or "", **args, _external=True)}>; rel="next"'
        )
