"""Parsing and validating search parameters, shared by the list, the map and the API.

Every parameter is checked here, once; a bad value raises :class:`ParamError` naming the
parameter, which the views turn into a 400 with the message.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

from directory.dataset.codes import is_jurisdiction_code
from directory.dataset.models import PaymentOption, TreatmentCode
from directory.search.geometry import BBox

KM_PER_MILE = 1.609344
DEFAULT_RADIUS = {"km": 50.0, "mi": 30.0}
MAX_RADIUS_KM = 2500.0
MAX_PER_PAGE = 100
MAX_PAGE = 10_000
MAX_TEXT = 200
ACCEPTING_VALUES = ("yes", "no", "unknown")


class ParamError(ValueError):
    """A request parameter has a value we cannot use."""

    def __init__(self, param: str, message: str) -> None:
        self.param = param
        super().__init__(message)


@dataclass(frozen=True)
class SearchParams:
    """A validated search request. ``near`` is free text still to be geocoded."""

    near: str = ""
    radius: float = DEFAULT_RADIUS["km"]
    unit: str = "km"
    radius_given: bool = False
    bbox: BBox | None = None
    treatment: TreatmentCode | None = None
    max_price: float | None = None
    payment: PaymentOption | None = None
    accepting: str | None = None
    q: str = ""
    region: str | None = None
    include_closed: bool = False
    page: int = 1
    per_page: int = 20

    @property
    def radius_km(self) -> float:
        """The radius in kilometres."""
        return self.radius * KM_PER_MILE if self.unit == "mi" else self.radius

    def query_args(self, **changes: object) -> dict[str, str]:
        """The parameters as they would appear in a URL, without defaults; ``changes`` apply."""
        params = replace(self, **changes) if changes else self  # type: ignore[arg-type]
        args: dict[str, str] = {}
        if params.near:
            args["near"] = params.near
        if params.radius_given:
            args["radius"] = f"{params.radius:g}"
        if params.unit != "km":
            args["unit"] = params.unit
        if params.bbox is not None:
            args["bbox"] = params.bbox.as_param()
        if params.treatment is not None:
            args["treatment"] = params.treatment.value
        if params.max_price is not None:
            args["max_price"] = f"{params.max_price:g}"
        if params.payment is not None:
            args["payment"] = params.payment.value
        if params.accepting is not None:
            args["accepting"] = params.accepting
        if params.q:
            args["q"] = params.q
        if params.region:
            args["region"] = params.region
        if params.include_closed:
            args["include_closed"] = "1"
        if params.page != 1:
            args["page"] = str(params.page)
        if params.per_page != 20:
            args["per_page"] = str(params.per_page)
        return args


def _text(args: Mapping[str, str], name: str, limit: int = MAX_TEXT) -> str:
    value = args.get(name, "")
    if "\x00" in value:
        raise ParamError(name, f"{name} contains a character that is not allowed")
    value = " ".join(value.split())
    if len(value) > limit:
        raise ParamError(name, f"{name} is too long (at most {limit} characters)")
    return value


def _number(args: Mapping[str, str], name: str, low: float, high: float) -> float | None:
    raw = args.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ParamError(name, f"{name} must be a number") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise ParamError(name, f"{name} must be between {low:g} and {high:g}")
    return value


def _integer(args: Mapping[str, str], name: str, default: int, high: int) -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or len(raw) > 9:
        raise ParamError(name, f"{name} must be a whole number")
    value = int(raw)
    if not 1 <= value <= high:
        raise ParamError(name, f"{name} must be between 1 and {high}")
    return value


def _choice(args: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> str | None:
    raw = args.get(name, "").strip()
    if not raw:
        return None
    if raw not in allowed:
        raise ParamError(name, f"{name} must be one of: {', '.join(allowed)}")
    return raw


def _region(args: Mapping[str, str]) -> str | None:
    raw = args.get("region", "").strip()
    if not raw:
        return None
    if len(raw) > 10 or not is_jurisdiction_code(raw):
        raise ParamError("region", "region must be a code such as US, US-TX or GB-SCT")
    return raw


def parse_bbox(raw: str) -> BBox:
    """Parse ``minLon,minLat,maxLon,maxLat``; a west edge east of the east edge wraps."""
    parts = raw.split(",")
    if len(parts) != 4:
        raise ParamError("bbox", "bbox must be minLon,minLat,maxLon,maxLat")
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise ParamError("bbox", "bbox must be four numbers") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise ParamError("bbox", "bbox must be four finite numbers")
    if not (-90 <= south <= 90 and -90 <= north <= 90) or south > north:
        raise ParamError("bbox", "bbox latitudes must be within -90..90 with minLat <= maxLat")
    if east - west >= 360:
        west, east = -180.0, 180.0
    elif not (-180 <= west <= 180 and -180 <= east <= 180):
        # Leaflet reports longitudes past ±180 after panning across the antimeridian.
        west, east = _wrap(west), _wrap(east)
    return BBox(west, south, east, north)


def _wrap(longitude: float) -> float:
    wrapped = (longitude + 180.0) % 360.0 - 180.0
    return 180.0 if wrapped == -180.0 and longitude > 0 else wrapped


def parse_search_params(
    args: Mapping[str, str], *, max_per_page: int = MAX_PER_PAGE, default_per_page: int = 20
) -> SearchParams:
    """Validate the search parameters in ``args`` (a request's query string)."""
    # A plain dict: a request's MultiDict raises (and catches) an exception per absent key.
    args = dict(args.items())
    unit = _choice(args, "unit", ("km", "mi")) or "km"
    limit = MAX_RADIUS_KM if unit == "km" else MAX_RADIUS_KM / KM_PER_MILE
    radius = _number(args, "radius", 0.1, round(limit))
    treatment = _choice(args, "treatment", tuple(code.value for code in TreatmentCode))
    payment = _choice(args, "payment", tuple(option.value for option in PaymentOption))
    accepting = _choice(args, "accepting", ACCEPTING_VALUES)
    bbox_text = _text(args, "bbox", 120)
    include_closed = _choice(args, "include_closed", ("0", "1", "true", "false"))
    return SearchParams(
        near=_text(args, "near"),
        radius=radius if radius is not None else DEFAULT_RADIUS[unit],
        unit=unit,
        radius_given=radius is not None,
        bbox=parse_bbox(bbox_text) if bbox_text else None,
        treatment=TreatmentCode(treatment) if treatment else None,
        max_price=_number(args, "max_price", 0, 1_000_000),
        payment=PaymentOption(payment) if payment else None,
        accepting=accepting,
        q=_text(args, "q"),
        region=_region(args),
        include_closed=include_closed in ("1", "true"),
        page=_integer(args, "page", 1, MAX_PAGE),
        per_page=_integer(args, "per_page", default_per_page, max_per_page),
    )
