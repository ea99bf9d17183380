"""The dashboard driven by Pilot: every binding, the forms, the empty store, a hang."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from textual.containers import VerticalScroll
from textual.widgets import Input, Select, Switch

from tests.helpers.cli import ticker
from tests.helpers.dashboard import NOW, make_app, repo_for, rows, settle
from ticker.config import RATE_PROVIDERS, Settings
from ticker.tui.app import TickerApp
from ticker.tui.messages import RoundFinished
from ticker.tui.screens.confirm import ConfirmScreen
from ticker.tui.screens.detail import DetailScreen
from ticker.tui.screens.forms import AlertForm, ExportForm
from ticker.tui.screens.help import HelpScreen
from ticker.tui.widgets.chart import Chart
from ticker.tui.widgets.panels import AlertsTable, ProvidersPanel
from ticker.tui.widgets.rates import RatesTable
from ticker.tui.widgets.strip import StripTicker


async def test_startup_shows_every_pair_from_the_store(seeded: Settings) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = rows(app)
        assert [r["Pair"] for r in table] == ["KGS/USD", "KZT/USD", "TJS/USD", "UZS/USD", "TMT/USD"]
        kgs = table[0]
        assert kgs["Source"] == "NBKR" and kgs["Rate"] == "0.011435"  # 1/87.45, 5 digits
        tjs = table[2]
        # Yesterday 9.3263 (9.3450 * 0.998), today 9.3450 somoni per dollar: in TJS/USD that
        # is 9.3263 / 9.3450 - 1 = -0.2001%.
        assert tjs["Chg%"] == "-0.20%" and tjs["State"] == "● ok"
        tmt = table[4]
        # CBT is failing, but today's fixing is still current: the official rate stays
        # shown, and says its source's last poll failed.
        assert tmt["Source"] == "CBT" and tmt["State"] == "▲ last poll failed"
        strip = app.query_one(StripTicker).render().plain
        assert strip.startswith("KGS/USD 0.011435") and "-0%" not in strip
        assert "KGS/USD" in app.query_one(Chart).title
        providers = app.query_one(ProvidersPanel).render()
        assert "cbt ✖ timed out after 20s" in str(providers)
        assert "nbk ✓ 0s, next 30m" in str(providers)


async def test_flip_changes_every_pair_and_rate(seeded: Settings) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        table = rows(app)
        assert [r["Pair"] for r in table][:2] == ["USD/KGS", "USD/KZT"]
        assert table[1]["Rate"] == "478.77"
        assert "USD/KGS" in app.query_one(StripTicker).render().plain
        await pilot.press("f")
        await settle(pilot)
        assert rows(app)[0]["Pair"] == "KGS/USD"


async def test_selection_range_and_overlay(seeded: Settings) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        assert "KZT/USD" in app.query_one(Chart).title and "[1M]" in app.query_one(Chart).title
        await pilot.press("c")
        await settle(pilot)
        assert "[3M]" in app.query_one(Chart).title
        for expected in ("[1Y]", "[5Y]", "[All]", "[1M]"):
            await pilot.press("c")
            await settle(pilot)
            assert expected in app.query_one(Chart).title
        await pilot.press("o")
        await settle(pilot)
        chart = app.query_one(Chart)
        assert "every source" in chart.title
        assert [s.provider for s in chart.series] == ["nbk", "cbr"]
        await pilot.press("k")
        await settle(pilot)
        assert "KGS/USD" in app.query_one(Chart).title


async def test_detail_and_help_screens(seeded: Settings) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert [r.provider for r in app.screen.detail.rows] == ["nbkr", "cbr"]
        await pilot.press("escape")
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_the_help_scrolls_to_its_last_key_at_80x24(seeded: Settings) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        box = app.screen.query_one(VerticalScroll)
        assert box.max_scroll_y > 0  # it does not fit: 80x24 shows part of it
        assert box.region.bottom <= 24
        await pilot.press("down", "down", "j")  # j is the dashboard's: not here
        await pilot.pause()
        assert box.scroll_y == 2
        await pilot.press("end")
        await pilot.pause()
        assert box.scroll_y == box.max_scroll_y
        # The end of the text (the last key and the note under it) is in the window.
        assert box.scroll_y + box.scrollable_content_region.height >= box.virtual_size.height
        await pilot.press("escape")
        await pilot.pause()
        assert app.query_one(RatesTable).cursor_row == 0  # j did not move the selection


async def test_add_alert_validates_then_stores_and_delete_removes(
    seeded: Settings, tmp_path: Path
) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, AlertForm)
        form.query_one("#threshold", Input).value = "lots"
        form.query_one("#threshold", Input).focus()
        await pilot.press("enter")  # submitting any field saves
        await pilot.pause()
        error = str(form.query_one("#error").render())
        assert error == 'Threshold: expected a number from 0 to 1000000000, got "lots"'
        form.query_one("#pair", Input).value = "RUB"
        form.query_one("#threshold", Input).value = "0.0021"
        await pilot.press("enter")
        await pilot.pause()
        assert "Pair: expected one of KGS, KZT, TJS, UZS, TMT" in str(
            form.query_one("#error").render()
        )
        form.query_one("#pair", Input).value = "KZT/USD"
        form.query_one("#kind", Select).value = "above"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, AlertForm)
        repo = repo_for(seeded)
        (stored,) = repo.alert_rules()
        assert (str(stored.rule.pair), stored.rule.kind, stored.rule.value) == (
            "KZT/USD",
            "above",
            Decimal("0.0021"),
        )
        alerts = app.query_one(AlertsTable)
        assert alerts.rules and alerts.rules[0].id == stored.id
        assert alerts.get_row_at(0)[0].plain == "armed"
        # The rule stored from the dashboard is one of the rules the command line lists.
        cfg = tmp_path / "config.toml"
        cfg.write_text(f'[storage]\nurl = "{seeded.storage.url}"\n')
        listing = ticker("alerts", "list", "--json", "--config", str(cfg))
        (listed,) = json.loads(listing.stdout)
        assert (listed["id"], listed["origin"], listed["pair"]) == (
            stored.id,
            "dashboard",
            "KZT/USD",
        )
        await pilot.press("d")  # asks first, naming the rule; "n" keeps it
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert f"#{stored.id} KZT/USD above 0.0021" in app.screen.question
        await pilot.press("n")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen) and len(repo.alert_rules()) == 1
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert repo.alert_rules() == []
        repo.db.dispose()


async def test_export_from_the_dashboard(seeded: Settings, tmp_path: Path) -> None:
    app = make_app(seeded)
    target = tmp_path / "kgs.csv"
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ExportForm)
        assert form.query_one("#path", Input).value.endswith("ticker-KGS-USD-2026-11-23.csv")
        form.query_one("#path", Input).value = str(target)
        await pilot.click("#export")
        await settle(pilot)
    lines = target.read_text().splitlines()
    assert lines[0] == "as_of,base,quote,rate,provider,derived,fetched_at"
    # In the dashboard's orientation (KGS/USD), as the file name says.
    assert {tuple(line.split(",")[1:3]) for line in lines[1:]} == {("KGS", "USD")}
    assert len(lines) == 1 + 41 + 1  # 41 NBKR days and one CBR cross
    last_nbkr = [line for line in lines if ",nbkr," in line][-1].split(",")
    inverse = Decimal(last_nbkr[3])  # 1 / 87.45 = 0.011435105774..., to 10 significant digits
    assert last_nbkr[3] == "0.01143510577" and abs(inverse * Decimal("87.45") - 1) < 1e-9


async def test_the_dashboard_exports_the_wide_form(seeded: Settings, tmp_path: Path) -> None:
    app = make_app(seeded)
    target = tmp_path / "wide.csv"
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press("f")  # USD/KGS = 87.45: the published digits
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ExportForm)
        form.query_one("#path", Input).value = str(target)
        form.query_one("#only", Switch).value = False
        form.query_one("#shape", Select).value = "wide"
        await pilot.click("#export")
        await settle(pilot)
    lines = target.read_text().splitlines()
    assert lines[0] == "as_of,USD/KGS,USD/KZT,USD/TJS,USD/UZS,USD/TMT"
    assert lines[-1] == "2026-11-23,87.45,478.77,9.3450,12194.21,3.50"
    friday = next(line for line in lines if line.startswith("2026-11-20,"))
    saturday = next(line for line in lines if line.startswith("2026-11-21,"))
    # No NBK file of that Saturday is stored: Friday's rate stays in force (no other
    # source of the tenge has anything newer), never an empty cell.
    assert saturday.split(",")[2] == friday.split(",")[2] != ""


async def test_theme_and_refresh_without_a_collector(seeded: Settings) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        before = app.theme
        await pilot.press("t")
        await pilot.pause()
        assert app.theme != before
        await pilot.press("r")
        await pilot.pause()
        await settle(pilot)
        # No collector holds the lease (this one runs with --no-collect): nobody polls.
        assert any("Nobody polls this store" in n.message for n in app._notifications)


async def test_remapped_keys(seeded: Settings) -> None:
    keys = dict(seeded.keys)
    keys["flip"] = "x"
    app = make_app(dataclasses.replace(seeded, keys=keys))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert rows(app)[0]["Pair"] == "KGS/USD"  # f no longer flips
        await pilot.press("x")
        await settle(pilot)
        assert rows(app)[0]["Pair"] == "USD/KGS"


async def test_empty_store_says_what_is_happening(empty: Settings) -> None:
    app = make_app(empty)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.query_one(RatesTable).row_count == 0
        note = app.query_one(Chart).empty_note
        assert note.startswith("No rates stored yet, and this dashboard does not collect.")
        assert "ticker backfill --since 1y" in note
        status = str(app.query_one("#status").render())
        assert "no collector (--no-collect)" in status


async def test_a_hanging_provider_does_not_freeze_the_interface(seeded: Settings) -> None:
    async def hang(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(30)
        return httpx.Response(500)

    providers = {
        name: dataclasses.replace(seeded.providers[name], timeout=timedelta(seconds=1))
        for name in RATE_PROVIDERS
    }
    settings = dataclasses.replace(
        seeded,
        providers={**seeded.providers, **providers},
        collector=dataclasses.replace(seeded.collector, retries=1),
    )
    repo = repo_for(settings)
    with repo.db.engine.begin() as conn:  # no health rows: every source is polled at once
        conn.exec_driver_sql("DELETE FROM provider_status")
    repo.db.dispose()
    heard: list[RoundFinished] = []

    def hook(message: object) -> None:
        if isinstance(message, RoundFinished):
            heard.append(message)

    app = TickerApp(
        settings, collect=True, now=lambda: NOW, animate=False, transport=httpx.MockTransport(hang)
    )
    async with app.run_test(size=(100, 30), message_hook=hook) as pilot:
        await settle(pilot)
        panel = str(app.query_one(ProvidersPanel).render())
        assert "polling…" in panel  # the sources are hanging...
        await pilot.press("f")  # ...and the keys still work
        await pilot.pause(0.3)
        assert rows(app)[0]["Pair"] == "USD/KGS"
        for _ in range(300):  # bounded: the rounds time out after 1 s (2 s with a fallback)
            if len(heard) == len(RATE_PROVIDERS):
                break
            await pilot.pause(0.1)
        assert {m.provider for m in heard} == set(RATE_PROVIDERS)
        assert all(not m.ok and m.reason.startswith("timed out after 1 s reaching ") for m in heard)
        await settle(pilot)
        panel = str(app.query_one(ProvidersPanel).render())
        assert "nbk ▲ timed out after 1 s reaching nationalbank.kz" in panel
        # The state column says so too, within one poll.
        assert rows(app)[1]["State"] == "▲ last poll failed"


async def test_q_quits(seeded: Settings) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_the_palette_offers_every_action(seeded: Settings) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        listed = [c.title for c in app.get_system_commands(app.screen)]
        assert len(listed) == len(set(listed)), listed  # each entry once ("Theme" was twice)
        titles = set(listed)
        for title in (
            "Flip",
            "Export",
            "Alert",  # each key's word (ticker.tui.keys)
            "Delete alert",
            "Range",
            "Refresh",
            "Detail",
            "Overlay",
            "Theme",
            "Help",
            "Quit",
        ):
            assert title in titles


async def test_first_run_offline_says_every_source_failed(empty: Settings) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("network unreachable")

    settings = dataclasses.replace(empty, collector=dataclasses.replace(empty.collector, retries=1))
    app = TickerApp(
        settings,
        collect=True,
        now=lambda: NOW,
        animate=False,
        transport=httpx.MockTransport(refuse),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(300):  # bounded; every round fails at once (connection refused)
            await settle(pilot)
            if "every source failed" in app.query_one(Chart).empty_note:
                break
            await pilot.pause(0.05)
        assert app.query_one(Chart).empty_note.startswith(
            "No rates stored yet: every source failed (reasons under Providers)."
        )
        assert "nbkr ▲ network unreachable reaching www.nbkr.kg (no network?)" in str(
            app.query_one(ProvidersPanel).render()
        )
        assert app.query_one(RatesTable).row_count == 0
        status = str(app.query_one("#status").render())
        assert status.startswith("offline: no source reachable")
        assert "collecting from" not in status


async def test_delete_removes_the_selected_rule_even_after_a_reload(seeded: Settings) -> None:
    from ticker.model.pairs import Pair
    from ticker.model.rules import AlertKind, AlertRuleConfig

    repo = repo_for(seeded)
    ids = [
        repo.add_alert_rule(
            AlertRuleConfig(Pair("KZT", "USD"), AlertKind.ABOVE, value=Decimal(v)), "cli", NOW
        )
        for v in ("0.0021", "0.0022", "0.0023")
    ]
    app = make_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        alerts = app.query_one(AlertsTable)
        alerts.move_cursor(row=2)
        app.load_snapshot()  # a reload arrives (as after every poll)
        await settle(pilot)
        assert alerts.selected is not None and alerts.selected.id == ids[2]
        await pilot.press("d")
        await settle(pilot)
        app.load_snapshot()  # another reload while the question is open
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert [r.id for r in repo.alert_rules()] == ids[:2]
    repo.db.dispose()


async def test_refresh_polls_with_the_collector(seeded: Settings) -> None:
    calls: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.host)
        return httpx.Response(503)

    settings = dataclasses.replace(
        seeded, collector=dataclasses.replace(seeded.collector, retries=1)
    )
    app = TickerApp(
        settings,
        collect=True,
        now=lambda: NOW,
        animate=False,
        transport=httpx.MockTransport(answer),
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        before = len(calls)
        await pilot.press("r")
        await settle(pilot)
        assert len(calls) > before  # every enabled source was asked again


async def test_ages_tick_without_a_reload(seeded: Settings) -> None:
    clock = {"now": NOW}
    app = TickerApp(seeded, collect=False, now=lambda: clock["now"], animate=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "new rate 5m ago" in str(app.query_one("#status").render())
        clock["now"] = NOW + timedelta(minutes=7)
        app.dashboard._tick()
        await pilot.pause()
        assert "new rate 12m ago" in str(app.query_one("#status").render())
        assert "nbk ✓ 7m, next 23m" in str(app.query_one(ProvidersPanel).render())


async def test_an_overflowing_strip_pages_by_whole_pairs(seeded: Settings) -> None:
    app = TickerApp(seeded, collect=False, now=lambda: NOW, animate=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        strip = app.query_one(StripTicker)
        first = strip.render().plain
        assert first.startswith("KGS/USD ") and first.endswith("…")  # cut, never mid-way silent
        # Only whole pairs, then a mark that more follow: no rate or change cut mid-way.
        shown = first.removesuffix("  •  …").split("  •  ")
        assert shown == [item.plain for item in strip._items[: len(shown)]]
        assert len(shown) < len(strip._items) and len(first) <= strip.size.width
        strip._step()  # what the page timer does every few seconds
        assert strip.render().plain.startswith("KZT/USD ")
        for _ in range(4):
            strip._step()
        assert strip.render().plain == first  # round the five pairs and back
    wide = TickerApp(seeded, collect=False, now=lambda: NOW, animate=True)
    async with wide.run_test(size=(240, 30)) as pilot:
        await settle(pilot)
        strip = wide.query_one(StripTicker)
        assert strip._timer is None  # everything fits: it stands still, no redraws
        assert "TMT/USD" in strip.render().plain


async def test_a_store_error_leaves_the_status_line_once_the_store_answers(
    seeded: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ticker.core.snapshot
    from ticker.errors import StorageError

    real = ticker.core.snapshot.load_snapshot
    down = True

    def flaky(*args: object, **kwargs: object) -> object:
        if down:
            raise StorageError("t.db: disk I/O error")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ticker.core.snapshot, "load_snapshot", flaky)
    app = make_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "store: t.db: disk I/O error" in str(app.query_one("#status").render())
        down = False
        app.load_snapshot()
        await settle(pilot)
        status = str(app.query_one("#status").render())
        assert "disk I/O error" not in status
        assert "no collector (--no-collect)" in status
        assert rows(app)
        assert any("answers again" in n.message for n in app._notifications)


async def test_a_worker_that_crashes_is_named_on_screen_not_silent(
    seeded: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ticker.core.snapshot

    def broken(*args: object, **kwargs: object) -> object:
        raise KeyError("a bug in the snapshot")

    monkeypatch.setattr(ticker.core.snapshot, "load_snapshot", broken)
    app = make_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = [n.message for n in app._notifications]
        assert any("internal error: KeyError" in m and "a bug in the snapshot" in m for m in shown)
        status = str(app.query_one("#status").render())
        assert "reading the store" not in status
        assert "internal error: KeyError" in status


@pytest.mark.parametrize("collect", [False, True])
async def test_a_rule_added_from_the_shell_is_on_screen_within_seconds(
    seeded: Settings, collect: bool
) -> None:
    from ticker.model.pairs import Pair
    from ticker.model.rules import AlertKind, AlertRuleConfig

    transport = httpx.MockTransport(lambda _request: httpx.Response(503))
    app = TickerApp(seeded, collect=collect, now=lambda: NOW, animate=False, transport=transport)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        alerts = app.query_one(AlertsTable)
        assert alerts.rules == []
        repo = repo_for(seeded)  # another process: ticker alerts add
        rule = AlertRuleConfig(Pair("KZT", "USD"), AlertKind.ABOVE, value=Decimal("0.0021"))
        rule_id = repo.add_alert_rule(rule, "cli", NOW)
        for _ in range(50):  # within a few seconds (STORE_LOOK is 1 s)
            await pilot.pause(0.1)
            if alerts.rules:
                break
        assert [r.id for r in alerts.rules] == [rule_id]
        repo.delete_alert_rule(rule_id)  # and removed from the shell
        for _ in range(50):
            await pilot.pause(0.1)
            if not alerts.rules:
                break
        assert alerts.rules == []
        repo.close()
