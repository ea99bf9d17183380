"""What a market rule's firing tells its receivers besides what every firing does: the
channel it watches (``market_channel``) and the institution whose price (``value``) made
it fire, in the webhook's JSON, in a template's fields, and in a hook's placeholders and
``TICKER_*`` variables; a rule of another kind's firing says exactly what it said before."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from providers.base import Channel, MarketQuote, Observation
from providers.calendar import DUSHANBE
from tests.helpers.hookserver import HookServer
from tests.helpers.market import join_market
from ticker.config import Settings, WebhookSettings, parse_config
from ticker.config.rules import rule_from_entry
from ticker.core.alerts import bodies, webhook
from ticker.core.alerts.deliver import Dispatcher, expand, run_command
from ticker.core.alerts.evaluate import evaluate_rules
from ticker.core.alerts.firing import Firing, Reading
from ticker.model.pairs import Orientation
from ticker.model.records import StoredRule
from ticker.storage.db import Database
from ticker.storage.repository import Repository

D = Decimal
MON, TUE = date(2026, 12, 7), date(2026, 12, 8)
NOON = datetime(2026, 12, 8, 12, 0, tzinfo=DUSHANBE)


@pytest.fixture(autouse=True)
def joined(monkeypatch: pytest.MonkeyPatch) -> None:
    join_market(monkeypatch)


def quote(institution: str, buy: str, sell: str, channel: Channel) -> MarketQuote:
    quoted = NOON - timedelta(minutes=30)
    return MarketQuote(
        "nbt-banks", institution, "USD", "TJS", channel, D(buy), D(sell), quoted,
        quoted + timedelta(minutes=1),
    )  # fmt: skip


@pytest.fixture
def market_firing(database: Database) -> Firing:
    """``market-sell below 10.92`` on the card channel, fired by Amonatbonk's 10.90 (its
    cash sell, 10.88, is another channel's: not the one the rule watches)."""
    repo = Repository(database)
    repo.add_observations([Observation("nbt", "USD", "TJS", MON, D("10.9"), False, NOON)])
    repo.store_quotes(
        [
            quote("Amonatbonk", "10.80", "10.90", Channel.CARD),
            quote("Orienbonk", "10.81", "10.91", Channel.CARD),
            quote("Spitamenbonk", "10.80", "10.88", Channel.CASH),
        ],
        {("USD", "TJS"): D("10.9")},
        D(20),
    )
    entry: dict[str, object] = {
        "pair": "USD/TJS", "kind": "market-sell", "direction": "below", "value": "10.92",
        "market_channel": "card", "channels": ["webhook"],
    }  # fmt: skip
    rule = rule_from_entry(entry, Orientation.USD_PER, "http://127.0.0.1:1/x")
    repo.add_alert_rule(rule, "cli", NOON - timedelta(hours=1))
    (firing,) = evaluate_rules(repo, Settings(), NOON)
    return firing


def level_firing() -> Firing:
    entry: dict[str, object] = {"pair": "USD/KZT", "kind": "above", "value": "480"}
    rule = rule_from_entry(entry, Orientation.USD_PER)
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    reading = Reading(
        True, False, False, "KZT", "nbk", date(2026, 11, 20), D("481.50"),
        "481.500 (NBK, 2026-11-20)",
    )  # fmt: skip
    return Firing(12, StoredRule(7, rule, "cli", True, now), reading, now)


def posted(firing: Firing, conf: WebhookSettings) -> bytes:
    """What the webhook's receiver gets for ``firing``, delivered as the collector does."""

    async def sleep(seconds: float) -> None:
        pass

    with HookServer().running() as server:

        async def go() -> None:
            dispatcher = Dispatcher(10, dataclasses.replace(conf, url=server.url), sleep)
            dispatcher.deliver([firing])
            await dispatcher.drain(30)

        asyncio.run(go())
    (got,) = server.posted
    return got.body


def test_the_webhook_json_of_a_market_firing_names_its_channel_and_institution(
    market_firing: Firing,
) -> None:
    event = json.loads(posted(market_firing, WebhookSettings("http://x.example/h")))
    assert event["kind"] == "market-sell"
    assert (event["market_channel"], event["institution"]) == ("card", "Amonatbonk")
    assert (event["value"], event["threshold"], event["direction"]) == ("10.90", "10.92", "below")
    assert event["source"] == "nbt-banks"
    assert event["message"].endswith("card sell 10.90, 0.00% vs NBT at Amonatbonk (nbt-banks)")


def test_another_rule_s_webhook_json_is_as_it_was() -> None:
    event = webhook.event_json(level_firing())
    assert "market_channel" not in event and "institution" not in event
    assert sorted(event) == sorted(
        ["event_id", "rule_id", "label", "pair", "kind", "value", "threshold", "direction",
         "as_of", "source", "fired_at", "message"]
    )  # fmt: skip


def test_a_template_says_the_channel_and_the_institution(market_firing: Firing) -> None:
    template = '{"text": "{institution} ({market_channel}) sells at {rate}"}'
    settings = parse_config({"webhook": {"url": "http://x.example/h", "template": template}}, "c")
    body = json.loads(posted(market_firing, settings.webhook))
    assert body == {"text": "Amonatbonk (card) sells at 10.90"}
    # Another rule's firing: the market fields are empty.
    other = level_firing()
    delivery = bodies.webhook_delivery(webhook.event_json(other), "r", settings.webhook)
    assert json.loads(delivery.body) == {"text": " () sells at 481.50"}


def test_the_webhook_test_event_names_a_market_rule_s_channel(market_firing: Firing) -> None:
    event = webhook.test_event(market_firing.stored, NOON)
    assert (event["market_channel"], event["institution"]) == ("card", "")  # none fired it


def test_a_hook_gets_the_market_fields_as_placeholders_and_variables(
    market_firing: Firing, tmp_path: Path
) -> None:
    values = market_firing.placeholders()
    assert (values["market_channel"], values["institution"], values["rate"]) == (
        "card",
        "Amonatbonk",
        "10.90",
    )
    argv = ["printf", "%s", "{institution}|{market_channel}|{rate}"]
    assert expand(argv, values)[2] == "Amonatbonk|card|10.90"
    line = 'printf %s "$TICKER_MARKET_CHANNEL|$TICKER_INSTITUTION|{institution}"'
    result = asyncio.run(run_command(expand(["bash", "-ec", line], values), 10, values, True))
    assert result.output == "card|Amonatbonk|Amonatbonk"


def test_another_rule_s_hook_gets_the_market_fields_empty_and_unset(tmp_path: Path) -> None:
    values = level_firing().placeholders()
    assert "market_channel" not in values and "institution" not in values
    assert expand(["echo", "[{institution}]", "{pair}"], values) == ["echo", "[]", "USD/KZT"]
    line = 'printf %s "${TICKER_INSTITUTION-unset}|{institution}|$TICKER_PAIR"'
    result = asyncio.run(run_command(expand(["sh", "-c", line], values), 10, values, True))
    assert result.output == "unset||USD/KZT"


def test_a_hook_may_name_the_market_placeholders() -> None:
    hook = ["notify-send", "{institution}", "{market_channel} {rate}"]
    settings = parse_config({"hooks": {"n": {"command": hook}}}, "c")
    assert settings.hooks["n"] == tuple(hook)
