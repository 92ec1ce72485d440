"""The search parameters, declared once as a table, and their parsing and validation.

:data:`PARAMETERS` is the one list of what a search takes: each row's name, kind, bounds,
help and where the search form shows it. The parser, the URLs the pages link to, the
OpenAPI document, the form and the hostile-input tests all read it; a new filter is one row
here plus its condition in :mod:`directory.search.candidates`. A bad value raises
:class:`ParamError` naming the parameter, which the views turn into a 400 with the message.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, Literal

from directory.dataset.codes import is_currency_code, is_jurisdiction_code
from directory.dataset.models import PaymentOption, TreatmentCode
from directory.search.geometry import BBox

KM_PER_MILE = 1.609344
DEFAULT_RADIUS = {"km": 50.0, "mi": 30.0}
MAX_RADIUS_KM = 2500.0
MAX_PER_PAGE = 100
MAX_PAGE = 10_000
MAX_TEXT = 200
DEFAULT_PER_PAGE = 20
#: Exports (CSV, GeoJSON) page in larger steps.
EXPORT_MAX_PER_PAGE = 5000
EXPORT_DEFAULT_PER_PAGE = 1000
ACCEPTING_VALUES = ("yes", "no", "unknown")
FLAG_VALUES = ("0", "1", "true", "false")

#: How a value is read: free text, a number, a whole number, one of ``choices``, any of
#: ``choices`` (comma-separated or repeated), a jurisdiction code, an ISO 4217 currency code,
#: a map box, or a yes/no flag.
Kind = Literal[
    "text", "number", "integer", "choice", "choices", "region", "currency", "bbox", "flag"
]
#: Where the search form shows a parameter: always, under "Filters", carried along unseen,
#: or not at all (the API's and the map's own).
Placement = Literal["form", "filter", "hidden", "none"]


@dataclass(frozen=True)
class Parameter:
    """One search parameter: how it is read and checked, documented and offered."""

    name: str
    kind: Kind
    help: str
    choices: tuple[str, ...] = ()
    low: float = 0.0
    high: float = 0.0
    max_length: int = MAX_TEXT
    placement: Placement = "none"
    #: Whether it changes which providers match (and so the map's points); paging does not.
    selects: bool = True

    def openapi(self, **overrides: Any) -> dict[str, Any]:
        """This parameter as an OpenAPI query parameter object; ``overrides`` go in its schema."""
        schema: dict[str, Any]
        if self.kind in ("choice", "flag"):
            schema = {"type": "string", "enum": list(self.choices)}
        elif self.kind == "choices":
            schema = {
                "type": "array",
                "items": {"type": "string", "enum": list(self.choices)},
                "maxItems": len(self.choices),
            }
        elif self.kind == "number":
            schema = {"type": "number", "minimum": self.low, "maximum": self.high}
        elif self.kind == "integer":
            schema = {"type": "integer", "minimum": int(self.low), "maximum": int(self.high)}
        elif self.kind == "currency":
            schema = {"type": "string", "pattern": "^[A-Za-z]{3}$"}
        else:
            schema = {"type": "string", "maxLength": self.max_length}
        document: dict[str, Any] = {
            "name": self.name,
            "in": "query",
            "description": self.help,
            "schema": schema | overrides,
        }
        if self.kind == "choices":
            # One comma-separated value (repeating the parameter is accepted too).
            document |= {"style": "form", "explode": False}
        return document


PARAMETERS: tuple[Parameter, ...] = (
    Parameter("near", "text", "A city, postal code, address, or 'lat,lon'.", placement="form"),
    Parameter(
        "radius",
        "number",
        "Search radius in `unit` (default 50 km or 30 mi; at most 2,500 km or 1,553 mi).",
        low=0.1,
        high=MAX_RADIUS_KM,
        placement="form",
    ),
    Parameter("unit", "choice", "The radius's unit.", choices=("km", "mi"), placement="form"),
    Parameter(
        "treatment",
        "choice",
        "Only providers offering this treatment.",
        choices=tuple(code.value for code in TreatmentCode),
        placement="filter",
    ),
    Parameter(
        "max_price",
        "number",
        "Highest acceptable lowest per-session price, in the result's currency.",
        low=0,
        high=1_000_000,
        placement="filter",
    ),
    Parameter(
        "currency",
        "currency",
        "The currency of `max_price` (ISO 4217, e.g. USD); default: the searched country's. "
        "Prices in other currencies are never compared with it.",
        max_length=3,
        placement="filter",
    ),
    Parameter(
        "payment",
        "choices",
        "Only providers stating any of these payment options (comma-separated, e.g. "
        "`private_insurance,public_insurance`); a provider whose payment options are unknown "
        "never matches.",
        choices=tuple(option.value for option in PaymentOption),
        placement="filter",
    ),
    Parameter(
        "accepting",
        "choice",
        "Whether the provider accepts new patients.",
        choices=ACCEPTING_VALUES,
        placement="filter",
    ),
    Parameter("q", "text", "Words in the name, organisation, city or notes.", placement="filter"),
    Parameter(
        "region",
        "region",
        "Only providers located in this jurisdiction (e.g. US-TX).",
        max_length=10,
        placement="hidden",
    ),
    Parameter(
        "bbox",
        "bbox",
        "minLon,minLat,maxLon,maxLat; replaces the circle around `near`.",
        max_length=120,
    ),
    Parameter(
        "include_closed",
        "flag",
        "1 to list closed providers too.",
        choices=FLAG_VALUES,
        placement="filter",
    ),
    Parameter("page", "integer", "Page of results.", low=1, high=MAX_PAGE, selects=False),
    Parameter(
        "per_page",
        "integer",
        "Results per page.",
        low=1,
        high=MAX_PER_PAGE,
        placement="hidden",
        selects=False,
    ),
)
BY_NAME = {parameter.name: parameter for parameter in PARAMETERS}
#: The parameters that take several choices.
MULTIPLE = tuple(parameter for parameter in PARAMETERS if parameter.kind == "choices")


def names_placed(*placements: Placement) -> tuple[str, ...]:
    """The names of the parameters the search form shows in any of ``placements``.

    >>> names_placed("hidden")
    ('region', 'per_page')
    """
    return tuple(p.name for p in PARAMETERS if p.placement in placements)


class ParamError(ValueError):
    """A request parameter has a value we cannot use."""

    def __init__(self, parameter: str, message: str) -> None:
        self.parameter = parameter
        super().__init__(message)


@dataclass(frozen=True)
class SearchParams:
    """A validated search request. ``near`` is free text still to be geocoded."""

    near: str = ""
    radius: float = DEFAULT_RADIUS["km"]
    unit: str = "km"
    radius_given: bool = False
    #: Whether the request chose the unit (the pages may otherwise use the place's own).
    unit_given: bool = False
    bbox: BBox | None = None
    treatment: TreatmentCode | None = None
    max_price: float | None = None
    currency: str | None = None
    #: The currency ``max_price`` is compared in: ``currency``, else the searched country's
    #: (set by the search service; not a parameter of its own).
    compare_currency: str | None = None
    payment: tuple[PaymentOption, ...] = ()
    accepting: str | None = None
    q: str = ""
    region: str | None = None
    include_closed: bool = False
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def radius_km(self) -> float:
        """The radius in kilometres."""
        return self.radius * KM_PER_MILE if self.unit == "mi" else self.radius

    def query_args(self, **changes: object) -> dict[str, str]:
        """The parameters as they would appear in a URL, without defaults; ``changes`` apply."""
        params = replace(self, **changes) if changes else self  # type: ignore[arg-type]
        defaults = _DEFAULTS
        args: dict[str, str] = {}
        for parameter in PARAMETERS:
            value = getattr(params, parameter.name)
            if parameter.name == "radius":
                if params.radius_given:
                    args["radius"] = f"{value:g}"
            elif parameter.name == "unit":
                if params.unit_given or value != defaults["unit"]:
                    args["unit"] = value
            elif value != defaults[parameter.name] and value is not None and value != ():
                args[parameter.name] = _as_text(value)
        return args

    def selection_args(self) -> dict[str, str]:
        """The parameters that decide which providers match: not the page or its size."""
        args = self.query_args()
        return {name: value for name, value in args.items() if BY_NAME[name].selects}


def _as_text(value: object) -> str:
    """A parsed value as the URL writes it."""
    if isinstance(value, bool):
        return "1"
    if isinstance(value, (TreatmentCode, PaymentOption)):
        return value.value
    if isinstance(value, tuple):
        return ",".join(_as_text(item) for item in value)
    if isinstance(value, BBox):
        return value.as_param()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


_DEFAULTS = {field.name: field.default for field in fields(SearchParams)}


def _text(raw: str, name: str, limit: int) -> str:
    value = raw
    if "\x00" in value:
        raise ParamError(name, f"{name} contains a character that is not allowed")
    value = " ".join(value.split())
    if len(value) > limit:
        raise ParamError(name, f"{name} is too long (at most {limit} characters)")
    return value


def _number(raw: str, name: str, low: float, high: float) -> float | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ParamError(name, f"{name} must be a number") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise ParamError(name, f"{name} must be between {low:g} and {high:g}")
    return value


def _integer(raw: str, name: str, high: int) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise ParamError(name, f"{name} must be a whole number")
    value = int(raw)
    if not 1 <= value <= high:
        raise ParamError(name, f"{name} must be between 1 and {high}")
    return value


def _choice(raw: str, name: str, allowed: tuple[str, ...]) -> str | None:
    raw = raw.strip()
    if not raw:
        return None
    if raw not in allowed:
        raise ParamError(name, f"{name} must be one of: {', '.join(allowed)}")
    return raw


def _choices(raw: str, name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    """Comma-separated choices, each checked, in the order of ``allowed``, each once."""
    chosen = {part.strip() for part in raw.split(",") if part.strip()}
    wrong = sorted(chosen - set(allowed))
    if wrong:
        raise ParamError(name, f"{name} must be any of: {', '.join(allowed)}")
    return tuple(choice for choice in allowed if choice in chosen)


def _region(raw: str) -> str | None:
    raw = raw.strip()
    if not raw:
        return None
    if len(raw) > 10 or not is_jurisdiction_code(raw):
        raise ParamError("region", "region must be a code such as US, US-TX or GB-SCT")
    return raw


def _currency(raw: str) -> str | None:
    code = raw.strip().upper()
    if not code:
        return None
    if len(code) != 3 or not is_currency_code(code):
        raise ParamError("currency", "currency must be a currency code such as USD, EUR or GBP")
    return code


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


def _read(parameter: Parameter, raw: str, high: float) -> object:
    """One parameter's value from its text (None when absent), checked against its row."""
    name, kind = parameter.name, parameter.kind
    if kind == "text":
        return _text(raw, name, parameter.max_length)
    if kind == "number":
        return _number(raw, name, parameter.low, high)
    if kind == "integer":
        return _integer(raw, name, int(high))
    if kind == "region":
        return _region(raw)
    if kind == "currency":
        return _currency(raw)
    if kind == "bbox":
        text = _text(raw, name, parameter.max_length)
        return parse_bbox(text) if text else None
    if kind == "choices":
        return _choices(raw[: parameter.max_length + 1], name, parameter.choices)
    choice = _choice(raw, name, parameter.choices)
    if kind == "flag":
        return choice in ("1", "true")
    return choice


def single_values(args: Mapping[str, str]) -> dict[str, str]:
    """A request's query as one text per name: a parameter of several choices given more than
    once (``payment=a&payment=b``, as a form's ticks send it) is joined with commas; of any
    other, the first value counts."""
    getlist = getattr(args, "getlist", None)
    values = dict(args.items())
    if getlist is not None:
        for parameter in MULTIPLE:
            given = getlist(parameter.name)
            if len(given) > 1:
                values[parameter.name] = ",".join(given)
    return values


def parse_search_params(
    args: Mapping[str, str],
    *,
    max_per_page: int = MAX_PER_PAGE,
    default_per_page: int = DEFAULT_PER_PAGE,
) -> SearchParams:
    """Validate the search parameters in ``args`` (a request's query string), row by row
    of :data:`PARAMETERS`; the first bad one raises :class:`ParamError`."""
    # A plain dict: a request's MultiDict raises (and catches) an exception per absent key.
    args = single_values(args)
    unit = _choice(args.get("unit", ""), "unit", BY_NAME["unit"].choices) or "km"
    highs = {
        "radius": round(MAX_RADIUS_KM if unit == "km" else MAX_RADIUS_KM / KM_PER_MILE),
        "per_page": max_per_page,
    }
    values: dict[str, Any] = {}
    for parameter in PARAMETERS:
        high = highs.get(parameter.name, parameter.high)
        values[parameter.name] = _read(parameter, args.get(parameter.name, ""), high)
    radius = values["radius"]
    values.update(
        radius=radius if radius is not None else DEFAULT_RADIUS[unit],
        radius_given=radius is not None,
        unit=unit,
        unit_given=bool(args.get("unit", "").strip()),
        treatment=TreatmentCode(values["treatment"]) if values["treatment"] else None,
        payment=tuple(PaymentOption(option) for option in values["payment"]),
        page=values["page"] or 1,
        per_page=values["per_page"] or default_per_page,
    )
    return SearchParams(**values)
