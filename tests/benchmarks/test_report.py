"""The table, the docs block and the plot, from rows that need no server."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.report import (
    DOCS_END,
    DOCS_START,
    Row,
    figure,
    markdown_table,
    plot_search,
    text_table,
    update_docs,
)

ROWS = [
    Row("1,000 providers", "search req/s", 900.0, 300.0, goal="ratio ≥ 2", met=True),
    Row("1,000 providers", "build time (s)", 0.5),
    Row("scaling", "bare req/s | gunicorn", 5200.0, None),
]


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, "—"), (0.0, "0.00"), (5234.4, "5,234"), (88.25, "88.2"), (0.01234, "0.0123")],
)
def test_figure(value: float | None, text: str) -> None:
    assert figure(value) == text


def test_ratio_is_ours_over_peer_when_both_exist() -> None:
    assert ROWS[0].ratio == 3.0
    assert ROWS[1].ratio is None
    assert Row("s", "m", 1.0, 0.0).ratio is None


def test_text_table_has_sections_and_the_met_column() -> None:
    text = text_table(ROWS)
    assert text.splitlines()[1] == "-- 1,000 providers"
    assert "3.00" in text and "ratio ≥ 2" in text and text.splitlines()[2].endswith("yes")


def test_markdown_table_escapes_pipes_and_heads_sections() -> None:
    table = markdown_table(ROWS)
    assert "| **scaling** | | | | | |" in table
    assert "bare req/s \\| gunicorn" in table


def test_update_docs_replaces_only_the_block(tmp_path: Path) -> None:
    docs = tmp_path / "benchmarks.md"
    docs.write_text(f"# Intro\n\n{DOCS_START}\nold\n{DOCS_END}\n\nAfter.\n", encoding="utf-8")
    update_docs(docs, "new table")
    assert docs.read_text() == f"# Intro\n\n{DOCS_START}\nnew table\n{DOCS_END}\n\nAfter.\n"


def test_update_docs_appends_the_block_when_missing(tmp_path: Path) -> None:
    docs = tmp_path / "benchmarks.md"
    docs.write_text("# Intro\n", encoding="utf-8")
    update_docs(docs, "table")
    assert docs.read_text() == f"# Intro\n\n{DOCS_START}\ntable\n{DOCS_END}\n"


def test_plot_search_writes_a_png(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="the plot needs the 'bench' extra")
    target = tmp_path / "plot.png"
    assert plot_search(target, {"ours": [(1000, 1.0), (100000, 1.5)], "peer": []}, "t")
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
