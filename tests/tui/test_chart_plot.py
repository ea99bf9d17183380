"""The rates chart drawn by :mod:`ticker.display.plot`, on a widget of its own: reported
rates as marks never joined, the cursor's line at the first and the last date in the
theme's colour, and one colour per source."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from rich.text import Text
from textual.app import App, ComposeResult
from textual.color import Color

from ticker.model.market_records import REPORTED
from ticker.model.series import Series
from ticker.tui.widgets.chart import REPORTED_MARK, Chart

FIRST = date(2026, 11, 1)
#: NBKR's line: 87.00 to 87.50 over 1..11 Nov; three rates reported at 88.00 (the top).
NBKR = Series(
    "nbkr",
    [FIRST + timedelta(days=i) for i in range(11)],
    [Decimal("87.00") + Decimal(i) / 20 for i in range(11)],
)
REPORTS = Series(REPORTED, [date(2026, 11, d) for d in (2, 6, 10)], [Decimal("88.00")] * 3)


class OneChart(App[None]):
    CSS = "Chart { width: 60; height: 16; }"

    def compose(self) -> ComposeResult:
        yield Chart()


def plot_lines(rendered: Text) -> list[str]:
    lines = rendered.plain.splitlines()
    top = next(i for i, line in enumerate(lines) if "┌" in line)
    return lines[top : top + next(i for i, line in enumerate(lines[top:]) if "└" in line) + 1]


def color_at(rendered: Text, offset: int) -> str | None:
    for span in rendered.spans:
        if span.start <= offset < span.end and not isinstance(span.style, str):
            color = span.style.color
            return color.triplet.hex.lower() if color is not None and color.triplet else None
    return None


async def test_reported_rates_are_marks_never_joined() -> None:
    app = OneChart()
    async with app.run_test(size=(80, 24)) as pilot:
        chart = app.query_one(Chart)
        chart.show("KGS", [NBKR, REPORTS], primary="nbkr")
        app.set_focus(None)  # no cursor's line
        await pilot.pause()
        frame = plot_lines(chart.render())
        left = frame[0].index("┌")
        top_row = frame[1][left + 1 : -1]
        # 88.00 is the range's high: the top row holds the three marks and nothing else
        # (NBKR's line stays under 87.50, never in it).
        assert top_row.count(REPORTED_MARK) == 3
        assert set(top_row) == {REPORTED_MARK, " "}
        assert all(REPORTED_MARK not in row for row in frame[2:])


async def test_the_cursors_line_at_the_first_and_the_last_date() -> None:
    app = OneChart()
    async with app.run_test(size=(80, 24)) as pilot:
        chart = app.query_one(Chart)
        chart.show("KGS", [NBKR], primary="nbkr")
        chart.focus()
        await pilot.pause()
        assert chart.cursor == date(2026, 11, 11)  # the newest
        rendered = chart.render()
        frame = plot_lines(rendered)
        # The last column, on the last date's tick; in the bottom row (NBKR's line ends
        # at the top) the line is the cursor's, in the theme's foreground colour.
        assert frame[0].endswith("┬┐") and frame[-1].endswith("┼┘")
        assert frame[-2].endswith("││")
        theme = app.current_theme
        offset = rendered.plain.index(frame[-2]) + len(frame[-2]) - 2
        assert color_at(rendered, offset) == Color.parse(theme.foreground or "").hex.lower()
        await pilot.press("home")
        frame = plot_lines(chart.render())
        left = frame[0].index("┌")
        assert frame[0][left : left + 2] == "┌┬" and frame[-1][left : left + 2] == "└┼"
        assert frame[1][left + 1] == "│"  # the top row: NBKR's line starts at the bottom
        chart.blur()
        await pilot.pause()
        assert "┬" not in plot_lines(chart.render())[0]  # drawn only while focused
