"""Each rule kind against a real store: fires when its condition becomes true, once."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from tests.helpers.factories import obs
from ticker.config import Settings
from ticker.config.rules import rule_from_entry
from ticker.core.alerts.evaluate import business_days_between, evaluate_rules
from ticker.model.pairs import Orientation
from ticker.model.rules import AlertRuleConfig
from ticker.storage.db import Database, open_database
from ticker.storage.repository import Repository

FRI = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SETTINGS = Settings()


@pytest.fixture
def repo(database: Database) -> Repository:
    return Repository(database)


def rule(**entry: object) -> AlertRuleConfig:
    entry.setdefault("cooldown", "0s")
    return rule_from_entry(entry, Orientation.USD_PER)


def add(repo: Repository, **entry: object) -> int:
    return repo.add_alert_rule(rule(**entry), "cli", NOW)


def fired(repo: Repository, now: datetime = NOW) -> list[str]:
    """Evaluate once; the messages of the rules that fired."""
    return [f.message for f in evaluate_rules(repo, SETTINGS, now)]


def test_above_fires_in_the_orientation_it_was_written(repo: Repository) -> None:
    # USD/KZT 478.77 is KZT/USD 0.0020887...
    repo.store([obs("KZT", "478.77", FRI)])
    add(repo, pair="KZT/USD", kind="above", value="0.0021")
    add(repo, pair="KZT/USD", kind="above", value="0.0020")
    add(repo, pair="USD/KZT", kind="above", value="478.76")
    add(repo, pair="USD/KZT", kind="above", value="478.77")  # not above: equal
    assert fired(repo) == [
        "#2 KZT/USD above 0.0020: 0.0020887 (NBK, 2026-11-20)",  # as the table shows it
        "#3 USD/KZT above 478.76: 478.77 (NBK, 2026-11-20)",
    ]


def test_below_fires_only_when_the_rate_goes_below(repo: Repository) -> None:
    repo.store([obs("KZT", "478.77", FRI - timedelta(days=1))])
    add(repo, pair="USD/KZT", kind="below", value="476")
    assert fired(repo) == []
    repo.store([obs("KZT", "475.10", FRI)])
    assert fired(repo) == ["#1 USD/KZT below 476: 475.10 (NBK, 2026-11-20)"]


def test_a_rule_fires_once_per_observation_however_often_it_is_evaluated(
    repo: Repository,
) -> None:
    repo.store([obs("KZT", "478.77", FRI)])
    add(repo, pair="USD/KZT", kind="above", value="470")
    assert len(fired(repo)) == 1
    for minutes in range(1, 5):
        assert fired(repo, NOW + timedelta(minutes=minutes)) == []
    assert len(repo.alert_events()) == 1


def test_hysteresis_rearms_only_past_the_band(repo: Repository) -> None:
    add(repo, pair="USD/KZT", kind="above", value="480", hysteresis="1")  # re-arms <= 475.2
    day = FRI - timedelta(days=10)

    def fixing(rate: str) -> list[str]:
        nonlocal day
        day += timedelta(days=1)
        repo.store([obs("KZT", rate, day)])
        return fired(repo, NOW + timedelta(days=day.toordinal() - FRI.toordinal()))

    assert fixing("479") == []
    assert len(fixing("481")) == 1
    assert fixing("478") == []  # back under the level, but inside the band
    assert fixing("482") == []  # so this is not a new crossing
    assert fixing("475.20") == []  # at the edge of the band: re-armed
    assert len(fixing("480.5")) == 1
    assert len(repo.alert_events()) == 2


def test_cooldown_holds_a_new_crossing_until_it_ends(repo: Repository) -> None:
    add(repo, pair="USD/KZT", kind="above", value="480", hysteresis="0", cooldown="1h")
    repo.store([obs("KZT", "481", FRI - timedelta(days=2))])
    assert len(fired(repo, NOW)) == 1
    repo.store([obs("KZT", "479", FRI - timedelta(days=1))])
    assert fired(repo, NOW + timedelta(minutes=10)) == []  # re-armed
    repo.store([obs("KZT", "483", FRI)])
    assert fired(repo, NOW + timedelta(minutes=30)) == []  # crossing again, in the cooldown
    (late,) = fired(repo, NOW + timedelta(minutes=61))  # still above once it ends
    assert "483" in late
    assert len(repo.alert_events()) == 2


def test_state_survives_a_restart_so_nothing_fires_twice(db_url: str) -> None:
    first = open_database(db_url, timedelta(seconds=2))
    repo = Repository(first)
    repo.store([obs("KZT", "478.77", FRI)])
    add(repo, pair="USD/KZT", kind="above", value="470")
    assert len(fired(repo)) == 1
    first.dispose()

    again = open_database(db_url, timedelta(seconds=2))
    try:
        repo = Repository(again)
        assert fired(repo, NOW + timedelta(hours=5)) == []
        (stored,) = repo.alert_rules()
        assert not stored.state.armed and stored.state.last_fired_at == NOW
    finally:
        again.dispose()


def test_two_processes_evaluating_one_rule_fire_it_once(db_url: str) -> None:
    a = open_database(db_url, timedelta(seconds=5))
    b = open_database(db_url, timedelta(seconds=5))
    try:
        repo_a, repo_b = Repository(a), Repository(b)
        repo_a.store([obs("KZT", "478.77", FRI)])
        add(repo_a, pair="USD/KZT", kind="above", value="470")
        # Both read the rule as armed before either writes.
        stale_view = repo_b.alert_rules()
        assert len(fired(repo_a)) == 1
        repo_b.alert_rules = lambda: stale_view  # type: ignore[method-assign]
        assert fired(repo_b) == []  # the locked re-read sees it already fired
        assert len(repo_a.alert_events()) == 1
    finally:
        a.dispose()
        b.dispose()


def test_change_compares_consecutive_fixings_in_the_rules_orientation(
    repo: Repository,
) -> None:
    repo.store([obs("KZT", "478.77", FRI - timedelta(days=1)), obs("KZT", "490", FRI)])
    add(repo, pair="USD/KZT", kind="change", percent="2", direction="up")  # +2.35%
    add(repo, pair="KZT/USD", kind="change", percent="2", direction="up")  # -2.29%: no
    add(repo, pair="KZT/USD", kind="change", percent="2", direction="down")
    add(repo, pair="KZT/USD", kind="change", percent="2.5")  # too small
    assert fired(repo) == [
        "#1 USD/KZT changes 2% up: +2.35% to 490.00 (NBK, 2026-11-20)",
        "#3 KZT/USD changes 2% down: -2.29% to 0.0020408 (NBK, 2026-11-20)",
    ]


def test_change_fires_for_every_fixing_that_moves_enough(repo: Repository) -> None:
    add(repo, pair="USD/KZT", kind="change", percent="1")
    start = FRI - timedelta(days=5)
    rates = ["478", "490", "500", "500.1", "510"]  # big, big, quiet, big
    results = []
    for i, rate in enumerate(rates):
        repo.store([obs("KZT", rate, start + timedelta(days=i))])
        results.append(len(fired(repo, NOW + timedelta(hours=i))))
        assert fired(repo, NOW + timedelta(hours=i, minutes=30)) == []  # once per fixing
    # A devaluation's second big day is news too: each fixing is its own condition.
    assert results == [0, 1, 1, 0, 1]


def test_change_respects_the_cooldown_between_fixings(repo: Repository) -> None:
    add(repo, pair="USD/KZT", kind="change", percent="1", cooldown="1d")
    repo.store(
        [obs("KZT", "478", FRI - timedelta(days=2)), obs("KZT", "490", FRI - timedelta(days=1))]
    )
    assert len(fired(repo, NOW)) == 1
    repo.store([obs("KZT", "500", FRI)])
    assert fired(repo, NOW + timedelta(hours=2)) == []  # within the day
    assert len(fired(repo, NOW + timedelta(days=1, minutes=1))) == 1  # then it is told


def test_move_over_a_window(repo: Repository) -> None:
    start = FRI - timedelta(days=7)
    repo.store([obs("UZS", "12000", start), obs("UZS", "12100", FRI - timedelta(days=1))])
    repo.store([obs("UZS", "12300", FRI)])
    add(repo, pair="USD/UZS", kind="move", percent="2", window="7d")  # +2.5%
    add(repo, pair="USD/UZS", kind="move", percent="3", window="7d")
    add(repo, pair="USD/UZS", kind="move", percent="2", window="30d")  # no data so old
    add(repo, pair="USD/UZS", kind="move", percent="1", window="1d", direction="down")
    assert fired(repo, NOW) == [
        "#1 USD/UZS moves 2% in 7d: +2.50% since 2026-11-13, to 12,300.00 (NBK, 2026-11-20)"
    ]


def test_stale_counts_whole_business_days_without_a_fixing(repo: Repository) -> None:
    monday = date(2026, 11, 16)
    repo.store([obs("KZT", "478.77", monday)])
    add(repo, pair="KZT", kind="stale", days=2)
    add(repo, pair="KZT", kind="stale", days=3)
    thursday = datetime(2026, 11, 19, 8, 0, tzinfo=UTC)  # Tuesday and Wednesday passed
    assert fired(repo, thursday) == [
        "#1 KZT/USD stale 2 business days: last fixing 2026-11-16 (NBK), 2 business days ago"
    ]
    repo.store([obs("KZT", "478.80", date(2026, 11, 19))])
    assert fired(repo, thursday + timedelta(hours=1)) == []  # fresh again: re-armed
    (stale2, _) = repo.alert_rules()
    assert stale2.state.armed


def test_stale_watches_the_preferred_source_even_while_a_fallback_publishes(
    repo: Repository,
) -> None:
    monday = date(2026, 11, 16)
    repo.store([obs("KZT", "478.77", monday, "nbk")])
    for day in range(5):  # frankfurter goes on publishing all week
        repo.store([obs("KZT", "479", monday + timedelta(days=day), "frankfurter", derived=True)])
    add(repo, pair="KZT", kind="stale", days=2)
    thursday = datetime(2026, 11, 19, 8, 0, tzinfo=UTC)
    assert fired(repo, thursday) == [
        "#1 KZT/USD stale 2 business days: last fixing 2026-11-16 (NBK), 2 business days ago"
    ]
    # With NBK disabled, the next source in [routing] that publishes KZT is watched:
    # frankfurter, which is fresh.
    providers = dict(SETTINGS.providers)
    providers["nbk"] = dataclasses.replace(providers["nbk"], enabled=False)
    no_nbk = dataclasses.replace(SETTINGS, providers=providers)
    add(repo, pair="KZT", kind="stale", days=1)
    assert [f.message for f in evaluate_rules(repo, no_nbk, thursday)] == []
    assert [f.message for f in evaluate_rules(repo, SETTINGS, thursday)] == [
        "#2 KZT/USD stale 1 business day: last fixing 2026-11-16 (NBK), 2 business days ago"
    ]


def test_business_days_skip_weekends() -> None:
    friday, monday, tuesday = date(2026, 11, 20), date(2026, 11, 23), date(2026, 11, 24)
    assert business_days_between(friday, monday) == 0
    assert business_days_between(friday, tuesday) == 1
    assert business_days_between(friday, friday) == 0


def test_divergence_from_the_median_of_the_other_sources(repo: Repository) -> None:
    repo.store(
        [
            obs("KZT", "478.77", FRI, "nbk"),
            obs("KZT", "490", FRI, "nbt", derived=True),
            obs("KZT", "489", FRI, "frankfurter", derived=True),
            obs("KZT", "478.80", FRI, "cbr", derived=True),  # NBK's own number: no vote
        ]
    )
    add(repo, pair="USD/KZT", kind="divergence", percent="2")  # median 489.5: -2.19%
    add(repo, pair="USD/KZT", kind="divergence", percent="2.5")
    assert fired(repo) == [
        "#1 USD/KZT diverges 2%: 478.77 (NBK, 2026-11-20) is -2.19% from the other sources' median"
    ]


def test_divergence_without_other_sources_is_not_judged(repo: Repository) -> None:
    repo.store([obs("KZT", "478.77", FRI)])
    add(repo, pair="KZT", kind="divergence", percent="0.01")
    assert fired(repo) == []


def test_a_pair_with_nothing_stored_fires_nothing(repo: Repository) -> None:
    add(repo, pair="TJS", kind="above", value="0.0001")
    assert fired(repo) == []


def test_firing_records_the_observation_that_caused_it(repo: Repository) -> None:
    repo.store([obs("KZT", "478.77", FRI - timedelta(days=1), "nbk")])
    repo.store([obs("KZT", "481.5", FRI, "nbk")])
    rule_id = add(repo, pair="USD/KZT", kind="above", value="480")
    (firing,) = evaluate_rules(repo, SETTINGS, NOW)
    (event,) = repo.alert_events()
    assert (event.id, event.rule_id) == (firing.event_id, rule_id)
    assert (event.provider, event.as_of, event.rate) == ("nbk", FRI, Decimal("481.5"))
    assert event.fired_at == NOW and event.message == firing.message
    assert firing.placeholders() == {
        "pair": "USD/KZT",
        "rate": "481.5",
        "rule": "#1 USD/KZT above 480",
        "message": firing.message,
        "as_of": "2026-11-20",
    }


def test_routing_decides_which_rate_a_rule_reads(repo: Repository) -> None:
    # NBK first in the routing for KZT; its rate is below the level, CBR's is above.
    repo.store([obs("KZT", "478.77", FRI, "nbk"), obs("KZT", "481", FRI, "cbr", derived=True)])
    add(repo, pair="USD/KZT", kind="above", value="480")
    assert fired(repo) == []
    rerouted = dataclasses.replace(SETTINGS, routing={**SETTINGS.routing, "KZT": ("cbr", "nbk")})
    (message,) = [f.message for f in evaluate_rules(repo, rerouted, NOW)]
    assert "(CBR, 2026-11-20)" in message


def test_removed_rules_are_not_evaluated(repo: Repository) -> None:
    repo.store([obs("KZT", "478.77", FRI)])
    rule_id = add(repo, pair="USD/KZT", kind="above", value="470")
    repo.delete_alert_rule(rule_id)
    assert fired(repo) == []


def test_a_snoozed_rule_fires_once_after_the_snooze_for_a_condition_still_true(
    repo: Repository,
) -> None:
    rule_id = add(repo, pair="USD/KZT", kind="above", value="480")
    until = NOW + timedelta(hours=2)
    repo.snooze_alert_rule(rule_id, until)
    repo.store([obs("KZT", "481", FRI)])  # crosses while snoozed
    assert fired(repo, NOW) == []
    assert fired(repo, until - timedelta(seconds=1)) == []
    (stored,) = repo.alert_rules()
    assert stored.state.armed  # waiting, not spent
    assert fired(repo, until) == ["#1 USD/KZT above 480: 481.00 (NBK, 2026-11-20)"]
    assert fired(repo, until + timedelta(minutes=5)) == []
    assert len(repo.alert_events()) == 1


def test_a_rule_snoozed_after_firing_does_not_fire_again_for_that_observation(
    repo: Repository,
) -> None:
    repo.store([obs("KZT", "481", FRI)])
    rule_id = add(repo, pair="USD/KZT", kind="above", value="480")
    assert len(fired(repo, NOW)) == 1
    until = NOW + timedelta(hours=1)
    repo.snooze_alert_rule(rule_id, until)
    assert fired(repo, until + timedelta(minutes=1)) == []  # the same crossing: told already
    # A change rule fired for a fixing is not fired again for it after a snooze either.
    change_id = add(repo, pair="USD/KZT", kind="change", percent="0.5")
    repo.store([obs("KZT", "484", FRI + timedelta(days=1))])
    assert fired(repo, until + timedelta(minutes=2)) == [
        "#2 USD/KZT changes 0.5%: +0.62% to 484.00 (NBK, 2026-11-21)"
    ]
    repo.snooze_alert_rule(change_id, until + timedelta(hours=1))
    assert fired(repo, until + timedelta(hours=2)) == []


def test_a_crossing_that_cleared_and_came_back_while_snoozed_fires_once_after(
    repo: Repository,
) -> None:
    add(repo, pair="USD/KZT", kind="above", value="480", hysteresis="0")
    repo.store([obs("KZT", "481", FRI - timedelta(days=2))])
    assert len(fired(repo, NOW)) == 1
    until = NOW + timedelta(days=1)
    repo.snooze_alert_rule(1, until)
    repo.store([obs("KZT", "479", FRI - timedelta(days=1))])
    assert fired(repo, NOW + timedelta(hours=1)) == []  # re-armed while snoozed
    repo.store([obs("KZT", "482", FRI)])
    assert fired(repo, NOW + timedelta(hours=2)) == []  # a new crossing, snoozed
    (late,) = fired(repo, until + timedelta(minutes=1))
    assert late == "#1 USD/KZT above 480: 482.00 (NBK, 2026-11-20)"


def test_a_disabled_rule_fires_nothing_and_once_enabled_tells_what_holds(
    repo: Repository,
) -> None:
    rule_id = add(repo, pair="USD/KZT", kind="below", value="476")
    repo.set_alert_enabled(rule_id, False)
    repo.store([obs("KZT", "475.10", FRI)])
    assert fired(repo, NOW) == []
    assert fired(repo, NOW + timedelta(days=3)) == []
    repo.set_alert_enabled(rule_id, True)
    assert fired(repo, NOW + timedelta(days=3, minutes=1)) == [
        "#1 USD/KZT below 476: 475.10 (NBK, 2026-11-20)"
    ]
    assert fired(repo, NOW + timedelta(days=3, minutes=2)) == []


def test_a_rule_disabled_by_another_process_meanwhile_does_not_fire(repo: Repository) -> None:
    repo.store([obs("KZT", "478.77", FRI)])
    rule_id = add(repo, pair="USD/KZT", kind="above", value="470")
    stale_view = repo.alert_rules()  # read as enabled, before the other process acts
    repo.set_alert_enabled(rule_id, False)
    repo.alert_rules = lambda: stale_view  # type: ignore[method-assign]
    assert fired(repo) == []
    assert repo.alert_events() == []
