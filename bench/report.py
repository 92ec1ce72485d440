"""Presenting a benchmark run: one table (ours, the peer, the ratio, the bar), JSON, a plot.

The table is printed, written into docs/benchmarks.md between two markers, and kept in the
JSON results with every raw figure it was made from. Nothing here measures anything.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

DOCS_START = "<!-- bench-results:start -->"
DOCS_END = "<!-- bench-results:end -->"
COLUMNS = ("measure", "ours", "peer", "ours ÷ peer", "bar", "met")


@dataclass(frozen=True)
class Row:
    """One line of the table: a figure for us and (where there is one) for the peer."""

    section: str
    measure: str
    ours: float | None
    peer: float | None = None
    goal: str = ""
    met: bool | None = None

    @property
    def ratio(self) -> float | None:
        """``ours / peer``, when both exist and the peer's is not zero."""
        if self.ours is None or not self.peer:
            return None
        return self.ours / self.peer

    def as_json(self) -> dict[str, Any]:
        """The row with its ratio, for the results file."""
        return asdict(self) | {"ratio": self.ratio}


def figure(value: float | None) -> str:
    """A figure with as many digits as it deserves.

    >>> [figure(v) for v in (None, 5234.4, 88.25, 1.23456, 0.01234)]
    ['—', '5,234', '88.2', '1.23', '0.0123']
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1 or magnitude == 0:
        return f"{value:.2f}"
    return f"{value:.3g}"


def cells(row: Row) -> list[str]:
    """The row as the table's text cells."""
    met = {True: "yes", False: "NO", None: ""}[row.met]
    return [row.measure, figure(row.ours), figure(row.peer), figure(row.ratio), row.goal, met]


def text_table(rows: Sequence[Row]) -> str:
    """A plain-text table for the terminal, one block per section."""
    body = [cells(row) for row in rows]
    widths = [max(len(c[i]) for c in [list(COLUMNS), *body]) for i in range(len(COLUMNS))]

    def line(values: Sequence[str]) -> str:
        first = values[0].ljust(widths[0])
        rest = [v.rjust(w) for v, w in zip(values[1:5], widths[1:5], strict=True)]
        return "  ".join([first, *rest, values[5]]).rstrip()

    out, section = [line(COLUMNS)], None
    for row, row_cells in zip(rows, body, strict=True):
        if row.section != section:
            section = row.section
            out.append(f"-- {section}")
        out.append(line(row_cells))
    return "\n".join(out)


def markdown_table(rows: Sequence[Row]) -> str:
    """The same table in Markdown, a bold line heading each section."""
    out = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * 4 + "---|---|"]
    section = None
    for row in rows:
        if row.section != section:
            section = row.section
            out.append(f"| **{section}** | | | | | |")
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells(row)) + " |")
    return "\n".join(out)


def update_docs(path: Path, block: str) -> None:
    """Put ``block`` between the results markers of ``path`` (appending them if missing)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    wrapped = f"{DOCS_START}\n{block.strip()}\n{DOCS_END}"
    if DOCS_START in text and DOCS_END in text:
        before = text.split(DOCS_START, 1)[0]
        after = text.split(DOCS_END, 1)[1]
        text = before + wrapped + after
    else:
        text = text.rstrip() + ("\n\n" if text.strip() else "") + wrapped + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_json(path: Path, results: dict[str, Any], rows: Sequence[Row]) -> None:
    """Every raw figure plus the table's rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = results | {"rows": [row.as_json() for row in rows]}
    path.write_text(json.dumps(document, indent=2, default=str) + "\n", encoding="utf-8")


def plot_search(
    path: Path,
    series: dict[str, list[tuple[int, float]]],
    title: str,
    bar_ms: float | None = None,
) -> bool:
    """Search latency by dataset size, log-log, a line per series; False without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    figure_, axes = plt.subplots(figsize=(8, 5), dpi=110)
    for label, points in series.items():
        if points:
            sizes, values = zip(*sorted(points), strict=True)
            style = "-" if label.startswith("ours") else "--"
            axes.plot(sizes, values, style, marker="o", label=label)
    if bar_ms is not None:
        axes.axhline(bar_ms, color="grey", linewidth=1, linestyle=":", label=f"bar: {bar_ms:g} ms")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("providers in the database")
    axes.set_ylabel("search latency, median (ms)")
    axes.set_title(title)
    axes.grid(True, which="both", alpha=0.3)
    # Room above the lines for the legend (a log axis: four times the highest value).
    highest = max((value for points in series.values() for _, value in points), default=10.0)
    axes.set_ylim(top=highest * 4)
    axes.legend(fontsize="small", loc="upper left")
    figure_.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure_.savefig(path)
    plt.close(figure_)
    return True
