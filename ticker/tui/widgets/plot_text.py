"""The plotter's rows (:mod:`ticker.display.plot`) as Rich text: each segment styled
with its colour, no ANSI round trip."""

from __future__ import annotations

from rich.style import Style
from rich.text import Span, Text

from ticker.display.plot import Row


def plot_text(rows: list[Row]) -> Text:
    """``rows`` as one text, a line each, each segment in its colour (a colour Rich
    parses: ``#0178d4``, ``cyan``)."""
    parts: list[str] = []
    spans: list[Span] = []
    at = 0
    for number, row in enumerate(rows):
        if number:
            parts.append("\n")
            at += 1
        for text, color in row:
            parts.append(text)
            if color:
                spans.append(Span(at, at + len(text), Style.parse(color)))  # parses are cached
            at += len(text)
    return Text("".join(parts), spans=spans)
