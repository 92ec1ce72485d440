"""The peer: Datasette with datasette-cluster-map, in its own virtual environment, pinned.

Datasette serves the very database file our app serves, immutable (``-i``). The location
search is the SQL a skilled Datasette user would write against our tables, as a canned
query reached through the JSON API with ``_shape=array``: the R*Tree (with its auxiliary
coordinate columns) for the bounding box, a haversine with SQLite's math functions for
the distance, grouped by provider, the 20 nearest within 50 km.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from bench import datasette_asgi

#: Exact versions, so that a rerun measures the same peer.
PINS = (
    "datasette==0.65.5",
    "datasette-cluster-map==0.18.2",
    "datasette-leaflet==0.2.2",
    "uvicorn==0.54.0",
)
INSTALL_TIMEOUT_S = 900
RADIUS_KM = 50

NEAREST_SQL = """\
with ranked as (
  select r.id >> 16 as provider_key, r.id as location_id,
    min(2 * 6371.0088 * asin(sqrt(
      pow(sin(radians(r.min_lat - :lat) / 2), 2)
      + cos(radians(:lat)) * cos(radians(r.min_lat))
      * pow(sin(radians(r.min_lon - :lon) / 2), 2)))) as distance_km
  from locations_rtree r
  where r.min_lat >= :lat - 50 / 110.574 and r.max_lat <= :lat + 50 / 110.574
    and r.min_lon >= :lon - 50 / (111.320 * cos(radians(abs(:lat) + 50 / 110.574)))
    and r.max_lon <= :lon + 50 / (111.320 * cos(radians(abs(:lat) + 50 / 110.574)))
  group by provider_key
  having distance_km <= 50
  order by distance_km
  limit 20
)
select p.id, p.name, p.status, l.city, l.latitude, l.longitude,
  round(ranked.distance_km, 3) as distance_km
from ranked
  join providers p on p.key = ranked.provider_key
  join locations l on l.id = ranked.location_id
order by ranked.distance_km
"""


def ensure_venv(folder: Path) -> Path:
    """Make ``folder`` a virtual environment holding the pinned Datasette; returns ``folder``."""
    python = folder / "bin" / "python"
    stamp = folder / ".pins"
    wanted = "\n".join(PINS)
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    print(f"installing {', '.join(PINS)} into {folder}", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, timeout=300)
    log = folder / "install.log"
    with log.open("wb") as out:
        done = subprocess.run(
            [str(python), "-m", "pip", "install", "--disable-pip-version-check", *PINS],
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=INSTALL_TIMEOUT_S,
        )
    if done.returncode != 0:
        raise RuntimeError(f"installing Datasette failed; see {log}")
    stamp.write_text(wanted)
    return folder


def database_name(database: Path) -> str:
    """The name Datasette gives a database file (its stem)."""
    return database.stem


def write_metadata(database: Path, target: Path) -> Path:
    """Datasette metadata with the canned ``nearest`` query for ``database``."""
    metadata = {"databases": {database_name(database): {"queries": {"nearest": NEAREST_SQL}}}}
    target.write_text(json.dumps(metadata, indent=2), encoding="utf-8")
    return target


def install_launcher(folder: Path) -> Path:
    """Copy :mod:`datasette_asgi` on its own into ``folder`` (uvicorn's ``--app-dir``)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(datasette_asgi.__file__, folder / "datasette_asgi.py")
    return folder


def default_command(venv: Path, database: Path, metadata: Path, port: int) -> list[str]:
    """``datasette serve -i``: Datasette's own defaults, one process."""
    datasette = str(venv / "bin" / "datasette")
    return [datasette, "serve", "-i", str(database), "-m", str(metadata), *_bind(port)]


def workers_command(venv: Path, app_dir: Path, port: int, workers: int) -> list[str]:
    """Datasette in ``workers`` uvicorn processes, TCP_NODELAY as in single-process mode."""
    launcher = str(app_dir / "datasette_asgi.py")
    return [str(venv / "bin" / "python"), launcher, "--port", str(port), "--workers", str(workers)]


def stock_workers_command(venv: Path, app_dir: Path, port: int, workers: int) -> list[str]:
    """``uvicorn --workers N`` on Datasette's ASGI app, as shipped (TCP_NODELAY off)."""
    uvicorn = str(venv / "bin" / "uvicorn")
    options = ["--workers", str(workers), "--factory", "--app-dir", str(app_dir)]
    return [uvicorn, *options, "--host", "127.0.0.1", "--port", str(port), datasette_asgi.APP]


def launcher_env(database: Path, metadata: Path) -> dict[str, str]:
    """What :mod:`datasette_asgi` reads to find the database and its canned queries."""
    return {datasette_asgi.DB_ENV: str(database), datasette_asgi.METADATA_ENV: str(metadata)}


def _bind(port: int) -> list[str]:
    return ["-h", "127.0.0.1", "-p", str(port)]


def search_path(database: Path, latitude: float, longitude: float) -> str:
    """The canned query's JSON URL for one point."""
    name = database_name(database)
    return f"/{name}/nearest.json?lat={latitude}&lon={longitude}&_shape=array"


def map_pages(database: Path) -> dict[str, tuple[str, int]]:
    """Cluster-map pages over the providers, with how many points each must draw.

    ``lean``: the R*Tree's coordinates of every open, listed provider (exactly the points
    our map draws), and no other column. ``table``: the plain ``locations`` table page,
    every column and every location, as a new user would first open it.
    """
    name = database_name(database)
    connection = sqlite3.connect(f"file:{database}?mode=ro&immutable=1", uri=True)
    try:
        open_count = connection.execute("SELECT count(*) FROM locations_rtree WHERE closed = 0")
        lean = int(open_count.fetchone()[0])
        every = int(connection.execute("SELECT count(*) FROM locations").fetchone()[0])
    finally:
        connection.close()
    return {
        "lean": (f"/{name}/locations_rtree?_where=closed%3D0&_col=latitude&_col=longitude", lean),
        "table": (f"/{name}/locations", every),
    }
