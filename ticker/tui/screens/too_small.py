"""Said instead of the dashboard on a terminal smaller than it needs: what size it needs and
the size it has (at 40x12 the dashboard's columns would be cut to one letter)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Static

from ticker.i18n.words import _

#: The smallest terminal the dashboard is laid out for: columns, rows.
MIN_SIZE = Size(80, 24)


def fits(size: Size) -> bool:
    return size.width >= MIN_SIZE.width and size.height >= MIN_SIZE.height


def words(size: Size) -> str:
    return _(
        "Terminal too small: {width}x{height}.\n"
        "ticker needs at least {least_width}x{least_height}.\n"
        "Enlarge it, or press q to quit."
    ).format(
        width=size.width,
        height=size.height,
        least_width=MIN_SIZE.width,
        least_height=MIN_SIZE.height,
    )


class TooSmallScreen(Screen[None]):
    """In front of every other screen until the terminal is large enough; only ``q``
    (quit) works meanwhile (the app refuses the rest)."""

    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; }
    TooSmallScreen > Static { width: 100%; height: auto; text-align: center; text-style: bold; }
    """

    def __init__(self, size: Size) -> None:
        super().__init__()
        self.shown_size = size

    def compose(self) -> ComposeResult:
        yield Static(words(self.shown_size), id="too-small")

    def resized(self, size: Size) -> None:
        """The terminal's new size: said, or (large enough) this screen goes."""
        if fits(size):
            self.dismiss()
            return
        self.shown_size = size
        self.query_one("#too-small", Static).update(words(size))

    def on_screen_resume(self) -> None:
        # Back on top (a screen that was pushed over it closed): is it still needed?
        self.call_after_refresh(self._leave_if_fits)

    def _leave_if_fits(self) -> None:
        if self.is_current and fits(self.app.size):
            self.dismiss()
