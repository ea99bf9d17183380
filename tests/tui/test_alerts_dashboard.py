"""Alerts in the dashboard: a toast and the bell when a rule fires, whichever process
fired it; the panel shows each rule's state; config rules are removed in the file."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from tests.helpers.dashboard import NOW, make_app, repo_for, settle
from tests.helpers.zones import local_zone
from ticker.config import Settings
from ticker.config.rules import rule_from_entry
from ticker.core.alerts.evaluate import evaluate_rules
from ticker.model.pairs import Orientation
from ticker.tui.app import TickerApp
from ticker.tui.widgets.panels import AlertsTable


def add_rule(settings: Settings, origin: str = "cli", **entry: object) -> int:
    repo = repo_for(settings)
    try:
        rule = rule_from_entry(entry, Orientation.USD_PER)
        return repo.add_alert_rule(rule, origin, NOW - timedelta(days=1))
    finally:
        repo.db.dispose()


@pytest.fixture
def bishkek() -> Iterator[None]:
    """The machine's local time is Bishkek's (UTC+6): the panel's moments are local."""
    with local_zone("Asia/Bishkek"):
        yield


def toasts(app: TickerApp) -> list[str]:
    return [n.message for n in app._notifications if n.title == "Alert"]


async def test_a_rule_fired_by_the_dashboards_collector_toasts_and_rings(
    seeded: Settings, monkeypatch: pytest.MonkeyPatch, bishkek: None
) -> None:
    rule_id = add_rule(seeded, pair="USD/KZT", kind="above", value="470")
    add_rule(seeded, pair="USD/KZT", kind="above", value="500")  # not reached
    settings = dataclasses.replace(
        seeded, collector=dataclasses.replace(seeded.collector, retries=1)
    )
    app = TickerApp(
        settings,
        collect=True,
        now=lambda: NOW,
        animate=False,
        transport=httpx.MockTransport(lambda request: httpx.Response(503)),
    )
    rings: list[None] = []
    monkeypatch.setattr(app, "bell", lambda: rings.append(None))
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        # Rounds ran (every source answers 503, nothing new): the stored rate is judged.
        assert toasts(app) == [f"#{rule_id} USD/KZT above 470: 478.77 (NBK, 2026-11-23)"]
        assert len(rings) == 1
        table = app.query_one(AlertsTable)
        # Fired at 09:00 UTC, 15:00 in Bishkek (the machine's zone), with the default
        # cooldown of an hour.
        states = [table.get_row_at(i)[0].plain for i in range(2)]
        assert states == ["cooling down until 16:00", "armed"]
        await pilot.press("r")  # more rounds: the same condition never fires again
        await settle(pilot)
        assert len(toasts(app)) == 1 and len(rings) == 1


async def test_a_firing_by_another_process_is_shown_too(
    seeded: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    rule_id = add_rule(seeded, pair="KZT", kind="below", value="0.0021")
    quiet = add_rule(seeded, pair="KZT", kind="below", value="0.0022")
    app = make_app(seeded)  # --no-collect: another process collects
    rings: list[None] = []
    monkeypatch.setattr(app, "bell", lambda: rings.append(None))
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        assert toasts(app) == []
        repo = repo_for(seeded)
        try:  # a headless collector evaluates and records the firings
            fired = evaluate_rules(repo, seeded, NOW)
        finally:
            repo.db.dispose()
        assert [f.stored.id for f in fired] == [rule_id, quiet]
        app.load_snapshot()
        await settle(pilot)
        assert toasts(app) == [f.message for f in fired]
        assert len(rings) == 1
        app.load_snapshot()  # seen once, never again
        await settle(pilot)
        assert len(toasts(app)) == 2


async def test_old_firings_are_not_replayed_when_the_dashboard_opens(
    seeded: Settings, bishkek: None
) -> None:
    add_rule(seeded, pair="USD/KZT", kind="above", value="470")
    repo = repo_for(seeded)
    try:
        assert len(evaluate_rules(repo, seeded, NOW - timedelta(hours=3))) == 1
    finally:
        repo.db.dispose()
    app = make_app(seeded)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        assert toasts(app) == []
        # Fired three hours ago (06:00 UTC, 12:00 in Bishkek): the cooldown is over, the
        # condition still holds.
        assert app.query_one(AlertsTable).get_row_at(0)[0].plain == "fired 12:00"


async def test_a_config_rule_is_listed_and_removed_in_the_file(seeded: Settings) -> None:
    rule = rule_from_entry({"pair": "TJS", "kind": "stale", "days": 2}, Orientation.USD_PER)
    settings = dataclasses.replace(seeded, alerts=(rule,))
    app = make_app(settings)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        table = app.query_one(AlertsTable)
        assert table.selected is not None and table.selected.origin == "config"
        assert str(table.get_row_at(0)[1]) == "#1 TJS/USD stale 2 business days"
        await pilot.press("d")
        await settle(pilot)
        assert any("remove it there" in n.message for n in app._notifications)
        assert table.row_count == 1


async def test_the_form_offers_every_key_an_alerts_table_has(seeded: Settings) -> None:
    from decimal import Decimal

    from textual.widgets import Checkbox, Input, Select

    from ticker.tui.screens.forms import AlertForm

    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AlertForm)
        form.query_one("#pair", Input).value = "USD/UZS"
        form.query_one("#kind", Select).value = "move"
        await pilot.pause()
        assert "Percent over the window" in str(form.query_one("#threshold-label").render())
        assert form.query_one("#hysteresis-field").has_class("unused")  # not for a move
        assert not form.query_one("#window-field").has_class("unused")
        form.query_one("#threshold", Input).value = "2.5"
        form.query_one("#direction", Select).value = "up"
        form.query_one("#window", Input).value = "3d"
        form.query_one("#cooldown", Input).value = "30m"
        form.query_one("#channel-bell", Checkbox).value = False
        form.query_one("#channel-desktop", Checkbox).value = False
        form.query_one("#command", Input).value = "pager"
        form.query_one("#label", Input).value = "sum weakening"
        form.query_one("#label", Input).focus()
        await pilot.press("enter")  # a hook, but not its channel: it would never run
        await pilot.pause()
        assert str(form.query_one("#error").render()).startswith('Channels: expected "command"')
        form.query_one("#channel-command", Checkbox).value = True
        form.query_one("#cooldown", Input).value = "soon"
        await pilot.press("enter")
        await pilot.pause()
        assert str(form.query_one("#error").render()).startswith("Cooldown: ")
        form.query_one("#cooldown", Input).value = "30m"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, AlertForm)
    repo = repo_for(seeded)
    try:
        (stored,) = repo.alert_rules()
    finally:
        repo.db.dispose()
    rule = stored.rule
    assert (str(rule.pair), rule.kind, rule.percent, rule.direction) == (
        "USD/UZS",
        "move",
        Decimal("2.5"),
        "up",
    )
    assert (rule.window, rule.cooldown) == (timedelta(days=3), timedelta(minutes=30))
    assert [str(c) for c in rule.channels] == ["toast", "command"]
    assert rule.hook == "pager"
    assert rule.label == "sum weakening"


async def test_a_rule_is_edited_paused_and_snoozed_from_the_dashboard(
    seeded: Settings, bishkek: None
) -> None:
    from decimal import Decimal

    from textual.widgets import Input, OptionList

    from ticker.tui.screens.forms import AlertForm
    from ticker.tui.screens.snooze import SnoozeScreen

    rule_id = add_rule(seeded, pair="USD/KZT", kind="above", value="500", cooldown="2h")
    config_rule = add_rule(seeded, origin="config", pair="USD/KGS", kind="below", value="80")
    app = make_app(seeded)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        table = app.query_one(AlertsTable)
        ids = [r.id for r in table.rules]
        table.move_cursor(row=ids.index(rule_id))
        await pilot.press("E")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AlertForm)
        # The form holds the stored rule, every field.
        assert form.query_one("#pair", Input).value == "USD/KZT"
        assert form.query_one("#threshold", Input).value == "500"
        assert form.query_one("#cooldown", Input).value == "2h"
        form.query_one("#threshold", Input).value = "490"
        form.query_one("#label", Input).value = "tenge weaker"
        form.query_one("#label", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, AlertForm)
        (edited,) = [r for r in table.rules if r.id == rule_id]
        assert (edited.rule.value, edited.rule.label) == (Decimal("490"), "tenge weaker")
        assert edited.rule.cooldown == timedelta(hours=2)
        row = ids.index(rule_id)
        assert 'USD/KZT above 490 "tenge weaker"' in table.get_row_at(row)[1].plain

        await pilot.press("p")  # pause
        await settle(pilot)
        assert table.get_row_at(row)[0].plain == "disabled"
        await pilot.press("p")  # and back
        await settle(pilot)
        assert table.get_row_at(row)[0].plain == "armed"

        await pilot.press("z")
        await settle(pilot)
        assert isinstance(app.screen, SnoozeScreen)
        options = app.screen.query_one(OptionList)
        options.highlighted = 1  # for 1 hour
        await pilot.press("enter")
        await settle(pilot)
        # NOW is 09:00 UTC, 15:00 in Bishkek: an hour on.
        assert table.get_row_at(row)[0].plain == "snoozed until 16:00"
        await pilot.press("z")
        await settle(pilot)
        options = app.screen.query_one(OptionList)
        last = options.option_count - 1
        assert "end the snooze (now snoozed until 16:00)" in str(
            options.get_option_at_index(last).prompt
        )
        options.highlighted = last
        await pilot.press("enter")
        await settle(pilot)
        assert table.get_row_at(row)[0].plain == "armed"

        # A config.toml rule is edited in its file; it can be paused.
        table.move_cursor(row=ids.index(config_rule))
        await pilot.press("E")
        await settle(pilot)
        assert not isinstance(app.screen, AlertForm)
        assert any("edit it there" in n.message for n in app._notifications)
        await pilot.press("p")
        await settle(pilot)
        assert table.get_row_at(ids.index(config_rule))[0].plain == "disabled"
    repo = repo_for(seeded)
    try:
        stored = {r.id: r for r in repo.alert_rules()}
    finally:
        repo.db.dispose()
    assert stored[rule_id].enabled and stored[rule_id].snoozed_until is None
    assert not stored[config_rule].enabled


async def test_the_forms_webhook_channel_needs_the_configs_url(seeded: Settings) -> None:
    from textual.widgets import Checkbox, Input

    from ticker.tui.screens.forms import AlertForm

    for url, stored in (("", False), ("https://hooks.example.org/ticker", True)):
        settings = dataclasses.replace(seeded, webhook=dataclasses.replace(seeded.webhook, url=url))
        app = make_app(settings)
        async with app.run_test(size=(100, 34)) as pilot:
            await settle(pilot)
            await pilot.press("a")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, AlertForm)
            form.query_one("#threshold", Input).value = "0.02" if url else "0.01"
            form.query_one("#channel-webhook", Checkbox).value = True
            form.query_one("#threshold", Input).focus()
            await pilot.press("enter")
            await settle(pilot)
            if not stored:
                assert isinstance(app.screen, AlertForm)
                assert "webhook" in str(form.query_one("#error").render())
                await pilot.press("escape")
        repo = repo_for(settings)
        try:
            webhooks = [r for r in repo.alert_rules() if "webhook" in r.rule.channels]
        finally:
            repo.db.dispose()
        assert len(webhooks) == (1 if stored else 0)
