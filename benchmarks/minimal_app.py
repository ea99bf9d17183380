"""The baseline of the start-up figure: a minimal Textual app with the dashboard's widgets
(a one-line strip, a table with the rates' columns, a panel, a status line, the footer),
and no data."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Static


class Minimal(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static("strip")
        yield DataTable()
        yield Static("panel")
        yield Static("status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for column in ("Pair", "Rate", "Chg%", "Fixings", "As of", "Source", "State"):
            table.add_column(column)


if __name__ == "__main__":
    Minimal().run()
