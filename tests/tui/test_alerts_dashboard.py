"""Alerts in the dashboard: a toast and the bell when a rule fires, whichever process
fired it; the panel shows each rule's state; config rules are removed in the file."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import httpx
import pytest

from tests.helpers.dashboard import NOW, make_app, repo_for, settle
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


def toasts(app: TickerApp) -> list[str]:
    return [n.message for n in app._notifications if n.title == "Alert"]


async def test_a_rule_fired_by_the_dashboards_collector_toasts_and_rings(
    seeded: Settings, monkeypatch: pytest.MonkeyPatch
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
        assert [table.get_row_at(i)[0].plain for i in range(2)] == ["fired 09:00", "armed"]
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


async def test_old_firings_are_not_replayed_when_the_dashboard_opens(seeded: Settings) -> None:
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
        assert app.query_one(AlertsTable).get_row_at(0)[0].plain == "fired 06:00"


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
