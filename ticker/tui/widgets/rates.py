"""The rates table: one row per pair, updated in place; a changed rate flashes."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.widgets import DataTable

from ticker.format import format_change, format_percent, format_rate
from ticker.routing import PairView

COLUMNS = ("Pair", "Rate", "Chg", "Chg%", "Fixings", "As of", "Source", "State")
#: Below this width the absolute change is left out and the sparkline shortens.
WIDE = 110
STATE_SYMBOL = {"ok": "●", "divergent": "◆", "source failing": "✖"}


class RatesTable(DataTable[Text]):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self._rates: dict[str, Decimal] = {}
        self.views: list[PairView] = []

    def _columns_for(self, width: int) -> tuple[str, ...]:
        return COLUMNS if width >= WIDE else tuple(c for c in COLUMNS if c != "Chg")

    def _spark_width(self, width: int) -> int:
        return 30 if width >= WIDE + 20 else max(8, min(30, width - 70))

    def show(
        self,
        views: list[PairView],
        sparks: dict[str, str],
        digits: int,
        colors: dict[str, str],
        width: int,
    ) -> None:
        """Replace the rows; rows whose rate changed since last time flash briefly."""
        keep_cursor = self.cursor_row
        columns = self._columns_for(width)
        if tuple(str(c.label) for c in self.columns.values()) != columns:
            self.clear(columns=True)
            for name in columns:
                self.add_column(name, key=name)
        spark_width = self._spark_width(width)
        changed = {
            v.local for v in views if v.local in self._rates and self._rates[v.local] != v.rate
        }
        flipped = any(str(v.pair) not in self._row_labels() for v in views) and bool(self._rates)
        self.clear()
        for v in views:
            cells = self._cells(v, sparks.get(v.local, "")[-spark_width:], digits, colors)
            if "Chg" not in columns:
                del cells[2]
            self.add_row(*cells, key=v.local)
        self.views = list(views)
        self._rates = {v.local: v.rate for v in views}
        if views:
            self.move_cursor(row=min(max(keep_cursor, 0), len(views) - 1))
        if changed and not flipped:
            for local in changed:
                self._flash(local)

    def _row_labels(self) -> set[str]:
        return {str(v.pair) for v in self.views}

    def _flash(self, local: str) -> None:
        for column in ("Rate", "Chg%"):
            cell = self.get_cell(local, column)
            self.update_cell(local, column, Text(cell.plain, style="reverse bold"))
        self.set_timer(1.5, lambda: self._unflash(local))

    def _unflash(self, local: str) -> None:
        if local not in self._rates:
            return
        for column in ("Rate", "Chg%"):
            cell = self.get_cell(local, column)
            self.update_cell(local, column, Text(cell.plain, style=""))

    def _cells(self, v: PairView, spark: str, digits: int, colors: dict[str, str]) -> list[Text]:
        trend = ""
        if v.change_pct is not None and v.change_pct > 0:
            trend = colors["up"]
        elif v.change_pct is not None and v.change_pct < 0:
            trend = colors["down"]
        state = v.state
        symbol = STATE_SYMBOL.get(state, "◷")  # stale: a clock
        state_style = colors["ok"] if state == "ok" else colors["warn"]
        if state == "source failing":
            state_style = colors["down"]
        source = v.provider.upper() + ("×" if v.derived else "")
        return [
            Text(str(v.pair), style="bold"),
            Text(format_rate(v.rate, digits), justify="right"),
            Text(
                format_change(v.change) if v.change is not None else "n/a",
                style=trend,
                justify="right",
            ),
            Text(
                format_percent(v.change_pct) if v.change_pct is not None else "n/a",
                style=trend,
                justify="right",
            ),
            Text(spark, style=trend),
            Text(v.as_of.strftime("%d %b")),
            Text(source),
            Text(f"{symbol} {state}", style=state_style),
        ]

    @property
    def selected(self) -> PairView | None:
        if not self.views or self.cursor_row < 0 or self.cursor_row >= len(self.views):
            return None
        return self.views[self.cursor_row]
