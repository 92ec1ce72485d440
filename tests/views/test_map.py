"""The map: the page, the points payload, popups, vendored assets, bad input, escaping.

The first section tests ``directory.maps`` as plain functions; the rest go through the test
client over the seeded dataset (tests/seed.py). What only a browser can show (markers drawn,
popups opened, "search this area") is in tests/browser/.
"""

from __future__ import annotations

import ast
import gzip
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import brotli
import folium
import pytest
from flask import Flask
from flask.testing import FlaskClient

from directory import maps
from directory.search.geometry import BBox
from directory.search.points import MapPoint
from directory.search.service import find_providers
from directory.views import map as map_view
from directory.web.compression import Compressed
from tests import hostile
from tests.views.conftest import SCRIPT_NAME

AUSTIN = "30.2672,-97.7431"
SEARCHES: list[dict[str, str]] = [
    {"near": AUSTIN, "radius": "100"},
    {"near": "Austin", "radius": "400", "include_closed": "1"},
    {"near": AUSTIN, "radius": "300", "unit": "mi", "treatment": "iv_infusion"},
    {"bbox": "-125,24,-66,50"},
    {"bbox": "170,-30,-170,0"},
    {"near": AUSTIN, "bbox": "-100,25,-95,35", "max_price": "500", "unit": "mi"},
    {"region": "US-TX"},
    {"q": "clinic", "per_page": "50"},
]
BAD_INPUT = [
    ("radius", "abc"),
    ("radius", "-5"),
    ("unit", "parsec"),
    ("bbox", "1,2,3"),
    ("bbox", "0,10,5,-10"),
    ("treatment", "magic"),
    ("payment", "gold"),
    ("accepting", "maybe"),
    ("region", "<script>"),
    ("near", "Atlantis <script>alert(1)</script>"),
    ("near", "95,200"),
    ("max_price", "nan"),
    ("page", "0"),
    ("include_closed", "perhaps"),
    ("q", "x" * 500),
]
MARKUP = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')
ABSOLUTE_URL = re.compile(r"https?://[^\s\"'<>\\]+")


def get_json(client: FlaskClient, url: str, **query: str) -> Any:
    """GET ``url`` and return the JSON body of a 200."""
    response = client.get(url, query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return json.loads(response.get_data(as_text=True))


def map_config(html: str) -> dict[str, Any]:
    """The JSON handed to map.js."""
    match = re.search(r'<script type="application/json" id="map-config">(.*?)</script>', html)
    assert match, "no map config"
    config: dict[str, Any] = json.loads(match.group(1))
    return config


def query_of(url: str) -> dict[str, list[str]]:
    """The parsed query string of ``url``, HTML entities undone."""
    return parse_qs(urlsplit(url.replace("&amp;", "&")).query)


def point(**overrides: Any) -> MapPoint:
    """A map point, valid by default."""
    values: dict[str, Any] = {
        "id": "harbor",
        "name": "Harbor <Clinic>",
        "status": "active",
        "illustrative": False,
        "latitude": 30.267234,
        "longitude": -97.743061,
        "distance_km": 3.14159,
        "treatments": ("esketamine_nasal", "iv_infusion"),
    }
    return MapPoint(**(values | overrides))


# directory.maps as plain functions --------------------------------------------------------


def test_maps_module_does_not_import_flask() -> None:
    tree = ast.parse(Path(maps.__file__).read_text(encoding="utf-8"))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    assert "folium" in modules
    assert not [name for name in modules if name.split(".")[0] in ("flask", "werkzeug")]


def test_point_row_is_compact() -> None:
    row = maps.point_row(point())
    assert row == [30.26723, -97.74306, "harbor", "Harbor <Clinic>", 0, 0b101, 3.1]
    assert len(maps.point_row(point(distance_km=None))) == len(maps.POINT_FIELDS) - 1


@pytest.mark.parametrize(
    ("status", "illustrative", "flags"),
    [
        ("active", False, 0),
        ("active", True, maps.FLAG_ILLUSTRATIVE),
        ("closed", False, maps.FLAG_CLOSED),
        ("temporarily_closed", True, maps.FLAG_TEMPORARILY_CLOSED | maps.FLAG_ILLUSTRATIVE),
    ],
)
def test_point_flags(status: str, illustrative: bool, flags: int) -> None:
    assert maps.point_flags(point(status=status, illustrative=illustrative)) == flags


def test_treatment_mask_follows_the_payload_order() -> None:
    for index, code in enumerate(maps.TREATMENT_CODES):
        assert maps.treatment_mask([code]) == 1 << index
    assert maps.treatment_mask(["no-such-code"]) == 0


def test_points_payload_shape() -> None:
    payload = maps.points_payload([point(), point(id="b", distance_km=None)], "v1")
    assert payload["count"] == 2
    assert payload["version"] == "v1"
    assert payload["fields"] == list(maps.POINT_FIELDS)
    assert payload["treatments"] == list(maps.TREATMENT_CODES)
    assert [row[2] for row in payload["points"]] == ["harbor", "b"]


def test_circle_bounds_contain_the_circle() -> None:
    (south, west), (north, east) = maps.circle_bounds(30.0, -97.0, 111.0)
    assert south == pytest.approx(29.0, abs=0.01)
    assert north == pytest.approx(31.0, abs=0.01)
    assert west < -98.1 and east > -95.9


def test_bbox_bounds_across_the_antimeridian() -> None:
    assert maps.bbox_bounds(BBox(170, -30, -170, 0)) == [[-30, 170], [0, 190]]
    assert maps.bbox_bounds(BBox(-10, 40, 10, 50)) == [[40, -10], [50, 10]]


def test_render_map_uses_only_local_assets(app: Flask) -> None:
    parts = maps.render_map(maps.build_map("https://tiles.example/{z}/{x}/{y}.png", "Tiles"))
    assert parts.js == (
        maps.LEAFLET.url("leaflet.js"),
        maps.SUPERCLUSTER.url("supercluster.min.js"),
    )
    assert parts.css == (maps.LEAFLET.url("leaflet.css"),)
    assert all(url.startswith(maps.VENDOR_URL + "/") for url in parts.js + parts.css)
    assert f'id="{parts.map_name}"' in parts.html
    assert "<script" not in parts.script
    assert parts.place_name is None and parts.circle_name is None


def test_render_map_refuses_cdn_assets(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(folium.Map, "default_js", [("leaflet", "https://cdn.example/l.js")])
    with pytest.raises(RuntimeError, match="not self-hosted"):
        maps.render_map(maps.build_map("", ""))


def test_asset_lists_are_new_lists_and_do_not_leak(app: Flask) -> None:
    cdn_js, cdn_css = folium.folium._default_js, folium.folium._default_css
    assert folium.Map.default_js is not cdn_js
    assert folium.Map.default_css is not cdn_css
    # Folium's own module lists were replaced, not emptied or rewritten in place.
    assert any("cdn.jsdelivr.net" in url for _, url in cdn_js)
    before = (list(folium.Map.default_js), list(folium.Map.default_css))
    first = maps.render_map(maps.build_map("", "", place=maps.PlaceMark("A", 1.0, 2.0)))
    second = maps.render_map(maps.build_map("", ""))
    assert first.js == second.js and first.css == second.css
    assert (folium.Map.default_js, folium.Map.default_css) == before
    # A map that adds a link (Folium appends to the list it reads) changes no later map.
    extra = maps.build_map("", "")
    extra.add_js_link("extra", "/map/vendor/extra.js")
    maps.install_asset_lists()
    assert folium.Map.default_js == before[0]
    assert "/map/vendor/extra.js" not in maps.render_map(maps.build_map("", "")).js


def test_place_label_is_only_data_in_the_script(app: Flask) -> None:
    label = "</script><script>alert(1)</script>`${x}`"
    parts = maps.render_map(maps.build_map("", "", maps.PlaceMark(label, 1.0, 2.0), 50.0))
    assert "</script>" not in parts.script
    assert "<script>" not in parts.script
    assert parts.place_name and parts.circle_name


def test_box_search_draws_no_circle(app: Flask) -> None:
    parts = maps.render_map(
        maps.build_map("", "", maps.PlaceMark("A", 30.0, -97.0), 50.0, BBox(-98, 29, -96, 31))
    )
    assert parts.place_name is not None
    assert parts.circle_name is None
    assert ".fitBounds(" in parts.script


# The page ---------------------------------------------------------------------------------


def test_map_page(site_client: FlaskClient) -> None:
    html = site_client.get("/map", query_string={"near": "Austin"}).get_data(as_text=True)
    assert "<h1>Map of providers</h1>" in html
    assert "2 providers within 30 mi of Austin, Texas, US" in html
    assert 'role="region" aria-label="Map of the providers found"' in html
    assert 'aria-describedby="map-help"' in html
    assert 'id="map-status" class="map-status" role="status"' in html
    assert 'class="site-header"' in html
    config = map_config(html)
    assert config["mapName"] in html
    assert config["placeName"] and config["circleName"]
    assert config["total"] == 2
    assert config["fit"] == "points"
    assert [t["code"] for t in config["treatments"]] == list(maps.TREATMENT_CODES)


@pytest.mark.parametrize("args", SEARCHES, ids=lambda a: "&".join(a))
def test_list_and_map_links_keep_the_parameters(
    site_client: FlaskClient, args: dict[str, str]
) -> None:
    html = site_client.get("/map", query_string=args).get_data(as_text=True)
    expected = {name: [value] for name, value in args.items()}
    hrefs = re.findall(r'href="(/providers\?[^"]*)"', html)
    assert hrefs, "no link to the list"
    assert all(query_of(href) == expected for href in hrefs)
    config = map_config(html)
    assert query_of(config["pointsUrl"]) == {k: v for k, v in expected.items() if k != "per_page"}
    without_box = {name: value for name, value in expected.items() if name != "bbox"}
    assert {name: [value] for name, value in config["searchArgs"].items()} == without_box
    listing = site_client.get("/providers", query_string=args).get_data(as_text=True)
    to_map = re.findall(r'href="(/map\?[^"]*)"', listing)
    assert to_map and all(query_of(href) == expected for href in to_map)


def test_map_ignores_the_list_page_number(site_client: FlaskClient) -> None:
    html = site_client.get("/map", query_string={"near": AUSTIN, "page": "3"}).get_data(
        as_text=True
    )
    assert "page=" not in map_config(html)["pointsUrl"]


def test_box_search_offers_the_way_back_to_the_circle(site_client: FlaskClient) -> None:
    html = site_client.get(
        "/map", query_string={"near": "Austin", "bbox": "-100,25,-95,35"}
    ).get_data(as_text=True)
    assert "in the map area" in html
    assert map_config(html)["fit"] == "bbox"
    assert map_config(html)["circleName"] is None
    back = 'href="/map?near=Austin&amp;unit=mi">Back to the search around Austin, Texas, US</a>'
    assert back in html


def test_embed_is_bare_and_may_be_framed(site_client: FlaskClient) -> None:
    response = site_client.get("/map", query_string={"near": "Austin", "embed": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="site-header"' not in html and "<footer" not in html
    assert 'role="region" aria-label="Map of the providers found"' in html
    assert 'target="_blank" rel="noopener"' in html
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    assert map_config(html)["embed"] is True
    assert map_config(html)["searchArgs"]["embed"] == "1"
    full = site_client.get("/map", query_string={"near": "Austin"})
    assert full.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("embed", ["0", "1"])
def test_inline_script_carries_the_csp_nonce(site_client: FlaskClient, embed: str) -> None:
    response = site_client.get("/map", query_string={"embed": embed})
    html = response.get_data(as_text=True)
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
    assert nonce
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert (
            'src="/' in tag
            or 'type="application/json"' in tag
            or f'nonce="{nonce.group(1)}"' in tag
        ), tag
    assert " style=" not in html
    assert "<style" not in html


@pytest.mark.parametrize("url", ["/map", "/map?embed=1", "/map?near=Austin"])
def test_no_external_url_but_the_tiles(site_app: Flask, site_client: FlaskClient, url: str) -> None:
    html = site_client.get(url).get_data(as_text=True)
    allowed = {
        site_app.config["TILE_URL"],
        *ABSOLUTE_URL.findall(site_app.config["TILE_ATTRIBUTION"]),
    }
    assert set(ABSOLUTE_URL.findall(html)) <= allowed
    for attribute in re.findall(r'(?:src|href)="([^"]*)"', html):
        assert attribute.startswith(("/", "#", "tel:", "sms:")), attribute


def test_tiles_are_configurable(app_config: dict[str, Any]) -> None:
    from directory import create_app

    app = create_app(
        app_config
        | {"TILE_URL": "https://tiles.example.org/{z}/{x}/{y}.png", "TILE_ATTRIBUTION": "© Us"}
    )
    html = app.test_client().get("/map").get_data(as_text=True)
    assert '"https://tiles.example.org/{z}/{x}/{y}.png"' in html
    assert '"attribution": "\\u00a9 Us"' in html or '"attribution": "© Us"' in html
    assert "tile.openstreetmap.org" not in html


# The points payload -----------------------------------------------------------------------


@pytest.mark.parametrize("args", SEARCHES, ids=lambda a: "&".join(a))
def test_points_are_the_providers_the_list_counts(
    site_app: Flask, site_client: FlaskClient, args: dict[str, str]
) -> None:
    payload = get_json(site_client, "/map/points.json", **args)
    with site_app.test_request_context():
        total = find_providers(args).result.total
    assert payload["count"] == len(payload["points"]) == total
    assert len({row[2] for row in payload["points"]}) == total
    for row in payload["points"]:
        assert len(row) == (7 if "near" in args and "bbox" not in args else 6)


def test_points_without_a_place_leave_out_telehealth_only(
    site_app: Flask, site_client: FlaskClient
) -> None:
    payload = get_json(site_client, "/map/points.json")
    with site_app.test_request_context():
        total = find_providers({}).result.total
    ids = {row[2] for row in payload["points"]}
    assert "lone-star-telehealth" not in ids
    assert payload["count"] == total - 1


def test_points_carry_status_and_treatments(site_client: FlaskClient) -> None:
    payload = get_json(site_client, "/map/points.json", near=AUSTIN, include_closed="1")
    rows = {row[2]: row for row in payload["points"]}
    assert rows["closed-austin-clinic"][4] == maps.FLAG_CLOSED | maps.FLAG_ILLUSTRATIVE
    harbor = rows["austin-harbor-infusions"]
    assert harbor[:4] == [30.2672, -97.7431, "austin-harbor-infusions", "Austin Harbor Infusions"]
    assert harbor[5] == maps.treatment_mask(["iv_infusion", "esketamine_nasal"])
    assert harbor[6] == 0.0


def test_points_are_cached_by_etag(site_client: FlaskClient) -> None:
    first = site_client.get("/map/points.json", query_string={"near": AUSTIN})
    assert first.headers["Cache-Control"] == "public, max-age=300"
    etag = first.headers["ETag"]
    again = site_client.get(
        "/map/points.json", query_string={"near": AUSTIN}, headers={"If-None-Match": etag}
    )
    assert again.status_code == 304
    assert again.get_data() == b""
    other = site_client.get(
        "/map/points.json",
        query_string={"near": AUSTIN, "radius": "9"},
        headers={"If-None-Match": etag},
    )
    assert other.status_code == 200
    assert other.headers["ETag"] != etag
    # The page number does not change the points, so it does not change the ETag.
    paged = site_client.get("/map/points.json", query_string={"near": AUSTIN, "page": "2"})
    assert paged.headers["ETag"] == etag


def test_points_are_computed_once_per_search(
    site_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []
    real = map_view.matching_points

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(map_view, "POINTS_CACHE", map_view.CompressedCache(1024 * 1024))
    monkeypatch.setattr(map_view, "matching_points", counting)
    gzipped = {"Accept-Encoding": "gzip"}
    first = site_client.get("/map/points.json", query_string={"q": "austin"}, headers=gzipped)
    again = site_client.get("/map/points.json", query_string={"q": "austin"}, headers=gzipped)
    plain = site_client.get("/map/points.json", query_string={"q": "austin"})
    assert len(calls) == 1
    assert first.get_data() == again.get_data()
    assert json.loads(plain.get_data()) == json.loads(gzip.decompress(first.get_data()))


def _stored(size: int) -> Compressed:
    return Compressed(br=b"b" * (size // 2), gzip=b"g" * (size - size // 2), size=size * 3)


def test_compressed_cache_keeps_the_most_recent_within_its_size() -> None:
    cache = map_view.CompressedCache(max_bytes=10)
    a, b, c = _stored(4), _stored(4), _stored(4)
    cache.put(("a",), a)
    cache.put(("b",), b)
    assert cache.get(("a",)) is a  # now the most recent
    cache.put(("c",), c)
    assert cache.get(("b",)) is None
    assert cache.get(("a",)) is a and cache.get(("c",)) is c
    cache.put(("huge",), _stored(11))
    assert cache.get(("huge",)) is None


UNPACK = {"gzip": gzip.decompress, "br": brotli.decompress}


@pytest.mark.parametrize("encoding", ["gzip", "br"])
@pytest.mark.parametrize("url", ["/map/points.json", "/map", "/map/popup/austin-harbor-infusions"])
def test_responses_are_compressed_when_accepted(
    site_client: FlaskClient, url: str, encoding: str
) -> None:
    plain = site_client.get(url)
    accepts = "gzip, deflate" + (", br" if encoding == "br" else "")
    packed = site_client.get(url, headers={"Accept-Encoding": accepts})
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert "Content-Encoding" not in plain.headers
    if len(plain.get_data()) >= 1024:
        assert packed.headers["Content-Encoding"] == encoding
        assert int(packed.headers["Content-Length"]) == len(packed.get_data())
        unpacked = UNPACK[encoding](packed.get_data())
        if url != "/map":  # the page carries a fresh nonce and map names on every request
            assert unpacked == plain.get_data()


# Popups -----------------------------------------------------------------------------------


def test_popup_details(site_client: FlaskClient) -> None:
    popup = get_json(site_client, "/map/popup/austin-harbor-infusions")
    assert popup["name"] == "Austin Harbor Infusions"
    assert popup["url"] == "/providers/austin-harbor-infusions"
    assert popup["illustrative"] is True
    assert popup["status_label"] == "Open"
    assert {
        "code": "iv_infusion",
        "label": "IV ketamine infusion",
        "price": "USD 450\u2013550 per session",
    } in popup["treatments"]


def test_popup_is_cached_by_etag(site_client: FlaskClient) -> None:
    first = site_client.get("/map/popup/austin-harbor-infusions")
    again = site_client.get(
        "/map/popup/austin-harbor-infusions", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


@pytest.mark.parametrize(
    "provider_id", ["nope", "hidden-clinic", "<script>", "a" * 300, "Upper-Case"]
)
def test_popup_for_no_such_provider(real_client: FlaskClient, provider_id: str) -> None:
    response = real_client.get(f"/map/popup/{provider_id}")
    assert response.status_code == 404
    assert response.get_json() == {"error": "no such provider"}


def test_hostile_names_are_data_not_markup(real_client: FlaskClient) -> None:
    payload = get_json(real_client, "/map/points.json")
    names = {row[3] for row in payload["points"]}
    assert SCRIPT_NAME in names
    popup = get_json(real_client, "/map/popup/script-name-clinic")
    assert popup["name"] == SCRIPT_NAME
    html = real_client.get("/map").get_data(as_text=True)
    assert "</script><script>alert(1)" not in html
    assert SCRIPT_NAME not in html


# Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", hostile.CORPUS, ids=lambda v: repr(v[:20]))
@pytest.mark.parametrize("param", [*hostile.SEARCH_PARAMETERS, "embed"])
def test_hostile_input_is_never_a_500(site_client: FlaskClient, param: str, value: str) -> None:
    for url in ("/map", "/map/points.json"):
        response = site_client.get(url, query_string={param: value}, follow_redirects=True)
        assert response.status_code in (200, 400), url
        hostile.assert_safe(response.get_data(as_text=True), value)


@pytest.mark.parametrize(("param", "value"), BAD_INPUT, ids=lambda v: str(v)[:20])
def test_bad_parameter_is_a_400_page(site_client: FlaskClient, param: str, value: str) -> None:
    response = site_client.get("/map", query_string={param: value})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'class="error-summary" role="alert"' in html
    assert "<script>alert(1)" not in html
    assert "<script" not in html.split("</main>")[0].split("<main")[1]


@pytest.mark.parametrize(("param", "value"), BAD_INPUT, ids=lambda v: str(v)[:20])
def test_bad_parameter_is_a_400_payload(site_client: FlaskClient, param: str, value: str) -> None:
    response = site_client.get("/map/points.json", query_string={param: value})
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] and body["parameter"] == param


def test_bad_parameter_in_the_embed_is_a_bare_400(site_client: FlaskClient) -> None:
    response = site_client.get("/map", query_string={"embed": "1", "radius": "abc"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "radius must be a number" in html
    assert 'class="site-header"' not in html


@pytest.mark.parametrize("value", ["2", "yes", "<script>"])
def test_bad_embed_value(site_client: FlaskClient, value: str) -> None:
    response = site_client.get("/map", query_string={"embed": value})
    assert response.status_code == 400
    assert "embed must be 1 or 0" in response.get_data(as_text=True)


@pytest.mark.parametrize("value", MARKUP)
def test_hostile_text_with_a_valid_place(site_client: FlaskClient, value: str) -> None:
    for url in ("/map", "/map/points.json"):
        response = site_client.get(url, query_string={"near": "Austin", "q": value})
        assert response.status_code == 200
        assert value not in response.get_data(as_text=True).replace("\\u003c", "<")


# Vendored assets --------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_vendored_assets_are_served(app: Flask, client: FlaskClient, encoding: str) -> None:
    parts = maps.render_map(maps.build_map("", ""))
    for url in (*parts.js, *parts.css, maps.LEAFLET.url("images/marker-icon.png")):
        response = client.get(url, headers={"Accept-Encoding": f"gzip, {encoding}"})
        assert response.status_code == 200, url
        assert "immutable" in response.headers["Cache-Control"]
        if url.endswith((".js", ".css")):
            assert response.headers["Content-Encoding"] == encoding
            path = maps.vendor_file(*url.removeprefix(maps.VENDOR_URL + "/").split("/", 1))
            assert path is not None
            assert UNPACK[encoding](response.get_data()) == path.read_bytes()
        again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304


@pytest.mark.parametrize(
    "path",
    [
        "/map/vendor/leaflet-1.9.3/../../__init__.py",
        "/map/vendor/leaflet-1.9.3/%2E%2E/__init__.py",
        "/map/vendor/leaflet-0.1/leaflet.js",
        "/map/vendor/jquery-3.7.1/jquery.min.js",
        "/map/vendor/leaflet-1.9.3/nope.js",
    ],
)
def test_vendor_serves_nothing_else(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_vendored_packages_have_licences() -> None:
    vendor = Path(maps.__file__).resolve().parent / "static" / "vendor"
    readme = (vendor / "README.md").read_text(encoding="utf-8")
    for package in maps.VENDOR_PACKAGES.values():
        assert package.directory.is_dir()
        licence = (vendor / package.slug / "LICENSE").read_text(encoding="utf-8")
        assert licence.startswith(("BSD 2-Clause License", "ISC License"))
        assert package.licence in readme and package.version in readme


def test_provider_links_carry_the_searched_point_but_an_area_carries_none(
    site_client: FlaskClient,
) -> None:
    near = map_config(site_client.get("/map?near=Austin&unit=km").get_data(as_text=True))
    assert near["origin"] == {"from": "30.27,-97.74", "unit": "km"}
    area = map_config(site_client.get("/map?bbox=-100,25,-95,35").get_data(as_text=True))
    assert area["origin"] is None
    everyone = map_config(site_client.get("/map").get_data(as_text=True))
    assert everyone["origin"] is None
