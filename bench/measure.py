"""One server, measured the same way whoever it is: cold, warm, under load, and its memory.

For every server (ours, the bare Flask app, each way of running Datasette) the sequence is:
launch; the first request as soon as the port accepts (cold); one pass over every search
URL (checking each answers 200); the median of sequential repeats of the first URL
(warm); wrk over all URLs in rotation; wrk on the first URL alone; wrk with one
connection (the server time per request, plus loopback); the workers' peak RSS; stop.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

from bench.contention import measured, wait_for_quiet
from bench.load import run_wrk
from bench.servers import (
    first_answer,
    free_port,
    peak_memory,
    request_ms,
    running,
    warm_ms,
)
from directory.settings import PROJECT_ROOT

GUNICORN_CONF = PROJECT_ROOT / "directory" / "deploy" / "gunicorn_conf.py"
OUR_APP = "directory:create_app()"
WORKERS = 2


@dataclass(frozen=True)
class Plan:
    """How hard and how long to load each server."""

    connections: int = 16
    duration_s: float = 10.0
    threads: int = 2
    warm_repeats: int = 20
    single_url: bool = True
    one_connection: bool = True
    wrk: str = "wrk"
    #: Wait up to this long for the machine to be idle before each server (0: don't).
    quiet_timeout_s: float = 0.0
    #: Repeat a load run this many times at most while other work disturbs it.
    retries: int = 0

    def as_json(self) -> dict[str, Any]:
        """A plain dict for the results file."""
        return asdict(self)


def gunicorn_command(wsgi_app: str, port: int) -> list[str]:
    """Our deployment: gunicorn with ./scripts/serve's settings (two sync workers)."""
    config = ["--config", str(GUNICORN_CONF), "--bind", f"127.0.0.1:{port}"]
    return [sys.executable, "-m", "gunicorn", *config, wsgi_app]


def our_env(database: Path, gazetteer: Path) -> dict[str, str]:
    """The environment our app is served with: this database, this gazetteer, two workers."""
    return dict(os.environ) | {
        "DIRECTORY_DATABASE": str(database),
        "DIRECTORY_GAZETTEER": str(gazetteer),
        "WEB_CONCURRENCY": str(WORKERS),
    }


def our_search_path(latitude: float, longitude: float) -> str:
    """Our API's search for the 20 nearest within 50 km of a point."""
    return f"/api/providers?near={latitude},{longitude}&radius=50&per_page=20"


def measure_server(
    command_for_port: Callable[[int], Sequence[str]],
    env: Mapping[str, str],
    log: Path,
    paths: Sequence[str],
    plan: Plan,
) -> dict[str, Any]:
    """Launch ``command_for_port(port)`` and measure it on ``paths`` (see the module doc)."""
    quiet = wait_for_quiet(plan.quiet_timeout_s)
    port = free_port()
    command = list(command_for_port(port))
    loadavg = os.getloadavg()
    with running(command, env, log, port) as started:
        cold = first_answer(started, paths[0])
        sizes = []
        for path in paths:
            _, status, size = request_ms(started.base_url, path)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}; see {log}")
            sizes.append(size)
        warm = warm_ms(started.base_url, paths[0], plan.warm_repeats)
        group, base, seconds = started.process.pid, started.base_url, plan.duration_s
        plans = {"rotating": (list(paths), plan.connections, plan.threads)}
        if plan.single_url:
            plans["single_url"] = ([paths[0]], plan.connections, plan.threads)
        if plan.one_connection:
            plans["one_connection"] = (list(paths), 1, 1)
        runs: dict[str, dict[str, Any]] = {}
        for name, (urls, connections, threads) in plans.items():
            result, contended = measured(
                partial(run_wrk, base, urls, connections, seconds, threads, plan.wrk),
                group,
                plan.retries,
            )
            runs[name] = result.as_json() | contended
        memory = peak_memory(started)
    return {
        "command": command,
        "cold": cold,
        "warm_ms": warm,
        "mean_response_bytes": round(sum(sizes) / len(sizes)),
        "load": runs,
        "memory": memory,
        "loadavg_before": [round(value, 2) for value in loadavg],
    } | quiet
