"""The alert form opens ready to type in the field that needs input, and its buttons stay
in sight and answer a click while a toast is shown."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Button, Input
from textual.widgets._toast import Toast

from tests.helpers.dashboard import NOW, make_app, repo_for, settle
from ticker.config import Settings
from ticker.config.rules import rule_from_entry
from ticker.model.pairs import Orientation
from ticker.tui.screens.forms import AlertForm, ExportForm
from ticker.tui.widgets.panels import AlertsTable

SIZES = [(80, 24), (100, 30)]


@pytest.mark.parametrize("size", SIZES)
async def test_a_new_rule_is_typed_at_once_in_the_threshold(
    seeded: Settings, size: tuple[int, int]
) -> None:
    app = make_app(seeded)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AlertForm)
        assert form.query_one("#pair", Input).value == "KGS/USD"  # the selected pair
        assert app.focused is form.query_one("#threshold", Input)
        await pilot.press("0", ".", "0", "1", "2", "enter")  # no Tab first
        await settle(pilot)
        assert not isinstance(app.screen, AlertForm)
    repo = repo_for(seeded)
    try:
        (stored,) = repo.alert_rules()
    finally:
        repo.db.dispose()
    assert (str(stored.rule.pair), str(stored.rule.value)) == ("KGS/USD", "0.012")


async def test_without_a_pair_the_pair_is_typed_first(empty: Settings) -> None:
    app = make_app(empty)  # no rates yet: no pair selected
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AlertForm)
        assert form.query_one("#pair", Input).value == ""
        assert app.focused is form.query_one("#pair", Input)
        await pilot.press("K", "Z", "T")
        assert form.query_one("#pair", Input).value == "KZT"


async def test_editing_a_rule_starts_in_its_threshold(seeded: Settings) -> None:
    repo = repo_for(seeded)
    try:
        rule = rule_from_entry(
            {"pair": "USD/KZT", "kind": "above", "value": "500"}, Orientation.USD_PER
        )
        repo.add_alert_rule(rule, "cli", NOW - timedelta(days=1))
    finally:
        repo.db.dispose()
    app = make_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.query_one(AlertsTable).focus()
        await pilot.press("E")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AlertForm)
        threshold = form.query_one("#threshold", Input)
        assert app.focused is threshold
        await pilot.press("4", "9", "0")  # the old value selected: typing replaces it
        assert threshold.value == "490"


def uncovered(app, button: Button) -> bool:
    """Every cell of ``button`` shows the button (no toast over any of them)."""
    region = button.region
    return all(
        app.screen.get_widget_at(x, y)[0] is button
        for x in range(region.x, region.right)
        for y in range(region.y, region.bottom)
    )


@pytest.mark.parametrize("size", SIZES)
async def test_a_toast_never_covers_the_forms_buttons(
    seeded: Settings, size: tuple[int, int]
) -> None:
    app = make_app(seeded)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AlertForm)
        for i in range(3):  # a firing, the store answering again, ...: long ones
            app.notify(
                f"#{i} KZT/USD above 0.0021: 0.0021044 (NBK, 2026-11-23); and more words "
                "so that the toast takes several lines of the screen",
                title="Alert",
                timeout=60,
            )
        await settle(pilot)
        toasts = form.query(Toast)
        assert len(toasts) == 3 and all(t.region.area for t in toasts)
        save, cancel = form.query_one("#save", Button), form.query_one("#cancel", Button)
        assert uncovered(app, save) and uncovered(app, cancel)
        form.query_one("#threshold", Input).value = "0.0021"
        await pilot.click(save)
        await settle(pilot)
        assert not isinstance(app.screen, AlertForm)  # the click reached Save
    repo = repo_for(seeded)
    try:
        assert [str(r.rule.value) for r in repo.alert_rules()] == ["0.0021"]
    finally:
        repo.db.dispose()


async def test_a_toast_never_covers_the_export_forms_buttons(seeded: Settings) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ExportForm)
        app.notify("The store answers again. " * 4, title="Store", timeout=60)
        await settle(pilot)
        assert form.query(Toast)
        assert uncovered(app, form.query_one("#export", Button))
        assert uncovered(app, form.query_one("#cancel", Button))
