"""What the dashboard does around its first frame: the key footer built once, the cycle
collector held off until the frame is shown."""

from __future__ import annotations

import gc
import io
import sys
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Input
from textual.widgets._footer import FooterKey

from providers.base import Observation
from tests.helpers.dashboard import NOW, TODAY, make_app, repo_for, rows, settle
from ticker import cli
from ticker.config import Settings
from ticker.display.format import format_rate
from ticker.model.pairs import Pair
from ticker.model.rules import AlertKind, AlertRuleConfig
from ticker.tui.app import TickerApp
from ticker.tui.widgets.footer import KeyFooter
from ticker.tui.widgets.rates import RatesTable


class _Keys(App[None]):
    BINDINGS = [Binding("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Button("one", id="one")
        yield Button("two", id="two")
        yield Input(id="text")
        yield KeyFooter()


def _keys(app: App[None]) -> list[FooterKey]:
    return list(app.query(FooterKey))


async def test_the_footer_keeps_its_keys_while_the_keys_shown_stay_the_same() -> None:
    app = _Keys()
    async with app.run_test() as pilot:
        await pilot.pause()
        app.query_one("#one", Button).focus()
        await pilot.pause()
        before = _keys(app)
        assert [k.description for k in before] == ["Quit", "palette"]
        app.query_one("#two", Button).focus()  # the bindings are updated, the keys are not
        await pilot.pause()
        assert _keys(app) == before
        assert all(a is b for a, b in zip(_keys(app), before, strict=True))


async def test_the_footer_is_rebuilt_when_the_keys_shown_change() -> None:
    app = _Keys()
    async with app.run_test() as pilot:
        await pilot.pause()
        app.query_one("#one", Button).focus()
        await pilot.pause()
        assert [k.description for k in _keys(app)] == ["Quit", "palette"]
        app.query_one(Input).focus()  # typing: q is a letter now, not Quit
        await pilot.pause()
        assert [k.description for k in _keys(app)] == ["palette"]
        app.query_one("#two", Button).focus()
        await pilot.pause()
        assert [k.description for k in _keys(app)] == ["Quit", "palette"]


async def test_the_dashboard_footer_is_built_once_and_survives_focus_changes(
    seeded: Settings,
) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        keys = _keys(app)
        shown = [k.description for k in keys]
        assert shown[:3] == ["Quit", "Alert", "Export"]
        await pilot.press("tab")  # from the rates to the alerts table
        await settle(pilot)
        assert all(a is b for a, b in zip(_keys(app), keys, strict=True))
        assert len(_keys(app)) == len(keys)


async def test_the_store_is_read_from_the_start_and_after_first_frame_runs_once(
    seeded: Settings,
) -> None:
    """The read side loads no ORM, so the first read starts with the app, alongside the
    first frame (the data is on screen with it, or just after), not after it."""
    calls: list[bool] = []
    shown: list[str] = []

    def first_frame() -> None:
        calls.append(True)
        shown.append("frame")

    app = TickerApp(
        seeded,
        collect=False,
        after_first_frame=first_frame,
        after_first_data=lambda: shown.append("data"),
    )
    read = app.load_snapshot

    def load_snapshot(if_changed: bool = False) -> None:
        # The store watch's once-a-second look (if_changed) may come in on a slow run.
        calls.append(False)
        read(if_changed)

    app.load_snapshot = load_snapshot  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
    assert calls[0] is False  # the read began before the first frame was shown
    assert calls.count(True) == 1
    assert calls.count(False) >= 2  # and "r" read again
    # What the read found is drawn after the first frame, never holding it up.
    assert shown == ["frame", "data"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_dashboard_holds_the_cycle_collector_until_its_first_frame(
    monkeypatch: pytest.MonkeyPatch, isolated_env: object
) -> None:
    seen: list[tuple[str, bool, bool]] = []

    def note(stage: str) -> None:
        seen.append((stage, gc.isenabled(), gc.get_freeze_count() > 0))

    def run(app: TickerApp) -> None:
        note("starting")
        assert app.after_first_frame is not None and app.after_first_data is not None
        app.after_first_frame()
        note("first frame shown")
        app.after_first_data()
        note("first data shown")

    monkeypatch.setattr(TickerApp, "run", run)
    monkeypatch.setattr(sys, "stdin", _Terminal())
    monkeypatch.setattr(sys, "stdout", _Terminal())
    assert gc.isenabled() and gc.get_freeze_count() == 0
    try:
        assert cli.main([]) == 0
    finally:
        gc.unfreeze()  # the test process's own objects go back to the collector
    assert seen == [
        ("starting", False, False),
        ("first frame shown", True, False),
        ("first data shown", True, True),  # the start-up's survivors are set aside
    ]
    assert gc.isenabled()


async def test_after_first_data_runs_once_when_the_first_read_is_shown(
    seeded: Settings,
) -> None:
    shown: list[int] = []
    app = TickerApp(seeded, collect=False)
    app.after_first_data = lambda: shown.append(app.query_one(RatesTable).row_count)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("r")  # a second read
        await settle(pilot)
    assert shown == [5]  # once, with the five pairs already in the table


def test_the_cycle_collector_is_back_on_when_the_dashboard_refuses_to_start(
    isolated_env: object,
) -> None:
    assert cli.main([]) == 2  # pytest's stdin is no terminal
    assert gc.isenabled()


async def test_a_dashboard_that_does_not_collect_reads_again_only_what_changed(
    seeded: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ticker.core.snapshot

    reads: list[int] = []

    def counted(name: str) -> None:  # a whole read, or the rows of new fixings
        read = getattr(ticker.core.snapshot, name)

        def counting(*args: Any, **kwargs: Any) -> Any:
            reads.append(1)
            return read(*args, **kwargs)

        monkeypatch.setattr(ticker.core.snapshot, name, counting)

    counted("load_snapshot")
    counted("load_changed")
    clock = [NOW]
    app = TickerApp(seeded, collect=False, now=lambda: clock[0], animate=False)
    app.looks.gap = 0.0  # each look here reads at once (the pace: test_look_pace.py)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert len(reads) == 1
        app._reload_if_changed()  # what the one-second look does
        await settle(pilot)
        assert len(reads) == 1  # nothing new: not read again
        other = repo_for(seeded)  # another process's collector stores a fixing
        tomorrow = TODAY + timedelta(days=1)  # NBKR publishes the next day's rate
        other.store([Observation("nbkr", "USD", "KGS", tomorrow, Decimal("88.10"), False, NOW)])
        app._reload_if_changed()
        await settle(pilot)
        assert len(reads) == 2  # at the next look: no waiting for a re-read
        assert rows(app)[0]["Rate"] == format_rate(Decimal(1) / Decimal("88.10"), 5)
        health = other.load_health()["nbk"]
        other.save_health(health)  # a commit that changes nothing shown (a heartbeat's)
        app._reload_if_changed()
        await settle(pilot)
        assert len(reads) == 2
        rule = AlertRuleConfig(Pair("KZT", "USD"), AlertKind.ABOVE, value=Decimal("0.0021"))
        other.add_alert_rule(rule, "cli", NOW)  # ticker alerts add: shown at the next look
        other.db.dispose()
        app._reload_if_changed()
        await settle(pilot)
        assert len(reads) == 3 and len(app.snapshot.rules) == 1  # type: ignore[union-attr]
        clock[0] = NOW + timedelta(days=1)  # a new day: states depend on the date
        app._reload_if_changed()
        await settle(pilot)
        assert len(reads) == 4
        await pilot.press("f")  # asked for: always read
        await settle(pilot)
        assert len(reads) == 5
