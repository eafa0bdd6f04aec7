"""Charts of the year-end report as PNG bytes (matplotlib, Agg, no pyplot state).

Liberation Serif (Times New Roman metrics, Vietnamese glyphs; notes/stack.md §8–9); numbers on axes
and in cells in Vietnamese notation ("1.234,5") through a FuncFormatter, never a system locale.
Small figures at ~120 dpi: a chart renders in a fraction of a second.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from matplotlib import colors, rc_context  # noqa: E402  (after choosing the backend)
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from thidua.lib.numbers import format_number  # noqa: E402

DPI = 120
FONT = {
    "font.family": "serif",
    "font.serif": ["Liberation Serif", "Times New Roman", "DejaVu Serif"],
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.unicode_minus": False,
}
_VI = FuncFormatter(lambda value, _pos: format_number(Decimal(repr(float(value))), max_places=1))


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", facecolor="white")
    return buffer.getvalue()


def ranking_chart(*, labels: Sequence[str], totals: Sequence[Decimal], scale: Decimal | None = None,
                  title: str = "Tổng điểm thi đua") -> bytes:
    """Horizontal bars, first-ranked on top, each labelled with its total ("911,43")."""
    with rc_context(FONT):
        height = 0.9 + 0.42 * max(len(labels), 1)
        figure = Figure(figsize=(6.3, height))
        axes = figure.add_subplot()
        values = [float(total) for total in totals]
        positions = list(range(len(labels)))[::-1]
        axes.barh(positions, values, color="#2f5d8a", height=0.6)
        axes.set_yticks(positions, labels=list(labels))
        axes.xaxis.set_major_formatter(_VI)
        low = min(values, default=0)
        high = max(values + ([float(scale)] if scale else []), default=1)
        # Totals of a group usually lie close together: start the axis a little below the lowest.
        start = max(0.0, low - (high - low) * 0.6 - 0.02 * high) if len(values) > 1 else 0.0
        axes.set_xlim(start, high * 1.04 if high else 1)
        for position, value, total in zip(positions, values, totals, strict=True):
            axes.text(value, position, " " + format_number(total, places=2), va="center", fontsize=9)
        axes.set_title(title)
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="x", color="#dddddd", linewidth=0.6)
        axes.set_axisbelow(True)
        return _png(figure)


def plan_heatmap(*, units: Sequence[str], criteria: Sequence[str],
                 values: Sequence[Sequence[Decimal | None]], title: str = "Tỷ lệ % kế hoạch theo tiêu chí") -> bytes:
    """Units (rows) × criteria (columns) coloured by % of plan around 100 (red below, green above);
    each cell shows its percentage ("105,2"); a missing figure is a grey cell marked "–"."""
    with rc_context(FONT):
        width = min(6.6, 1.6 + 0.85 * max(len(criteria), 1))
        figure = Figure(figsize=(width, 0.8 + 0.42 * max(len(units), 1)))
        axes = figure.add_subplot()
        numbers = [float(v) for row in values for v in row if v is not None]
        low, high = min(numbers, default=99.0), max(numbers, default=101.0)
        norm = colors.TwoSlopeNorm(vcenter=100.0, vmin=min(low, 99.0), vmax=max(high, 101.0))
        cmap = matplotlib.colormaps["RdYlGn"].with_extremes(bad="#d9d9d9")
        grid = np.ma.masked_invalid(np.array([[float(v) if v is not None else np.nan for v in row] for row in values],
                                             dtype=float).reshape(len(units), len(criteria)))
        axes.imshow(grid, cmap=cmap, norm=norm, aspect="auto")
        axes.set_xticks(range(len(criteria)), labels=list(criteria))
        axes.set_yticks(range(len(units)), labels=list(units))
        axes.tick_params(top=True, bottom=False, labeltop=True, labelbottom=False, length=0)
        for i, row in enumerate(values):
            for j, value in enumerate(row):
                text = "–" if value is None else format_number(value, max_places=2)
                shade = 0.5 if value is None else float(norm(float(value)))
                ink = "white" if shade < 0.15 or shade > 0.85 else "black"  # readable on dark cells
                axes.text(j, i, text, ha="center", va="center", fontsize=8, color=ink)
        axes.set_title(title, pad=18)
        for spine in axes.spines.values():
            spine.set_visible(False)
        return _png(figure)
