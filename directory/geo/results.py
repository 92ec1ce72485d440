"""The one result shape every geocoder here returns, and its geopy ``Location`` form.

``Location.raw`` is always a :class:`RawResult` dict, whichever geocoder
answered, so callers never branch on the backend.

``fallback`` and ``label`` may quote what the person typed; escape them when
rendering (Jinja does by default).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypedDict, cast

from geopy.location import Location
from geopy.point import Point

from directory.geo.gazetteer import Place

#: How exact a result is, from most to least precise. Only Nominatim answers
#: with ``"address"``.
Precision = Literal["coordinates", "address", "postal_code", "city", "region", "country"]


class AlternativeRaw(TypedDict):
    """Another place the query could have meant."""

    label: str
    latitude: float
    longitude: float
    country: str | None
    region: str | None
    precision: Precision


class RawResult(TypedDict):
    """What ``Location.raw`` holds."""

    label: str
    latitude: float
    longitude: float
    country: str | None  # ISO 3166-1 alpha-2
    region: str | None  # ISO 3166-2, e.g. "US-TX"
    precision: Precision
    fallback: str | None  # a sentence saying what we used instead, or None
    alternatives: list[AlternativeRaw]
    source: str  # "offline" or "nominatim"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place in the ``alternatives`` list."""

    label: str
    latitude: float
    longitude: float
    country: str | None
    region: str | None
    precision: Precision

    @classmethod
    def from_place(cls, place: Place | Candidate) -> Candidate:
        """Describe a gazetteer place as an alternative."""
        return cls(*_where(place))


def _where(place: Place | Candidate) -> tuple[str, float, float, str | None, str | None, Any]:
    """A place's label, coordinates, country, region and precision, in that order."""
    return (
        place.label,
        place.latitude,
        place.longitude,
        place.country,
        place.region,
        place.precision,
    )


@dataclass(frozen=True, slots=True)
class GeocodeResult:
    """A resolved query: where, how precisely, and what else it might have meant."""

    label: str
    latitude: float
    longitude: float
    country: str | None
    region: str | None
    precision: Precision
    fallback: str | None = None
    alternatives: tuple[Candidate, ...] = ()
    source: str = "offline"

    @classmethod
    def from_place(
        cls, place: Place, alternatives: tuple[Place, ...] = (), fallback: str | None = None
    ) -> GeocodeResult:
        """Build a result from the gazetteer's best match and its runners-up."""
        # Two places with one label ("Berlin, DE" the city and the state) read as one.
        seen = {place.label}
        others: list[Candidate] = []
        for other in alternatives:
            if other.label not in seen:
                seen.add(other.label)
                others.append(Candidate.from_place(other))
        return cls(*_where(place), fallback, tuple(others))

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> GeocodeResult:
        """Rebuild a result from :meth:`raw` output (e.g. read back from a cache)."""
        alternatives = tuple(Candidate(**alt) for alt in raw.get("alternatives", ()))
        return cls(
            raw["label"],
            float(raw["latitude"]),
            float(raw["longitude"]),
            raw["country"],
            raw["region"],
            raw["precision"],
            raw.get("fallback"),
            alternatives,
            raw.get("source", "offline"),
        )

    def raw(self) -> RawResult:
        """Return the plain dict stored in ``Location.raw``."""
        alternatives = [
            cast(
                AlternativeRaw,
                {name: getattr(alt, name) for name in AlternativeRaw.__annotations__},
            )
            for alt in self.alternatives
        ]
        return RawResult(
            label=self.label,
            latitude=self.latitude,
            longitude=self.longitude,
            country=self.country,
            region=self.region,
            precision=self.precision,
            fallback=self.fallback,
            alternatives=alternatives,
            source=self.source,
        )

    def to_location(self) -> Location:
        """Return this result as a geopy ``Location``."""
        return Location(self.label, Point(self.latitude, self.longitude), self.raw())

    def to_locations(self) -> list[Location]:
        """Return this result followed by each alternative, for ``exactly_one=False``."""
        others = [
            GeocodeResult(*_where(a), source=self.source).to_location() for a in self.alternatives
        ]
        return [self.to_location(), *others]
