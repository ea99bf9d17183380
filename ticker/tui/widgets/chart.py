"""A plotext chart sized to its widget: build, turn ANSI into Rich text, reset each time."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widget import Widget

if TYPE_CHECKING:
    from ticker.model.series import Series


class Chart(Widget):
    DEFAULT_CSS = """
    Chart { height: 1fr; min-height: 6; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.series: list[Series] = []
        self.title = ""
        self.empty_note = "loading…"

    def show(self, title: str, series: list[Series], empty_note: str = "") -> None:
        """Chart ``series``; drawn again only when something in it changed (drawing
        takes plotext several milliseconds, and a re-read often finds the same data)."""
        empty_note = empty_note or "no history in this range"
        if (title, series, empty_note) == (self.title, self.series, self.empty_note):
            return
        self.title = title
        self.series = series
        self.empty_note = empty_note
        self.refresh()

    def render(self) -> Text:
        width, height = self.size.width, self.size.height
        if not self.series or width < 20 or height < 5:
            return Text(f"{self.title}\n{self.empty_note}" if self.title else self.empty_note)
        if all(len(s.dates) < 2 for s in self.series):  # a line needs two points
            only = ", ".join(
                f"{s.provider.upper()} {s.values[-1]} on {s.dates[-1]}" for s in self.series
            )
            return Text(f"{self.title}\nonly one fixing so far: {only}")
        import plotext as plt  # not on the start-up path: the first frame has no chart yet

        plt.clf()
        plt.plotsize(width, height)
        plt.theme("clear")
        plt.date_form("Y-m-d")
        plt.title(self.title)
        for s in self.series:
            plt.plot(
                [d.isoformat() for d in s.dates],
                [_float(v) for v in s.values],
                label=s.provider if len(self.series) > 1 else None,
                marker="braille",
            )
        text = Text.from_ansi(plt.build())
        plt.clf()
        return text


def _float(value: Decimal) -> float:
    # Plotting only: positions on a character grid; the numbers shown elsewhere stay exact.
    return float(value)
