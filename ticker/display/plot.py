"""A small plotter for the charts, pure and headless: lines in braille (2x4 dots a cell),
marked points, a frame with the ticks given, a cursor's vertical line and a legend, drawn
into rows of ``(text, colour)`` segments that a widget turns into styled text.

The geometry, which the tests work out by hand: ``height`` rows are the frame's top, the
plot's rows, the frame's bottom and the x labels; ``width`` columns are the y labels
(as wide as the widest), the frame's left side, the plot's columns and its right side.
Each plot cell holds 2 x 4 dots: a value ``v`` of the range ``lo..hi`` lands on dot
``round((v - lo) / (hi - lo) * (dots - 1))`` (halves rounded up), counted from the left
and from the bottom, so ``lo`` is the first column's or the last row's and ``hi`` the
last column's or the first row's. A dot off the canvas is never drawn (no wrapping); a
line leaving it is cut at its edge. A point that is not a finite number is skipped and
breaks its line.

A cell keeps the last series drawn in it: its dots (or its mark) and its colour. The
cursor's line is drawn first, under the series; the legend last, over them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Segment = tuple[str, str | None]
"""Text and its colour (None: the terminal's own)."""
Row = list[Segment]

#: Rows around the plot's own: the frame's top and bottom, and the x labels under it.
FRAME_ROWS = 3
#: Columns around the plot's own besides the y labels: the frame's two sides.
FRAME_COLUMNS = 2
#: A braille cell's dots as bits, by (dot column, dot row from the top) within it.
_BITS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))
#: The first braille character (no dot raised).
_BRAILLE = 0x2800
#: A braille line's mark in the legend.
LINE_MARK = "━━"
#: Just under a whole dot: where a segment is cut at the canvas's far edges.
_EDGE = 1e-9
#: Farther than any canvas, near enough that a line's slope is still a number.
_FAR = 1e12


@dataclass(frozen=True, slots=True)
class Trace:
    """One series to draw: its points (``xs[i]``, ``ys[i]``), in ``color``.

    ``mark`` empty draws braille dots; else each cell the series passes through shows
    ``mark``. ``joined`` False draws the points alone, never joined to each other.
    ``label``, when given, names the series in the legend."""

    xs: Sequence[float]
    ys: Sequence[float]
    color: str | None = None
    mark: str = ""
    joined: bool = True
    label: str = ""


def plot(
    width: int,
    height: int,
    traces: Sequence[Trace],
    *,
    xticks: Sequence[tuple[float, str]] = (),
    yticks: Sequence[tuple[float, str]] = (),
    xlim: tuple[float, float] | None = None,
    ylim: tuple[float, float] | None = None,
    cursor: tuple[float, str | None] | None = None,
) -> list[Row]:
    """``traces`` drawn on ``width`` x ``height`` cells: ``height`` rows of segments, each
    row ``width`` cells wide. ``xlim`` and ``ylim`` default to the points' extent (a range
    of one value is widened by 1 each way, the value in the middle); ``cursor`` is an x
    and a colour for a vertical line. Raises ValueError when no plot cell fits."""
    rows = height - FRAME_ROWS
    if rows < 1:
        raise ValueError(f"{width}x{height} leaves no room to plot")
    y_axis = _Axis(ylim or _extent(y for t in traces for y in t.ys), rows * 4)
    tick_rows: dict[int, str] = {}
    for value, label in yticks:  # a tick off the range is left out
        if (at := y_axis.dot(value)) is not None:
            tick_rows[rows - 1 - at // 4] = label
    label_width = max(map(len, tick_rows.values()), default=0)
    cols = width - label_width - FRAME_COLUMNS
    if cols < 1:
        raise ValueError(f"{width}x{height} leaves no room to plot")
    x_axis = _Axis(xlim or _extent(x for t in traces for x in t.xs), cols * 2)
    chars = [" "] * (rows * cols)
    colors: list[str | None] = [None] * (rows * cols)
    cursor_col = None
    if cursor is not None:
        at = x_axis.dot(cursor[0])
        if at is not None:
            cursor_col = at // 2
            for row in range(rows):
                chars[row * cols + cursor_col] = "│"
                colors[row * cols + cursor_col] = cursor[1]
    for trace in traces:
        dots = _dots(trace, x_axis, y_axis)
        if trace.mark:
            for cell in dots:
                chars[cell] = trace.mark
                colors[cell] = trace.color
        else:
            for cell, bits in dots.items():
                chars[cell] = chr(_BRAILLE | bits)
                colors[cell] = trace.color
    _legend(traces, chars, colors, cols, rows)
    tick_cols = {at // 2: label for value, label in xticks if (at := x_axis.dot(value)) is not None}
    return [
        _top(label_width, cols, cursor_col, cursor[1] if cursor else None),
        *(
            _plot_row(row, tick_rows.get(row), label_width, chars, colors, cols)
            for row in range(rows)
        ),
        _bottom(label_width, cols, set(tick_cols), cursor_col, cursor[1] if cursor else None),
        [(_labels(width, {label_width + 1 + c: lab for c, lab in tick_cols.items()}), None)],
    ]


class _Axis:
    """Where values of ``lo..hi`` land among ``dots`` dots."""

    __slots__ = ("dots", "lo", "scale")

    def __init__(self, limits: tuple[float, float], dots: int) -> None:
        lo, hi = limits
        if not hi > lo:  # one value (or none): it goes in the middle
            lo, hi = lo - 1, lo + 1
        self.lo, self.dots = lo, dots
        self.scale = (dots - 1) / (hi - lo)

    def at(self, value: float) -> float:
        """``value``'s place in dots, unrounded (off the canvas below 0 or past dots - 1)."""
        return (value - self.lo) * self.scale

    def dot(self, value: float) -> int | None:
        """``value``'s dot, or None when it falls off the canvas (or is no number)."""
        at = self.at(value)
        return int(at + 0.5) if -0.5 <= at < self.dots - 0.5 else None


def _extent(values: Iterable[float]) -> tuple[float, float]:
    finite = [v for v in values if math.isfinite(v)]
    return (min(finite), max(finite)) if finite else (0.0, 0.0)


def _dots(trace: Trace, x_axis: _Axis, y_axis: _Axis) -> dict[int, int]:
    """The cells ``trace`` passes through (row by row from the top, a row as many cells
    as the canvas is wide), each with its braille dots as bits."""
    width, height = x_axis.dots, y_axis.dots
    x_lo, x_scale, y_lo, y_scale = x_axis.lo, x_axis.scale, y_axis.lo, y_axis.scale
    x_end, y_end = width - 0.5, height - 0.5
    dots: set[tuple[int, int]] = set()
    joined = trace.joined
    before: tuple[float, float] | None = None  # the point before, on the dot grid
    alone = False  # whether the point before still wants its own dot (nothing joined it)
    for x, y in zip(trace.xs, trace.ys, strict=True):
        if not (math.isfinite(x) and math.isfinite(y)):
            if alone:
                _own(before, x_end, y_end, dots)
            before, alone = None, False
            continue
        at = ((x - x_lo) * x_scale, (y - y_lo) * y_scale)
        if not joined:
            _own(at, x_end, y_end, dots)
        elif before is None:
            alone = True
        else:
            alone = False
            ax, ay = before
            bx, by = at
            if (
                -0.5 <= ax < x_end
                and -0.5 <= ay < y_end
                and -0.5 <= bx < x_end
                and -0.5 <= by < y_end
            ):
                _line(int(ax + 0.5), int(ay + 0.5), int(bx + 0.5), int(by + 0.5), dots)
            else:
                segment = _clip(ax, ay, bx, by, width, height)
                if segment is not None:
                    _line(*segment, dots)
        before = at
    if alone:
        _own(before, x_end, y_end, dots)
    cols, top = width // 2, height - 1
    cells: dict[int, int] = {}
    for x, y in dots:
        cell = (top - y) // 4 * cols + x // 2
        cells[cell] = cells.get(cell, 0) | _BITS[x & 1][(top - y) & 3]
    return cells


def _own(
    at: tuple[float, float] | None, x_end: float, y_end: float, dots: set[tuple[int, int]]
) -> None:
    """A point's own dot, when it is on the canvas."""
    if at is not None and -0.5 <= at[0] < x_end and -0.5 <= at[1] < y_end:
        dots.add((int(at[0] + 0.5), int(at[1] + 0.5)))


def _clip(
    ax: float, ay: float, bx: float, by: float, width: int, height: int
) -> tuple[int, int, int, int] | None:
    """The segment from (ax, ay) to (bx, by) cut to the canvas (Liang-Barsky), its ends
    rounded to dots; None when none of it is on the canvas. Ends farther than :data:`_FAR`
    dots are brought in to it first (a value near the float's limit is infinitely far)."""
    ax, ay, bx, by = (min(max(v, -_FAR), _FAR) for v in (ax, ay, bx, by))
    dx, dy = bx - ax, by - ay
    start, end = 0.0, 1.0
    for p, q in (
        (-dx, ax + 0.5),
        (dx, width - 0.5 - _EDGE - ax),
        (-dy, ay + 0.5),
        (dy, height - 0.5 - _EDGE - ay),
    ):
        if p == 0:
            if q < 0:
                return None
        elif p < 0:
            start = max(start, q / p)
        else:
            end = min(end, q / p)
    if start > end:
        return None
    return (
        int(ax + start * dx + 0.5),
        int(ay + start * dy + 0.5),
        int(ax + end * dx + 0.5),
        int(ay + end * dy + 0.5),
    )


def _line(x0: int, y0: int, x1: int, y1: int, dots: set[tuple[int, int]]) -> None:
    """Every dot from (x0, y0) to (x1, y1), both ends included (Bresenham)."""
    add = dots.add
    if x0 == x1 and y0 == y1:
        add((x0, y0))
        return
    dx, dy = abs(x1 - x0), -abs(y1 - y0)
    sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
    error = dx + dy
    while True:
        add((x0, y0))
        if x0 == x1 and y0 == y1:
            return
        twice = 2 * error
        if twice >= dy:
            error += dy
            x0 += sx
        if twice <= dx:
            error += dx
            y0 += sy


def _legend(
    traces: Sequence[Trace], chars: list[str], colors: list[str | None], cols: int, rows: int
) -> None:
    """Each labelled series on a row of its own at the plot's top left, over what is drawn
    there: a blank, its mark in its colour, its label, blanks to the longest label and one
    more (a box the lines do not run into), cut at the plot's right side."""
    entries = []
    for trace in [t for t in traces if t.label][:rows]:
        mark = (trace.mark * (2 if trace.joined else 1)) if trace.mark else LINE_MARK
        entries.append((mark, trace.label, trace.color))
    wide = max((len(mark) + 1 + len(label) for mark, label, _c in entries), default=0)
    for row, (mark, label, color) in enumerate(entries):
        text = f" {mark} {label}".ljust(wide + 2)[:cols]
        for at, char in enumerate(text):
            chars[row * cols + at] = char
            colors[row * cols + at] = color if 1 <= at <= len(mark) else None


def _top(label_width: int, cols: int, cursor_col: int | None, color: str | None) -> Row:
    return _framed(" " * label_width + "┌", ["─"] * cols, "┐", cursor_col, "┬", color)


def _bottom(
    label_width: int, cols: int, ticks: set[int], cursor_col: int | None, color: str | None
) -> Row:
    line = ["┬" if col in ticks else "─" for col in range(cols)]
    join = "┼" if cursor_col in ticks else "┴"
    return _framed(" " * label_width + "└", line, "┘", cursor_col, join, color)


def _framed(
    left: str, line: list[str], right: str, at: int | None, join: str, color: str | None
) -> Row:
    """A frame's edge, the cursor's line meeting it at ``at`` with ``join`` in ``color``."""
    if at is None:
        return [(left + "".join(line) + right, None)]
    return [
        (left + "".join(line[:at]), None),
        (join, color),
        ("".join(line[at + 1 :]) + right, None),
    ]


def _plot_row(
    row: int,
    tick: str | None,
    label_width: int,
    chars: list[str],
    colors: list[str | None],
    cols: int,
) -> Row:
    """One row of the plot: its y label (right-aligned) and the frame's side (``┤`` at a
    tick), its cells in runs of one colour, the frame's right side."""
    left = (tick or "").rjust(label_width) + ("┤" if tick is not None else "│")
    segments: Row = [(left, None)]
    start = row * cols
    run_start, run_color = start, colors[start]
    for cell in range(start + 1, start + cols):
        if colors[cell] != run_color:
            segments.append(("".join(chars[run_start:cell]), run_color))
            run_start, run_color = cell, colors[cell]
    segments.append(("".join(chars[run_start : start + cols]), run_color))
    segments.append(("│", None))
    return _merged(segments)


def _merged(segments: Row) -> Row:
    """``segments`` with neighbours of one colour joined."""
    out: Row = [segments[0]]
    for text, color in segments[1:]:
        if color == out[-1][1]:
            out[-1] = (out[-1][0] + text, color)
        else:
            out.append((text, color))
    return out


def _labels(width: int, at: dict[int, str]) -> str:
    """The x labels on one line of ``width``: each centred on its column (``len // 2``
    before it), moved in to fit the line, left out where it would touch the one before."""
    line = [" "] * width
    free = 0  # the first column a label may take
    for col, label in sorted(at.items()):
        start = min(max(col - len(label) // 2, 0), width - len(label))
        if start < free or start < 0:
            continue
        line[start : start + len(label)] = label
        free = start + len(label) + 1
    return "".join(line)
