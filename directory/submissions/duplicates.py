"""Possible duplicates of a proposed new provider: same name, same phone, or a site nearby.

>>> name_key("The Harbor Ketamine Clinic, LLC")
'harborketamine'
>>> phone_key("+1 (512) 555-0100") == phone_key("512.555.0100")
True
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from directory.dataset.build import PointResolver
from directory.dataset.loader import read_raw_yaml

NEARBY_KM = 1.5
_FILLER = frozenset({"the", "llc", "inc", "ltd", "pllc", "pc", "clinic", "centre", "center", "and"})
Point = tuple[float, float]


@dataclass
class Duplicate:
    """An existing record that may be the same provider, and why."""

    id: str
    name: str
    reasons: list[str] = field(default_factory=list)


def name_key(name: str) -> str:
    """A provider name reduced for comparison: accents, case, punctuation and filler dropped."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_name)
    return "".join(word for word in words if word not in _FILLER)


def phone_key(phone: str | None) -> str:
    """The last ten digits of a phone number ('' when it has fewer than seven)."""
    digits = re.sub(r"\D", "", phone or "")
    return digits[-10:] if len(digits) >= 7 else ""


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _points(record: Mapping[str, Any], resolve: PointResolver | None) -> Iterator[Point]:
    for location in record.get("locations") or []:
        if not isinstance(location, Mapping):
            continue
        lat, lon = location.get("latitude"), location.get("longitude")
        if isinstance(lat, int | float) and isinstance(lon, int | float):
            yield (float(lat), float(lon))
        elif resolve is not None and location.get("city") and location.get("country"):
            postal = location.get("postal_code")
            found = resolve(
                str(location["city"]),
                None if postal is None else str(postal),
                location.get("region"),
                str(location["country"]),
            )
            if found is not None:
                yield (found[0], found[1])


def _postcodes(record: Mapping[str, Any]) -> set[tuple[str, str]]:
    codes = set()
    for location in record.get("locations") or []:
        if isinstance(location, Mapping) and location.get("postal_code"):
            code = re.sub(r"\s", "", str(location["postal_code"])).upper()
            codes.add((str(location.get("country", "")), code))
    return codes


def existing_records(providers_dir: Path) -> Iterator[dict[str, Any]]:
    """Every provider file that parses, as plain data (invalid files are skipped)."""
    for path in sorted(providers_dir.glob("*.yaml")):
        try:
            yield read_raw_yaml(path)
        except (ValueError, OSError, yaml.YAMLError):
            continue  # a broken file is reported by validation, not here


def find_duplicates(
    record: Mapping[str, Any],
    existing: Iterable[Mapping[str, Any]],
    resolve: PointResolver | None = None,
) -> list[Duplicate]:
    """Existing records that share ``record``'s name or phone, or have a site near one of its."""
    key = name_key(str(record.get("name", "")))
    phone = phone_key(record.get("phone"))
    points = list(_points(record, resolve))
    postcodes = _postcodes(record)
    found = []
    for other in existing:
        if other.get("id") == record.get("id") and record.get("id") is not None:
            reasons = ["same id"]
        else:
            reasons = []
        other_key = name_key(str(other.get("name", "")))
        if key and other_key and (key == other_key or (len(key) >= 6 and key in other_key)):
            reasons.append("same name")
        if phone and phone == phone_key(other.get("phone")):
            reasons.append("same phone")
        if postcodes & _postcodes(other):
            reasons.append("same postal code")
        elif points and any(
            distance_km(a, b) <= NEARBY_KM for a in points for b in _points(other, resolve)
        ):
            reasons.append(f"a site within {NEARBY_KM:g} km")
        if reasons:
            found.append(Duplicate(str(other.get("id", "")), str(other.get("name", "")), reasons))
    return found
