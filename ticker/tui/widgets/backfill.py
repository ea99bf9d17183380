"""The progress of a backfill started from the dashboard (``b``): a header, then each
source's requests done of those planned, as many to a line as the width allows. It sits
between the rates table and the chart while the backfill runs; the table above it fills
in as the rows are stored."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.widget import Widget

from ticker.display.backfill import SourceProgress, panel_lines
from ticker.i18n.words import _


class BackfillPanel(Widget):
    DEFAULT_CSS = """
    BackfillPanel { height: auto; padding: 0 1; border-top: solid $panel-lighten-2; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.header: Sequence[str] = (_("Backfill: asking the store what is there…"),)
        self.progress: Mapping[str, SourceProgress] = {}
        self._shown: list[str] = []

    def show(self, header: Sequence[str], progress: Mapping[str, SourceProgress]) -> None:
        """What to say now (the app calls it as the backfill goes): redrawn when the
        text changed, laid out again when its number of lines did."""
        self.header, self.progress = header, progress
        lines = self.lines()
        if lines != self._shown:
            self.refresh(layout=len(lines) != len(self._shown))

    def lines(self) -> list[str]:
        width = self.content_region.width or self.app.size.width - 2
        return panel_lines(self.header, self.progress.values(), width)

    def render(self) -> Text:
        self._shown = self.lines()
        return Text("\n".join(self._shown), no_wrap=True, overflow="ellipsis")
