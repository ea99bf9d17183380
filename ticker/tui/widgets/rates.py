"""The rates table: one row per pair, updated in place; a changed rate flashes."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import DataTable

from ticker.display.format import format_change, format_percent, format_rate

if TYPE_CHECKING:
    from ticker.model.routing import PairView

COLUMNS = ("Pair", "Rate", "Chg", "Chg%", "Fixings", "As of", "Source", "State")
STATE_SYMBOL = {"ok": "●", "divergent": "◆", "source failing": "✖", "last poll failed": "▲"}
#: Everything but the sparkline takes about this many columns; the sparkline gets the rest.
FIXED_WIDTH = 86
#: Below this width the absolute change is left out (the change in percent stays).
NARROW = 92
FLASH_SECONDS = 1.5


class RatesTable(DataTable[Text]):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.views: list[PairView] = []
        self._cells: dict[str, list[Text]] = {}
        self._rates: dict[str, Decimal] = {}

    @staticmethod
    def columns_for(width: int) -> tuple[str, ...]:
        return COLUMNS if width >= NARROW else tuple(c for c in COLUMNS if c != "Chg")

    @staticmethod
    def spark_width(width: int) -> int:
        extra = 0 if width >= NARROW else 13  # the room the absolute change would take
        return max(5, min(30, width - FIXED_WIDTH + extra))

    def show(
        self,
        views: list[PairView],
        sparks: dict[str, str],
        digits: int,
        colors: dict[str, str],
        width: int,
    ) -> None:
        """Show ``views``: rows are rebuilt only when the pairs change; otherwise only the
        cells that changed are redrawn, and a changed rate flashes."""
        spark_width = self.spark_width(width)
        columns = self.columns_for(width)
        cells = {
            v.local: self._pick(
                columns, self._row(v, sparks.get(v.local, "")[-spark_width:], digits, colors)
            )
            for v in views
        }
        same_rows = [v.local for v in views] == [v.local for v in self.views] and all(
            v.pair == old.pair for v, old in zip(views, self.views, strict=True)
        )
        if tuple(str(c.label) for c in self.columns.values()) != columns:
            self.clear(columns=True)
            for name in columns:
                self.add_column(name, key=name)
            same_rows = False
        if not same_rows:
            keep = self.cursor_row
            self.clear()
            for v in views:
                self.add_row(*cells[v.local], key=v.local)
            if views:
                self.move_cursor(row=min(max(keep, 0), len(views) - 1))
        else:
            for v in views:
                for column, (old, new) in zip(
                    COLUMNS, zip(self._cells[v.local], cells[v.local], strict=True), strict=True
                ):
                    if old != new:
                        self.update_cell(v.local, column, new)
        changed = [
            v.local
            for v in views
            if same_rows and v.local in self._rates and self._rates[v.local] != v.rate
        ]
        self.views = list(views)
        self._cells = cells
        self._rates = {v.local: v.rate for v in views}
        for local in changed:
            self._flash(local)

    @staticmethod
    def _pick(columns: tuple[str, ...], row: list[Text]) -> list[Text]:
        return [cell for name, cell in zip(COLUMNS, row, strict=True) if name in columns]

    def _flashing(self) -> list[tuple[int, str]]:
        labels = [str(c.label) for c in self.columns.values()]
        return [(labels.index(c), c) for c in ("Rate", "Chg%") if c in labels]

    def _flash(self, local: str) -> None:
        for index, column in self._flashing():
            bright = self._cells[local][index].copy()
            bright.stylize("reverse bold")
            self.update_cell(local, column, bright)
        self.set_timer(FLASH_SECONDS, lambda: self._unflash(local))

    def _unflash(self, local: str) -> None:
        if local in self._cells:  # back to the current cells, colours and alignment intact
            for index, column in self._flashing():
                self.update_cell(local, column, self._cells[local][index])

    def _row(self, v: PairView, spark: str, digits: int, colors: dict[str, str]) -> list[Text]:
        trend = ""
        if v.change_pct is not None and v.change_pct > 0:
            trend = colors["up"]
        elif v.change_pct is not None and v.change_pct < 0:
            trend = colors["down"]
        state = v.state
        # stale: a clock; a fallback: the arrow it takes
        symbol = "↪" if v.fallback_for is not None and state.startswith("fallback") else None
        symbol = symbol or STATE_SYMBOL.get(state, "◷")
        state_style = colors["ok"] if state == "ok" else colors["warn"]
        if state in ("source failing", "last poll failed"):
            state_style = colors["down"]
        change = format_change(v.change) if v.change is not None else "n/a"
        pct = format_percent(v.change_pct) if v.change_pct is not None else "n/a"
        return [
            Text(str(v.pair), style="bold"),
            Text(format_rate(v.rate, digits), justify="right"),
            Text(change, style=trend, justify="right"),
            Text(pct, style=trend, justify="right"),
            Text(spark, style=trend),
            Text(v.as_of.strftime("%d %b")),
            Text(v.provider.upper() + ("×" if v.derived else "")),
            Text(f"{symbol} {state}", style=state_style),
        ]

    @property
    def selected(self) -> PairView | None:
        if not self.views or self.cursor_row < 0 or self.cursor_row >= len(self.views):
            return None
        return self.views[self.cursor_row]
