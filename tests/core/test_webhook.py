"""The webhook channel against a real receiver on 127.0.0.1: the JSON it gets, retries
with backoff, redirects, answers read only so far, and a poll that never waits for it."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from tests.helpers.collecting import Clock, Scripted, collector, ok
from tests.helpers.hookserver import HOLD, HookServer, Step
from ticker.config import Settings, WebhookSettings
from ticker.config.rules import rule_from_entry
from ticker.core.alerts.deliver import Dispatcher
from ticker.core.alerts.firing import Firing, Reading
from ticker.core.collector import RoundDone
from ticker.model.pairs import Orientation
from ticker.model.records import StoredRule
from ticker.storage.db import Database
from ticker.storage.repository import Repository

FIRED = datetime(2026, 11, 20, 12, 0, 5, tzinfo=UTC)


def firing(url: str, **entry: object) -> Firing:
    entry = {"pair": "USD/KZT", "kind": "above", "value": "480", "channels": ["webhook"],
             "label": "weak tenge", **entry}  # fmt: skip
    entry = {k: v for k, v in entry.items() if v is not None}
    rule = rule_from_entry(entry, Orientation.USD_PER, url)
    stored = StoredRule(7, rule, "cli", True, FIRED - timedelta(days=3))
    reading = Reading(
        True, False, False, "KZT", "nbk", date(2026, 11, 20), Decimal("481.50"),
        "481.500 (NBK, 2026-11-20)",
    )  # fmt: skip
    return Firing(12, stored, reading, FIRED)


def deliver(
    server: HookServer, *firings: Firing, attempts: int = 3, timeout: float = 5
) -> list[float]:
    """Deliver and wait for the deliveries; the backoff waits asked for."""
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async def go() -> None:
        conf = WebhookSettings(server.url, timedelta(seconds=timeout), attempts)
        dispatcher = Dispatcher(10, conf, sleep)
        dispatcher.deliver(list(firings))
        await dispatcher.drain(30)

    asyncio.run(go())
    return waits


def test_the_receiver_gets_the_firing_as_json() -> None:
    with HookServer().running() as server:
        deliver(server, firing(server.url))
    (posted,) = server.posted
    assert posted.path == "/hooks/t0ken"
    assert posted.headers["Content-Type"] == "application/json"
    assert posted.json() == {
        "event_id": 12,
        "rule_id": 7,
        "label": "weak tenge",
        "pair": "USD/KZT",
        "kind": "above",
        "value": "481.50",
        "threshold": "480",
        "direction": "either",
        "as_of": "2026-11-20",
        "source": "nbk",
        "fired_at": "2026-11-20T12:00:05Z",
        "message": '#7 USD/KZT above 480 "weak tenge": 481.500 (NBK, 2026-11-20)',
    }


def test_a_move_rule_sends_its_percent_and_direction() -> None:
    with HookServer().running() as server:
        move = firing(server.url, kind="move", value=None, percent="2.5", window="7d",
                      direction="down")  # fmt: skip
        deliver(server, move)
    (posted,) = server.posted
    assert (posted.json()["threshold"], posted.json()["direction"]) == ("2.5", "down")


def test_a_receiver_that_fails_twice_then_takes_it_gets_three_posts(
    caplog: pytest.LogCaptureFixture,
) -> None:
    script = (Step(503, b"busy"), Step(502), Step(200, b"ok"))
    with caplog.at_level(logging.INFO, logger="ticker.alerts"), HookServer(*script).running() as s:
        waits = deliver(s, firing(s.url))
    assert len(s.posted) == 3
    assert s.posted[0].body == s.posted[2].body  # the same event each time
    assert waits == [1.0, 2.0]  # backoff between the attempts
    assert "WARNING" not in caplog.text


def test_a_receiver_failing_every_attempt_is_logged_in_words_without_its_token(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="ticker.alerts"):
        with HookServer(Step(500, b"down for\nmaintenance")).running() as server:
            deliver(server, firing(server.url), attempts=2)
    assert len(server.posted) == 2
    (line,) = [r.getMessage() for r in caplog.records]
    assert line == (
        f"alert #7: webhook to http://127.0.0.1:{server.port} failed: "
        "HTTP 500: down for maintenance (attempt 2 of 2)"
    )
    assert "t0ken" not in caplog.text


def test_a_refusal_is_not_tried_again(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="ticker.alerts"):
        with HookServer(Step(404, b"no such hook")).running() as server:
            waits = deliver(server, firing(server.url))
    assert len(server.posted) == 1 and waits == []
    assert "failed: HTTP 404: no such hook" in caplog.text


def test_a_redirect_to_another_host_is_not_followed(caplog: pytest.LogCaptureFixture) -> None:
    with HookServer().running() as other:
        elsewhere = f"http://localhost:{other.port}/steal"
        with caplog.at_level(logging.WARNING, logger="ticker.alerts"):
            with HookServer(Step(307, headers={"Location": elsewhere})).running() as server:
                deliver(server, firing(server.url))
    assert len(server.posted) == 1 and other.posted == []
    assert f"HTTP 307 redirect to http://localhost:{other.port}: not followed" in caplog.text


def test_a_same_host_307_is_followed_and_a_302_is_not(caplog: pytest.LogCaptureFixture) -> None:
    moved = Step(308, headers={"Location": "/hooks/moved"})
    with HookServer(moved, Step(204)).running() as server:
        deliver(server, firing(server.url))
    assert [p.path for p in server.posted] == ["/hooks/t0ken", "/hooks/moved"]
    assert server.posted[0].body == server.posted[1].body
    with caplog.at_level(logging.WARNING, logger="ticker.alerts"):
        with HookServer(Step(302, headers={"Location": "/hooks/x"})).running() as server:
            deliver(server, firing(server.url))
    assert len(server.posted) == 1
    assert "HTTP 302 redirect: not followed" in caplog.text


def test_an_answer_is_read_only_as_far_as_a_few_kilobytes(
    caplog: pytest.LogCaptureFixture,
) -> None:
    huge = b"x" * (64 * 1024 * 1024)
    with caplog.at_level(logging.WARNING, logger="ticker.alerts"):
        with HookServer(Step(500, huge)).running() as server:
            deliver(server, firing(server.url), attempts=1)
    assert server.body_cut_short  # the client hung up long before the end
    (line,) = [r.getMessage() for r in caplog.records]
    assert line.endswith("failed: HTTP 500: " + "x" * 200)


def test_a_receiver_that_never_answers_times_out(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="ticker.alerts"):
        with HookServer(Step(HOLD)).running() as server:
            deliver(server, firing(server.url), attempts=1, timeout=1)
    assert "failed: no answer within 1s" in caplog.text


def test_a_hanging_receiver_never_holds_up_the_poll_or_the_firing(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    with HookServer(Step(HOLD)).running() as server:
        settings = dataclasses.replace(
            Settings(), webhook=WebhookSettings(server.url, timedelta(seconds=30), 1)
        )
        clock = Clock()
        repo = Repository(database)
        rule = rule_from_entry(
            {"pair": "USD/KZT", "kind": "above", "value": "480", "channels": ["webhook"]},
            Orientation.USD_PER,
            server.url,
        )
        rule_id = repo.add_alert_rule(rule, "cli", clock.now)
        c = collector(database, Scripted([ok("481", 20)]), clock, settings)
        heard: list[RoundDone] = []
        c.subscribe(heard.append)
        steps: list[str] = []

        async def go() -> None:
            await c.poll("nbk")
            steps.append("polled")
            # The round is over, the firing recorded and handed on; the receiver has it
            # and holds it: the poll did not wait for the answer.
            assert await asyncio.to_thread(server.wait_for, 1)
            steps.append("posted, unanswered")
            assert [[f.stored.id for f in e.firings] for e in heard] == [[rule_id]]
            assert len(repo.alert_events()) == 1
            server.release()
            await c.stop(grace=10)
            steps.append("stopped")

        with caplog.at_level(logging.WARNING, logger="ticker.alerts"):
            asyncio.run(go())
    assert steps == ["polled", "posted, unanswered", "stopped"]
    assert "alert #1: webhook to" in caplog.text  # closed without an answer: a failure
