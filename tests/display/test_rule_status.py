"""Where a rule stands, in the user's local time: the words the list and the panel show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from ticker.config.rules import rule_from_entry
from ticker.display.rules import RuleStanding, local_moment, rule_status
from ticker.model.pairs import Orientation
from ticker.model.records import RuleState, StoredRule

ALMATY = ZoneInfo("Asia/Almaty")  # UTC+5 all year
BERLIN = ZoneInfo("Europe/Berlin")
# 00:10 on Saturday 21 November in Almaty; still Friday the 20th in UTC.
NOW = datetime(2026, 11, 20, 19, 10, tzinfo=UTC)
RULE = rule_from_entry(
    {"pair": "USD/KZT", "kind": "above", "value": "480", "cooldown": "1h"}, Orientation.USD_PER
)


def stored(
    *,
    enabled: bool = True,
    armed: bool = True,
    fired: datetime | None = None,
    snoozed: datetime | None = None,
) -> StoredRule:
    state = RuleState(armed, fired, 7 if fired else None)
    return StoredRule(3, RULE, "cli", enabled, NOW - timedelta(days=9), state, snoozed)


def words(rule: StoredRule, zone: ZoneInfo = ALMATY) -> str:
    return rule_status(rule, NOW, zone).text


def test_a_moment_shows_its_date_only_when_it_is_not_the_users_today() -> None:
    assert local_moment(datetime(2026, 11, 20, 20, 0, tzinfo=UTC), NOW, ALMATY) == "01:00"
    # Friday 23:50 in Almaty: the same UTC day as now, but yesterday for the user.
    assert local_moment(datetime(2026, 11, 20, 18, 50, tzinfo=UTC), NOW, ALMATY) == "20 Nov 23:50"
    assert local_moment(datetime(2026, 11, 20, 18, 50, tzinfo=UTC), NOW, UTC) == "18:50"
    assert local_moment(datetime(2027, 1, 2, 4, 0, tzinfo=UTC), NOW, ALMATY) == "2 Jan 2027 09:00"
    # Berlin's summer time: 12:00 UTC on 1 July is 14:00 there.
    assert local_moment(datetime(2027, 7, 1, 12, 0, tzinfo=UTC), NOW, BERLIN) == "1 Jul 2027 14:00"


def test_each_standing_in_words() -> None:
    assert words(stored()) == "armed"
    assert words(stored(enabled=False)) == "disabled"
    assert words(stored(snoozed=datetime(2026, 11, 20, 20, 0, tzinfo=UTC))) == "snoozed until 01:00"
    fired = datetime(2026, 11, 20, 18, 40, tzinfo=UTC)  # 23:40 in Almaty; cooldown to 00:40
    assert words(stored(armed=False, fired=fired)) == "cooling down until 00:40"
    assert words(stored(armed=True, fired=fired)) == "cooling down until 00:40"  # re-armed
    long_ago = datetime(2026, 11, 20, 9, 5, tzinfo=UTC)
    assert words(stored(armed=False, fired=long_ago)) == "fired 20 Nov 14:05"
    assert words(stored(armed=True, fired=long_ago)) == "armed"


def test_disabled_wins_over_snoozed_and_snoozed_over_cooling_down() -> None:
    later = NOW + timedelta(hours=3)
    fired = NOW - timedelta(minutes=5)
    assert rule_status(stored(enabled=False, snoozed=later), NOW).standing is RuleStanding.DISABLED
    snoozed_and_cooling = stored(armed=False, fired=fired, snoozed=later)
    assert rule_status(snoozed_and_cooling, NOW, ALMATY) == (
        RuleStanding.SNOOZED,
        "snoozed until 03:10",
    )
    # A snooze that has ended is no longer said.
    ended = stored(armed=False, fired=fired, snoozed=NOW)
    assert rule_status(ended, NOW, ALMATY) == (RuleStanding.COOLING, "cooling down until 01:05")


def test_each_standing_in_short_for_a_narrow_column() -> None:
    def short(rule: StoredRule) -> str:
        return rule_status(rule, NOW, ALMATY, short=True).text

    assert short(stored()) == "armed"
    assert short(stored(enabled=False)) == "disabled"
    assert short(stored(snoozed=datetime(2026, 11, 20, 20, 0, tzinfo=UTC))) == "snoozed ↦ 01:00"
    # Another day's moment: its date alone.
    assert short(stored(snoozed=datetime(2026, 11, 23, 4, 0, tzinfo=UTC))) == "snoozed ↦ 23 Nov"
    fired = datetime(2026, 11, 20, 18, 40, tzinfo=UTC)
    assert short(stored(armed=False, fired=fired)) == "cool ↦ 00:40"
    long_ago = datetime(2026, 11, 20, 9, 5, tzinfo=UTC)
    assert short(stored(armed=False, fired=long_ago)) == "fired 20 Nov"
    assert local_moment(datetime(2027, 1, 2, 4, 0, tzinfo=UTC), NOW, ALMATY, True) == "2 Jan 2027"
