"""The alert form offers the market kinds (from the model's table of kinds), offers only
the directions each kind takes, lets a market rule choose its channel (kept when it is
edited), fits 80x24, and stores a market rule checked as any other."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.containers import VerticalScroll
from textual.widgets import Button, Input, Select

from providers.market_quote import Channel as MarketChannel
from tests.helpers.dashboard import NOW, make_app, repo_for, settle
from ticker.config import Settings
from ticker.config.rules import rule_from_entry
from ticker.display.market import channel_word
from ticker.model.pairs import Orientation
from ticker.model.rules import KINDS, MARKET_KINDS
from ticker.tui.screens.forms import AlertForm
from ticker.tui.widgets.panels import AlertsTable


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


SIZES = [(80, 24), (100, 30)]


def offered(select: Select[str]) -> list[str]:
    return [str(value) for _, value in select._options]


@pytest.mark.parametrize("size", SIZES)
async def test_a_market_rule_chooses_its_channel_and_the_form_still_fits(
    seeded: Settings, size: tuple[int, int]
) -> None:
    app = make_app(seeded)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AlertForm)
        field = form.query_one("#market_channel-field")
        assert not field.display  # an "above" rule has no market channel
        form.query_one("#kind", Select).value = "market-buy"
        await settle(pilot)
        assert field.display
        channel = form.query_one("#market_channel", Select)
        assert channel.value == "cash"  # the default
        words = [str(prompt) for prompt, _ in channel._options]
        assert words == [channel_word(c) for c in MarketChannel]
        assert "non-cash" in words and offered(channel) == [c.value for c in MarketChannel]
        # A third column beside Kind and Direction: no new row, nothing scrolls, Save shows.
        box = form.query_one(VerticalScroll)
        assert box.max_scroll_y == 0
        assert field.region.y == form.query_one("#kind-field").region.y
        assert field.region.right <= box.region.right
        save = form.query_one("#save", Button)
        assert save.region.area and save.region.bottom <= size[1]
        form.query_one("#pair", Input).value = "USD/TJS"
        form.query_one("#threshold", Input).value = "10.5"
        channel.value = "noncash"
        form.save()
        await settle(pilot)
        assert not isinstance(app.screen, AlertForm)
    repo = repo_for(seeded)
    try:
        (stored,) = repo.alert_rules()
    finally:
        repo.db.dispose()
    rule = stored.rule
    assert (rule.kind, rule.direction, rule.market_channel) == ("market-buy", "above", "noncash")


async def test_the_direction_offers_only_what_the_kind_takes(seeded: Settings) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AlertForm)
        kind, direction = form.query_one("#kind", Select), form.query_one("#direction", Select)
        assert offered(direction) == ["either", "up", "down"]  # a new rule is "above"
        for name, grammar in KINDS.items():
            kind.value = name
            await settle(pilot)
            assert offered(direction) == list(grammar.directions), name
            assert str(direction.value) in grammar.directions
        # The choice is kept where the new kind takes it, else the kind's first.
        kind.value = "change"
        await settle(pilot)
        direction.value = "up"
        kind.value = "move"
        await settle(pilot)
        assert direction.value == "up"
        kind.value = "market-sell"
        await settle(pilot)
        assert (offered(direction), direction.value) == (["above", "below"], "above")
        direction.value = "below"
        kind.value = "market-buy"
        await settle(pilot)
        assert direction.value == "below"
        kind.value = "change"
        await settle(pilot)
        assert (offered(direction), direction.value) == (["either", "up", "down"], "either")
        assert not form.query_one("#market_channel-field").display


async def test_editing_a_market_rule_keeps_its_channel(seeded: Settings) -> None:
    entry: dict[str, object] = {
        "pair": "USD/TJS",
        "kind": "market-sell",
        "value": "10.9",
        "direction": "below",
        "market_channel": "card",
    }
    repo = repo_for(seeded)
    try:
        rule = rule_from_entry(entry, Orientation.USD_PER)
        repo.add_alert_rule(rule, "cli", NOW - timedelta(days=1))
    finally:
        repo.db.dispose()
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.query_one(AlertsTable).focus()
        await pilot.press("E")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AlertForm)
        assert form.query_one("#market_channel-field").display
        assert form.query_one("#market_channel", Select).value == "card"
        direction = form.query_one("#direction", Select)
        assert (offered(direction), direction.value) == (["above", "below"], "below")
        form.query_one("#threshold", Input).value = "10.85"
        form.save()
        await settle(pilot)
        assert not isinstance(app.screen, AlertForm)
    repo = repo_for(seeded)
    try:
        (stored,) = repo.alert_rules()
    finally:
        repo.db.dispose()
    edited = stored.rule
    assert (str(edited.value), edited.direction, edited.market_channel) == (
        "10.85",
        "below",
        "card",
    )
