"""What the top of a provider's page needs: how far its nearest site is from where the
visitor searched, and which facts nobody has sourced yet (shown once, as one line).

>>> origin_from("30.27,-97.74"), origin_from("91,0"), origin_from("Austin")
(Point(latitude=30.27, longitude=-97.74), None, None)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from directory.geo.query import parse_coordinates
from directory.queries.providers import ProviderDetail
from directory.search.geometry import Point, geodesic_km

#: Decimals an origin is carried with in a link: about a kilometre, never a street.
ORIGIN_DECIMALS = 2


@dataclass(frozen=True)
class NearestSite:
    """The site of a provider nearest to the visitor's search, and how far it is."""

    city: str | None
    distance_km: float
    precision: str | None


@dataclass(frozen=True)
class UnknownFact:
    """A fact no source has given yet, with the detail of the suggestion form that fills it."""

    label: str
    field: str | None


def origin_from(text: str | None) -> Point | None:
    """The point a ``from`` parameter names ("lat,lon"), or None when it names none."""
    try:
        found = parse_coordinates((text or "")[:60])
    except ValueError:  # coordinates, but out of range
        return None
    return Point(*found) if found is not None else None


def origin_text(latitude: float, longitude: float) -> str:
    """A searched point as a link carries it, rounded to about a kilometre."""
    return f"{latitude:.{ORIGIN_DECIMALS}f},{longitude:.{ORIGIN_DECIMALS}f}"


def nearest_site(locations: Iterable[Mapping[str, Any]], origin: Point) -> NearestSite | None:
    """The placed site nearest ``origin``, or None when no site is placed."""
    best: NearestSite | None = None
    for location in locations:
        latitude, longitude = location.get("latitude"), location.get("longitude")
        if latitude is None or longitude is None:
            continue
        km = geodesic_km(origin.latitude, origin.longitude, float(latitude), float(longitude))
        if best is None or km < best.distance_km:
            best = NearestSite(location.get("city"), km, location.get("precision"))
    return best


def unknown_facts(provider: ProviderDetail) -> list[UnknownFact]:
    """The facts a visitor looks for first that nobody has sourced for ``provider``."""
    facts = []
    unpriced = [t for t in provider.treatments if t.get("price_min") is None]
    if unpriced and len(unpriced) == len(provider.treatments):
        facts.append(UnknownFact("price", None))
    else:  # some priced: name the others, as their cards show no price
        facts += [UnknownFact(f"price of {t.get('label') or t['code']}", None) for t in unpriced]
    if not provider.phone:
        facts.append(UnknownFact("phone", "phone"))
    if not provider.website:
        facts.append(UnknownFact("website", "website"))
    if provider.locations and not any(loc.get("street") for loc in provider.locations):
        facts.append(UnknownFact("street address", "locations[0].street"))
    if not provider.payment_options:
        facts.append(UnknownFact("ways to pay", "payment_options"))
    if provider.accepting_new_patients == "unknown":
        facts.append(UnknownFact("whether it takes new patients", "accepting_new_patients"))
    if provider.referral_required == "unknown":
        facts.append(UnknownFact("whether a referral is needed", "screening.referral_required"))
    if not provider.screening_requirements:
        facts.append(UnknownFact("screening requirements", None))
    if not provider.quality_signals:
        facts.append(UnknownFact("quality signals", None))
    return facts
