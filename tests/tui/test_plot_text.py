"""The plotter's rows as Rich text: each segment in its colour, a line a row."""

from __future__ import annotations

from rich.style import Style

from ticker.tui.widgets.plot_text import plot_text


def test_segments_become_styled_spans() -> None:
    text = plot_text([[("│", None), ("⣀⣀", "#ff0000"), ("│", None)], [("ab", "cyan")]])
    assert text.plain == "│⣀⣀│\nab"
    assert [(s.start, s.end, s.style) for s in text.spans] == [
        (1, 3, Style.parse("#ff0000")),
        (5, 7, Style.parse("cyan")),
    ]
