"""Placing dataset locations on the map at build time, from the offline gazetteer only."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from directory.dataset.build import PointResolver

if TYPE_CHECKING:
    from directory.geo.gazetteer import Gazetteer


def build_time_resolver(gazetteer_path: Path) -> PointResolver:
    """A resolver backed by the offline gazetteer at ``gazetteer_path``.

    The gazetteer is opened (and built, if missing) only when a location without
    coordinates needs it, so datasets with coordinates never pay for it.
    """

    @cache
    def gazetteer() -> Gazetteer:
        from directory.geo.gazetteer import Gazetteer, ensure_gazetteer

        return Gazetteer(ensure_gazetteer(gazetteer_path))

    def resolve(
        city: str, postal_code: str | None, region: str | None, country: str
    ) -> tuple[float, float, str] | None:
        from directory.geo.offline import resolve_address

        point = resolve_address(city, postal_code, region, country, gazetteer=gazetteer())
        if point is None:
            return None
        return point.latitude, point.longitude, point.precision

    return resolve
