"""Folium map building, the compact map payloads, and the self-hosted asset lists.

No Flask here: the map blueprint (``directory.views.map``) calls these plain functions,
and the tests call them without a server. Three jobs, one per section below:

* **Assets.** Leaflet comes from the ``XStatic-Leaflet`` package, installed with the
  project; supercluster (the clustering, ISC) is vendored in ``static/vendor/``. The app
  serves both under :data:`VENDOR_URL`. :func:`install_asset_lists` replaces Folium's
  class-level CDN lists with new lists of local URLs, so no page asks a CDN for anything.
* **The base map.** :func:`build_map` makes the Folium map (tiles, the searched place, the
  radius circle, the first view) and :func:`render_map` splits its output into the pieces our
  templates place: the map ``<div>``, Folium's inline script, and the asset URLs.
* **Payloads.** The providers are not in the page: the browser fetches them as compact
  arrays (:func:`points_payload`) and each popup's details on click (:func:`popup_payload`).
  Every string in them is data for ``textContent``, never HTML.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import folium
import xstatic.pkg.leaflet
from branca.element import CssLink, Figure, JavascriptLink
from folium.elements import JSCSSMixin

from directory.dataset.models import TreatmentCode
from directory.presentation import labels
from directory.queries.providers import ProviderDetail
from directory.search.geometry import KM_PER_DEGREE_LAT, BBox
from directory.search.points import MapPoint
from directory.settings import STATIC_FOLDER

# --- Assets -------------------------------------------------------------------------------

#: Where the app serves the vendored packages: ``{VENDOR_URL}/{package.slug}/{file}``.
VENDOR_URL = "/map/vendor"


@dataclass(frozen=True)
class VendorPackage:
    """A front-end library we serve ourselves: from a package installed with us, or vendored."""

    name: str
    distribution: str
    version: str
    licence: str
    homepage: str
    directory: Path

    @property
    def slug(self) -> str:
        """The URL segment, versioned so that the files can be cached for a year."""
        return f"{self.name}-{self.version}"

    def url(self, filename: str) -> str:
        """The URL of one of the package's files."""
        return f"{VENDOR_URL}/{self.slug}/{filename}"


LEAFLET = VendorPackage(
    name="leaflet",
    distribution="XStatic-Leaflet",
    version=xstatic.pkg.leaflet.VERSION,
    licence="BSD-2-Clause",
    homepage="https://leafletjs.com/",
    directory=Path(xstatic.pkg.leaflet.BASE_DIR),
)
SUPERCLUSTER = VendorPackage(
    name="supercluster",
    distribution="supercluster (npm), vendored",
    version="8.0.1",
    licence="ISC",
    homepage="https://github.com/mapbox/supercluster",
    directory=STATIC_FOLDER / "vendor" / "supercluster-8.0.1",
)
VENDOR_PACKAGES: dict[str, VendorPackage] = {p.slug: p for p in (LEAFLET, SUPERCLUSTER)}

#: Folium's classes whose class-level CDN lists we replace, with the local files for each.
#: Folium's Map also lists jQuery, Bootstrap and Font Awesome; they serve Folium's
#: awesome-markers icons and its ``objects_to_stay_in_front`` hook, neither of which we use.
#: Any other Folium plugin keeps its CDN lists, and :func:`render_map` refuses to render it.
_ASSETS: dict[type[JSCSSMixin], tuple[list[tuple[str, str]], list[tuple[str, str]]]] = {
    folium.Map: (
        [("leaflet", LEAFLET.url("leaflet.js"))],
        [("leaflet_css", LEAFLET.url("leaflet.css"))],
    ),
}
#: What map.js needs besides Folium's own assets: the clustering.
PAGE_JS = (SUPERCLUSTER.url("supercluster.min.js"),)


def install_asset_lists() -> None:
    """Point Folium's class-level asset lists at our own files, as NEW lists.

    Folium reads ``default_js``/``default_css`` from the class; appending to those lists in
    place (or to an instance's, which is the same list) would leak into every later map, so
    each class gets fresh lists, and :func:`render_map` never mutates them.
    """
    for cls, (js, css) in _ASSETS.items():
        cls.default_js = list(js)
        cls.default_css = list(css)


def vendor_file(slug: str, filename: str) -> Path | None:
    """The file ``filename`` of the vendored package ``slug``, or None if there is none."""
    package = VENDOR_PACKAGES.get(slug)
    if package is None:
        return None
    root = package.directory.resolve()
    path = (root / filename).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


class _App(Protocol):
    extensions: dict[str, Any]


def init_app(app: _App) -> None:
    """Install the local asset lists at start-up and record the vendored packages."""
    install_asset_lists()
    app.extensions["maps"] = VENDOR_PACKAGES


# --- The base map ------------------------------------------------------------------------

MAX_ZOOM = 18
PLACE_COLOUR = "#6a1b9a"


@dataclass(frozen=True)
class PlaceMark:
    """The searched place as the map marks it."""

    label: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class MapParts:
    """A rendered Folium map, in the pieces a page template places.

    ``script`` is Folium's inline JavaScript (without ``<script>`` tags, so the template can
    add a CSP nonce in one place); ``map_name``, ``place_name`` and ``circle_name`` are the
    global JavaScript variables holding the map, the place marker and the radius circle.
    """

    map_name: str
    place_name: str | None
    circle_name: str | None
    html: str
    script: str
    js: tuple[str, ...]
    css: tuple[str, ...]


def circle_bounds(latitude: float, longitude: float, radius_km: float) -> list[list[float]]:
    """The ``[[south, west], [north, east]]`` box around a circle (degrees; may pass ±180)."""
    dlat = radius_km / KM_PER_DEGREE_LAT
    south, north = max(latitude - dlat, -85.0), min(latitude + dlat, 85.0)
    cos = max(math.cos(math.radians(max(abs(south), abs(north)))), 0.01)
    dlon = min(radius_km / (111.320 * cos), 180.0)
    return [[south, longitude - dlon], [north, longitude + dlon]]


def bbox_bounds(box: BBox) -> list[list[float]]:
    """A bbox as Leaflet bounds; one crossing the antimeridian gets an east edge past 180."""
    east = box.east + 360 if box.west > box.east else box.east
    return [[box.south, box.west], [box.north, east]]


def build_map(
    tile_url: str,
    tile_attribution: str,
    place: PlaceMark | None = None,
    radius_km: float | None = None,
    bbox: BBox | None = None,
) -> folium.Map:
    """The base map: tiles, the searched place and its radius circle, and the first view.

    The view fits the box when there is one, else the circle; with neither, it shows the
    world until the browser has the points and fits them. A radius without a place, or with
    a box (the box wins over the circle in the search), draws no circle.
    """
    centre = [place.latitude, place.longitude] if place else [20.0, 0.0]
    m = folium.Map(location=centre, zoom_start=2, tiles=None, control_scale=True)
    # The clustering and fitting need the map's zoom range even when no tile layer is loaded.
    m.options.update(max_zoom=MAX_ZOOM, min_zoom=1)
    if tile_url:
        folium.TileLayer(
            tiles=tile_url, attr=tile_attribution, name="Map", max_zoom=MAX_ZOOM, control=False
        ).add_to(m)
    if place is not None:
        # Folium's Tooltip and Popup paste text into the page's JavaScript unescaped, so the
        # label goes only into marker options, which Folium JSON-escapes and Leaflet sets as
        # DOM properties (title, alt), never as HTML.
        folium.Marker(
            [place.latitude, place.longitude],
            title=f"Searched place: {place.label}",
            alt=f"Searched place: {place.label}",
            keyboard=False,
            # Under the providers' markers, so that one at the very place stays clickable.
            z_index_offset=-1000,
        ).add_to(m)
        if radius_km is not None and bbox is None:
            folium.Circle(
                [place.latitude, place.longitude],
                radius=radius_km * 1000,
                color=PLACE_COLOUR,
                weight=2,
                fill=True,
                fill_opacity=0.05,
                interactive=False,
            ).add_to(m)
    if bbox is not None:
        m.fit_bounds(bbox_bounds(bbox))
    elif place is not None and radius_km is not None:
        m.fit_bounds(circle_bounds(place.latitude, place.longitude, radius_km))
    return m


def _child_name(m: folium.Map, kind: type) -> str | None:
    for child in m._children.values():
        if type(child) is kind:
            name: str = child.get_name()
            return name
    return None


def render_map(m: folium.Map) -> MapParts:
    """Render ``m`` and split the output into the pieces :class:`MapParts` describes.

    Folium's own ``<head>`` (a viewport that forbids zooming, styles for the whole page) is
    left out: our templates size the map with map.css and link the assets themselves.
    """
    root = m.get_root()
    assert isinstance(root, Figure)
    root.render()
    js: list[str] = []
    css: list[str] = []
    for child in root.header._children.values():
        if isinstance(child, JavascriptLink):
            js.append(child.url)
        elif isinstance(child, CssLink):
            css.append(child.url)
    js += [url for url in PAGE_JS if url not in js]
    foreign = [url for url in js + css if not url.startswith(VENDOR_URL + "/")]
    if foreign:
        raise RuntimeError(f"map assets not self-hosted (call install_asset_lists): {foreign}")
    return MapParts(
        map_name=m.get_name(),
        place_name=_child_name(m, folium.Marker),
        circle_name=_child_name(m, folium.Circle),
        html=root.html.render(),
        script=root.script.render(),
        js=tuple(js),
        css=tuple(css),
    )


# --- Payloads ----------------------------------------------------------------------------

#: Bumped whenever the payload's shape changes, so cached copies are not reused.
PAYLOAD_FORMAT = 2
TREATMENT_CODES: tuple[str, ...] = tuple(code.value for code in TreatmentCode)
_TREATMENT_BITS = {code: 1 << index for index, code in enumerate(TREATMENT_CODES)}
FLAG_CLOSED = 1
FLAG_TEMPORARILY_CLOSED = 2
FLAG_ILLUSTRATIVE = 4
POINT_FIELDS = ("lat", "lon", "id", "name", "flags", "treatments", "km")


def point_flags(point: MapPoint) -> int:
    """Status and illustrative flags as bits (see the ``FLAG_*`` constants)."""
    flags = FLAG_ILLUSTRATIVE if point.illustrative else 0
    if point.status == "closed":
        flags |= FLAG_CLOSED
    elif point.status == "temporarily_closed":
        flags |= FLAG_TEMPORARILY_CLOSED
    return flags


def treatment_mask(codes: Sequence[str]) -> int:
    """Treatment codes as bits, bit ``i`` for ``TREATMENT_CODES[i]``.

    >>> treatment_mask(["iv_infusion", "im_injection"])
    3
    """
    mask = 0
    for code in codes:
        mask |= _TREATMENT_BITS.get(code, 0)
    return mask


def point_row(point: MapPoint) -> list[Any]:
    """One point as a compact array in :data:`POINT_FIELDS` order; no distance, no ``km``."""
    row: list[Any] = [
        round(point.latitude, 5),
        round(point.longitude, 5),
        point.id,
        point.name,
        point_flags(point),
        treatment_mask(point.treatments),
    ]
    if point.distance_km is not None:
        row.append(round(point.distance_km, 1))
    return row


def points_payload(points: Sequence[MapPoint], dataset_version: str) -> dict[str, Any]:
    """Every site of every matching provider as compact arrays; about 45 bytes a point before
    gzip. ``count`` is the number of points, ``providers`` the number of providers."""
    return {
        "format": PAYLOAD_FORMAT,
        "version": dataset_version,
        "count": len(points),
        "providers": len({point.id for point in points}),
        "fields": list(POINT_FIELDS),
        "treatments": list(TREATMENT_CODES),
        "points": [point_row(point) for point in points],
    }


def popup_payload(detail: ProviderDetail, url: str) -> dict[str, Any]:
    """What a marker's popup shows beyond the point itself: treatments with prices, a link."""
    return {
        "id": detail.id,
        "name": detail.name,
        "status": detail.status,
        "status_label": labels.status_label(detail.status),
        "illustrative": detail.illustrative,
        "accepting": labels.yes_no_label(detail.accepting_new_patients),
        "treatments": [
            {
                "code": treatment["code"],
                "label": labels.treatment_label(treatment["code"]),
                "price": labels.treatment_price(treatment),
            }
            for treatment in detail.treatments
        ],
        "url": url,
    }


def treatment_legend() -> list[dict[str, str]]:
    """The treatment types in payload order, with their names, for the map's legend."""
    return [{"code": code, "label": labels.treatment_label(code)} for code in TREATMENT_CODES]
