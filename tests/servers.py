"""Real servers for tests: gunicorn instances and nginx, on free ports of 127.0.0.1.

Every server is started in its own process group and killed on exit; every wait is bounded.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, timeout: float = 30.0, accept: tuple[int, ...] = (200, 503)) -> None:
    """Poll ``url`` until it answers with a status in ``accept``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status in accept:
                    return
        except urllib.error.HTTPError as error:
            if error.code in accept:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not answer within {timeout} s")
        time.sleep(0.1)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@contextmanager
def gunicorn(
    settings: Mapping[str, str],
    *,
    workers: int = 2,
    log: Path | None = None,
    extra_args: tuple[str, ...] = (),
) -> Iterator[str]:
    """Serve the app under gunicorn with ``DIRECTORY_*`` ``settings``; yields its base URL."""
    port = free_port()
    env = os.environ | {f"DIRECTORY_{key}": value for key, value in settings.items()}
    output = log.open("wb") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "--config",
            str(ROOT / "directory" / "deploy" / "gunicorn_conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            *extra_args,
            "directory:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/healthz")
        yield base
    finally:
        _stop(process)
        if log and output is not subprocess.DEVNULL:
            output.close()  # type: ignore[union-attr]


@contextmanager
def nginx(config: str, work_dir: Path, port: int) -> Iterator[str]:
    """Run nginx in the foreground with ``config``; yields its base URL."""
    work_dir.mkdir(parents=True, exist_ok=True)
    conf = work_dir / "nginx.conf"
    conf.write_text(config, encoding="utf-8")
    process = subprocess.Popen(
        ["nginx", "-c", str(conf), "-p", str(work_dir), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/healthz")
        yield base
    finally:
        _stop(process)
