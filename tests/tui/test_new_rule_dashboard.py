"""Issue 27: a rule added with ``a`` is judged at once against the stored rates (item
12: not "watched from the next poll" with the poll hours away), and a rule no channel of
which can deliver on this machine is warned of (item 7)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import httpx
import pytest

from tests.helpers.dashboard import NOW, make_app, repo_for, settle
from ticker.config import Settings
from ticker.tui.app import TickerApp


async def add_with_form(pilot, pair: str, threshold: str, channels: tuple[str, ...]) -> None:
    from textual.widgets import Checkbox, Input

    from ticker.tui.screens.forms import AlertForm

    await pilot.press("a")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, AlertForm)
    form.query_one("#pair", Input).value = pair
    form.query_one("#threshold", Input).value = threshold
    for box in form.query(Checkbox):
        box.value = str(box.label) in channels
    form.query_one("#label", Input).focus()
    await pilot.press("enter")
    await settle(pilot)
    assert not isinstance(pilot.app.screen, AlertForm)


def alert_notes(app: TickerApp) -> list[tuple[str, str]]:
    return [(n.message, n.severity) for n in app._notifications if n.title == "Alert"]


def events(settings: Settings) -> list[str]:
    repo = repo_for(settings)
    try:
        return [e.message for e in repo.alert_events(10)]
    finally:
        repo.db.dispose()


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_a_new_rule_that_holds_fires_at_once_in_a_collecting_dashboard(
    seeded: Settings, size: tuple[int, int]
) -> None:
    settings = dataclasses.replace(
        seeded, collector=dataclasses.replace(seeded.collector, retries=1)
    )
    app = TickerApp(
        settings, collect=True, now=lambda: NOW, animate=False,
        transport=httpx.MockTransport(lambda request: httpx.Response(503)),
    )  # fmt: skip
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await add_with_form(pilot, "USD/KZT", "470", ("toast", "bell"))
        await settle(pilot)
        notes = alert_notes(app)
    assert (
        "Alert #1 stored: USD/KZT above 470; fired now: 478.77 (NBK, 2026-11-23).",
        "information",
    ) in notes
    assert ("#1 USD/KZT above 470: 478.77 (NBK, 2026-11-23)", "warning") in notes  # the toast
    assert events(seeded) == ["#1 USD/KZT above 470: 478.77 (NBK, 2026-11-23)"]


async def test_a_dashboard_that_does_not_collect_says_the_rule_would_fire(
    seeded: Settings,
) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await add_with_form(pilot, "USD/KZT", "470", ("toast", "bell"))
        notes = alert_notes(app)
    assert notes == [
        (
            "Alert #1 stored: USD/KZT above 470; would fire now: 478.77 (NBK, 2026-11-23); "
            "the collector fires it at its next poll.",
            "information",
        )
    ]
    assert events(seeded) == []


async def test_a_rule_no_channel_of_which_can_deliver_here_is_warned_of(
    seeded: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no notify-send, no gdbus
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await add_with_form(pilot, "USD/KZT", "500", ("desktop",))
        notes = alert_notes(app)
    ((words, severity),) = notes
    assert severity == "warning"
    assert words.startswith("Alert #1 stored: USD/KZT above 500; watched by whichever")
    assert words.endswith(
        "Warning: no channel of this rule can deliver on this machine (desktop: no "
        "notify-send, and no D-Bus session with gdbus); it fires all the same, and reaches "
        "you only through a machine where one can."
    )
