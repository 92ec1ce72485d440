"""Turn a free-text query into the best gazetteer match, offline.

Order of attempts: coordinates, then a trailing postcode, then the place name
with any ", qualifier" parts ("London, ON", "Austin, TX, USA", "Sydney NSW"),
then the same without a leading street line. When we settle for something
coarser than asked, ``fallback`` says so in a sentence.
"""

from __future__ import annotations

from dataclasses import replace

from directory.geo.gazetteer import Gazetteer, Place
from directory.geo.normalize import clean_query, normalize
from directory.geo.query import (
    PostcodeMatch,
    find_postcode,
    looks_like_street,
    parse_coordinates,
    split_parts,
    strip_street,
)
from directory.geo.results import GeocodeResult

MAX_ALTERNATIVES = 5
#: Alternatives ranked below this share of the best match are noise ("Cañada" for "Canada").
ALTERNATIVE_SHARE = 0.01
#: (country, region or None): where a qualifier such as "ON" or "UK" points.
Constraint = tuple[str, str | None]
_LEVEL = {"city": "the city", "region": "the region", "country": "the country"}


class Resolver:
    """Resolve queries against a :class:`Gazetteer`; see the module docstring."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def resolve(self, query: object) -> GeocodeResult | None:
        """Return the most likely place for ``query``, or None if nothing fits."""
        text = clean_query(query)
        if text is None or not normalize(text):
            return None
        try:
            point = parse_coordinates(text)
        except ValueError:
            return None
        if point:
            return self._by_coordinates(*point)
        postcode = find_postcode(text)
        if postcode:
            return self._by_postcode(postcode)
        return self._by_name(split_parts(text))

    def _by_coordinates(self, latitude: float, longitude: float) -> GeocodeResult:
        """A point: its country and region from the nearest city we know (so the rules and
        crisis lines of the country concerned apply), labelled to a few hundred metres."""
        label = f"{latitude:.3f}, {longitude:.3f}"
        city = self.gazetteer.nearest_city(latitude, longitude)
        if city is None:
            return GeocodeResult(label, latitude, longitude, None, None, "coordinates")
        return GeocodeResult(
            f"{label} (near {city.label})",
            latitude,
            longitude,
            city.country,
            city.region,
            "coordinates",
        )

    def qualifier(self, text: str) -> list[Constraint]:
        """Return where a qualifier such as "TX", "Ontario" or "UK" points; regions first."""
        places = self.gazetteer.find_places(
            text, kinds=("region", "country"), include_codes=True, limit=10
        )
        places.sort(key=lambda p: p.precision != "region")  # stable: keeps the ranking
        return [(p.country, p.region if p.precision == "region" else None) for p in places]

    def city_in(self, name: str, constraints: list[Constraint]) -> list[Place]:
        """Return places called ``name`` within any of ``constraints``, in order.

        Cities come first ("Wellington, NZ" is the city), regions only when no
        city matches ("Ontario, Canada").
        """
        for kind in ("city", "region"):
            found: list[Place] = []
            for country, region in constraints:
                for place in self.gazetteer.find_places(
                    name,
                    country=country,
                    region=region,
                    kinds=(kind,),
                    limit=MAX_ALTERNATIVES + 1,
                    min_share=ALTERNATIVE_SHARE,
                ):
                    if place not in found:
                        found.append(place)
            if found:
                return found
        return []

    def _by_postcode(self, postcode: PostcodeMatch) -> GeocodeResult | None:
        parts = split_parts(postcode.rest)
        places = self._postcode_places(postcode, parts)
        street = any(looks_like_street(part) for part in parts)
        if not places:
            found = self._by_name(parts) if parts else None
            if found is None:
                return None
            failed = "match the street address or find" if street else "find"
            return _with_fallback(
                found,
                f"We could not {failed} the postcode {postcode.shown}, so we used {found.label}.",
            )
        best = places[0]
        area_only = best.postal_code != "".join(postcode.shown.split()) and best.country == "GB"
        note: str | None = None
        if area_only:
            unmatched = "the street address or the full postcode" if street else "the full postcode"
            note = (
                f"We could not match {unmatched}, so we used the postcode area "
                f"{best.postal_code} ({best.name})."
            )
        elif street:
            note = (
                f"We could not match the street address, so we used the postcode {postcode.shown}."
            )
        return GeocodeResult.from_place(best, tuple(places[1 : MAX_ALTERNATIVES + 1]), note)

    def _postcode_places(self, postcode: PostcodeMatch, parts: list[str]) -> list[Place]:
        lookups = list(postcode.lookups)
        if len(lookups) > 1 and (hint := self._country_hint(parts)):
            lookups.sort(key=lambda lookup: lookup[0] != hint)
        places: list[Place] = []
        for country, code in lookups:
            places += self.gazetteer.find_postal_code(code, country=country)
        return places

    def _country_hint(self, parts: list[str]) -> str | None:
        for part in reversed(parts):
            if constraints := self.qualifier(part):
                return constraints[0][0]
        found = self._by_name(parts)
        return found.country if found else None

    def _by_name(self, parts: list[str]) -> GeocodeResult | None:
        if not parts:
            return None
        found = self._match_parts(parts)
        if found is None and (stripped := strip_street(parts)):
            found = self._match_parts(stripped)
            if found is not None:
                note = (
                    "We could not match the street address, so we used "
                    f"{_LEVEL.get(found.precision, 'the place')} {found.label}."
                )
                return _with_fallback(found, note)
        return found

    def _match_parts(self, parts: list[str]) -> GeocodeResult | None:
        head, qualifiers = parts[0], parts[1:]
        if not self.gazetteer.find_places(head, limit=1):
            # "Austin TX, USA" is "Austin" qualified by "TX" and "USA".
            head, peeled = self._peel_qualifiers(head)
            qualifiers = peeled + qualifiers
        if not qualifiers:
            return self._match_single(head)
        constraints = self._constraints(qualifiers)
        if constraints is None:
            found = self._match_single(head)
            shown = ", ".join(qualifiers)
            note = f"We did not recognise “{shown}”, so we matched {head} on its own."
            return _with_fallback(found, note) if found else None
        places = self.city_in(head, constraints)
        if places:
            return GeocodeResult.from_place(places[0], tuple(places[1 : MAX_ALTERNATIVES + 1]))
        found = self._match_single(head)
        if found is None:
            return None
        shown = ", ".join(qualifiers)
        return _with_fallback(
            found, f"We could not find {head} in {shown}, so we used {found.label}."
        )

    def _match_single(self, text: str) -> GeocodeResult | None:
        places = self.gazetteer.find_places(
            text, limit=MAX_ALTERNATIVES + 1, min_share=ALTERNATIVE_SHARE
        )
        if places:
            return GeocodeResult.from_place(places[0], tuple(places[1:]))
        head, qualifiers = self._peel_qualifiers(text)
        return self._match_parts([head, *qualifiers]) if qualifiers else None

    def _peel_qualifiers(self, text: str) -> tuple[str, list[str]]:
        """Split "Sydney New South Wales AU" into ("Sydney", ["New South Wales", "AU"])."""
        words, qualifiers = text.split(), list[str]()
        while len(words) > 1:
            for size in range(min(3, len(words) - 1), 0, -1):  # longest first: "West Virginia"
                tail = " ".join(words[-size:])
                if self.qualifier(tail):
                    qualifiers.insert(0, tail)
                    words = words[:-size]
                    break
            else:
                break
        return " ".join(words), qualifiers

    def _constraints(self, qualifiers: list[str]) -> list[Constraint] | None:
        """Intersect what each qualifier allows; None if none is recognised."""
        recognised = [found for found in map(self.qualifier, qualifiers) if found]
        if not recognised:
            return None
        combined = recognised[0]
        for options in recognised[1:]:
            combined = [
                (country, region or other_region)
                for country, region in combined
                for other_country, other_region in options
                if country == other_country
                and (region is None or other_region is None or region == other_region)
            ]
        return list(dict.fromkeys(combined))


def _with_fallback(result: GeocodeResult, note: str) -> GeocodeResult:
    """Return ``result`` carrying ``note`` as its fallback sentence."""
    return replace(result, fallback=note)
