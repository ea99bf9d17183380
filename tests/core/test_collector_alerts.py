"""The collector evaluates the rules after every round and hands firings on."""

from __future__ import annotations

import asyncio
import logging

import pytest

from tests.helpers.collecting import Clock, Scripted, collector, ok
from ticker.config.rules import rule_from_entry
from ticker.core.collector import RoundDone
from ticker.model.pairs import Orientation
from ticker.storage.db import Database
from ticker.storage.repository import Repository


def test_a_round_that_stores_a_crossing_fires_the_rule_once(database: Database) -> None:
    clock = Clock()
    repo = Repository(database)
    rule = rule_from_entry(
        {"pair": "USD/KZT", "kind": "above", "value": "480"}, Orientation.USD_PER
    )
    rule_id = repo.add_alert_rule(rule, "cli", clock.now)
    c = collector(database, Scripted([ok("479", 19), ok("481", 20), ok("481", 20)]), clock)
    heard: list[RoundDone] = []
    c.subscribe(heard.append)

    async def rounds() -> None:
        for _ in range(3):
            await c.poll("nbk")
        await c.stop()

    asyncio.run(rounds())
    assert [[f.stored.id for f in e.firings] for e in heard] == [[], [rule_id], []]
    (event,) = repo.alert_events()
    assert event.as_of is not None and event.as_of.day == 20


def test_a_bug_in_evaluation_never_stops_the_rounds(
    database: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    c = collector(database, Scripted([ok()]), Clock())

    def broken(*_args: object) -> None:
        raise ZeroDivisionError("rule bug")

    monkeypatch.setattr("ticker.core.collector.evaluate_rules", broken)
    with caplog.at_level(logging.ERROR, logger="ticker.collector"):
        first = asyncio.run(c.poll("nbk"))
        second = asyncio.run(c.poll("nbk"))
    assert first.ok and second.ok
    assert caplog.text.count("alerts: unexpected error") == 1  # the traceback once
