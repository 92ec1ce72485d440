"""The interactive map: the same search as the list, drawn with Folium and Leaflet.

``/map`` renders the base map (tiles, the searched place, the radius) and no providers; the
page's script fetches them from ``/map/points.json`` as compact arrays and each popup's
details from ``/map/popup/<id>`` on click. ``/map?embed=1`` is the bare map for iframes.
Leaflet and supercluster are served from ``/map/vendor/`` (see ``directory.maps``).

Caching: payloads carry a weak ETag (dataset version + parameters) and may be reused for
five minutes; the points of recent searches are kept compressed (brotli and gzip) in memory;
vendored files are cached for a year under versioned URLs. JSON and HTML are compressed for
clients that accept it (see ``directory.web.compression``).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Response, current_app, make_response, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from directory import maps
from directory.dataset.models import slug_is_valid
from directory.db import get_db
from directory.presentation.provider_page import origin_text
from directory.presentation.summaries import result_summary
from directory.queries.meta import dataset_info
from directory.queries.providers import get_provider
from directory.queries.regions import region_names
from directory.search.params import ParamError, SearchParams, parse_search_params
from directory.search.points import matching_points
from directory.search.service import Finding, find_providers, plan_search
from directory.views.clean_urls import without_empty_parameters
from directory.web import compression, security
from directory.web.compression import Compressed
from directory.web.urls import url_with

blueprint = Blueprint("map", __name__)

#: Points and popups may be reused for five minutes, then revalidated by ETag.
PAYLOAD_MAX_AGE = 300
#: Vendored files live under a versioned URL, so they never change.
VENDOR_MAX_AGE = 365 * 24 * 3600
COMPRESSIBLE = frozenset(
    {"text/html", "application/json", "text/css", "text/javascript", "application/javascript"}
)
EMBED_VALUES = {"": False, "0": False, "false": False, "1": True, "true": True}


def embed_flag(args: Mapping[str, str]) -> bool:
    """Whether ``embed`` asks for the bare map; raises :class:`ParamError` for other values."""
    raw = args.get("embed", "").strip().lower()
    if raw not in EMBED_VALUES:
        raise ParamError("embed", "embed must be 1 or 0")
    return EMBED_VALUES[raw]


def map_args(params: SearchParams, **changes: Any) -> dict[str, str]:
    """The search as URL parameters for links between the map and the list (from page 1)."""
    return params.query_args(page=1, **changes)


def points_args(params: SearchParams) -> dict[str, str]:
    """The parameters that decide the points: not the list's page or page size."""
    return params.selection_args()


def _etag(*parts: str) -> str:
    key = "|".join([str(maps.PAYLOAD_FORMAT), *parts])
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _not_modified(etag: str) -> Response | None:
    """A 304 when the client already holds ``etag`` (weak: gzip does not change meaning)."""
    if not request.if_none_match.contains_weak(etag):
        return None
    response = Response(status=304)
    response.set_etag(etag, weak=True)
    response.vary.add("Accept-Encoding")
    return response


def _cached_json(payload: Any, etag: str) -> Response:
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    response = Response(body, mimetype="application/json")
    response.set_etag(etag, weak=True)
    response.cache_control.public = True
    response.cache_control.max_age = PAYLOAD_MAX_AGE
    return response


def _json_error(status: int, message: str, parameter: str | None = None) -> tuple[Response, int]:
    body: dict[str, Any] = {"error": message}
    if parameter is not None:
        body["parameter"] = parameter
    return Response(json.dumps(body), mimetype="application/json"), status


@blueprint.get("/map")
def show() -> Response | BaseResponse:
    """The map page (or with ``embed=1`` the bare map) for the same search as ``/providers``."""
    cleaner = without_empty_parameters()
    if cleaner is not None:
        return cleaner
    try:
        embed = embed_flag(request.args)
    except ParamError as error:
        return _error_page(error, embed=False)
    try:
        finding = find_providers(request.args, unit_from_place=True)
    except ParamError as error:
        return _error_page(error, embed)
    params, place = finding.params, finding.place
    mark = maps.PlaceMark(place.label, place.latitude, place.longitude) if place else None
    folium_map = maps.build_map(
        current_app.config["TILE_URL"],
        current_app.config["TILE_ATTRIBUTION"],
        place=mark,
        radius_km=params.radius_km if place else None,
        bbox=params.bbox,
    )
    parts = maps.render_map(folium_map)
    names = region_names(get_db())
    area = (place.region or place.country) if place else params.region
    search_args = map_args(params, bbox=None)
    page = render_template(
        "map/embed.html" if embed else "map/page.html",
        parts=parts,
        config=_page_config(finding, parts, embed, search_args),
        summary=result_summary(finding, names, as_list=False),
        finding=finding,
        embed=embed,
        list_url=url_with("public.providers", map_args(params)),
        full_map_url=url_with("map.show", map_args(params)),
        circle_url=url_with("map.show", search_args) if params.bbox and place else None,
        telehealth_area=names.get(area) if area else None,
        crisis_country=area,
    )
    response = make_response(page)
    return security.allow_embedding(response) if embed else response


def _page_config(
    finding: Finding, parts: maps.MapParts, embed: bool, search_args: dict[str, str]
) -> dict[str, Any]:
    """What map.js needs, handed over as JSON data (never as code)."""
    params = finding.params
    return {
        "mapName": parts.map_name,
        "placeName": parts.place_name,
        "circleName": parts.circle_name,
        "pointsUrl": url_with("map.points", points_args(params)),
        "popupUrl": url_for("map.popup", provider_id="__id__"),
        "providerUrl": url_for("public.provider", provider_id="__id__"),
        "mapUrl": url_for("map.show"),
        "searchArgs": search_args | ({"embed": "1"} if embed else {}),
        "fit": "bbox" if params.bbox is not None else "points",
        "total": finding.result.total,
        "unit": params.unit,
        # What a provider link carries so its page can say how far it is (about a kilometre).
        "origin": (
            {
                "from": origin_text(finding.place.latitude, finding.place.longitude),
                "unit": params.unit,
            }
            if finding.place is not None and params.bbox is None
            else None
        ),
        "embed": embed,
        "treatments": maps.treatment_legend(),
        "flags": {
            "closed": maps.FLAG_CLOSED,
            "temporarilyClosed": maps.FLAG_TEMPORARILY_CLOSED,
            "illustrative": maps.FLAG_ILLUSTRATIVE,
        },
    }


def _error_page(error: ParamError, embed: bool) -> Response:
    """The 400 page for a bad parameter: the message, and ways back to a working search."""
    page = render_template(
        "map/embed_error.html" if embed else "map/error.html",
        message=str(error),
        list_url=url_for("public.providers"),
        map_url=url_for("map.show"),
    )
    response = make_response(page, 400)
    return security.allow_embedding(response) if embed else response


class CompressedCache:
    """The most recently used compressed payloads, up to a total size; safe across threads.

    The whole directory's points take a second or more to query and encode at 100,000
    providers and are asked for by every visitor of ``/map``; the ETag spares a browser that
    has them, this spares the server for everyone else.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple[str, ...], Compressed] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[str, ...]) -> Compressed | None:
        """The payload stored under ``key``, now the most recently used; or None."""
        with self._lock:
            body = self._entries.get(key)
            if body is not None:
                self._entries.move_to_end(key)
            return body

    def put(self, key: tuple[str, ...], body: Compressed) -> None:
        """Store ``body``, dropping the least recently used entries to stay in size."""
        if body.stored_bytes > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            self._size -= old.stored_bytes if old is not None else 0
            self._entries[key] = body
            self._size += body.stored_bytes
            while self._size > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._size -= dropped.stored_bytes


POINTS_CACHE = CompressedCache(max_bytes=32 * 1024 * 1024)


def _compressed_json(body: Compressed, etag: str) -> Response:
    """A kept JSON body, in the best encoding the client accepts."""
    response = compression.send(
        Response(mimetype="application/json"), body, request.accept_encodings
    )
    response.set_etag(etag, weak=True)
    response.cache_control.public = True
    response.cache_control.max_age = PAYLOAD_MAX_AGE
    return response


@blueprint.get("/map/points.json")
def points() -> Response | tuple[Response, int]:
    """Every provider the search matches, as compact arrays (see ``maps.points_payload``)."""
    try:
        params = parse_search_params(request.args)
    except ParamError as error:
        return _json_error(400, str(error), error.parameter)
    db = get_db()
    version = dataset_info(db).dataset_version
    etag = _etag("points", version, json.dumps(sorted(points_args(params).items())))
    cached = _not_modified(etag)
    if cached is not None:
        return cached
    config = current_app.config
    key = (etag, str(config["DATABASE"]), str(config["GEOCODER"]))
    body = POINTS_CACHE.get(key)
    if body is None:
        try:
            plan = plan_search(request.args, unit_from_place=True)
        except ParamError as error:
            return _json_error(400, str(error), error.parameter)
        found = matching_points(db, plan.params, plan.center)
        text = json.dumps(
            maps.points_payload(found, version), separators=(",", ":"), ensure_ascii=False
        )
        body = compression.compress(text.encode())
        POINTS_CACHE.put(key, body)
    return _compressed_json(body, etag)


@blueprint.get("/map/popup/<provider_id>")
def popup(provider_id: str) -> Response | tuple[Response, int]:
    """A marker's popup details: name, status, treatments with prices, the page's URL."""
    if not slug_is_valid(provider_id):
        return _json_error(404, "no such provider")
    db = get_db()
    etag = _etag("popup", dataset_info(db).dataset_version, provider_id)
    cached = _not_modified(etag)
    if cached is not None:
        return cached
    detail = get_provider(db, provider_id)
    if detail is None:
        return _json_error(404, "no such provider")
    url = url_for("public.provider", provider_id=detail.id)
    return _cached_json(maps.popup_payload(detail, url), etag)


@blueprint.get(maps.VENDOR_URL + "/<slug>/<path:filename>")
def vendor(slug: str, filename: str) -> Response | tuple[Response, int]:
    """A file of a vendored front-end package (Leaflet, supercluster)."""
    path = maps.vendor_file(slug, filename)
    if path is None:
        return Response("not found", status=404, mimetype="text/plain"), 404
    return compression.send_file(path, request, max_age=VENDOR_MAX_AGE, immutable=True)


@blueprint.after_request
def compress(response: Response) -> Response:
    """Compress this blueprint's HTML and JSON for clients that accept it."""
    if (
        response.status_code != 200
        or response.direct_passthrough
        or "Content-Encoding" in response.headers
        or response.mimetype not in COMPRESSIBLE
    ):
        return response
    return compression.compress_response(response, request.accept_encodings)
