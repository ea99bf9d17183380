"""The release calendar in words: ``next NBK decision 23 Oct``, ``NBK decision today``.

The dashboard's indicators screen and the CLI's ``ticker indicators`` show a country's
next policy-rate decision with these words; the dates and the rules are
:mod:`ticker.model.release_calendar`'s, the date form :func:`ticker.display.monetary.
period_text`'s (``23 Oct``; with the year, ``12 Jan 2028``, when the decision is more
than :data:`YEAR_SHOWN_AFTER` days away).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ticker.display.names import bank_word
from ticker.i18n.dates import day_month, day_month_year
from ticker.i18n.words import _
from ticker.model.release_calendar import (
    DecisionCalendar,
    bank_of,
    coming_decision,
    local_today,
)

__all__ = ["YEAR_SHOWN_AFTER", "bank_name", "next_decision_at", "next_decision_text"]

#: A next decision further away than this is shown with its year.
YEAR_SHOWN_AFTER = timedelta(days=300)


def bank_name(country: str) -> str:
    """The short name of ``country``'s central bank (``NBK``); the country code for one it
    does not know."""
    bank = bank_of(country)
    return bank_word(bank.name) if bank is not None else country


def next_decision_text(calendar: DecisionCalendar, country: str, today: date) -> str:
    """``next NBK decision 23 Oct``; ``NBK decision today`` on a decision day (``today``
    in the bank's zone: :func:`~ticker.model.release_calendar.local_today`); empty when
    no later decision is known (no schedule, or its list ended)."""
    name = bank_name(country)
    day = coming_decision(calendar, country, today)
    if day is None:
        return ""
    if day == today:
        return _("{bank} decision today").format(bank=name)
    when = day_month(day) if day - today <= YEAR_SHOWN_AFTER else day_month_year(day)
    return _("next {bank} decision {day}").format(bank=name, day=when)


def next_decision_at(calendar: DecisionCalendar, country: str, now: datetime) -> str:
    """:func:`next_decision_text` at the moment ``now`` (aware): today is taken in the
    bank's zone (just after midnight in Almaty is already the decision day there)."""
    return next_decision_text(calendar, country, local_today(country, now))
