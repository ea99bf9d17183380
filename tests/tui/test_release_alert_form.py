"""The alert form offers the release kind: a country and a series in the place of the
pair, when it fires (changed, above, below) and the level; it fits 80x24 and stores the
rule checked as any other."""

from __future__ import annotations

import pytest
from textual.containers import VerticalScroll
from textual.widgets import Button, Input, Label, Select

from tests.helpers.dashboard import make_app, repo_for, settle
from ticker.config import Settings
from ticker.tui.screens.forms import AlertForm
from ticker.tui.screens.rule_fields import COUNTRY_CHOICES, SERIES_CHOICES


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_form_offers_and_stores_a_release_rule(
    seeded: Settings, size: tuple[int, int]
) -> None:
    app = make_app(seeded)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AlertForm)
        row = form.query_one("#release-row")
        assert not row.display  # an "above" rule watches a pair
        form.query_one("#kind", Select).value = "release"
        await settle(pilot)
        assert row.display and not form.query_one("#pair", Input).display
        direction = form.query_one("#direction", Select)
        assert [v for _, v in direction._options] == ["changed", "above", "below"]
        assert "Level" in str(form.query_one("#threshold-label", Label).render())
        country, series = form.query_one("#country", Select), form.query_one("#series", Select)
        assert [v for _, v in country._options] == [code for _, code in COUNTRY_CHOICES]
        assert [v for _, v in series._options] == [code for _, code in SERIES_CHOICES]
        # In the pair's place: nothing scrolls, nothing is cut, Save shows.
        box = form.query_one(VerticalScroll)
        assert box.max_scroll_y == 0
        assert form.query_one("#series-field").region.right <= box.region.right
        save = form.query_one("#save", Button)
        assert save.region.area and save.region.bottom <= size[1]
        country.value, series.value, direction.value = "UZB", "cpi-yoy", "above"
        form.save()  # no level
        await settle(pilot)
        assert isinstance(app.screen, AlertForm)
        assert "Level: expected a level" in str(form.query_one("#error").render())
        form.query_one("#threshold", Input).value = "10"
        form.save()
        await settle(pilot)
        assert not isinstance(app.screen, AlertForm)
    repo = repo_for(seeded)
    try:
        (stored,) = repo.alert_rules()
    finally:
        repo.db.dispose()
    rule = stored.rule
    assert (rule.kind, rule.country, rule.series, rule.direction) == (
        "release", "UZB", "cpi-yoy", "above",
    )  # fmt: skip
    assert str(rule.value) == "10" and rule.pair is None


async def test_the_release_form_says_the_level_in_the_series_unit(seeded: Settings) -> None:
    """At 80x24: the level's label whole, its example in the series' unit, no window nor
    hysteresis; a level under ``changed`` refused in one line; a rule no source feeds is
    stored, and the toast warns of it."""
    app = make_app(seeded)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AlertForm)
        threshold = form.query_one("#threshold", Input)
        assert threshold.placeholder == "e.g. 0.0021 or 2"
        form.query_one("#kind", Select).value = "release"
        await settle(pilot)
        label = form.query_one("#threshold-label", Label)
        assert str(label.render()) == "Level (above/below only)"
        assert label.region.width >= len("Level (above/below only)")  # not cut
        assert label.region.right <= form.query_one("#threshold-field").region.right
        assert threshold.placeholder == "e.g. 15 (per cent)"  # the policy rate
        assert not form.query_one("#window-field").display
        assert not form.query_one("#hysteresis-field").display
        form.query_one("#series", Select).value = "reserves"
        await settle(pilot)
        assert threshold.placeholder == "e.g. 50000 (USD m)"
        form.query_one("#direction", Select).value = "changed"
        threshold.value = "3"
        form.save()
        await settle(pilot)
        assert isinstance(app.screen, AlertForm)
        assert str(form.query_one("#error").render()) == (
            "Level: expected no level for a release rule on every new value (direction "
            'changed), got "3"'
        )
        threshold.value = ""
        form.query_one("#series", Select).value = "remittances-in"  # not asked of nbk-data
        await settle(pilot)
        form.save()
        await settle(pilot)
        assert not isinstance(app.screen, AlertForm)
        said = "no enabled source gives KAZ's remittances in (nbk-data does, enabled with "
        said += "remittances-in in its indicators): this rule fires only once one does."
        for _ in range(50):
            if any(said in n.message for n in app._notifications):
                break
            await pilot.pause(0.05)
        (toast,) = [n.message for n in app._notifications if said in n.message]
        assert f"\nWarning: {said}" in toast
    repo = repo_for(seeded)
    try:
        (stored,) = repo.alert_rules()
    finally:
        repo.db.dispose()
    assert (stored.rule.country, stored.rule.series) == ("KAZ", "remittances-in")


async def test_a_pair_kind_shows_the_window_and_hysteresis_again(seeded: Settings) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AlertForm)
        kind = form.query_one("#kind", Select)
        kind.value = "release"
        await settle(pilot)
        kind.value = "move"
        await settle(pilot)
        assert form.query_one("#window-field").display
        assert form.query_one("#hysteresis-field").display
        assert form.query_one("#threshold", Input).placeholder == "e.g. 0.0021 or 2"
