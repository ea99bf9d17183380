"""The alert form takes a watched pair beyond the dollar (``RUB/TJS``) and refuses one
that is not watched, in one line, as ``ticker alerts add`` does."""

from __future__ import annotations

import dataclasses

from textual.widgets import Input, Static

from tests.helpers.dashboard import make_app, repo_for, settle
from ticker.config import Settings
from ticker.config.pairs import PairsSettings
from ticker.model.pairs import Pair
from ticker.tui.screens.forms import AlertForm


def watching(settings: Settings) -> Settings:
    watch = (*settings.pairs.watch, Pair("RUB", "TJS"), Pair("KZT", "KGS"))
    return dataclasses.replace(settings, pairs=PairsSettings(watch))


async def fill(pilot, pair: str, threshold: str) -> AlertForm:
    app = pilot.app
    await pilot.press("a")
    await settle(pilot)
    form = app.screen
    assert isinstance(form, AlertForm)
    form.query_one("#pair", Input).value = pair
    form.query_one("#threshold", Input).value = threshold
    form.query_one("#threshold", Input).focus()
    await pilot.press("enter")
    await settle(pilot)
    return form


async def test_the_form_accepts_a_watched_pair_beyond_the_dollar(seeded: Settings) -> None:
    settings = watching(seeded)
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await fill(pilot, "RUB/TJS", "0.11")
        assert not isinstance(app.screen, AlertForm)
    repo = repo_for(settings)
    try:
        (stored,) = repo.alert_rules()
    finally:
        repo.db.dispose()
    assert (str(stored.rule.pair), str(stored.rule.value)) == ("RUB/TJS", "0.11")


async def test_the_form_refuses_a_pair_not_watched(seeded: Settings) -> None:
    app = make_app(watching(seeded))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = await fill(pilot, "CNY/TJS", "1")
        assert app.screen is form  # still open, saying why
        error = str(form.query_one("#error", Static).render())
        assert error.startswith(
            "Pair: expected a dollar pair or a watched pair (pairs.watch: RUB/TJS, KZT/KGS)"
        )
        assert error.endswith('got "CNY/TJS"')
