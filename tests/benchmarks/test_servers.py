"""Starting, timing and stopping servers: a real one (Python's http.server) on 127.0.0.1."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from bench.servers import (
    first_answer,
    free_port,
    group_members,
    memory_status,
    peak_memory,
    running,
    warm_ms,
)


def test_running_serves_then_stops_the_whole_process_group(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("hello")
    port = free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    command += ["--directory", str(tmp_path)]
    with running(command, dict(os.environ), tmp_path / "log", port) as started:
        group = started.process.pid
        assert group_members(group) == [group]
        cold = first_answer(started, "/index.html")
        assert cold["response_bytes"] == 5 and cold["first_request_ms"] > 0
        assert warm_ms(started.base_url, "/index.html", repeats=3) > 0
        memory = peak_memory(started)
        assert memory["processes"] == 1 and memory["VmHWM"] >= memory["RssAnon"] > 0
    assert started.process.returncode is not None
    assert group_members(group) == []


def test_a_server_that_exits_is_reported_with_its_log(tmp_path: Path) -> None:
    command = [sys.executable, "-c", "print('no port for you'); raise SystemExit(3)"]
    with (
        pytest.raises(RuntimeError, match="no port for you"),
        running(command, dict(os.environ), tmp_path / "log", free_port()),
    ):
        pass


def test_memory_status_of_a_process_that_is_gone_is_empty() -> None:
    assert memory_status(2**22 + 12345) == {}
    assert memory_status(os.getpid())["VmHWM"] > 0
