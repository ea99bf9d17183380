"""The baseline of the start-up figure: a minimal Textual app with the dashboard's widget
tree (a one-line strip, the rates table, the chart area, the alerts table and providers
panel side by side, a status line, the footer), the same bindings in the footer, and
nothing else: no config, no store, no data."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Static


class Minimal(App[None]):
    BINDINGS = [
        ("q", "quit", "Quit"),
        ("a", "bell", "Alert"),
        ("e", "bell", "Export"),
        ("f", "bell", "Flip"),
        ("r", "bell", "Refresh"),
        ("c", "bell", "Range"),
        ("i", "bell", "Indicators"),
        ("question_mark", "bell", "Help"),
    ]
    CSS = """
    #strip { height: 1; }
    #body { height: 1fr; }
    #chart { height: 1fr; }
    #panels { height: auto; max-height: 10; }
    #alerts { width: 1fr; height: auto; max-height: 6; }
    #providers { width: 1fr; height: auto; }
    #status { height: 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="strip")
        with Vertical(id="body"):
            yield DataTable(id="rates")
            yield Static("reading the store…", id="chart")
            with Horizontal(id="panels"):
                yield DataTable(id="alerts")
                yield Static("", id="providers")
        yield Static("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        alerts = self.query_one("#alerts", DataTable)
        alerts.add_column("State")
        alerts.add_column("Alert")


if __name__ == "__main__":
    Minimal().run()
