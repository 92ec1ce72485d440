"""Search benchmark: median server time of a location search, ours against a naive peer.

The peer is the design the search avoids: a bounding-box query, then geopy's geodesic for
every candidate in Python. Both run in this process on the same database and the same
places; the figures are medians over many searches, and the ratio is what to quote.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from geopy.distance import geodesic

from directory.dataset.build import build_database
from directory.dataset.synthetic import write_synthetic_dataset
from directory.db import open_readonly
from directory.search.geometry import Point, bounding_boxes
from directory.search.params import SearchParams
from directory.search.result import search
from directory.settings import PROJECT_ROOT

RADIUS_KM = 50.0


def naive_search(
    db: Any, center: Point, radius_km: float, limit: int = 20
) -> list[tuple[float, str]]:
    """Bounding box in SQL, then the geodesic for every candidate in Python."""
    box = bounding_boxes(center, radius_km)[0]
    rows = db.execute(
        "SELECT provider_id, latitude, longitude FROM locations "
        "WHERE latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?",
        [box.south, box.north, box.west, box.east],
    ).fetchall()
    scored = []
    for provider_id, latitude, longitude in rows:
        distance = geodesic((center.latitude, center.longitude), (latitude, longitude)).km
        if distance <= radius_km:
            scored.append((distance, provider_id))
    return sorted(scored)[:limit]


def _median_ms(run: Callable[[Point], object], centres: list[Point]) -> tuple[float, float]:
    timings = []
    for centre in centres:
        started = time.perf_counter()
        run(centre)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.99) - 1]


def _centres(db: Any, count: int, seed: int = 5) -> list[Point]:
    """Search centres at real provider locations (where people actually search)."""
    rows = db.execute("SELECT latitude, longitude FROM locations").fetchall()
    rng = random.Random(seed)
    return [Point(*rng.choice(rows)) for _ in range(count)]


def measure(database: Path, searches: int) -> dict[str, Any]:
    """Time ours and the naive peer on ``database``."""
    db = open_readonly(database)
    centres = _centres(db, searches)
    params = SearchParams(radius=RADIUS_KM, radius_given=True)
    ours = _median_ms(lambda c: search(db, params, center=c), centres)
    peer_centres = centres[: max(5, searches // 10)]
    peer = _median_ms(lambda c: naive_search(db, c, RADIUS_KM), peer_centres)
    providers = db.execute("SELECT count(*) FROM providers").fetchone()[0]
    db.close()
    return {
        "providers": providers,
        "ours_median_ms": round(ours[0], 3),
        "ours_p99_ms": round(ours[1], 3),
        "naive_median_ms": round(peer[0], 3),
        "speedup": round(peer[0] / ours[0], 1) if ours[0] else None,
    }


def main(argv: list[str] | None = None) -> None:
    """Build the shipped data and synthetic sets, then print the table and JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100000", help="synthetic sizes, comma-separated")
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        from directory.dataset.placing import build_time_resolver

        shipped = work / "shipped.db"
        build_database(PROJECT_ROOT / "data", shipped, resolve=build_time_resolver(work / "gaz.db"))
        rows.append({"dataset": "shipped"} | measure(shipped, args.searches))
        for size in (int(s) for s in args.sizes.split(",") if s):
            folder = write_synthetic_dataset(
                work / f"s{size}", size, PROJECT_ROOT / "data" / "jurisdictions"
            )
            target = work / f"s{size}.db"
            build_database(folder, target)
            rows.append({"dataset": f"synthetic {size:,}"} | measure(target, args.searches))
    print(
        f"{'dataset':<20}{'providers':>10}{'ours median ms':>16}{'ours p99 ms':>13}"
        f"{'naive median ms':>17}{'ratio':>8}"
    )
    for row in rows:
        print(
            f"{row['dataset']:<20}{row['providers']:>10}{row['ours_median_ms']:>16}"
            f"{row['ours_p99_ms']:>13}{row['naive_median_ms']:>17}{row['speedup']:>8}"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
