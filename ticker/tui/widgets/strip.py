"""The ticker strip across the top, like the news sites' strip; it scrolls when it is
wider than the screen, and stands still (no redraws) when it fits."""

from __future__ import annotations

from rich.text import Text
from textual.timer import Timer
from textual.widget import Widget

SEPARATOR = "   •   "


class StripTicker(Widget):
    DEFAULT_CSS = """
    StripTicker { height: 1; width: 1fr; }
    """

    def __init__(self, animate: bool = True, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text("")
        self._offset = 0
        self._may_scroll = animate
        self._timer: Timer | None = None

    def set_strip(self, text: Text) -> None:
        self._text = text
        self._offset = 0
        self._sync_timer()
        self.refresh()

    def on_resize(self) -> None:
        self._sync_timer()

    def _sync_timer(self) -> None:
        scrolls = self._may_scroll and self._text.cell_len > self.size.width > 0
        if scrolls and self._timer is None:
            self._timer = self.set_interval(0.3, self._step)
        elif not scrolls and self._timer is not None:
            self._timer.stop()
            self._timer = None
            self._offset = 0

    def _step(self) -> None:
        self._offset = (self._offset + 1) % max(self._text.cell_len + len(SEPARATOR), 1)
        self.refresh()

    def render(self) -> Text:
        width = self.size.width
        if self._text.cell_len <= width or not self._may_scroll:
            return self._text
        loop = self._text + Text(SEPARATOR) + self._text + Text(SEPARATOR)
        return loop[self._offset : self._offset + width]
