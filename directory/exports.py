"""Serialising search results, providers and regions for the API: JSON, GeoJSON and CSV.

Plain functions over the search and query results; the field names here are the API's
contract, documented in :mod:`directory.openapi`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from flask import url_for

from directory.queries.providers import ProviderDetail
from directory.queries.regions import RegionDetail
from directory.search.hits import Hit, Site
from directory.search.params import ParamError
from directory.search.place import place_json
from directory.search.service import Finding

CSV_COLUMNS = (
    "id",
    "name",
    "status",
    "illustrative",
    "distance_km",
    "latitude",
    "longitude",
    "city",
    "region",
    "country",
    "treatments",
    "lowest_session_price",
    "currency",
    # That price's source: the date it shows (empty when none) and the day it was read.
    "price_published",
    "price_retrieved",
    "payment_options",
    "accepting_new_patients",
    "url",
    # A provider has a row per site: 1 is the site the list shows (the nearest), and so on.
    "site",
    "sites",
)


def _provider_url_prefix() -> str:
    """The API URL of a provider without its id (ids are URL-safe slugs)."""
    return str(url_for("api.provider", provider_id="-", _external=True)).removesuffix("-")


def _distance(hit: Hit) -> float | None:
    return round(hit.distance_km, 3) if hit.distance_km is not None else None


# How each field of a row is read, for rows with some fields only (``fields=``).
_FIELD_VALUES: dict[str, Callable[[Hit, str], Any]] = {
    "id": lambda hit, _: hit.id,
    "name": lambda hit, _: hit.name,
    "distance_km": lambda hit, _: _distance(hit),
    "latitude": lambda hit, _: hit.latitude,
    "longitude": lambda hit, _: hit.longitude,
    "city": lambda hit, _: hit.city,
    "region": lambda hit, _: hit.region,
    "country": lambda hit, _: hit.country,
    "status": lambda hit, _: hit.status,
    "illustrative": lambda hit, _: hit.illustrative,
    "accepting_new_patients": lambda hit, _: hit.accepting_new_patients,
    "treatments": lambda hit, _: hit.treatments,
    "payment_options": lambda hit, _: hit.payment_options,
    "url": lambda hit, prefix: prefix + hit.id,
}
#: What a result row may carry, in order; ``fields=`` picks among them.
HIT_FIELDS = tuple(_FIELD_VALUES)


_MAX_FIELDS_TEXT = 400


def parse_fields(raw: str) -> tuple[str, ...] | None:
    """``fields=name,city``: the fields each row carries (``id`` always); None for all.

    Raises :class:`ParamError` for a name that is not a field.

    >>> parse_fields("city, name,city")
    ('id', 'city', 'name')
    >>> parse_fields("") is None
    True
    """
    names = [name.strip() for name in raw[: _MAX_FIELDS_TEXT + 1].split(",") if name.strip()]
    if not names:
        return None
    if len(raw) > _MAX_FIELDS_TEXT or not set(names) <= set(HIT_FIELDS):
        raise ParamError("fields", f"fields must be names from: {', '.join(HIT_FIELDS)}")
    return tuple(dict.fromkeys(["id", *names]))


def hit_json(
    hit: Hit, url_prefix: str | None = None, fields: tuple[str, ...] | None = None
) -> dict[str, Any]:
    """One result row, with only ``fields`` if given.

    Pass ``url_prefix`` when serialising many rows (url_for is costly).
    """
    prefix = url_prefix or _provider_url_prefix()
    if fields is not None:
        return {name: _FIELD_VALUES[name](hit, prefix) for name in fields}
    return {
        "id": hit.id,
        "name": hit.name,
        "distance_km": _distance(hit),
        "latitude": hit.latitude,
        "longitude": hit.longitude,
        "city": hit.city,
        "region": hit.region,
        "country": hit.country,
        "status": hit.status,
        "illustrative": hit.illustrative,
        "accepting_new_patients": hit.accepting_new_patients,
        "treatments": hit.treatments,
        "payment_options": hit.payment_options,
        "url": prefix + hit.id,
    }


def search_json(finding: Finding, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The ``/api/providers`` document; rows with only ``fields`` if given."""
    result = finding.result
    prefix = _provider_url_prefix()
    return {
        "location": place_json(finding.place) if finding.place else None,
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "pages": result.pages,
        "unit": finding.params.unit,
        "radius": finding.params.radius if finding.place else None,
        "results": [hit_json(hit, prefix, fields) for hit in result.hits],
        "nearest": hit_json(result.nearest, prefix, fields) if result.nearest else None,
        "telehealth": [hit_json(hit, prefix, fields) for hit in result.telehealth],
    }


def _site_json(site: Site) -> dict[str, Any]:
    return {
        "city": site.city,
        "region": site.region,
        "country": site.country,
        "latitude": site.latitude,
        "longitude": site.longitude,
        "precision": site.precision,
        "distance_km": round(site.distance_km, 3) if site.distance_km is not None else None,
    }


def _geometry(sites: list[Site]) -> dict[str, Any]:
    """A Point for one site, a MultiPoint (the nearest first) for several."""
    # RFC 7946: positions are [longitude, latitude].
    positions = [[site.longitude, site.latitude] for site in sites]
    if len(positions) == 1:
        return {"type": "Point", "coordinates": positions[0]}
    return {"type": "MultiPoint", "coordinates": positions}


def feature_collection(finding: Finding, sites: dict[str, list[Site]]) -> dict[str, Any]:
    """The results as an RFC 7946 FeatureCollection, a feature per provider; providers without
    a location are left out. A provider with several sites is a MultiPoint, nearest first,
    and its ``sites`` property describes each one in the same order."""
    features = []
    prefix = _provider_url_prefix()
    for hit in finding.result.hits:
        placed = sites.get(hit.id, [])
        if not placed:
            continue
        properties = hit_json(hit, prefix)
        del properties["latitude"], properties["longitude"]
        properties["sites"] = [_site_json(site) for site in placed]
        features.append(
            {
                "type": "Feature",
                "id": hit.id,
                "geometry": _geometry(placed),
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _csv_safe(value: object) -> object:
    """Neutralise spreadsheet formulas in text cells (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_text(finding: Finding, sites: dict[str, list[Site]]) -> str:
    """The results as CSV with a header row: a row per site of each provider (the nearest
    first; one row, without a position, for a provider with no site)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    prefix = _provider_url_prefix()
    for hit in finding.result.hits:
        cheapest = hit.lowest_session_price
        row = hit_json(hit, prefix) | {
            "treatments": " ".join(t["code"] for t in hit.treatments),
            "payment_options": " ".join(hit.payment_options),
            "lowest_session_price": cheapest["price_min"] if cheapest else None,
            "currency": cheapest["currency"] if cheapest else None,
            "price_published": cheapest["price_published"] if cheapest else None,
            "price_retrieved": cheapest["price_retrieved"] if cheapest else None,
            "illustrative": int(hit.illustrative),
        }
        placed = sites.get(hit.id, [])
        for number, site in enumerate(placed or [None], start=1):
            if site is not None:
                row |= _site_json(site) | {"site": number, "sites": len(placed)}
            else:
                row |= {"site": None, "sites": 0}
            writer.writerow([_csv_safe(row[column]) for column in CSV_COLUMNS])
    return out.getvalue()


def provider_json(detail: ProviderDetail) -> dict[str, Any]:
    """A provider with every section."""
    document = asdict(detail)
    document.pop("do_not_list", None)
    document["last_verified"] = {
        "date": document.pop("last_verified_date"),
        "by": document.pop("last_verified_by"),
    }
    document["screening"] = {
        "referral_required": document.pop("referral_required"),
        "requirements": document.pop("screening_requirements"),
        "notes": document.pop("screening_notes"),
    }
    return document


def region_summary(row: dict[str, Any]) -> dict[str, Any]:
    """One row of the region list."""
    return {
        "code": row["code"],
        "name": row["name"],
        "kind": row["kind"],
        "parent": row["parent"],
        "currency": row["currency"],
        "providers": row["located"],
        "telehealth_providers": row["telehealth"],
        "notes": row["notes"],
        "url": url_for("api.region", code=row["code"], _external=True),
    }


def region_json(detail: RegionDetail) -> dict[str, Any]:
    """A jurisdiction with notes, inherited notes and crisis lines."""
    return asdict(detail)
