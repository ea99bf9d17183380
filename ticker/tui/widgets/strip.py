"""The ticker strip across the top, like the news sites' strip.

When every pair fits, it stands still (no redraws). When it does not, it pages: every
``PAGE_SECONDS`` the strip moves on by one whole pair, so each pair is read in full (it
shows only whole pairs, then `` • …``), and the screen redraws once per page rather than
several times a second (a scrolling strip cost an idle dashboard about 1% of a core;
paging costs next to nothing).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.timer import Timer
from textual.widget import Widget

SEPARATOR = "  •  "
#: What ends a strip that shows only some of its pairs (the others come on later pages).
MORE = "  •  …"
#: Seconds each position of an overflowing strip stays on screen.
PAGE_SECONDS = 3.0


class StripTicker(Widget):
    DEFAULT_CSS = """
    StripTicker { height: 1; width: 1fr; }
    """

    def __init__(self, animate: bool = True, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._items: list[Text] = []
        self._first = 0
        self._may_move = animate
        self._timer: Timer | None = None

    def set_items(self, items: Sequence[Text]) -> None:
        """Show ``items`` (one per pair); the strip starts again at the first. The same
        items again change nothing (no redraw; the pages go on)."""
        if list(items) == self._items:
            return
        self._items = list(items)
        self._first = 0
        self._sync_timer()
        self.refresh()

    def on_resize(self) -> None:
        self._sync_timer()

    def _joined(self, items: Sequence[Text]) -> Text:
        return Text(SEPARATOR, style="dim").join(items)

    def _sync_timer(self) -> None:
        width = self.size.width
        moves = self._may_move and width > 0 and self._joined(self._items).cell_len > width
        if moves and self._timer is None:
            self._timer = self.set_interval(PAGE_SECONDS, self._step)
        elif not moves and self._timer is not None:
            self._timer.stop()
            self._timer = None
            self._first = 0

    def _step(self) -> None:
        if self._items:
            self._first = (self._first + 1) % len(self._items)
            self.refresh()

    def render(self) -> Text:
        width = self.size.width
        if not self._items:
            return Text("")
        rotated = self._items[self._first :] + self._items[: self._first]
        text = self._joined(rotated)
        if text.cell_len <= width or width <= 0:
            return text
        return self._whole(rotated, width)

    def _whole(self, items: Sequence[Text], width: int) -> Text:
        """As many whole items as fit in ``width`` with `` …`` after them (the others
        come on the next pages): never a pair's rate or change cut in the middle."""
        more = Text(MORE, style="dim")
        shown: list[Text] = []
        for item in items:
            if self._joined([*shown, item]).cell_len + more.cell_len > width:
                break
            shown.append(item)
        if not shown:  # one item wider than the strip: cut, as nothing else can be shown
            text = items[0].copy()
            text.truncate(width, overflow="ellipsis")
            return text
        return self._joined(shown) + more
