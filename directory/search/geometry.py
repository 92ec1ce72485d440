"""Distances on the Earth, and the boxes around and inside a search circle.

Pure functions: the great-circle (haversine) distance as the search's SQL computes it, its
inner term ``a`` (``d = 2 R asin(sqrt(a))``), the WGS-84 geodesic (geopy's algorithm), and the
margins between the two that every comparison near a radius allows for.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from geographiclib.geodesic import Geodesic

_WGS84 = Geodesic.WGS84
EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_SPHERE = EARTH_RADIUS_KM * math.pi / 180
# Haversine on a sphere and the WGS-84 geodesic differ by at most about 0.56 %.
EDGE_MARGIN = 0.0056
KM_PER_DEGREE_LAT = 110.574
# The R*Tree keeps coordinates as 32-bit floats, rounded outward: within 2 m of the stored
# value. Ranking on them is exact up to this slack, which every comparison allows for.
ABSOLUTE_SLACK_KM = 0.005

#: Inner boxes are drawn only where the circle is small and far from the poles, where the
#: haversine over a latitude/longitude box is largest at its corners.
INNER_BOX_MAX_KM = 1000.0
INNER_BOX_MAX_LATITUDE = 70.0
# The cross of two boxes inside a circle that covers most of it (79 %): the boxes' corners
# at these angles from the east, where tan(2 * angle) = 2.
_CROSS_ANGLES = (math.atan(2) / 2, math.pi / 2 - math.atan(2) / 2)


@dataclass(frozen=True)
class BBox:
    """A box in degrees; ``west > east`` means it crosses the antimeridian."""

    west: float
    south: float
    east: float
    north: float

    def as_param(self) -> str:
        """The box as ``minLon,minLat,maxLon,maxLat``."""
        return ",".join(f"{v:.6f}".rstrip("0").rstrip(".") for v in self.as_tuple())

    def as_tuple(self) -> tuple[float, float, float, float]:
        """(west, south, east, north)."""
        return (self.west, self.south, self.east, self.north)


def split_bbox(box: BBox) -> list[BBox]:
    """A box that crosses the antimeridian as two that don't."""
    if box.west <= box.east:
        return [box]
    return [
        BBox(box.west, box.south, 180.0, box.north),
        BBox(-180.0, box.south, box.east, box.north),
    ]


@dataclass(frozen=True)
class Point:
    """A place on Earth in degrees."""

    latitude: float
    longitude: float


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance, as ``directory.search.nearby.HAVERSINE_SQL`` computes it.

    >>> round(haversine_km(0, 0, 0, 1), 3)
    111.195
    """
    dlat, dlon = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    h = (
        math.sin(dlat / 2) ** 2
        + math.cos(math.radians(lat1)) * math.cos(math.radians(lat2)) * math.sin(dlon / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


@lru_cache(maxsize=65_536)
def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The WGS-84 geodesic distance (geopy's algorithm, Karney's), cached: searches repeat."""
    return float(_WGS84.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE)["s12"]) / 1000.0


def bounding_boxes(center: Point, radius_km: float) -> list[BBox]:
    """Boxes (one, or two across the antimeridian) that contain the search circle."""
    dlat = radius_km / KM_PER_DEGREE_LAT * (1 + EDGE_MARGIN)
    south, north = center.latitude - dlat, center.latitude + dlat
    if south <= -90 or north >= 90:
        return [BBox(-180.0, max(south, -90.0), 180.0, min(north, 90.0))]
    widest = max(abs(south), abs(north))
    km_per_degree_lon = 111.320 * math.cos(math.radians(widest))
    dlon = radius_km / km_per_degree_lon * (1 + EDGE_MARGIN)
    if dlon >= 180:
        return [BBox(-180.0, south, 180.0, north)]
    west, east = center.longitude - dlon, center.longitude + dlon
    if west < -180:
        return [BBox(west + 360, south, 180.0, north), BBox(-180.0, south, east, north)]
    if east > 180:
        return [BBox(west, south, 180.0, north), BBox(-180.0, south, east - 360, north)]
    return [BBox(west, south, east, north)]


def inner_boxes(center: Point, radius_km: float) -> list[BBox]:
    """Two boxes (a cross) whose every point is within ``radius_km`` by haversine.

    Empty where the shortcut is not sure to hold (large circles, near the poles, across the
    antimeridian). Every corner is checked with :func:`haversine_km`, with room to spare for
    SQLite's own rounding.

    >>> [round(b.north - b.south, 3) for b in inner_boxes(Point(0.0, 0.0), 10.0)]
    [0.094, 0.151]
    """
    if radius_km > INNER_BOX_MAX_KM or abs(center.latitude) > INNER_BOX_MAX_LATITUDE:
        return []
    boxes = []
    for angle in _CROSS_ANGLES:
        dlat = radius_km * math.sin(angle) / KM_PER_DEGREE_SPHERE
        nearest_equator = max(0.0, abs(center.latitude) - dlat)
        dlon = (
            radius_km
            * math.cos(angle)
            / (KM_PER_DEGREE_SPHERE * math.cos(math.radians(nearest_equator)))
        )
        box = _shrunk_inside(center, radius_km, dlat, dlon)
        if box is None or box.west < -180 or box.east > 180:
            return []
        boxes.append(box)
    return boxes


def _shrunk_inside(center: Point, radius_km: float, dlat: float, dlon: float) -> BBox | None:
    for _ in range(20):
        corners = [
            haversine_km(
                center.latitude,
                center.longitude,
                center.latitude + sy * dlat,
                center.longitude + sx * dlon,
            )
            for sy in (-1, 1)
            for sx in (-1, 1)
        ]
        if max(corners) <= radius_km * (1 - 1e-6):
            return BBox(
                center.longitude - dlon,
                center.latitude - dlat,
                center.longitude + dlon,
                center.latitude + dlat,
            )
        dlat, dlon = dlat * 0.99, dlon * 0.99
    return None


def km_to_a(km: float) -> float:
    """The haversine term ``a`` of a distance: ``sin(d / 2R) ** 2``."""
    return math.sin(min(km, math.pi * EARTH_RADIUS_KM) / (2 * EARTH_RADIUS_KM)) ** 2


def a_to_km(a: float) -> float:
    """The distance of a haversine term ``a``.

    >>> round(a_to_km(km_to_a(50.0)), 9)
    50.0
    """
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, max(0.0, a))))


def outer_km(radius_km: float) -> float:
    """Beyond this haversine distance a location is surely outside the radius."""
    return radius_km / (1 - EDGE_MARGIN) + ABSOLUTE_SLACK_KM


def inner_km(radius_km: float) -> float:
    """Within this haversine distance a location is surely inside the radius."""
    return radius_km / (1 + EDGE_MARGIN) - ABSOLUTE_SLACK_KM
