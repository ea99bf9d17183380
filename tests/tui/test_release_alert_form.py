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
        assert "Threshold: expected a level" in str(form.query_one("#error").render())
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
