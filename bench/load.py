"""Load generation with wrk (Debian's package): fixed connections, fixed duration, bounded.

wrk is written in C, so the load generator is never the Python-bound bottleneck. Several
URLs are rotated by a small Lua script, one per request, so that no single cached answer
makes a server look faster than it is.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

#: How long apt-get may take to install wrk before the benchmark gives up.
APT_TIMEOUT_S = 300
_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_DURATION = re.compile(r"^([\d.]+)(us|ms|s|m|h)$")


@dataclass(frozen=True)
class LoadResult:
    """What one wrk run measured."""

    requests_per_second: float
    median_ms: float
    p99_ms: float
    requests: int
    errors: int
    connections: int
    duration_s: float
    urls: int

    def as_json(self) -> dict[str, Any]:
        """A plain dict for the results file."""
        return asdict(self)


def duration_ms(text: str) -> float:
    """A wrk duration (``836.00us``, ``1.23ms``, ``2.01s``) in milliseconds.

    >>> duration_ms("836.00us")
    0.836
    """
    match = _DURATION.match(text.strip())
    if match is None:
        raise ValueError(f"not a wrk duration: {text!r}")
    return round(float(match.group(1)) * _UNITS_MS[match.group(2)], 6)


def parse_wrk(output: str, connections: int, duration_s: float, urls: int) -> LoadResult:
    """Requests per second, median and p99 latency and errors from wrk ``--latency`` output."""
    percentiles = dict(re.findall(r"^\s+(50|99)(?:\.0+)?%\s+(\S+)\s*$", output, re.MULTILINE))
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    total = re.search(r"^\s+(\d+) requests in ", output, re.MULTILINE)
    if rate is None or total is None or "50" not in percentiles or "99" not in percentiles:
        raise ValueError(f"unexpected wrk output:\n{output}")
    errors = 0
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(int(value) for value in socket_errors.groups())
    bad_status = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if bad_status:
        errors += int(bad_status.group(1))
    return LoadResult(
        requests_per_second=float(rate.group(1)),
        median_ms=duration_ms(percentiles["50"]),
        p99_ms=duration_ms(percentiles["99"]),
        requests=int(total.group(1)),
        errors=errors,
        connections=connections,
        duration_s=duration_s,
        urls=urls,
    )


def rotation_script(paths: list[str]) -> str:
    """A wrk Lua script that sends ``paths`` in turn, one per request, on every connection."""
    quoted = ", ".join('"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"' for path in paths)
    return (
        f"local paths = {{{quoted}}}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i])\n'
        "end\n"
    )


def ensure_wrk() -> str:
    """The path of wrk, installing Debian's package with apt-get when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        raise RuntimeError("wrk is missing; install it (Debian: apt-get install wrk)")
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    for command in ([apt, "update", "-qq"], [apt, "install", "-y", "-qq", "wrk"]):
        subprocess.run(command, check=True, env=env, timeout=APT_TIMEOUT_S, capture_output=True)
    found = shutil.which("wrk")
    if found is None:
        raise RuntimeError("apt-get installed wrk but it is not on PATH")
    return found


def run_wrk(
    base_url: str,
    paths: list[str],
    connections: int,
    duration_s: float,
    threads: int = 2,
    wrk: str = "wrk",
) -> LoadResult:
    """Load ``base_url`` with ``paths`` in rotation; wrk stops itself after ``duration_s``."""
    if not base_url.startswith(("http://127.0.0.1:", "http://localhost:")):
        raise ValueError("load is only ever sent to this machine's loopback address")
    threads = max(1, min(threads, connections))
    with tempfile.TemporaryDirectory() as scratch:
        script = Path(scratch) / "rotate.lua"
        script.write_text(rotation_script(paths), encoding="utf-8")
        command = [
            wrk,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration_s:g}s",
            "--timeout",
            "5s",
            "--latency",
            "-s",
            str(script),
            base_url + paths[0],
        ]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=duration_s + 30, check=True
        )
    return parse_wrk(done.stdout, connections, duration_s, len(paths))
