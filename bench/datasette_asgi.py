"""Datasette in several uvicorn worker processes, for a fair comparison with our two workers.

This file runs in the benchmark's own Datasette virtual environment, never in ours: it is
copied next to that environment and imports nothing from ``directory``. Datasette and
uvicorn are imported with :mod:`importlib` because they are not installed where mypy runs.

Two ways to run it, both serving ``$BENCH_DATASETTE_DB`` (immutable) with the canned
queries in ``$BENCH_DATASETTE_METADATA``:

* stock: ``uvicorn --workers 2 --factory datasette_asgi:app``. uvicorn's multi-process
  mode binds its listening socket as ``socket.socket(AF_INET)``, whose ``proto`` is 0, and
  asyncio only sets TCP_NODELAY on accepted sockets whose ``proto`` is IPPROTO_TCP; so
  every response written in two sends waits for a delayed ACK (about 40 ms). And its
  workers race to accept on one shared socket: with keep-alive clients one worker often
  takes every connection while the other idles (seen here: 16 of 16, in two runs of three).
* fixed: ``python datasette_asgi.py --port P --workers 2``: each worker a uvicorn server
  on its own listening socket, created with ``proto=IPPROTO_TCP`` and SO_REUSEPORT, so
  that TCP_NODELAY is set and the kernel spreads connections over the workers by hash.
"""

from __future__ import annotations

import argparse
import importlib
import json
import multiprocessing
import os
import socket
from pathlib import Path
from typing import Any

DB_ENV = "BENCH_DATASETTE_DB"
METADATA_ENV = "BENCH_DATASETTE_METADATA"
#: The import string uvicorn's workers load the app from (this file, copied on its own).
APP = "datasette_asgi:app"


def app() -> Any:
    """Datasette's ASGI app over the immutable database (called once in each worker)."""
    datasette_app = importlib.import_module("datasette.app")
    metadata = json.loads(Path(os.environ[METADATA_ENV]).read_text(encoding="utf-8"))
    datasette = datasette_app.Datasette(immutables=[os.environ[DB_ENV]], metadata=metadata)
    return datasette.app()


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket of its own for one worker, sharing the port with the others (SO_REUSEPORT).

    Created with ``proto=IPPROTO_TCP``, so that asyncio sets TCP_NODELAY on its connections.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def serve_one(host: str, port: int) -> None:
    """One worker: a uvicorn server running :func:`app` on its own socket."""
    uvicorn = importlib.import_module("uvicorn")
    config = uvicorn.Config(
        APP,
        factory=True,
        # As ``datasette serve`` runs uvicorn: lifespan on, info logging with access log.
        lifespan="on",
        log_level="info",
    )
    uvicorn.Server(config).run(sockets=[listening_socket(host, port)])


def main(argv: list[str] | None = None) -> None:
    """Serve :func:`app` in ``--workers`` processes, each with its own SO_REUSEPORT socket."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    spawn = multiprocessing.get_context("spawn")
    workers = [
        spawn.Process(target=serve_one, args=(args.host, args.port)) for _ in range(args.workers)
    ]
    for worker in workers:
        worker.start()
    # The benchmark stops the whole process group; until then, wait for the workers.
    for worker in workers:
        worker.join()


if __name__ == "__main__":
    main()
