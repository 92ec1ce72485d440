"""The open, single-location providers' points in memory, measured a box at a time.

SQLite answers a search from the R*Tree one candidate row at a time; at 100,000 providers a
dense city still has hundreds of candidates per search, and counting them was a quarter of a
worker's time. This index holds the same points, with the R*Tree node's own 32-bit
coordinates (so every distance is the one SQLite computes, but for the last bit of rounding),
as numpy arrays sorted into latitude bands and by longitude within a band. A box of
candidates is a few slices, and the haversine of all of them one vector expression.

It answers for open providers with one location and no filters: the common search.
:mod:`directory.search.nearby` asks SQLite for the rest (other filters, closed providers, providers
with several locations), and the tests check that both give the same answers.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from directory.search.geometry import BBox

#: Height of a latitude band in degrees: a search box spans a few.
BAND_DEGREES = 0.25
#: Spacing of bands in :attr:`PointIndex.order_key` (longitudes span 360).
BAND_KEY = 1000.0
#: Slack on the order key's slice bounds (its rounding is about 1e-10); rows are then
#: tested exactly.
KEY_SLACK = 1e-6
#: How many databases' indexes a worker keeps (a rebuilt file is a new database).
KEPT = 2

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class PointIndex:
    """Points sorted by (latitude band, longitude)."""

    #: band * BAND_KEY + (min_lon + 180), ascending: a box's rows in a band are one slice.
    order_key: Floats
    min_lat: Floats
    max_lat: Floats
    min_lon: Floats
    max_lon: Floats
    cos_lat: Floats
    ids: Ints

    @classmethod
    def load(cls, db: sqlite3.Connection, tree: str, shared_flag: int) -> PointIndex:
        """The points of ``tree`` whose id has no ``shared_flag``."""
        cursor = db.cursor()
        cursor.row_factory = None
        rows = cursor.execute(
            f"SELECT id, min_lat, max_lat, min_lon, max_lon FROM {tree} "
            f"WHERE (id & {shared_flag}) = 0"
        ).fetchall()
        table = np.array(rows, dtype=np.float64).reshape(-1, 5)  # ids < 2**53: exact
        ids, coordinates = table[:, 0].astype(np.int64), table[:, 1:]
        bands = np.floor(coordinates[:, 0] / BAND_DEGREES).astype(np.int64)
        order = np.lexsort((coordinates[:, 2], bands))
        bands, coordinates, ids = bands[order], coordinates[order], ids[order]
        return cls(
            order_key=bands * BAND_KEY + (coordinates[:, 2] + 180.0),
            min_lat=coordinates[:, 0].copy(),
            max_lat=coordinates[:, 1].copy(),
            min_lon=coordinates[:, 2].copy(),
            max_lon=coordinates[:, 3].copy(),
            cos_lat=np.cos(coordinates[:, 0] * (math.pi / 180)),
            ids=ids,
        )

    def __len__(self) -> int:
        return len(self.ids)

    def in_boxes(self, boxes: Sequence[BBox]) -> Ints:
        """Rows inside any of ``boxes``, as the R*Tree's box test decides it."""
        pieces: list[Ints] = []
        for box in boxes:
            bands = np.arange(
                math.floor(box.south / BAND_DEGREES), math.floor(box.north / BAND_DEGREES) + 1
            )
            base = bands * BAND_KEY + 180.0
            starts = np.searchsorted(self.order_key, base + (box.west - KEY_SLACK), side="left")
            stops = np.searchsorted(self.order_key, base + (box.east + KEY_SLACK), side="right")
            lengths = stops - starts
            total = int(lengths.sum())
            if total == 0:
                continue
            # the slices' rows, end to end: each slice's offset repeated over its length
            offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
            rows = np.arange(total, dtype=np.int64) + offsets
            inside = (
                (self.min_lat[rows] >= box.south)
                & (self.max_lat[rows] <= box.north)
                & (self.min_lon[rows] >= box.west)
                & (self.max_lon[rows] <= box.east)
            )
            pieces.append(rows[inside])
        if not pieces:
            return np.empty(0, dtype=np.int64)
        return pieces[0] if len(pieces) == 1 else np.unique(np.concatenate(pieces))

    def terms(self, rows: Ints, latitude: float, longitude: float) -> Floats:
        """The haversine term ``a`` of ``rows`` from a point, as SQLite computes it."""
        half = math.pi / 360
        dlat = np.sin((self.min_lat[rows] - latitude) * half)
        dlon = np.sin((self.min_lon[rows] - longitude) * half)
        coslat = math.cos(math.radians(latitude))
        terms: Floats = dlat * dlat + coslat * self.cos_lat[rows] * (dlon * dlon)
        return terms


_lock = threading.Lock()
_kept: OrderedDict[int, tuple[sqlite3.Connection, dict[str, PointIndex]]] = OrderedDict()


def index_for(db: sqlite3.Connection, tree: str, shared_flag: int) -> PointIndex:
    """The index of ``tree`` in ``db``'s file, built on first use and kept with it.

    Keyed by the connection (held, so its identity is not reused): the database module opens
    a new connection when the file is rebuilt, and with it a new index.
    """
    with _lock:
        entry = _kept.get(id(db))
        if entry is not None and entry[0] is db and tree in entry[1]:
            _kept.move_to_end(id(db))
            return entry[1][tree]
    index = PointIndex.load(db, tree, shared_flag)
    with _lock:
        entry = _kept.get(id(db))
        if entry is None or entry[0] is not db:
            entry = _kept[id(db)] = (db, {})
        entry[1][tree] = index
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return index
