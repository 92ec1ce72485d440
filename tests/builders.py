"""Builders for test records: valid by default, with any field overridable."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

SOURCE = {
    "url": "https://clinic.example.org/pricing",
    "title": "Pricing",
    "retrieved": "2026-01-15",
    "note": "Test record.",
}


def make_provider(**overrides: Any) -> dict[str, Any]:
    """A valid provider record; keyword arguments replace top-level fields."""
    record: dict[str, Any] = {
        "id": "harbor-ketamine-austin",
        "name": "Harbor Ketamine",
        "status": "active",
        "illustrative": True,
        "website": "https://clinic.example.org/",
        "phone": "+1 512-555-0100",
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
            }
        ],
        "telehealth_areas": [],
        "treatments": [
            {
                "code": "iv_infusion",
                "price": {
                    "min": 400,
                    "max": 550,
                    "currency": "USD",
                    "unit": "per_session",
                    "as_of": "2026-01-15",
                    "source": SOURCE["url"],
                },
            }
        ],
        "payment_options": ["cash"],
        "accepting_new_patients": "yes",
        "sources": [dict(SOURCE)],
    }
    record.update(copy.deepcopy(overrides))
    return record


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
                "sources": [dict(SOURCE)],
            }
        ],
    }
    if "-" not in code:
        record["crisis_lines"] = [
            {"name": "Test crisis line", "phone": "988", "sources": [dict(SOURCE)]}
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
