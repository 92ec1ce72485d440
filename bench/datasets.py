"""The benchmark's datasets: synthetic folders from the generator, each built by ``flask build``.

The build runs as a subprocess, exactly as a maintainer runs it, so that its peak resident
memory can be read from the kernel (``wait4``'s rusage for that one child) and its time is
the build's own figure (``build_database`` reports it).
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from directory.dataset.synthetic import write_synthetic_dataset
from directory.settings import PROJECT_ROOT

BUILD_TIMEOUT_S = 1800.0
_BUILT = re.compile(r"in ([\d.]+) s \(dataset")


@dataclass(frozen=True)
class BuiltDataset:
    """A synthetic dataset and its database."""

    providers: int
    database: Path
    build_s: float
    build_wall_s: float
    file_bytes: int
    build_peak_rss_bytes: int

    def as_json(self) -> dict[str, Any]:
        """A plain dict for the results file."""
        return asdict(self) | {"database": str(self.database)}


def generate(folder: Path, count: int, seed: int = 1) -> Path:
    """Write ``count`` synthetic providers (and the real jurisdictions) into ``folder``."""
    return write_synthetic_dataset(folder, count, PROJECT_ROOT / "data" / "jurisdictions", seed)


#: A tiny parent for the build: a forked child's peak RSS starts at its parent's resident
#: size (the kernel carries it across exec), so the build must not be forked from this
#: benchmark's own large process. This parent is a bare interpreter of a few MB.
_PEAK_RSS_PARENT = """\
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(f"peak-rss-kib {usage.ru_maxrss}", flush=True)
sys.exit(os.waitstatus_to_exitcode(status))
"""
_PEAK = re.compile(r"^peak-rss-kib (\d+)$", re.MULTILINE)


def build(folder: Path, database: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """Run ``flask --app directory build``: (build seconds, wall seconds, peak RSS bytes)."""
    command = [sys.executable, "-I", "-c", _PEAK_RSS_PARENT]
    command += [sys.executable, "-m", "flask", "--app", "directory", "build"]
    command += ["--data", str(folder), "--output", str(database)]
    log = database.with_suffix(".build.log")
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
        try:
            process.wait(timeout=BUILD_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    wall = time.perf_counter() - started
    output = log.read_text(errors="replace")
    built, peak = _BUILT.search(output), _PEAK.search(output)
    if process.returncode != 0 or built is None or peak is None:
        raise RuntimeError(f"the build of {folder} failed ({process.returncode}):\n{output}")
    # Linux reports ru_maxrss in kibibytes.
    return float(built.group(1)), wall, int(peak.group(1)) * 1024


def prepare(work: Path, count: int, env: dict[str, str], seed: int = 1) -> BuiltDataset:
    """Generate and build a dataset of ``count`` providers under ``work``."""
    folder = generate(work / f"providers-{count}", count, seed)
    database = work / f"providers-{count}.db"
    database.unlink(missing_ok=True)
    build_s, wall_s, peak = build(folder, database, env)
    return BuiltDataset(
        providers=count,
        database=database,
        build_s=build_s,
        build_wall_s=round(wall_s, 3),
        file_bytes=database.stat().st_size,
        build_peak_rss_bytes=peak,
    )


def city_centres(database: Path, count: int) -> list[tuple[float, float]]:
    """The centres of the ``count`` cities with the most providers: where people search.

    A city's centre is the mean of its providers' coordinates (they are scattered around
    real ZIP code centroids), rounded to four decimals (about 10 m).
    """
    connection = sqlite3.connect(f"file:{database}?mode=ro&immutable=1", uri=True)
    try:
        rows = connection.execute(
            "SELECT avg(latitude), avg(longitude) FROM locations "
            "GROUP BY city, region ORDER BY count(*) DESC, city, region LIMIT ?",
            [count],
        ).fetchall()
    finally:
        connection.close()
    return [(round(lat, 4), round(lon, 4)) for lat, lon in rows]
