"""A changed cell costs its row: the rates table draws again only the row whose cells
changed (a new fixing of one pair, its flash and its end), the others come from the
caches, and what it shows is what a table made afresh with the same cells shows. A cell
that moves its column's width redraws the table (every line's columns move)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from decimal import Decimal
from typing import Any, NamedTuple

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets._data_table import ColumnKey

from providers.base import Observation
from tests.helpers.dashboard import NOW, TODAY, make_app, repo_for, rows, settle, until
from ticker.config import Settings
from ticker.display.columns import SPARK_MAX
from ticker.tui.widgets.rates import RatesTable
from ticker.tui.widgets.row_cache import RowCachedTable


def _drawn(table: Any, monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The keys of the rows the table draws from now on, one per line drawn (None: the
    header)."""
    drawn: list[str | None] = []
    draw = table._render_line_in_row

    def spy(row_key: Any, *args: Any, **kwargs: Any) -> Any:
        drawn.append(row_key.value)
        return draw(row_key, *args, **kwargs)

    monkeypatch.setattr(table, "_render_line_in_row", spy)
    return drawn


async def test_a_new_fixing_of_one_pair_redraws_that_row_alone(
    seeded: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.query_one(RatesTable)
        before = rows(app)
        kzt = [r["Pair"] for r in before].index("KZT/USD")
        assert table.cursor_row == 0  # the cursor is on another row (KGS/USD)
        drawn = _drawn(table, monkeypatch)
        other = repo_for(seeded)
        try:  # another process's collector: NBK's next fixing, 1 tenge up
            day = TODAY + timedelta(days=1)
            other.store([Observation("nbk", "USD", "KZT", day, Decimal("479.77"), False, NOW)])
        finally:
            other.close()
        await until(pilot, lambda: rows(app)[kzt]["Rate"] != before[kzt]["Rate"])
        await settle(pilot)
        after = rows(app)
        assert [r for i, r in enumerate(after) if i != kzt] == [
            r for i, r in enumerate(before) if i != kzt
        ]
        assert after[kzt]["Rate"] == "0.0020843"  # 1 / 479.77, five significant digits
        assert set(drawn) == {"KZT"}  # the flashing row, once per line: no other row
        assert "reverse" in str(table.get_row("KZT")[1].style) or any(
            "reverse" in str(span.style) for span in table.get_row("KZT")[1].spans
        )
        drawn.clear()
        table._unflash("KZT")  # the flash's end (its timer's callback)
        await pilot.pause()
        assert set(drawn) == {"KZT"}
        assert table.get_row("KZT")[1].plain == "0.0020843"


async def test_a_sparkline_gaining_a_fixing_on_a_wide_screen_redraws_its_row_alone(
    seeded: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 160 columns the sparkline's column (30 cells) is longer than the history: a new
    fixing lengthens KZT's sparkline by one, and the column stays as wide as the layout
    says (blank before a short history), so nothing else moves and no other row is drawn."""
    app = make_app(seeded)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        table = app.query_one(RatesTable)
        before = rows(app)
        kzt = [r["Pair"] for r in before].index("KZT/USD")
        width = table.columns[ColumnKey("Fixings")].get_render_width(table)
        spark = before[kzt]["Fixings"]
        assert len(spark) == SPARK_MAX and spark.startswith(" ")  # a short history, padded
        drawn = _drawn(table, monkeypatch)
        other = repo_for(seeded)
        try:
            day = TODAY + timedelta(days=1)
            other.store([Observation("nbk", "USD", "KZT", day, Decimal("479.77"), False, NOW)])
        finally:
            other.close()
        await until(pilot, lambda: rows(app)[kzt]["Fixings"] != spark)
        await settle(pilot)
        after = rows(app)
        grown = after[kzt]["Fixings"]
        assert len(grown) == SPARK_MAX
        assert len(grown.lstrip()) == len(spark.lstrip()) + 1  # one more fixing drawn
        assert table.columns[ColumnKey("Fixings")].get_render_width(table) == width
        assert set(drawn) == {"KZT"}


class _Tables(App[None]):
    CSS = "RowCachedTable { height: 6; width: 40; }"

    def compose(self) -> ComposeResult:
        yield RowCachedTable(id="kept")
        yield RowCachedTable(id="fresh")


CELLS = [["KGS/USD", "0.011435", "+0.1%"], ["KZT/USD", "0.0020886", "-0.2%"]]


def _fill(table: RowCachedTable, cells: list[list[str]]) -> None:
    table.clear(columns=True)
    for name in ("Pair", "Rate", "Chg%"):
        table.add_column(name, key=name)
    for row in cells:
        table.add_row(*(Text(c) for c in row), key=row[0])


def _lines(table: RowCachedTable) -> list[list[tuple[str, str]]]:
    return [[(s.text, str(s.style)) for s in table.render_line(y)] for y in range(len(CELLS) + 1)]


class _Kept(NamedTuple):
    pilot: Pilot[None]
    kept: RowCachedTable
    """Filled with ``CELLS`` and drawn once (every line cached), then changed."""
    fresh: RowCachedTable
    """Empty: filled afresh with what ``kept`` should show."""
    drawn: list[str | None]
    """The keys of the rows ``kept`` draws after it was drawn once."""


@asynccontextmanager
async def _kept_and_fresh(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[_Kept]:
    app = _Tables()
    async with app.run_test() as pilot:
        app.set_focus(None)
        kept, fresh = (
            app.query_one("#kept", RowCachedTable),
            app.query_one("#fresh", RowCachedTable),
        )
        _fill(kept, CELLS)
        await pilot.pause()
        _lines(kept)  # drawn once: every line cached
        yield _Kept(pilot, kept, fresh, _drawn(kept, monkeypatch))


async def test_a_cell_that_keeps_its_column_width_redraws_its_row_as_a_fresh_table_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with _kept_and_fresh(monkeypatch) as (pilot, kept, fresh, drawn):
        kept.update_cell("KZT/USD", "Rate", Text("0.0020854"), update_width=True)  # as wide
        kept.update_cell("KGS/USD", "Chg%", Text("-0.1%"), update_width=True)
        await pilot.pause()
        new = [["KGS/USD", "0.011435", "-0.1%"], ["KZT/USD", "0.0020854", "-0.2%"]]
        _fill(fresh, new)
        await pilot.pause()
        assert _lines(kept) == _lines(fresh)
        assert set(drawn) == {"KGS/USD", "KZT/USD"}  # not the header
        assert kept.columns["Rate"].content_width == len("0.0020854")  # type: ignore[index]


async def test_a_cell_that_widens_or_narrows_its_column_redraws_the_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with _kept_and_fresh(monkeypatch) as (pilot, kept, fresh, drawn):
        kept.update_cell("KGS/USD", "Rate", Text("0.01143512"), update_width=True)  # wider
        await pilot.pause()
        _lines(kept)
        assert set(drawn) == {None, "KGS/USD", "KZT/USD"}  # the header's columns moved too
        assert kept.columns["Rate"].content_width == len("0.01143512")  # type: ignore[index]
        kept.update_cell("KGS/USD", "Rate", Text("0.0114"), update_width=True)  # narrower:
        kept.update_cell("KZT/USD", "Rate", Text("0.0021"), update_width=True)  # the widest
        await pilot.pause()
        _fill(fresh, [["KGS/USD", "0.0114", "+0.1%"], ["KZT/USD", "0.0021", "-0.2%"]])
        await pilot.pause()
        assert kept.columns["Rate"].content_width == len("0.0114")  # type: ignore[index]
        assert _lines(kept) == _lines(fresh)
