"""Take a free-text location query apart: coordinates, postcodes, street lines.

Pure string functions; the resolver decides what to look up.

>>> find_postcode("123 Main St, Austin, TX 78701-1234")
PostcodeMatch(lookups=(('US', '78701'),), shown='78701-1234', rest='123 Main St, Austin, TX')
"""

from __future__ import annotations

import re
from typing import NamedTuple

from directory.geo.normalize import normalize

_NUMBER = r"[+-]?\d{1,3}(?:\.\d+)?"
_DECIMAL = r"[+-]?\d{1,3}\.\d+"
# "30.27, -97.74" or "30.27 -97.74" (a space alone needs decimals on both).
_COORDINATES = re.compile(rf"({_NUMBER})\s*,\s*({_NUMBER})|({_DECIMAL})\s+({_DECIMAL})")
_BOUNDARY = r"(?:^|(?<=[\s,;]))"
_US = re.compile(_BOUNDARY + r"(\d{5})(?:\s*-\s*(\d{4}))?$")
_CA = re.compile(_BOUNDARY + r"([A-Z]\d[A-Z])\s?(\d[A-Z]\d)?$")
_GB = re.compile(_BOUNDARY + r"([A-Z]{1,2})(\d[A-Z\d]?)\s?(\d[A-Z]{2})$")
_GB_OUTWARD = re.compile(r"([A-Z]{1,2})(\d[A-Z\d]?)$")
_AU_NZ = re.compile(_BOUNDARY + r"(\d{4})$")
_PARTS = re.compile(r"[,;]")
_STREET_SUFFIXES = frozenset(
    {"st", "street", "ave", "av", "avenue", "rd", "road", "blvd", "boulevard", "dr", "drive"}
    | {"ln", "lane", "way", "ct", "court", "pl", "place", "pkwy", "parkway", "hwy", "highway"}
    | {"ter", "terrace", "cir", "circle", "sq", "square", "trl", "trail", "pike"}
)
_UNIT_WORDS = frozenset(
    {"suite", "ste", "unit", "apt", "apartment", "floor", "fl", "bldg", "building", "room", "rm"}
)


class PostcodeMatch(NamedTuple):
    """A postal code found at the end of a query."""

    # (country, code as the gazetteer files it), most likely first:
    # ("US", "78701"), ("CA", "M5V"), ("GB", "SW"), ("AU", "2000").
    lookups: tuple[tuple[str, str], ...]
    shown: str  # as the person wrote it, tidied: "78701-1234", "M5V 2T6"
    rest: str  # the text before it, e.g. "123 Main St, Austin, TX"


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """Return ``(latitude, longitude)`` for ``"30.27, -97.74"``, or None if not coordinates.

    Raises ValueError when the text is coordinates but out of range.
    """
    match = _COORDINATES.fullmatch(text.strip())
    if not match:
        return None
    first, second = (g for g in match.groups() if g is not None)
    latitude, longitude = float(first), float(second)
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValueError(f"Coordinates out of range: {text!r}")
    return latitude, longitude


def find_postcode(text: str) -> PostcodeMatch | None:
    """Return the postal code that ends ``text``, if there is one we can look up."""
    upper = text.strip().upper()
    if match := _US.search(upper):
        shown = match[1] + (f"-{match[2]}" if match[2] else "")
        return PostcodeMatch((("US", match[1]),), shown, _before(text, match))
    if match := _GB.search(upper):
        shown = f"{match[1]}{match[2]} {match[3]}"
        return PostcodeMatch((("GB", match[1]),), shown, _before(text, match))
    if match := _CA.search(upper):
        shown = f"{match[1]} {match[2]}" if match[2] else match[1]
        # A bare "E1W" may be a UK outward code too; FSAs never start with W or Z.
        lookups = [] if match[1].startswith(("W", "Z")) else [("CA", match[1])]
        if not match[2] and (gb := _GB_OUTWARD.fullmatch(match[1])):
            lookups.append(("GB", gb[1]))
        return PostcodeMatch(tuple(lookups), shown, _before(text, match))
    if match := _GB_OUTWARD.fullmatch(upper):
        return PostcodeMatch((("GB", match[1]),), upper, "")
    if match := _AU_NZ.search(upper):
        return PostcodeMatch((("AU", match[1]), ("NZ", match[1])), match[1], _before(text, match))
    return None


def _before(text: str, match: re.Match[str]) -> str:
    # The patterns run on a stripped, uppercased copy; offsets still line up.
    return text.strip()[: match.start()].strip(" ,;")


def split_parts(text: str) -> list[str]:
    """Split on commas and semicolons, dropping parts with no letters or digits."""
    return [part.strip() for part in _PARTS.split(text) if normalize(part)]


def looks_like_street(part: str) -> bool:
    """True for "123 Main St", "Congress Avenue" or "Suite 200"; False for "St. Louis"."""
    words = normalize(part).split()
    if not words:
        return False
    return (
        words[0].isdigit()
        or "#" in part
        or (len(words) > 1 and words[-1] in _STREET_SUFFIXES)
        or any(word in _UNIT_WORDS for word in words[1:])
        or words[0] in _UNIT_WORDS - {"ste"}
    )


def strip_street(parts: list[str]) -> list[str] | None:
    """Drop the street line from an address; None if there was no street line.

    >>> strip_street(["123 Main St", "Austin", "TX"])
    ['Austin', 'TX']
    >>> strip_street(["1600 Pennsylvania Ave Washington DC"])
    ['Washington DC']
    """
    kept = list(parts)
    while kept and looks_like_street(kept[0]):
        kept.pop(0)
    if kept and len(kept) < len(parts):
        return kept
    if len(parts) == 1 and parts[0].split()[0].isdigit():
        return _strip_inline_street(parts[0])
    return None


def _strip_inline_street(text: str) -> list[str] | None:
    # "1600 Pennsylvania Ave Washington DC": keep what follows the last
    # street word, skipping a unit number ("Suite 4").
    words = text.split()
    keys = [normalize(word) for word in words]
    ends = [i for i, key in enumerate(keys) if i > 0 and key in _STREET_SUFFIXES | _UNIT_WORDS]
    if not ends:
        return None
    start = ends[-1] + 1
    if keys[ends[-1]] in _UNIT_WORDS and start < len(words):
        start += 1
    rest = " ".join(words[start:])
    return [rest] if normalize(rest) else None
