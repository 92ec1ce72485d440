"""The map benchmark (scripts/bench-map) runs end to end at a tiny size."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bench import map_bench
from directory.settings import PROJECT_ROOT

pytestmark = pytest.mark.browser


def test_benchmark_at_a_tiny_size(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "map-bench.json"
    args = ["--sizes", "200", "--runs", "1", "--work", str(tmp_path / "work")]
    rows = map_bench.main([*args, "--json", str(output)])
    assert json.loads(output.read_text(encoding="utf-8")) == rows
    (row,) = rows
    assert row["providers"] == 200
    assert 0 < row["points"] <= 200  # telehealth-only providers have no point
    assert row["page_bytes"] == row["html_bytes"] + row["points_bytes"]
    assert row["points_bytes"] < row["points_raw_bytes"]  # sent gzipped
    assert row["transferred_bytes"] > row["page_bytes"]  # plus scripts and styles
    assert row["draw_ms_median"] > 0
    printed = capsys.readouterr().out
    assert "page+points" in printed and "draw ms" in printed
    # The built database is kept in --work and reused by the next run.
    assert (tmp_path / "work" / "synthetic-200.db").exists()


def test_script_is_a_thin_wrapper() -> None:
    script = PROJECT_ROOT / "scripts" / "bench-map"
    assert os.access(script, os.X_OK)
    text = script.read_text(encoding="utf-8")
    assert "python -m bench.map_bench" in text
    assert len(text.splitlines()) < 12
