"""Alerts on the best market price (``market-sell``, ``market-buy``): judged on each
institution's current quote (a stale one never counts), at the level's edge exactly as a
level rule (``below 10.95`` does not fire at 10.95), re-armed past the hysteresis band,
and fired by the collector after a board's round, through the channels every rule has."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sys
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from providers.base import Channel, MarketQuote, Observation
from providers.calendar import DUSHANBE
from tests.helpers.collecting import Clock
from tests.helpers.market import NBTBoard, Row, board_server, join_market
from ticker.config import Settings
from ticker.config.rules import rule_from_entry
from ticker.core.alerts.evaluate import evaluate_rules
from ticker.core.collector import Collector, RoundDone
from ticker.model.pairs import Orientation
from ticker.storage.db import Database
from ticker.storage.repository import Repository

D = Decimal
MON, TUE = date(2026, 12, 7), date(2026, 12, 8)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=DUSHANBE)


NOON = local(TUE, 12, 0)


@pytest.fixture(autouse=True)
def joined(monkeypatch: pytest.MonkeyPatch) -> None:
    join_market(monkeypatch)


@pytest.fixture
def repo(database: Database) -> Repository:
    repo = Repository(database)
    # NBT's official rate: the reference the messages measure from.
    repo.add_observations([Observation("nbt", "USD", "TJS", MON, D("10.9"), False, NOON)])
    return repo


def quote(
    institution: str,
    buy: str | None,
    sell: str | None,
    quoted: datetime = NOON - timedelta(minutes=30),
    channel: Channel = Channel.CASH,
) -> MarketQuote:
    return MarketQuote(
        "nbt-banks", institution, "USD", "TJS", channel, None if buy is None else D(buy),
        None if sell is None else D(sell), quoted, quoted + timedelta(minutes=1),
    )  # fmt: skip


def board(repo: Repository, *quotes: MarketQuote) -> None:
    repo.store_quotes(list(quotes), {("USD", "TJS"): D("10.9")}, D(20))


def add(repo: Repository, entry: dict[str, object]) -> int:
    rule = rule_from_entry({"pair": "USD/TJS", **entry}, Orientation.USD_PER)
    return repo.add_alert_rule(rule, "cli", NOON - timedelta(hours=1))


def fired(repo: Repository, now: datetime) -> list[str]:
    return [f.message for f in evaluate_rules(repo, Settings(), now)]


def test_market_sell_below_fires_only_past_the_level(repo: Repository) -> None:
    board(repo, quote("Amonatbonk", "10.85", "10.95"), quote("Orienbonk", "10.86", "10.97"))
    rule_id = add(repo, {"kind": "market-sell", "direction": "below", "value": "10.95"})
    assert fired(repo, NOON) == []  # exactly the level: not below it
    board(repo, quote("Orienbonk", "10.86", "10.94", NOON))
    (message,) = fired(repo, NOON + timedelta(minutes=5))
    assert message == (
        f"#{rule_id} USD/TJS best cash sell below 10.95: "
        "cash sell 10.94, +0.37% vs NBT at Orienbonk (nbt-banks)"
    )
    (event,) = repo.alert_events()
    assert (event.pair, event.rate) == ("USD/TJS", D("10.94"))
    # Still below: fired once. Back to the level, inside the 0.1% band: not re-armed.
    assert fired(repo, NOON + timedelta(hours=2)) == []
    board(repo, quote("Orienbonk", "10.86", "10.955", NOON + timedelta(hours=2)))
    assert fired(repo, NOON + timedelta(hours=3)) == []
    stored = {r.id: r for r in repo.alert_rules()}[rule_id]
    assert not stored.state.armed
    # The best sell past the band (10.95 + 0.01095): re-armed; below again: fires.
    three = NOON + timedelta(hours=3)
    board(
        repo,
        quote("Amonatbonk", "10.85", "10.97", three),
        quote("Orienbonk", "10.86", "10.97", three),
    )
    assert fired(repo, NOON + timedelta(hours=4)) == []
    board(repo, quote("Orienbonk", "10.86", "10.90", NOON + timedelta(hours=4)))
    assert len(fired(repo, NOON + timedelta(hours=5))) == 1


def test_market_buy_above_takes_the_highest_buy(repo: Repository) -> None:
    board(repo, quote("Amonatbonk", "10.85", "10.95"), quote("Orienbonk", "10.86", "10.97"))
    add(repo, {"kind": "market-buy", "direction": "above", "value": "10.86"})
    assert fired(repo, NOON) == []  # the best buy is exactly 10.86
    add(repo, {"kind": "market-buy", "direction": "above", "value": "10.855"})
    (message,) = fired(repo, NOON)
    assert "cash buy 10.86, -0.37% vs NBT at Orienbonk" in message
    # The other ways round are rules too: the best sell above a level.
    add(repo, {"kind": "market-sell", "direction": "above", "value": "10.9"})
    (message,) = fired(repo, NOON + timedelta(hours=2))
    assert "best cash sell above 10.9: cash sell 10.95" in message


def test_a_rule_watches_its_own_channel(repo: Repository) -> None:
    board(
        repo,
        quote("Amonatbonk", "10.85", "10.95"),
        quote("Amonatbonk", "10.80", "10.90", channel=Channel.CARD),
    )
    add(repo, {"kind": "market-sell", "direction": "below", "value": "10.92"})
    assert fired(repo, NOON) == []  # cash: 10.95
    entry: dict[str, object] = {
        "kind": "market-sell",
        "direction": "below",
        "value": "10.92",
        "market_channel": "card",
    }
    card_id = add(repo, entry)
    (message,) = fired(repo, NOON)
    assert message.startswith(
        f"#{card_id} USD/TJS best card sell below 10.92: card sell 10.90, 0.00% vs NBT"
    )


def test_stale_quotes_are_never_judged(repo: Repository) -> None:
    # Yesterday's board: on Tuesday, once the banks have been open for the grace, stale.
    yesterday = local(MON, 15, 0)
    board(repo, quote("Amonatbonk", "10.75", "10.80", yesterday))
    add(repo, {"kind": "market-sell", "direction": "below", "value": "10.9"})
    assert fired(repo, NOON) == []
    # Within the grace after opening (08:00 + 2h), Monday's board is still today's.
    assert len(fired(repo, local(TUE, 9, 0))) == 1


def test_a_stale_quote_is_left_out_beside_a_current_one(repo: Repository) -> None:
    board(
        repo,
        quote("Amonatbonk", "10.75", "10.80", local(MON, 15, 0)),  # stale, and the lowest
        quote("Orienbonk", "10.86", "10.97"),
    )
    add(repo, {"kind": "market-sell", "direction": "below", "value": "10.9"})
    assert fired(repo, NOON) == []


def test_without_a_board_a_market_rule_waits(repo: Repository) -> None:
    add(repo, {"kind": "market-sell", "direction": "below", "value": "10.9"})
    assert fired(repo, NOON) == []
    (stored,) = repo.alert_rules()
    assert stored.state.armed and stored.state.last_fired_at is None


def _collector(database: Database, clock: Clock, rows: list[Row], hook: Path) -> Collector:
    settings = dataclasses.replace(Settings(), hooks={"rec": (str(hook), "{rule}", "{rate}")})
    provider = NBTBoard(settings.providers["nbt-banks"].base_url, now=clock)
    transport, _seen = board_server(lambda: rows)
    client = httpx.AsyncClient(transport=transport)
    return Collector(
        settings, Repository(database), [provider], client, now=clock, sleep=clock.sleep,
        rand=lambda: 0.5,
    )  # fmt: skip


def test_the_collector_fires_a_market_rule_after_a_board_s_round(
    repo: Repository, database: Database, tmp_path: Path
) -> None:
    out = tmp_path / "hook.out"
    hook = tmp_path / "hook"
    hook.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(out)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n"
    )
    hook.chmod(0o755)
    entry = {
        "kind": "market-sell", "direction": "below", "value": "10.95", "hook": "rec",
        "channels": ["command"],
    }  # fmt: skip
    rule = rule_from_entry({"pair": "USD/TJS", **entry}, Orientation.USD_PER)
    rule_id = repo.add_alert_rule(rule, "cli", NOON)
    rows: list[Row] = [("Amonatbonk", "10.85", "10.95", ""), ("Orienbonk", "10.86", "10.97", "")]
    clock = Clock()
    clock.now = NOON
    c = _collector(database, clock, rows, hook)
    heard: list[RoundDone] = []
    c.subscribe(heard.append)

    async def rounds() -> None:
        await c.poll("nbt-banks")  # the best sell is 10.95: not below
        rows[1] = ("Orienbonk", "10.86", "10.93", "")
        clock.now = NOON + timedelta(minutes=30)
        await c.poll("nbt-banks")
        await c.stop()

    asyncio.run(rounds())
    assert [[f.stored.id for f in e.firings] for e in heard] == [[], [rule_id]]
    (line,) = out.read_text().splitlines()
    said, rate = json.loads(line)
    assert rate == "10.93"
    assert said == f"#{rule_id} USD/TJS best cash sell below 10.95"
    (event,) = repo.alert_events()
    assert event.message.endswith("cash sell 10.93, +0.28% vs NBT at Orienbonk (nbt-banks)")
