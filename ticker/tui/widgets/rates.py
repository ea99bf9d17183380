"""The rates table: one row per pair, updated in place; a changed rate flashes. The change
columns say their period when it is not the previous fixing (``Chg 1M``, ``Chg% 1M``, as
``ticker rates`` says it).

With pairs beyond the dollar watched (``[pairs] watch``), the rows come in groups by their
foreign currency (USD, RUB, EUR, CNY, then the crosses among the five), each under a dim
label row (``─ RUB``) that the cursor steps over; with the dollar pairs alone, no label.

Beside the rate, once read (after the first frame: :class:`ticker.core.market.MarketColumn`),
the market: each pair's best cash buy/sell at the banks and offices, in the row's terms
(a row turned round from the boards' way has both inverted and buy and sell swapped:
:mod:`ticker.model.market_column`), marked where a third party's board gives it, or a rate
reported by hand. On a narrow terminal it outranks the absolute change and the long
source names, and folds before anything else goes (:mod:`ticker.display.columns`)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from rich.text import Text

from ticker.display.columns import MARKET, WITH_MARKET, Layout, fit, source_label
from ticker.display.format import format_percent, format_rate, format_rate_change
from ticker.display.names import period_tag
from ticker.display.states import state_text, state_words
from ticker.i18n.dates import day_month
from ticker.i18n.words import N_, _
from ticker.model.snapshot import LOCALS_GROUP, group_of, row_key
from ticker.tui.widgets.row_cache import RowCachedTable

if TYPE_CHECKING:
    from ticker.model.market_column import ColumnEntry
    from ticker.model.routing import PairView

FLASH_SECONDS = 1.5
#: A group label row's key starts so (a pair's row key never does).
GROUP_ROW = "group:"
#: The colours a row's cells are measured with (a colour takes no cell).
_PLAIN = {"up": "", "down": "", "warn": "", "ok": ""}


def group_label(group: str) -> str:
    """A group's label row's first cell: ``─ RUB``; the crosses among the five, ``─ local``."""
    name = _("local") if group == LOCALS_GROUP else group  # outside an f-string: extracted
    return f"─ {name}"


def table_rows(views: list[PairView]) -> list[PairView | str]:
    """The table's rows: the views, each group of them after its label (a group name)
    when there is more than one group; the dollar pairs alone: the views alone."""
    groups = list(dict.fromkeys(group_of(v.pair) for v in views))
    if len(groups) < 2:
        return list(views)
    rows: list[PairView | str] = []
    for v in views:
        group = group_of(v.pair)
        if not rows or isinstance(rows[-1], str) or group_of(rows[-1].pair) != group:
            rows.append(group)
        rows.append(v)
    return rows


#: The change columns (their labels say a period other than the previous fixing's).
CHANGE_COLUMNS = ("Chg", "Chg%")
#: Each column's title (its name is its key): short, so that the table fits 80 columns in
#: every language (``ticker.display.columns`` fits the titles with the cells).
TITLES: dict[str, str] = {
    "Pair": N_("Pair"),
    "Rate": N_("Rate"),
    "Market": N_("Market"),
    "Chg": N_("Chg"),
    "Chg%": N_("Chg%"),
    "Fixings": N_("Fixings"),
    "As of": N_("As of"),
    "Source": N_("Source"),
    "State": N_("State"),
}


def column_labels(views: list[PairView]) -> dict[str, str]:
    """Each column's label: its title in the user's words, with the period after the
    change columns' when it is not the previous fixing (``Chg 1M``, ``Chg% 1M``: every
    view's change is over the same one)."""
    tag = period_tag(views[0].change_period) if views else ""
    labels = {name: _(TITLES.get(name, name)) for name in WITH_MARKET}
    return {
        name: f"{label} {tag}" if tag and name in CHANGE_COLUMNS else label
        for name, label in labels.items()
    }


class RatesTable(RowCachedTable):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.views: list[PairView] = []
        self.shown_rows: list[PairView | str] = []
        """What each row holds: a pair's view, or a group's name (its label row)."""
        self._cells: dict[str, list[Text]] = {}
        self._rates: dict[str, Decimal] = {}
        self._market: list[ColumnEntry] = []
        self._market_count = 0
        """How many times the market column was set (a row made before is made again)."""
        self._made: dict[tuple[object, ...], list[Text]] = {}
        self._used: set[tuple[object, ...]] = set()
        self._made_rows: dict[str, list[Text]] = {}
        """Each row's cells as made (all the columns), by its key: the shown cells are
        picked from them again only when they change."""
        self._picked: tuple[str, ...] = ()
        """The columns the shown cells were picked for."""
        self._widths: dict[tuple[object, ...], tuple[tuple[int, ...], tuple[int, ...]]] = {}
        self._widths_used: set[tuple[object, ...]] = set()
        """Each row's cells as last made, by what they were made from: a refresh makes
        only the rows whose pair moved (the others' cells are the same objects)."""

    @property
    def market(self) -> list[ColumnEntry]:
        """The market column's entries (none until read, after the first frame)."""
        return self._market

    @market.setter
    def market(self, entries: list[ColumnEntry]) -> None:
        self._market = entries
        self._market_count += 1

    def fit_to(self, views: list[PairView], digits: int, width: int) -> Layout:
        """The columns and sparkline length that fit ``width`` with these contents (each
        row's cell widths measured once, when the row changes: a refresh measures only
        the changed rows, and compares them with the others' as they were)."""
        widths = [self._widths_of(v, digits) for v in views]
        self._widths = {k: self._widths[k] for k in self._widths_used}
        self._widths_used = set()
        labels = column_labels(views)

        def widest(short: int) -> dict[str, int]:
            return {
                name: max([len(labels[name]), *(row[short][i] for row in widths)])
                for i, name in enumerate(WITH_MARKET)
            }

        market = any(row[0][WITH_MARKET.index(MARKET)] for row in widths)
        return fit(width, widest(0), widest(1), market)

    def _widths_of(self, v: PairView, digits: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """A row's cell widths, full and with the short source and state words."""
        key = (v, digits, self._market_count, _("n/a"))
        self._widths_used.add(key)
        got = self._widths.get(key)
        if got is None:
            full = self._row(v, "", digits, _PLAIN)
            short = self._row(v, "", digits, _PLAIN, True, True)
            got = self._widths[key] = (
                tuple(c.cell_len for c in full),
                tuple(c.cell_len for c in short),
            )
        return got

    def show(
        self,
        views: list[PairView],
        sparks: dict[str, str],
        digits: int,
        colors: dict[str, str],
        width: int,
    ) -> None:
        """Show ``views`` as a fresh table at ``width`` would: rows are rebuilt (columns and
        their widths too) only when the pairs or the columns change; otherwise only the cells
        that changed are redrawn, each column's width following what it now holds (wider or
        narrower), and a changed rate flashes."""
        rows = table_rows(views)
        width -= self._scrollbar(len(rows))
        layout = self.fit_to(views, digits, width)
        columns = layout.columns
        labels = column_labels(views)
        short = layout.short_sources, layout.short_states
        made = {
            row_key(v): self._row(
                v, self._spark(sparks.get(row_key(v), ""), layout), digits, colors, *short
            )
            for v in views
        }
        kept = self._made_rows if columns == self._picked else {}
        cells = {
            key: self._cells[key] if row is kept.get(key) else self._pick(columns, row)
            for key, row in made.items()
        }
        same_rows = [self._key(r) for r in rows] == [self._key(r) for r in self.shown_rows] and all(
            v.pair == old.pair for v, old in zip(views, self.views, strict=True)
        )
        shown = [(c.key.value, str(c.label)) for c in self.columns.values()]
        if shown != [(name, labels[name]) for name in columns]:
            same_rows = False
        if not same_rows:
            keep = self.cursor_row
            # Columns go too: a column keeps the widest cell it ever held otherwise.
            self.clear(columns=True)
            for name in columns:
                self.add_column(labels[name], key=name)
            for r in rows:
                if isinstance(r, str):
                    label = [Text(group_label(r), style="dim")]
                    self.add_row(*label, *(Text("") for _ in columns[1:]), key=self._key(r))
                else:
                    self.add_row(*cells[row_key(r)], key=row_key(r))
            if rows:
                self.move_cursor(row=self._off_label(min(max(keep, 0), len(rows) - 1), rows))
        else:
            for v in views:
                key = row_key(v)
                if cells[key] is self._cells[key]:
                    continue  # the row as it was made (its cells the same objects)
                for column, (old, new) in zip(
                    columns, zip(self._cells[key], cells[key], strict=True), strict=True
                ):
                    if old != new:
                        self.update_cell(key, column, new, update_width=True)
        changed = [
            row_key(v)
            for v in views
            if same_rows and row_key(v) in self._rates and self._rates[row_key(v)] != v.rate
        ]
        self._forget_made()
        self.views = list(views)
        self.shown_rows = rows
        self._cells = cells
        self._made_rows, self._picked = made, columns
        self._rates = {row_key(v): v.rate for v in views}
        for local in changed:
            self._flash(local)

    def _scrollbar(self, rows: int) -> int:
        """The cells the vertical scrollbar takes when ``rows`` (and the header) are more
        than the table's height shows (many watched pairs): the columns fit beside it."""
        most = self.styles.max_height
        if most is None or not most.is_cells or rows + 1 <= most.value:
            return 0
        return self.styles.scrollbar_size_vertical

    @staticmethod
    def _key(row: PairView | str) -> str:
        return GROUP_ROW + row if isinstance(row, str) else row_key(row)

    @staticmethod
    def _off_label(at: int, rows: list[PairView | str]) -> int:
        """The row ``at``, or the pair's row after it when it is a label."""
        while at < len(rows) - 1 and isinstance(rows[at], str):
            at += 1
        return at

    def action_cursor_down(self) -> None:
        super().action_cursor_down()
        if 0 <= self.cursor_row < len(self.shown_rows) and isinstance(
            self.shown_rows[self.cursor_row], str
        ):
            super().action_cursor_down()  # a label: on to its first pair

    def action_cursor_up(self) -> None:
        super().action_cursor_up()
        row = self.cursor_row
        if 0 <= row < len(self.shown_rows) and isinstance(self.shown_rows[row], str):
            if row > 0:
                super().action_cursor_up()  # a label: on to the last pair of the group above
            else:
                self.move_cursor(row=self._off_label(row, self.shown_rows))

    @staticmethod
    def _spark(spark: str, layout: Layout) -> str:
        """The newest end of ``spark``, as long as the layout's sparkline, blank before
        it when the history is shorter: the column is as wide as the layout says, so a
        sparkline that grows by a fixing leaves the columns where they are (and costs
        its row, not the table)."""
        return spark[-layout.spark :].rjust(layout.spark) if layout.spark else ""

    @staticmethod
    def _pick(columns: tuple[str, ...], row: list[Text]) -> list[Text]:
        return [cell for name, cell in zip(WITH_MARKET, row, strict=True) if name in columns]

    def _flashing(self) -> list[tuple[int, str]]:
        keys = [c.key.value for c in self.columns.values()]
        return [(keys.index(c), c) for c in ("Rate", "Chg%") if c in keys]

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

    def _forget_made(self) -> None:
        """Keep only the rows made by the last call (the memo never outgrows the table)."""
        self._made, self._used = {k: self._made[k] for k in self._used}, set()

    def _row(
        self,
        v: PairView,
        spark: str,
        digits: int,
        colors: dict[str, str],
        short_sources: bool = False,
        short_states: bool = False,
    ) -> list[Text]:
        """A row's cells (every column), made again only when what they are made from
        changed (the language too: its word for "n/a" stands for it). The widths are
        measured on rows made here too (plain colours, no sparkline)."""
        key = (v, spark, digits, tuple(colors.values()), short_sources, short_states,
               self._market_count, _("n/a"))  # fmt: skip
        self._used.add(key)
        made = self._made.get(key)
        if made is not None:
            return made
        trend = ""
        if v.change_pct is not None and v.change_pct > 0:
            trend = colors["up"]
        elif v.change_pct is not None and v.change_pct < 0:
            trend = colors["down"]
        words = state_words(v)
        change = _("n/a")
        if v.change is not None:
            change = format_rate_change(v.change, v.rate, digits, v.change_from_rate)
        pct = format_percent(v.change_pct) if v.change_pct is not None else _("n/a")
        made = self._made[key] = [
            Text(str(v.pair), style="bold"),
            Text(format_rate(v.rate, digits), justify="right"),
            self._market_cell(v, digits),
            Text(change, style=trend, justify="right"),
            Text(pct, style=trend, justify="right"),
            Text(spark, style=trend),
            Text(day_month(v.as_of)),
            Text(source_label(v.provider, v.derived, short_sources)),
            Text(
                f"{words.symbol} {state_text(v, short_states)}",
                style=colors[words.tone.color_key],
            ),
        ]
        return made

    def _market_cell(self, v: PairView, digits: int) -> Text:
        """The row's market cell (empty until the market is read, and for a pair without
        one); a reported rate in italics."""
        if not self.market:
            return Text("")
        from ticker.display.market import market_cell
        from ticker.model.market import Origin
        from ticker.model.market_column import entry_for

        entry = entry_for(self.market, v.pair)
        reported = entry is not None and entry.origin is Origin.REPORTED
        return Text(market_cell(entry, digits), style="italic" if reported else "", justify="right")

    @property
    def selected(self) -> PairView | None:
        """The pair under the cursor (on a label row: the group's first pair)."""
        rows = self.shown_rows
        if not rows or self.cursor_row < 0 or self.cursor_row >= len(rows):
            return None
        row = rows[self._off_label(self.cursor_row, rows)]
        return None if isinstance(row, str) else row
