"""``[decisions]``: the central banks' policy-rate decision days, per country.

A key is a country's ISO 3166-1 alpha-3 code (KGZ, KAZ, TJK, UZB, TKM), its value the
days its bank announces a decision, as ``"2027-01-12"`` (or an unquoted TOML date):
``KAZ = ["2027-01-12", "2027-02-27"]`` replaces the built-in list of Kazakhstan, an empty
list switches its calendar off, a country not named keeps the built-in one
(:data:`providers.decision_calendar.DEFAULT_DECISIONS`, with its evidence). The days may
be written in any order; each once.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from providers.decision_calendar import DEFAULT_DECISIONS
from providers.records import COUNTRIES
from ticker.config.reader import Reader
from ticker.i18n.words import _, ngettext

__all__ = ["EARLIEST", "LATEST", "MAX_DATES", "parse_decisions"]

#: The range of a plausible decision day.
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)
#: At most this many days a country (the banks decide 4 to 12 times a year).
MAX_DATES = 100

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_decisions(r: Reader, data: object) -> dict[str, tuple[date, ...]]:
    """``[decisions]`` over the built-in lists: country (ISO3) -> its days, in order."""
    t = r.table(data, "decisions", tuple(COUNTRIES))
    result: dict[str, tuple[date, ...]] = dict(DEFAULT_DECISIONS)
    for country, value in t.items():
        path = f"decisions.{country}"
        days = r.unique_list(value, path, lambda v, p: _day(r, v, p))
        if len(days) > MAX_DATES:
            expected = ngettext("at most {n} date", "at most {n} dates", MAX_DATES)
            r.fail(path, expected.format(n=MAX_DATES), value)
        result[country] = tuple(sorted(days))
    return result


def _day(r: Reader, value: object, path: str) -> date:
    day: date | None = None
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    elif isinstance(value, str) and _ISO_DAY.fullmatch(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            day = None
    if day is None or not EARLIEST <= day <= LATEST:
        expected = _('a date like "2027-01-12" from {earliest} to {latest}')
        r.fail(path, expected.format(earliest=EARLIEST, latest=LATEST), value)
    return day
