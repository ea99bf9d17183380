"""Widgets that redraw only what changed: a readout repaints without a new layout unless
its height changes; a chart given the same data is not drawn again."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widget import Widget

from ticker.model.series import Series
from ticker.tui.widgets.chart import Chart
from ticker.tui.widgets.readout import Readout

W = TypeVar("W", bound=Widget)


class _Panel(App[None]):
    CSS = "Readout { width: 20; } Chart { width: 60; height: 12; }"

    def compose(self) -> ComposeResult:
        yield Readout(id="readout")
        yield Chart(id="chart")


@asynccontextmanager
async def _spied(
    app: App[None],
    kind: type[W],
    first: Callable[[W], object],
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[tuple[Pilot[None], W, list[dict[str, Any]]]]:
    """``app``'s widget of ``kind`` given ``first`` and drawn, then the keyword arguments
    of every refresh it asks for."""
    async with app.run_test() as pilot:
        widget = app.query_one(kind)
        first(widget)
        await pilot.pause()
        calls: list[dict[str, Any]] = []
        refresh = widget.refresh

        def spy(*args: Any, **kwargs: Any) -> Any:
            calls.append(kwargs)
            return refresh(*args, **kwargs)

        monkeypatch.setattr(widget, "refresh", spy)
        yield pilot, widget, calls


async def test_a_readout_lays_out_again_only_when_its_height_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = Text("updated 10s ago")
    async with _spied(_Panel(), Readout, lambda r: r.show(first), monkeypatch) as (
        pilot,
        readout,
        calls,
    ):
        readout.show(Text("updated 20s ago"))  # one line still
        readout.show(Text("updated 20s ago"))  # the same: nothing at all
        readout.show(Text("updated 30s ago · collecting from 9 sources"))  # three lines
        assert [c.get("layout") for c in calls] == [False, True]
        await pilot.pause()
        assert readout.size.height == 3
        assert str(readout.render()) == "updated 30s ago · collecting from 9 sources"
        calls.clear()
        readout.show(Text("updated 40s ago · collecting from 9 sources", style="dim"))
        assert [c.get("layout") for c in calls] == [False]  # the same height: a repaint
        readout.show(Text("updated 40s ago · collecting from 9 sources", style="bold"))
        assert [c.get("layout") for c in calls] == [False, False]  # only the style changed


def _series(*values: str) -> list[Series]:
    days = [date(2026, 11, d) for d in range(1, len(values) + 1)]
    return [Series("nbkr", days, [Decimal(v) for v in values])]


async def test_a_chart_given_the_same_data_is_not_drawn_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = _series("87.1", "87.2", "87.3")
    async with _spied(_Panel(), Chart, lambda c: c.show("KGS/USD", first), monkeypatch) as (
        pilot,
        chart,
        calls,
    ):
        chart.show("KGS/USD", _series("87.1", "87.2", "87.3"))  # re-read, equal
        assert calls == []
        chart.show("KGS/USD", _series("87.1", "87.2", "87.4"))  # a revised fixing
        chart.show("KZT/USD", _series("87.1", "87.2", "87.4"))  # another title
        assert len(calls) == 2
        await pilot.pause()
        assert "KZT/USD" in chart.render().plain


class _Strip(App[None]):
    CSS = "StripTicker { width: 30; }"

    def compose(self) -> ComposeResult:
        from ticker.tui.widgets.strip import StripTicker

        yield StripTicker(id="strip")


async def test_a_strip_given_the_same_items_is_not_drawn_again_and_its_pages_go_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ticker.tui.widgets.strip import StripTicker

    items = [Text(f"KGS/USD 0.01143{n} NBKR") for n in range(3)]  # wider than 30 together
    async with _spied(_Strip(), StripTicker, lambda s: s.set_items(items), monkeypatch) as (
        _,
        strip,
        calls,
    ):
        strip._step()  # the next page (its timer's callback)
        assert str(strip.render()).startswith("KGS/USD 0.011431")
        calls.clear()
        strip.set_items([Text(f"KGS/USD 0.01143{n} NBKR") for n in range(3)])  # equal
        assert calls == [] and str(strip.render()).startswith("KGS/USD 0.011431")
        strip.set_items([Text(f"KGS/USD 0.01144{n} NBKR") for n in range(3)])  # moved
        assert len(calls) == 1 and str(strip.render()).startswith("KGS/USD 0.011440")
