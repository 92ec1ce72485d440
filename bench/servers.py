"""Servers under test: each started in its own process group on 127.0.0.1, always stopped.

A server is a command line. :func:`running` starts it in a new session (so its workers share
its process group), waits until its port accepts connections, and on the way out sends the
whole group SIGTERM, then SIGKILL. :func:`first_answer` and :func:`request_ms` time single
requests; :func:`peak_memory` reads the kernel's high-water mark of resident memory.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
START_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 15.0


@dataclass
class Started:
    """A running server: its process (the group leader), port and when it was launched."""

    process: subprocess.Popen[bytes]
    port: int
    launched: float
    log: Path

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://{HOST}:{self.port}"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def wait_for_port(started: Started, timeout_s: float = START_TIMEOUT_S) -> None:
    """Return once the port accepts a connection; raise if the server dies or takes too long."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if started.process.poll() is not None:
            raise RuntimeError(f"server exited early; its log ends:\n{_tail(started.log)}")
        with suppress(OSError), socket.create_connection((HOST, started.port), timeout=0.5):
            return
        time.sleep(0.02)
    raise TimeoutError(f"nothing listened on port {started.port} after {timeout_s:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop ``process`` and everything in its process group: SIGTERM, then SIGKILL."""
    group = process.pid
    with suppress(ProcessLookupError):
        os.killpg(group, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
        process.wait(timeout=STOP_TIMEOUT_S)
    # Workers that outlived their leader are still in the group.
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while group_members(group) and time.monotonic() < deadline:
        with suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
        time.sleep(0.05)


@contextmanager
def running(
    command: Sequence[str], env: Mapping[str, str], log: Path, port: int
) -> Iterator[Started]:
    """Run ``command`` (which must listen on ``port``) for the duration of the block."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        launched = time.perf_counter()
        process = subprocess.Popen(
            list(command),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=dict(env),
            start_new_session=True,
        )
    started = Started(process, port, launched, log)
    try:
        wait_for_port(started)
        yield started
    finally:
        stop(process)


def request_ms(base_url: str, path: str, timeout_s: float = 30.0) -> tuple[float, int, int]:
    """One GET on a new connection: (milliseconds, status, body bytes)."""
    host, port = base_url.removeprefix("http://").split(":")
    started = time.perf_counter()
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout_s)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    return (time.perf_counter() - started) * 1000, response.status, len(body)


def first_answer(started: Started, path: str) -> dict[str, float | int]:
    """The cold request: sent as soon as the port accepts, timed on its own and from launch."""
    elapsed, status, size = request_ms(started.base_url, path)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}; the log ends:\n{_tail(started.log)}")
    return {
        "first_request_ms": round(elapsed, 2),
        "launch_to_first_answer_s": round(time.perf_counter() - started.launched, 3),
        "response_bytes": size,
    }


def warm_ms(base_url: str, path: str, repeats: int = 20) -> float:
    """The median of ``repeats`` sequential requests for ``path`` (after the cold one)."""
    timings = sorted(request_ms(base_url, path)[0] for _ in range(repeats))
    middle = len(timings) // 2
    return round((timings[middle] + timings[~middle]) / 2, 3)


def group_members(group: int) -> list[int]:
    """Process ids in process group ``group`` (read from /proc)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Fields after the parenthesised command: state, ppid, pgrp, ...
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == group:
            members.append(int(entry.name))
    return members


def memory_status(pid: int) -> dict[str, int]:
    """VmHWM, VmRSS, RssAnon and RssFile of ``pid`` in bytes (empty if it has gone)."""
    wanted = {"VmHWM", "VmRSS", "RssAnon", "RssFile"}
    figures: dict[str, int] = {}
    with suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in wanted:
                figures[key] = int(value.split()[0]) * 1024
    return figures


def peak_memory(started: Started) -> dict[str, int]:
    """The largest VmHWM among the server's workers, or of the server itself if it has none.

    With workers (gunicorn, uvicorn's supervisor) the leader only supervises, so one
    worker's peak is the figure; a single-process server is its own worker.
    """
    leader = started.process.pid
    members = group_members(leader)
    workers = [pid for pid in members if pid != leader] or [leader]
    readings = [memory_status(pid) for pid in workers]
    readings = [reading for reading in readings if "VmHWM" in reading] or [{}]
    peak = max(readings, key=lambda reading: reading.get("VmHWM", 0))
    return {"processes": len(members)} | peak
