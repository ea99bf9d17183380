"""The release calendar: the built-in decision days as the banks published them, the next
decision and "today" in the bank's own zone, and the polling window around a decision at
awkward moments (just after local midnight, the weekend before the NBK's Monday, two days
after, a year's end, a country without dates)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from providers.calendar import ALMATY, TASHKENT
from providers.decision_calendar import BANK_OF, BANKS, DEFAULT_DECISIONS
from providers.records import COUNTRIES
from ticker.model.release_calendar import (
    around_decision,
    decision_countries,
    decision_today,
    decision_windows,
    effective_day,
    local_today,
    next_decision,
    next_window_start,
    window_of,
)

NBK_2026 = (
    date(2026, 1, 23), date(2026, 3, 6), date(2026, 4, 24), date(2026, 6, 5),
    date(2026, 7, 24), date(2026, 9, 4), date(2026, 10, 23), date(2026, 12, 4),
)  # fmt: skip


def test_the_built_in_lists_are_the_published_ones_and_one_bank_per_country() -> None:
    assert DEFAULT_DECISIONS["KAZ"] == NBK_2026
    # "the last working day of the week": every NBK day of 2026 is a Friday.
    assert {day.weekday() for day in NBK_2026} == {4}
    assert DEFAULT_DECISIONS["UZB"] == (date(2026, 1, 28), date(2026, 3, 18), date(2026, 4, 29))
    # No schedule found: no dates, never made up.
    assert DEFAULT_DECISIONS["KGZ"] == DEFAULT_DECISIONS["TJK"] == DEFAULT_DECISIONS["TKM"] == ()
    assert set(BANK_OF) == set(COUNTRIES) == set(DEFAULT_DECISIONS)
    for bank in BANKS:
        assert list(bank.dates) == sorted(set(bank.dates)), bank.name
        assert bank.evidence
    assert [BANK_OF[c].name for c in ("KAZ", "UZB", "KGZ", "TJK")] == ["NBK", "CBU", "NBKR", "NBT"]
    assert BANK_OF["KAZ"].at is not None and BANK_OF["KAZ"].at.hour == 12


def test_next_decision_and_today_in_the_bank_s_own_zone() -> None:
    calendar = DEFAULT_DECISIONS
    assert next_decision(calendar, "KAZ", date(2026, 1, 1)) == date(2026, 1, 23)
    # On the day it is "today", not the next one.
    assert decision_today(calendar, "KAZ", date(2026, 10, 23))
    assert next_decision(calendar, "KAZ", date(2026, 10, 23)) == date(2026, 12, 4)
    assert not decision_today(calendar, "KAZ", date(2026, 10, 22))
    assert next_decision(calendar, "KAZ", date(2026, 10, 22)) == date(2026, 10, 23)
    # After the last published day: nothing is known (2027's schedule was not found).
    assert next_decision(calendar, "KAZ", date(2026, 12, 4)) is None
    assert next_decision(calendar, "UZB", date(2026, 5, 1)) is None
    # A country without dates, and one the calendar does not name.
    assert next_decision(calendar, "KGZ", date(2026, 1, 1)) is None
    assert not decision_today(calendar, "KGZ", date(2026, 1, 1))
    assert next_decision({}, "KAZ", date(2026, 1, 1)) is None


def test_just_after_midnight_in_almaty_is_already_the_decision_day() -> None:
    # 19:05 UTC on Thursday 3 December is 00:05 on Friday 4 December in Almaty (UTC+5).
    moment = datetime(2026, 12, 3, 19, 5, tzinfo=UTC)
    assert local_today("KAZ", moment) == date(2026, 12, 4)
    assert decision_today(DEFAULT_DECISIONS, "KAZ", local_today("KAZ", moment))
    assert local_today("KAZ", moment - timedelta(minutes=10)) == date(2026, 12, 3)
    assert local_today("XXX", moment) == date(2026, 12, 3)  # no bank: UTC


def test_the_nbk_window_runs_from_the_friday_to_two_days_after_its_monday() -> None:
    window = window_of("KAZ", date(2026, 12, 4))
    assert effective_day("KAZ", date(2026, 12, 4)) == date(2026, 12, 7)  # the Monday after
    assert window.start == datetime(2026, 12, 4, 0, 0, tzinfo=ALMATY)
    assert window.end == datetime(2026, 12, 10, 0, 0, tzinfo=ALMATY)
    windows = decision_windows(DEFAULT_DECISIONS, ("KAZ",))
    assert len(windows) == 8
    before = datetime(2026, 12, 3, 18, 59, tzinfo=UTC)  # 23:59 Thursday in Almaty
    assert not around_decision(windows, before)
    assert next_window_start(windows, before) == window.start
    assert around_decision(windows, datetime(2026, 12, 3, 19, 0, tzinfo=UTC))  # 00:00 Friday
    assert around_decision(windows, datetime(2026, 12, 5, 10, 0, tzinfo=ALMATY))  # Saturday
    assert around_decision(windows, datetime(2026, 12, 9, 23, 59, tzinfo=ALMATY))  # Mon + 2
    after = datetime(2026, 12, 10, 0, 0, tzinfo=ALMATY)
    assert not around_decision(windows, after)
    assert next_window_start(windows, after) is None  # the last one of the list


def test_other_banks_windows_run_to_two_days_after_the_decision_day() -> None:
    window = window_of("UZB", date(2026, 4, 29))
    assert effective_day("UZB", date(2026, 4, 29)) == date(2026, 4, 29)
    assert (window.start, window.end) == (
        datetime(2026, 4, 29, 0, 0, tzinfo=TASHKENT),
        datetime(2026, 5, 2, 0, 0, tzinfo=TASHKENT),
    )
    windows = decision_windows(DEFAULT_DECISIONS, ("UZB",))
    assert around_decision(windows, datetime(2026, 5, 1, 23, 59, tzinfo=TASHKENT))
    assert not around_decision(windows, datetime(2026, 5, 2, 0, 0, tzinfo=TASHKENT))


def test_a_decision_at_the_year_s_end_reaches_into_the_next_year() -> None:
    calendar = {"KAZ": (date(2026, 12, 31), date(2027, 1, 15))}
    assert next_decision(calendar, "KAZ", date(2026, 12, 31)) == date(2027, 1, 15)
    windows = decision_windows(calendar, ("KAZ",))
    # Thursday 31 December: in effect from Monday 4 January, polled until Wednesday 6th.
    assert windows[0].end == datetime(2027, 1, 7, 0, 0, tzinfo=ALMATY)
    assert around_decision(windows, datetime(2027, 1, 1, 12, 0, tzinfo=ALMATY))
    # The two windows overlap: still around a decision until the second one ends.
    assert around_decision(windows, datetime(2027, 1, 16, 0, 0, tzinfo=ALMATY))


def test_a_country_without_dates_has_no_window() -> None:
    assert decision_windows(DEFAULT_DECISIONS, ("KGZ", "TJK", "TKM")) == ()
    assert decision_windows({"KAZ": ()}, ("KAZ",)) == ()
    assert not around_decision((), datetime(2026, 12, 4, tzinfo=UTC))
    assert next_window_start((), datetime(2026, 12, 4, tzinfo=UTC)) is None


def test_a_source_is_polled_around_the_decisions_of_the_countries_it_gives_the_rate_of() -> None:
    assert decision_countries("nbk-data") == ("KAZ",)
    assert decision_countries("cbu-policy") == ("UZB",)
    assert set(decision_countries("imf-sdmx")) == set(COUNTRIES)
    assert decision_countries("siat") == ()  # monthly CPI only: no decision of its own
    assert decision_countries("nbk") == ()
