"""Builders for test records: valid by default, with any field overridable."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

SOURCE = {
    "key": "pricing",
    "kind": "provider",
    "url": "https://clinic.example.org/pricing",
    "title": "Pricing",
    "retrieved": "2026-01-15",
    "note": "Test record.",
}


#: A jurisdiction's sources are cited inline, so they carry no key.
JURISDICTION_SOURCE = {name: value for name, value in SOURCE.items() if name != "key"}


def make_provider(**overrides: Any) -> dict[str, Any]:
    """A valid provider record; keyword arguments replace top-level fields."""
    record: dict[str, Any] = {
        "id": "harbor-ketamine-austin",
        "name": "Harbor Ketamine",
        "status": "active",
        "illustrative": True,
        "website": "https://clinic.example.org/",
        "website_source": "pricing",
        "phone": "+15125550100",
        "phone_source": "pricing",
        "locations": [
            {
                "street": "1 Test Street",
                "city": "Austin",
                "postal_code": "78701",
                "region": "US-TX",
                "country": "US",
                "latitude": 30.2672,
                "longitude": -97.7431,
                "precision": "address",
                "source": "pricing",
            }
        ],
        "telehealth_areas": [],
        "treatments": [
            {
                "code": "iv_infusion",
                "source": "pricing",
                "price": {
                    "min": 400,
                    "max": 550,
                    "currency": "USD",
                    "unit": "per_session",
                    "source": "pricing",
                },
            }
        ],
        "payment_options": ["cash"],
        "payment_options_source": "pricing",
        "accepting_new_patients": "yes",
        "accepting_new_patients_source": "pricing",
        "sources": [dict(SOURCE)],
    }
    record.update(copy.deepcopy(overrides))
    _cite_missing(record)
    return record


def _cite_missing(record: dict[str, Any]) -> None:
    """Make every fact whose source field is absent cite the record's first source.

    A field given as None stays None, so tests of a missing source can say so.
    """
    sources = record.get("sources") or []
    key = sources[0].get("key") if sources and isinstance(sources[0], dict) else None
    if key is None:
        return
    if record.get("status", "active") != "active":
        record.setdefault("status_source", key)
    for name in ("website", "phone", "telehealth_areas", "payment_options"):
        if record.get(name):
            record.setdefault(f"{name}_source", key)
    if record.get("accepting_new_patients", "unknown") != "unknown":
        record.setdefault("accepting_new_patients_source", key)
    items = [*(record.get("locations") or []), *(record.get("quality_signals") or [])]
    for treatment in record.get("treatments") or []:
        items.append(treatment)
        if isinstance(treatment, dict) and isinstance(treatment.get("price"), dict):
            items.append(treatment["price"])
    screening = record.get("screening")
    if isinstance(screening, dict):
        items.append(screening)
    for item in items:
        if isinstance(item, dict):
            item.setdefault("source", key)
    for note in record.get("regulatory_notes") or []:
        if isinstance(note, dict):
            note.setdefault("sources", [key])


def make_location(
    city: str, region: str, country: str, lat: float, lon: float, **extra: Any
) -> dict[str, Any]:
    """A site placed at ``lat``, ``lon`` (at its street address unless ``precision`` says)."""
    return {
        "city": city,
        "region": region,
        "country": country,
        "latitude": lat,
        "longitude": lon,
        "precision": "address",
        **extra,
    }


def make_jurisdiction(code: str, **overrides: Any) -> dict[str, Any]:
    """A valid jurisdiction record for ``code``."""
    country = code.split("-")[0]
    record: dict[str, Any] = {
        "code": code,
        "name": code,
        "parent": None if "-" not in code else country,
        "kind": "country" if "-" not in code else "state",
        "currency": {"US": "USD", "CA": "CAD", "GB": "GBP"}.get(country, "EUR"),
        "notes": [
            {
                "topic": "legal_status",
                "text": f"A test note for {code}.",
                "as_of": "2025-01-01",
                "sources": [dict(JURISDICTION_SOURCE)],
            }
        ],
    }
    if "-" not in code:
        record["crisis_lines"] = [
            {"name": "Test crisis line", "phone": "988", "sources": [dict(JURISDICTION_SOURCE)]}
        ]
    record.update(copy.deepcopy(overrides))
    return record


DEFAULT_JURISDICTIONS = ("US", "US-TX", "US-CA", "US-NY", "CA", "CA-ON", "GB", "GB-ENG")


def write_dataset(
    root: Path,
    providers: list[dict[str, Any]] | None = None,
    jurisdictions: list[dict[str, Any]] | None = None,
) -> Path:
    """Write a dataset folder under ``root`` and return it."""
    if providers is None:
        providers = [make_provider()]
    if jurisdictions is None:
        jurisdictions = [make_jurisdiction(code) for code in DEFAULT_JURISDICTIONS]
    (root / "providers").mkdir(parents=True, exist_ok=True)
    (root / "jurisdictions").mkdir(parents=True, exist_ok=True)
    for record in providers:
        name = record.get("id", "unnamed")
        (root / "providers" / f"{name}.yaml").write_text(yaml.safe_dump(record), encoding="utf-8")
    for record in jurisdictions:
        (root / "jurisdictions" / f"{record['code']}.yaml").write_text(
            yaml.safe_dump(record), encoding="utf-8"
        )
    return root
