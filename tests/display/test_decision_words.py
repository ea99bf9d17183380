"""The release calendar in words: the next decision of a country's bank, "today" on the
day (in the bank's zone), nothing when no later decision is known."""

from __future__ import annotations

from datetime import UTC, date, datetime

from providers.decision_calendar import DEFAULT_DECISIONS
from ticker.display.decisions import bank_name, next_decision_at, next_decision_text


def test_the_next_decision_of_a_country_s_bank() -> None:
    assert next_decision_text(DEFAULT_DECISIONS, "KAZ", date(2026, 10, 1)) == (
        "next NBK decision 23 Oct"
    )
    assert next_decision_text(DEFAULT_DECISIONS, "UZB", date(2026, 3, 1)) == (
        "next CBU decision 18 Mar"
    )
    calendar = {"KAZ": (date(2027, 1, 12), date(2027, 2, 27))}
    assert next_decision_text(calendar, "KAZ", date(2026, 12, 20)) == "next NBK decision 12 Jan"


def test_on_the_day_it_is_today_and_after_the_last_one_nothing() -> None:
    assert next_decision_text(DEFAULT_DECISIONS, "KAZ", date(2026, 12, 4)) == "NBK decision today"
    assert next_decision_text(DEFAULT_DECISIONS, "KAZ", date(2026, 12, 5)) == ""
    assert next_decision_text(DEFAULT_DECISIONS, "KGZ", date(2026, 1, 1)) == ""  # no dates
    assert next_decision_text({"KAZ": ()}, "KAZ", date(2026, 1, 1)) == ""  # switched off


def test_today_is_the_bank_s_today() -> None:
    # 19:05 UTC on 3 December is 00:05 on the 4th in Almaty: already the decision day.
    assert next_decision_at(DEFAULT_DECISIONS, "KAZ", datetime(2026, 12, 3, 19, 5, tzinfo=UTC)) == (
        "NBK decision today"
    )
    assert next_decision_at(
        DEFAULT_DECISIONS, "KAZ", datetime(2026, 12, 3, 18, 55, tzinfo=UTC)
    ) == ("next NBK decision 04 Dec")


def test_a_decision_far_away_says_its_year_and_a_bank_its_short_name() -> None:
    calendar = {"KGZ": (date(2028, 1, 12),)}
    assert (
        next_decision_text(calendar, "KGZ", date(2026, 12, 20)) == "next NBKR decision 12 Jan 2028"
    )
    assert [bank_name(c) for c in ("KAZ", "UZB", "KGZ", "TJK", "TKM")] == [
        "NBK", "CBU", "NBKR", "NBT", "CBT",
    ]  # fmt: skip
    assert bank_name("XXX") == "XXX"
