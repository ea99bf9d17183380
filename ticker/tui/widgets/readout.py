"""A text that changes often (ages, the clock) and seldom changes size."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class Readout(Widget):
    """Like Textual's ``Static``, which lays the whole screen out again on every update
    because the new text may need another height. On the dashboard that is about 25 ms
    each time, and the status line and provider ages change every ten seconds while data
    is arriving. A readout asks for a new layout only when its text, wrapped at the
    current width, takes a different number of lines; otherwise it just repaints."""

    DEFAULT_CSS = """
    Readout { height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text()

    def show(self, text: Text) -> None:
        if text == self._text and text.style == self._text.style:  # == ignores the style
            return
        resized = self._lines(text) != self._lines(self._text)
        self._text = text
        self.refresh(layout=resized)

    def _lines(self, text: Text) -> int:
        width = self.size.width
        if width <= 0:
            return -1  # not laid out yet: a layout decides
        return len(text.wrap(self.app.console, width))

    def render(self) -> Text:
        return self._text
