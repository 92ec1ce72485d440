"""./scripts/bench at a tiny size, so that it cannot rot: our side end to end, every run.

200 providers, one-second wrk runs, five search points. The map is drawn in Chromium when
Debian's is installed; Datasette (installed into its own environment, which takes a
minute the first time) only with BENCH_SMOKE_PEER=1.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bench import compare
from bench.map_bench import CHROMIUM
from bench.report import DOCS_END, DOCS_START
from directory.settings import PROJECT_ROOT


def test_bench_runs_end_to_end_at_a_tiny_size(
    tmp_path: Path, gazetteer: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    argv = ["--sizes", "200", "--duration", "1", "--points", "5", "--map-size", "200"]
    argv += ["--map-repeats", "1", "--work", str(tmp_path / "work"), "--gazetteer", str(gazetteer)]
    argv += ["--json", str(out / "latest.json"), "--docs", str(out / "benchmarks.md")]
    argv += ["--plot", str(out / "search.png"), "--quiet-timeout", "0", "--retries", "0"]
    if os.environ.get("BENCH_SMOKE_PEER") == "1":
        argv += ["--peer-venv", str(PROJECT_ROOT / "bench-results" / "datasette-venv")]
    else:
        argv += ["--no-peer"]
    drawn = CHROMIUM.exists()
    if not drawn:
        argv += ["--no-map"]

    compare.main(argv)

    results = json.loads((out / "latest.json").read_text())
    ours = results["sizes"][0]["ours"]
    for run in ("rotating", "single_url", "one_connection"):
        assert ours["load"][run]["requests"] > 0 and ours["load"][run]["errors"] == 0
    assert ours["memory"]["VmHWM"] > 0 and ours["cold"]["first_request_ms"] > 0
    assert results["bare"]["load"]["rotating"]["requests_per_second"] > 0
    assert results["sizes"][0]["dataset"]["build_peak_rss_bytes"] > 0
    assert len(results["points"]) == 5
    if drawn:
        assert "error" not in results["map"]["ours"], results["map"]["ours"]
        assert results["map"]["ours"]["points"] > 0 and results["map"]["ours"]["draw_ms"] > 0
    measures = {row["measure"] for row in results["rows"]}
    assert 'bare Flask {"ok": true} req/s, gunicorn 2 workers, 16 conn' in measures
    docs = (out / "benchmarks.md").read_text()
    assert DOCS_START in docs and DOCS_END in docs and "| **200 providers** |" in docs
    assert "search req/s as % of bare Flask req/s" in capsys.readouterr().out
    assert not list((tmp_path / "work").glob("providers-*")), "datasets are cleaned up"
