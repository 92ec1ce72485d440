"""Synthetic providers for benchmarks and scale tests; every record is flagged illustrative.

Synthetic sets are written to their own folder (``providers.jsonl`` plus a copy of the real
jurisdictions) and are never mixed into ``data/``. Locations are scattered around real US ZIP
code centroids so that density follows where people live.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
import zipcodes

from directory.dataset.models import PaymentOption, TreatmentCode

SYNTHETIC_SOURCE = {
    "key": "generated",
    "kind": "other",
    "url": "https://example.org/synthetic-provider",
    "title": "Synthetic record generated for testing",
    "retrieved": "2025-01-01",
    "note": "Generated; not a real provider.",
}

_AREA_CODES = ("212", "303", "312", "415", "512", "617", "713", "206")

_PRICE_RANGES = {
    TreatmentCode.IV_INFUSION: (300, 900, "per_session"),
    TreatmentCode.IM_INJECTION: (250, 600, "per_session"),
    TreatmentCode.ESKETAMINE_NASAL: (600, 1200, "per_session"),
    TreatmentCode.ORAL_SUBLINGUAL: (150, 400, "per_session"),
    TreatmentCode.KETAMINE_ASSISTED_PSYCHOTHERAPY: (350, 700, "per_session"),
    TreatmentCode.AT_HOME_TELEHEALTH: (100, 250, "per_month"),
}
_WORDS = ["North", "Harbor", "Summit", "Cedar", "River", "Lakeside", "Valley", "Pine", "Bright"]
_KINDS = ["Ketamine Clinic", "Infusion Center", "Wellness", "Mental Health", "Psychiatry"]


@cache
def _us_states() -> frozenset[str]:
    """The 50 states and DC, as ISO 3166-2 codes."""
    return frozenset(
        sub.code
        for sub in pycountry.subdivisions.get(country_code="US")  # type: ignore[no-untyped-call]
        if sub.type in ("State", "District")
    )


@cache
def _anchors(states: frozenset[str]) -> list[tuple[float, float, str, str, str]]:
    """(lat, lon, city, state, zip) for every standard ZIP code in one of ``states``."""
    anchors = []
    for entry in zipcodes.list_all():  # type: ignore[no-untyped-call]
        if (
            entry["zip_code_type"] == "STANDARD"
            and entry["lat"]
            and entry["long"]
            and f"US-{entry['state']}" in states
        ):
            anchors.append(
                (
                    float(entry["lat"]),
                    float(entry["long"]),
                    entry["city"],
                    entry["state"],
                    entry["zip_code"],
                )
            )
    return anchors


def synthetic_provider(
    number: int, rng: random.Random, states: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """One synthetic provider record in one of ``states`` (default: every US state and DC)."""
    latitude, longitude, city, state, zip_code = rng.choice(_anchors(states or _us_states()))
    latitude = max(-90.0, min(90.0, latitude + rng.uniform(-0.05, 0.05)))
    longitude = max(-180.0, min(180.0, longitude + rng.uniform(-0.05, 0.05)))
    codes = rng.sample(list(TreatmentCode), k=rng.randint(1, 3))
    treatments = []
    for code in codes:
        low, high, unit = _PRICE_RANGES[code]
        price_min = rng.randrange(low, high, 25)
        treatments.append(
            {
                "code": code.value,
                "source": "generated",
                "price": {
                    "min": price_min,
                    "max": price_min + rng.randrange(0, 300, 25),
                    "currency": "USD",
                    "unit": unit,
                    "source": "generated",
                },
            }
        )
    telehealth = TreatmentCode.AT_HOME_TELEHEALTH in codes
    return {
        "id": f"synthetic-{number:06d}",
        "name": f"{rng.choice(_WORDS)} {rng.choice(_KINDS)} {number} (synthetic)",
        "status": rng.choices(["active", "temporarily_closed", "closed"], [90, 5, 5])[0],
        "status_source": "generated",
        "illustrative": True,
        # 555-0100 to 555-0199 are reserved for fiction in every North American area code.
        "phone": f"+1{_AREA_CODES[number % len(_AREA_CODES)]}5550{100 + number % 100}",
        "phone_source": "generated",
        "locations": [
            {
                "street": f"{rng.randint(1, 9999)} Example Street",
                "city": city,
                "postal_code": zip_code,
                "region": f"US-{state}",
                "country": "US",
                "latitude": round(latitude, 5),
                "longitude": round(longitude, 5),
                "precision": "address",
                "source": "generated",
            }
        ],
        "telehealth_areas": [f"US-{state}"] if telehealth else [],
        **({"telehealth_areas_source": "generated"} if telehealth else {}),
        "treatments": treatments,
        "payment_options": sorted(
            rng.sample([o.value for o in PaymentOption], k=rng.randint(1, 3))
        ),
        "payment_options_source": "generated",
        "accepting_new_patients": rng.choice(["yes", "no", "unknown"]),
        "accepting_new_patients_source": "generated",
        "sources": [SYNTHETIC_SOURCE],
    }


def synthetic_providers(
    count: int, seed: int = 1, states: frozenset[str] = frozenset()
) -> Iterator[dict[str, Any]]:
    """``count`` synthetic providers; the same seed gives the same records."""
    rng = random.Random(seed)
    for number in range(1, count + 1):
        yield synthetic_provider(number, rng, states)


def write_synthetic_dataset(folder: Path, count: int, jurisdictions: Path, seed: int = 1) -> Path:
    """Write a synthetic dataset folder with ``count`` providers and the real jurisdictions."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "jurisdictions"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(jurisdictions, target)
    states = frozenset(path.stem for path in jurisdictions.glob("US-*.yaml"))
    if not states or not (jurisdictions / "US.yaml").exists():
        raise ValueError(f"{jurisdictions} needs US.yaml and US state files for synthetic data")
    with (folder / "providers.jsonl").open("w", encoding="utf-8") as out:
        for record in synthetic_providers(count, seed, states):
            out.write(json.dumps(record, separators=(",", ":")) + "\n")
    return folder
