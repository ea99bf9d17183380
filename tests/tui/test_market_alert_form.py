"""The alert form offers the market kinds (from the model's table of kinds), turns the
direction to one such a rule takes, and stores a market rule checked as any other."""

from __future__ import annotations

from textual.widgets import Input, Select

from tests.helpers.dashboard import make_app, repo_for, settle
from ticker.config import Settings
from ticker.model.rules import MARKET_KINDS
from ticker.tui.screens.forms import AlertForm


async def test_the_form_offers_and_stores_a_market_rule(seeded: Settings) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AlertForm)
        kind = form.query_one("#kind", Select)
        offered = [value for _, value in kind._options]
        assert set(MARKET_KINDS) <= set(offered)
        form.query_one("#pair", Input).value = "USD/TJS"
        kind.value = "market-sell"
        await settle(pilot)
        direction = form.query_one("#direction", Select)
        assert direction.value == "above"  # "either" is not a market rule's
        assert "hysteresis" not in {
            w.id.removesuffix("-field") for w in form.query(".unused") if w.id
        }
        # A market rule on a pair the boards write the other way: said in the form.
        form.query_one("#pair", Input).value = "TJS/USD"
        form.query_one("#threshold", Input).value = "10.8"
        direction.value = "below"
        form.save()
        await settle(pilot)
        assert isinstance(app.screen, AlertForm)
        assert "Pair: expected a pair as the boards write it, USD/TJS" in str(
            form.query_one("#error").render()
        )
        form.query_one("#pair", Input).value = "USD/TJS"
        form.save()
        await settle(pilot)
        assert not isinstance(app.screen, AlertForm)
    repo = repo_for(seeded)
    try:
        (stored,) = repo.alert_rules()
    finally:
        repo.db.dispose()
    rule = stored.rule
    assert (rule.kind, rule.direction, str(rule.value)) == ("market-sell", "below", "10.8")
    assert rule.market_channel == "cash"
