"""Release rules: a new value of a country's monetary series fires once, through the
collector's poll, and says what was released (the webhook's fields, the message). The
history a fresh store's first poll brings never fires; the IMF's copy of an NBK decision
never fires a second alert; a revision fires nothing."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from providers.base import IndicatorValue, ProviderOptions
from providers.nbk_data import NBKData
from tests.helpers.collecting import Clock
from tests.helpers.hookserver import HookServer
from ticker.config import Settings, parse_config
from ticker.config.rules import rule_from_entry
from ticker.core.alerts.evaluate import evaluate_rules
from ticker.core.alerts.firing import Firing
from ticker.core.collector import Collector, RoundDone
from ticker.model.pairs import Orientation
from ticker.model.rules import AlertRuleConfig
from ticker.storage.db import Database
from ticker.storage.repository import Repository

D = Decimal
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "providers" / "monetary" / "nbk-data"
#: The recorded history's last decision: 16.25% from 7 September 2026 (a cut of 0.50).
HISTORY = json.loads((FIXTURES / "base_rate.json").read_text())
#: 14:00 in Almaty on 10 September 2026, when the rule is made.
MADE = datetime(2026, 9, 10, 9, 0, tzinfo=UTC)
#: The day of the next decision (14:00 in Almaty).
DECIDED = datetime(2026, 10, 12, 9, 0, tzinfo=UTC)
NEW_DECISION = {
    "effectiveDate": "2026-10-12", "rate": 16.75, "corridorLower": 15.75, "corridorUpper": 17.75,
}  # fmt: skip


def nbk_feed(answers: list[list[dict[str, object]]]) -> Callable[[httpx.Request], httpx.Response]:
    """NBK's base-rate endpoint answering each poll with the next history of ``answers``
    (the last one again after that)."""
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/api/v1/data/base-rate"
        calls.append(1)
        return httpx.Response(200, json=answers[min(len(calls), len(answers)) - 1])

    return handler


def rule(entry: dict[str, object], webhook: str = "") -> AlertRuleConfig:
    return rule_from_entry(entry, Orientation.USD_PER, webhook)


def test_a_new_nbk_decision_fires_one_webhook_with_what_was_released(
    database: Database,
) -> None:
    """The first poll stores the whole history (no firing: nothing was released since the
    rule was made); the second brings the 12 October decision: one firing, posted once,
    with its country, series, period, value, previous value and release date; the same
    answer again, and the IMF's month-end copy of the decision, fire nothing."""
    repo = Repository(database)
    clock = Clock()
    clock.now = MADE
    with HookServer().running() as server:
        settings = parse_config({"webhook": {"url": server.url}}, "test")
        entry: dict[str, object] = {
            "country": "KZ",
            "kind": "release",
            "series": "policy-rate",
            "channels": ["webhook"],
        }
        release_rule = rule_from_entry(entry, Orientation.USD_PER, server.url)
        rule_id = repo.add_alert_rule(release_rule, "cli", MADE)
        feed = nbk_feed([HISTORY, [NEW_DECISION, *HISTORY]])
        nbk = NBKData(
            "http://nbk.test", now=clock, options=ProviderOptions(indicators=("policy-rate",))
        )
        client = httpx.AsyncClient(transport=httpx.MockTransport(feed))
        collector = Collector(
            settings, repo, [nbk], client, now=clock, sleep=clock.sleep, rand=lambda: 0.5
        )
        heard: list[RoundDone] = []
        collector.subscribe(heard.append)

        async def rounds() -> None:
            await collector.poll("nbk-data")  # the history: known, not news
            clock.now = DECIDED
            await collector.poll("nbk-data")  # the new decision
            await collector.poll("nbk-data")  # the same again
            imf = IndicatorValue(
                "imf-sdmx", "policy-rate", "KAZ", "2026-10", D("16.75"), False, clock.now
            )
            repo.store_indicators([imf])  # the IMF's monthly copy of the decision
            clock.now += timedelta(hours=2)
            await collector.poll("nbk-data")
            await collector.stop()
            await client.aclose()

        asyncio.run(rounds())
        assert server.wait_for(1)
    assert [[f.stored.id for f in e.firings] for e in heard] == [[], [rule_id], [], []]
    (posted,) = server.posted
    event = posted.json()
    assert event["rule_id"] == rule_id and event["kind"] == "release"
    assert (event["pair"], event["country"], event["series"]) == ("KAZ", "KAZ", "policy-rate")
    assert (event["period"], event["value"], event["previous"]) == ("2026-10-12", "16.75", "16.25")
    assert (event["released"], event["as_of"], event["source"]) == (
        "2026-10-12", "2026-10-12", "nbk-data",
    )  # fmt: skip
    assert event["direction"] == "changed" and event["threshold"] == ""
    assert event["message"] == (
        f"#{rule_id} KAZ policy-rate changed: NBK policy rate 16.75% from 12 Oct 2026 (+0.50 pp)"
    )
    (stored_event,) = repo.alert_events()
    assert (stored_event.pair, stored_event.rate, stored_event.provider) == (
        "KAZ",
        D("16.75"),
        None,
    )


def imf_cpi(period: str, value: str, fetched: datetime) -> IndicatorValue:
    return IndicatorValue("imf-sdmx", "cpi-yoy", "UZB", period, D(value), False, fetched)


def fired(repo: Repository, now: datetime) -> list[Firing]:
    return evaluate_rules(repo, Settings(), now)


def test_a_cpi_threshold_fires_once_per_new_value_beyond_it(database: Database) -> None:
    """``UZ cpi above 10``: the history held when it is made is known; each new month
    above 10 fires once, one at or below it is passed over; a revision of a month already
    judged fires nothing, whatever its value; ``below 3`` watches the same prints."""
    repo = Repository(database)
    t = MADE
    repo.store_indicators([imf_cpi(f"2026-0{m}", "11.0", t) for m in range(1, 8)])
    above = repo.add_alert_rule(rule({"country": "UZ", "kind": "release", "series": "cpi",
                                      "direction": "above", "value": "10"}), "cli", t)  # fmt: skip
    below = repo.add_alert_rule(rule({"country": "UZB", "kind": "release", "series": "cpi-yoy",
                                      "direction": "below", "value": "3"}), "cli", t)  # fmt: skip
    assert fired(repo, t) == []  # July's 11.0 was out before the rules: known, not news
    t += timedelta(days=20)
    repo.store_indicators([imf_cpi("2026-08", "10.4", t)])
    (first,) = fired(repo, t)
    assert first.stored.id == above
    assert first.message.endswith("IMF CPI y/y 10.4% in Aug 2026 (-0.60 pp)")
    assert first.placeholders()["previous"] == "11.0"
    assert fired(repo, t + timedelta(hours=3)) == []  # the same print: never twice
    t += timedelta(days=30)
    repo.store_indicators([imf_cpi("2026-09", "9.8", t)])
    assert fired(repo, t) == []  # not above 10: passed over
    repo.store_indicators([imf_cpi("2026-09", "10.9", t + timedelta(days=1))])
    assert fired(repo, t + timedelta(days=1)) == []  # a revision: kept, fires nothing
    t += timedelta(days=30)
    repo.store_indicators([imf_cpi("2026-10", "2.5", t)])
    (low,) = fired(repo, t)
    assert low.stored.id == below and "2.5% in Oct 2026" in low.message
    t += timedelta(days=30)
    repo.store_indicators([imf_cpi("2026-11", "10.1", t)])
    assert [f.stored.id for f in fired(repo, t)] == [above]


def test_a_new_value_within_the_cooldown_or_while_snoozed_waits(database: Database) -> None:
    """A new value while the rule is snoozed fires once the snooze ends (the newest value
    then, once)."""
    repo = Repository(database)
    t = MADE
    repo.store_indicators([imf_cpi("2026-07", "11.0", t)])
    rule_id = repo.add_alert_rule(
        rule({"country": "UZ", "kind": "release", "series": "cpi"}), "cli", t
    )
    assert fired(repo, t) == []
    repo.snooze_alert_rule(rule_id, t + timedelta(days=40))
    repo.store_indicators([imf_cpi("2026-08", "10.0", t + timedelta(days=20))])
    assert fired(repo, t + timedelta(days=20)) == []
    repo.store_indicators([imf_cpi("2026-09", "9.0", t + timedelta(days=35))])
    (late,) = fired(repo, t + timedelta(days=41))
    assert late.message.endswith("IMF CPI y/y 9.0% in Sep 2026 (-1.00 pp)")
    assert fired(repo, t + timedelta(days=42)) == []


def test_a_decision_that_held_says_so(database: Database) -> None:
    repo = Repository(database)
    t = MADE
    nbk = [
        IndicatorValue("nbk-data", "policy-rate", "KAZ", "2026-09-07", D("16.25"), False, t,
                       released=datetime(2026, 9, 7).date()),
    ]  # fmt: skip
    repo.store_indicators(nbk)
    repo.add_alert_rule(rule({"country": "KAZ", "kind": "release", "series": "rate"}), "cli", t)
    assert fired(repo, t) == []
    held = IndicatorValue("nbk-data", "policy-rate", "KAZ", "2026-10-12", D("16.25"), False,
                          DECIDED, released=DECIDED.date())  # fmt: skip
    repo.store_indicators([held])
    (firing,) = fired(repo, DECIDED)
    assert firing.message.endswith(": NBK policy rate held at 16.25% on 12 Oct 2026")


def test_a_value_released_since_the_rule_was_made_fires_at_its_first_sight(
    database: Database,
) -> None:
    """A rule judged for the first time after a decision that took effect after it was
    made (the collector was down): that decision fires; the history before it never."""
    repo = Repository(database)
    repo.add_alert_rule(rule({"country": "KZ", "kind": "release", "series": "policy-rate"}),
                        "cli", MADE)  # fmt: skip
    values = [
        IndicatorValue("nbk-data", "policy-rate", "KAZ", day, D(v), False, DECIDED,
                       released=datetime.fromisoformat(day).date())
        for day, v in (("2026-09-07", "16.25"), ("2026-10-12", "16.75"))
    ]  # fmt: skip
    repo.store_indicators(values)
    (firing,) = fired(repo, DECIDED)
    assert firing.reading.release is not None and firing.reading.release.period == "2026-10-12"


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        ({"country": "XX", "series": "cpi"}, "alerts[0].country: expected a country: KGZ (KG), "
         'KAZ (KZ), TJK (TJ), UZB (UZ), TKM (TM), got "XX"'),
        ({"country": "KZ", "series": "gdp"}, "alerts[0].series: expected a series (policy-rate"),
        ({"country": "KZ", "series": "cpi", "direction": "above"},
         "alerts[0].value: expected a level (required for a release rule above), got nothing"),
        ({"country": "KZ", "series": "cpi", "value": 3},
         "alerts[0].value: expected no level for a release rule on every new value"),
        ({"pair": "KZT", "series": "cpi"}, "alerts[0].pair: expected one of the keys of a "
         "'release' rule (country, kind, cooldown, channels, hook, label, series, direction, "
         "value)"),
    ],
)  # fmt: skip
def test_a_bad_release_rule_in_the_config_is_one_line(entry: dict[str, object], said: str) -> None:
    from ticker.errors import ConfigError

    with pytest.raises(ConfigError) as err:
        parse_config({"alerts": [{"kind": "release", **entry}]}, "c")
    assert str(err.value).startswith(f"c: {said}")


def test_a_release_rule_is_stored_and_read_back_as_written(database: Database) -> None:
    repo = Repository(database)
    written = rule({"country": "UZ", "kind": "release", "series": "cpi-mom",
                    "direction": "below", "value": "-0.5", "label": "deflation"})  # fmt: skip
    rule_id = repo.add_alert_rule(written, "cli", MADE)
    (stored,) = repo.alert_rules()
    assert (stored.id, stored.rule) == (rule_id, written)
    assert (stored.rule.pair, stored.rule.country, stored.rule.series) == (None, "UZB", "cpi-mom")
    assert stored.rule.value == D("-0.5")


def test_a_hook_gets_the_release_fields_as_placeholders_and_variables(
    database: Database,
) -> None:
    from ticker.core.alerts.deliver import expand, run_command

    repo = Repository(database)
    repo.store_indicators([imf_cpi("2026-07", "11.0", MADE)])
    repo.add_alert_rule(rule({"country": "UZ", "kind": "release", "series": "cpi"}), "cli", MADE)
    assert fired(repo, MADE) == []
    later = MADE + timedelta(days=20)
    repo.store_indicators([imf_cpi("2026-08", "10.4", later)])
    (firing,) = fired(repo, later)
    values = firing.placeholders()
    argv = ["printf", "%s", "{country}|{series}|{period}|{value}|{previous}|{released}"]
    assert expand(argv, values)[2] == "UZB|cpi-yoy|2026-08|10.4|11.0|"
    line = 'printf %s "$TICKER_COUNTRY $TICKER_PERIOD {value} ${TICKER_MARKET_CHANNEL-unset}"'
    result = asyncio.run(run_command(expand(["sh", "-c", line], values), 10, values, True))
    assert result.output == "UZB 2026-08 10.4 unset"
