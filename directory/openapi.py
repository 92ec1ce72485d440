"""The OpenAPI 3.1 description of the API, declared as data next to the code it describes."""

from __future__ import annotations

from typing import Any

from directory.dataset.models import TreatmentCode
from directory.search.hits import TREATMENT_KEYS
from directory.search.params import ACCEPTING_VALUES, BY_NAME, EXPORT_MAX_PER_PAGE, PARAMETERS


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    kind = schema["type"]
    return schema | {"type": [kind, "null"] if isinstance(kind, str) else [*kind, "null"]}


_STRING = {"type": "string"}
_NUMBER = {"type": "number"}

SEARCH_PARAMETERS: list[dict[str, Any]] = [parameter.openapi() for parameter in PARAMETERS]

_TREATMENT = {
    "type": "object",
    "required": list(TREATMENT_KEYS),
    "properties": {
        "code": {"type": "string", "enum": [code.value for code in TreatmentCode]},
        "price_min": _nullable(_NUMBER),
        "price_max": _nullable(_NUMBER),
        "currency": _nullable(_STRING),
        "unit": _nullable(_STRING),
        "price_published": {
            **_nullable(_STRING),
            "description": "The date the price's source itself shows, if it shows one.",
        },
        "price_retrieved": {
            **_nullable(_STRING),
            "description": "The day the price's source was read (not the day the price held).",
        },
    },
}

FIELDS_PARAMETER: dict[str, Any] = {
    "name": "fields",
    "in": "query",
    "description": (
        "Comma-separated fields each result carries (`id` always), e.g. "
        "`name,distance_km,city`; all of them when absent."
    ),
    "schema": {"type": "string", "maxLength": 400},
}

_HIT = {
    "type": "object",
    # Every property is present unless `fields` leaves it out.
    "required": ["id"],
    "properties": {
        "id": _STRING,
        "name": _STRING,
        "distance_km": _nullable(_NUMBER),
        "latitude": _nullable(_NUMBER),
        "longitude": _nullable(_NUMBER),
        "city": _nullable(_STRING),
        "region": _nullable(_STRING),
        "country": _nullable(_STRING),
        "status": {"type": "string", "enum": ["active", "temporarily_closed", "closed"]},
        "illustrative": {"type": "boolean"},
        "accepting_new_patients": {"type": "string", "enum": list(ACCEPTING_VALUES)},
        "treatments": {"type": "array", "items": {"$ref": "#/components/schemas/Treatment"}},
        "payment_options": {"type": "array", "items": _STRING},
        "url": _STRING,
    },
}

_LOCATION = {
    "type": "object",
    "required": ["label", "lat", "lon", "precision"],
    "properties": {
        "label": _STRING,
        "lat": _NUMBER,
        "lon": _NUMBER,
        "precision": _STRING,
        "country": _nullable(_STRING),
        "region": _nullable(_STRING),
        "fallback": _nullable(_STRING),
        "alternatives": {"type": "array", "items": {"type": "object"}},
    },
}

_SEARCH = {
    "type": "object",
    "required": ["location", "total", "page", "per_page", "results"],
    "properties": {
        "location": {"oneOf": [{"$ref": "#/components/schemas/Location"}, {"type": "null"}]},
        "total": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1},
        "pages": {"type": "integer", "minimum": 1},
        "unit": {"type": "string", "enum": ["km", "mi"]},
        "radius": _nullable(_NUMBER),
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
        "nearest": {"oneOf": [{"$ref": "#/components/schemas/Hit"}, {"type": "null"}]},
        "telehealth": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
    },
}

_SOURCE = {
    "type": "object",
    "required": ["url", "retrieved"],
    "properties": {
        "id": {"type": "integer"},
        "url": _STRING,
        "kind": {
            **_nullable(_STRING),
            "description": "provider, register, locator, directory, news or other.",
        },
        "title": _nullable(_STRING),
        "published": {
            **_nullable(_STRING),
            "description": "The date the source itself shows; null when it shows none.",
        },
        "retrieved": {**_STRING, "description": "The day the source was read."},
        "note": _nullable(_STRING),
    },
}

_PROVIDER = {
    "type": "object",
    "required": ["id", "name", "status", "illustrative", "treatments", "sources", "last_verified"],
    "properties": {
        "id": _STRING,
        "name": _STRING,
        "status": _STRING,
        "illustrative": {"type": "boolean"},
        "treatments": {"type": "array", "items": {"type": "object"}},
        "locations": {"type": "array", "items": {"type": "object"}},
        "sources": {"type": "array", "items": {"$ref": "#/components/schemas/Source"}},
        "fact_sources": {
            "type": "object",
            "description": (
                "The sources of each fact, by the fact's path: `phone`, `website`, "
                "`locations[0]`, `treatments.iv_infusion`, `treatments.iv_infusion.price`, "
                "`payment_options`, `accepting_new_patients`, `screening`, `quality_signals[0]`, "
                "`status`, `telehealth_areas`."
            ),
            "additionalProperties": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/Source"},
            },
        },
        "last_verified": {
            "type": "object",
            "properties": {"date": _nullable(_STRING), "by": _nullable(_STRING)},
        },
    },
}

_REGION = {
    "type": "object",
    "required": ["code", "name", "kind", "notes", "crisis_lines"],
    "properties": {
        "code": _STRING,
        "name": _STRING,
        "kind": _STRING,
        "parent": _nullable(_STRING),
        "currency": _nullable(_STRING),
        "notes": {"type": "array", "items": {"type": "object"}},
        "inherited_notes": {"type": "array", "items": {"type": "object"}},
        "crisis_lines": {"type": "array", "items": {"type": "object"}},
    },
}

_REGIONS = {
    "type": "object",
    "required": ["results"],
    "properties": {
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "name", "providers"],
                "properties": {
                    "code": _STRING,
                    "name": _STRING,
                    "providers": {"type": "integer"},
                    "telehealth_providers": {"type": "integer"},
                },
            },
        }
    },
}

_POSITION = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}
_NUMBER_OR_NULL = {"type": ["number", "null"]}
_SITE = {
    "type": "object",
    "description": "One of the provider's sites, in the geometry's order (the nearest first).",
    "required": ["latitude", "longitude"],
    "properties": {
        "city": {"type": ["string", "null"]},
        "region": {"type": ["string", "null"]},
        "country": {"type": ["string", "null"]},
        "latitude": {"type": "number"},
        "longitude": {"type": "number"},
        "precision": {"type": ["string", "null"], "enum": ["address", "postal_code", "city", None]},
        "distance_km": _NUMBER_OR_NULL,
    },
}
_FEATURE = {
    "type": "object",
    "required": ["type", "id", "geometry", "properties"],
    "properties": {
        "type": {"const": "Feature"},
        "id": _STRING,
        "geometry": {
            "description": "A Point for a provider with one site; a MultiPoint, the nearest "
            "site first, for one with several. Positions are [longitude, latitude].",
            "oneOf": [
                {
                    "type": "object",
                    "required": ["type", "coordinates"],
                    "properties": {"type": {"const": "Point"}, "coordinates": _POSITION},
                },
                {
                    "type": "object",
                    "required": ["type", "coordinates"],
                    "properties": {
                        "type": {"const": "MultiPoint"},
                        "coordinates": {"type": "array", "items": _POSITION, "minItems": 2},
                    },
                },
            ],
        },
        "properties": {
            "type": "object",
            "description": "The result row (as in /api/providers, without the nearest site's "
            "coordinates) and every site.",
            "required": ["sites"],
            "properties": {"sites": {"type": "array", "items": _SITE, "minItems": 1}},
        },
    },
}
_FEATURES = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {
            "type": "array",
            "description": "A feature per provider on the page; telehealth-only providers, "
            "having no site, are left out.",
            "items": _FEATURE,
        },
    },
}

#: The one error body of the API and the map's JSON: a message, and the parameter at fault
#: when a request parameter is (a 400).
_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {"type": "string", "description": "What is wrong, in plain words."},
        "parameter": {"type": "string", "description": "The request parameter at fault."},
    },
}


def _json(schema: str, media: str = "application/json") -> dict[str, Any]:
    return {"content": {media: {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


def _responses(ok: dict[str, Any], description: str, *errors: int) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": {"description": description} | ok}
    for status in errors:
        responses[str(status)] = {"description": "Error", **_json("Error")}
    return responses


def openapi_document(server: str) -> dict[str, Any]:
    """The whole OpenAPI document, with ``server`` as the base URL."""
    search_ops = {
        "/api/providers": (_json("SearchResult"), "Providers matching the search"),
        "/api/providers.geojson": (
            _json("FeatureCollection", "application/geo+json"),
            "The results as GeoJSON (one page of up to 5,000)",
        ),
        "/api/providers.csv": (
            {"content": {"text/csv": {"schema": {"type": "string"}}}},
            "The results as CSV (one page of up to 5,000 providers): a row per site of each "
            "provider, the nearest first (`site` 1 of `sites`; a telehealth-only provider has "
            "one row with `sites` 0 and no position)",
        ),
    }
    paths: dict[str, Any] = {}
    for path, (ok, description) in search_ops.items():
        parameters = [*SEARCH_PARAMETERS, FIELDS_PARAMETER]
        if path != "/api/providers":
            parameters = [p for p in SEARCH_PARAMETERS if p["name"] != "per_page"] + [
                BY_NAME["per_page"].openapi(maximum=EXPORT_MAX_PER_PAGE)
            ]
        paths[path] = {
            "get": {
                "summary": description,
                "parameters": parameters,
                "responses": _responses(ok, description, 400),
            }
        }
    paths["/api/providers/{provider_id}"] = {
        "get": {
            "summary": "One provider with every section of its page",
            "parameters": [
                {"name": "provider_id", "in": "path", "required": True, "schema": _STRING}
            ],
            "responses": _responses(_json("Provider"), "The provider", 404),
        }
    }
    paths["/api/regions"] = {
        "get": {
            "summary": "Every jurisdiction",
            "responses": _responses(_json("RegionList"), "Jurisdictions"),
        }
    }
    paths["/api/regions/{code}"] = {
        "get": {
            "summary": "One jurisdiction with regulatory notes and crisis lines",
            "parameters": [{"name": "code", "in": "path", "required": True, "schema": _STRING}],
            "responses": _responses(_json("Region"), "The jurisdiction", 404),
        }
    }
    paths["/api/openapi.json"] = {
        "get": {
            "summary": "This document",
            "responses": {"200": {"description": "OpenAPI document", **_json("Any")}},
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Ketamine Therapy Access Map API",
            "version": "1",
            "description": (
                "Open data on ketamine-therapy providers and the rules where they work. "
                "Every record carries its sources; records are not medical advice."
            ),
        },
        "servers": [{"url": server}],
        "paths": paths,
        "components": {
            "schemas": {
                "Treatment": _TREATMENT,
                "Hit": _HIT,
                "Location": _LOCATION,
                "SearchResult": _SEARCH,
                "Source": _SOURCE,
                "Provider": _PROVIDER,
                "Region": _REGION,
                "RegionList": _REGIONS,
                "FeatureCollection": _FEATURES,
                "Error": _ERROR,
                "Any": {"type": "object"},
            }
        },
    }
