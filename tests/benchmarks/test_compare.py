"""Reporting a saved run again (``--from-json``): the table, the JSON, the docs and the plot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import compare
from tests.benchmarks.results import RESULTS

META = {
    "started": "2026-11-26T17:00:00+00:00",
    "command": "./scripts/bench",
    "machine": {"cores": 2, "loadavg_at_start": [0.1, 0.2, 0.3]},
}


def test_from_json_reports_without_measuring(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "saved.json"
    saved.write_text(json.dumps(RESULTS | {"meta": META, "rows": ["stale"]}))
    docs, plot, out = tmp_path / "benchmarks.md", tmp_path / "search.png", tmp_path / "out.json"
    argv = ["--from-json", str(saved), "--json", str(out), "--docs", str(docs)]
    compare.main([*argv, "--plot", str(plot)])

    assert "-- 100,000 providers" in capsys.readouterr().out
    rows = json.loads(out.read_text())["rows"]
    assert rows[0]["section"] == "1,000 providers" and "stale" not in rows
    text = docs.read_text()
    assert "Measured 2026-11-26T17:00:00+00:00 with `./scripts/bench` on 2 cores" in text
    assert "| **map, 10,000 providers** |" in text
    pytest.importorskip("matplotlib")
    assert plot.read_bytes().startswith(b"\x89PNG")


def test_scratch_folder_refuses_a_folder_that_is_not_its_own(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(SystemExit, match="not a benchmark's scratch folder"):
        compare.scratch_folder(tmp_path)
    assert (tmp_path / "precious.txt").exists()
    work = compare.scratch_folder(tmp_path / "work")
    (work / "old.log").write_text("from the last run")
    assert list(compare.scratch_folder(work).iterdir()) == [work / compare.WORK_MARKER]
